"""Who may see what: the one policy for drafts, used by the pages, the API, the filters, the
search and the pages' ETags. Editors see drafts because their permissions let them view lists
in the admin (the Editors group and superusers have that permission), never because they are
staff.

Drafts are lists not yet published, and films not yet published (a list import creates them
so: docs/publication.md); a person known only through such films is hidden with them. What
"published" means is the models' querysets' word (`CuratedList.objects.published()`,
`Film.objects.published()`, `Person.objects.known_through(films)`); who sees what is decided
here.
"""

from catalogue.models import Film, Person
from core.querysets import built_once
from lists.models import CuratedList

DRAFTS_PERMISSION = "lists.view_curatedlist"


def may_see_drafts(user):
    """Whether `user` (None for nobody) may see draft lists and previews."""
    return bool(user is not None and user.is_authenticated and user.has_perm(DRAFTS_PERMISSION))


def built_for_reader(name, user, build):
    """The queryset `build(user)` makes, built once per process for `user`'s kind of reader
    and language (`core.querysets.built_once`), a fresh copy at each use. What `build` makes
    may depend on the user only through what this policy decides: whether they see drafts."""
    return built_once((name, may_see_drafts(user)), lambda: build(user))


def public_lists():
    """The lists every visitor sees: published ones, once their publication time has come."""
    return CuratedList.objects.published()


def visible_lists(user=None):
    """The lists `user` may see: every list for those who may see drafts, else public ones."""
    return CuratedList.objects.all() if may_see_drafts(user) else public_lists()


def public_films():
    """The films every visitor sees: published ones (sitemap, home page, feeds)."""
    return Film.objects.published()


def visible_films(user=None):
    """The films `user` may see: every film for those who may see drafts, else public ones.
    Pages, browse, search and the API start from it, and narrow the rows about films
    (credits, awards, facts, list entries) with `of_films(visible_films(user))`."""
    return Film.objects.all() if may_see_drafts(user) else public_films()


def public_people():
    """The people every visitor sees: all but those tied only to unpublished films (sitemap,
    bulk dump). Someone tied to no film at all is public."""
    return Person.objects.known_through(public_films())


def visible_people(user=None):
    """The people `user` may see: everyone for those who may see drafts, else public ones.
    The person page, the API, search, the filters and the changes feed start from it."""
    return Person.objects.all() if may_see_drafts(user) else public_people()
