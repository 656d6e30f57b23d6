"""The policy document: the one tree every renderer reads.

Assembly (generator.assembly) builds it from answers, clauses and catalogues; the Markdown, HTML,
snippet, PDF and JSON renderers only walk it. No renderer holds wording of its own, so every format
says the same thing.

Text in the tree is plain text, never markup: a renderer escapes it for its format. Links carry
hrefs that come from the clause library, the catalogues, a URL field of the answers that the
answers contract validated as an http(s) address, or `#anchor` links to a section of the policy;
any other text a user typed is always `Text`.
Every block names the clause it came from, so any sentence can be traced to its source.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Text:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Link:
    text: str
    href: str  # library, catalogue, a validated http(s) URL field, or "#<section anchor>"

    @property
    def internal(self) -> bool:
        return self.href.startswith("#")


Inline = Text | Link
Inlines = tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    inlines: Inlines
    clause: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inlines, ...]
    clause: str


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]  # header labels (plain text)
    rows: tuple[tuple[Inlines, ...], ...]  # a row is a tuple of cells; a cell is an inline tuple
    clause: str
    caption: str | None = None
    kind: str = ""  # processors, cookies, retention, purposes: lets renderers style by kind


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section (level 3 in HTML)."""

    text: str
    clause: str
    anchor: str = ""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]
    anchor: str = ""


@dataclass(frozen=True)
class PolicyDocument:
    title: str
    business_name: str
    legal_name: str
    effective_date: date
    effective_date_text: str  # long form in the policy language: "23 November 2026"
    language: str
    paper: str
    websites: tuple[str, ...]
    sections: tuple[Section, ...]
    laws: tuple[str, ...] = ()
    clause_ids: tuple[str, ...] = field(default=())  # every clause used, in order of appearance


Block = Paragraph | BulletList | Table | Heading
JSON = dict[str, Any]

SUMMARY_SECTION = "at_a_glance"  # the layered summary every format opens with (generator.summary)


def summary_and_rest(document: PolicyDocument) -> tuple[Section | None, tuple[Section, ...]]:
    """(the at-a-glance section or None, the other sections): renderers put the summary before
    the table of contents, so the reader meets it first."""
    sections = document.sections
    if sections and sections[0].id == SUMMARY_SECTION:
        return sections[0], sections[1:]
    return None, sections


def inline_text(inlines: Inlines) -> str:
    """Plain text of a run of inlines (for search, tests and the PDF outline)."""
    return "".join(i.text for i in inlines)


def block_lines(block: Block) -> list[str]:
    """The block's content as lines of plain text: one for a paragraph or a sub-heading, one per
    list item, one per table row (the header row is not content; block_text adds it)."""
    if isinstance(block, Paragraph):
        return [inline_text(block.inlines)]
    if isinstance(block, BulletList):
        return [inline_text(item) for item in block.items]
    if isinstance(block, Table):
        return [" | ".join(inline_text(cell) for cell in row) for row in block.rows]
    if isinstance(block, Heading):
        return [block.text]
    raise TypeError(block)


def block_text(block: Block) -> str:
    lines = block_lines(block)
    if isinstance(block, Table):
        lines.insert(0, " | ".join(block.columns))
    return "\n".join(lines)


def plain_text(document: PolicyDocument) -> str:
    """The whole policy as plain text, section by section."""
    parts = [document.title]
    for section in document.sections:
        parts.append(section.title)
        parts.extend(block_text(b) for b in section.blocks)
    return "\n\n".join(parts)


def _inline_json(inline: Inline) -> JSON:
    if isinstance(inline, Link):
        return {"type": "link", "text": inline.text, "href": inline.href}
    out: JSON = {"type": "text", "text": inline.text}
    if inline.strong:
        out["strong"] = True
    return out


def _block_json(block: Block) -> JSON:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "clause": block.clause, "inlines": [_inline_json(i) for i in block.inlines]}
    if isinstance(block, BulletList):
        return {"type": "list", "clause": block.clause, "items": [[_inline_json(i) for i in item] for item in block.items]}
    if isinstance(block, Table):
        return {
            "type": "table", "clause": block.clause, "kind": block.kind, "caption": block.caption,
            "columns": list(block.columns),
            "rows": [[[_inline_json(i) for i in cell] for cell in row] for row in block.rows],
        }
    if isinstance(block, Heading):
        return {"type": "heading", "clause": block.clause, "text": block.text, "anchor": block.anchor}
    raise TypeError(block)


def to_json_dict(document: PolicyDocument) -> JSON:
    return {
        "format": "hostpolicy-document/1",
        "title": document.title,
        "business_name": document.business_name,
        "legal_name": document.legal_name,
        "effective_date": document.effective_date.isoformat(),
        "effective_date_text": document.effective_date_text,
        "language": document.language,
        "paper": document.paper,
        "websites": list(document.websites),
        "laws": list(document.laws),
        "sections": [
            {"id": s.id, "title": s.title, "anchor": s.anchor, "blocks": [_block_json(b) for b in s.blocks]}
            for s in document.sections
        ],
    }
