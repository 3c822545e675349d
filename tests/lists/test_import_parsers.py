"""Reading list documents: the three formats, boilerplate left out, bad input refused by line."""

from pathlib import Path

import pytest
from django.conf import settings

from catalogue.models import Source
from lists.importing import errors
from lists.importing.errors import ListImportError
from lists.importing.parsers import decode_document, find_director_mentions, parse_document

SEED_DOCUMENTS = Path(settings.BASE_DIR) / "fixtures" / "documents"
OWN_DOCUMENTS = Path(__file__).parent / "import_documents"


def parse_file(path):
    return parse_document(decode_document(path.read_bytes()), filename=path.name)


def parse_text(text, filename="list.txt"):
    return parse_document(decode_document(text.encode("utf-8")), filename=filename)


def refused(data, filename="list.txt"):
    with pytest.raises(ListImportError) as caught:
        parse_document(decode_document(data), filename=filename)
    return caught.value


# The seed documents ------------------------------------------------------------------------


def test_seed_listicle_is_read_as_a_listicle_with_its_ten_films_in_order():
    document = parse_file(SEED_DOCUMENTS / "10-extraordinary-movies-set-in-moscow.txt")

    assert document.kind == Source.Kind.LISTICLE
    assert document.title == "10 Extraordinary Movies Set In Moscow That Will Inspire You To Visit!"
    assert [(e.title, e.romanized_title, e.year) for e in document.entries] == [
        ("Moscow Does Not Believe in Tears", "Moskva slezam ne verit", 1980),
        ("The Russia House", "", 1990),
        ("Rocky IV", "", 1985),
        ("Collector", "Kollektor", 2016),
        ("Guardians", "Zaschitniki", 2017),
        ("The Death of Stalin", "", 2017),
        ("Mermaid", "Rusalka", 2007),
        ("Burnt by the Sun", "Utomlyonnye solntsem", 1994),
        ("Andrei Rublev", "Andrey Rublyóv", 1966),
        ("Anna Karenina", "", 2012),
    ]
    assert [entry.position for entry in document.entries] == list(range(1, 11))


def test_listicle_blurb_is_the_prose_under_its_heading_verbatim():
    document = parse_file(SEED_DOCUMENTS / "10-extraordinary-movies-set-in-moscow.txt")
    collector = document.entries[3]

    paragraphs = collector.blurb.split("\n\n")
    assert paragraphs[0].startswith("Collector, by Alexey Krasovsky, was an unexpected hit")
    assert paragraphs[-1].endswith("which made him commit suicide.")
    assert len(paragraphs) == 6
    assert collector.fact == ""


def test_listicle_boilerplate_is_neither_an_entry_nor_part_of_a_blurb():
    document = parse_file(SEED_DOCUMENTS / "10-extraordinary-movies-set-in-moscow.txt")
    everything = document.introduction + "".join(entry.blurb for entry in document.entries)

    assert "Skip to Content" not in everything
    assert "Amazon Prime" not in everything
    assert "VPN" not in everything
    assert "streaming platforms" not in everything
    assert "Inspire You To Visit!" not in everything
    reasons = {(line.line, line.reason) for line in document.skipped}
    assert (1, "navigation") in reasons
    assert (19, "streaming or shopping aside") in reasons
    assert {line for line, reason in reasons if reason == "repeated page heading"} == {
        3, 5, 11, 25, 26, 27,
    }  # fmt: skip


def test_structured_seed_lists_keep_description_and_fact_verbatim():
    document = parse_file(SEED_DOCUMENTS / "soviet-films-about-love.txt")

    assert document.kind == Source.Kind.CURATED_LIST
    assert len(document.entries) == 10
    irony = document.entries[0]
    assert (irony.title, irony.year, irony.line) == (
        "The Irony of Fate, or Enjoy Your Bath!",
        1975,
        3,
    )
    assert irony.blurb.startswith("This New Year's Eve classic tells the story of a man who")
    assert irony.fact == (
        "The film was shot in both Moscow and Leningrad to capture the identical apartment "
        "settings. It has become a tradition in Russia to watch this film every New Year's Eve."
    )
    assert document.introduction.startswith("Soviet cinema has produced a treasure trove")


def test_near_duplicate_titles_in_a_list_stay_separate_entries():
    document = parse_file(SEED_DOCUMENTS / "soviet-films-about-classical-music.txt")

    titles = [entry.title for entry in document.entries]
    assert {"The Violin Player", "The Violinist", "The Musicians", "The Musician"} <= set(titles)
    assert titles[0] == "Beethoven - Days in a Life"


def test_encyclopedia_article_is_not_a_list():
    error = refused(
        (SEED_DOCUMENTS / "moscow-does-not-believe-in-tears-encyclopedia.txt").read_bytes()
    )

    assert error.message.startswith("No list entries found in the document")


# Documents of our own -----------------------------------------------------------------------


def test_table_of_contents_navigation_and_asides_are_left_out_of_a_listicle():
    document = parse_file(OWN_DOCUMENTS / "listicle-with-boilerplate.txt")

    assert document.title == "7 Soviet Comedies You Can Watch Tonight"
    assert document.introduction == (
        "Soviet comedy is a world of its own, and these films are the best way in."
    )
    assert [(e.title, e.year, e.line) for e in document.entries] == [
        ("The Diamond Arm", 1969, 18),
        ("Gentlemen of Fortune", 1971, 28),
        ("Kin-dza-dza!", 1986, 34),
    ]
    diamond_arm = document.entries[0]
    assert "Amazon Prime" not in diamond_arm.blurb
    assert "Soviet Comedies" not in diamond_arm.blurb
    assert diamond_arm.blurb.endswith("wants it back.")
    assert "Tweet" not in document.entries[-1].blurb
    assert {line.reason for line in document.skipped} == {
        "navigation", "repeated page heading", "streaming or shopping aside", "table of contents",
    }  # fmt: skip


def test_unambiguous_character_actor_pairs_are_proposed_as_credits():
    document = parse_file(OWN_DOCUMENTS / "listicle-with-boilerplate.txt")

    proposals = [(p.character, p.person, p.ambiguous) for p in document.entries[0].credit_proposals]
    assert proposals == [
        ("Semyon Semyonovich", "Yuri Nikulin", False),
        ("Gena", "Andrei Mironov", False),
    ]


def test_a_character_given_two_actors_is_an_ambiguous_proposal():
    document = parse_file(OWN_DOCUMENTS / "listicle-with-boilerplate.txt")

    proposals = {(p.character, p.person): p.ambiguous for p in document.entries[1].credit_proposals}
    assert proposals == {
        ("Troshkin", "Yevgeny Leonov"): False,
        ("Khmyr", "Georgy Vitsin"): True,
        ("Khmyr", "Savely Kramarov"): True,
    }


def test_surname_only_in_parentheses_is_not_proposed():
    document = parse_text(
        "Heading\n\nThe Russia House (1990)\n\nBarney (played by Connery) goes to Moscow.\n"
    )

    assert document.entries[0].credit_proposals == []


def test_letterboxd_export_with_its_preamble():
    document = parse_file(OWN_DOCUMENTS / "letterboxd-export.csv")

    assert document.kind == Source.Kind.LETTERBOXD
    assert document.title == "Soviet science fiction"
    assert document.introduction == "Rockets, robots and philosophy."
    assert [(e.position, e.title, e.year) for e in document.entries] == [
        (1, "Solaris", 1972),
        (2, "Kin-dza-dza!", 1986),
        (3, "Aelita, Queen of Mars", 1924),
    ]
    assert document.entries[2].blurb == "An engineer dreams of Mars,\nand of its queen."
    assert document.entries[0].url == "https://boxd.it/1a2b"


def test_letterboxd_csv_entries_follow_the_position_column():
    document = parse_file(OWN_DOCUMENTS / "letterboxd-simple.csv")

    assert [(e.position, e.title, e.line) for e in document.entries] == [
        (1, "Ivan's Childhood", 3),
        (2, "The Cranes Are Flying", 2),
    ]


def test_csv_is_recognised_by_its_header_whatever_the_file_name():
    document = parse_text("Title,Year\nSolaris,1972\n", filename="upload.txt")

    assert document.kind == Source.Kind.LETTERBOXD
    assert document.entries[0].title == "Solaris"


def test_numbered_headings_lose_their_number_but_keep_numbers_in_titles():
    document = parse_text(
        "Intro paragraph.\n\n1. Brother 2 (2000)\n\nDanila again.\n\n"
        "#2 9 Days in One Year (1962)\n\nPhysicists.\n"
    )

    assert [entry.title for entry in document.entries] == ["Brother 2", "9 Days in One Year"]


def test_crlf_line_endings_and_a_utf8_byte_order_mark_are_accepted():
    text = "\ufeffIntro.\r\n\r\nSolaris (1972)\r\nDescription: Ocean.\r\nFact: Long.\r\n"
    document = parse_document(decode_document(text.encode("utf-8")))

    assert (document.entries[0].title, document.entries[0].fact) == ("Solaris", "Long.")


# Bad input ----------------------------------------------------------------------------------


def test_empty_file_is_refused():
    assert refused(b"").message == errors.EMPTY_DOCUMENT
    assert refused(b"  \n\n \n").message == errors.EMPTY_DOCUMENT


def test_binary_junk_is_refused_naming_its_line():
    error = refused(b"Intro line\nSecond line\n\x7fELF\x02\x01\x01\x00\x00binary")

    assert error.line == 3
    assert "Line 3: the document contains binary data" in error.message


def test_utf16_is_refused_with_advice():
    error = refused("Solaris (1972)\nDescription: x\n".encode("utf-16"))

    assert error.message == errors.UTF16_DOCUMENT


def test_utf16_without_byte_order_mark_is_refused_too():
    error = refused("Solaris (1972)\nDescription: x\n".encode("utf-16-le"))

    assert error.message == errors.UTF16_DOCUMENT


def test_latin1_bytes_are_refused_naming_line_and_column():
    error = refused("Intro.\n\nThe Cranes Are Flying (1957)\nDescription: Café\n".encode("latin-1"))

    assert error.line == 4
    assert error.message.startswith("Line 4: byte 0xE9 at column 17 is not valid UTF-8")


def test_ten_megabyte_file_is_refused_before_parsing():
    error = refused(b"Solaris (1972)\nDescription: x\n" * 350_000)

    assert "the importer accepts at most 1,000,000 bytes" in error.message


def test_document_without_any_entry_is_refused():
    error = refused(b"Just a paragraph about films.\n\nAnother one, with no headings.\n")

    assert "No list entries found" in error.message


def test_structured_entry_without_a_year_is_refused_naming_its_line():
    error = refused(
        b"Intro.\n\nSolaris (1972)\nDescription: a\nFact: b\n\nStalker\nDescription: c\nFact: d\n"
    )

    assert error.line == 7
    assert error.message == errors.ENTRY_WITHOUT_YEAR.format(line=7, title="Stalker")


def test_structured_entry_without_a_title_is_refused_naming_its_line():
    error = refused(b"Intro.\n\n(1972)\nDescription: a\nFact: b\n")

    assert error.message == "Line 3: the entry has a year (1972) but no title."


def test_listicle_heading_without_a_year_is_refused_naming_its_line():
    error = refused(
        b"Intro.\n\nMermaid [Rusalka] (2007)\n\nProse.\n\nCollector [Kollektor]\n\nMore.\n"
    )

    assert error.line == 7
    assert "'Collector [Kollektor]' has no year" in error.message


def test_description_before_any_heading_is_refused():
    error = refused(b"Description: where is the title?\nFact: none\n")

    assert error.message == "Line 1: 'Description:' does not follow a 'Title (Year)' heading."


def test_year_outside_the_cinema_era_is_refused():
    error = refused(b"Solaris (1789)\nDescription: a\n")

    assert error.message == "Line 1: the year 1789 of 'Solaris' is not between 1890 and 2100."


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("Position,Name,Year\n1,Solaris,\n", "Line 2: the entry 'Solaris' has no year"),
        ("Position,Name,Year\n1,,1972\n", "Line 2: the entry has a year (1972) but no title."),
        ("Position,Name,Year\n1,Solaris,c.1972\n", "Line 2: the Year 'c.1972' of 'Solaris'"),
        ("Position,Name,Year\nfirst,Solaris,1972\n", "Line 2: the Position 'first'"),
        ("Position,Name,Year\n1,Solaris,1972\n1,Stalker,1979\n", "Line 3: position 1 is used"),
        ("Film,When\nSolaris,1972\n", "Line 1: the CSV header has no Name and Year column"),
    ],
)
def test_bad_letterboxd_rows_are_refused_naming_the_line(csv_text, message):
    error = refused(csv_text.encode(), filename="list.csv")

    assert error.message.startswith(message)


def test_more_entries_than_a_list_holds_are_refused_naming_the_first_extra_line():
    rows = "".join(f"{n},Film {n},1970\n" for n in range(1, 1002))

    error = refused(f"Position,Name,Year\n{rows}".encode(), filename="list.csv")

    assert error.line == 1002
    assert error.message.startswith("Line 1002: entry 1001 is one too many")


def test_played_by_with_a_full_name_is_proposed():
    document = parse_text(
        "Heading\n\nThe Russia House (1990)\n\nBarney (played by Sean Connery) goes to Moscow.\n"
    )

    proposal = document.entries[0].credit_proposals[0]
    assert (proposal.character, proposal.person, proposal.ambiguous) == (
        "Barney",
        "Sean Connery",
        False,
    )


# --- Directors named in the prose -------------------------------------------------------------


def directors_of(prose, title="Stalker"):
    return [mention.person for mention in find_director_mentions([(3, prose)], [title])]


@pytest.mark.parametrize(
    "prose",
    [
        "Andrei Tarkovsky's Stalker follows three men into the Zone.",
        "Andrei Tarkovsky’s Stalker follows three men into the Zone.",
        "It was directed by Andrei Tarkovsky.",
        "Meanwhile, director Andrei Tarkovsky rewrote the script.",
        "When Andrei Tarkovsky's Stalker came out, nobody understood it.",
        "It was directed by Andrei Tarkovsky. Meanwhile the Zone waits.",
        "Directed by Andrei Tarkovsky. In it, three men go into the Zone.",
    ],
)
def test_a_director_named_in_the_prose_is_found(prose):
    assert directors_of(prose) == ["Andrei Tarkovsky"]


@pytest.mark.parametrize(
    ("prose", "director"),
    [
        ("Режиссёр Эльдар Рязанов. В ролях Андрей Мягков.", "Эльдар Рязанов"),
        ("режиссёр Александр Серый. Заведующий детсадом — вор.", "Александр Серый"),
        ("Directed by S. Bondarchuk, after Tolstoy.", "S. Bondarchuk"),
    ],
)
def test_a_sentence_that_follows_the_directors_name_is_not_part_of_it(prose, director):
    assert directors_of(prose) == [director]


@pytest.mark.parametrize(
    "prose",
    [
        "Andrei Tarkovsky's Solaris is another story.",  # another film's title follows
        "Andrei Tarkovsky's films are slow.",
        "Tarkovsky's Stalker is slow.",  # a surname alone names nobody for certain
        "The director was Russian.",
    ],
)
def test_no_director_is_read_into_prose_that_names_none_for_this_film(prose):
    assert directors_of(prose) == []


def test_each_director_is_named_once_with_the_line_that_first_names_him():
    mentions = find_director_mentions(
        [(5, "Andrei Tarkovsky's Stalker."), (7, "Directed by Andrei Tarkovsky.")], ["Stalker"]
    )

    assert [(mention.person, mention.line) for mention in mentions] == [("Andrei Tarkovsky", 5)]


def test_a_structured_list_description_is_read_for_directors_too():
    document = parse_document(
        "Stalker (1979)\nDescription: Andrei Tarkovsky's Stalker.\nFact: Shot in Estonia.\n"
    )

    assert [m.person for m in document.entries[0].director_mentions] == ["Andrei Tarkovsky"]
