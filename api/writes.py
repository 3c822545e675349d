"""Safe writes: a retried POST with the same `Idempotency-Key` answers the first response
instead of creating a duplicate, and a PUT, PATCH or DELETE with a stale `If-Match` ETag is
refused (412) instead of overwriting someone else's change. A write may answer with the
object as a GET gives it, ETag included (`ReadShapedWritesMixin`), so that ETag can be the
next write's If-Match."""

import hashlib
import json
import logging
import re

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.cache import quote_etag, set_response_etag
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.errors import parameter_errors
from core.cache import CACHE_ERRORS

# Errors a client can see, written once so tests can assert on them.
STALE_IF_MATCH = (
    "Precondition failed: the object changed since the ETag you sent (If-Match); read it "
    "again, then retry your change."
)
KEY_REUSED = "This Idempotency-Key was already used with a different request body."
KEY_IN_FLIGHT = "A request with this Idempotency-Key is still being processed; retry shortly."
BAD_KEY = "An Idempotency-Key is 1 to 255 visible ASCII characters."
KEYS_UNAVAILABLE = (
    "Idempotency-Keys cannot be checked right now (the cache is unreachable): nothing was "
    "written; retry shortly, or send the request without a key."
)

IDEMPOTENCY_KEY = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
# How long a key is remembered: a day, as Stripe does.
KEY_TTL = 24 * 60 * 60
# How long a key stays claimed by a request that has not answered: longer than any request
# may run (gunicorn stops a worker long before), short enough that a key whose worker died
# without a word (killed) may be retried the same hour.
PENDING_TTL = 5 * 60
PENDING = "pending"

logger = logging.getLogger(__name__)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = STALE_IF_MATCH
    default_code = "precondition_failed"


class IdempotencyUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = KEYS_UNAVAILABLE
    default_code = "idempotency_unavailable"


class IdempotencyConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = KEY_REUSED
    default_code = "idempotency_key_reused"


def body_etag(data, renderer_context):
    """The ETag a GET of this representation carries (ConditionalGetMiddleware's: the MD5
    of the rendered JSON)."""
    content = JSONRenderer().render(data, "application/json", renderer_context)
    return quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())


def read_representation(view, instance):
    """`instance` as `view`'s detail (its retrieve queryset and serializer) gives it."""
    action = view.action
    view.action = "retrieve"
    try:
        detail = view.get_queryset().get(pk=instance.pk)
        return view.get_serializer(detail).data
    finally:
        view.action = action


class IfMatchMixin:
    """PUT and PATCH honour If-Match (and DELETE, where the viewset calls `check_if_match`):
    the ETag of the object's detail as last read, or `*`. The detail is rendered again only
    when the header is sent."""

    def check_if_match(self, request, instance):
        header = request.headers.get("If-Match")
        if not header:
            return
        etags = parse_etags(header)
        if etags == ["*"]:
            return
        current = self.current_etag(instance)
        # Strong comparison (RFC 9110 13.1.1): a weak ETag never matches.
        if current not in [etag for etag in etags if not etag.startswith("W/")]:
            raise PreconditionFailed()

    def current_etag(self, instance):
        return body_etag(read_representation(self, instance), self.get_renderer_context())

    def perform_update(self, serializer):
        self.check_if_match(self.request, serializer.instance)
        super().perform_update(serializer)


def body_fingerprint(data):
    """What a retry must send again for its key to answer the first response: the fields,
    and each uploaded file's bytes (a file of the same name with other bytes is another
    body)."""

    def as_text(value):
        if isinstance(value, UploadedFile):
            digest = hashlib.sha256()
            for chunk in value.chunks():
                digest.update(chunk)
            value.seek(0)  # read again by the write itself
            return f"file:{digest.hexdigest()}"
        return str(value)

    body = dict(data.lists()) if hasattr(data, "lists") else data
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=as_text).encode()).hexdigest()


def answered_once(request, respond, *, etag=True):
    """`respond()`, the write, unless the request has an `Idempotency-Key` already used: the
    first response is kept for a day (per user and address); the same key with the same body
    answers it again and writes nothing, the same key with another body is a 409. `etag`:
    whether the write's answer carries an ETag (a replay carries one only if so)."""
    key = request.headers.get(IDEMPOTENCY_KEY)
    if key is None:
        return respond()
    if not KEY_PATTERN.fullmatch(key):
        raise parameter_errors({IDEMPOTENCY_KEY: (BAD_KEY, "invalid")})
    fingerprint = body_fingerprint(request.data)
    cache_key = (
        "idempotency:"
        + hashlib.sha256(f"{request.user.pk}|{request.path}|{key}".encode()).hexdigest()
    )
    try:
        claimed = cache.add(cache_key, {"state": PENDING, "fingerprint": fingerprint}, PENDING_TTL)
        if not claimed:
            return replayed(cache.get(cache_key), fingerprint)
    except CACHE_ERRORS as error:
        # Writing without the key's promise could write twice on a retry: refuse instead.
        raise IdempotencyUnavailable() from error
    try:
        response = respond()
    except BaseException:  # SystemExit too: a worker stopped mid-write wrote nothing
        _free(cache_key)  # a failed attempt may be retried with the same key
        raise
    try:
        cache.set(
            cache_key,
            {
                "state": "done",
                "fingerprint": fingerprint,
                "status": response.status_code,
                "language": translation.get_language(),
                "etag": etag,
                # Plain JSON: a serializer's data holds the serializer (and its querysets).
                "data": json.loads(JSONRenderer().render(response.data)),
            },
            KEY_TTL,
        )
    except CACHE_ERRORS:
        # The write is done and answered; a retry within PENDING_TTL is told to wait.
        logger.warning("Could not keep the answer of an Idempotency-Key", exc_info=True)
    return response


def _free(cache_key):
    try:
        cache.delete(cache_key)
    except CACHE_ERRORS:
        logger.warning("Could not free an Idempotency-Key", exc_info=True)


def replayed(stored, fingerprint):
    if stored is None or stored["state"] == PENDING:
        raise IdempotencyConflict(KEY_IN_FLIGHT, code="idempotency_key_in_flight")
    if stored["fingerprint"] != fingerprint:
        raise IdempotencyConflict()
    # Location comes back with it: finalize_response derives it from the body.
    response = Response(stored["data"], status=stored["status"])
    response["Idempotent-Replayed"] = "true"
    # The first answer as it was: its language (whatever this retry asks for) and, if it
    # had one, the ETag of its body.
    response["Content-Language"] = stored.get("language", translation.get_language())
    if stored.get("etag", True):
        response.add_post_render_callback(set_response_etag)
    return response


class IdempotentCreateMixin:
    """A create is answered once per `Idempotency-Key` (`answered_once`)."""

    def create(self, request, *args, **kwargs):
        return answered_once(
            request, lambda: super(IdempotentCreateMixin, self).create(request, *args, **kwargs)
        )


class ReadShapedWritesMixin:
    """A create, update or partial update answers with the saved object as a GET of it
    answers: the retrieve serializer's body (null for an unknown ID, related rows as
    objects) and the same ETag. A 201 keeps its Location (APIConventionsMixin, from `url`).

    A view opts in with `answer_writes_as_read`; otherwise DRF answers with the write
    serializer. An object the writer may not read back (an unpublished film, for someone who
    may not see drafts) is answered with what the write serializer says of it."""

    answer_writes_as_read = False

    def create(self, request, *args, **kwargs):
        if not self.answer_writes_as_read:
            return super().create(request, *args, **kwargs)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.answer_as_read(serializer, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not self.answer_writes_as_read:
            return super().update(request, *args, **kwargs)
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return self.answer_as_read(serializer, status.HTTP_200_OK)

    def answer_as_read(self, serializer, status_code):
        try:
            data = read_representation(self, serializer.instance)
        except ObjectDoesNotExist:
            return Response(serializer.data, status=status_code)
        response = Response(data, status=status_code)
        # The ETag a GET sends (ConditionalGetMiddleware's, which skips other methods).
        response.add_post_render_callback(set_response_etag)
        return response
