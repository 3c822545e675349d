from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import response_cache


def films_at_the_same_place_tags(location):
    """The response cache's tags of the films with a location at `location`'s place."""
    from catalogue.models import Film, FilmLocation

    film_ids = FilmLocation.objects.filter(place_id=location.place_id).values_list("film_id")
    return {response_cache.object_tag(Film, pk) for (pk,) in film_ids}


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from catalogue import signals  # noqa: F401  (connects the search-key receivers)
        from catalogue.models import Film, FilmLocation, Person

        # Catalogue rows appear on public pages and in the API; a film's and a person's pages
        # go stale only when what they show changes.
        response_cache.invalidate_on_change(self.get_models(include_auto_created=True))
        response_cache.track_objects([Film, Person])
        # A person's or list's page leaves unpublished films out: it never loaded them.
        response_cache.stale_every_object_when_changed(Film, "is_published")
        # A film's page lists others set in the same place ("Also set in"), found by query:
        # a setting added, moved or removed there changes those pages.
        response_cache.stale_when_shown_or_hidden(
            FilmLocation, ("place_id", "kind", "film_id"), films_at_the_same_place_tags
        )
