"""Keep each row's `search_text` key current when it or the rows it is built from change.

A film's key holds its titles (FilmTitle rows) and credited people's names, so those rows
refresh it too. Bulk writes (bulk_create, QuerySet.update) send no signals and loaddata sends
them "raw", which these receivers skip: run `manage.py rebuild_search_text` after them. Any
write to a catalogue or list row also makes the cached responses stale. Each new PostgreSQL
connection also gets the search's pg_trgm threshold.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from catalogue import response_cache, search
from catalogue.models import Credit, Film, FilmTitle, Person


def refresh_film_search_text(film_pk):
    """Recompute one film's key from the database and return it (None if the film is gone)."""
    film = Film.objects.prefetch_related("titles", "credits__person").filter(pk=film_pk).first()
    if film is None:
        return None
    search_text = search.film_search_text(film)
    if search_text != film.search_text:
        Film.objects.filter(pk=film_pk).update(search_text=search_text)
    return search_text


@receiver(post_save, sender=Film)
def film_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Keep the saved instance in step with its row (update() bypassed it).
    instance.search_text = refresh_film_search_text(instance.pk) or ""


@receiver(post_save, sender=FilmTitle)
@receiver(post_delete, sender=FilmTitle)
@receiver(post_save, sender=Credit)
@receiver(post_delete, sender=Credit)
def film_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_film_search_text(instance.film_id)


@receiver(post_save, sender=Person)
def person_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    search_text = search.person_search_text(instance)
    stored = Person.objects.filter(pk=instance.pk).values_list("search_text", flat=True).first()
    if search_text == stored:
        return  # names unchanged: neither the person's key nor their films' keys change
    Person.objects.filter(pk=instance.pk).update(search_text=search_text)
    instance.search_text = search_text
    films = Film.objects.filter(credits__person=instance).values_list("pk", flat=True)
    for film_pk in films.distinct():
        refresh_film_search_text(film_pk)


# Apps whose rows appear on public pages and in the API: a write to any of them makes
# every cached response stale (catalogue/response_cache.py).
PUBLISHED_APPS = ("catalogue", "lists")


def published_row_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    response_cache.invalidate(using)


def connect_response_cache_invalidation():
    """Connect `published_row_changed` to each model of PUBLISHED_APPS (their M2M tables
    included) by sender: a receiver for every sender would turn off Django's fast delete
    for all models, sessions and login attempts included."""
    for label in PUBLISHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            uid = f"response-cache:{model._meta.label}"
            post_save.connect(published_row_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(published_row_changed, sender=model, dispatch_uid=uid)
            m2m_changed.connect(published_row_changed, sender=model, dispatch_uid=uid)


@receiver(connection_created)
def configure_search_connection(sender, connection, **kwargs):
    search.set_trigram_threshold(connection)
