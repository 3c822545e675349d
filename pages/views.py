"""The public pages: home, lists, films, people, awards, browse and search.

Views pick a queryset method named for the page and a template; the queries live in the
querysets of catalogue and lists, each page's budget is in ops/query_budgets.py.
"""

from functools import wraps

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import (
    Award,
    CreditRole,
    Fact,
    Film,
    FilmRedirect,
    LocationKind,
    Organisation,
    Person,
)
from core.http import conditional_page
from core.paginators import RememberedCountPaginator
from core.response_cache import cache_object_page, cache_public_page, note_loaded, object_tag
from core.text_search import MAX_QUERY_LENGTH
from discovery.facets import browse_context, without_blanks
from discovery.film_index import IndexedFilms, browse_filter, films_to_page
from discovery.filters import AwardFilter, BrowseFilmFilter, parameters_read_by
from discovery.search import search as search_everything
from discovery.visibility import (
    built_for_reader,
    public_films,
    public_lists,
    public_people,
    visible_films,
    visible_lists,
    visible_people,
)
from lists.models import CuratedList, CuratedListEntry
from lists.querysets import films_in_lists, memberships_prefetch
from pages.documents import (
    answers_from_document,
    film_cards,
    register_film_cards,
    served_from_document,
)
from pages.prose import is_whole_sentence
from pictures.models import (
    cover_column,
    list_posters_column,
    portrait_column,
    poster_column,
    spread_posters,
    with_cover_joined,
)

BROWSE_PAGE_SIZE = 24
HOME_LIST_COUNT = 6
HOME_FACT_COUNT = 3
# Facts read for the home page, of which the first HOME_FACT_COUNT whole sentences are shown.
HOME_FACT_CANDIDATES = 12
# Related films on a film page: at most this many for each way they relate.
RELATED_PER_KIND = 4
INDEX_PAGE_SIZE = 24
# The awards index pages through them: a large catalogue has thousands.
AWARD_PAGE_SIZE = 100
# A prolific actor's credits run to hundreds: the person page shows them a page at a time.
PERSON_CREDITS_PAGE_SIZE = 100
NO_SUCH_PAGE_OF_FILMS = gettext_lazy("This person has no such page of films.")


def filtered_page(request, filterset_class, queryset, page_size, rows_of=None, make_filter=None):
    """The template context of a page of `queryset` narrowed by `filterset_class` from the
    query string: the filter (its form shows errors), the page, and the query without `page`
    for the pagination links. An invalid filter shows no rows; parameters the filter does not
    know (`utm_source`) are not read, so they neither change the page nor its cache key.
    `rows_of(filter, queryset)`: what to page through and its count, if not the filter's rows
    (discovery.film_index.films_to_page); `make_filter(query, queryset=, request=)`: the
    filter, if not a `filterset_class` (discovery.film_index.browse_filter)."""
    query = parameters_read_by(filterset_class, request.GET)
    page_number = query.pop("page", [None])[-1]
    row_filter = (make_filter or filterset_class)(query, queryset=queryset, request=request)
    rows, count = queryset.none(), None
    if row_filter.is_valid():
        rows, count = (row_filter.qs, None) if rows_of is None else rows_of(row_filter, queryset)
    paginator = RememberedCountPaginator(rows, page_size, known_count=count)
    return {
        "filter": row_filter,
        "page": paginator.get_page(page_number),
        "query_without_page": query.urlencode(),
    }


def film_for_page(request, slug):
    """The film page's film, fetched once per request (the ETag check and the view share it),
    with its related films and, when the reader came from a list (`?list=slug`), its place
    in that list."""
    if not hasattr(request, "film_for_page"):
        films = built_for_reader(
            "film page",
            request.user,
            lambda user: (
                visible_films(user)
                .for_detail_page()
                .prefetch_related(memberships_prefetch(visible_lists(user), "visible_list_entries"))
                .annotate(primary_posters=poster_column())
            ),
        )
        film = get_object_or_404(films, slug=slug)
        film.related_groups = related_groups(film)
        film.list_entry = next(
            (
                entry
                for entry in film.visible_list_entries
                if entry.curated_list.slug == request.GET.get("list")
            ),
            None,
        )
        if film.list_entry is not None:
            entries = CuratedListEntry.objects.filter(film__in=visible_films(request.user))
            neighbours = entries.neighbours_of(film.list_entry)
            film.list_entry.previous_entry, film.list_entry.next_entry = neighbours
        request.film_for_page = film
    return request.film_for_page


def both(names):
    """ "A and B" in the page's language, each name once."""
    return f" {_('and')} ".join(dict.fromkeys(names))


def related_groups(film):
    """[(heading, films)] of the public films related to `film`, each film under the first
    way it relates: its director, its setting, its lists, its decade and country."""
    public_list_ids = [
        entry.curated_list_id
        for entry in film.visible_list_entries
        if entry.curated_list.is_published
    ]
    in_lists = films_in_lists(public_lists().filter(pk__in=public_list_ids))
    related = public_films().related_to(
        film, in_lists=in_lists if public_list_ids else None, per_kind=RELATED_PER_KIND
    )
    language = translation.get_language()
    directors = [
        c.person.names_in(language)[0].text
        for c in film.credits.all()
        if c.role == CreditRole.DIRECTOR
    ]
    settings = [
        location.place.name
        for location in film.locations.all()
        if location.kind == LocationKind.SETTING
    ]
    countries = ", ".join(sorted(row["name"] for row in film.country_rows or []))
    headings = {
        "director": _("More by %(names)s") % {"names": both(directors)},
        "setting": _("Also set in %(places)s") % {"places": both(settings)},
        "lists": _("In the same lists"),
        "decade": _("Also from the %(decade)ss, %(countries)s")
        % {"decade": film.decade, "countries": countries},
    }
    groups = []
    for kind, heading in headings.items():
        if films := [other for other in related if getattr(other, f"related_{kind}", False)]:
            groups.append((heading, films))
    return groups


def film_redirect(view):
    """A film page whose slug is not found, but was a film merged into another, redirects
    permanently to the film it was merged into."""

    @wraps(view)
    def wrapped(request, slug):
        try:
            return view(request, slug)
        except Http404:
            moved = FilmRedirect.objects.select_related("film").filter(old_slug=slug).first()
            if moved is None:
                raise
            return redirect(moved.film, permanent=True)

    return wrapped


def film_page_key(request, slug):
    """A film page reached from a list (`?list=`) shows its place there: rendered live."""
    return None if "list" in request.GET else slug


@film_redirect
@cache_object_page(CuratedList)  # a list going public adds itself to its films' pages
@conditional_page
@served_from_document("page-film", film_page_key, public_films)
def film_detail(request, slug):
    film = film_for_page(request, slug)
    return render(request, "catalogue/film_detail.html", {"film": film})


def person_page_key(request, slug):
    number = page_number(request)
    return slug if number == 1 else f"{slug}?page={number}"


@cache_object_page()
@conditional_page
@served_from_document("page-person", person_page_key, public_people)
def person_detail(request, slug):
    """A person's films a page of credits at a time (`?page=`); awards and adapted works
    all on every page. A page number that is not one of the person's pages is a 404."""
    number = page_number(request)
    shown = slice((number - 1) * PERSON_CREDITS_PAGE_SIZE, number * PERSON_CREDITS_PAGE_SIZE)
    people = built_for_reader(
        "person page",
        request.user,
        lambda user: (
            visible_people(user)
            .for_detail_page(visible_films(user))
            .annotate(primary_portraits=portrait_column())
        ),
    )
    credits = built_for_reader(
        "person page credits",
        request.user,
        lambda user: Person.objects.credits_in_role_order(visible_films(user)),
    )
    person = get_object_or_404(people.with_credits_shown(credits[shown]), slug=slug)
    paginator = Paginator(range(person.credit_count), PERSON_CREDITS_PAGE_SIZE)
    if number > paginator.num_pages:
        raise Http404(NO_SUCH_PAGE_OF_FILMS)
    if paginator.num_pages > 1:
        # Which films a page shows depends on the films on the others, which it never loads:
        # an edit to one of those moves films between pages.
        note_loaded({object_tag(Film, row["id"]) for row in person.credited_film_rows or []})
    context = {"person": person, "page": paginator.page(number), "query_without_page": ""}
    return render(request, "catalogue/person_detail.html", context)


def page_number(request):
    """The `?page=` a reader asked for (1 when none); anything but a page number is a 404,
    so junk neither shows a page nor fills the cache with copies of one."""
    given = request.GET.get("page", "1")
    if not (given.isascii() and given.isdigit() and len(given) <= 6 and int(given) > 0):
        raise Http404(NO_SUCH_PAGE_OF_FILMS)
    return int(given)


@cache_public_page
def award_index(request):
    """Awards by organisation and year, a page at a time, narrowed with the API's AwardFilter
    (?organisation=, ?year=, ?outcome=...)."""
    awards = Award.objects.for_index_page().of_films(visible_films(request.user))
    context = filtered_page(request, AwardFilter, awards, AWARD_PAGE_SIZE)
    context["organisations"] = Organisation.objects.with_awards(visible_films(request.user))
    return render(request, "catalogue/award_index.html", context)


@cache_public_page
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = search_everything(query, user=request.user) if query else None
    return render(request, "catalogue/search.html", {"query": query, "results": results})


@cache_public_page
def film_browse(request):
    """Films filtered with the API's filter vocabulary (BrowseFilmFilter), one page at a time,
    with the facets, sort and active-filter chips of discovery.facets."""
    given = parameters_read_by(BrowseFilmFilter, request.GET)
    query = without_blanks(given)
    if dict(query.lists()) != dict(given.lists()):
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    # An invalid filter value shows its error next to the field, and no films.
    films = built_for_reader(
        "browse", request.user, lambda user: visible_films(user).for_browse_page()
    )
    cards = built_for_reader("browse cards", request.user, film_cards_rows)

    def films_or_ids(film_filter, queryset):
        rows, count = films_to_page(film_filter, queryset)
        if isinstance(rows, IndexedFilms) and answers_from_document(request):
            return rows.ids_only(), count  # their cards come from documents
        return rows, count

    context = filtered_page(
        request, BrowseFilmFilter, cards, BROWSE_PAGE_SIZE, films_or_ids, browse_filter
    )
    shown = context["page"].object_list
    if shown and all(isinstance(pk, int) for pk in shown):
        context["cards"] = film_cards(request, shown, cards)
    context.update(browse_context(context["filter"], films, given))
    return render(request, "catalogue/film_browse.html", context)


def film_cards_rows(user=None):
    """The films whose cards a listing shows to `user`, with what a card shows."""
    return visible_films(user).for_browse_page().annotate(primary_posters=poster_column())


register_film_cards(film_cards_rows)


# --- Home and lists ---


@cache_public_page
def home(request):
    lists = with_cover_joined(public_lists().for_index_page())
    facts = Fact.objects.for_home_page().of_films(public_films())[:HOME_FACT_CANDIDATES]
    context = {
        "featured_lists": lists.featured()[:HOME_LIST_COUNT],
        # A featured list is not shown again among the recent ones.
        "recent_lists": lists.exclude(featured=True)[:HOME_LIST_COUNT],
        # Quoted facts are whole sentences: a fragment cut from a source's paragraph
        # ("it was banned there for…") reads as nonsense on its own.
        "facts": [fact for fact in facts if is_whole_sentence(fact.text)][:HOME_FACT_COUNT],
    }
    return render(request, "lists/home.html", context)


@cache_public_page
def list_index(request):
    lists = with_cover_joined(public_lists().for_index_page())
    page = RememberedCountPaginator(lists, INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lists/list_index.html", {"page": page})


def list_for_page(request, slug):
    """The list page's list, entries and neighbours, fetched once per request."""
    if not hasattr(request, "list_for_page"):
        lists = built_for_reader(
            "list page",
            request.user,
            lambda user: (
                visible_lists(user)
                .with_entries_for_page(visible_films(user))
                .annotate(primary_covers=cover_column(), film_posters=list_posters_column())
            ),
        )
        curated_list = get_object_or_404(lists, slug=slug)
        spread_posters(
            [entry.film for entry in curated_list.entries.all()], curated_list.film_posters
        )
        curated_list.previous_list = CuratedList.objects.published_before(curated_list)
        curated_list.next_list = CuratedList.objects.published_after(curated_list)
        request.list_for_page = curated_list
    return request.list_for_page


def list_page_key(request, slug):
    return f"{slug}?view=compact" if request.GET.get("view") == "compact" else slug


@cache_object_page(CuratedList)  # its previous and next lists
@conditional_page
@served_from_document("page-list", list_page_key, public_lists, collections=(CuratedList,))
def list_detail(request, slug):
    curated_list = list_for_page(request, slug)
    return render(
        request,
        "lists/list_detail.html",
        {
            "curated_list": curated_list,
            "entries": curated_list.entries.all(),
            "compact": request.GET.get("view") == "compact",
        },
    )
