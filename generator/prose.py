"""Small rules that make generated prose read cleanly: labels in sentences, US spelling, URLs.

- `sentence_label("Server and network logs")` -> "server and network logs": a catalogue label
  is written for a heading or the start of a table cell; in a list inside a sentence it is lower
  case, except acronyms and proper nouns ("IP addresses", "WHOIS data" keep their capitals).
- `to_us_spelling(text)`: British spellings of the library turned American, from the word list in
  `clauses/us_spelling.yaml`, for a policy in English whose only law is California's.
- `is_web_url(value)`: the http(s) address test of the answers contract; only such a value, from
  a URL field of the answers, is ever made a link.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from generator.answers.model import Answers

SPELLING_FILE = Path(__file__).resolve().parent.parent / "clauses" / "us_spelling.yaml"

# The answers contract's URL format (generator/answers/loader.py): http or https, a host, and no
# space, quote, angle bracket, backtick or backslash anywhere.
_WEB_URL = re.compile(r"^https?://[^\s<>\"'`\\/?#]+(?:[/?#][^\s<>\"'`\\]*)?$", re.IGNORECASE)


def is_web_url(value: object) -> bool:
    return isinstance(value, str) and bool(_WEB_URL.match(value))


def _keeps_capital(word: str) -> bool:
    """An acronym (IP, WHOIS, SSL/TLS) or a word with inner capitals (PayPal) keeps its case."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    return any(c.isupper() for c in word[1:])


@lru_cache(maxsize=1)
def _catalogue_proper_nouns() -> frozenset[str]:
    """First words of the catalogue's processor names ("Stripe", "Google", "Yandex"): a custom
    label starting with one ("Stripe receipts") keeps its capital."""
    try:
        from generator.library import get_catalogues

        return frozenset(p.name.split(" ", 1)[0] for p in get_catalogues().processors.values())
    except Exception:  # noqa: BLE001 - no catalogue (a bare unit test): no names to protect
        return frozenset()


def sentence_label(name: str, proper_nouns: Collection[str] = ()) -> str:
    """A label as it reads inside a sentence: first letter lower case unless the first word is an
    acronym, has inner capitals or is a proper noun (a catalogue processor's name, or any label
    with a capital further on, such as "Google Analytics data")."""
    if not name:
        return name
    words = name.split(" ")
    first = words[0]
    if _keeps_capital(first) or not first[:1].isupper():
        return name
    if first in proper_nouns or first in _catalogue_proper_nouns():
        return name
    if any(w[:1].isupper() for w in words[1:]):
        return name
    return name[:1].lower() + name[1:]


# -- US spelling ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _spelling_table() -> tuple[dict[str, str], re.Pattern[str] | None]:
    doc = yaml.safe_load(SPELLING_FILE.read_text(encoding="utf-8")) or {}
    words = {str(k): str(v) for k, v in (doc.get("words") or {}).items()}
    if not words:
        return {}, None
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b", re.IGNORECASE)
    return words, pattern


def _match_case(source: str, target: str) -> str:
    if source.isupper() and len(source) > 1:
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


# Addresses are spelled as they are: a token with "/" or "@" in it, or starting "www.", is kept.
_ADDRESS_TOKEN = re.compile(r"\S*[/@]\S*|www\.\S+", re.IGNORECASE)


def to_us_spelling(text: str) -> str:
    words, pattern = _spelling_table()
    if not pattern or not text:
        return text

    def respell(chunk: str) -> str:
        return pattern.sub(lambda m: _match_case(m.group(0), words[m.group(0).lower()]), chunk)

    out: list[str] = []
    pos = 0
    for match in _ADDRESS_TOKEN.finditer(text):
        out += [respell(text[pos:match.start()]), match.group(0)]
        pos = match.end()
    out.append(respell(text[pos:]))
    return "".join(out)


def us_spelling_applies(answers: Answers) -> bool:
    """US spelling where the policy is in English and California's law is the only one chosen."""
    language = (answers.policy.language or "en").split("-")[0].lower()
    return language == "en" and tuple(answers.jurisdictions) == ("us_ca",)


def cell_labels(names: Iterable[str]) -> list[str]:
    """Labels listed in a table cell: the first keeps its capital (it starts the cell), the others
    read as words in a sentence ("Correspondence, support requests and account details")."""
    names = [n for n in names if n]
    return names[:1] + [sentence_label(n) for n in names[1:]]
