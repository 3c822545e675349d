"""Each version of a list keeps all its entries (`entries_snapshot`).

Versions written before this have no snapshot; they get the best one their records allow:
the entries' own history up to the next version of the list (what the revert read before).
"""

from django.db import migrations, models

ENTRY_FIELDS = ("blurb", "fact", "verification", "verification_note")


def snapshot_earlier_versions(apps, schema_editor):
    HistoricalList = apps.get_model("lists", "HistoricalCuratedList")
    HistoricalEntry = apps.get_model("lists", "HistoricalCuratedListEntry")
    Film = apps.get_model("catalogue", "Film")
    films = {}
    for list_id in HistoricalList.objects.values_list("id", flat=True).distinct():
        versions = list(
            HistoricalList.objects.filter(id=list_id).order_by("history_date", "history_id")
        )
        records = list(
            HistoricalEntry.objects.filter(curated_list_id=list_id).order_by(
                "history_date", "history_id"
            )
        )
        wanted = {record.film_id for record in records} - films.keys()
        films.update(
            (film.pk, film)
            for film in Film.objects.filter(pk__in=wanted).only("title", "release_year")
        )
        for version, following in zip(versions, [*versions[1:], None], strict=True):
            latest = {}
            for record in records:
                if following is None or record.history_date < following.history_date:
                    latest[record.id] = record
            kept = sorted(
                (record for record in latest.values() if record.history_type != "-"),
                key=lambda record: record.position,
            )
            version.entries_snapshot = [
                {
                    "id": record.id,
                    "position": position,
                    "film": record.film_id,
                    "film_title": getattr(films.get(record.film_id), "title", "(deleted film)"),
                    "film_year": getattr(films.get(record.film_id), "release_year", None),
                    **{name: getattr(record, name) for name in ENTRY_FIELDS},
                }
                for position, record in enumerate(kept, start=1)
            ]
            version.save(update_fields=["entries_snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("lists", "0002_editors_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalcuratedlist",
            name="entries_snapshot",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(snapshot_earlier_versions, migrations.RunPython.noop),
    ]
