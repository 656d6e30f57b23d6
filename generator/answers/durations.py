"""Durations of the answers contract: ISO 8601 periods or the keywords session/while_active/indefinite.

A policy prints them in words ("6 years", "12 weeks"), so the parsed form keeps the units as written
rather than normalising P12W to 84 days.
"""
import re
from dataclasses import dataclass

KEYWORDS = ("session", "while_active", "indefinite")

_ISO = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
_UNITS = ("years", "months", "weeks", "days", "hours", "minutes", "seconds")
_SINGULAR = {unit: unit[:-1] for unit in _UNITS}
# Rough lengths, only for ordering and comparisons (never printed).
_APPROX_SECONDS = {
    "years": 365 * 86400, "months": 30 * 86400, "weeks": 7 * 86400, "days": 86400,
    "hours": 3600, "minutes": 60, "seconds": 1,
}


@dataclass(frozen=True)
class Duration:
    text: str  # as written in the answers: "P6Y" or a keyword

    @property
    def keyword(self) -> str | None:
        return self.text if self.text in KEYWORDS else None

    def parts(self) -> tuple[tuple[int, str], ...]:
        """(count, unit) pairs in order, for ISO periods; empty for keywords."""
        match = _ISO.match(self.text)
        if not match:
            return ()
        return tuple((int(match[unit]), unit) for unit in _UNITS if match[unit] and int(match[unit]))

    def approx_seconds(self) -> float:
        if self.text == "indefinite":
            return float("inf")
        return sum(count * _APPROX_SECONDS[unit] for count, unit in self.parts())

    def words(self) -> str:
        """"6 years", "1 year and 6 months", "30 minutes"; keywords in words too."""
        if self.text == "session":
            return "until you close your browser"
        if self.text == "while_active":
            # neutral: a policy prints the category's own words from the vocabulary
            # (assembly.while_active_words: the account, the domain, the subscription; finding 9)
            return "while it is in use"
        if self.text == "indefinite":
            return "with no fixed end date"
        phrases = [f"{count} {_SINGULAR[unit] if count == 1 else unit}" for count, unit in self.parts()]
        if not phrases:
            return "0 days"
        return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]

    def __str__(self) -> str:
        return self.text


def is_duration(value: object) -> bool:
    return isinstance(value, str) and (value in KEYWORDS or bool(_ISO.match(value)))


def parse_duration(value: str) -> Duration:
    if not is_duration(value):
        raise ValueError(f"{value!r} is not a duration")
    return Duration(value)
