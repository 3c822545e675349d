"""The pages' Jinja2 templates behave as Django's did: text is escaped exactly once wherever
it is shown, a date is in the current time zone, and a missing name (anything read from it, a
method called on it) shows nothing."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.template.backends.jinja2 import Jinja2

from catalogue.models import CreditRole
from tests.factories import CreditFactory, CuratedListEntryFactory, FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db

AWKWARD = 'O\'Brien & "Co" <b>'
# What text escaped twice looks like: an entity whose own ampersand was escaped again.
TWICE_ESCAPED = ("&amp;amp;", "&amp;#", "&amp;lt;", "&amp;gt;", "&amp;quot;")


@pytest.fixture
def awkward_pages():
    person = PersonFactory(name=f"Prolific {AWKWARD}", native_name="")
    film = FilmFactory(title=f"Night of {AWKWARD}", original_title="", synopsis=AWKWARD)
    CreditFactory(film=film, person=person, role=CreditRole.DIRECTOR)
    entry = CuratedListEntryFactory(
        film=film, curated_list__title=f"List of {AWKWARD}", blurb=AWKWARD, fact=AWKWARD
    )
    return [
        person.get_absolute_url(),
        film.get_absolute_url(),
        entry.curated_list.get_absolute_url(),
        entry.curated_list.get_absolute_url() + "?view=compact",
        "/search/?q=" + "Prolific",
    ]


@pytest.mark.parametrize("prefix", ["", "/ru"])
def test_text_with_quotes_ampersands_and_markup_is_escaped_once_everywhere(
    client, awkward_pages, prefix
):
    for path in awkward_pages:
        html = client.get(prefix + path).content.decode()
        assert [mark for mark in TWICE_ESCAPED if mark in html] == [], path
        assert "<b>" not in html.split("</head>")[1].replace("<b>Fact", ""), path


def test_a_person_s_description_for_search_engines_is_their_name_escaped_once(client):
    person = PersonFactory(name=f"Prolific {AWKWARD}", native_name="")
    html = client.get(person.get_absolute_url()).content.decode()
    description = html.split('<meta name="description" content="')[1].split('"')[0]
    assert description.startswith("Prolific O&#39;Brien &amp; &#34;Co&#34; &lt;b&gt;")


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_name_and_anything_read_from_it_show_nothing(settings, debug):
    settings.DEBUG = debug
    engine = Jinja2(
        {
            "NAME": "pages",
            "DIRS": [],
            "APP_DIRS": False,
            "OPTIONS": {"environment": "pages.templating.environment"},
        }
    )
    template = engine.from_string(
        "[{{ missing }}|{{ missing.a.b }}|{{ film.title }}|{{ film.get_absolute_url() }}]"
    )
    assert template.render({"film": None}) == "[|||]"


def test_a_date_is_shown_in_the_current_time_zone(settings):
    settings.TIME_ZONE = "Asia/Vladivostok"  # UTC+10
    template = engines["jinja2"].from_string("{{ moment|date('Y-m-d H:i') }}")
    moment = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)
    assert template.render({"moment": moment}) == "2026-01-02 06:00"
