"""The customer DPA's compliance report: for each chosen law, what a processor contract must contain.

The same rule as the policy's report (generator.compliance): an element of
clauses/dpa_checklist.yaml is *met* only when a DPA clause that names it in `meets:` is in the
generated agreement and its `verify` condition holds, so leaving out an answer a clause needs
turns the element up missing. For the EU the list is the Art. 28(3) checklist. A chosen law the
agreement does not cover gets one item saying what the host's customers need under it instead
(dpa_checklist.yaml `uncovered`: a problem where that law requires a contract HostPolicy does not
write, a to-do where none is required), never a silent pass; uncovered_items gives these alone,
for the review of a host that gets no agreement at all.
"""
from __future__ import annotations

from typing import Any

from generator.answers.model import Answers
from generator.compliance import Report, ReportItem, STATUSES, clauses_meeting
from generator.compliance import format_report as format_policy_report
from generator.document import PolicyDocument
from generator.library.catalogues import Catalogues
from generator.library.clauses import Library
from generator.dpa import get_dpa_library, load_dpa_checklist, uncovered_requirements
from generator.laws import Law, get_laws
from generator.library import conditions, get_catalogues
from generator.resolve import Facts


def _uncovered_items(law: Law, entries: tuple[dict[str, Any], ...]) -> list[ReportItem]:
    """One item per applicable `uncovered` entry of the law (counsel round 2, n8: every one, not the first)."""
    if not entries:  # a law added to laws.yaml before its entry in dpa_checklist.yaml uncovered
        return [ReportItem(
            law=law.id, element_id=f"{law.id}.processor_contract", citation="",
            requirement=f"A processor contract under {law.name}.", status="action", clause_id=None,
            step="jurisdictions", advice=f"The agreement does not cover what {law.name} asks of a contract with a processor.",
        )]
    return [ReportItem(
        law=law.id, element_id=entry["id"], citation=entry["citation"], requirement=entry["requirement"],
        status=entry["status"], clause_id=None, advice=entry["advice"], step=None,
    ) for entry in entries]


def uncovered_items(answers: Answers, catalogues: Catalogues | None = None) -> tuple[ReportItem, ...]:
    """One item per chosen law the agreement does not cover: what the host's customers need under it;
    none for a business that stores no customers' data, which is no one's processor."""
    facts = Facts(answers, catalogues or get_catalogues())
    if not facts.hosts_customer_data():
        return ()
    return tuple(item for law, entries in uncovered_requirements(facts) for item in _uncovered_items(law, entries))


def report(answers: Answers, document: PolicyDocument, library: Library | None = None,
           catalogues: Catalogues | None = None, checklist: dict[str, Any] | None = None) -> Report:
    library = library or get_dpa_library()
    facts = Facts(answers, catalogues or get_catalogues())
    checklist = checklist or load_dpa_checklist()
    meeting = clauses_meeting(library, document)
    items: list[ReportItem] = []
    uncovered = {law.id: entry for law, entry in uncovered_requirements(facts)}
    for law_id in answers.jurisdictions:
        law = get_laws()[law_id]
        regime = checklist["regimes"].get(law_id)
        if not law.dpa_cite or regime is None:
            items.extend(_uncovered_items(law, uncovered.get(law_id, ())))
            continue
        for element in regime["elements"]:
            if element.get("applies") and not conditions.evaluate(element["applies"], facts):
                continue
            clause_id = meeting.get(element["id"])
            failed_verify = False
            # a sub-processor with no answered region: its location and transfers are unknown (M2)
            region_unstated = bool(element.get("region_question") and facts.region_unstated)
            if element.get("outside_agreement"):
                status, clause_id = "action", None
            elif clause_id and region_unstated:
                status, clause_id = "problem", None
            elif clause_id and element.get("verify") and not conditions.evaluate(element["verify"], facts):
                # "action" where the text is lawful but an answer is still expected (breach hours, n9)
                status, clause_id, failed_verify = element.get("verify_status", "problem"), None, True
            elif clause_id:
                status = "met"
            else:
                status = "missing"
            advice = ""
            if status == "problem" and region_unstated:
                advice = " ".join(facts.catalogues.words("dpa", "region_unstated_advice", name=p.name) for p in facts.region_unstated)
                if element.get("verify") and not conditions.evaluate(element["verify"], facts):
                    advice = f"{advice} {element['verify_advice']}"
            elif failed_verify:
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


__all__ = ["STATUSES", "format_report", "load_dpa_checklist", "report", "uncovered_items"]
