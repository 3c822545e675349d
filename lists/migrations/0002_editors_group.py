"""The Editors group: exactly what a film editor needs in the admin, and nothing of auth.

Editors add, change and view everything in the catalogue and the lists, view the history
of what has history, and delete the claims a document made (credits, awards, facts,
titles, locations, adapted works), list entries and lists; the list admin refuses them
the deletion of a *published* list. Films, people and reference data are never deleted
by editors: other rows and other documents point at them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Editors"

EDITED_MODELS = {
    "catalogue": [
        "film",
        "person",
        "credit",
        "award",
        "fact",
        "filmtitle",
        "filmlocation",
        "adaptedwork",
        "source",
        "country",
        "genre",
        "organisation",
        "place",
    ],
    "lists": ["curatedlist", "curatedlistentry"],
}
HISTORY_MODELS = {
    "catalogue": [
        "historicalfilm",
        "historicalperson",
        "historicalcredit",
        "historicalaward",
        "historicalfact",
    ],
    "lists": ["historicalcuratedlist", "historicalcuratedlistentry"],
}
DELETABLE_MODELS = {
    "catalogue": ["credit", "award", "fact", "filmtitle", "filmlocation", "adaptedwork"],
    "lists": ["curatedlist", "curatedlistentry"],
}


def editor_permission_keys():
    """(app_label, codename) of every permission the Editors group holds."""
    keys = set()
    for app_label, models in EDITED_MODELS.items():
        for model in models:
            keys |= {(app_label, f"{action}_{model}") for action in ("add", "change", "view")}
    for app_label, models in HISTORY_MODELS.items():
        keys |= {(app_label, f"view_{model}") for model in models}
    for app_label, models in DELETABLE_MODELS.items():
        keys |= {(app_label, f"delete_{model}") for model in models}
    return keys


def create_editors_group(apps, schema_editor=None):
    """Create (or reset) the group; also callable with the real app registry (tests)."""
    # On a fresh database the permissions are created only after all migrations ran.
    for app_label in ("catalogue", "lists"):
        app_config = apps.get_app_config(app_label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # None in migration states
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = editor_permission_keys()
    found = [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label__in=EDITED_MODELS.keys()
        ).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise RuntimeError(f"Editors group: permissions not found: {sorted(missing)}")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(found)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0001_initial"),
        ("lists", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
