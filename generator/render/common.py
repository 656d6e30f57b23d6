"""What every renderer shares: interface labels, anchors and the static files they embed.

Labels are interface words ("Contents", "Page 1 of 3"), not legal prose: the policy's wording
lives in the clause library. Anchors are resolved once here so the HTML page, the snippet, the
PDF and the JSON all use the same ids, and a link to `policy.html#cookies` keeps working in
every format.
"""
import re
from functools import lru_cache
from pathlib import Path

from django.utils.text import slugify

from generator.document import Heading, Inline, Inlines, PolicyDocument, Text

# {section index: anchor}, {(section index, block index): anchor} of every sub-heading
SectionAnchors = dict[int, str]
HeadingAnchors = dict[tuple[int, int], str]

# Bump when a renderer's output changes for the same document: it is part of the PDF cache key.
RENDERER_VERSION = "3"

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"

LABELS = {
    "en": {
        "last_updated": "Last updated",
        "contents": "Contents",
        "page_of": "Page {page} of {pages}",
    },
}

_ANCHOR_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def labels(language: str | None) -> dict[str, str]:
    """Interface labels for a language; English when the language has none yet."""
    base = language.split("-")[0].lower() if language else "en"
    return LABELS.get(base, LABELS["en"])


def last_updated_line(document: PolicyDocument) -> str:
    return f"{labels(document.language)['last_updated']}: {document.effective_date_text}"


def _unique(candidate: str, fallback: str, used: set[str]) -> str:
    slug = candidate if _ANCHOR_RE.match(candidate or "") else slugify(candidate or "")
    if not slug or not slug[0].isalpha():
        slug = f"{fallback}-{slug}" if slug else fallback
    result, n = slug, 2
    while result in used:
        result, n = f"{slug}-{n}", n + 1
    used.add(result)
    return result


def resolve_anchors(document: PolicyDocument) -> tuple[SectionAnchors, HeadingAnchors]:
    """Anchor of every section and Heading block: the tree's own when valid, else a stable slug.

    Returns {section_index: anchor} and {(section_index, block_index): anchor}. A section's slug
    comes from its id (stable when the wording changes), a heading's from its text; duplicates get
    a numeric suffix in document order, so the same tree always gets the same anchors.
    """
    used: set[str] = set()
    sections: SectionAnchors = {}
    headings: HeadingAnchors = {}
    for s_index, section in enumerate(document.sections):
        sections[s_index] = _unique(section.anchor or section.id or section.title, f"section-{s_index + 1}", used)
    for s_index, section in enumerate(document.sections):
        for b_index, block in enumerate(section.blocks):
            if isinstance(block, Heading):
                fallback = f"{sections[s_index]}-{b_index + 1}"
                headings[(s_index, b_index)] = _unique(block.anchor or block.text, fallback, used)
    return sections, headings


@lru_cache(maxsize=None)
def _read_static(relative: str, mtime: int) -> str:
    return (STATIC_DIR / relative).read_text(encoding="utf-8")


def static_text(relative: str) -> str:
    """A text file under static/, cached until it changes on disk."""
    path = STATIC_DIR / relative
    return _read_static(relative, path.stat().st_mtime_ns)


def merge_runs(run: Inlines) -> list[Inline]:
    """Adjacent text runs of the same weight as one: a clause's "**As {computed.controller_role}**"
    fills to two bold runs, which printed as "**As** **operator**" (findings.md 24)."""
    out: list[Inline] = []
    for inline in run:
        if out and isinstance(inline, Text) and type(out[-1]) is Text and out[-1].strong == inline.strong:
            out[-1] = Text(out[-1].text + inline.text, inline.strong)
        else:
            out.append(inline)
    return out
