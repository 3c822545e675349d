"""Turn an uploaded document into list entries: decoding, format detection and the three parsers.

Formats, recognised automatically:
- web listicle: headings "Title [Romanized title] (Year)" each followed by prose paragraphs,
  with site boilerplate (navigation, repeated page headings, streaming asides) around them;
- structured list: "Title (Year)" followed by "Description: ..." and "Fact: ..." lines;
- Letterboxd list CSV: Position, Name (or Title), Year, URL, Description (or Review) columns.

Parsing never touches the database; matching and writing live in matching.py and services.py.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from catalogue.models import FIRST_FILM_YEAR, LAST_FILM_YEAR, Source
from core.spelling import canonical_title, without_article
from lists.importing import errors
from lists.importing.errors import ListImportError

# "Title [Romanized title] (Year)"; the romanized part is optional.
HEADING_RE = re.compile(
    r"^(?P<title>.*?)\s*(?:\[(?P<romanized>[^\]]*)\])?\s*\(\s*(?P<year>\d{4})\s*\)$"
)
# A heading that forgot its year: "Collector [Kollektor]".
HEADING_WITHOUT_YEAR_RE = re.compile(r"^(?P<title>[^\[\]().!?]{1,150}?)\s*\[[^\]]+\]$")
# "1. Title (1980)", "#1 Title (1980)", "1) Title (1980)": the number is not part of the title.
ENUMERATION_RE = re.compile(r"^(?:#\s?\d{1,3}[.:)]?|\d{1,3}[.)])\s+")
LABEL_RE = re.compile(r"^(?P<label>Description|Fact)\s*:\s*(?P<text>.*)$", re.IGNORECASE)
MAX_HEADING_LENGTH = 150
MAX_HEADING_WORDS = 16
MAX_REPEATED_HEADING_LENGTH = 200

# Site chrome that is never content, as whole lines.
NAVIGATION_RE = re.compile(
    r"^(?:skip to (?:main )?(?:content|navigation)|(?:main )?menu|home|search|share(?: this)?"
    r"(?: on \w+)?|tweet|pin(?: it)?|email|print|subscribe|sign in|log ?in|newsletter|"
    r"advertisement|sponsored|related posts?|read more|leave a (?:comment|reply)|\d+ comments?|"
    r"accept(?: all)?(?: cookies)?|we use cookies.*|previous(?: post)?|next(?: post)?|"
    r"back to top|table of contents|contents|facebook|twitter|pinterest|instagram|"
    r"privacy policy|terms of (?:use|service))[.!:]?$",
    re.IGNORECASE,
)
# Streaming and shopping asides ("Wondering where to watch?", free trials, VPNs).
ASIDE_RE = re.compile(
    r"\b(?:free trial|(?:\d+|one|two|three|seven|thirty)[- ](?:day|week|month)s? (?:free )?trial|"
    r"where to (?:watch|stream)|streaming (?:services?|platforms?)|vpn|affiliate links?|"
    r"free (?:two[- ]day )?shipping|amazon prime|prime video|buy (?:it )?on amazon)\b",
    re.IGNORECASE,
)

# A credit in prose: "Katerina (Vera Alentova)", "Barney (played by Sean Connery)".
_CAPITAL = "A-ZÀ-ÖØ-ÞА-ЯЁ"
# A word of a name, or an initial ("S."): a full stop after a word ends the sentence.
_NAME_WORD = rf"[{_CAPITAL}](?:\.|[\w'’-]*)"
CREDIT_RE = re.compile(
    rf"(?P<character>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s+"
    rf"\((?:played by\s+)?(?P<person>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\)"
)
# A director in prose: "Andrei Tarkovsky's Stalker" (followed by the entry's own title),
# "directed by Vladimir Menshov", "director Eldar Ryazanov", "режиссёр Эльдар Рязанов".
_PERSON = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}"
POSSESSIVE_RE = re.compile(rf"(?P<person>{_PERSON})['’]s\s+(?P<rest>.+)")
DIRECTED_BY_RE = re.compile(
    rf"\b(?i:directed by|director|filmmaker|режисс[её]р)\s+(?P<person>{_PERSON})"
)
# Capitalised words that start a sentence rather than a character's name.
NOT_A_NAME = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "meanwhile", "of", "on",
    "the", "then", "when", "while", "with", "yet", "so", "after", "before",
}  # fmt: skip


@dataclass
class CreditProposal:
    """A "Character (Actor Name)" pair found in an entry's prose; only a proposal."""

    character: str
    person: str
    line: int
    ambiguous: bool = False
    note: str = ""


@dataclass
class DirectorMention:
    """A person the prose names as the entry's director; the importer looks the name up."""

    person: str
    line: int


@dataclass
class ParsedEntry:
    """One entry as the document states it, before matching."""

    position: int
    line: int
    title: str
    year: int
    romanized_title: str = ""
    blurb: str = ""
    fact: str = ""
    url: str = ""
    credit_proposals: list = field(default_factory=list)
    director_mentions: list = field(default_factory=list)
    # (line, text) of the prose, for finding the names it mentions.
    paragraphs: list = field(default_factory=list)


@dataclass
class SkippedLine:
    """Text the parser deliberately left out, reported so an editor can check it."""

    line: int
    text: str
    reason: str


@dataclass
class ParsedDocument:
    """The entries of a document, its format (a Source.Kind) and what was left out."""

    kind: str
    title: str = ""
    introduction: str = ""
    entries: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    line_count: int = 0


# Decoding ----------------------------------------------------------------------------------

# C0 control characters other than tab, newlines, form feed and escape never occur in text.
CONTROL_BYTE_RE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _line_of(data, index):
    return data.count(b"\n", 0, index) + 1


def decode_document(data):
    """The text of an uploaded file (bytes): UTF-8 only, size-capped, newlines normalised.

    Raises ListImportError naming the line for binary data and for bytes that are not UTF-8
    (a Latin-1 or Windows-1252 file), and a clear message for UTF-16 and oversized files.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > errors.MAX_DOCUMENT_BYTES:
        raise ListImportError(
            errors.DOCUMENT_TOO_LARGE.format(size=len(data), limit=errors.MAX_DOCUMENT_BYTES)
        )
    if not data.strip():
        raise ListImportError(errors.EMPTY_DOCUMENT, line=1)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_like_utf16(data):
        raise ListImportError(errors.UTF16_DOCUMENT, line=1)
    data = data.removeprefix(b"\xef\xbb\xbf")
    control = CONTROL_BYTE_RE.search(data)
    if control:
        line = _line_of(data, control.start())
        raise ListImportError(
            errors.BINARY_DOCUMENT.format(line=line, byte=data[control.start()]), line=line
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ListImportError(
            errors.NOT_UTF8.format(line=line, byte=data[error.start], column=column), line=line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_utf16(data):
    # UTF-16 without a byte-order mark: ASCII text with a NUL byte every other byte.
    sample = data[:200]
    quarter = len(sample) // 4
    return len(sample) >= 4 and max(sample[1::2].count(0), sample[0::2].count(0)) > quarter


# Format detection ---------------------------------------------------------------------------


def parse_document(text, *, filename=""):
    """Parse decoded text into a ParsedDocument, choosing the format from the content."""
    lines = text.split("\n")
    if _is_csv(lines, filename):
        document = parse_letterboxd_csv(text)
    elif any(LABEL_RE.match(line.strip()) for line in lines):
        document = parse_structured_list(lines)
    else:
        document = parse_listicle(lines)
    document.line_count = len(text.splitlines())
    for entry in document.entries:
        paragraphs = entry.paragraphs or [(entry.line, entry.blurb), (entry.line, entry.fact)]
        entry.director_mentions = find_director_mentions(
            paragraphs, [entry.title, entry.romanized_title]
        )
    document.skipped.sort(key=lambda skipped: skipped.line)
    if not document.entries:
        raise ListImportError(errors.NO_ENTRIES.format(lines=len(lines)))
    if len(document.entries) > errors.MAX_ENTRIES:
        extra = document.entries[errors.MAX_ENTRIES]
        raise ListImportError(
            errors.TOO_MANY_ENTRIES.format(
                line=extra.line, count=errors.MAX_ENTRIES + 1, limit=errors.MAX_ENTRIES
            ),
            line=extra.line,
        )
    return document


def _is_csv(lines, filename):
    if PurePath(filename or "").suffix.lower() == ".csv":
        return True
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.lower().startswith("letterboxd list export"):
        return True
    try:
        cells = {cell.strip().lower() for cell in next(csv.reader([first]), [])}
    except csv.Error:
        return False
    return "year" in cells and bool(cells & {"name", "title"})


def _clean_heading(line):
    return ENUMERATION_RE.sub("", line.strip()).strip()


def _match_heading(line):
    """(title, romanized, year) when the line is a heading "Title [Romanized] (Year)"."""
    text = _clean_heading(line)
    if len(text) > MAX_HEADING_LENGTH:
        return None
    match = HEADING_RE.match(text)
    if not match or len(match["title"].split()) > MAX_HEADING_WORDS:
        return None
    return match["title"].strip(), (match["romanized"] or "").strip(), int(match["year"])


def _check_entry(title, year, line):
    if not title:
        raise ListImportError(errors.ENTRY_WITHOUT_TITLE.format(line=line, year=year), line=line)
    if not FIRST_FILM_YEAR <= year <= LAST_FILM_YEAR:
        raise ListImportError(
            errors.YEAR_OUT_OF_RANGE.format(
                line=line, year=year, title=title, low=FIRST_FILM_YEAR, high=LAST_FILM_YEAR
            ),
            line=line,
        )


def is_aside(text):
    """A streaming or shopping aside ("one month free of Amazon Prime"), not content."""
    return bool(ASIDE_RE.search(text))


# Structured list -----------------------------------------------------------------------------


def parse_structured_list(lines):
    """'Title (Year)' headings each followed by 'Description:' and 'Fact:' lines."""
    document = ParsedDocument(kind=Source.Kind.CURATED_LIST)
    numbered = [(number, line.rstrip()) for number, line in enumerate(lines, start=1)]
    introduction = []
    entry = None
    current_label = None
    previous_blank = True
    for index, (number, line) in enumerate(numbered):
        stripped = line.strip()
        if not stripped:
            previous_blank = True
            current_label = None
            continue
        label = LABEL_RE.match(stripped)
        if label:
            if entry is None:
                raise ListImportError(
                    errors.ORPHAN_LINE.format(line=number, label=label["label"].capitalize()),
                    line=number,
                )
            current_label = "blurb" if label["label"].lower() == "description" else "fact"
            setattr(entry, current_label, label["text"].strip())
        elif _next_is_label(numbered, index):
            entry = _structured_heading(stripped, number, len(document.entries) + 1)
            document.entries.append(entry)
            current_label = None
        elif current_label and not previous_blank:
            # A description or fact that continues on the next line stays verbatim.
            setattr(entry, current_label, f"{getattr(entry, current_label)}\n{stripped}")
        elif _is_boilerplate_line(stripped):
            document.skipped.append(SkippedLine(number, stripped, "navigation"))
        elif is_aside(stripped):
            document.skipped.append(SkippedLine(number, stripped, "streaming or shopping aside"))
        elif entry is None:
            introduction.append(stripped)
        else:
            document.skipped.append(SkippedLine(number, stripped, "text between entries"))
        previous_blank = False
    document.introduction = "\n\n".join(introduction)
    return document


def _next_is_label(numbered, index):
    for position in range(index + 1, len(numbered)):
        line = numbered[position][1].strip()
        if line:
            return bool(LABEL_RE.match(line))
    return False


def _structured_heading(text, number, position):
    heading = _match_heading(text)
    if heading is None:
        title = _clean_heading(text)
        raise ListImportError(
            errors.ENTRY_WITHOUT_YEAR.format(line=number, title=title[:100]), line=number
        )
    title, romanized, year = heading
    _check_entry(title, year, number)
    return ParsedEntry(
        position=position, line=number, title=title, romanized_title=romanized, year=year
    )


# Web listicle --------------------------------------------------------------------------------


def _is_boilerplate_line(text):
    return bool(NAVIGATION_RE.match(text))


def parse_listicle(lines):
    """Headings 'Title [Romanized] (Year)' followed by prose; boilerplate left out."""
    document = ParsedDocument(kind=Source.Kind.LISTICLE)
    paragraphs = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    counts = Counter(text for _, text in paragraphs)
    headings = {}
    for number, text in paragraphs:
        heading = _match_heading(text)
        if heading:
            headings[number] = heading
        elif HEADING_WITHOUT_YEAR_RE.match(_clean_heading(text)):
            raise ListImportError(
                errors.ENTRY_WITHOUT_YEAR.format(line=number, title=_clean_heading(text)),
                line=number,
            )
        elif re.fullmatch(r"\s*(?:\[[^\]]*\]\s*)?\(\s*\d{4}\s*\)", _clean_heading(text)):
            year = re.search(r"\d{4}", text).group()
            raise ListImportError(errors.ENTRY_WITHOUT_TITLE.format(line=number, year=year))

    sections = []  # (heading number, heading, [(number, paragraph)])
    introduction = []
    for number, text in paragraphs:
        if number in headings:
            sections.append((number, headings[number], []))
            continue
        reason = _boilerplate_reason(text, counts)
        if reason:
            document.skipped.append(SkippedLine(number, text, reason))
            if reason == "repeated page heading" and not document.title:
                document.title = text
        elif sections:
            sections[-1][2].append((number, text))
        else:
            introduction.append(text)

    seen_later = Counter(_heading_key(heading) for _, heading, _ in sections)
    for number, heading, body in sections:
        key = _heading_key(heading)
        seen_later[key] -= 1
        if not body and seen_later[key] > 0:
            # A table of contents repeats the headings; the entry is the one with prose.
            document.skipped.append(
                SkippedLine(number, _clean_heading(lines[number - 1]), "table of contents")
            )
            continue
        title, romanized, year = heading
        _check_entry(title, year, number)
        entry = ParsedEntry(
            position=len(document.entries) + 1,
            line=number,
            title=title,
            romanized_title=romanized,
            year=year,
            blurb="\n\n".join(text for _, text in body),
        )
        entry.credit_proposals = find_credit_proposals(body)
        entry.paragraphs = body
        document.entries.append(entry)
    if not document.title and introduction and _looks_like_title(introduction[0]):
        document.title = introduction.pop(0)
    document.introduction = "\n\n".join(introduction)
    return document


def _heading_key(heading):
    title, romanized, year = heading
    return (title.lower(), year)


def _boilerplate_reason(text, counts):
    if _is_boilerplate_line(text):
        return "navigation"
    if counts[text] > 1 and len(text) <= MAX_REPEATED_HEADING_LENGTH:
        return "repeated page heading"
    if is_aside(text):
        return "streaming or shopping aside"
    return ""


def _looks_like_title(text):
    return len(text) <= 120 and not text.rstrip().endswith((".", ":", ","))


def find_credit_proposals(paragraphs):
    """'Character (Actor Name)' pairs in prose; a character or actor named twice is ambiguous."""
    proposals = []
    for number, text in paragraphs:
        for match in CREDIT_RE.finditer(text):
            words = match["character"].split()
            while words and words[0].lower() in NOT_A_NAME:
                words.pop(0)
            if not words:
                continue
            character, person = " ".join(words), " ".join(match["person"].split())
            proposals.append(CreditProposal(character=character, person=person, line=number))
    unique = list({(p.character, p.person): p for p in reversed(proposals)}.values())[::-1]
    by_character = Counter(proposal.character for proposal in unique)
    by_person = Counter(proposal.person for proposal in unique)
    for proposal in unique:
        if by_character[proposal.character] > 1 or by_person[proposal.person] > 1:
            proposal.ambiguous = True
            proposal.note = "the prose pairs this character or actor with someone else too"
    return unique


def _person_name(text):
    words = text.rstrip(".").split()  # "…, directed by Andrei Tarkovsky." ends a sentence
    while words and words[0].lower() in NOT_A_NAME:
        words.pop(0)
    return " ".join(words) if len(words) >= 2 else ""


def find_director_mentions(paragraphs, titles):
    """People the prose names as the director of this entry's film, each name once.

    A possessive counts only when the entry's own title follows it ("Andrei Tarkovsky's
    Stalker"), so "Tarkovsky's films" or another film's title names nobody's film here.
    """
    keys = [canonical_title(title) for title in titles if title]
    mentions = {}
    for number, text in paragraphs:
        for match in DIRECTED_BY_RE.finditer(text or ""):
            name = _person_name(match["person"])
            if name:
                mentions.setdefault(name, DirectorMention(name, number))
        for sentence in re.split(r"(?<=[.!?;])\s+", text or ""):
            for match in POSSESSIVE_RE.finditer(sentence):
                rest = without_article(canonical_title(match["rest"]))
                if not any(rest.startswith(without_article(key)) for key in keys if key):
                    continue
                name = _person_name(match["person"])
                if name:
                    mentions.setdefault(name, DirectorMention(name, number))
    return list(mentions.values())


# Letterboxd CSV ------------------------------------------------------------------------------


def parse_letterboxd_csv(text):
    """A Letterboxd list export (with or without its metadata preamble) or any similar CSV."""
    document = ParsedDocument(kind=Source.Kind.LETTERBOXD)
    rows = _csv_rows(text)
    header_index = None
    for index, (_number, row) in enumerate(rows):
        cells = [cell.strip().lower() for cell in row]
        if "year" in cells and ({"name", "title"} & set(cells)):
            header_index = index
            break
        if "name" in cells and index + 1 < len(rows):
            # Letterboxd's preamble: "Date,Name,Tags,URL,Description" then the list's own row.
            meta = dict(zip(cells, rows[index + 1][1], strict=False))
            document.title = (meta.get("name") or "").strip()
            document.introduction = (meta.get("description") or "").strip()
    if header_index is None:
        number, row = rows[0] if rows else (1, [])
        raise ListImportError(
            errors.CSV_MISSING_COLUMN.format(
                line=number, column="Name and Year", found=", ".join(row) or "nothing"
            ),
            line=number,
        )
    header_line, header = rows[header_index]
    columns = {cell.strip().lower(): position for position, cell in enumerate(header)}
    title_column = columns.get("name", columns.get("title"))

    def cell(row, name):
        position = columns.get(name)
        return row[position].strip() if position is not None and position < len(row) else ""

    parsed = []
    for number, row in rows[header_index + 1 :]:
        if not any(value.strip() for value in row):
            continue
        title = row[title_column].strip() if title_column < len(row) else ""
        year_text = cell(row, "year")
        if not year_text:
            raise ListImportError(
                errors.ENTRY_WITHOUT_YEAR.format(line=number, title=title[:100]), line=number
            )
        if not re.fullmatch(r"\d{4}", year_text):
            raise ListImportError(
                errors.CSV_BAD_YEAR.format(line=number, value=year_text[:20], title=title[:100]),
                line=number,
            )
        year = int(year_text)
        _check_entry(title, year, number)
        position_text = cell(row, "position")
        if position_text and not position_text.isdigit():
            raise ListImportError(
                errors.CSV_BAD_POSITION.format(line=number, value=position_text[:20]), line=number
            )
        parsed.append(
            (
                int(position_text) if position_text else len(parsed) + 1,
                ParsedEntry(
                    position=0,
                    line=number,
                    title=title,
                    year=year,
                    # Letterboxd's list export says Description; its importer (and our
                    # export) say Review: either is the blurb.
                    blurb=cell(row, "description") or cell(row, "review"),
                    fact=cell(row, "fact"),
                    url=cell(row, "url"),
                ),
            )
        )
    seen = {}
    for position, entry in parsed:
        if position in seen:
            raise ListImportError(
                errors.CSV_DUPLICATE_POSITION.format(line=entry.line, position=position),
                line=entry.line,
            )
        seen[position] = entry
    # Entries follow the stated positions, renumbered 1, 2, 3... without gaps.
    for new_position, (_, entry) in enumerate(sorted(parsed, key=lambda item: item[0]), 1):
        entry.position = new_position
        document.entries.append(entry)
    return document


def _csv_rows(text):
    """(first line number, cells) for each CSV record; quoted cells may span lines."""
    reader = csv.reader(text.splitlines(keepends=True))
    rows = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ListImportError(
            errors.CSV_UNREADABLE.format(line=start, problem=error), line=start
        ) from None
    return rows
