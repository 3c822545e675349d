"""What an editor is: a person whose permissions let them see drafts and previews. Checked by
permission, never by `is_staff`, so the Editors group (or a superuser) decides."""

EDITORS_GROUP = "Editors"
# Viewing curated lists in the admin is what lets an editor preview unpublished work.
DRAFTS_PERMISSION = "lists.view_curatedlist"


def may_see_drafts(user):
    """Whether `user` (None for nobody) may see draft lists and previews."""
    return bool(user is not None and user.is_authenticated and user.has_perm(DRAFTS_PERMISSION))
