"""A published version keeps the policy document it produced (generator.document.to_json_dict),
and is read back from that, not rebuilt from its answers: a year later, after the clause library
has changed, it still says what it said. The fingerprint of the clause library that produced it
is kept beside it, so anyone can tell which library a version came from.
"""
import datetime
import hashlib
from functools import lru_cache
from typing import Any

from generator.document import BulletList, Heading, Link, Paragraph, PolicyDocument, Section, Table, Text, to_json_dict
from generator.library import CLAUSES_DIR


@lru_cache(maxsize=1)
def library_fingerprint() -> str:
    """SHA-256 over every file of the clause library (paths and contents), in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in CLAUSES_DIR.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(CLAUSES_DIR)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _inline(data: dict[str, Any]) -> Text | Link:
    if data["type"] == "link":
        return Link(data["text"], data["href"])
    return Text(data["text"], bool(data.get("strong")))


def _run(items: list[dict[str, Any]]) -> tuple[Text | Link, ...]:
    return tuple(_inline(i) for i in items)


def _block(data: dict[str, Any]) -> Paragraph | BulletList | Table | Heading:
    kind = data["type"]
    if kind == "paragraph":
        return Paragraph(_run(data["inlines"]), data["clause"])
    if kind == "list":
        return BulletList(tuple(_run(item) for item in data["items"]), data["clause"])
    if kind == "table":
        return Table(
            columns=tuple(data["columns"]),
            rows=tuple(tuple(_run(cell) for cell in row) for row in data["rows"]),
            clause=data["clause"], caption=data.get("caption"), kind=data.get("kind", ""),
        )
    if kind == "heading":
        return Heading(data["text"], data["clause"], data.get("anchor", ""))
    raise ValueError(f"unknown block type {kind!r}")


def document_from_json(data: dict[str, Any]) -> PolicyDocument:
    """The PolicyDocument that `to_json_dict` stored."""
    sections = tuple(
        Section(s["id"], s["title"], tuple(_block(b) for b in s["blocks"]), s.get("anchor", ""))
        for s in data["sections"]
    )
    return PolicyDocument(
        title=data["title"], business_name=data["business_name"], legal_name=data["legal_name"],
        effective_date=datetime.date.fromisoformat(data["effective_date"]),
        effective_date_text=data["effective_date_text"], language=data["language"], paper=data["paper"],
        websites=tuple(data["websites"]), sections=sections, laws=tuple(data.get("laws", ())),
        clause_ids=tuple(dict.fromkeys(
            b.clause for s in sections for b in s.blocks if getattr(b, "clause", None))),
    )


def document_to_json(document: PolicyDocument) -> dict[str, Any]:
    return to_json_dict(document)
