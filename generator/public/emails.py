"""The two emails of a subscription, in plain text (nothing a business typed becomes markup): the
confirmation of a new address (double opt-in) and the notice of a coming version. Every notice
carries a one-click unsubscribe (RFC 8058 List-Unsubscribe-Post) as well as the link in its text.
"""
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from generator.models import PublishedVersion, Subscriber

from . import services, subprocessors


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def business_name(document: dict[str, Any]) -> str:
    return document.get("business_name") or document.get("legal_name") or "The business"


# what a subscription of each topic is to, and the page it is about
TOPIC_WORDS = {"policy": ("the privacy policy", "public:policy"),
               "subprocessors": ("the list of sub-processors", "public:subprocessors")}


def confirmation_message(subscriber: Subscriber, base_url: str) -> EmailMessage:
    publication = subscriber.publication
    latest = services.public_versions(publication)[-1]
    name = business_name(services.stored_document(latest))
    what, page = TOPIC_WORDS[subscriber.topic]
    confirm_url = _absolute(base_url, reverse(
        "public:confirm", kwargs={"slug": publication.slug, "token": services.confirm_token(subscriber)}))
    body = render_to_string("public/email/confirm.txt", {
        "business": name, "confirm_url": confirm_url, "what": what,
        "page_url": _absolute(base_url, reverse(page, kwargs={"slug": publication.slug})),
        "days": settings.HOSTPOLICY_SUBSCRIBE_CONFIRM_DAYS,
    })
    return EmailMessage(f"Confirm: notices of changes to {what} of {name}", body, to=[subscriber.email])


def notice_message(version: PublishedVersion, subscriber: Subscriber, base_url: str) -> EmailMessage:
    publication = version.publication
    if publication is None:
        raise ValueError(f"version {version.number} was not published at the public address")
    name = business_name(services.stored_document(version))
    unsubscribe_url = _absolute(base_url, reverse(
        "public:unsubscribe", kwargs={"slug": publication.slug, "token": services.unsubscribe_token(subscriber)}))
    body = render_to_string("public/email/notice.txt", {
        "business": name, "version": version, "lines": version.summary.splitlines(),
        "changes_url": _absolute(base_url, reverse(
            "public:changes", kwargs={"slug": publication.slug, "number": version.number})),
        "version_url": _absolute(base_url, reverse(
            "public:version", kwargs={"slug": publication.slug, "number": version.number})),
        "policy_url": _absolute(base_url, reverse("public:policy", kwargs={"slug": publication.slug})),
        "unsubscribe_url": unsubscribe_url,
    })
    subject = f"{name}: our privacy policy changes on {services.takes_effect_on(version):%-d %B %Y}"
    return EmailMessage(subject, body, to=[subscriber.email], headers={
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })


def subprocessor_notice_message(version: PublishedVersion, subscriber: Subscriber, base_url: str) -> EmailMessage:
    """The notice of a change to the sub-processor list: each new or replaced sub-processor with
    what it does, where and the transfer mechanism, the day the change takes effect and, when the
    change opens one, the last day to object and to whom."""
    publication = version.publication
    if publication is None:
        raise ValueError(f"version {version.number} was not published at the public address")
    name = business_name(services.stored_document(version))
    change = subprocessors.version_change(version)
    unsubscribe_url = _absolute(base_url, reverse(
        "public:unsubscribe", kwargs={"slug": publication.slug, "token": services.unsubscribe_token(subscriber)}))
    body = render_to_string("public/email/subprocessor_notice.txt", {
        "business": name, "version": version, "change": change,
        "effective_on": services.takes_effect_on(version), "objection_until": version.objection_until,
        "contact_email": subprocessors.contact_email(version),
        "list_url": _absolute(base_url, reverse("public:subprocessors", kwargs={"slug": publication.slug})),
        "unsubscribe_url": unsubscribe_url,
    })
    subject = f"{name}: our sub-processors change on {services.takes_effect_on(version):%-d %B %Y}"
    return EmailMessage(subject, body, to=[subscriber.email], headers={
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })


def send_confirmation(subscriber_id: int, base_url: str) -> int:
    subscriber = Subscriber.objects.select_related("publication").filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.confirmed_at or not subscriber.publication.live:
        return 0
    return confirmation_message(subscriber, base_url).send()


def send_notices(version_id: int, base_url: str, topic: str = "policy") -> int:
    """One email to each confirmed subscriber of `topic` (never one to many: nobody sees another's
    address): the policy's change summary, or the sub-processor list's notice."""
    version = PublishedVersion.objects.select_related("publication").filter(pk=version_id).first()
    if version is None or version.publication is None or not version.publication.live:
        return 0
    make = subprocessor_notice_message if topic == "subprocessors" else notice_message
    sent = 0
    with get_connection() as connection:
        for subscriber in version.publication.subscribers.filter(
                confirmed_at__isnull=False, topic=topic).order_by("pk"):
            message = make(version, subscriber, base_url)
            message.connection = connection
            sent += message.send()
    return sent
