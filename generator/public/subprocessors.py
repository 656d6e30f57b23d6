"""The public sub-processor list, `/p/<slug>/subprocessors/`, and the notice before it changes.

The list has one home: the sub-processors table of the customer DPA a public version stored when it
was published (PublishedVersion.dpa_document), made by generator.dpa.subprocessors_table. The page,
the history, the notice emails and the drafted summary all read that table, so the list and the
agreement never disagree. For a draft not yet published, the same function makes the rows from its
answers.
"""
from dataclasses import dataclass, field
from typing import Any

from generator import dpa
from generator.answers.model import Answers
from generator.document import Inlines, PolicyDocument, Table
from generator.library import get_catalogues
from generator.models import Publication, PublishedVersion
from generator.resolve import Facts

from . import snapshot

TABLE_KIND = "subprocessors"  # the kind dpa.subprocessors_table gives its table


@dataclass(frozen=True)
class Row:
    """One sub-processor as the DPA's table lists it, each cell as plain text."""

    name: str        # the name in bold in the first cell: how rows are matched across versions
    entity: str      # the whole first cell: "Hetzner (Hetzner Online GmbH)"
    purpose: str
    where: str
    mechanism: str


@dataclass
class Change:
    """What a version changes in the list, compared with the one before it."""

    added: list[Row] = field(default_factory=list)
    replaced: list[tuple[Row, Row]] = field(default_factory=list)  # (before, after) under the same name
    removed: list[Row] = field(default_factory=list)

    @property
    def needs_notice(self) -> bool:
        """Adding or replacing a sub-processor needs notice and opens the objection window (GDPR
        Art. 28(2)); removing one does not."""
        return bool(self.added or self.replaced)

    def __bool__(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


def _text(cell: Inlines) -> str:
    return "".join(i.text for i in cell).strip()


def rows_of_table(table: Table | None) -> list[Row]:
    if table is None:
        return []
    rows = []
    for cells in table.rows:
        name = next((i.text for i in cells[0] if getattr(i, "strong", False)), _text(cells[0]))
        rows.append(Row(name.strip(), _text(cells[0]), _text(cells[1]), _text(cells[2]), _text(cells[3])))
    return rows


def _table_in(document: PolicyDocument) -> Table | None:
    return next((b for s in document.sections for b in s.blocks if isinstance(b, Table) and b.kind == TABLE_KIND), None)


def columns_of(document_json: dict[str, Any]) -> tuple[str, ...]:
    table = _table_in(snapshot.document_from_json(document_json))
    return table.columns if table else tuple(get_catalogues().words("tables", "subprocessors"))


def version_rows(version: PublishedVersion | None) -> list[Row] | None:
    """The list a public version published, or None when it published no DPA."""
    if version is None or version.dpa_document is None:
        return None
    return rows_of_table(_table_in(snapshot.document_from_json(version.dpa_document)))


def answers_rows(answers: Answers) -> list[Row] | None:
    """The list the DPA of these answers would publish (None: the answers call for no DPA)."""
    if dpa.why_not_available(answers) is not None:
        return None
    facts = Facts(answers, get_catalogues())
    blocks = dpa.subprocessors_table(facts, "subprocessors.list")
    return rows_of_table(next((b for b in blocks if isinstance(b, Table)), None))


def compare(before: list[Row] | None, after: list[Row] | None) -> Change:
    """What changes from `before` to `after`. A first list (nothing before) changes nothing: there
    was no earlier authorisation to give notice against."""
    if before is None:
        return Change()
    old = {r.name: r for r in before}
    new = {r.name: r for r in (after or [])}
    return Change(
        added=[r for name, r in new.items() if name not in old],
        replaced=[(old[name], r) for name, r in new.items()
                  if name in old and (old[name].entity, old[name].where) != (r.entity, r.where)],
        removed=[r for name, r in old.items() if name not in new],
    )


def has_list(publication: Publication) -> bool:
    return publication.versions.filter(document__isnull=False, dpa_document__isnull=False).exists()


def draft_change(answers: Answers, last: PublishedVersion | None) -> Change:
    """What publishing the draft's answers now would change in the public list."""
    return compare(version_rows(last), answers_rows(answers)) if last is not None else Change()


def contact_email(version: PublishedVersion) -> str:
    """Where customers send an objection: the business's contact address as published."""
    return str((version.answers.get("business") or {}).get("contact_email") or "")


def not_offered_reasons(version: PublishedVersion) -> list[str]:
    """Why the published DPA is a draft, not an agreement offered for acceptance: the requirements
    its own report (from the stored answers and document) shows as problems or missing. The same
    rule as the README's and the report's: any problem means the agreement is not ready to offer,
    which covers every clause that says "not offered for acceptance" (counsel, round 3)."""
    from generator import dpa_report
    from generator.web import services as drafts

    from . import services  # the publishing services read this module

    result = drafts.validate(version.answers)
    if not result.ok or result.answers is None:
        return ["the answers it was published from are not complete"]
    rep = dpa_report.report(result.answers, services.version_dpa_document(version))
    return list(dict.fromkeys(
        i.requirement for i in rep.items if i.status in ("problem", "missing")))
