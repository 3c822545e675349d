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
# Home: featured lists, recent lists (not featured), confirmed facts (a few more than shown,
# to quote whole sentences only).
HOME = 3
# List page: the list (+ source, its cover and its films' primary posters folded into JSON
# columns), its entries (+ films), the films' directors (+ people), the films' countries, the
# previous list, the next list.
LIST_PAGE = 6
# Film page: the film (+ countries, genres, studios, adapted works, titles and its primary
# poster folded into JSON columns), credits (+ people), awards (+ organisations, people),
# locations (+ places), facts (+ sources folded in), the visible lists it is in, the related
# films (+ directors folded in). The ETag check shares them.
FILM_PAGE = 7
# A visitor's film, person or list page from its read document (pages/documents.py): the
# document and the clock, in one query. A page that finds none is rendered (its budget above)
# and stored (READ_DOCUMENT_MISS).
PAGE_FROM_DOCUMENT = 1
# Film page reached from a list (?list=slug): + the entries before and after it in the list.
FILM_PAGE_FROM_LIST = FILM_PAGE + 1
# Person page: the person (+ the primary portrait as a JSON column), credits (+ films),
# awards (+ films, organisations), adapted works.
PERSON_PAGE = 4
# Awards index: the organisations (+ award counts), the count, the page of awards
# (+ organisations), their films, their people.
AWARD_INDEX = 5
# Browse: the count, the page of films (+ their primary posters as a JSON column), their
# directors (+ people), their countries.
BROWSE = 4
# Browse's facets, one grouped count each (discovery/facets.py): decade, country, genre,
# studio, setting, award organisation, award outcome, list, verification.
BROWSE_FACETS = 9
# Browse: each filter naming a row (genre=Drama, country=USSR) looks the row up once, to show
# its name and to tell a person when nothing has that name. The API looks nothing up.
BROWSE_NAMED_FILTER = 1
# Browse for a visitor, answered by the film index (discovery/film_index.py): no count and no
# facet query; the page's film cards from their read documents in one query (+ each named
# filter's row). With the documents off: the page's films by id (+ posters), their directors,
# their countries.
BROWSE_INDEXED = 1
BROWSE_INDEXED_LIVE = BROWSE - 1


def browse_page(named_filters=0, search=False):
    """The whole browse page's budget with `named_filters` filters naming a row; a title
    search (`q`) ranks twice, for the films and once for all the facets."""
    searching = 2 * SEARCH_FILTER_EXTRA if search else 0
    return BROWSE + BROWSE_FACETS + named_filters * BROWSE_NAMED_FILTER + searching


# The `q` filter of browse and the API film list ranks with the search service first: at
# most 2 queries more (matches as written, then, only if there are none, with typos).
SEARCH_FILTER_EXTRA = 2
# Sitemap index: for lists, films and people, a count (its pages) and the latest change.
SITEMAP_INDEX = 6
# One sitemap file (a section's page): the count, then that page's rows.
SITEMAP_SECTION = 2
# Any page, search included: whatever discovery.search.search() needs stays within this
# when the words match as written (3 kinds' candidates, 3 loads, organisations and places).
MAX_PAGE = 8
# Search when nothing matches as written: + the typo pass of the 3 kinds (10 at most); a person
# found by a typo brings their films in the films' own load.
SEARCH_WITH_TYPOS = 10

# --- API v1 ---
# Film list, any filters: count, films, directors, countries, genres.
API_FILM_LIST = 5
# Film list for a visitor, answered by the film index: no count; the page's rows from their read
# documents in one query. With the documents off: the films by id, directors, countries, genres.
API_FILM_LIST_INDEXED = 1
API_FILM_LIST_INDEXED_LIVE = API_FILM_LIST - 1
# Film detail: film (countries, genres, studios, titles, adapted works, pictures as JSON
# columns), credits, awards, locations, facts (sources as JSON), list entries.
API_FILM_DETAIL = 6
# Film detail for a visitor, from its read document: the document and the clock, in one query.
API_FILM_DETAIL_FROM_DOCUMENT = 1
# A visitor's read that finds no document builds it (API_FILM_DETAIL) and stores it: the
# document lookup, the next scheduled publication, and the store's clock check (locked),
# delete of an expired one, insert, insert of its tags.
READ_DOCUMENT_MISS = 6
# Person detail: person (+ portraits as a JSON column), credits (films joined), awards
# (organisations and films joined).
API_PERSON_DETAIL = 3
# List detail: the list (+ source joined, covers as a JSON column), entries (+ films),
# the films' directors.
API_LIST_DETAIL = 3
# Search: the search service's own queries, each kind at most 20 rows.
API_SEARCH_MAX = 8

# --- admin history (an editor signed in: session, user, their permissions, their groups'
# permissions are 4 of each number) ---
# History page of a list or a film: + the row, the count of versions, the page of versions
# (+ who wrote them; each version's changes are read from the rows already loaded, a list's
# entries from its versions' snapshots), the newest version of the next page (to describe
# the page's oldest one; only when there is a next page).
ADMIN_HISTORY_PAGE = 8
# A list's version page (what reverting would change): + the version (+ who wrote it),
# the list, its entries now (+ films), the version again and the list's search key
# (django-simple-history's own form view).
ADMIN_LIST_VERSION_PAGE = 9
# A film's version page: + the version, the film, the version again, its search key, and
# the form's sources, countries, genres and studios.
ADMIN_FILM_VERSION_PAGE = 12
