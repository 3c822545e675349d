"""The API gives each claim's verification and the editors' note wherever it shows the
claim: film rows, list entries' films, people's credits and awards, awards, search."""

import pytest

from catalogue.models import AwardOutcome, Verification
from tests import factories as f

pytestmark = pytest.mark.django_db

NOTE = "No trace of this film outside the list."


@pytest.fixture
def doubtful():
    film = f.FilmFactory(
        title="The Violinist", verification=Verification.UNVERIFIED, verification_note=NOTE
    )
    person = f.PersonFactory(slug="someone")
    f.CreditFactory(
        film=film, person=person, verification=Verification.DISPUTED, verification_note="No."
    )
    f.AwardFactory(
        film=film,
        person=person,
        outcome=AwardOutcome.WON,
        verification=Verification.DISPUTED,
        verification_note="Nominated, not won.",
    )
    f.CuratedListEntryFactory(curated_list__slug="music", film=film)
    return film


def test_film_rows_carry_the_note(api, doubtful):
    (row,) = api.get("/api/v1/films/").json()["results"]

    assert (row["verification"], row["verification_note"]) == ("unverified", NOTE)


def test_a_list_entrys_film_carries_its_note(api, doubtful):
    (entry,) = api.get("/api/v1/lists/music/").json()["entries"]

    assert entry["film"]["verification_note"] == NOTE


def test_a_persons_credits_and_awards_carry_their_notes(api, doubtful):
    person = api.get("/api/v1/people/someone/").json()

    assert person["credits"][0]["verification_note"] == "No."
    assert person["credits"][0]["film"]["verification_note"] == NOTE
    assert person["awards"][0]["verification"] == "disputed"
    assert person["awards"][0]["verification_note"] == "Nominated, not won."


def test_awards_and_search_results_carry_the_notes(api, doubtful):
    (award,) = api.get("/api/v1/awards/").json()["results"]
    search = api.get("/api/v1/search/", {"q": "violinist"}).json()

    assert award["verification_note"] == "Nominated, not won."
    assert award["film"]["verification_note"] == NOTE
    assert search["films"][0]["verification_note"] == NOTE
