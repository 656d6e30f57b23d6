"""The notice to every customer of a change to the sub-processor list or to the customer DPA
(counsel review 2026-11-26, M5 and M6).

The DPA promises that notice "by email to the contact address of your customer account". Only the
business knows those addresses, so publishing a version that adds or replaces a sub-processor, or
changes the DPA's text, leaves it a required to-do: the notice text (the same text the list's
subscribers get, templates/public/email/_customer_notice.txt) and the day it sent it, recorded under
the secret link. The notice counts from that day, never from the publication:
- customers may object until the recorded day + the objection days of the agreement in force (the
  last public version's, not the new one's: counsel n11);
- the change starts no earlier than the recorded day + the notice days of the agreement in force
  (`dpa.subprocessor_notice_days` for the list, `changes.notice_days` for the agreement's text).
  When the business records a day that leaves less than that before the version takes effect, the
  policy still takes effect as published, but the list and the agreement change only from that later
  day; until the day is recorded, they do not change at all.
"""
import copy
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from generator import documents, dpa
from generator.answers.model import Answers
from generator.diff import policy_changes
from generator.models import PublishedVersion
from generator.policy import build as build_policy
from generator.web import services as drafts

from . import clock, snapshot, subprocessors
from .subprocessors import Change


def previous_public(version: PublishedVersion) -> PublishedVersion | None:
    if version.publication is None:
        return None
    return version.publication.versions.filter(
        document__isnull=False, number__lt=version.number).order_by("-number").first()


def _answers(stored: dict[str, Any]) -> Answers | None:
    result = drafts.validate(stored)
    return result.answers if result.ok and result.answers is not None else None


def dpa_text_changes(last: PublishedVersion | None, new_answers: dict[str, Any]) -> list[str]:
    """The titles of the DPA sections whose text changes from `last`'s published DPA to the one of
    `new_answers`, other than through the sub-processors (which follow the sub-processor section's
    notice, not "Changes to this agreement"). The new answers are rebuilt with `last`'s processors
    and effective date, so only a change of the agreement's own terms or wording shows. [] when
    either side has no DPA (a first DPA changes nothing anyone accepted)."""
    if last is None or last.dpa_document is None or last.effective_on is None:
        return []
    same_processors = copy.deepcopy(new_answers)
    same_processors["processors"] = copy.deepcopy(last.answers.get("processors", []))
    same_processors.setdefault("policy", {})["effective_date"] = last.effective_on.isoformat()
    result = drafts.validate(same_processors)
    if not result.ok or result.answers is None or dpa.why_not_available(result.answers) is not None:
        return []
    rebuilt = documents.build("dpa", result.answers, today=last.effective_on)
    published = snapshot.document_from_json(dict(last.dpa_document))
    return [c.title for c in policy_changes(published, rebuilt)]


def policy_text_changes(last: PublishedVersion, new_answers: dict[str, Any]) -> list[str]:
    """The titles of the privacy policy's sections whose text changes from `last`'s, its date left
    aside: a version that changes only the DPA changes no policy, so it is not announced as one."""
    if last.document is None or last.effective_on is None:
        return []
    same_date = copy.deepcopy(new_answers)
    same_date.setdefault("policy", {})["effective_date"] = last.effective_on.isoformat()
    result = drafts.validate(same_date)
    if not result.ok or result.answers is None:
        return ["(answers)"]  # cannot tell: treat it as a change rather than stay silent
    rebuilt = build_policy(result.answers, today=last.effective_on)
    return [c.title for c in policy_changes(snapshot.document_from_json(dict(last.document)), rebuilt)]


@dataclass
class CustomerNotice:
    """What a public version must tell every customer, and the periods of the agreement in force."""

    version: PublishedVersion
    list_change: Change
    dpa_sections: list[str] = field(default_factory=list)
    list_notice_days: int = 30   # dpa.subprocessor_notice_days of the agreement in force
    dpa_notice_days: int = 30    # changes.notice_days of the agreement in force
    objection_days: int = 14     # dpa.objection_days of the agreement in force

    @property
    def notice_days(self) -> int:
        return max(([self.list_notice_days] if self.list_change.needs_notice else [])
                   + ([self.dpa_notice_days] if self.dpa_sections else []))

    @property
    def reduces(self) -> bool:
        """The business answered, at publish, that a change to the DPA's text reduces protection: it
        applies to a customer only once that customer accepts it (counsel round 3, n5)."""
        return bool(self.dpa_sections and self.version.dpa_change_reduces)

    @property
    def sent_on(self) -> datetime.date | None:
        return self.version.notice_sent_on

    def objection_until(self, sent_on: datetime.date) -> datetime.date | None:
        if not self.list_change.needs_notice:
            return None
        return sent_on + datetime.timedelta(days=self.objection_days)

    def starts_on(self, sent_on: datetime.date) -> datetime.date:
        """The day the change starts when the notice goes out on `sent_on`."""
        assert self.version.effective_on is not None
        return max(self.version.effective_on, sent_on + datetime.timedelta(days=self.notice_days))

    def late_by(self, sent_on: datetime.date) -> int:
        """Days the change starts after the version's own date because the notice went out late."""
        assert self.version.effective_on is not None
        return (self.starts_on(sent_on) - self.version.effective_on).days


def customer_notice(version: PublishedVersion) -> CustomerNotice | None:
    """The notice `version` needs, or None when it adds or replaces no sub-processor and leaves the
    DPA's text alone."""
    previous = previous_public(version)
    if previous is None or version.document is None or version.effective_on is None:
        return None
    change = subprocessors.compare(subprocessors.version_rows(previous), subprocessors.version_rows(version))
    sections = list(version.dpa_changes or [])
    if not change.needs_notice and not sections:
        return None
    in_force = _answers(previous.answers)
    if in_force is None:  # stored answers are validated when published; the model's defaults otherwise
        return CustomerNotice(version, change, sections)
    return CustomerNotice(version, change, sections, in_force.dpa.subprocessor_notice_days,
                          in_force.changes.notice_days, in_force.dpa.objection_days)


def list_starts_on(version: PublishedVersion) -> datetime.date | None:
    """The day a version's sub-processor list and DPA start to apply: its own date, or later when
    its notice went out late; None while a notice it needs is not recorded."""
    notice = customer_notice(version)
    if notice is None:
        return version.effective_on
    return notice.starts_on(notice.sent_on) if notice.sent_on else None


def record_error(version: PublishedVersion, sent_on: datetime.date | None,
                 today: datetime.date | None = None) -> str:
    """Why `sent_on` cannot be recorded as the day the notice went out, or ""."""
    today = today or clock.today()
    published_on = version.generated_on
    if customer_notice(version) is None:
        return "This version needs no notice to your customers."
    if version.notice_sent_on is not None:
        return f"Date you sent the notice: already recorded as {version.notice_sent_on:%-d %B %Y}."
    if sent_on is None:
        return "Date you sent the notice: enter the date, for example 2026-11-26."
    if sent_on < published_on:
        return f"Date you sent the notice: it cannot be before the version was published ({published_on:%-d %B %Y})."
    if sent_on > today:
        return f"Date you sent the notice: it cannot be in the future (today is {today:%-d %B %Y})."
    return ""


def record(version: PublishedVersion, sent_on: datetime.date) -> CustomerNotice:
    """Store the day the notice went out and the objection deadline it starts."""
    notice = customer_notice(version)
    assert notice is not None
    version.notice_sent_on = sent_on
    version.objection_until = notice.objection_until(sent_on)
    version.save(update_fields=["notice_sent_on", "objection_until"])
    return notice


def subject(notice: CustomerNotice, business: str, sent_on: datetime.date) -> str:
    what = ("our sub-processors and our data processing agreement change" if notice.list_change.needs_notice
            and notice.dpa_sections else "our sub-processors change" if notice.list_change.needs_notice
            else "our data processing agreement changes")
    return f"{business}: {what} on {notice.starts_on(sent_on):%-d %B %Y}"


def text(notice: CustomerNotice, business: str, sent_on: datetime.date, list_url: str, dpa_url: str) -> str:
    """The notice, as plain text: what changes, from when, until when to object and to whom."""
    return render_to_string("public/email/_customer_notice.txt", {
        "business": business, "sent_on": sent_on,
        "change": notice.list_change, "needs_list_notice": notice.list_change.needs_notice,
        "dpa_sections": notice.dpa_sections, "reduces": notice.reduces, "starts_on": notice.starts_on(sent_on),
        "objection_until": notice.objection_until(sent_on),
        "contact_email": subprocessors.contact_email(notice.version),
        "list_url": list_url, "dpa_url": dpa_url,
    })
