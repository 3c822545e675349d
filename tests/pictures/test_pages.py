"""Pictures on the public pages: posters on cards, list entries and the film page, portraits,
credit and licence under each, the picture's own page, and constant query counts."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ops import query_budgets as budget
from pictures.choices import Licence, PictureKind
from pictures.services import add_picture
from tests.factories import (
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    DraftListFactory,
    FilmFactory,
    PersonFactory,
)
from tests.helpers import json_ld
from tests.pictures.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


def add_poster(film, **fields):
    credit = {
        "alt_text": f"Poster of {film.title}",
        "licence": Licence.CC_BY_SA_4,
        "author": "Mosfilm",
    }
    return add_picture(film, upload(image_bytes()), kind=PictureKind.POSTER, **{**credit, **fields})


def add_public_domain_picture(owner, kind, alt_text, size=(300, 450)):
    """A public-domain picture of `owner` (a film, a person, a list), `size` = (width, height)."""
    return add_picture(
        owner,
        upload(image_bytes(*size)),
        kind=kind,
        alt_text=alt_text,
        licence=Licence.PUBLIC_DOMAIN,
    )


def img_tags(html):
    return re.findall(r"<img [^>]*>", html)


def test_the_film_page_shows_the_poster_with_sources_sizes_and_credit(client):
    film = FilmFactory(title="Stalker")
    poster = add_poster(film)
    html = client.get(film.get_absolute_url()).content.decode()
    assert '<source type="image/avif"' in html and '<source type="image/webp"' in html
    [img] = [tag for tag in img_tags(html) if "Poster of Stalker" in tag]
    assert 'width="160"' in img and 'height="240"' in img
    assert 'fetchpriority="high"' in img and 'loading="lazy"' not in img
    assert f'href="{poster.get_absolute_url()}">Mosfilm, CC BY-SA 4.0</a>' in html


def test_the_film_page_preloads_its_poster_and_names_it_for_sharing(client):
    film = FilmFactory()
    add_poster(film)
    html = client.get(film.get_absolute_url()).content.decode()
    assert re.search(
        r'<link rel="preload" as="image" type="image/avif" imagesrcset="[^"]+160w"', html
    )
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/pictures/renditions/[^"]+\.jpg">',
        html,
    )
    image = json.loads(json_ld(html))["image"]
    assert image["@type"] == "ImageObject" and image["creditText"] == "Mosfilm"
    assert image["contentUrl"].startswith("http://testserver/media/pictures/renditions/")
    assert image["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert image["acquireLicensePage"].startswith("http://testserver/pictures/film/")


def test_a_film_without_a_picture_gets_its_typographic_poster(client):
    film = FilmFactory(title="Солярис", release_year=1972)
    html = client.get(reverse("catalogue:film-browse")).content.decode()
    [img] = [tag for tag in img_tags(html) if "/pictures/generated/films/" in tag]
    assert 'width="400" height="600"' in img and 'loading="lazy"' in img
    assert "og:image" not in client.get(film.get_absolute_url()).content.decode()


@pytest.mark.parametrize("films", [1, 4])
def test_browse_cards_show_lazy_posters_in_constant_queries(
    client, films, django_assert_num_queries
):
    for _ in range(films):
        add_poster(FilmFactory())
    with django_assert_num_queries(budget.browse_page()):
        html = client.get(reverse("catalogue:film-browse")).content.decode()
    posters = [tag for tag in img_tags(html) if "Poster of" in tag]
    assert len(posters) == films and all('loading="lazy"' in tag for tag in posters)


@pytest.mark.parametrize("entries", [1, 6])
def test_list_entries_show_posters_in_constant_queries(client, entries, django_assert_num_queries):
    curated_list = CuratedListFactory()
    for position in range(1, entries + 1):
        film = FilmFactory()
        CreditFactory(film=film)
        add_poster(film)
        CuratedListEntryFactory(curated_list=curated_list, film=film, position=position)
    with django_assert_num_queries(budget.LIST_PAGE):
        html = client.get(curated_list.get_absolute_url()).content.decode()
    assert html.count('class="picture picture--card"') == entries


def test_search_results_show_posters(client):
    add_poster(FilmFactory(title="Moscow Does Not Believe in Tears"))
    html = client.get(reverse("catalogue:search"), {"q": "moscow"}).content.decode()
    [img] = [tag for tag in img_tags(html) if "Poster of Moscow" in tag]
    assert 'sizes="48px"' in img and 'loading="lazy"' in img


def test_the_compact_list_view_shows_small_posters(client):
    curated_list = CuratedListFactory()
    film = FilmFactory(title="Stalker")
    add_poster(film)
    CuratedListEntryFactory(curated_list=curated_list, film=film, position=1)
    compact = client.get(curated_list.get_absolute_url(), {"view": "compact"}).content.decode()
    assert 'class="picture picture--thumb"' in compact
    reading = client.get(curated_list.get_absolute_url()).content.decode()
    assert 'class="picture picture--thumb"' not in reading  # the jump menu stays text


def test_a_list_cover_shows_on_its_page(client):
    curated_list = CuratedListFactory()
    cover = add_public_domain_picture(
        curated_list, PictureKind.COVER, "Cranes over Moscow", size=(1000, 500)
    )
    html = client.get(curated_list.get_absolute_url()).content.decode()
    assert 'class="picture picture--wide"' in html and "Cranes over Moscow" in html
    assert cover.get_absolute_url() in html


def test_a_person_page_shows_the_portrait_or_initials(client):
    person = PersonFactory(name="Andrei Tarkovsky")
    html = client.get(person.get_absolute_url()).content.decode()
    assert "/pictures/generated/people/" in html
    add_public_domain_picture(person, PictureKind.PORTRAIT, "Tarkovsky on set")
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Tarkovsky on set" in html


def test_a_pictures_own_page_gives_its_credit_source_and_licence(client):
    poster = add_poster(
        FilmFactory(title="Stalker"),
        source_url="https://commons.example.org/Stalker.jpg",
        licence=Licence.FAIR_USE,
        licence_note="Identification only.",
    )
    html = client.get(poster.get_absolute_url()).content.decode()
    assert "Poster of Stalker" in html
    assert "Mosfilm" in html and "https://commons.example.org/Stalker.jpg" in html
    assert "Fair use: Identification only." in html
    assert "Unverified" in html


def test_a_draft_lists_cover_is_as_private_as_the_list(client):
    cover = add_public_domain_picture(
        DraftListFactory(), PictureKind.COVER, "Cover", size=(960, 480)
    )
    assert client.get(cover.get_absolute_url()).status_code == 404


def test_a_draft_films_picture_is_as_private_as_the_film(client, editor_client):
    still = add_public_domain_picture(
        FilmFactory(is_published=False), PictureKind.STILL, "A still", size=(960, 540)
    )

    assert client.get(still.get_absolute_url()).status_code == 404
    assert editor_client.get(still.get_absolute_url()).status_code == 200


def test_the_portrait_of_someone_known_only_through_draft_films_is_private(client, editor_client):
    person = PersonFactory(name="Zakhar Draftov")
    CreditFactory(person=person, film=FilmFactory(is_published=False))
    portrait = add_public_domain_picture(
        person, PictureKind.PORTRAIT, "Zakhar Draftov", size=(400, 500)
    )

    assert client.get(portrait.get_absolute_url()).status_code == 404
    assert client.get("/ru" + portrait.get_absolute_url()).status_code == 404
    assert editor_client.get(portrait.get_absolute_url()).status_code == 200


def test_an_unknown_kind_of_picture_is_not_found(client):
    assert client.get("/pictures/spaceship/1/").status_code == 404


def add_cover(curated_list, **fields):
    return add_picture(
        curated_list,
        upload(image_bytes(1200, 400)),
        kind=PictureKind.COVER,
        **{"alt_text": f"Cover of {curated_list.title}", "licence": Licence.CC0, **fields},
    )


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("lists", [1, 5])
def test_home_list_cards_show_covers_in_the_same_queries(client, lists, django_assert_num_queries):
    for index in range(lists):
        add_cover(CuratedListFactory(featured=index % 2 == 0))
    with django_assert_num_queries(budget.HOME):
        html = client.get(reverse("lists:home")).content.decode()
    covers = [tag for tag in img_tags(html) if "Cover of" in tag]
    assert len(covers) == lists
    assert all('width="480" height="160"' in tag for tag in covers)
    # The first card is at the top of the page; the others wait until the reader scrolls.
    first, *others = covers
    assert 'fetchpriority="high"' in first and 'loading="lazy"' not in first
    assert all('loading="lazy"' in tag for tag in others)


def test_the_lists_index_shows_covers_without_a_query_more(client):
    lists = CuratedListFactory.create_batch(4)
    index = reverse("lists:list-index")
    without_covers = query_count(client, index)
    for curated_list in lists:
        add_cover(curated_list, author="Mosfilm")
    cache.clear()
    assert query_count(client, index) == without_covers
    html = client.get(index).content.decode()
    assert html.count('class="picture picture--listcard-top"') == 1
    assert html.count('class="picture picture--listcard"') == 3
    assert html.count("Mosfilm, CC0 1.0</a>") == 4


def test_a_search_thumbnail_carries_no_hidden_credit_line(client):
    poster = add_poster(FilmFactory(title="Moscow Does Not Believe in Tears"))
    html = client.get(reverse("catalogue:search"), {"q": "moscow"}).content.decode()
    assert "Poster of Moscow" in html
    assert poster.get_absolute_url() not in html
    assert "Mosfilm" not in html


def test_licence_names_are_russian_on_russian_pages(client):
    film = FilmFactory(title="Stalker")
    poster = add_poster(film, licence=Licence.PUBLIC_DOMAIN)
    for url in (film.get_absolute_url(), poster.get_absolute_url()):
        html = client.get("/ru" + url).content.decode()
        assert "Общественное достояние" in html
        assert "Public domain" not in html


def test_a_pictures_own_page_on_ru_is_titled_and_headed_in_russian(client):
    poster = add_poster(FilmFactory(title="Stalker", original_title="Сталкер"))
    with translation.override("ru"):
        url = poster.get_absolute_url()
    html = client.get(url).content.decode()
    assert "<title>Постер: Сталкер · Кинотека</title>" in html
    assert '<meta property="og:title" content="Постер: Сталкер">' in html
    assert re.search(r"<h1>Постер: <a [^>]*>Сталкер</a></h1>", html)
    assert "Stalker" not in re.search(r"<title>.*</title>", html).group()


def test_a_list_covers_page_on_ru_names_the_list_by_its_russian_title(client):
    curated_list = CuratedListFactory(title_en="Thaw films", title_ru="Фильмы оттепели")
    cover = add_public_domain_picture(curated_list, PictureKind.COVER, "Cover", size=(1200, 600))
    with translation.override("ru"):
        html = client.get(cover.get_absolute_url()).content.decode()
    assert "<title>Обложка: Фильмы оттепели · Кинотека</title>" in html
    assert "Thaw films" not in html
