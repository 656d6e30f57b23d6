"""The customer DPA's compliance report: for each chosen law, what a processor contract must contain.

The same rule as the policy's report (generator.compliance): an element of
clauses/dpa_checklist.yaml is *met* only when a DPA clause that names it in `meets:` is in the
generated agreement and its `verify` condition holds, so leaving out an answer a clause needs
turns the element up missing. For the EU the list is the Art. 28(3) checklist. A chosen law the
agreement does not cover gets one to-do saying so, never a silent pass.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from generator.answers.model import Answers
from generator.compliance import Report, ReportItem, STATUSES
from generator.compliance import format_report as format_policy_report
from generator.document import PolicyDocument
from generator.library.catalogues import Catalogues
from generator.library.clauses import Library
from generator.dpa import get_dpa_library
from generator.laws import get_laws
from generator.library import CLAUSES_DIR, conditions, get_catalogues
from generator.resolve import Facts


@lru_cache(maxsize=1)
def load_dpa_checklist() -> dict[str, Any]:
    with open(CLAUSES_DIR / "dpa_checklist.yaml", encoding="utf-8") as handle:
        checklist: dict[str, Any] = yaml.safe_load(handle)
    return checklist


def report(answers: Answers, document: PolicyDocument, library: Library | None = None,
           catalogues: Catalogues | None = None, checklist: dict[str, Any] | None = None) -> Report:
    library = library or get_dpa_library()
    facts = Facts(answers, catalogues or get_catalogues())
    checklist = checklist or load_dpa_checklist()
    included = set(document.clause_ids)
    meeting: dict[str, str] = {}
    for clause in library.clauses():
        if clause.id in included:
            for element_id in clause.meets:
                meeting.setdefault(element_id, clause.id)
    items: list[ReportItem] = []
    for law_id in answers.jurisdictions:
        law = get_laws()[law_id]
        regime = checklist["regimes"].get(law_id)
        if not law.dpa_cite or regime is None:
            items.append(ReportItem(
                law=law_id, element_id=f"{law_id}.processor_contract", citation="",
                requirement=f"A processor contract under {law.name}.",
                status="action", clause_id=None, step="jurisdictions",
                advice=(f"This agreement is written for the GDPR, the UK GDPR, the Swiss FADP, Brazil's LGPD and "
                        f"the CCPA; it does not cover what {law.name} asks of a contract with a processor. "
                        "Have that part drafted separately."),
            ))
            continue
        for element in regime["elements"]:
            if element.get("applies") and not conditions.evaluate(element["applies"], facts):
                continue
            clause_id = meeting.get(element["id"])
            if element.get("outside_agreement"):
                status, clause_id = "action", None
            elif clause_id and element.get("verify") and not conditions.evaluate(element["verify"], facts):
                status, clause_id = "problem", None
            elif clause_id:
                status = "met"
            else:
                status = "missing"
            advice = ""
            if status == "problem":
                advice = element["verify_advice"]
            elif status != "met":
                advice = element.get("advice") or f"No clause of the agreement says this: {element['requirement']}"
            items.append(ReportItem(
                law=law_id, element_id=element["id"], citation=element["citation"],
                requirement=element["requirement"], status=status, clause_id=clause_id, advice=advice,
                step=element.get("step"), verified=bool(element.get("verified", True)), note=element.get("note"),
            ))
    return Report(laws=tuple(answers.jurisdictions), items=tuple(items))


def format_report(rep: Report) -> str:
    """Plain-text report for the CLI, in the policy report's shape (compliance.format_report)."""
    def regime_name(law: str) -> str:
        regime = load_dpa_checklist()["regimes"].get(law)
        return str(regime["name"]) if regime else get_laws()[law].label

    return format_policy_report(rep, law_name=regime_name, document="the agreement")


__all__ = ["STATUSES", "format_report", "load_dpa_checklist", "report"]
