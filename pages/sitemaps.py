"""The sitemap: an index (/sitemap.xml) naming one file per section and page
(/sitemap-films.xml?p=2), so no request renders every film at once.

Each page is listed in both languages: one <url> per page and language (/films/stalker/ and
/ru/films/stalker/), each naming its alternates (en, ru, x-default) with xhtml:link.
Django's `i18n = True` pairs every row with every language in memory before paginating;
`RowsInEachLanguage` pairs them lazily instead, so a file still reads only its own rows.

Each file holds at most SITEMAP_PAGE_SIZE addresses, and the index asks each section for a
count and its latest change (one query each), never for its rows. Both are served from the
response cache to visitors (core/response_cache.py), invalidated by any catalogue write.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from discovery.visibility import public_films, public_lists, public_people

# Addresses per sitemap file (each with its three alternates): about 1 MB at most.
SITEMAP_PAGE_SIZE = 2000


class RowsInEachLanguage:
    """The (row, language) pairs of `rows` (a queryset or list) for every language, row by
    row, as a sequence the paginator can count and slice without loading the other rows:
    a slice of pairs reads only the rows it covers (one query)."""

    def __init__(self, rows, languages):
        self.rows = rows
        self.languages = list(languages)

    def count(self):
        rows = self.rows.count() if hasattr(self.rows, "model") else len(self.rows)
        return rows * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Only slices of pairs are read.")
        start, stop = index.start or 0, index.stop
        per_row = len(self.languages)
        first_row = start // per_row
        last_row = None if stop is None else -(-stop // per_row)
        pairs = [
            (row, language) for row in self.rows[first_row:last_row] for language in self.languages
        ]
        offset = first_row * per_row
        return pairs[start - offset : None if stop is None else stop - offset]


class BilingualSitemap(Sitemap):
    """Every page in each language of the site, with its alternates (Django's i18n sitemap,
    paired lazily)."""

    i18n = True
    alternates = True
    x_default = True

    def _items(self):
        return RowsInEachLanguage(self.items(), self._languages())


class StaticPagesSitemap(BilingualSitemap):
    """The pages that are not one row: home, lists index, browse, awards."""

    def items(self):
        return ["lists:home", "lists:list-index", "catalogue:film-browse", "catalogue:award-index"]

    def location(self, item):
        return reverse(item)


class RowsSitemap(BilingualSitemap):
    """One page per row of a queryset, paginated; its latest change is one aggregate."""

    limit = SITEMAP_PAGE_SIZE

    def rows(self):
        raise NotImplementedError

    def items(self):
        return self.rows().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every row for the index; the database knows the maximum.
        return self.rows().aggregate(latest=Max("updated_at"))["latest"]


class CuratedListSitemap(RowsSitemap):
    """Published lists only: a draft's URL is a 404 for search engines."""

    def rows(self):
        return public_lists()


class FilmSitemap(RowsSitemap):
    """Published films only: a film an import created is a 404 for search engines."""

    def rows(self):
        return public_films()


class PersonSitemap(RowsSitemap):
    """Public people only: someone known only through unpublished films is a 404."""

    def rows(self):
        return public_people()


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "lists": CuratedListSitemap,
    "films": FilmSitemap,
    "people": PersonSitemap,
}
