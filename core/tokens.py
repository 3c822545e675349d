"""API tokens (django-rest-knox): the database keeps only a SHA-512 digest of each token,
and each expires after settings.REST_KNOX["TOKEN_TTL"]. A new token is shown once, to the
user it belongs to; each user sees and revokes only their own.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

TOKEN_LIMIT_REACHED = _(
    "You already hold {limit} live tokens: revoke one you no longer use before creating another."
)


class TokenError(Exception):
    """A token request refused, with a message the user can act on."""


def live_tokens_of(user):
    """`user`'s tokens that still work, newest first (expired ones are removed)."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.filter(user=user).order_by("-created")


@transaction.atomic
def issue_token(user):
    """A new token for `user`: (its row, the token itself, which is never stored or shown
    again). Refused past the per-user limit."""
    limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    # Lock the user's row: two requests at once cannot both squeeze in under the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if live_tokens_of(user).count() >= limit:
        raise TokenError(TOKEN_LIMIT_REACHED.format(limit=limit))
    return AuthToken.objects.create(user=user)


def revoke_token(user, digest):
    """Delete `user`'s token with this digest; True if there was one (never another user's)."""
    deleted, _ = AuthToken.objects.filter(user=user, digest=digest).delete()
    return bool(deleted)
