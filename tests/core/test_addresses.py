"""An object's address from its slug is the address Django's `reverse()` gives, in every
language and under a script prefix (a site served below a path)."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from core.addresses import slug_url

VIEWS = ["catalogue:film-detail", "catalogue:person-detail", "lists:list-detail"]


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_address_is_the_one_reverse_gives(view, language):
    with translation.override(language):
        for slug in ("stalker", "the-cranes-are-flying-1957", "a_b-2"):
            assert slug_url(view, slug) == reverse(view, kwargs={"slug": slug})


def test_a_script_prefix_is_kept(script_prefix):
    slug_url("catalogue:film-detail", "stalker")  # learnt without a prefix first
    script_prefix("/kinoteka/")
    assert slug_url("catalogue:film-detail", "stalker") == "/kinoteka/films/stalker/"


def test_a_slug_no_address_can_hold_still_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        slug_url("catalogue:film-detail", "")
    with pytest.raises(NoReverseMatch):
        slug_url("catalogue:film-detail", "две слова")
