"""Who may see what: the one policy for drafts, used by the pages, the API, the filters and
the search. Editors see drafts because their role may view lists (core.roles), not because
they are staff."""

from core.roles import may_see_drafts
from lists.models import CuratedList


def visible_lists(user=None):
    """The lists `user` may see: every list for those who may see drafts, else published ones."""
    lists = CuratedList.objects.all()
    return lists if may_see_drafts(user) else lists.published()
