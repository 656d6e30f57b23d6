"""The clause library: sections of vetted clauses, read from clauses/sections/*.yaml.

A clause's text is a small Markdown subset parsed here once, at load time, into a template of
blocks whose inlines are literal text, bold text, trusted links and placeholders. Values from the
answers are put into placeholder slots later (assembly), after parsing, so they can never become
Markdown structure, markup or links.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .catalogues import CLAUSES_DIR

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
_INLINE = re.compile(
    r"\*\*(?P<bold>.+?)\*\*|\[(?P<label>[^\]]+)\]\((?:(?P<href>https://[^)\s]+)|#(?P<section>[a-z][a-z0-9_]*))\)"
)


@dataclass(frozen=True)
class Slot:
    """A placeholder in a clause template: `{business.legal_name}`."""

    path: str
    strong: bool = False


@dataclass(frozen=True)
class Literal:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class TrustedLink:
    text: str
    href: str


@dataclass(frozen=True)
class SectionLink:
    """`[label](#section_id)`: a link to another section of the same policy (its anchor is
    resolved when the document is built; without that section the label stays plain text)."""

    text: str
    section: str


# A template run: literal text, placeholder slots and links, before the answers fill it.
TemplateInline = Slot | Literal | TrustedLink | SectionLink
TemplateInlines = tuple[TemplateInline, ...]


@dataclass(frozen=True)
class ParagraphTemplate:
    inlines: TemplateInlines


@dataclass(frozen=True)
class ListTemplate:
    items: tuple[TemplateInlines, ...]


@dataclass(frozen=True)
class Source:
    seed: str | None = None
    quote: str | None = None
    law: str | None = None


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    when: str
    laws: tuple[str, ...]
    meets: tuple[str, ...]
    text: str
    blocks: tuple[ParagraphTemplate | ListTemplate, ...]
    sources: tuple[Source, ...]
    legal_basis: tuple[str, ...]
    vetting: str
    heading: str | None = None
    block: str | None = None
    file: str = ""
    verified: bool = True  # false: a premise or citation still to be checked (the vetting note says what)

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(PLACEHOLDER.findall(self.text)))

    @property
    def section_links(self) -> tuple[str, ...]:
        """Ids of the sections this clause links to with `[label](#section_id)`."""
        out = []
        for template in self.blocks:
            runs = template.items if isinstance(template, ListTemplate) else (template.inlines,)
            out += [i.section for run in runs for i in run if isinstance(i, SectionLink)]
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class SectionDef:
    id: str
    title: str
    order: str  # the file's NN prefix
    clauses: tuple[Clause, ...]
    file: str = ""


@dataclass(frozen=True)
class RejectedPassage:
    id: str
    seed: str
    quote: str
    reason: str
    law: str = ""


@dataclass(frozen=True)
class Library:
    sections: tuple[SectionDef, ...]
    rejected: tuple[RejectedPassage, ...]
    problems: tuple[str, ...]  # shape problems met while loading, reported by the lint

    def clauses(self) -> Iterator[Clause]:
        for section in self.sections:
            yield from section.clauses

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses() if c.id == clause_id), None)


def _split_inlines(text: str, strong: bool = False) -> list[Literal | Slot]:
    """Literal text and {placeholders} of a run with no further markup."""
    out: list[Literal | Slot] = []
    pos = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > pos:
            out.append(Literal(text[pos:match.start()], strong))
        out.append(Slot(match.group(1), strong))
        pos = match.end()
    if pos < len(text):
        out.append(Literal(text[pos:], strong))
    return out


def parse_inlines(text: str) -> TemplateInlines:
    text = " ".join(text.split())
    out: list[TemplateInline] = []
    pos = 0
    for match in _INLINE.finditer(text):
        out += _split_inlines(text[pos:match.start()])
        if match.group("bold") is not None:
            out += _split_inlines(match.group("bold"), strong=True)
        elif match.group("section"):
            out.append(SectionLink(match.group("label"), match.group("section")))
        else:
            out.append(TrustedLink(match.group("label"), match.group("href")))
        pos = match.end()
    out += _split_inlines(text[pos:])
    return tuple(out)


def parse_text(text: str | None) -> tuple[ParagraphTemplate | ListTemplate, ...]:
    """Clause Markdown subset -> block templates: paragraphs, and '- ' bullet lists."""
    blocks: list[ParagraphTemplate | ListTemplate] = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            blocks.append(ListTemplate(tuple(parse_inlines(line[2:]) for line in lines)))
            continue
        # A paragraph introducing a list ("We use:\n- a\n- b") splits into both.
        first_item = next((i for i, line in enumerate(lines) if line.startswith("- ")), None)
        if first_item is not None and all(line.startswith("- ") for line in lines[first_item:]):
            blocks.append(ParagraphTemplate(parse_inlines(" ".join(lines[:first_item]))))
            blocks.append(ListTemplate(tuple(parse_inlines(line[2:]) for line in lines[first_item:])))
            continue
        blocks.append(ParagraphTemplate(parse_inlines(" ".join(lines))))
    return tuple(blocks)


def _tuple(value: object) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def _load_clause(entry: dict[str, Any], section_id: str, file_name: str, problems: list[str]) -> Clause | None:
    where = f"{file_name}:{entry.get('id', '?')}"
    sources: list[Source] = []
    for src in entry.get("sources") or ():
        if not isinstance(src, dict):
            problems.append(f"{where}: a source must be a mapping with seed+quote or law")
            continue
        sources.append(Source(seed=src.get("seed"), quote=src.get("quote"), law=src.get("law")))
    try:
        return Clause(
            id=str(entry["id"]),
            section=section_id,
            when=str(entry.get("when") or "always"),
            laws=_tuple(entry.get("laws")) or ("all",),
            meets=_tuple(entry.get("meets")),
            text=entry.get("text") or "",
            blocks=parse_text(entry.get("text") or ""),
            sources=tuple(sources),
            legal_basis=_tuple(entry.get("legal_basis")),
            vetting=(entry.get("vetting") or "").strip(),
            heading=entry.get("heading"),
            block=entry.get("block"),
            file=file_name,
            verified=bool(entry.get("verified", True)),
        )
    except KeyError as exc:
        problems.append(f"{where}: missing {exc.args[0]}")
        return None


class LibraryLoadError(RuntimeError):
    """A clause file could not be read whole: building from what is left would silently drop
    clauses, so no document is built until the file is fixed (manage.py check_clauses names it)."""


def load_complete_library(root: str | Path = CLAUSES_DIR, folder: str = "sections") -> Library:
    """load_library, refusing a library with a file or clause it could not read."""
    library = load_library(root, folder)
    if library.problems:
        raise LibraryLoadError(f"the clause library in {Path(root) / folder} cannot be read whole: "
                               + "; ".join(library.problems))
    return library


def load_library(root: str | Path = CLAUSES_DIR, folder: str = "sections") -> Library:
    """The library of one document: the policy's sections (clauses/sections/), or another
    document's in the same format (the customer DPA: folder="dpa")."""
    root = Path(root)
    problems: list[str] = []
    sections: list[SectionDef] = []
    for path in sorted((root / folder).glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems.append(f"{path.name}: not valid YAML: {exc}")
            continue
        section_id = doc.get("section") or path.stem.split("_", 1)[-1]
        clauses = tuple(
            c for c in (_load_clause(e, section_id, path.name, problems) for e in doc.get("clauses") or ()) if c
        )
        sections.append(SectionDef(
            id=section_id, title=doc.get("title") or section_id, order=path.stem.split("_", 1)[0],
            clauses=clauses, file=path.name,
        ))
    rejected: list[RejectedPassage] = []
    rejected_path = root / "rejected.yaml"
    if rejected_path.exists():
        doc = yaml.safe_load(rejected_path.read_text(encoding="utf-8")) or []
        entries = doc.get("rejected", []) if isinstance(doc, dict) else doc
        for entry in entries:
            try:
                rejected.append(RejectedPassage(
                    id=entry["id"], seed=entry["seed"], quote=entry["quote"], reason=entry["reason"],
                    law=str(entry.get("law") or ""),
                ))
            except KeyError as exc:
                problems.append(f"rejected.yaml:{entry.get('id', '?')}: missing {exc.args[0]}")
    return Library(sections=tuple(sections), rejected=tuple(rejected), problems=tuple(problems))
