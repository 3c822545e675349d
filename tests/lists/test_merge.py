"""Merging a duplicate film: everything moves to the film kept, collisions are kept once,
history stays, and the duplicate's address redirects permanently."""

import pytest
from django.urls import reverse

from catalogue.choices import CreditRole, LocationKind
from catalogue.models import (
    AdaptedWork,
    Award,
    Credit,
    Fact,
    Film,
    FilmLocation,
    FilmRedirect,
    FilmTitle,
)
from lists.services import (
    MERGE_GONE_MESSAGE,
    MERGE_SAME_FILM_MESSAGE,
    MergeError,
    merge_films,
    plan_merge,
    record_list_version,
    restore_list_entries,
)
from tests.factories import (
    AwardFactory,
    CountryFactory,
    CreditFactory,
    CuratedListEntryFactory,
    CuratedListFactory,
    FactFactory,
    FilmFactory,
    FilmLocationFactory,
    FilmTitleFactory,
    GenreFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
)
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(db):
    """Stalker as seeded (kept) and the stub an import made of it (the duplicate), with
    claims of their own and claims both hold."""
    kept = FilmFactory(title="Stalker", slug="stalker", release_year=1979)
    stub = FilmFactory(
        title="Stalker",
        slug="stalker-1979",
        release_year=1979,
        is_published=False,
        imdb_id="tt0079944",
        runtime_minutes=161,
    )
    tarkovsky, solonitsyn = PersonFactory(name="Andrei Tarkovsky"), PersonFactory()
    CreditFactory(film=kept, person=tarkovsky, role=CreditRole.DIRECTOR)
    shared_source = SourceFactory(title="An encyclopedia")
    twin = CreditFactory(film=stub, person=tarkovsky, role=CreditRole.DIRECTOR)
    twin.sources.add(shared_source)
    CreditFactory(film=stub, person=solonitsyn, role=CreditRole.ACTOR, character="Writer")
    AwardFactory(film=stub, organisation=OrganisationFactory(name="Cannes"))
    FilmTitleFactory(film=stub, title="Сталкер")
    FilmLocationFactory(film=stub, place=PlaceFactory(name="Tallinn"), kind=LocationKind.FILMING)
    AdaptedWork.objects.create(film=stub, title="Roadside Picnic")
    FactFactory(film=kept, key="zone", text="The Zone was filmed in Estonia.")
    FactFactory(film=stub, key="zone", text="The first version was lost in the lab.")
    stub.countries.add(CountryFactory(code="SU", name="Soviet Union"))
    stub.genres.add(GenreFactory(name="Drama"))
    return stub, kept


def test_merging_moves_every_claim_to_the_film_kept(pair):
    stub, kept = pair

    merge_films(stub, kept)

    assert not Film.objects.filter(pk=stub.pk).exists()
    roles = sorted(kept.credits.values_list("role", "character"))
    assert roles == [(CreditRole.ACTOR, "Writer"), (CreditRole.DIRECTOR, "")]
    assert Award.objects.get().film == kept
    assert FilmTitle.objects.filter(film=kept, title="Сталкер").exists()
    assert FilmLocation.objects.get().film == kept
    assert AdaptedWork.objects.get().film == kept
    assert list(kept.countries.values_list("code", flat=True)) == ["SU"]
    assert list(kept.genres.values_list("name", flat=True)) == ["Drama"]


def test_a_credit_both_films_hold_is_kept_once_with_both_sources(pair):
    stub, kept = pair

    merge_films(stub, kept)

    director = Credit.objects.get(film=kept, role=CreditRole.DIRECTOR)
    assert Credit.objects.filter(role=CreditRole.DIRECTOR).count() == 1
    assert list(director.sources.values_list("title", flat=True)) == ["An encyclopedia"]


def test_a_fact_whose_key_the_kept_film_uses_keeps_its_text_under_a_new_key(pair):
    stub, kept = pair

    merge_films(stub, kept)

    assert dict(Fact.objects.filter(film=kept).values_list("key", "text")) == {
        "zone": "The Zone was filmed in Estonia.",
        "zone-2": "The first version was lost in the lab.",
    }


def test_the_duplicates_fields_fill_the_kept_films_blanks_only(pair):
    stub, kept = pair
    kept.runtime_minutes = 163
    kept.save()

    merge_films(stub, kept)

    kept.refresh_from_db()
    assert kept.imdb_id == "tt0079944"
    assert kept.runtime_minutes == 163


def test_the_kept_film_is_public_when_either_film_was(pair):
    stub, kept = pair
    kept.is_published = False
    kept.save()
    stub.is_published = True
    stub.save()

    merge_films(stub, kept)

    kept.refresh_from_db()
    assert kept.is_published


def test_list_entries_move_and_a_list_holding_both_keeps_the_higher_placed_one(pair):
    stub, kept = pair
    only_stub = CuratedListFactory()
    CuratedListEntryFactory(curated_list=only_stub, film=stub, position=1)
    both = CuratedListFactory()
    CuratedListEntryFactory(curated_list=both, position=1)
    CuratedListEntryFactory(curated_list=both, film=stub, position=2, blurb="Into the Zone.")
    CuratedListEntryFactory(curated_list=both, position=3)
    CuratedListEntryFactory(curated_list=both, film=kept, position=4, blurb="")
    CuratedListEntryFactory(curated_list=both, position=5)

    merge_films(stub, kept)

    assert only_stub.entries.get().film == kept
    rows = list(both.entries.order_by("position").values_list("position", "film", "blurb"))
    assert [position for position, _film, _blurb in rows] == [1, 2, 3, 4]
    assert rows[1][1:] == (kept.pk, "Into the Zone.")
    assert both.entries.filter(film=kept).count() == 1


def test_each_list_the_merge_touched_gets_a_version_naming_the_film_kept(pair, editor):
    stub, kept = pair
    curated_list = CuratedListFactory()
    CuratedListEntryFactory(curated_list=curated_list, film=stub, position=1)

    merge_films(stub, kept, by=editor)

    version = curated_list.history.order_by("-history_date", "-history_id").first()
    assert [row["film"] for row in version.entries_snapshot] == [kept.pk]
    assert version.history_change_reason == "Merged the duplicate film stalker-1979"
    assert version.history_user == editor


def test_reverting_a_list_to_a_version_before_the_merge_restores_the_film_kept(pair):
    stub, kept = pair
    curated_list = CuratedListFactory()
    CuratedListEntryFactory(curated_list=curated_list, film=stub, position=1, blurb="Zone.")
    CuratedListEntryFactory(curated_list=curated_list, film=kept, position=2)
    CuratedListEntryFactory(curated_list=curated_list, position=3)
    record_list_version(curated_list)
    before = curated_list.history.order_by("-history_date", "-history_id").first()
    merge_films(stub, kept)
    curated_list.entries.get(position=2).delete()

    restore_list_entries(curated_list, before)

    rows = curated_list.entries.order_by("position").values_list("position", "film", "blurb")
    assert list(rows)[0] == (1, kept.pk, "Zone.")
    assert curated_list.entries.count() == 2


def test_the_old_address_redirects_permanently_to_the_film_kept(client, pair):
    stub, kept = pair
    kept_before = FilmFactory(slug="stalker-old")
    merge_films(kept_before, stub)  # an older merge into the film that will go

    merge_films(stub, kept)

    for old in ("stalker-1979", "stalker-old"):
        response = client.get(reverse("catalogue:film-detail", args=[old]))
        assert response.status_code == 301, old
        assert response["Location"] == kept.get_absolute_url()
    assert set(FilmRedirect.objects.values_list("old_slug", "film")) == {
        ("stalker-1979", kept.pk),
        ("stalker-old", kept.pk),
    }
    assert client.get("/films/never-was/").status_code == 404


def test_history_records_the_merge_and_keeps_the_duplicates_versions(pair, editor):
    stub, kept = pair
    stub_id = stub.pk

    merge_films(stub, kept, by=editor)

    deletion = Film.history.filter(id=stub_id).first()
    assert deletion.history_type == "-"
    assert deletion.history_user == editor
    assert "Merged into" in deletion.history_change_reason
    assert Film.history.filter(id=stub_id).count() >= 2
    latest = Film.history.filter(id=kept.pk).first()
    assert latest.history_change_reason.startswith("Merged from the duplicate")
    moved = Credit.history.filter(character="Writer").first()
    assert moved.film_id == kept.pk


def test_a_film_cannot_be_merged_into_itself(pair):
    _stub, kept = pair

    with pytest.raises(MergeError, match=str(MERGE_SAME_FILM_MESSAGE)):
        merge_films(kept, kept)


def test_a_film_deleted_meanwhile_is_refused_with_a_message(pair):
    stub, kept = pair
    merge_films(stub, kept)  # by another editor, a moment earlier

    with pytest.raises(MergeError) as refused:
        merge_films(stub, kept)

    assert str(refused.value) == MERGE_GONE_MESSAGE


def test_the_plan_names_what_moves_and_what_is_kept_once(pair):
    stub, kept = pair
    both = CuratedListFactory(title="Both")
    CuratedListEntryFactory(curated_list=both, film=stub)
    CuratedListEntryFactory(curated_list=both, film=kept)

    plan = plan_merge(stub, kept)

    rows = {kind: (moving, kept_once) for kind, moving, kept_once in plan.rows}
    assert rows["credits"] == (1, 1)
    assert rows["facts"] == (1, 0)
    assert rows["curated list entries"] == (1, 0)
    assert plan.lists_holding_both == [both]
    assert "IMDb ID" in plan.filled_fields


# --- The admin ---


def merge_url(duplicate, survivor):
    return (
        f"{reverse('admin:catalogue_film_merge')}?duplicate={duplicate.pk}&survivor={survivor.pk}"
    )


def test_the_merge_action_opens_the_confirmation_keeping_the_published_film(editor_client, pair):
    stub, kept = pair

    response = editor_client.post(
        reverse("admin:catalogue_film_changelist"),
        {"action": "merge_selected", "_selected_action": [stub.pk, kept.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == merge_url(stub, kept)


def test_the_merge_action_needs_exactly_two_films(editor_client, pair):
    stub, _kept = pair

    response = editor_client.post(
        reverse("admin:catalogue_film_changelist"),
        {"action": "merge_selected", "_selected_action": [stub.pk]},
        follow=True,
    )

    assert "Select exactly two films" in " ".join(messages_of(response))


def test_the_confirmation_page_names_both_films_and_what_moves(editor_client, pair):
    stub, kept = pair

    response = editor_client.get(merge_url(stub, kept))

    page = response.content.decode()
    assert response.status_code == 200
    assert "/films/stalker-1979/" in page and "/films/stalker/" in page
    assert "1 credits (and 1 the kept film already has" in page
    assert Film.objects.filter(pk=stub.pk).exists()  # nothing merged yet


def test_confirming_merges_and_names_the_redirect(editor_client, pair):
    stub, kept = pair

    response = editor_client.post(
        reverse("admin:catalogue_film_merge"),
        {"duplicate": stub.pk, "survivor": kept.pk},
        follow=True,
    )

    assert not Film.objects.filter(pk=stub.pk).exists()
    assert "/films/stalker-1979/ now leads to it" in " ".join(messages_of(response))
    assert Film.history.filter(id=stub.pk).first().history_user.username == "editor"


@pytest.mark.parametrize(
    "query", ["", "?duplicate=abc&survivor=1", "?duplicate=1&survivor=99999999", "?duplicate=²"]
)
def test_a_merge_of_missing_films_is_refused_with_a_message(editor_client, pair, query):
    response = editor_client.get(reverse("admin:catalogue_film_merge") + query, follow=True)

    assert response.status_code == 200
    assert "do not exist" in " ".join(messages_of(response))


def test_merging_a_film_into_itself_is_refused_with_a_message(editor_client, pair):
    _stub, kept = pair

    response = editor_client.post(
        reverse("admin:catalogue_film_merge"),
        {"duplicate": kept.pk, "survivor": kept.pk},
        follow=True,
    )

    assert str(MERGE_SAME_FILM_MESSAGE) in messages_of(response)
    assert Film.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize("size", [1, 12])
def test_the_confirmation_page_query_count_is_constant(
    editor_client, django_assert_num_queries, size
):
    stub, kept = FilmFactory(), FilmFactory()
    for _ in range(size):
        CreditFactory(film=stub)
        FactFactory(film=stub)
        CuratedListEntryFactory(film=stub)
        CuratedListEntryFactory(film=kept)
    editor_client.get(merge_url(stub, kept))  # sessions and permissions warmed up

    with django_assert_num_queries(MERGE_PAGE_QUERIES):
        assert editor_client.get(merge_url(stub, kept)).status_code == 200


# Session, user, the user's and the groups' permissions, both films, 5 kinds of claim × 2 films,
# facts, list entries, lists holding both.
MERGE_PAGE_QUERIES = 18
