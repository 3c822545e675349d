"""Recompute every row's search_text (after loaddata, which saves rows raw)."""

from django.core.management.base import BaseCommand

from catalogue import search
from catalogue.models import Film, Person
from lists.models import CuratedList


class Command(BaseCommand):
    help = "Recompute the normalized search text of every film, person and list."

    def handle(self, *args, **options):
        films = Film.objects.prefetch_related("titles", "credits__person")
        for film in films.iterator(chunk_size=500):
            Film.objects.filter(pk=film.pk).update(search_text=search.film_search_text(film))
        for person in Person.objects.iterator(chunk_size=500):
            Person.objects.filter(pk=person.pk).update(search_text=search.person_search_text(person))
        for curated_list in CuratedList.objects.iterator():
            CuratedList.objects.filter(pk=curated_list.pk).update(
                search_text=search.list_search_text(curated_list)
            )
        self.stdout.write("Search text rebuilt.")
