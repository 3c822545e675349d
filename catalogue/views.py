"""Public pages of the catalogue: film, person, awards, browse and search.

Views pick a queryset method named for the page and a template; the queries live in
catalogue/querysets.py, each page's budget is checked by tests/catalogue/test_site_*.py.
"""

import hashlib

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import condition

from catalogue import search as search_service
from catalogue.filters import AwardFilter, FilmFilter
from catalogue.models import Award, Film, Organisation, Person
from catalogue.response_cache import cache_public_page
from lists.models import CuratedList

BROWSE_PAGE_SIZE = 24
# The awards index pages through them: a large catalogue has thousands.
AWARD_PAGE_SIZE = 100
# The FilmFilter fields the browse form shows; the API accepts these and more.
BROWSE_FIELDS = [
    "decade",
    "country",
    "genre",
    "studio",
    "setting",
    "award_organisation",
    "award_outcome",
    "list",
    "verification",
]


def page_etag(request, last_modified):
    """An ETag for a page that depends on its rows' last change and on who is looking
    (editors see drafts and previews, so they never share a cached copy with visitors)."""
    audience = "editor" if request.user.is_staff else "visitor"
    return hashlib.sha256(f"{last_modified.isoformat()}|{audience}".encode()).hexdigest()[:32]


def page_condition(last_modified_func):
    """`condition()` for a public page: Last-Modified from `last_modified_func`, and an ETag
    made of it and the audience (page_etag)."""

    def etag(request, *args, **kwargs):
        return page_etag(request, last_modified_func(request, *args, **kwargs))

    return condition(etag_func=etag, last_modified_func=last_modified_func)


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
        visible_lists = CuratedList.objects.visible_to(request.user)
        request.film_for_page = get_object_or_404(
            Film.objects.for_detail_page(visible_lists), slug=slug
        )
    return request.film_for_page


def film_last_modified(request, slug):
    """The newest change among the rows the film page shows that carry a timestamp."""
    film = film_for_page(request, slug)
    stamps = [film.updated_at]
    stamps += [fact.updated_at for fact in film.facts.all()]
    stamps += [credit.person.updated_at for credit in film.credits.all()]
    stamps += [entry.curated_list.updated_at for entry in film.visible_list_entries]
    return max(stamps)


@cache_public_page
@page_condition(film_last_modified)
def film_detail(request, slug):
    film = film_for_page(request, slug)
    return render(request, "catalogue/film_detail.html", {"film": film})


@cache_public_page
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
    query = request.GET.get("q", "").strip()[: search_service.MAX_QUERY_LENGTH]
    results = search_service.search(query, user=request.user) if query else None
    return render(request, "catalogue/search.html", {"query": query, "results": results})


@cache_public_page
def film_browse(request):
    """Films filtered with the API's filter vocabulary (FilmFilter), one page at a time."""
    # An invalid filter value shows its error next to the field, and no films.
    context = filtered_page(request, FilmFilter, Film.objects.for_browse_page(), BROWSE_PAGE_SIZE)
    context["browse_fields"] = BROWSE_FIELDS
    return render(request, "catalogue/film_browse.html", context)
