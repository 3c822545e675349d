"""Public pages of curated lists, and the home page."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from catalogue.models import Fact
from catalogue.response_cache import cache_public_page
from catalogue.views import page_condition
from lists.models import CuratedList

HOME_LIST_COUNT = 6
HOME_FACT_COUNT = 3
INDEX_PAGE_SIZE = 24


@cache_public_page
def home(request):
    lists = CuratedList.objects.published().for_index_page()
    context = {
        "featured_lists": lists.featured()[:HOME_LIST_COUNT],
        "recent_lists": lists[:HOME_LIST_COUNT],
        "facts": Fact.objects.for_home_page()[:HOME_FACT_COUNT],
    }
    return render(request, "lists/home.html", context)


@cache_public_page
def list_index(request):
    lists = CuratedList.objects.published().for_index_page()
    page = Paginator(lists, INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lists/list_index.html", {"page": page})


def list_for_page(request, slug):
    """The list page's list, entries and neighbours, fetched once per request."""
    if not hasattr(request, "list_for_page"):
        visible = CuratedList.objects.visible_to(request.user)
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


@cache_public_page
@page_condition(list_last_modified)
def list_detail(request, slug):
    curated_list = list_for_page(request, slug)
    return render(
        request,
        "lists/list_detail.html",
        {"curated_list": curated_list, "entries": curated_list.entries.all()},
    )
