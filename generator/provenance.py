"""Where each passage of a generated policy comes from.

Every block of a PolicyDocument names its clause; the clause names its seed passages (file and
verbatim quote) or articles of law, its legal basis and the vetting note that says what was changed
and why. `trace()` joins the two, so a reviewer can answer for any sentence which clause wrote it
and what it was drawn from. Tables and lists built from the answers (processors, cookies,
retention...) are traced to the clause that places them; their rows come from the answers and the
catalogue entries in clauses/catalogues/, each with its own evidence links.
"""
from dataclasses import dataclass
from functools import lru_cache

import yaml

from generator.document import Heading, PolicyDocument, block_text
from generator.library import CLAUSES_DIR, Library, get_library

EXCERPT_CHARS = 160


@dataclass(frozen=True)
class SourceRef:
    seed: str | None  # file name under clauses/sources/
    seed_label: str  # who wrote the seed (clauses/sources/seeds.yaml)
    quote: str | None
    law: str | None


@dataclass(frozen=True)
class Trace:
    section: str
    excerpt: str
    clause_id: str
    file: str  # the clause's section file, under clauses/sections/
    sources: tuple[SourceRef, ...]
    legal_basis: tuple[str, ...]
    vetting: str
    generated: str | None  # the generated block (processors_table...) when rows come from the answers
    verified: bool = True  # false: the clause's premise or citation is still to be checked (its vetting says what)


@lru_cache(maxsize=1)
def seed_labels() -> dict[str, str]:
    """{seed file name: who wrote it}, from clauses/sources/seeds.yaml."""
    with open(CLAUSES_DIR / "sources" / "seeds.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def trace(document: PolicyDocument, library: Library | None = None) -> list[Trace]:
    """[Trace], one per run of consecutive blocks written by the same clause, in document order."""
    clauses = {c.id: c for c in (library or get_library()).clauses()}
    labels = seed_labels()
    traces: list[Trace] = []
    previous = None
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Heading) or (section.id, block.clause) == previous:
                continue
            previous = (section.id, block.clause)
            clause = clauses.get(block.clause)
            traces.append(Trace(
                section=section.title,
                excerpt=_excerpt(block_text(block)),
                clause_id=block.clause,
                file=clause.file if clause else "",
                sources=tuple(
                    SourceRef(s.seed, labels.get(s.seed, "a seed policy") if s.seed else "", s.quote, s.law)
                    for s in (clause.sources if clause else ())
                ),
                legal_basis=clause.legal_basis if clause else (),
                vetting=clause.vetting if clause else "",
                generated=clause.block if clause else None,
                verified=clause.verified if clause else True,
            ))
    return traces


def format_traces(traces: list[Trace]) -> str:
    """Plain text for the command line."""
    lines: list[str] = []
    section = None
    for item in traces:
        if item.section != section:
            section = item.section
            lines += ["", f"## {section}"]
        lines.append(f"[{item.clause_id}] {item.excerpt}")
        for source in item.sources:
            if source.seed:
                lines.append(f"    from {source.seed} ({source.seed_label}): \"{source.quote}\"")
            else:
                lines.append(f"    from the law: {source.law}")
        if item.generated:
            lines.append(f"    rows built from your answers and clauses/catalogues/ ({item.generated})")
        if item.legal_basis:
            lines.append(f"    required by: {'; '.join(item.legal_basis)}")
        if item.vetting:
            lines.append(f"    vetting: {item.vetting}")
        if not item.verified:
            lines.append("    not yet verified: see the vetting note")
    return "\n".join(lines).lstrip("\n") + "\n"
