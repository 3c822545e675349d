"""API permissions: anyone reads, editors write what their model permissions allow."""

from rest_framework import permissions


class ModelPermissionsOrAnonReadOnly(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """DRF's DjangoModelPermissionsOrAnonReadOnly, looking the model up on the view's
    `queryset` attribute: DRF calls `get_queryset()` for it, and a detail queryset with its
    JSON columns takes milliseconds to build, on every request, only to be thrown away."""

    def _queryset(self, view):
        if getattr(view, "queryset", None) is not None:
            return view.queryset
        return super()._queryset(view)
