"""An editor's own API tokens, as a page of the admin: create one (shown once), revoke any."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.tokens import TokenError, issue_token, live_tokens_of, revoke_token

TOKEN_REVOKED = _("The token was revoked: programs using it can no longer sign in.")
TOKEN_NOT_FOUND = _("No such token of yours: it was already revoked or has expired.")


@never_cache  # the page shows a new token once; no cache may keep a copy
@require_http_methods(["GET", "POST"])
def own_tokens(request):
    """GET lists the signed-in user's live tokens; POST creates one, or revokes `revoke`."""
    new_token = None
    if request.method == "POST":
        if "revoke" in request.POST:
            if revoke_token(request.user, request.POST["revoke"]):
                messages.success(request, TOKEN_REVOKED)
            else:
                messages.error(request, TOKEN_NOT_FOUND)
            return redirect("admin-own-tokens")
        try:
            token_row, new_token = issue_token(request.user)
        except TokenError as error:
            messages.error(request, str(error))
            return redirect("admin-own-tokens")
    context = {
        **admin.site.each_context(request),
        "title": _("Your API tokens"),
        "tokens": live_tokens_of(request.user),
        "new_token": new_token,
    }
    return TemplateResponse(request, "api/own_tokens.html", context)
