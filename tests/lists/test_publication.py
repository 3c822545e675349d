"""Publishing a list that holds unpublished films (an import's stubs) publishes them too, but
only once the editor has seen them named: the service refuses without confirmation, the admin
shows a warning page, the API answers 400 listing them unless `publish_films` is true."""

import pytest
from django.urls import reverse

from catalogue.models import Film, Verification
from lists.models import CuratedList
from lists.services import UnpublishedFilmsError, publish_list, unpublished_films
from tests.factories import CuratedListEntryFactory, DraftListFactory, FilmFactory
from tests.helpers import change_form_data, error_fields, messages_of

pytestmark = pytest.mark.django_db


def draft_with_stubs(stubs=2, published=1, **list_fields):
    curated_list = DraftListFactory(**list_fields)
    for position in range(1, published + stubs + 1):
        film = FilmFactory(
            is_published=position <= published,
            verification=Verification.UNVERIFIED,
            title=f"{'Public' if position <= published else 'Stub'} film {position}",
        )
        CuratedListEntryFactory(curated_list=curated_list, film=film, position=position)
    return curated_list


def stubs_of(curated_list):
    return list(Film.objects.unpublished().filter(list_entries__curated_list=curated_list))


# --- The service ---


def test_publishing_a_list_with_stubs_without_confirmation_names_them_and_writes_nothing():
    curated_list = draft_with_stubs()

    with pytest.raises(UnpublishedFilmsError) as refused:
        publish_list(curated_list)

    assert [film.title for film in refused.value.films] == ["Stub film 2", "Stub film 3"]
    assert "Stub film 2 (1975), Stub film 3 (1975)" in str(refused.value)
    curated_list.refresh_from_db()
    assert not curated_list.is_published
    assert len(stubs_of(curated_list)) == 2


def test_publishing_a_list_with_confirmation_publishes_its_stubs_with_history(editor):
    curated_list = draft_with_stubs()

    publish_list(curated_list, by=editor, publish_films_too=True)

    assert stubs_of(curated_list) == []
    record = Film.history.filter(title="Stub film 2").first()
    assert record.history_user == editor
    assert record.history_change_reason == f"Published with the list “{curated_list.title}”"


def test_a_list_without_stubs_publishes_without_confirmation():
    curated_list = draft_with_stubs(stubs=0)

    assert publish_list(curated_list).is_published


def test_the_lists_unpublished_films_come_in_list_order():
    curated_list = draft_with_stubs(stubs=3)

    assert [film.title for film in unpublished_films(curated_list)] == [
        "Stub film 2",
        "Stub film 3",
        "Stub film 4",
    ]


# --- The admin ---


def test_save_and_publish_leads_to_the_warning_naming_the_stubs(editor_client):
    curated_list = draft_with_stubs()
    change_url = reverse("admin:lists_curatedlist_change", args=[curated_list.pk])
    form = editor_client.get(change_url)

    response = editor_client.post(change_url, change_form_data(form, _publish="Save and publish"))

    warning_url = reverse("admin:lists_curatedlist_publish", args=[curated_list.pk])
    assert response.status_code == 302 and response["Location"] == warning_url
    page = editor_client.get(warning_url).content.decode()
    assert "Stub film 2" in page and "Stub film 3" in page and "Unverified stub" in page
    assert "Public film 1" not in page
    curated_list.refresh_from_db()
    assert not curated_list.is_published


def test_confirming_the_warning_publishes_the_list_and_its_films(editor_client):
    curated_list = draft_with_stubs()

    response = editor_client.post(
        reverse("admin:lists_curatedlist_publish", args=[curated_list.pk]), follow=True
    )

    curated_list.refresh_from_db()
    assert curated_list.is_published
    assert stubs_of(curated_list) == []
    assert f"“{curated_list}” is published, with its films." in messages_of(response)


def test_the_publish_action_warns_first_then_publishes_on_confirmation(editor_client):
    with_stubs = draft_with_stubs(title="With stubs")
    without = draft_with_stubs(stubs=0, title="Without stubs")
    changelist = reverse("admin:lists_curatedlist_changelist")
    selected = {"action": "publish_selected", "_selected_action": [with_stubs.pk, without.pk]}

    warning = editor_client.post(changelist, selected)

    assert warning.status_code == 200
    assert "With stubs: 2 unpublished films" in warning.content.decode()
    assert CuratedList.objects.published().count() == 0

    editor_client.post(changelist, {**selected, "confirm_publish": "yes"})

    assert CuratedList.objects.published().count() == 2
    assert stubs_of(with_stubs) == []


def test_the_publish_action_publishes_lists_without_stubs_at_once(editor_client):
    curated_list = draft_with_stubs(stubs=0)

    editor_client.post(
        reverse("admin:lists_curatedlist_changelist"),
        {"action": "publish_selected", "_selected_action": [curated_list.pk]},
    )

    curated_list.refresh_from_db()
    assert curated_list.is_published


def test_the_film_admins_action_publishes_films(editor_client):
    stub = FilmFactory(is_published=False)

    response = editor_client.post(
        reverse("admin:catalogue_film_changelist"),
        {"action": "publish_selected", "_selected_action": [stub.pk]},
        follow=True,
    )

    stub.refresh_from_db()
    assert stub.is_published
    assert "Published 1 film." in messages_of(response)


@pytest.mark.parametrize("size", [1, 15])
def test_the_warning_page_query_count_is_constant(editor_client, django_assert_num_queries, size):
    curated_list = draft_with_stubs(stubs=size)
    url = reverse("admin:lists_curatedlist_publish", args=[curated_list.pk])
    editor_client.get(url)

    with django_assert_num_queries(WARNING_PAGE_QUERIES):
        assert editor_client.get(url).status_code == 200


# Session, user, the user's and the groups' permissions, the list, its unpublished films'
# entries (with films and list).
WARNING_PAGE_QUERIES = 6


# --- The API ---

PUBLISH = {"status": "published", "published_at": "2026-01-01T00:00:00Z"}


def test_the_api_refuses_to_publish_a_list_with_stubs_and_names_them(editor_api):
    curated_list = draft_with_stubs()

    response = editor_api.patch(f"/api/v1/lists/{curated_list.slug}/", PUBLISH, format="json")

    assert response.status_code == 400
    errors = error_fields(response)  # the one error shape: nested fields as dotted attrs
    assert [errors[f"unpublished_films.{n}.title"] for n in (0, 1)] == [
        ["Stub film 2"],
        ["Stub film 3"],
    ]
    assert errors["unpublished_films.0.verification"] == ["unverified"]
    assert "Stub film 2 (1975)" in errors["publish_films"][0]
    curated_list.refresh_from_db()
    assert not curated_list.is_published


def test_the_api_publishes_a_list_and_its_stubs_when_confirmed(editor_api, editor):
    curated_list = draft_with_stubs()

    response = editor_api.patch(
        f"/api/v1/lists/{curated_list.slug}/",
        {**PUBLISH, "publish_films": True},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert "publish_films" not in response.json()
    assert stubs_of(curated_list) == []
    assert Film.history.filter(title="Stub film 2").first().history_user == editor


def test_the_api_publishes_a_list_without_stubs_without_confirmation(editor_api):
    curated_list = draft_with_stubs(stubs=0)

    response = editor_api.patch(f"/api/v1/lists/{curated_list.slug}/", PUBLISH, format="json")

    assert response.status_code == 200, response.content
