"""Who edits: the roles, defined here in code and applied to the database by `apply_roles()`.

`apply_roles()` runs after every `migrate` (a `post_migrate` receiver, see `lists/apps.py`),
after every `seed` (whose `--reset` flushes the groups with everything else) and before
`create_editor` makes an account, so the group always exists with exactly these rights.
It is idempotent: running it again changes nothing. The data migration
`lists/migrations/0002_editors_group.py` made the first version of the group and keeps its
own copy of these lists, as migrations must; the lists below are the ones in force.

Editors add, change and view everything in the catalogue and the lists, view the history of
what has history, and delete the claims a document made (credits, awards, facts, titles,
locations, adapted works), list entries and lists, and pictures; the list admin refuses them
the deletion of a *published* list. Films, people and reference data are never deleted by
editors: other rows and other documents point at them.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

EDITORS_GROUP = "Editors"

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
    # Named, not imported: the pictures app sits on the floor above.
    "pictures": ["filmpicture", "personpicture", "listcover"],
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
    # A wrong or unlicensed picture must be removable by the editors who add them.
    "pictures": ["filmpicture", "personpicture", "listcover"],
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


ROLES = {EDITORS_GROUP: editor_permission_keys}


def apply_roles(using=DEFAULT_DB_ALIAS, apps=global_apps):
    """Create every role's group if missing and give it exactly its permissions.

    Returns the groups by name. Permissions are created first: on a fresh or flushed
    database Django makes them only at the end of `migrate`, after this may be needed.
    """
    for app_label in EDITED_MODELS:
        create_permissions(apps.get_app_config(app_label), verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.using(using)
        .filter(content_type__app_label__in=EDITED_MODELS.keys())
        .select_related("content_type")
    }
    groups = {}
    for name, permission_keys in ROLES.items():
        wanted = permission_keys()
        missing = wanted - permissions.keys()
        if missing:
            raise RuntimeError(f"{name} group: permissions not found: {sorted(missing)}")
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([permissions[key] for key in wanted])
        groups[name] = group
    return groups


def apply_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """The `post_migrate` receiver: `migrate` (and `flush`) leave the roles in place."""
    apply_roles(using=using, apps=global_apps)
