"""The list admin without traps: ▲▼ by one place, the film autocomplete, a duplicate row
marked, prose boxes big enough, and the admin's name and breadcrumbs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lists.admin import ALREADY_IN_LIST_MESSAGE, DUPLICATE_FILM_MESSAGE
from tests.factories import CuratedListEntryFactory, DraftListFactory, FilmFactory
from tests.helpers import change_form_data, entry_titles, messages_of

pytestmark = pytest.mark.django_db


def make_list(size=3):
    curated_list = DraftListFactory()
    for position in range(1, size + 1):
        CuratedListEntryFactory(
            curated_list=curated_list, position=position, film=FilmFactory(title=f"Film {position}")
        )
    return curated_list


def change_url(curated_list):
    return reverse("admin:lists_curatedlist_change", args=[curated_list.pk])


def press_move(client, curated_list, index, direction, **changes):
    """Press ▲ or ▼ of the entry shown in inline form `index`, as a browser sends it."""
    data = change_form_data(client.get(change_url(curated_list)), **changes)
    del data["_save"]
    data["_move"] = f"{index}:{direction}"
    return client.post(change_url(curated_list), data)


# --- ▲▼ move an entry by one place -----------------------------------------------------------


def test_each_entry_has_up_and_down_buttons_that_work_without_javascript(editor_client):
    html = editor_client.get(change_url(make_list(3))).text

    assert html.count('name="_move" value="0:up"') == 1
    assert html.count('class="move-down"') == 3
    assert 'class="move-begin"' not in html  # no more "to the top" only


def test_up_moves_an_entry_one_place_up(editor_client):
    curated_list = make_list(4)

    response = press_move(editor_client, curated_list, 2, "up")

    assert response.status_code == 302
    assert response["Location"].endswith(change_url(curated_list) + "#entries-group")
    assert entry_titles(curated_list) == ["Film 1", "Film 3", "Film 2", "Film 4"]


def test_down_moves_an_entry_one_place_down(editor_client):
    curated_list = make_list(4)

    press_move(editor_client, curated_list, 0, "down")

    assert entry_titles(curated_list) == ["Film 2", "Film 1", "Film 3", "Film 4"]


@pytest.mark.parametrize(("index", "direction"), [(0, "up"), (2, "down")])
def test_moving_past_either_end_changes_nothing(editor_client, index, direction):
    curated_list = make_list(3)

    press_move(editor_client, curated_list, index, direction)

    assert entry_titles(curated_list) == ["Film 1", "Film 2", "Film 3"]


def test_a_move_also_saves_the_other_edits_of_the_form(editor_client):
    curated_list = make_list(2)

    press_move(editor_client, curated_list, 1, "up", title_en="Renamed")

    curated_list.refresh_from_db()
    assert curated_list.title == "Renamed"
    assert entry_titles(curated_list) == ["Film 2", "Film 1"]


@pytest.mark.parametrize("value", ["9:up", "x:up", "0:sideways", "", "99999999999999999999:down"])
def test_a_forged_move_changes_no_order_and_is_no_error(editor_client, value):
    curated_list = make_list(3)
    data = change_form_data(editor_client.get(change_url(curated_list)))
    del data["_save"]
    data["_move"] = value

    response = editor_client.post(change_url(curated_list), data)

    assert response.status_code == 302
    assert entry_titles(curated_list) == ["Film 1", "Film 2", "Film 3"]


def test_enter_in_a_field_saves_rather_than_moving_an_entry(editor_client):
    """The form's first submit button (the one Enter presses) is a save button."""
    html = editor_client.get(change_url(make_list(2))).text
    form = html[html.index('id="curatedlist_form"') :]

    assert form.index('name="_save"') < form.index('name="_move"')


# --- The film autocomplete and duplicates ------------------------------------------------------


def autocomplete(client, term, curated_list=None):
    params = {
        "term": term,
        "app_label": "lists",
        "model_name": "curatedlistentry",
        "field_name": "film",
    }
    if curated_list is not None:
        params["exclude_list"] = curated_list.pk
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_list_form_sends_its_list_with_each_film_search(editor_client):
    curated_list = make_list(1)

    html = editor_client.get(change_url(curated_list)).text

    assert f'data-ajax--url="/admin/autocomplete/?exclude_list={curated_list.pk}"' in html


def test_the_film_autocomplete_leaves_out_films_already_in_the_list(editor_client):
    curated_list = make_list(2)
    FilmFactory(title="Film 9")

    offered = autocomplete(editor_client, "Film", curated_list)

    assert [text.split(" (")[0] for text in offered] == ["Film 9"]
    assert len(autocomplete(editor_client, "Film")) == 3  # elsewhere every film is offered


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1"])
def test_a_nonsense_list_in_the_autocomplete_is_ignored(editor_client, value):
    make_list(1)
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Film",
            "app_label": "lists",
            "model_name": "curatedlistentry",
            "field_name": "film",
            "exclude_list": value,
        },
    )

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_adding_a_film_the_list_holds_marks_the_new_row_and_saves_nothing(editor_client):
    curated_list = make_list(2)
    film = curated_list.entries.get(position=1).film
    data = change_form_data(editor_client.get(change_url(curated_list)), title_en="Renamed")
    data.update(
        {
            "entries-TOTAL_FORMS": "3",
            "entries-2-film": str(film.pk),
            "entries-2-verification": "unverified",
        }
    )

    response = editor_client.post(change_url(curated_list), data)

    assert response.status_code == 200
    assert DUPLICATE_FILM_MESSAGE.format(film=film) in response.text
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[2].errors["film"] == [ALREADY_IN_LIST_MESSAGE]
    assert "film" not in formset.forms[0].errors
    curated_list.refresh_from_db()
    assert curated_list.title != "Renamed"


# --- Boxes, names, breadcrumbs, timestamps ----------------------------------------------------


def test_blurbs_and_facts_edit_in_six_line_boxes(editor_client):
    html = editor_client.get(change_url(make_list(1))).text

    assert 'name="entries-0-blurb_en" cols="30" rows="6"' in html
    assert 'name="entries-0-fact_en" cols="30" rows="6"' in html


def test_the_admin_is_branded_kinoteka(editor_client):
    html = editor_client.get(reverse("admin:index")).text

    assert "Kinoteka" in html
    assert "Django administration" not in html
    assert "<title>Catalogue and lists | Kinoteka admin</title>" in html


def test_breadcrumbs_name_the_app_and_the_model_once_each(editor_client):
    html = editor_client.get(reverse("admin:lists_curatedlist_changelist")).text
    start = html.index('class="breadcrumbs"')
    crumbs = html[start : html.index("</div>", start)]

    assert ">Lists</a>" in crumbs
    assert crumbs.count("Curated lists") == 1


def test_publication_dates_read_as_dates_people_use(editor_client):
    curated_list = make_list(1)
    curated_list.status = "published"
    curated_list.published_at = timezone.now() - timedelta(days=3)
    curated_list.save()

    html = editor_client.get(reverse("admin:lists_curatedlist_changelist")).text

    assert "(3\xa0days ago)" in html
    assert f'<time datetime="{timezone.localtime(curated_list.published_at).isoformat()}"' in html


def test_a_move_says_the_list_was_saved(editor_client):
    curated_list = make_list(2)

    response = press_move(editor_client, curated_list, 1, "up")

    page = editor_client.get(response["Location"])
    assert f"“{curated_list}” saved with the entry moved." in messages_of(page)
