"""Is a policy finished? The fields a published policy needs, and any that hold a placeholder.

A policy names its controller, address and contact as facts; "[Operator's legal name: not given]"
printed there is a defect (counsel review, "placeholders published as the controller's identity").
The CLI refuses to write such a policy unless asked for a draft, and the review step names the
fields. Values that are clearly fictional but well-formed (example.com, .example domains) pass:
they are the business's own choice, not a gap.
"""
import re
from typing import Any

from generator import laws
from generator.answers.model import Answers
from generator.library import get_catalogues
from generator.resolve import Facts

# Bracketed notes, angle-bracket slots and the usual to-do words.
PLACEHOLDER = re.compile(
    r"\[[^\]]*\]|<[^<>]*>|\{\{?[^{}]*\}?\}|\bnot given\b|\bplaceholder\b|\bTODO\b|\bTBD\b|\bFIXME\b|"
    r"\blorem ipsum\b|\bX{3,}\b|\byour (?:company|business|legal) name\b",
    re.IGNORECASE,
)
REQUIRED = ("business.legal_name", "business.address", "business.contact_email", "business.websites")
OPTIONAL_TEXT = (
    "business.trading_name", "business.company_number", "business.contact_url", "business.phone",
    "control_panel_url",
)
CONTACTS = ("dpo", "eu_representative", "uk_representative", "ch_representative")


def _value(answers: Answers, path: str) -> Any:
    node: Any = answers
    for part in path.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


def unfinished_fields(answers: Answers) -> tuple[tuple[str, str], ...]:
    """((path, why), ...) for every required field that is empty and every field holding a placeholder."""
    out: list[tuple[str, str]] = []

    def check(path: str, value: object, required: bool = False) -> None:
        values = value if isinstance(value, tuple) else (value,)
        if required and not any(str(v or "").strip() for v in values):
            out.append((path, "is required and empty"))
            return
        for v in values:
            if isinstance(v, str) and PLACEHOLDER.search(v):
                out.append((path, f"holds a placeholder: {v!r}"))
                return

    for path in REQUIRED:
        check(path, _value(answers, path), required=True)
    for path in OPTIONAL_TEXT:
        check(path, _value(answers, path))
    for name in CONTACTS:
        contact = getattr(answers.business, name, None)
        if contact:
            for part in ("name", "email", "address"):
                check(f"business.{name}.{part}", getattr(contact, part, None))
    for i, ref in enumerate(answers.processors):  # a recipient is named as a fact, like the controller
        for part in ("name", "entity", "description", "purpose"):
            check(f"processors[{i}].{part}", getattr(ref, part, None))
    facts = Facts(answers, get_catalogues())
    for item in facts.data_items:  # a retention row is a fact the policy states: no period, not finished
        if item.retention is None and item.role != "processor":
            path = "data.support.call_recording_retention" if item.id == "call_recordings" else f"data.{item.id}.retention"
            out.append((path, f"is required: the policy must say how long {item.name.lower()} are kept"))
    out += laws.required_fields(facts)  # what each chosen law needs
    return tuple(out)
