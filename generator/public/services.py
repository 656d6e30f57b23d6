"""Publishing at the public address, the versions' timeline, renaming and unpublishing, and the
subscriptions to notices of change. Plain functions; the views only call them.
"""
import copy
import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from generator import documents, dpa
from generator.document import PolicyDocument
from generator.models import Draft, Publication, PublishedVersion, RetiredSlug, Subscriber
from generator.policy import build as build_policy
from generator.render import RENDERER_VERSION
from generator.text import FORBIDDEN
from generator.web import services as drafts

from . import clock, notice, snapshot, subprocessors, summary as summary_

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,39}$")
SLUG_RULE = "3 to 40 lower-case letters, digits and single hyphens, starting and ending with a letter or digit"
MAX_SUMMARY_CHARS = 5000
MAX_SUMMARY_LINES = 40
# Far enough ahead for any notice period, near enough that a typo (2062 for 2026) is caught.
MAX_NOTICE_DAYS = 730


# --- the public name -----------------------------------------------------------------------

def suggest_slug(answers: dict[str, Any]) -> str:
    business = answers.get("business") or {}
    base = slugify(business.get("trading_name") or business.get("legal_name") or "")[:40].strip("-")
    return base if SLUG_RE.match(base) else ""


def slug_error(slug: str, publication: Publication | None = None) -> str:
    """Why `slug` cannot be this publication's public name, or "" when it can."""
    if not SLUG_RE.match(slug or ""):
        return f"Public name: use {SLUG_RULE}."
    others = Publication.objects.filter(slug=slug)
    taken = (others.exclude(pk=publication.pk) if publication is not None else others).exists()
    retired = RetiredSlug.objects.filter(slug=slug).exclude(publication=publication).exists() if publication else \
        RetiredSlug.objects.filter(slug=slug).exists()
    if taken or retired:
        return f"Public name: “{slug}” is already taken. Choose another."
    return ""


def publication_of(draft: Draft) -> Publication | None:
    try:
        return draft.publication
    except Publication.DoesNotExist:
        return None


def takes_effect_on(version: PublishedVersion) -> datetime.date:
    """The day a public version takes effect (set when it was published at the address)."""
    if version.effective_on is None:
        raise ValueError(f"version {version.number} was not published at the public address")
    return version.effective_on


def stored_document(version: PublishedVersion) -> dict[str, Any]:
    """The policy document a public version stored when it was published."""
    if version.document is None:
        raise ValueError(f"version {version.number} was not published at the public address")
    return dict(version.document)


def public_versions(publication: Publication) -> list[PublishedVersion]:
    return list(publication.versions.filter(document__isnull=False).order_by("number"))


# --- the effective date and the summary ------------------------------------------------------

def earliest_effective_date(draft: Draft, today: datetime.date | None = None) -> datetime.date:
    return earliest_with_reason(draft, today)[0]


def earliest_with_reason(draft: Draft, today: datetime.date | None = None) -> tuple[datetime.date, str]:
    """The earliest day a new public version may take effect, and why (empty when it is today).

    After the notice period the answers promise (`changes.notice_days`), and never before an
    earlier version does; when it adds or replaces a sub-processor of the customer DPA, also after
    the notice the DPA promises for that (`dpa.subprocessor_notice_days`). The first version has
    nothing to give notice of: it applies at once."""
    today = today or clock.today()
    publication = publication_of(draft)
    earlier = public_versions(publication) if publication else []
    if not earlier:
        return today, ""
    result = drafts.validate(draft.answers)
    answers = result.answers if result.ok else None
    notice = answers.changes.notice_days if answers is not None else 30
    earliest = max(today + datetime.timedelta(days=notice), takes_effect_on(earlier[-1]))
    why = "the notice period your answers promise" if earliest > today else ""
    if answers is not None and subprocessors.draft_change(answers, earlier[-1]).needs_notice:
        # the notice the agreement in force promises binds this change, as well as the new one's
        in_force = drafts.validate(earlier[-1].answers)
        days = max(answers.dpa.subprocessor_notice_days,
                   in_force.answers.dpa.subprocessor_notice_days if in_force.ok and in_force.answers else 0)
        if today + datetime.timedelta(days=days) > earliest:
            earliest = today + datetime.timedelta(days=days)
            why = (f"this version adds or replaces a sub-processor, and your customer DPA promises "
                   f"{days} days' notice of that")
    return earliest, why


def last_public_version(draft: Draft) -> PublishedVersion | None:
    publication = publication_of(draft)
    versions = public_versions(publication) if publication else []
    return versions[-1] if versions else None


def drafted_summary(draft: Draft) -> str:
    """The change summary proposed for publishing the draft's current answers now."""
    last = last_public_version(draft)
    if last is None:
        return summary_.FIRST_VERSION
    text = summary_.draft_summary(
        last.answers, draft.answers, version_document(last), drafts.diff_answers(last.answers, draft.answers),
        dpa_sections=notice.dpa_text_changes(last, draft.answers))
    result = drafts.validate(draft.answers)
    if result.ok and result.answers is not None:
        lines = summary_.subprocessor_sentences(subprocessors.draft_change(result.answers, last))
        text = "\n".join(dict.fromkeys(line for line in [*text.splitlines(), *lines] if line))
    return text


def clean_summary(text: str) -> tuple[str | None, str]:
    """The summary as the business edited it: plain text, one change a line, no empty lines; or
    (None, why) when it is too long."""
    lines = [FORBIDDEN.sub("", line).strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    cleaned = "\n".join(lines)
    if len(cleaned) > MAX_SUMMARY_CHARS or len(lines) > MAX_SUMMARY_LINES:
        return None, f"Change summary: at most {MAX_SUMMARY_LINES} lines and {MAX_SUMMARY_CHARS} characters."
    if not lines:
        return None, "Change summary: say in a line or two what changes for your customers."
    return cleaned, ""


# --- publishing -------------------------------------------------------------------------------

@dataclass
class PublishRequest:
    slug: str = ""              # the public name: needed once, ignored after
    effective_on: datetime.date | None = None
    summary: str = ""
    # counsel round 3, n5: does any change to the DPA's own text reduce the protection of customers'
    # data? None while unanswered; required when the DPA's text changes
    dpa_change_reduces: bool | None = None


REDUCES_LABEL = "Does a change reduce protection?"


def publish(draft: Draft, request: PublishRequest,
            today: datetime.date | None = None) -> tuple[PublishedVersion | None, list[str]]:
    """Publish the draft's answers as the next version at its public address.

    Returns (version, errors); errors name the field (Public name, Takes effect on, Change summary,
    or the answers' own fields) and nothing is stored when there are any."""
    today = today or clock.today()
    publication = publication_of(draft)
    errors = []
    slug = (request.slug or "").strip().lower()
    if publication is None or not publication.live and slug and slug != publication.slug:
        error = slug_error(slug, publication)
        if error:
            errors.append(error)
    earliest, why_earliest = earliest_with_reason(draft, today)
    effective_on = request.effective_on or earliest
    if effective_on < earliest:
        errors.append(f"Takes effect on: the earliest date is {earliest:%d %B %Y}"
                      f"{f' ({why_earliest})' if why_earliest else ''}.")
    elif effective_on > today + datetime.timedelta(days=MAX_NOTICE_DAYS):
        errors.append(f"Takes effect on: at most {MAX_NOTICE_DAYS} days ahead.")
    text, why = clean_summary(request.summary or (summary_.FIRST_VERSION if last_public_version(draft) is None else ""))
    if why:
        errors.append(why)
    answers_result = drafts.validate(draft.answers)
    if not answers_result.ok:
        errors.extend(str(e) for e in answers_result.errors)
    last = last_public_version(draft)
    # what the DPA's own terms change (M6); the notice of it, and of a list change, is the business's
    # email to every customer, so the objection window opens when it records sending it (notice.record)
    dpa_changes = notice.dpa_text_changes(last, draft.answers) if answers_result.ok else []
    if dpa_changes and request.dpa_change_reduces is None:
        errors.append(f"{REDUCES_LABEL} Answer yes or no: does any change to your data processing agreement "
                      f"(the section{'s' if len(dpa_changes) > 1 else ''} "
                      f"{', '.join(f'“{title}”' for title in dpa_changes)}) reduce the protection of "
                      "customers' data?")
    if errors:
        return None, errors
    # built before the transaction, so the write lock is held only for the writes
    dated = _answers_dated(draft.answers, effective_on).answers
    document = snapshot.document_to_json(build_policy(dated, today=effective_on))
    # the customer DPA beside it, when the answers call for one: its table is the public sub-processor list
    dpa_document = snapshot.document_to_json(documents.build("dpa", dated, today=effective_on)) \
        if dpa.why_not_available(dated) is None else None
    if dpa_document is None:
        dpa_changes = []
    try:
        with transaction.atomic():
            if publication is None:
                publication = Publication.objects.create(draft=draft, slug=slug)
            elif not publication.live:
                if slug and slug != publication.slug:
                    _rename(publication, slug)
                publication.live = True
                publication.save(update_fields=["live", "slug", "updated_at"])
            version, problems = drafts.publish(draft, today=today)
            if version is None:
                raise ValueError(problems)
            version.publication = publication
            version.effective_on = effective_on
            version.summary = text or ""
            version.document = document
            version.dpa_document = dpa_document
            version.dpa_changes = dpa_changes
            version.dpa_change_reduces = bool(dpa_changes and request.dpa_change_reduces)
            version.library_fingerprint = snapshot.library_fingerprint()
            version.renderer_version = RENDERER_VERSION
            version.save()
    except IntegrityError:  # a race: the same name taken, or this draft published twice, at the same moment
        if slug and Publication.objects.filter(slug=slug).exclude(draft=draft).exists():
            return None, [f"Public name: “{slug}” is already taken. Choose another."]
        return None, ["Another version was published at the same moment. Check the versions, then try again."]
    return version, []


def _answers_dated(answers: dict[str, Any], effective_on: datetime.date) -> Any:
    dated = copy.deepcopy(answers)
    dated.setdefault("policy", {})["effective_date"] = effective_on.isoformat()
    return drafts.validate(dated)


def version_document(version: PublishedVersion) -> PolicyDocument:
    """The stored document of a public version, exactly as published."""
    return snapshot.document_from_json(stored_document(version))


def version_dpa_document(version: PublishedVersion) -> PolicyDocument:
    """The customer DPA a public version stored beside its policy, exactly as published."""
    if version.dpa_document is None:
        raise ValueError(f"version {version.number} published no data processing agreement")
    return snapshot.document_from_json(dict(version.dpa_document))


def _rename(publication: Publication, slug: str) -> None:
    RetiredSlug.objects.filter(publication=publication, slug=slug).delete()  # taking an old name back
    RetiredSlug.objects.create(publication=publication, slug=publication.slug)
    publication.slug = slug


def rename(publication: Publication, slug: str) -> str:
    slug = (slug or "").strip().lower()
    if slug == publication.slug:
        return ""
    error = slug_error(slug, publication)
    if error:
        return error
    try:
        with transaction.atomic():
            _rename(publication, slug)
            publication.save(update_fields=["slug", "updated_at"])
    except IntegrityError:
        return f"Public name: “{slug}” is already taken. Choose another."
    return ""


def unpublish(publication: Publication) -> None:
    """The public address and its old names answer 410 Gone; the versions stay under the secret link,
    the subscribers are deleted (there is nothing left for them to hear about)."""
    with transaction.atomic():
        publication.live = False
        publication.save(update_fields=["live", "updated_at"])
        publication.subscribers.all().delete()


# --- what is in force -------------------------------------------------------------------------

@dataclass
class Entry:
    version: PublishedVersion
    status: str  # in_force | coming | archived
    until: datetime.date | None  # the day the next version took (or takes) over


def timeline(publication: Publication, today: datetime.date | None = None) -> list[Entry]:
    """Every public version with its dates, oldest first; the in-force one is the latest that has
    taken effect."""
    today = today or clock.today()
    versions = public_versions(publication)
    current = None
    for v in versions:
        if takes_effect_on(v) <= today:
            current = v
    entries = []
    for i, v in enumerate(versions):
        following = versions[i + 1].effective_on if i + 1 < len(versions) else None
        status = "in_force" if v is current else ("coming" if takes_effect_on(v) > today else "archived")
        entries.append(Entry(v, status, following))
    return entries


def in_force(entries: list[Entry]) -> Entry | None:
    return next((e for e in entries if e.status == "in_force"), None)


def coming(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.status == "coming"]


# --- subscribers ------------------------------------------------------------------------------

CONFIRM_SALT = "hostpolicy.public.confirm"
UNSUBSCRIBE_SALT = "hostpolicy.public.unsubscribe"


def normalise_email(address: str) -> str:
    return (address or "").strip().lower()


def _address_hash(email: str) -> str:
    return hashlib.sha256(email.encode("utf-8")).hexdigest()[:16]


def confirm_token(subscriber: Subscriber) -> str:
    """Signed, not stored; names no address (links end up in logs)."""
    return signing.dumps({"s": subscriber.pk, "h": _address_hash(subscriber.email)}, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "h": _address_hash(subscriber.email)}, salt=UNSUBSCRIBE_SALT, compress=True)


def _subscriber_from(token: str, salt: str, publication: Publication, max_age: int | None = None) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return None
    subscriber = Subscriber.objects.filter(pk=data["s"], publication=publication).first()
    if subscriber is None or _address_hash(subscriber.email) != data.get("h"):
        return None
    return subscriber


def token_topic(publication: Publication, token: str) -> str:
    """What the subscription behind a confirmation or unsubscribe link is to ("policy" when the link
    names nobody), so its page can say so."""
    for salt in (CONFIRM_SALT, UNSUBSCRIBE_SALT):
        subscriber = _subscriber_from(token, salt, publication)
        if subscriber is not None:
            return subscriber.topic
    return "policy"


def delete_unconfirmed(now: datetime.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.HOSTPOLICY_SUBSCRIBE_CONFIRM_DAYS)
    return Subscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()[0]


def subscribe(publication: Publication, email: str, topic: str = "policy") -> Subscriber | None:
    """The subscriber to send a confirmation to, or None (already confirmed: nothing to send).
    The caller answers the same either way, so nobody learns who is subscribed. `topic`: the
    policy's changes, or the sub-processor list's (a separate subscription, confirmed on its own)."""
    delete_unconfirmed()
    subscriber, created = Subscriber.objects.get_or_create(
        publication=publication, email=normalise_email(email), topic=topic)
    return None if subscriber.confirmed_at else subscriber


def confirm(publication: Publication, token: str) -> bool:
    max_age = settings.HOSTPOLICY_SUBSCRIBE_CONFIRM_DAYS * 86400
    subscriber = _subscriber_from(token, CONFIRM_SALT, publication, max_age=max_age)
    if subscriber is None:
        return False
    if not subscriber.confirmed_at:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return True


def unsubscribe(publication: Publication, token: str) -> bool:
    """Delete the subscriber the link was sent to; True whether or not it was still there when the
    token is genuine (a second click is not an error)."""
    try:
        signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    subscriber = _subscriber_from(token, UNSUBSCRIBE_SALT, publication)
    if subscriber is not None:
        subscriber.delete()
    return True


def subscribers_csv(publication: Publication) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "confirmed_at", "topic"])
    for s in publication.subscribers.filter(confirmed_at__isnull=False).order_by("confirmed_at", "pk"):
        # a leading =, +, - or @ would be a formula to a spreadsheet; a quote keeps it text
        email = "'" + s.email if s.email[:1] in "=+-@" else s.email
        confirmed = s.confirmed_at.isoformat(timespec="seconds") if s.confirmed_at else ""
        writer.writerow([email, confirmed, s.topic])
    return out.getvalue()
