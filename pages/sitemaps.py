"""The sitemap: an index (/sitemap.xml) naming one file per section and page
(/sitemap-films.xml?p=2), so no request renders every film at once.

Each file holds at most SITEMAP_PAGE_SIZE addresses, and the index asks each section for a
count and its latest change (one query each), never for its rows. Both are served from the
response cache to visitors (core/response_cache.py), invalidated by any catalogue write.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from catalogue.models import Person
from discovery.visibility import public_films, public_lists

# Addresses per sitemap file: about 250 KB and a few hundred milliseconds at most.
SITEMAP_PAGE_SIZE = 2000


class StaticPagesSitemap(Sitemap):
    """The pages that are not one row: home, lists index, browse, awards."""

    def items(self):
        return ["lists:home", "lists:list-index", "catalogue:film-browse", "catalogue:award-index"]

    def location(self, item):
        return reverse(item)


class RowsSitemap(Sitemap):
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
    def rows(self):
        return Person.objects.all()


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "lists": CuratedListSitemap,
    "films": FilmSitemap,
    "people": PersonSitemap,
}
