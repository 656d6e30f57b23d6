"""The review step's work: validate the answers, build the policy and, for a business that hosts
its customers' data, the customer DPA, run both compliance reports and render downloads. Views call these; the pipeline itself lives in generator.policy, .compliance and
.render, and this module only adapts it to the templates.
"""
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from generator import compliance, completeness, documents, dpa, dpa_report, policy
from generator import render as renderers
from generator.answers.model import JSON, Answers
from generator.document import PolicyDocument, to_json_dict
from generator.laws import get_laws
from generator.provenance import Trace, trace

from . import services, steps

log = logging.getLogger(__name__)


@dataclass
class Review:
    errors: tuple = ()              # (path, message, step slug) when the answers are not complete
    unavailable: str = ""           # why the preview could not be made
    document: PolicyDocument | None = None
    tree: dict | None = None        # the document as plain data, for the template
    report_items: list = field(default_factory=list)
    report_unavailable: str = ""
    snippet: str = ""
    unfinished: tuple = ()          # (path, why, step slug): required fields missing or placeholders
    # the customer DPA, for a business that hosts its customers' data (generator.dpa)
    dpa_document: PolicyDocument | None = None
    dpa_tree: dict[str, Any] | None = None
    dpa_report_items: list[dict[str, Any]] = field(default_factory=list)
    dpa_absent: str = ""            # why there is no DPA for these answers (it is not needed, or not covered)
    # without a DPA, dpa_report_items holds what a host's customers need under the laws it does not cover


def review(answers: JSON) -> Review:
    result = services.validate(answers)
    if not result.ok:
        return Review(errors=tuple((e.path, e.message, steps.step_for_path(e.path)) for e in result.errors))
    out = Review()
    out.unfinished = tuple(
        (path, why, steps.step_for_path(path)) for path, why in completeness.unfinished_fields(result.answers)  # type: ignore[arg-type]  # set whenever result.ok
    )
    try:
        out.document = policy.build(result.answers)  # type: ignore[arg-type]  # set whenever result.ok
    except Exception:  # noqa: BLE001 - shown to the user, logged in full for the maintainers
        log.exception("building the policy failed")
        out.unavailable = "The policy could not be generated because of an error in HostPolicy. Your answers are saved; the error has been logged."
        return out
    out.tree = safe_tree(to_json_dict(out.document))
    try:
        out.report_items = [_report_row(item) for item in compliance.report(result.answers, out.document).items]  # type: ignore[arg-type]  # set whenever result.ok
    except Exception:  # noqa: BLE001
        log.exception("the compliance report failed")
        out.report_unavailable = "The compliance report could not be made because of an error in HostPolicy; it has been logged."
    out.snippet = cast(str, renderers.render(out.document, "snippet"))  # str for every format but "pdf"
    _review_dpa(result.answers, out)  # type: ignore[arg-type]  # set whenever result.ok
    return out


def _review_dpa(answers: Answers, out: Review) -> None:
    out.dpa_absent = dpa.why_not_available(answers) or ""
    if out.dpa_absent:
        # a host under laws the agreement does not cover still sees what its customers need (counsel, M9)
        out.dpa_report_items = [_report_row(item) for item in dpa_report.uncovered_items(answers)]
        return
    try:
        out.dpa_document = dpa.build_dpa(answers)
        out.dpa_tree = safe_tree(to_json_dict(out.dpa_document))
        out.dpa_report_items = [_report_row(item) for item in dpa_report.report(answers, out.dpa_document).items]
    except Exception:  # noqa: BLE001 - shown to the user, logged in full for the maintainers
        log.exception("building the customer DPA failed")
        out.dpa_document = out.dpa_tree = None
        out.dpa_absent = "The data processing agreement could not be generated because of an error in HostPolicy; it has been logged."


def plain_field(path: str | None) -> str:
    """"data[1].retention_after" -> "data 2, retention after": a contract path in words."""
    words = re.sub(r"\[(\d+)\]", lambda m: f" {int(m.group(1)) + 1}", path or "").replace(".", ", ")
    return words.replace("_", " ")


def unanswered_by_step(errors: Iterable[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """The contract's errors for a draft not yet complete, for the review page: one entry per step
    in the wizard's order, saying "not answered yet" for a step never saved and any other problem
    in words. errors: (path, message, step slug)."""
    order = {slug: i for i, slug in enumerate(steps.SLUGS)}
    by_step: dict[str, dict[str, Any]] = {}
    for path, message, slug in errors:
        entry = by_step.setdefault(slug, {"slug": slug, "label": steps.BY_SLUG[slug].label, "unanswered": False,
                                          "problems": []})
        if message == "this field is required" and re.fullmatch(r"[a-z_]+", path or ""):
            entry["unanswered"] = True  # a whole part of the document: the step was never saved
        else:
            entry["problems"].append(f"{plain_field(path)}: {message}")
    return sorted(by_step.values(), key=lambda e: order.get(e["slug"], len(order)))


_SAFE_HREF = ("https://", "http://", "mailto:", "#")


def safe_tree(tree: JSON) -> JSON:
    """The document as plain data for the preview template; a link whose href is not a web, mail or
    in-page address is shown as its text only (hrefs come from the library, this is belt and braces)."""
    def fix(inlines: list[JSON]) -> list[JSON]:
        for inline in inlines:
            if inline.get("type") == "link" and not str(inline.get("href", "")).lower().startswith(_SAFE_HREF):
                inline["type"] = "text"
                inline.pop("href", None)
        return inlines

    for section in tree.get("sections", ()):
        for block in section.get("blocks", ()):
            if block.get("type") == "paragraph":
                fix(block["inlines"])
            elif block.get("type") == "list":
                for item in block["items"]:
                    fix(item)
            elif block.get("type") == "table":
                for row in block["rows"]:
                    for cell in row:
                        fix(cell)
    return tree


def _report_row(item: compliance.ReportItem) -> dict[str, Any]:
    step = item.step if item.step in steps.SLUGS else None
    return {
        "law": item.law,
        "law_label": get_laws()[item.law].label,
        "element_id": item.element_id,
        "citation": item.citation,
        "requirement": item.requirement,
        "status": item.status,
        "clause_id": item.clause_id,
        "advice": item.advice,
        "note": item.note,
        "verified": item.verified,
        "step": step,
        "step_label": steps.BY_SLUG[step].label if step else "",
    }


def traces(answers: JSON) -> list[Trace] | None:
    """Where each passage of the policy comes from ([generator.provenance.Trace]); None if the
    answers are not complete."""
    result = services.validate(answers)
    if not result.ok:
        return None
    return trace(policy.build(result.answers))  # type: ignore[arg-type]  # set whenever result.ok


def download(answers: JSON, fmt: str, kind: str = "policy") -> tuple[str | bytes, str, str]:
    """(content, content type, file name) of the policy, or the customer DPA (kind="dpa"), in a
    format; ValueError if it cannot be made."""
    output = renderers.get_format(fmt)
    result = services.validate(answers)
    if not result.ok:
        raise ValueError("the answers are not complete")
    return (output.render(documents.build(kind, result.answers)),  # type: ignore[arg-type]  # set whenever result.ok
            output.content_type, output.filename(documents.FILE_STEMS[kind]))
