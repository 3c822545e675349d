"""How many SQL queries each page and API endpoint may run, whatever the catalogue's size.

One place for both checks: the tests hold them on small catalogues (1 row and many), and
bench/explain.py holds them on the 100,000-film bench catalogue. It lives outside tests/ so
that the benchmark can import it without the test suite.

The numbers are a visitor's (anonymous). A signed-in reader costs a few more, once per
request whatever the page: Django's session and user, and the two queries that load the
user's and their groups' permissions, which decide whether they may see drafts
(discovery.visibility.may_see_drafts; cached on the user for the rest of the request).
"""

# --- public site ---
# Home: featured lists, recent lists, confirmed facts.
HOME = 3
# List page: the list (+ source), its entries (+ films), the films' directors (+ people),
# the films' countries, the previous list, the next list.
LIST_PAGE = 6
# Film page: the film (+ countries, genres, studios, adapted works folded into JSON columns),
# titles, credits (+ people), awards (+ organisations, people), locations (+ places),
# facts (+ sources folded in), the visible lists it is in. The ETag check shares them.
FILM_PAGE = 7
# Person page: the person, credits (+ films), awards (+ films, organisations), adapted works.
PERSON_PAGE = 4
# Awards index: the organisations (+ award counts), the count, the page of awards
# (+ organisations), their films, their people.
AWARD_INDEX = 5
# Browse: the count, the page of films, their directors (+ people), their countries.
BROWSE = 4
# Browse's facets, one grouped count each (discovery/facets.py): decade, country, genre,
# studio, setting, award organisation, award outcome, list, verification.
BROWSE_FACETS = 9
# Browse: each filter naming a row (genre=Drama, country=USSR) looks the row up once, to show
# its name and to tell a person when nothing has that name. The API looks nothing up.
BROWSE_NAMED_FILTER = 1


def browse_page(named_filters=0, search=False):
    """The whole browse page's budget with `named_filters` filters naming a row; a title
    search (`q`) ranks twice, for the films and once for all the facets."""
    searching = 2 * SEARCH_FILTER_EXTRA if search else 0
    return BROWSE + BROWSE_FACETS + named_filters * BROWSE_NAMED_FILTER + searching


# The `q` filter of browse and the API film list ranks with the search service first: at
# most 2 queries more (matches as written, then, only if there are none, with typos).
SEARCH_FILTER_EXTRA = 2
# Any page, search included: whatever discovery.search.search() needs stays within this.
MAX_PAGE = 8

# --- API v1 ---
# Film list, any filters: count, films, directors, countries, genres.
API_FILM_LIST = 5
# Film detail: film (countries, genres, studios, titles, adapted works as JSON columns),
# credits, awards, locations, facts (sources as JSON), list entries.
API_FILM_DETAIL = 6
# Person detail: person, credits (films joined), awards (organisations and films joined).
API_PERSON_DETAIL = 3
# Search: the search service's own queries, each kind at most 20 rows.
API_SEARCH_MAX = 8
