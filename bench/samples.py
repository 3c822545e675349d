"""What the bench asks for, shared by bench/run.py (in the `manage.py shell` it starts) and
bench/request_profile.py."""


def three_filters(films, choose):
    """For each of `films` with a year, a country and a genre, the browse query naming those
    three, as a reader filters (`choose` picks one of its countries, then one of its genres)."""
    queries = []
    for film in films.prefetch_related("countries", "genres"):
        countries, genres = list(film.countries.all()), list(film.genres.all())
        if film.release_year and countries and genres:
            country, genre = choose(countries), choose(genres)
            queries.append(
                f"decade={film.decade}&country={country.code.lower()}&genre={genre.slug}"
            )
    return queries
