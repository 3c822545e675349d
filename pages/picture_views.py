"""A picture's own page: the picture large, with its credit, source, licence and verification."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.response_cache import cache_public_page
from discovery.visibility import visible_films, visible_lists, visible_people
from pictures.display import owner_name, shown_picture
from pictures.models import PICTURE_MODELS


@cache_public_page
def picture_detail(request, owner, pk):
    model = PICTURE_MODELS.get(owner)
    if model is None:
        raise Http404("No such kind of picture.")
    # A picture is as private as what it shows: a draft film, a draft list, a person known
    # only through draft films.
    visible_owners = {
        "film": visible_films,
        "person": visible_people,
        "curated_list": visible_lists,
    }[owner](request.user)
    pictures = model.objects.select_related(owner).filter(**{f"{owner}__in": visible_owners})
    picture = get_object_or_404(pictures, pk=pk)
    name = owner_name(picture, get_language())
    context = {
        "picture": picture,
        "shown": shown_picture(picture, "wide"),
        "owner": picture.owner,
        "owner_name": name,
        "page_title": _("%(kind)s of %(owner)s")
        % {"kind": picture.get_kind_display(), "owner": name.text},
    }
    return render(request, "pictures/picture_detail.html", context)
