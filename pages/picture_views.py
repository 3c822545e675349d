"""A picture's own page: the picture large, with its credit, source, licence and verification."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.response_cache import cache_public_page
from discovery.visibility import visible_lists
from pictures.display import owner_name, shown_picture
from pictures.models import PICTURE_MODELS


@cache_public_page
def picture_detail(request, owner, pk):
    model = PICTURE_MODELS.get(owner)
    if model is None:
        raise Http404("No such kind of picture.")
    pictures = model.objects.select_related(owner)
    if owner == "curated_list":
        # A draft list's cover is as private as the list.
        pictures = pictures.filter(curated_list__in=visible_lists(request.user))
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
