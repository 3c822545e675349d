"""The public pages: home, lists, films, people, awards, browse and search.

Views pick a queryset method named for the page and a template; the queries live in the
querysets of catalogue and lists, each page's budget is in ops/query_budgets.py.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from catalogue.models import Award, Fact, Film, Organisation, Person
from core.http import page_condition
from core.response_cache import cache_object_page, cache_public_page
from core.text_search import MAX_QUERY_LENGTH
from discovery.facets import browse_context, without_blanks
from discovery.filters import AwardFilter, BrowseFilmFilter
from discovery.search import search as search_everything
from discovery.visibility import audience, public_lists, visible_lists
from lists.models import CuratedList
from lists.querysets import memberships_prefetch

BROWSE_PAGE_SIZE = 24
HOME_LIST_COUNT = 6
HOME_FACT_COUNT = 3
INDEX_PAGE_SIZE = 24
# The awards index pages through them: a large catalogue has thousands.
AWARD_PAGE_SIZE = 100


def filtered_page(request, filterset_class, queryset, page_size):
    """The template context of a page of `queryset` narrowed by `filterset_class` from the
    query string: the filter (its form shows errors), the page, and the query without `page`
    for the pagination links. An invalid filter shows no rows."""
    row_filter = filterset_class(request.GET, queryset=queryset, request=request)
    rows = row_filter.qs if row_filter.is_valid() else queryset.none()
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": row_filter,
        "page": Paginator(rows, page_size).get_page(request.GET.get("page")),
        "query_without_page": query.urlencode(),
    }


def film_for_page(request, slug):
    """The film page's film, fetched once per request (the ETag check and the view share it)."""
    if not hasattr(request, "film_for_page"):
        films = Film.objects.for_detail_page().prefetch_related(
            memberships_prefetch(visible_lists(request.user), "visible_list_entries")
        )
        request.film_for_page = get_object_or_404(films, slug=slug)
    return request.film_for_page


def film_last_modified(request, slug):
    """The newest change among the rows the film page shows that carry a timestamp."""
    film = film_for_page(request, slug)
    stamps = [film.updated_at]
    stamps += [fact.updated_at for fact in film.facts.all()]
    stamps += [credit.person.updated_at for credit in film.credits.all()]
    stamps += [entry.curated_list.updated_at for entry in film.visible_list_entries]
    return max(stamps)


@cache_object_page(CuratedList)  # a list going public adds itself to its films' pages
@page_condition(film_last_modified, audience=audience)
def film_detail(request, slug):
    film = film_for_page(request, slug)
    return render(request, "catalogue/film_detail.html", {"film": film})


@cache_object_page()
def person_detail(request, slug):
    person = get_object_or_404(Person.objects.for_detail_page(), slug=slug)
    return render(request, "catalogue/person_detail.html", {"person": person})


@cache_public_page
def award_index(request):
    """Awards by organisation and year, a page at a time, narrowed with the API's AwardFilter
    (?organisation=, ?year=, ?outcome=...)."""
    context = filtered_page(request, AwardFilter, Award.objects.for_index_page(), AWARD_PAGE_SIZE)
    context["organisations"] = Organisation.objects.with_awards()
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
    query = without_blanks(request.GET)
    if dict(query.lists()) != dict(request.GET.lists()):
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    # An invalid filter value shows its error next to the field, and no films.
    films = Film.objects.for_browse_page()
    context = filtered_page(request, BrowseFilmFilter, films, BROWSE_PAGE_SIZE)
    context.update(browse_context(context["filter"], films, request.GET))
    return render(request, "catalogue/film_browse.html", context)


# --- Home and lists ---


@cache_public_page
def home(request):
    lists = public_lists().for_index_page()
    context = {
        "featured_lists": lists.featured()[:HOME_LIST_COUNT],
        "recent_lists": lists[:HOME_LIST_COUNT],
        "facts": Fact.objects.for_home_page()[:HOME_FACT_COUNT],
    }
    return render(request, "lists/home.html", context)


@cache_public_page
def list_index(request):
    lists = public_lists().for_index_page()
    page = Paginator(lists, INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lists/list_index.html", {"page": page})


def list_for_page(request, slug):
    """The list page's list, entries and neighbours, fetched once per request."""
    if not hasattr(request, "list_for_page"):
        visible = visible_lists(request.user)
        curated_list = get_object_or_404(visible.with_entries_for_page(), slug=slug)
        curated_list.previous_list = CuratedList.objects.published_before(curated_list)
        curated_list.next_list = CuratedList.objects.published_after(curated_list)
        request.list_for_page = curated_list
    return request.list_for_page


def list_last_modified(request, slug):
    """The newest change among the list, its films, their directors and its neighbours."""
    curated_list = list_for_page(request, slug)
    stamps = [curated_list.updated_at]
    for entry in curated_list.entries.all():
        stamps.append(entry.film.updated_at)
        stamps += [credit.person.updated_at for credit in entry.film.director_credits]
    for neighbour in (curated_list.previous_list, curated_list.next_list):
        if neighbour is not None:
            stamps.append(neighbour.updated_at)
    return max(stamps)


@cache_object_page(CuratedList)  # its previous and next lists
@page_condition(list_last_modified, audience=audience)
def list_detail(request, slug):
    curated_list = list_for_page(request, slug)
    return render(
        request,
        "lists/list_detail.html",
        {"curated_list": curated_list, "entries": curated_list.entries.all()},
    )
