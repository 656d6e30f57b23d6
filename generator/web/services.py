"""Draft operations: create, find by secret link, save a step, import an uploaded answers file,
export YAML, publish a version and compare versions. Plain functions; the views only call them.
"""
import copy
import datetime
import json
from typing import Any

import yaml
from django.db import transaction
from django.http import Http404, QueryDict

from generator.answers import FORMAT, AnswerError, load_answers, load_document
from generator.answers.loader import MAX_BYTES, LoadResult, partial_errors
from generator.answers.model import JSON
from generator.diff import SectionChange, policy_changes
from generator.document import PolicyDocument
from generator.policy import build as build_policy
from generator.models import Draft, PublishedVersion, hash_token, new_token


TOP_ORDER = (
    "format", "business", "roles", "services", "control_panel_url", "data", "purposes", "processors",
    "cookies", "storage_locations", "transfers", "jurisdictions", "automated_decisions", "marketing",
    "rights", "security", "children", "changes", "registrations", "policy",
)
TOKEN_LENGTH = 43  # len(secrets.token_urlsafe(32))
# A draft (its answers and the kept input of every step, as JSON) may hold at most this much: the
# largest document the contract accepts is far smaller, so only abuse reaches it.
MAX_DRAFT_BYTES = MAX_BYTES
# The kept (unsaved) input of one step may hold at most this much.
MAX_PENDING_BYTES = 256_000


def json_size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))


# --- drafts ----------------------------------------------------------------------------------

def draft_create(answers: JSON | None = None) -> tuple[Draft, str]:
    """A new draft and its secret token (returned once; only its hash is stored)."""
    token = new_token()
    doc = copy.deepcopy(answers) if answers else {}
    doc["format"] = FORMAT
    draft = Draft.objects.create(token_hash=hash_token(token), answers=order_answers(doc))
    return draft, token


def draft_get(token: str) -> Draft:
    """The draft behind a secret link, or 404 for a wrong, guessed or malformed link."""
    if not isinstance(token, str) or len(token) != TOKEN_LENGTH:
        raise Http404("No such draft")
    try:
        return Draft.objects.get(token_hash=hash_token(token))
    except Draft.DoesNotExist:
        raise Http404("No such draft") from None


def draft_save_answers(draft: Draft, answers: JSON, step: str | None = None) -> tuple[AnswerError, ...]:
    """Store the answers after a step was submitted; the step's unsaved input is cleared.

    The document is checked against the contract first (all of it but the fields not answered
    yet), so a tampered form cannot store what an upload would refuse. Returns the errors, and
    stores nothing when there are any."""
    errors = partial_errors(answers)
    if not errors:
        pending = {k: v for k, v in draft.pending.items() if k != step}
        if json_size(answers) + json_size(pending) > MAX_DRAFT_BYTES:
            errors = [AnswerError("(document)", f"the draft would hold more than {MAX_DRAFT_BYTES // 1000} kB of answers")]
    if errors:
        return tuple(errors)
    draft.answers = order_answers(answers)
    if step:
        draft.pending.pop(step, None)
    draft.save(update_fields=["answers", "pending", "updated_at"])
    return ()


def draft_save_pending(draft: Draft, step: str, querydict: QueryDict) -> bool:
    """Keep what was typed on a step that could not be saved yet, so leaving the page loses nothing.

    Control characters are removed (generator.text); input larger than MAX_PENDING_BYTES is not
    kept (returns False), nor input that would take the draft past MAX_DRAFT_BYTES, so one draft
    cannot grow without bound."""
    from generator.text import clean

    data = {
        clean(key): [clean(v) for v in querydict.getlist(key)]
        for key in querydict if key != "csrfmiddlewaretoken"
    }
    size = json_size(data)
    others = {k: v for k, v in draft.pending.items() if k != step}
    if size > MAX_PENDING_BYTES or size + json_size(others) + json_size(draft.answers) > MAX_DRAFT_BYTES:
        return False
    draft.pending[step] = data
    draft.save(update_fields=["pending", "updated_at"])
    return True


def draft_pending(draft: Draft, step: str) -> QueryDict | None:
    """The unsaved input of a step as a QueryDict, or None."""
    from django.http import QueryDict

    stored = draft.pending.get(step)
    if not stored:
        return None
    qd = QueryDict(mutable=True)
    for key, values in stored.items():
        qd.setlist(key, list(values))
    return qd


def draft_discard_pending(draft: Draft, step: str) -> None:
    if draft.pending.pop(step, None) is not None:
        draft.save(update_fields=["pending", "updated_at"])


# --- answers as YAML ---------------------------------------------------------------------------

def order_answers(doc: JSON) -> JSON:
    """The document with its top-level fields in the order of the answers spec."""
    out = {k: doc[k] for k in TOP_ORDER if k in doc}
    out.update({k: v for k, v in doc.items() if k not in out})
    return out


def answers_yaml(answers: JSON) -> str:
    header = (
        "# HostPolicy answers (format privacy-policy-answers/1).\n"
        "# Keep this file to regenerate or edit your policy later: upload it on the HostPolicy start page,\n"
        "# or run `manage.py validate_answers privacy.yaml`.\n"
    )
    return header + yaml.safe_dump(order_answers(answers), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def upload_answers(raw: bytes | str) -> tuple[Draft | None, str | None, tuple[AnswerError, ...]]:
    """Bytes of an uploaded YAML/JSON file -> (draft, token, ()) or (None, None, errors)."""
    result = load_answers(raw)
    if not result.ok:
        return None, None, result.errors
    draft, token = draft_create(result.document)
    return draft, token, ()


def validate(answers: JSON) -> LoadResult:
    return load_document(copy.deepcopy(answers))


# --- published versions ----------------------------------------------------------------------

@transaction.atomic
def publish(draft: Draft, today: datetime.date | None = None) -> tuple[PublishedVersion | None, tuple[AnswerError, ...]]:
    """Freeze the current answers and the generation date as the next version; refuses invalid answers."""
    result = validate(draft.answers)
    if not result.ok:
        return None, result.errors
    last = draft.versions.order_by("-number").first()
    version = PublishedVersion.objects.create(
        draft=draft, number=(last.number + 1) if last else 1, answers=order_answers(draft.answers),
        generated_on=today or datetime.date.today(),
    )
    return version, ()


def version_answers_for_rendering(version: PublishedVersion) -> JSON:
    """A published version's answers, dated the day it was generated unless it names its own date."""
    answers = copy.deepcopy(version.answers)
    policy = answers.setdefault("policy", {})
    if version.effective_on:  # published at the public address: dated the day it takes effect
        policy["effective_date"] = version.effective_on.isoformat()
    elif not policy.get("effective_date"):
        policy["effective_date"] = version.generated_on.isoformat()
    return answers


def _flatten(value: Any, path: str, out: dict[str, str]) -> dict[str, str]:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{path}.{k}" if path else k, out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            key = v.get("id") or v.get("name") or str(i)
            _flatten(v, f"{path}[{key}]", out)
    elif isinstance(value, list):
        out[path] = ", ".join(str(v) for v in value) if value else "(none)"
    else:
        out[path] = "(none)" if value is None else str(value)
    return out


def diff_answers(old: JSON | None, new: JSON | None) -> list[tuple[str, str, str, str]]:
    """What changed between two answers documents: [(path, kind, before, after)], kind added/removed/changed.

    Lists of entries (data, processors, cookies) are keyed by their id or name, so reordering is not
    a change and an added processor shows as one addition.
    """
    a, b = _flatten(old or {}, "", {}), _flatten(new or {}, "", {})
    rows = []
    for path in sorted(set(a) | set(b), key=lambda p: (list(TOP_ORDER).index(p.split(".")[0].split("[")[0])
                                                        if p.split(".")[0].split("[")[0] in TOP_ORDER else 99, p)):
        if path not in a:
            rows.append((path, "added", "", b[path]))
        elif path not in b:
            rows.append((path, "removed", a[path], ""))
        elif a[path] != b[path]:
            rows.append((path, "changed", a[path], b[path]))
    return rows


def policy_document(answers: JSON) -> PolicyDocument | None:
    """The policy built from an answers document, or None when it does not validate (for a
    published version: a catalogue entry it names was withdrawn since)."""
    result = validate(answers)
    return build_policy(result.answers) if result.ok else None  # type: ignore[arg-type]  # set whenever result.ok


def wording_changes(old: PolicyDocument | None, new: PolicyDocument | None) -> list[SectionChange] | None:
    """How the policy text changed from document `old` to `new` ([SectionChange]), or None when
    either could not be built."""
    return policy_changes(old, new) if old is not None and new is not None else None


def version_document(version: PublishedVersion) -> PolicyDocument | None:
    """The policy of a published version: the document stored when it was published at the public
    address (it reads the same after the clause library changes), else rebuilt from its answers."""
    if version.document:
        from generator.public.snapshot import document_from_json

        return document_from_json(version.document)
    return policy_document(version_answers_for_rendering(version))


def version_get(draft: Draft, number: int) -> PublishedVersion:
    try:
        return draft.versions.get(number=number)
    except PublishedVersion.DoesNotExist:
        raise Http404("No such version") from None


__all__ = [
    "answers_yaml", "diff_answers", "draft_create", "draft_discard_pending", "draft_get", "draft_pending",
    "draft_save_answers", "draft_save_pending", "order_answers", "publish", "upload_answers", "validate",
    "policy_document", "version_answers_for_rendering", "version_document", "version_get", "wording_changes",
]
