"""Keep each row's normalized `search_text` current when it or its related rows change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalogue import search
from catalogue.models import Credit, Film, FilmTitle, Person


def refresh_film_search_text(film):
    Film.objects.filter(pk=film.pk).update(search_text=search.film_search_text(film))


@receiver(post_save, sender=Film)
def film_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_film_search_text(instance)


@receiver(post_save, sender=FilmTitle)
@receiver(post_delete, sender=FilmTitle)
@receiver(post_save, sender=Credit)
@receiver(post_delete, sender=Credit)
def film_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_film_search_text(instance.film)


@receiver(post_save, sender=Person)
def person_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    Person.objects.filter(pk=instance.pk).update(search_text=search.person_search_text(instance))
    for film in Film.objects.filter(credits__person=instance).distinct():
        refresh_film_search_text(film)
