"""The importer's domain exception and every message a person can see, written once."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

MAX_DOCUMENT_BYTES = 1_000_000
MAX_ENTRIES = 1000

EMPTY_DOCUMENT = _("The document is empty.")
DOCUMENT_TOO_LARGE = _(
    "The document is {size:,} bytes; the importer accepts at most {limit:,} bytes "
    "(a list document is a few kilobytes). Split it or remove what is not the list."
)
UTF16_DOCUMENT = _(
    "The document is encoded as UTF-16; save it as UTF-8 (plain text) and upload it again."
)
BINARY_DOCUMENT = _(
    "Line {line}: the document contains binary data (byte 0x{byte:02X}); "
    "it is not a text document. Upload the list as UTF-8 plain text or a CSV file."
)
NOT_UTF8 = _(
    "Line {line}: byte 0x{byte:02X} at column {column} is not valid UTF-8 "
    "(the file is probably Latin-1 or Windows-1252); save it as UTF-8 and upload it again."
)
NO_ENTRIES = _(
    "No list entries found in the document ({lines} lines). Expected headings such as "
    "'Title (1980)' or 'Title [Romanized title] (1980)' followed by prose, 'Title (1980)' "
    "followed by 'Description:' and 'Fact:' lines, or a Letterboxd CSV with Name and Year columns."
)
TOO_MANY_ENTRIES = _(
    "Line {line}: entry {count} is one too many; a list holds at most {limit} films. "
    "Split the document into several lists."
)
ENTRY_WITHOUT_YEAR = _(
    "Line {line}: the entry '{title}' has no year; write its heading as 'Title (Year)'."
)
ENTRY_WITHOUT_TITLE = _("Line {line}: the entry has a year ({year}) but no title.")
YEAR_OUT_OF_RANGE = _("Line {line}: the year {year} of '{title}' is not between {low} and {high}.")
ORPHAN_LINE = _("Line {line}: '{label}:' does not follow a 'Title (Year)' heading.")
CSV_MISSING_COLUMN = _(
    "Line {line}: the CSV header has no {column} column (found: {found}). "
    "A Letterboxd list export has Position, Name, Year, URL and Description."
)
CSV_BAD_YEAR = _("Line {line}: the Year '{value}' of '{title}' is not a year.")
CSV_BAD_POSITION = _("Line {line}: the Position '{value}' is not a whole number.")
CSV_DUPLICATE_POSITION = _("Line {line}: position {position} is used twice.")
CSV_UNREADABLE = _("Line {line}: the CSV cannot be read: {problem}.")
DUPLICATE_FILM = _(
    "Line {line}: '{title}' is the same film as the entry on line {first_line} "
    "({film}); a list holds each film once."
)
OVERRIDE_FILM_MISSING = _(
    "Line {line}: the film chosen for '{title}' is no longer in the catalogue; choose again."
)
OVERRIDE_UNKNOWN_ENTRY = _("There is no entry {position} in the document; preview it again.")
NOTHING_LEFT = _("Every entry was skipped: nothing to import.")
TITLE_TOO_LONG = _("The list title is longer than {limit} characters.")


def ambiguous_entries(count, lines):
    """Nothing imported because `count` entries (`lines` says which) match several films."""
    return ngettext(
        "Nothing was imported: {count} entry matches more than one catalogue film ({lines}). "
        "Choose the film for it in the admin's preview, or correct the year or title in the "
        "document (or merge the duplicate films) and import again.",
        "Nothing was imported: {count} entries match more than one catalogue film ({lines}). "
        "Choose the film for each in the admin's preview, or correct the year or title in the "
        "document (or merge the duplicate films) and import again.",
        count,
    ).format(count=count, lines=lines)


class ListImportError(Exception):
    """A document that cannot be imported; `message` says what to fix, `line` where (if known).

    `report` carries the entry-by-entry report when the document parsed but the import
    still cannot be written (e.g. an ambiguous match), so callers can show both.
    """

    def __init__(self, message, *, line=None, report=None):
        super().__init__(message)
        self.message = str(message)  # in the language of the request that failed
        self.line = line
        self.report = report

    def __str__(self):
        return self.message
