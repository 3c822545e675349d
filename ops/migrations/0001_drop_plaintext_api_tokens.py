"""DRF's authtoken kept API tokens in plain text; knox (hashed, expiring) replaced it. The old
table goes, so no backup or database dump carries working tokens again. Editors create new
tokens on their token page (/admin/tokens/)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knox", "0009_extend_authtoken_field")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
