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

from . import notice, services


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


def notice_urls(version: PublishedVersion, base_url: str) -> tuple[str, str]:
    """The public list, and the new version's DPA (the new text the notice points to)."""
    publication = version.publication
    assert publication is not None
    return (_absolute(base_url, reverse("public:subprocessors", kwargs={"slug": publication.slug})),
            _absolute(base_url, reverse("public:version_dpa_download", kwargs={
                "slug": publication.slug, "number": version.number, "fmt": "html"})))


def subprocessor_notice_message(version: PublishedVersion, subscriber: Subscriber, base_url: str) -> EmailMessage:
    """The notice of a change to the sub-processor list or the DPA, as every customer got it by
    email (generator.public.notice): sent to the list's subscribers once the business records the day
    it sent it, with the same dates."""
    publication = version.publication
    customer_notice = notice.customer_notice(version)
    if publication is None or customer_notice is None or version.notice_sent_on is None:
        raise ValueError(f"version {version.number} has no recorded notice to customers")
    name = business_name(services.stored_document(version))
    unsubscribe_url = _absolute(base_url, reverse(
        "public:unsubscribe", kwargs={"slug": publication.slug, "token": services.unsubscribe_token(subscriber)}))
    list_url, dpa_url = notice_urls(version, base_url)
    body = render_to_string("public/email/subprocessor_notice.txt", {
        "notice_text": notice.text(customer_notice, name, version.notice_sent_on, list_url, dpa_url),
        "unsubscribe_url": unsubscribe_url,
    })
    return EmailMessage(notice.subject(customer_notice, name, version.notice_sent_on), body, to=[subscriber.email],
                        headers={"List-Unsubscribe": f"<{unsubscribe_url}>",
                                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


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
