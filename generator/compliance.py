"""The compliance report: for each chosen law, which required disclosures the policy makes.

An element of clauses/sources/legal-checklist.yaml is *met* only when a clause that names it in
`meets:` is actually in the generated document, so the report cannot pass by construction: leave
out the answer a clause needs and its element turns up missing. clauses/compliance.yaml says when
a conditional element applies, what to advise, and which wizard step fixes it; its `checks` flag
problems in the answers themselves (indefinite retention, no EU representative, ...).
"""
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Callable
from typing import Any

import yaml

from generator.library import CLAUSES_DIR, get_catalogues, get_library
from generator.library import conditions
from generator.laws import get_laws
from generator.resolve import Facts
from generator.answers.model import Answers
from generator.document import PolicyDocument
from generator.library import Catalogues, Library

SCORED_LEVELS = ("mandatory", "conditional")
# action: a duty that no wording can discharge (linking the policy from every form, collecting a
# separate consent); the report lists it as a to-do for the business, never as met.
STATUSES = ("met", "missing", "problem", "action")


@dataclass(frozen=True)
class ReportItem:
    law: str
    element_id: str
    citation: str
    requirement: str
    status: str  # met | missing | problem | action
    clause_id: str | None
    advice: str
    step: str | None
    verified: bool = True
    note: str | None = None


@dataclass(frozen=True)
class Report:
    laws: tuple[str, ...]
    items: tuple[ReportItem, ...]

    @property
    def gaps(self) -> tuple[ReportItem, ...]:
        return tuple(i for i in self.items if i.status != "met")

    def for_law(self, law: str) -> tuple[ReportItem, ...]:
        return tuple(i for i in self.items if i.law == law)

    def counts(self, law: str | None = None) -> dict[str, int]:
        items = self.for_law(law) if law else self.items
        return {s: sum(1 for i in items if i.status == s) for s in STATUSES}


@lru_cache(maxsize=1)
def load_checklist() -> dict[str, Any]:
    with open(CLAUSES_DIR / "sources" / "legal-checklist.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def load_compliance_map() -> dict[str, list[dict[str, Any]]]:
    path = CLAUSES_DIR / "compliance.yaml"
    if not path.exists():
        return {"elements": [], "checks": []}
    with open(path, encoding="utf-8") as handle:
        doc = yaml.safe_load(handle) or {}
    return {"elements": doc.get("elements") or [], "checks": doc.get("checks") or []}


def _element_applies(element: dict[str, Any], rule: dict[str, Any] | None, facts: Facts) -> bool:
    if rule and rule.get("applies"):
        return conditions.evaluate(rule["applies"], facts)
    return element["level"] == "mandatory"


def clauses_meeting(library: Library, document: PolicyDocument) -> dict[str, str]:
    """Each checklist element met by a clause the document includes: element id -> the first such
    clause's id, in library order (the policy's report and the DPA's read it alike)."""
    included = set(document.clause_ids)
    meeting: dict[str, str] = {}
    for clause in library.clauses():
        if clause.id in included:
            for element_id in clause.meets:
                meeting.setdefault(element_id, clause.id)
    return meeting


def report(answers: Answers, document: PolicyDocument, library: Library | None = None,
           catalogues: Catalogues | None = None, checklist: dict[str, Any] | None = None,
           compliance_map: dict[str, list[dict[str, Any]]] | None = None) -> Report:
    library = library or get_library()
    catalogues = catalogues or get_catalogues()
    checklist = checklist or load_checklist()
    compliance_map = compliance_map or load_compliance_map()
    facts = Facts(answers, catalogues)
    rules = {r["id"]: r for r in compliance_map["elements"]}

    meeting = clauses_meeting(library, document)

    items: list[ReportItem] = []
    seen: set[tuple[str, str]] = set()
    for law in answers.jurisdictions:
        for regime in get_laws()[law].regimes:
            for element in checklist["regimes"][regime]["elements"]:
                if element["level"] not in SCORED_LEVELS or (law, element["id"]) in seen:
                    continue
                rule = rules.get(element["id"])
                if not _element_applies(element, rule, facts):
                    continue
                seen.add((law, element["id"]))
                clause_id = meeting.get(element["id"])
                verify = (rule or {}).get("verify")
                if clause_id and verify and not conditions.evaluate(verify, facts):
                    # the clause is there, but the answers leave its substance wrong or unknown
                    status, clause_id = "problem", None
                elif clause_id:
                    status = "met"
                elif (rule or {}).get("outside_policy"):
                    status = "action"
                else:
                    status = "missing"
                items.append(ReportItem(
                    law=law,
                    element_id=element["id"],
                    citation=element["citation"],
                    requirement=element["requirement"],
                    status=status,
                    clause_id=clause_id,
                    advice="" if clause_id else (
                        (rule or {}).get("verify_advice") if status == "problem" else (rule or {}).get("advice")) or (
                        f"No clause of the policy makes this disclosure: {element['requirement']}"),
                    step=(rule or {}).get("step"),
                    verified=bool(element.get("verified", True)),
                    note=(rule or {}).get("note") or element.get("note"),
                ))
        for check in compliance_map["checks"]:
            # law: all - a problem in the answers whatever the law (issue 9), listed under each law
            if check.get("law") not in (law, "all") or not conditions.evaluate(check["when"], facts):
                continue
            items.append(ReportItem(
                law=law, element_id=check["id"], citation=check.get("citation", ""),
                requirement=check.get("problem", ""), status="problem", clause_id=None,
                advice=check.get("advice", ""), step=check.get("step"), note=check.get("note"),
            ))
    return Report(laws=tuple(answers.jurisdictions), items=tuple(items))


def format_report(rep: Report, *, law_name: Callable[[str], str] | None = None, document: str = "the policy") -> str:
    """Plain-text report for the CLI: per law, `law_name(law)` (default: the registry's label) and its
    items; `document` names what the "to do" items are outside of."""
    lines: list[str] = []
    for law in rep.laws:
        counts = rep.counts(law)
        name = law_name(law) if law_name else get_laws()[law].label
        lines.append(f"{name}: {counts['met']} met, {counts['missing']} missing, "
                     f"{counts['problem']} problems, {counts['action']} to do outside {document}")
        for item in rep.for_law(law):
            if item.status == "met":
                lines.append(f"  met      {item.element_id} ({item.citation}) by {item.clause_id}")
            else:
                label = {"missing": "MISSING ", "problem": "PROBLEM ", "action": "TO DO   "}[item.status]
                lines.append(f"  {label} {item.element_id} ({item.citation}): {item.advice}")
    return "\n".join(lines)
