"""The review step's work: validate the answers, build the policy, run the compliance report and
render downloads, through the lead's API:

    generator.policy.build(answers) -> PolicyDocument
    generator.compliance.report(answers, document) -> Report (.items: law, element_id, citation,
        requirement, status 'met'|'missing', clause_id, advice, step)
    generator.render.render(document, fmt) -> str (bytes for pdf); generator.render.CONTENT_TYPES

Until those modules exist the review says so plainly instead of failing.
"""
import importlib
import logging
from dataclasses import dataclass, field

from generator.document import to_json_dict

from . import services, steps

log = logging.getLogger(__name__)

FORMATS = {
    # fmt: (label, file name, fallback content type)
    "pdf": ("PDF", "privacy-policy.pdf", "application/pdf"),
    "html": ("Web page (HTML)", "privacy-policy.html", "text/html; charset=utf-8"),
    "markdown": ("Markdown", "privacy-policy.md", "text/markdown; charset=utf-8"),
    "snippet": ("HTML snippet", "privacy-policy-snippet.html", "text/html; charset=utf-8"),
    "json": ("JSON", "privacy-policy.json", "application/json"),
}


class Unavailable(Exception):
    """The policy builder, the compliance report or a renderer is not available."""


def _module(name):
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if getattr(exc, "name", None) != name:
            log.warning("importing %s failed", name, exc_info=True)  # it exists but one of its imports is missing
        raise Unavailable(f"{name} is not part of this version yet") from None


def _function(module_name, attr):
    func = getattr(_module(module_name), attr, None)
    if func is None:
        raise Unavailable(f"{module_name}.{attr} is not part of this version yet")
    return func


def build_document(typed_answers):
    return _function("generator.policy", "build")(typed_answers)


def compliance_report(typed_answers, document):
    return _function("generator.compliance", "report")(typed_answers, document)


def render(document, fmt):
    return _function("generator.render", "render")(document, fmt)


def content_type(fmt):
    try:
        types = getattr(_module("generator.render"), "CONTENT_TYPES", {}) or {}
    except Unavailable:
        types = {}
    return types.get(fmt, FORMATS[fmt][2])


@dataclass
class Review:
    errors: tuple = ()              # (path, message, step slug) when the answers are not complete
    unavailable: str = ""           # why the preview could not be made
    document: object = None
    tree: dict | None = None        # the document as plain data, for the template
    report_items: list = field(default_factory=list)
    report_unavailable: str = ""
    snippet: str = ""


def review(answers):
    result = services.validate(answers)
    if not result.ok:
        return Review(errors=tuple((e.path, e.message, steps.step_for_path(e.path)) for e in result.errors))
    out = Review()
    try:
        out.document = build_document(result.answers)
    except Unavailable as exc:
        out.unavailable = f"The policy preview is not available yet: {exc}. Your answers are saved and complete; come back later or download them as YAML."
        return out
    except Exception:  # noqa: BLE001 - shown to the user, logged in full for the maintainers
        log.exception("building the policy failed")
        out.unavailable = "The policy could not be generated because of an error in HostPolicy. Your answers are saved; the error has been logged."
        return out
    out.tree = safe_tree(to_json_dict(out.document))
    try:
        report = compliance_report(result.answers, out.document)
        out.report_items = [_report_row(item) for item in report.items]
    except Unavailable as exc:
        out.report_unavailable = f"The compliance report is not available yet: {exc}."
    except Exception:  # noqa: BLE001
        log.exception("the compliance report failed")
        out.report_unavailable = "The compliance report could not be made because of an error in HostPolicy; it has been logged."
    try:
        out.snippet = render(out.document, "snippet")
    except Exception:  # noqa: BLE001 - Unavailable or a renderer bug; the downloads say more
        log.warning("snippet rendering failed", exc_info=True)
        out.snippet = ""
    return out


_SAFE_HREF = ("https://", "http://", "mailto:", "#")


def safe_tree(tree):
    """The document as plain data for the preview template; a link whose href is not a web, mail or
    in-page address is shown as its text only (hrefs come from the library, this is belt and braces)."""
    def fix(inlines):
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


def _law_label(law):
    try:
        labels = getattr(_module("generator.compliance"), "LAW_LABELS", {}) or {}
    except Unavailable:
        labels = {}
    return labels.get(law, (law or "").upper())


def _report_row(item):
    step = getattr(item, "step", None)
    return {
        "law": getattr(item, "law", ""),
        "law_label": _law_label(getattr(item, "law", "")),
        "element_id": getattr(item, "element_id", ""),
        "citation": getattr(item, "citation", ""),
        "requirement": getattr(item, "requirement", ""),
        "status": getattr(item, "status", ""),
        "clause_id": getattr(item, "clause_id", ""),
        "advice": getattr(item, "advice", ""),
        "step": step if step in steps.SLUGS else None,
        "step_label": steps.BY_SLUG[step].label if step in steps.SLUGS else "",
    }


def download(answers, fmt):
    """(content, content type, file name) of the policy in a format; raises Unavailable or ValueError."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    result = services.validate(answers)
    if not result.ok:
        raise ValueError("the answers are not complete")
    document = build_document(result.answers)
    content = render(document, fmt)
    return content, content_type(fmt), FORMATS[fmt][1]
