"""Counting filtered films (the browse page's facets, the API's `count`) has indexes made for it:
the published films by year, and each genre's films, both read without visiting the rows. The
plans they give show at the bench's 100,000 films, not at a test's few (docs/performance.md)."""

import pytest
from django.db import connection


def indexes_of(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name: row["columns"] for name, row in constraints.items() if row["index"]}


@pytest.mark.django_db
def test_the_published_films_are_indexed_by_year_and_id():
    assert indexes_of("catalogue_film")["film_published_year_idx"] == ["release_year", "id"]


@pytest.mark.django_db
def test_each_genre_s_films_are_indexed_by_genre_then_film():
    assert indexes_of("catalogue_film_genres")["film_genres_genre_film_idx"] == [
        "genre_id",
        "film_id",
    ]
