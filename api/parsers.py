"""Request body parsing that turns every malformed body into a 400."""

import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Errors a client can see, written once so tests can assert on them.
NESTED_TOO_DEEPLY = "JSON parse error - the document is nested too deeply."
LONE_SURROGATE = (
    "JSON parse error - a \\u escape in the document is half of a UTF-16 surrogate pair "
    "(U+D800 to U+DFFF) without its other half, which is not text. Send the text as UTF-8, "
    "or escape a character beyond U+FFFF as a complete pair."
)

SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(data):
    """Is there a lone surrogate in any key or string of the parsed document?

    JSON decoding joins a complete pair into one character, so any surrogate left is lone.
    A loop rather than recursion: the document may be nested nearly as deep as the parser
    allowed.
    """
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if SURROGATE.search(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, plus: absurd nesting and text that is not text are parse errors.

    A lone surrogate would otherwise reach validation, and a message quoting it could not be
    encoded as UTF-8: a 500. The message never repeats the value.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(NESTED_TOO_DEEPLY) from error
        if has_lone_surrogate(data):
            raise ParseError(LONE_SURROGATE)
        return data
