"""The change summary: what a new version changes, drafted in plain words from the answers diff
(what the business does) and the text diff (wording the clause library changed on its own). The
business edits it before publishing; it then appears on the version page, in the feed and in the
notice emails.

These are sentences of the notice, not of the policy: the policy's wording stays in clauses/.
"""
import copy
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from generator.answers import load_document
from generator.diff import policy_changes
from generator.laws import get_laws
from generator.library import get_catalogues
from generator.policy import build as build_policy
from generator.answers.durations import Duration
from generator.document import PolicyDocument
from generator.resolve import Facts, ResolvedProcessor

if TYPE_CHECKING:
    from .subprocessors import Change

FIRST_VERSION = "First published version of this privacy policy."

MECHANISMS = (("dpf", "Data Privacy Framework"), ("bcr", "binding corporate rules"), ("scc", "standard contractual clauses"))

# Top-level answers a sentence below does not cover field by field: one sentence per area changed.
AREAS = {
    "business": "our company details and how to contact us",
    "roles": "what we do with data on our customers' behalf",
    "services": "the services we describe",
    "control_panel_url": "the address of our control panel",
    "purposes": "why we use each kind of data",
    "transfers": "the safeguards for data sent abroad",
    "automated_decisions": "the automated decisions we make",
    "marketing": "how we use your data for marketing",
    "rights": "how you can exercise your rights",
    "security": "how we protect your data",
    "children": "what we say about children",
    "changes": "how we tell you about changes",
    "registrations": "our registrations with authorities",
    "data": "the personal data we collect",
    "processors": "the service providers who receive data",
    "cookies": "the cookies we use",
    "jurisdictions": "the laws this policy answers to",
    "storage_locations": "where we store data",
    "policy": "the language or layout of the policy",
    "dpa": "our data processing agreement with our customers",
}


def _facts(answers: dict[str, Any]) -> Facts | None:
    result = load_document(copy.deepcopy(answers))
    return Facts(result.answers, get_catalogues()) if result.ok and result.answers is not None else None


def _country(code: str | None) -> str:
    return get_catalogues().country_name(code) if code else ""


def _processor_label(p: ResolvedProcessor) -> str:
    # an unanswered region is not a place: never the contracting entity's seat (DPA counsel, round 2, M2)
    country = _country(p.country).removeprefix("the ") if p.region_stated else ""
    mechanism = next((words for key, words in MECHANISMS if
                      (key == "dpf" and p.dpf) or (key == "bcr" and p.bcr) or (key == "scc" and p.scc)
                      or p.safeguard == key), None)
    details = ", ".join(x for x in (country, mechanism) if x)
    who = p.entity or p.name
    if p.entity and p.name.split(" ")[0].lower() not in p.entity.lower():
        who = f"{p.name} ({p.entity})"
    return f"{who} ({details})" if details else who


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _processors(old: Facts, new: Facts, new_data: dict[str, str]) -> list[str]:
    """`new_data`: {id: name} of the data collected only from this version on; a new processor's
    share of it is said in the processor's line (the wizard adds what a processor receives)."""
    def key(p: ResolvedProcessor) -> str:
        return p.id or p.name.lower()

    before, after = {key(p): p for p in old.processors}, {key(p): p for p in new.processors}
    out = []
    for k, p in after.items():
        if k not in before:
            purpose = f" for {p.description}" if p.description else ""
            brought = [_lower_first(new_data[d]) for d in dict.fromkeys(p.data) if d in new_data]
            extra = f" For this we now also collect {_join(brought)}." if brought else ""
            out.append(f"We now use {_processor_label(p)}{purpose}.{extra}")
        elif before[k] != p:
            b = before[k]
            if (b.entity, b.country, b.region_stated) != (p.entity, p.country, p.region_stated):
                out.append(f"{p.name} is now {_processor_label(p)} instead of {_processor_label(b)}.")
            elif set(b.data) != set(p.data):
                out.append(f"We changed which personal data {p.name} receives.")
            else:
                out.append(f"We changed what we say about {p.name}.")
    out += [f"We no longer use {p.name}." for k, p in before.items() if k not in after]
    return out


def _period(duration: Duration | None) -> str:
    return duration.words() if duration is not None else "for no set period"


def _new_data(old: Facts, new: Facts) -> dict[str, str]:
    before = {d.id for d in old.data_items}
    return {d.id: d.name for d in new.data_items if d.id not in before}


def _data(old: Facts, new: Facts, said_elsewhere: Iterable[str] = ()) -> list[str]:
    before, after = {d.id: d for d in old.data_items}, {d.id: d for d in new.data_items}
    out = []
    for k, d in after.items():
        b = before.get(k)
        if b is None:
            if k not in said_elsewhere:
                out.append(f"We now collect {_lower_first(d.name)}.")
        elif (b.retention, b.retention_after) != (d.retention, d.retention_after):
            if b.retention != d.retention and d.retention is not None and b.retention is not None:
                out.append(f"{d.name} are now kept {_period(d.retention)} instead of {_period(b.retention)}.")
            else:
                out.append(f"We changed how long we keep {_lower_first(d.name)}.")
        elif b != d:
            out.append(f"We changed what we say about {_lower_first(d.name)}.")
    out += [f"We no longer collect {_lower_first(d.name)}." for k, d in before.items() if k not in after]
    return out


def _cookies(old: Facts, new: Facts, new_processor_names: set[str], old_processor_names: set[str]) -> list[str]:
    before = {(c.provider, c.name): c for c in old.cookies}
    after = {(c.provider, c.name): c for c in new.cookies}
    out = []
    for k, c in after.items():
        if k not in before and c.provider not in new_processor_names - old_processor_names:
            out.append(f"We now set the cookie “{c.name}” ({_lower_first(get_catalogues().words('cookie_purposes', c.purpose))}, "
                       f"kept {c.duration.words()}).")
    for k, c in before.items():
        if k not in after and c.provider not in old_processor_names - new_processor_names:
            out.append(f"We no longer set the cookie “{c.name}”.")
    return out


def _listed(old_values: list[str], new_values: list[str], added: str, removed: str) -> list[str]:
    out = [added.format(v) for v in new_values if v not in old_values]
    return out + [removed.format(v) for v in old_values if v not in new_values]


def answers_sentences(old_answers: dict[str, Any], new_answers: dict[str, Any], changed_areas: list[str]) -> list[str]:
    """Sentences for what changed in the answers; `changed_areas` are the top-level keys the answers
    diff found changed. An area changed in a way no sentence below names gets a general one."""
    old, new = _facts(old_answers), _facts(new_answers)
    if old is None or new is None:
        return [f"We updated {AREAS.get(area, area)}." for area in changed_areas]
    laws = get_laws()
    new_data = _new_data(old, new)
    old_keys = {p.id or p.name.lower() for p in old.processors}
    brought = {d for p in new.processors if (p.id or p.name.lower()) not in old_keys for d in p.data}
    covered = {
        "processors": _processors(old, new, new_data),
        "data": _data(old, new, said_elsewhere=brought & set(new_data)),
        "jurisdictions": _listed(
            [laws[j].label for j in old.answers.jurisdictions], [laws[j].label for j in new.answers.jurisdictions],
            "This policy now also answers to {}.", "This policy no longer answers to {}."),
        "storage_locations": _listed(
            [_country(c) for c in old.answers.storage_locations], [_country(c) for c in new.answers.storage_locations],
            "We now also store data in {}.", "We no longer store data in {}."),
        "cookies": _cookies(old, new, {p.name for p in new.processors}, {p.name for p in old.processors}),
    }
    out: list[str] = []
    for area in changed_areas:
        sentences = covered.get(area)
        out += sentences if sentences else [f"We updated {AREAS.get(area, area)}."]
    # a catalogue change seen through another area (a processor's cookies) is still named once
    for area, sentences in covered.items():
        if area not in changed_areas:
            out += [s for s in sentences if s not in out]
    return out


def wording_sentences(old_document: PolicyDocument | None, old_answers: dict[str, Any]) -> list[str]:
    """Sections whose wording changed although the answers did not: the clause library itself was
    revised since the last version (the old answers rebuilt today, compared with what was published)."""
    if old_document is None:
        return []
    result = load_document(copy.deepcopy(old_answers))
    if not result.ok or result.answers is None:
        return []
    rebuilt = build_policy(result.answers, today=old_document.effective_date)
    return [f"We revised the wording of the section “{c.title}”." for c in policy_changes(old_document, rebuilt)]


def dpa_sentences(sections: Sequence[str]) -> list[str]:
    """The customer DPA's text diff (generator.public.notice.dpa_text_changes), one line a section
    whose text changed, whether the business's answers or the clause library changed it."""
    return [f"We changed our data processing agreement: the section “{title}”." for title in sections]


def draft_summary(old_answers: dict[str, Any] | None, new_answers: dict[str, Any],
                  old_document: PolicyDocument | None = None, answers_diff: Iterable[tuple[str, ...]] = (),
                  dpa_sections: Sequence[str] = ()) -> str:
    """The summary as text, one change a line; FIRST_VERSION when there is nothing before."""
    if old_answers is None:
        return FIRST_VERSION
    areas = list(dict.fromkeys(
        path.split(".")[0].split("[")[0] for path, *_ in answers_diff
        if not path.startswith(("policy.effective_date", "format"))
    ))
    # the DPA's own text says what its answers changed; "We updated ..." only when it shows nothing
    if dpa_sections:
        areas = [a for a in areas if a != "dpa"]
    lines = (answers_sentences(old_answers, new_answers, areas) + dpa_sentences(dpa_sections)
             + wording_sentences(old_document, old_answers))
    return "\n".join(dict.fromkeys(lines))


def subprocessor_sentences(change: "Change") -> list[str]:
    """The lines naming what a version changes in the customer DPA's sub-processor list."""
    out = [f"New sub-processor for the data you store with us: {r.entity} ({r.where}): {_lower_first(r.purpose)}."
           for r in change.added]
    out += [f"Sub-processor {after.name} is now {after.entity} ({after.where}) instead of {before.entity} ({before.where})."
            for before, after in change.replaced]
    out += [f"We no longer use {r.entity} as a sub-processor for the data you store with us." for r in change.removed]
    return out
