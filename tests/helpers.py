"""Helpers that several test modules share: reading responses, filling admin forms, logging in
a browser. Import them by name (fixtures live in the conftest.py files)."""

import re

from django.contrib.messages import get_messages
from django.urls import reverse

JSON_LD = re.compile(r'<script\b[^>]*\btype="application/ld\+json"[^>]*>(.*?)</script>', re.S)


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements_run(context):
    """The SQL a CaptureQueriesContext saw, leaving out transaction control."""
    statements = [query["sql"] for query in context.captured_queries]
    return [sql for sql in statements if not sql.startswith(TRANSACTION_CONTROL)]


def slugs(response):
    """The slugs of an API list response's results, in order."""
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def messages_of(response):
    """The texts of the messages (django.contrib.messages) the response's request left."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_form_data(response, **changes):
    """The POST data of a rendered admin add/change form: every field as shown, then changes."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    data["_save"] = "Save"
    data.update(changes)
    return data


def json_ld_blocks(html):
    """The text of every JSON-LD <script> block of a page, as sent (not yet parsed)."""
    return JSON_LD.findall(html)


def json_ld(html):
    """The page's one JSON-LD block, as sent (not yet parsed)."""
    blocks = json_ld_blocks(html)
    assert len(blocks) == 1, blocks
    return blocks[0]


def entry_titles(curated_list):
    """The titles of a list's films, in the list's stored order."""
    return list(curated_list.entries.order_by("position").values_list("film__title", flat=True))


def log_in_to_admin(page, live_server, username, password):
    """Log a Playwright page in through the admin's login form, as a person would."""
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))


def cache_state(response):
    """ "hit" or "miss" for a response the response cache served, None if it stood aside."""
    return response.get("X-Kinoteka-Cache")


def error_fields(response):
    """An API error body as {attr: [message, ...]}, "detail" standing for errors about the whole
    request (attr null), after checking the body has the one error shape with codes."""
    body = response.json()
    assert body["type"] in ("validation_error", "client_error", "server_error"), body
    fields = {}
    for error in body["errors"]:
        assert error["code"], error
        fields.setdefault(error["attr"] or "detail", []).append(error["detail"])
    return fields


def error_codes(response):
    """The codes of an API error body, by attr ("detail" for the whole request)."""
    return {error["attr"] or "detail": error["code"] for error in response.json()["errors"]}
