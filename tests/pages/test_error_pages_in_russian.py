"""The error pages speak the reader's language: rendered without a request context, they
read the language the middleware activated before the error."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.views.defaults import bad_request, permission_denied, server_error

from tests.pages.test_russian_pages import english_left_in

PAGES = {
    "500": lambda request: server_error(request),
    "400": lambda request: bad_request(request, ValueError("bad")),
    "403": lambda request: permission_denied(request, PermissionDenied()),
}


@pytest.mark.parametrize("status", PAGES)
def test_an_error_page_is_russian_for_a_russian_reader(rf, status):
    with translation.override("ru"):
        response = PAGES[status](rf.get("/ru/"))
    html = response.content.decode()

    assert response.status_code == int(status)
    assert '<html lang="ru">' in html
    assert 'href="/ru/"' in html
    assert english_left_in(html) == [], html


@pytest.mark.parametrize("status", PAGES)
def test_an_error_page_is_english_for_everyone_else(rf, status):
    with translation.override("en"):
        html = PAGES[status](rf.get("/")).content.decode()

    assert '<html lang="en">' in html
    assert "Kinoteka" in html
