"""Keep each row's `search_text` key current when it or the rows it is built from change.

A film's key holds its titles (FilmTitle rows) and credited people's names, so those rows
refresh it too. Bulk writes (bulk_create, QuerySet.update) send no signals and loaddata sends
them "raw", which these receivers skip: run `manage.py rebuild_search_text` after them.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalogue.models import Credit, Film, FilmTitle, Person


def refresh_film_search_text(film_pk):
    """Recompute one film's key from the database and return it (None if the film is gone)."""
    film = Film.objects.prefetch_related("titles", "credits__person").filter(pk=film_pk).first()
    if film is None:
        return None
    search_text = film.compose_search_text()
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
    search_text = instance.compose_search_text()
    stored = Person.objects.filter(pk=instance.pk).values_list("search_text", flat=True).first()
    if search_text == stored:
        return  # names unchanged: neither the person's key nor their films' keys change
    Person.objects.filter(pk=instance.pk).update(search_text=search_text)
    instance.search_text = search_text
    films = Film.objects.filter(credits__person=instance).values_list("pk", flat=True)
    for film_pk in films.distinct():
        refresh_film_search_text(film_pk)
