"""Characters that have no place in answers, found or removed at the edge.

- C0 control characters other than tab, line feed and carriage return, DEL and the C1 controls:
  invisible, and PostgreSQL cannot store NUL in text or JSON at all;
- lone surrogates (U+D800-U+DFFF), which JSON's ``\\ud800`` escape can produce: they are not
  characters, cannot be encoded as UTF-8, and break every export of the document;
- the bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069),
  which can make a published policy display different words from those it contains.

The answers loader rejects a document holding any of them, naming the field; the wizard removes
them from what is typed before anything is validated or kept (`clean`).
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import QueryDict

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")

_NAMES: dict[int, str] = {0: "NUL", 0x7F: "DEL"}


def describe(char: str) -> str:
    """'U+0000 (NUL)', 'U+202E (RIGHT-TO-LEFT OVERRIDE)', 'U+D800 (a lone surrogate)'."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        name = "a lone surrogate"
    else:
        name = _NAMES.get(code, "") or unicodedata.name(char, "a control character")
    return f"U+{code:04X} ({name})"


def problem(value: str) -> str | None:
    """Why a string cannot be accepted, or None when it is fine."""
    match = FORBIDDEN.search(value)
    if match is None:
        return None
    return f"contains the invisible or control character {describe(match.group())} at position {match.start() + 1}"


def clean(value: str) -> str:
    """`value` without the forbidden characters."""
    return FORBIDDEN.sub("", value)


def clean_querydict(querydict: QueryDict) -> QueryDict:
    """A mutable copy of a QueryDict with the forbidden characters removed from keys and values."""
    from django.http import QueryDict

    out = QueryDict(mutable=True)
    for key in querydict:
        out.setlist(clean(key), [clean(v) if isinstance(v, str) else v for v in querydict.getlist(key)])
    return out
