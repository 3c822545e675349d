"""The OpenAPI schema class: every operation also documents the errors it can answer."""

from drf_spectacular import openapi
from rest_framework import permissions

ERROR_BODY = {
    "type": "object",
    "description": (
        'Either {"detail": "message"} or field errors: {"field_name": ["message", ...]}.'
    ),
    "additionalProperties": {},
}

ERRORS = {
    "400": "Invalid parameter or payload; the body names each offending field.",
    "404": "No such object (unknown slug) or page.",
    "406": "The Accept header asks for a format the endpoint does not produce.",
    "429": "Too many requests from this address; retry after the Retry-After header's seconds.",
}
WRITE_ERRORS = {
    "401": "Not authenticated: send an editor's token (Authorization: Token ...).",
    "403": "Authenticated, but without the model permission for this change.",
}


def error_response(description):
    return {"description": description, "content": {"application/json": {"schema": ERROR_BODY}}}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the error responses of every operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            errors |= WRITE_ERRORS
        for code, description in errors.items():
            responses.setdefault(code, error_response(description))
        return responses

    def get_auth(self):
        # Reads are open to anonymous clients: say so ({}), as drf-spectacular does for
        # IsAuthenticatedOrReadOnly but not for DjangoModelPermissionsOrAnonReadOnly.
        auths = super().get_auth()
        anonymous_reads = permissions.DjangoModelPermissionsOrAnonReadOnly
        if self.method in permissions.SAFE_METHODS and {} not in auths:
            if any(isinstance(p, anonymous_reads) for p in self.view.get_permissions()):
                auths.append({})
        return auths
