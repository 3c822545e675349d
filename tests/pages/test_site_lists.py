"""The public list pages: home, lists index, list detail, the Atom feed."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Verification
from ops import query_budgets as budget
from tests.factories import (
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    DraftListFactory,
    FactFactory,
    FilmFactory,
    SourceFactory,
)
from tests.helpers import json_ld

pytestmark = pytest.mark.django_db


def make_list_with_entries(count, **list_fields):
    curated_list = CuratedListFactory(**list_fields)
    soviet_union = CountryFactory()
    for position in range(1, count + 1):
        film = FilmFactory()
        film.countries.add(soviet_union)
        CreditFactory(film=film)
        CuratedListEntryFactory(curated_list=curated_list, film=film, position=position)
    return curated_list


def test_home_shows_featured_and_recent_published_lists_but_no_drafts(client):
    CuratedListFactory(title="Featured love stories", featured=True)
    CuratedListFactory(title="Moscow on film")
    DraftListFactory(title="Unfinished draft")

    html = client.get(reverse("lists:home")).content.decode()

    assert "Featured love stories" in html
    assert "Moscow on film" in html
    assert "Unfinished draft" not in html
    assert 'action="/search/"' in html


def test_home_shows_confirmed_facts_but_never_a_disputed_one(client):
    FactFactory(text="A confirmed piece of trivia.", verification=Verification.CONFIRMED)
    FactFactory(text="A disputed piece of trivia.", verification=Verification.DISPUTED)

    html = client.get(reverse("lists:home")).content.decode()

    assert "A confirmed piece of trivia." in html
    assert "A disputed piece of trivia." not in html


@pytest.mark.parametrize("entries", [10, 40])
def test_home_query_count_does_not_grow_with_lists(client, django_assert_num_queries, entries):
    for _ in range(entries // 5):
        make_list_with_entries(5, featured=True)
        FactFactory(verification=Verification.CONFIRMED)
    with django_assert_num_queries(budget.HOME):
        assert client.get(reverse("lists:home")).status_code == 200


def test_list_index_pages_through_published_lists(client):
    for _ in range(3):
        CuratedListFactory()
    DraftListFactory(title="Hidden draft")

    html = client.get(reverse("lists:list-index")).content.decode()

    assert html.count('class="list-card"') == 3
    assert "Hidden draft" not in html


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1.5", "%00"])
def test_list_index_survives_any_page_value(client, page):
    CuratedListFactory()
    assert client.get(reverse("lists:list-index"), {"page": page}).status_code == 200


def test_list_page_shows_ranked_film_cards(client):
    source = SourceFactory(title="Ten Moscow films", url="https://example.com/moscow")
    curated_list = CuratedListFactory(title="Moscow films", source=source)
    film = FilmFactory(
        title="Moscow Does Not Believe in Tears",
        original_title="Москва слезам не верит",
        original_language="ru",
        release_year=1979,
    )
    film.countries.add(CountryFactory())
    CreditFactory(film=film, person__name="Vladimir Menshov")
    CuratedListEntryFactory(
        curated_list=curated_list,
        film=film,
        position=1,
        blurb="Three friends arrive in Moscow.",
        fact="It won the Oscar.",
    )

    html = client.get(curated_list.get_absolute_url()).content.decode()

    assert '<li class="entry entry--unverified" value="1">' in html
    assert "Moscow Does Not Believe in Tears" in html
    assert '<p class="film-card__original" lang="ru">Москва слезам не верит</p>' in html
    assert "1979" in html
    assert "Vladimir Menshov" in html
    assert "Soviet Union" in html
    assert "Three friends arrive in Moscow." in html
    assert "It won the Oscar." in html
    assert 'href="https://example.com/moscow"' in html


def test_disputed_entry_shows_its_correction(client):
    entry = CuratedListEntryFactory(
        fact="It was filmed in Paris.",
        verification=Verification.DISPUTED,
        verification_note="It was filmed in Moscow, not Paris.",
    )

    html = client.get(entry.curated_list.get_absolute_url()).content.decode()

    assert "It was filmed in Paris." in html
    assert "Disputed" in html
    assert "<strong>Correction:</strong> It was filmed in Moscow, not Paris." in html


def test_list_page_links_to_previous_and_next_lists(client):
    now = timezone.now()
    older = CuratedListFactory(title="Older list", published_at=now - timedelta(days=2))
    middle = CuratedListFactory(title="Middle list", published_at=now - timedelta(days=1))
    newer = CuratedListFactory(title="Newer list", published_at=now)

    html = client.get(middle.get_absolute_url()).content.decode()

    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html


def test_draft_list_is_hidden_from_visitors(client):
    draft = DraftListFactory()
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_editor_sees_a_draft_with_a_preview_banner(client, editor):
    draft = DraftListFactory(title="Work in progress")
    client.force_login(editor)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert b"this list is a draft" in response.content


def test_published_list_has_no_preview_banner(client):
    curated_list = CuratedListFactory()
    assert b"this list is a draft" not in client.get(curated_list.get_absolute_url()).content


def test_unknown_list_slug_is_a_404_page(client):
    response = client.get(reverse("lists:list-detail", kwargs={"slug": "no-such-list"}))
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.parametrize("entries", [10, 100])
def test_list_page_query_count_is_constant(client, django_assert_num_queries, entries):
    now = timezone.now()
    CuratedListFactory(published_at=now - timedelta(days=1))
    curated_list = make_list_with_entries(entries, published_at=now - timedelta(hours=1))
    CuratedListFactory(published_at=now)

    with django_assert_num_queries(budget.LIST_PAGE):
        response = client.get(curated_list.get_absolute_url())

    assert response.content.decode().count('class="entry entry--') == entries


def test_list_page_describes_itself_as_an_item_list(client):
    import json

    curated_list = make_list_with_entries(3, title="Three films")

    data = json.loads(json_ld(client.get(curated_list.get_absolute_url()).content.decode()))

    assert data["@type"] == "ItemList"
    assert data["name"] == "Three films"
    assert [item["position"] for item in data["itemListElement"]] == [1, 2, 3]
    assert all(item["@type"] == "ListItem" for item in data["itemListElement"])
    assert data["itemListElement"][0]["item"]["url"].startswith("http://testserver/films/")


def test_a_blurb_cannot_break_out_of_the_structured_data(client):
    import json

    attack = "</script><script>alert(1)</script>"
    entry = CuratedListEntryFactory(blurb=attack)

    html = client.get(entry.curated_list.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    block = json_ld(html)
    assert "</script>" not in block
    assert json.loads(block)["itemListElement"][0]["item"]["description"] == attack


def test_list_page_has_social_and_canonical_meta(client):
    curated_list = CuratedListFactory(title="Love stories", introduction="Films about love.")

    html = client.get(curated_list.get_absolute_url()).content.decode()

    url = f"http://testserver{curated_list.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:title" content="Love stories">' in html
    assert '<meta property="og:description" content="Films about love.">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_list_page_answers_a_conditional_get_with_304(client):
    curated_list = make_list_with_entries(2)
    first = client.get(curated_list.get_absolute_url())
    assert first.has_header("ETag")
    # No date: a list's page changes with edits that leave every timestamp as it was.
    assert not first.has_header("Last-Modified")

    by_etag = client.get(curated_list.get_absolute_url(), headers={"if-none-match": first["ETag"]})

    assert by_etag.status_code == 304


def test_unpublishing_one_of_its_films_changes_a_list_pages_etag(client):
    curated_list = make_list_with_entries(2)
    first = client.get(curated_list.get_absolute_url())
    film = curated_list.entries.first().film
    assert film.title.encode() in first.content

    film.is_published = False
    film.save()
    again = client.get(curated_list.get_absolute_url(), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert film.title.encode() not in again.content


def test_editing_a_list_changes_its_etag(client):
    curated_list = make_list_with_entries(2)
    first = client.get(curated_list.get_absolute_url())

    curated_list.title = "A better title"
    curated_list.save()
    again = client.get(curated_list.get_absolute_url(), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert b"A better title" in again.content


def test_feed_lists_newly_published_lists_only(client):
    CuratedListFactory(title="Published list")
    DraftListFactory(title="Draft list")

    response = client.get(reverse("lists:feed"))

    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"Published list" in response.content
    assert b"Draft list" not in response.content


def test_sitemap_names_published_lists_but_not_drafts(client):
    published = CuratedListFactory()
    draft = DraftListFactory()
    film = FilmFactory()

    xml = "".join(
        client.get(f"/sitemap-{section}.xml").content.decode() for section in ("lists", "films")
    )

    assert published.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml
    assert film.get_absolute_url() in xml


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert b"Sitemap: http://testserver/sitemap.xml" in response.content


def test_robots_txt_keeps_search_results_out_of_indexes_in_both_languages(client):
    rules = client.get("/robots.txt").content.decode().splitlines()
    assert {"Disallow: /search/", "Disallow: /ru/search/"} <= set(rules)


def test_structured_data_carries_the_pages_csp_nonce(client):
    curated_list = make_list_with_entries(1)

    response = client.get(curated_list.get_absolute_url())

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script type="application/ld+json" nonce="{nonce}">' in response.content.decode()


# --- Home: whole sentences, each list once ---


def test_home_shows_a_featured_list_once(client):
    CuratedListFactory(title="Featured love stories", featured=True)
    CuratedListFactory(title="Moscow on film")

    html = client.get(reverse("lists:home")).content.decode()

    assert html.count("Featured love stories</a>") == 1
    assert html.count("Moscow on film</a>") == 1


def test_home_quotes_facts_that_are_whole_sentences_only(client):
    FactFactory(text="It was banned there for satire.", verification=Verification.CONFIRMED)
    FactFactory(
        text="it was banned there for making fun of one of the country’s rulers.",
        verification=Verification.CONFIRMED,
    )

    html = client.get(reverse("lists:home")).content.decode()

    assert "It was banned there for satire." in html
    assert "making fun of" not in html


def test_list_card_cuts_a_long_introduction_at_a_sentence_end(client):
    first = "Moscow has a lot to offer for both national and international filmmakers."
    CuratedListFactory(introduction=f"{first} {'The city is known for its treasures. ' * 20}")

    html = client.get(reverse("lists:list-index")).content.decode()

    card = html[html.index('<article class="list-card">') :]
    paragraph = card[card.index("</p>") + 4 :]
    paragraph = paragraph[paragraph.index("<p>") + 3 : paragraph.index("</p>")]
    assert paragraph.startswith(first) and paragraph.endswith(".")
    assert len(paragraph) <= 220


# --- List page: compact view, jump menu ---


def test_list_page_has_a_jump_menu_to_each_entry(client):
    curated_list = make_list_with_entries(3)

    html = client.get(curated_list.get_absolute_url()).content.decode()

    assert "<summary>Jump to a film</summary>" in html
    for position in (1, 2, 3):
        assert f'href="#entry-{position}"' in html
        assert f'id="entry-{position}"' in html


def test_compact_view_numbers_titles_with_year_director_and_badges(client):
    curated_list = make_list_with_entries(2, slug="moscow")
    entry = curated_list.entries.get(position=2)
    entry.verification = Verification.DISPUTED
    entry.blurb = "A long blurb nobody needs in the compact view."
    entry.save()
    film = entry.film
    director = film.credits.get().person

    html = client.get(curated_list.get_absolute_url(), {"view": "compact"}).content.decode()
    main = html[html.index("<main") : html.index("</main>")]

    # The entry's small poster (pictures) comes first in the item, then the linked title.
    item = main[main.index('<li value="2">') :]
    assert f'<a href="{film.get_absolute_url()}?list=moscow">{film.title}</a>' in item
    assert f"({film.release_year})" in main and director.name in main
    assert "Disputed text" in main
    assert "A long blurb nobody needs" not in main
    assert '<span aria-current="page">Compact view</span>' in main


def test_full_view_links_films_with_their_list(client):
    curated_list = make_list_with_entries(1, slug="moscow")
    film = curated_list.entries.get().film

    html = client.get(curated_list.get_absolute_url()).content.decode()

    assert f'<a href="{film.get_absolute_url()}?list=moscow">{film.title}</a></h2>' in html
    assert '<a href="?view=compact">Compact view</a>' in html


@pytest.mark.parametrize("entries", [10, 100])
def test_compact_view_query_count_is_constant(client, django_assert_num_queries, entries):
    curated_list = make_list_with_entries(entries)
    with django_assert_num_queries(budget.LIST_PAGE):
        response = client.get(curated_list.get_absolute_url(), {"view": "compact"})
    assert response.content.decode().count("<li value=") == entries


def test_an_entry_without_text_has_no_mark_about_text(client):
    curated_list = make_list_with_entries(1, slug="bare")
    entry = curated_list.entries.get()
    entry.verification = Verification.UNVERIFIED
    entry.blurb = entry.fact = ""
    entry.save()

    for view in ({}, {"view": "compact"}):
        html = client.get(curated_list.get_absolute_url(), view).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert "Unverified text" not in main
        assert "text below" not in main
