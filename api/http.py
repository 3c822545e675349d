"""HTTP conventions every API view follows: strict query parameters, Cache-Control on reads,
Location on a 201."""

from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.permissions import SAFE_METHODS

from api.parameters import StrictQueryParametersMixin

# Public reads may be kept this long by browsers and shared caches; ETags revalidate after.
PUBLIC_MAX_AGE = 60


class APIConventionsMixin(StrictQueryParametersMixin):
    """Unknown or repeated query parameters are 400s (StrictQueryParametersMixin); anonymous
    reads are public for a minute, an editor's (who may see drafts) private and revalidated;
    a 201 says where the new object lives (`Location`: its `url`)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in SAFE_METHODS and response.status_code in (200, 304):
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            # What one client sees depends on who it is.
            patch_vary_headers(response, ["Authorization", "Cookie"])
        if response.status_code == 201 and isinstance(getattr(response, "data", None), dict):
            location = response.data.get("url") or self.created_location(response.data)
            if location:
                response["Location"] = str(location)  # not DRF's Hyperlink (a str subclass)
        return response

    def created_location(self, data):
        """The address of a created object whose body has no `url`; none by default."""
        return None
