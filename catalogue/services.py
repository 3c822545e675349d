"""Write-side operations on the catalogue's films.

Merging duplicate films moves list entries too, so it lives a floor up, in lists/services.py.
"""

from django.db import transaction

from catalogue.models import Film
from core import response_cache


@transaction.atomic
def publish_films(films, by=None, reason="Published"):
    """Make the unpublished among `films` (rows or a queryset) visible to visitors, each with
    a history record; returns how many were published. Published films are left alone."""
    pks = films.values("pk") if hasattr(films, "values") else [film.pk for film in films]
    published = 0
    for film in Film.objects.unpublished().filter(pk__in=pks).select_for_update():
        film.is_published = True
        film._change_reason = reason
        if by is not None:
            film._history_user = by
        film.save()
        published += 1
    if published:
        # Which films pages may show changed: no row tag names the pages that left them out
        # (a person's filmography, a list page), so every cached page goes stale.
        response_cache.invalidate()
    return published
