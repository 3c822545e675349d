"""sitemap.xml: every public page a search engine should find."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from catalogue.models import Film, Person
from discovery.visibility import public_lists


class StaticPagesSitemap(Sitemap):
    """The pages that are not one row: home, lists index, browse, awards."""

    def items(self):
        return ["lists:home", "lists:list-index", "catalogue:film-browse", "catalogue:award-index"]

    def location(self, item):
        return reverse(item)


class CuratedListSitemap(Sitemap):
    """Published lists only: a draft's URL is a 404 for search engines."""

    def items(self):
        return public_lists().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class FilmSitemap(Sitemap):
    def items(self):
        return Film.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(Sitemap):
    def items(self):
        return Person.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "lists": CuratedListSitemap,
    "films": FilmSitemap,
    "people": PersonSitemap,
}
