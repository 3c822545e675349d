"""Editors add, change, view and delete pictures (a wrong or unlicensed picture must be
removable by the people who added it). Added to the Editors group, never set: the group's
other permissions belong to lists/migrations/0002_editors_group.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Editors"
PICTURE_MODELS = ["filmpicture", "personpicture", "listcover"]


def picture_permission_codenames():
    return [
        f"{action}_{model}"
        for model in PICTURE_MODELS
        for action in ("add", "change", "view", "delete")
    ]


def grant_pictures_to_editors(apps, schema_editor=None):
    """Also callable with the real app registry (tests that re-create the group)."""
    app_config = apps.get_app_config("pictures")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True  # None in migration states
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="pictures", codename__in=picture_permission_codenames()
        )
    )


def revoke_pictures_from_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="pictures")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pictures", "0001_pictures"),
        ("lists", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant_pictures_to_editors, revoke_pictures_from_editors)]
