"""import_list: the draft list, new unverified films, idempotence, one transaction."""

from pathlib import Path

import pytest

from catalogue.models import Credit, CreditRole, Film, Person, Source, Verification
from lists.importing import ListImportError, import_list
from lists.importing import services as import_services
from lists.importing.matching import MatchOutcome
from lists.importing.services import ImportStatus
from lists.models import CuratedList, CuratedListEntry
from tests.factories import FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db

OWN_DOCUMENTS = Path(__file__).parent / "import_documents"

LIST_DOCUMENT = """Films to start with.

The Cranes Are Flying (1957)
Description: A love story in wartime.
Fact: Palme d'Or, 1958.

Solaris [Solyaris] (1972)
Description: The ocean remembers.
Fact: Shot partly in Tokyo.
"""


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Film, Source, CuratedList, CuratedListEntry, Credit, Person)
    }


def test_import_creates_a_draft_list_with_entries_in_document_order():
    cranes = FilmFactory(title="The Cranes Are Flying", release_year=1957)

    report = import_list(LIST_DOCUMENT, filename="starters.txt", title="Where to start")

    curated_list = report.curated_list
    assert report.status == ImportStatus.CREATED
    assert curated_list.title == "Where to start"
    assert curated_list.status == CuratedList.Status.DRAFT
    assert curated_list.introduction == "Films to start with."
    entries = list(curated_list.entries.order_by("position"))
    assert [(e.position, e.film.title) for e in entries] == [
        (1, "The Cranes Are Flying"),
        (2, "Solaris"),
    ]
    assert entries[0].film == cranes
    assert (entries[1].blurb, entries[1].fact) == ("The ocean remembers.", "Shot partly in Tokyo.")


def test_the_document_is_stored_as_the_lists_source():
    report = import_list(LIST_DOCUMENT, filename="starters.txt")

    source = report.curated_list.source
    assert source.kind == Source.Kind.CURATED_LIST
    assert source.filename == "starters.txt"
    assert source.text == LIST_DOCUMENT
    assert len(source.sha256) == 64
    assert source.sha256 == report.sha256


def test_unmatched_film_is_created_unverified_with_its_year_romanized_title_and_source():
    report = import_list(LIST_DOCUMENT, filename="starters.txt")

    solaris = Film.objects.get(title="Solaris")
    assert solaris.release_year == 1972
    assert solaris.romanized_title == "Solyaris"
    assert solaris.verification == Verification.UNVERIFIED
    assert solaris.verification_note == "Created by a list import; not yet checked by an editor."
    assert "starters" not in solaris.verification_note  # the list may still be a draft
    assert list(solaris.sources.all()) == [report.curated_list.source]
    assert report.entries[1].outcome == MatchOutcome.NEW
    assert report.entries[1].film_created


def test_matched_film_is_used_as_it_is():
    cranes = FilmFactory(title="The Cranes Are Flying", release_year=1957)

    report = import_list(LIST_DOCUMENT, filename="starters.txt")

    assert report.entries[0].film == cranes
    assert Film.objects.filter(title="The Cranes Are Flying").count() == 1
    cranes.refresh_from_db()
    assert cranes.verification == Verification.UNVERIFIED
    assert cranes.verification_note == ""


def test_list_title_defaults_to_the_documents_heading_then_the_file_name():
    listicle = (OWN_DOCUMENTS / "listicle-with-boilerplate.txt").read_bytes()

    assert import_list(listicle, dry_run=True).list_title == (
        "7 Soviet Comedies You Can Watch Tonight"
    )
    assert import_list(LIST_DOCUMENT, filename="soviet-films-about-love.txt").list_title == (
        "Soviet films about love"
    )


def test_dry_run_reports_and_writes_nothing():
    before = row_counts()

    report = import_list(LIST_DOCUMENT, filename="starters.txt", dry_run=True)

    assert row_counts() == before
    assert report.status == ImportStatus.WOULD_CREATE
    assert report.curated_list is None
    assert [entry.outcome for entry in report.entries] == [MatchOutcome.NEW, MatchOutcome.NEW]


def test_importing_the_same_document_again_changes_nothing():
    first = import_list(LIST_DOCUMENT, filename="starters.txt")
    before = row_counts()

    again = import_list(LIST_DOCUMENT, filename="renamed.txt", title="Another title")

    assert again.status == ImportStatus.ALREADY_IMPORTED
    assert again.curated_list == first.curated_list
    assert row_counts() == before
    assert CuratedList.objects.get().title == first.curated_list.title


def test_replace_rebuilds_the_entries_of_the_list_imported_before():
    first = import_list(LIST_DOCUMENT, filename="starters.txt")
    curated_list = first.curated_list
    curated_list.entries.filter(position=2).delete()
    curated_list.entries.filter(position=1).update(blurb="Edited by hand.")

    report = import_list(LIST_DOCUMENT, filename="starters.txt", replace=True)

    assert report.status == ImportStatus.REPLACED
    assert report.curated_list.pk == curated_list.pk
    assert [(e.position, e.blurb) for e in curated_list.entries.order_by("position")] == [
        (1, "A love story in wartime."),
        (2, "The ocean remembers."),
    ]
    assert Film.objects.count() == 2  # the films made by the first import are matched now
    assert Source.objects.count() == 1


def test_document_source_known_without_a_list_gets_its_list():
    text = LIST_DOCUMENT
    Source.objects.create(
        slug="known",
        title="Known",
        kind=Source.Kind.CURATED_LIST,
        sha256=import_services.document_sha256(text),
    )

    report = import_list(text, filename="starters.txt")

    assert report.status == ImportStatus.CREATED
    assert report.curated_list.source.slug == "known"
    assert Source.objects.count() == 1


def test_ambiguous_entry_writes_nothing_and_names_the_line():
    FilmFactory(title="Solaris", release_year=1972)
    FilmFactory(title="Solaris", slug="solaris-1971", release_year=1971)
    before = row_counts()

    with pytest.raises(ListImportError) as caught:
        import_list(LIST_DOCUMENT, filename="starters.txt")

    assert row_counts() == before
    assert "line 7: Solaris" in caught.value.message
    assert caught.value.message.startswith("Nothing was imported: 1 entry matches more than one")
    assert [entry.outcome for entry in caught.value.report.entries] == [
        MatchOutcome.NEW,
        MatchOutcome.AMBIGUOUS,
    ]


def test_ambiguity_is_reported_by_a_dry_run():
    FilmFactory(title="Solaris", release_year=1972)
    FilmFactory(title="Solaris", slug="solaris-1971", release_year=1971)

    report = import_list(LIST_DOCUMENT, dry_run=True)

    assert [entry.title for entry in report.ambiguous] == ["Solaris"]
    assert len(report.ambiguous[0].match.candidates) == 2


def test_two_entries_naming_one_film_are_refused():
    FilmFactory(
        title="Moscow Does Not Believe in Tears",
        original_title="Москва слезам не верит",
        release_year=1980,
    )
    document = (
        "Moscow Doesn't Believe in Tears (1980)\nDescription: a\n\n"
        "Москва слезам не верит (1980)\nDescription: b\n"
    )

    with pytest.raises(ListImportError) as caught:
        import_list(document)

    assert caught.value.line == 4
    assert caught.value.message.startswith(
        "Line 4: 'Москва слезам не верит' is the same film as the entry on line 1"
    )


def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    original = import_services._create_film
    calls = []

    def fail_on_second_film(entry, report):
        calls.append(entry)
        if len(calls) == 2:
            raise ListImportError("Simulated failure.")
        return original(entry, report)

    monkeypatch.setattr(import_services, "_create_film", fail_on_second_film)
    before = row_counts()

    with pytest.raises(ListImportError):
        import_list(LIST_DOCUMENT, filename="starters.txt")

    assert row_counts() == before


def test_near_duplicate_titles_document_matches_each_film_by_its_rules():
    moscow = FilmFactory(title="Moscow Does Not Believe in Tears", release_year=1980)
    irony = FilmFactory(title="The Irony of Fate, or Enjoy Your Bath!", release_year=1975)
    FilmFactory(title="Brother", release_year=1997)
    FilmFactory(title="The Musicians", release_year=1988)
    rublev = FilmFactory(title="Andrei Rublev", release_year=1966)
    document = (OWN_DOCUMENTS / "near-duplicates.txt").read_bytes()

    report = import_list(document, filename="near-duplicates.txt", dry_run=True)

    outcomes = [(e.title, e.outcome, e.matched_film) for e in report.entries]
    assert outcomes == [
        ("Moscow Doesn't Believe in Tears", MatchOutcome.MATCHED, moscow),
        ("Irony of Fate", MatchOutcome.MATCHED, irony),
        ("Brother 2", MatchOutcome.NEW, None),
        ("The Musician", MatchOutcome.NEW, None),
        ("Andrey Rublyov", MatchOutcome.MATCHED, rublev),
    ]


def test_new_film_gets_a_free_slug_when_its_title_is_taken():
    FilmFactory(title="Solaris", slug="solaris", release_year=2002)

    import_list(LIST_DOCUMENT)

    assert Film.objects.get(release_year=1972).slug == "solaris-1972"


def test_credits_are_proposed_but_not_created_by_default():
    document = (OWN_DOCUMENTS / "listicle-with-boilerplate.txt").read_bytes()

    report = import_list(document)

    assert len(report.credit_proposals) == 5
    assert Credit.objects.count() == 0
    assert Person.objects.count() == 0


def test_create_credits_adds_unambiguous_unverified_actor_credits_to_new_films_only():
    gentlemen = FilmFactory(title="Gentlemen of Fortune", release_year=1971)
    nikulin = PersonFactory(name="Yuri Nikulin")
    document = (OWN_DOCUMENTS / "listicle-with-boilerplate.txt").read_bytes()

    report = import_list(document, create_credits=True)

    diamond_arm = report.entries[0].film
    credits = {(c.person.name, c.character, c.role) for c in diamond_arm.credits.all()}
    assert credits == {
        ("Yuri Nikulin", "Semyon Semyonovich", CreditRole.ACTOR),
        ("Andrei Mironov", "Gena", CreditRole.ACTOR),
    }
    assert Credit.objects.filter(person=nikulin).count() == 1  # the existing person is reused
    assert all(c.verification == Verification.UNVERIFIED for c in Credit.objects.all())
    assert gentlemen.credits.count() == 0  # an existing film's credits are editorial work
    assert not Person.objects.filter(name__in=["Georgy Vitsin", "Savely Kramarov"]).exists()


def test_progress_is_reported_for_every_entry():
    seen = []

    import_list(
        LIST_DOCUMENT,
        dry_run=True,
        progress=lambda done, total, entry: seen.append((done, total, entry.title)),
    )

    assert seen == [(1, 2, "The Cranes Are Flying"), (2, 2, "Solaris")]


def test_report_text_names_position_title_year_film_and_confidence():
    FilmFactory(title="The Cranes Are Flying", slug="cranes", release_year=1957)

    lines = "\n".join(import_list(LIST_DOCUMENT, filename="starters.txt", dry_run=True).as_text())

    assert "1. line 3: The Cranes Are Flying (1957)" in lines
    assert "existing film The Cranes Are Flying (1957) [cranes], confidence 1.00" in lines
    assert "2. line 7: Solaris [Solyaris] (1972)" in lines
    assert "new film, marked unverified" in lines
    assert "Summary: 1 matched, 1 new, 0 ambiguous; list would be created." in lines


def test_bytes_are_decoded_and_bad_bytes_refused_before_anything_is_written():
    before = row_counts()

    with pytest.raises(ListImportError) as caught:
        import_list(b"Solaris (1972)\nDescription: caf\xe9\n")

    assert caught.value.line == 2
    assert row_counts() == before


def test_no_credit_is_created_for_a_name_two_people_share():
    PersonFactory(name="Yuri Nikulin")
    PersonFactory(name="Yuri Nikulin")
    document = (OWN_DOCUMENTS / "listicle-with-boilerplate.txt").read_bytes()

    report = import_list(document, create_credits=True)

    credits = {credit.character for credit in report.entries[0].film.credits.all()}
    assert credits == {"Gena"}
    lines = "\n".join(report.as_text())
    assert "Semyon Semyonovich (Yuri Nikulin) — not created: more than one person" in lines


# --- The editor's overrides and the directors named in the prose -----------------------------


def test_overrides_point_a_line_at_another_film_force_a_new_one_or_skip_it():
    cranes = FilmFactory(title="The Cranes Are Flying", release_year=1957)
    other = FilmFactory(title="Letter Never Sent", release_year=1959)
    document = LIST_DOCUMENT + "\nStalker (1979)\nDescription: The Zone.\n"

    report = import_list(document, overrides={1: other.pk, 2: import_services.SKIP})

    assert report.left_out[0].title == "Solaris"
    entries = list(report.curated_list.entries.values_list("position", "film__title"))
    assert entries == [(1, "Letter Never Sent"), (2, "Stalker")]
    assert not CuratedListEntry.objects.filter(film=cranes).exists()


def test_a_new_film_forced_over_a_match_is_created_unverified():
    cranes = FilmFactory(title="The Cranes Are Flying", release_year=1957)

    report = import_list(LIST_DOCUMENT, overrides={1: import_services.NEW_FILM})

    film = report.curated_list.entries.get(position=1).film
    assert film != cranes
    assert film.verification == Verification.UNVERIFIED


def test_an_override_for_a_line_the_document_lacks_is_refused_and_writes_nothing():
    before = row_counts()

    with pytest.raises(ListImportError, match="There is no entry 7"):
        import_list(LIST_DOCUMENT, overrides={7: import_services.SKIP})

    assert row_counts() == before


def test_skipping_every_line_is_refused():
    with pytest.raises(ListImportError, match="Every entry was skipped"):
        import_list(LIST_DOCUMENT, overrides={1: "skip", 2: "skip"})

    assert CuratedList.objects.count() == 0


STALKER = "Stalker (1979)\n\nAndrei Tarkovsky's Stalker follows three men into the Zone.\n"


def test_a_director_the_catalogue_holds_is_credited_with_create_credits():
    tarkovsky = PersonFactory(name="Andrei Tarkovsky")

    report = import_list(STALKER, create_credits=True)

    credit = Credit.objects.get(role=CreditRole.DIRECTOR)
    assert (credit.person, credit.film.title) == (tarkovsky, "Stalker")
    assert credit.verification == Verification.UNVERIFIED
    assert report.source in credit.sources.all()
    assert "Andrei Tarkovsky — credited as director (unverified)" in "\n".join(report.as_text())


def test_a_director_is_only_proposed_without_create_credits_and_no_person_is_made():
    PersonFactory(name="Andrei Tarkovsky")

    report = import_list(STALKER)

    assert not Credit.objects.exists()
    assert report.credit_keys == ["1:0"]


def test_a_director_the_catalogue_lacks_is_never_created():
    report = import_list(STALKER, create_credits=True)

    assert not Person.objects.exists()
    assert not Credit.objects.exists()
    assert report.director_proposals[0][1].state == import_services.ProposalState.UNKNOWN


def test_two_people_of_the_same_name_are_not_guessed_between():
    PersonFactory(name="Andrei Tarkovsky")
    PersonFactory(name="Andrei Tarkovsky", slug="andrei-tarkovsky-2")

    report = import_list(STALKER, create_credits=True)

    assert not Credit.objects.exists()
    assert report.director_proposals[0][1].state == import_services.ProposalState.SEVERAL


STALKER_IN_RUSSIAN = "Сталкер (1979)\n\nРежиссёр Андрей Тарковский ведёт трёх людей в Зону.\n"


def test_a_russian_document_matches_the_film_and_director_by_their_russian_names():
    stalker = FilmFactory(title="Stalker", original_title="Сталкер", release_year=1979)
    tarkovsky = PersonFactory(name="Andrei Tarkovsky", native_name="Андрей Тарковский")

    report = import_list(STALKER_IN_RUSSIAN, create_credits=True)

    assert report.curated_list.entries.get().film == stalker
    credit = Credit.objects.get(role=CreditRole.DIRECTOR)
    assert (credit.person, credit.film) == (tarkovsky, stalker)
    assert Person.objects.count() == 1
