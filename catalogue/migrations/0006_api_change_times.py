"""Countries, genres, organisations and places know when they last changed (the API's
`updated_since`): existing rows count as changed now."""

import django.utils.timezone
from django.db import migrations, models


def change_time():
    return models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_film_letterboxd_id")]

    operations = [
        migrations.AddField(model_name=model, name="updated_at", field=change_time(),
                            preserve_default=False)
        for model in ("country", "genre", "organisation", "place")
    ]
