"""The OpenAPI schema: every operation documents its errors (one shared `Error` shape), its
caching and paging headers, and every parameter has a description and an example."""

from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework import permissions

from api.errors import ERROR_COMPONENTS
from api.parameters import LANGUAGE_PARAMETER, language_codes

ERRORS = {
    "400": "Invalid parameter or payload; each error names its parameter or field (`attr`).",
    "404": "No such object or page.",
    "406": "The Accept header asks for a format the endpoint does not produce.",
    "429": "Too many requests from this address; retry after the Retry-After header's seconds.",
}
WRITE_ERRORS = {
    "401": "Not authenticated: send an editor's token (Authorization: Token ...).",
    "403": "Authenticated, but without the model permission for this change.",
}
NOT_MODIFIED = (
    "Not modified: the ETag given in If-None-Match still holds (or, without If-None-Match, "
    "nothing changed since If-Modified-Since); no body."
)

HEADERS = {
    "ETag": "An opaque validator of this response; send it back as If-None-Match (reads) or "
    "If-Match (writes).",
    "Last-Modified": "When the catalogue last changed as a visitor sees it (any change "
    "counts, so it is never earlier than this response's own last change); send it back as "
    "If-Modified-Since. Visitors' reads only, and only once that second is over.",
    "Link": 'RFC 8288 links to the first, previous, next and last pages (rel="first" ...).',
    "Retry-After": "Seconds to wait before the next request.",
    "Location": "The API address of the object just created.",
}
READ_HEADERS = ["ETag", "Last-Modified"]

# One example per query parameter name, whatever the endpoint: what a client would send.
PARAMETER_EXAMPLES = {
    "q": "stalker",
    "year": 1979,
    "year_min": 1960,
    "year_max": 1989,
    "decade": 1970,
    "country": "SU",
    "genre": "drama",
    "studio": "mosfilm",
    "person": "tarkovsky",
    "role": "director",
    "director": "tarkovsky",
    "actor": "batalov",
    "list": "soviet-love",
    "setting": "moscow",
    "filming_location": "moscow",
    "verification": "confirmed",
    "imdb_id": "tt0079944",
    "tmdb_id": 1398,
    "wikidata_id": "Q214677",
    "kinopoisk_id": 43911,
    "page": 2,
    "page_size": 50,
    "award_organisation": "cannes",
    "award_outcome": "won",
    "award_year": 1958,
    "film": "stalker",
    "organisation": "cannes",
    "outcome": "won",
    "category": "Palme",
    "kind": "studio",
    "name": "film",
    "featured": "true",
    "updated_since": "2026-01-01T00:00:00Z",
    "since": "2026-01-01T00:00:00Z",
    "slug": "stalker",
    "list_slug": "soviet-love",
    "id": 1,
    "pk": 1,
}


# Path parameters, which no FilterSet describes.
PATH_PARAMETER_DESCRIPTIONS = {
    "slug": "The object's slug, as in its `url`.",
    "list_slug": "The list's slug, as in its `url`.",
    "pk": "The entry's id.",
    "id": "The object's id.",
}


IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string (a UUID): a retry with the same key and body answers "
    "the first response again instead of creating a duplicate (kept for 24 hours).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    "example": "3f1c2a9e-5b7d-4e8a-9c0b-1d2e3f4a5b6c",
}
IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the object as you last read it: if it changed since, the "
    "write is refused with 412 instead of overwriting that change.",
    "schema": {"type": "string"},
    "example": '"5d41402abc4b2a76b9719d911017c592"',
}


def error_response(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def header(name):
    return {"description": HEADERS[name], "schema": {"type": "string"}}


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


class LabelledFilterExtension(DjangoFilterExtension):
    """drf-spectacular's django-filter support, keeping the FilterSet's label as the
    description where a filter class carries its own schema (`@extend_schema_field`),
    which drf-spectacular would otherwise drop."""

    target_class = "api.filters.StrictFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            if not parameter.get("description"):
                parameter["description"] = self._get_field_description(filter_field, None) or ""
            if field_name == "ordering":
                self.leave_out_conditional_keys(parameter, auto_schema.view)
        return parameters

    @staticmethod
    def leave_out_conditional_keys(parameter, view):
        """Ordering keys that need another parameter (position needs list=) cannot be stated
        in OpenAPI: the enum leaves them out, so a schema-valid request is always accepted,
        and the description names them."""
        requires = getattr(view, "ordering_requires", {})
        if not requires:
            return
        items = parameter["schema"].get("items", {})
        items["enum"] = [key for key in items.get("enum", []) if key.lstrip("-") not in requires]
        keys = ", ".join(f"`{key}`" for key in items["enum"] if not key.startswith("-"))
        named = "; ".join(
            f"`{key}` is accepted too, with `{other}=` only (400 without it)"
            for key, other in requires.items()
        )
        parameter["description"] = (
            f"Order by {keys}; several keys comma-separated or repeated, applied in order; "
            f"prefix - to reverse. {named}."
        )


def example_from_schema(schema):
    """The first allowed value (a list of one for an array), avoiding keys such as
    `position` that need another parameter."""
    if schema.get("type") == "array":
        item = example_from_schema(schema.get("items", {}))
        return None if item is None else [item]
    choices = [value for value in schema.get("enum") or [] if "position" not in str(value)]
    return choices[0] if choices else None


def is_picture_upload(path_name, method):
    """A picture's multipart POST: it answers the picture (its `page_url` says where it is
    shown) without an API address or ETag of its own."""
    return method == "post" and path_name.endswith("/pictures/")


def add_headers_and_examples(result, generator, request, public):
    """Schema post-processing: the shared error components, the caching, paging and
    throttling headers each response may carry, and an example for every parameter."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_COMPONENTS)
    for path_name, path in result.get("paths", {}).items():
        for method, operation in path.items():
            responses = operation.get("responses", {})
            for code, response in responses.items():
                names = []
                if code.startswith("2") and method == "get":
                    names = [*READ_HEADERS]
                    if any(p["name"] == "page" for p in operation.get("parameters", [])):
                        names.append("Link")
                if code == "201" and not is_picture_upload(path_name, method):
                    names = ["ETag", "Location"]
                if code == "200" and method in ("put", "patch"):
                    names = ["ETag"]
                if code == "429":
                    names = ["Retry-After"]
                if names:
                    response.setdefault("headers", {}).update({n: header(n) for n in names})
            if method == "get":
                responses.setdefault(
                    "304", {"description": NOT_MODIFIED, "headers": {"ETag": header("ETag")}}
                )
            parameters = operation.setdefault("parameters", [])
            parameters.append(
                {
                    "name": LANGUAGE_PARAMETER,
                    "in": "query",
                    "required": False,
                    "description": "The language of messages and translated names: "
                    + ", ".join(language_codes())
                    + " (any case). Without it, or with another, the Accept-Language header "
                    "decides; the response's Content-Language says which was used.",
                    "schema": {"type": "string"},
                    "example": "ru",
                }
            )
            if method == "post":
                parameters.append(IDEMPOTENCY_KEY_PARAMETER)
                responses.setdefault(
                    "409",
                    error_response(
                        "This Idempotency-Key was used with another body, or its first "
                        "request is still being processed."
                    ),
                )
                responses.setdefault(
                    "503",
                    error_response(
                        "An Idempotency-Key was sent while keys cannot be checked (the cache "
                        "is unreachable): nothing was written; retry shortly."
                    ),
                )
            if method in ("put", "patch", "delete") and "/entries/" not in path_name:
                parameters.append(IF_MATCH_PARAMETER)
            if method in ("put", "patch", "delete"):
                responses.setdefault(
                    "412",
                    error_response(
                        "Precondition failed: the If-Match ETag is not the object's current one "
                        "(someone changed it since you read it)."
                    ),
                )
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if not parameter.get("description"):
                    parameter["description"] = PATH_PARAMETER_DESCRIPTIONS.get(name, "")
                if "example" not in parameter and "examples" not in parameter:
                    example = PARAMETER_EXAMPLES.get(name)
                    if example is None:
                        example = example_from_schema(parameter.get("schema", {}))
                    if example is not None:
                        parameter["example"] = example
    return result
