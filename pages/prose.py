"""Quoting prose on the site: whole sentences only, never a fragment cut mid-thought."""

import re

# A sentence ends with . ! ? or … (perhaps followed by a closing quote or bracket) and a space.
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s|$)")
# A whole sentence opens with a capital, a digit, or an opening quote or bracket.
SENTENCE_START = re.compile(r"^[\"'“‘«(\[]*[0-9A-ZА-ЯЁ]")


def is_whole_sentence(text):
    """Whether `text` reads as whole sentences: it starts like a sentence and ends like one."""
    text = text.strip()
    return bool(SENTENCE_START.match(text)) and bool(SENTENCE_END.search(text[-3:]))


def sentences_within(text, limit):
    """The leading whole sentences of `text` that fit in `limit` characters; the first
    sentence alone when even that is longer (a reader gets a thought, not a fragment)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    ends = [match.end() for match in SENTENCE_END.finditer(text)]
    within = [end for end in ends if end <= limit]
    if within:
        return text[: within[-1]]
    return text[: ends[0]] if ends else text
