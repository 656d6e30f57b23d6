"""The public address managed from the secret link: rename it, unpublish it, download the
subscriber list. Behind the draft's token like every other page of the wizard."""
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from generator.models import Draft, Publication
from generator.ratelimits import limit
from generator.web.views import draft_view

from . import clock, emails, notice, services, subprocessors
from .forms import NoticeSentForm, PublishForm, RenameForm


def _review(token: str) -> HttpResponseRedirect:
    return redirect(reverse("web:review", kwargs={"token": token}) + "#public-heading")


def _publication_or_message(request: HttpRequest, draft: Draft) -> Publication | None:
    publication = services.publication_of(draft)
    if publication is None:
        messages.error(request, "This policy has no public address yet: publish it first.")
    return publication


@require_POST
@limit("steps", "HOSTPOLICY_RATE_STEP_POSTS")
@draft_view
def rename(request: HttpRequest, draft: Draft, token: str) -> HttpResponse:
    publication = _publication_or_message(request, draft)
    if publication is not None:
        form = RenameForm(request.POST)
        error = services.rename(publication, form.data.get("public_name", "")) if form.is_valid() else \
            "New public name: enter a name."
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"Your policy's address is now /p/{publication.slug}/. "
                                      "The old address redirects there.")
    return _review(token)


@require_POST
@limit("steps", "HOSTPOLICY_RATE_STEP_POSTS")
@draft_view
def unpublish(request: HttpRequest, draft: Draft, token: str) -> HttpResponse:
    publication = _publication_or_message(request, draft)
    if publication is not None and publication.live:
        services.unpublish(publication)
        messages.success(request, f"/p/{publication.slug}/ is no longer public: it now answers “gone”. "
                                  "The subscribers were deleted. Publish again to bring the address back.")
    return _review(token)


@require_safe
@draft_view
def subscribers_csv(request: HttpRequest, draft: Draft, token: str) -> HttpResponse:
    publication = services.publication_of(draft)
    content = services.subscribers_csv(publication) if publication else "email,confirmed_at,topic\r\n"
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
    return response


# --- publishing (the form on the review step posts here through web.views.publish) -------------

def publish_context(draft: Draft) -> dict[str, Any]:
    """What the publish box on the review step shows: the public address if there is one, the
    form with the drafted change summary and the earliest date the version may take effect."""
    publication = services.publication_of(draft)
    last = services.last_public_version(draft)
    earliest, why_earliest = services.earliest_with_reason(draft)
    kept = draft.pending.get("publish")
    if kept:
        form = PublishForm({key: values[-1] for key, values in kept.items() if values})
        form.is_valid()
    else:
        form = PublishForm(initial={
            "public_name": publication.slug if publication else services.suggest_slug(draft.answers),
            "effective_on": earliest,
            "summary": services.drafted_summary(draft) if services.drafts.validate(draft.answers).ok else "",
            "notify": True,
        })
    return {
        "publication": publication,
        "public_live": bool(publication and publication.live),
        "last_public_version": last,
        "publish_form": form,
        "earliest_effective_on": earliest,
        "earliest_reason": why_earliest,
        "subscriber_count": publication.subscribers.filter(
            confirmed_at__isnull=False, topic="policy").count() if publication else 0,
        "subprocessor_subscriber_count": publication.subscribers.filter(
            confirmed_at__isnull=False, topic="subprocessors").count() if publication else 0,
        "has_subprocessor_list": bool(publication and subprocessors.has_list(publication)),
        "subprocessor_list_url_given": bool((draft.answers.get("dpa") or {}).get("subprocessor_list_url")),
        "rename_form": RenameForm(),
        # the DPA's own sections this version would change: the box then asks whether one reduces
        # protection (counsel round 3, n5)
        "dpa_sections_changing": notice.dpa_text_changes(last, draft.answers)
        if last is not None and services.drafts.validate(draft.answers).ok else [],
        # versions whose notice to every customer is still to send: the change waits for it
        "pending_notices": [v for v in services.public_versions(publication)
                            if v.notice_sent_on is None and notice.customer_notice(v) is not None]
        if publication else [],
    }


def publish(request: HttpRequest, draft: Draft, token: str) -> HttpResponse:
    from generator import tasks as draft_tasks
    from generator.text import clean_querydict
    from generator.web import services as drafts

    from .tasks import queue_version_pdf, send_notices, send_subprocessor_notices

    posted = clean_querydict(request.POST)
    publication = services.publication_of(draft)
    public = bool(publication and publication.live) or bool(posted.get("public_name", "").strip())
    if not drafts.validate(draft.answers).ok:
        messages.error(request, "The answers are not complete yet, so nothing was published. See the list below.")
        return _review(token)
    if not public:
        # No public name: the version is frozen under the secret link only, as before.
        private, _ = drafts.publish(draft)
        if private is None:  # the answers were checked just above; only a concurrent edit gets here
            messages.error(request, "The answers are not complete yet, so nothing was published. See the list below.")
            return _review(token)
        draft_tasks.queue_pdf(drafts.version_answers_for_rendering(private))
        messages.success(request, f"Published as version {private.number} on {private.generated_on:%d %B %Y}, "
                                  "under this secret link only (no public address).")
        return redirect(reverse("web:version", kwargs={"token": token, "number": private.number}))
    form = PublishForm(posted)
    if form.is_valid():
        data = form.cleaned_data
        version, errors = services.publish(draft, services.PublishRequest(
            slug=data["public_name"], effective_on=data["effective_on"], summary=data["summary"],
            dpa_change_reduces=data["dpa_change_reduces"]))
    else:
        labels = {name: str(field.label) for name, field in form.fields.items()}
        version, errors = None, [str(e) if str(e).startswith(labels[name]) else f"{labels[name]}: {e}"
                                 for name, field_errors in form.errors.items() for e in field_errors]
    if version is None:
        drafts.draft_save_pending(draft, "publish", posted)  # what was typed is kept for the next try
        for error in errors:
            messages.error(request, f"Not published: {error}")
        return redirect(reverse("web:review", kwargs={"token": token}) + "#publish-heading")
    drafts.draft_discard_pending(draft, "publish")
    queue_version_pdf(version)
    publication = version.publication
    assert publication is not None  # services.publish sets it
    address = reverse("public:policy", kwargs={"slug": publication.slug})
    notified = ""
    previous = notice.previous_public(version)
    if form.cleaned_data["notify"] and publication.subscribers.filter(confirmed_at__isnull=False, topic="policy").exists():
        # a version that changes only the DPA is no change of the privacy policy (counsel M6)
        if previous is not None and not notice.policy_text_changes(previous, version.answers):
            notified = " The privacy policy's text does not change, so its subscribers get no email."
        else:
            send_notices.enqueue(version.pk, request.build_absolute_uri("/"))
            notified = " The change summary is being emailed to your subscribers."
    # the notice of a list or DPA change is the DPA's promise to every customer, not a choice: the
    # business emails it to the account addresses, then records the day (generator.public.notice)
    if notice.customer_notice(version) is not None:
        notified += (" Required: email the notice shown on this page to every customer's account address, "
                     "then record the day you sent it. The changes to the sub-processor list and the data "
                     "processing agreement take effect only after that notice, and customers may object from it.")
    if version.dpa_change_reduces:
        notified += (" You answered that a change to your data processing agreement reduces the protection of "
                     "customers' data: it applies to a customer only once that customer accepts it, so collect "
                     "each customer's acceptance; the others stay on the agreement they accepted.")
    if version.dpa_document and subprocessors.not_offered_reasons(version):
        notified += (" Your customer DPA still has problems in its report, so the public sub-processor page "
                     "offers it as a draft, not for acceptance, until you settle them and publish again.")
    messages.success(request, f"Published as version {version.number} at {address}, in force from "
                              f"{version.effective_on:%d %B %Y}.{notified}")
    return redirect(reverse("web:version", kwargs={"token": token, "number": version.number}))


# --- the notice to every customer (counsel M5, M6) ------------------------------------------------

def _version(draft: Draft, number: int) -> Any:
    from generator.web import services as drafts

    return drafts.version_get(draft, number)


def _pending_key(number: int) -> str:
    return f"notice-{number}"


def notice_context(request: HttpRequest, draft: Draft, version: Any) -> dict[str, Any]:
    """The required to-do on a public version's page under the secret link: the notice to email to
    every customer's account address, and the form to record the day it went out."""
    customer_notice = notice.customer_notice(version)
    if customer_notice is None or version.publication is None:
        return {}
    sent_on = version.notice_sent_on or clock.today()
    list_url, dpa_url = emails.notice_urls(version, request.build_absolute_uri("/"))
    name = emails.business_name(services.stored_document(version))
    kept = draft.pending.get(_pending_key(version.number)) or {}
    return {
        "customer_notice": customer_notice,
        "notice_subject": notice.subject(customer_notice, name, sent_on),
        "notice_text": notice.text(customer_notice, name, sent_on, list_url, dpa_url),
        "notice_starts_on": customer_notice.starts_on(sent_on),
        "notice_late_days": customer_notice.late_by(sent_on),
        "notice_objection_until": customer_notice.objection_until(sent_on),
        "notice_sent_value": (kept.get("sent_on") or [""])[-1],
        "notice_today": clock.today(),
    }


@require_safe
@draft_view
def notice_text(request: HttpRequest, draft: Draft, token: str, number: int) -> HttpResponse:
    """The notice as plain text, to paste into the email to customers (dated as if sent today until
    the day it went out is recorded)."""
    version = _version(draft, number)
    context = notice_context(request, draft, version)
    if not context:
        raise Http404("This version needs no notice to customers")
    response = HttpResponse(f"Subject: {context['notice_subject']}\n\n{context['notice_text']}",
                            content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="customer-notice-v{number}.txt"'
    return response


@require_POST
@limit("steps", "HOSTPOLICY_RATE_STEP_POSTS")
@draft_view
def record_notice_sent(request: HttpRequest, draft: Draft, token: str, number: int) -> HttpResponse:
    from generator.text import clean_querydict
    from generator.web import services as drafts

    from .tasks import send_subprocessor_notices

    version = _version(draft, number)
    back = redirect(reverse("web:version", kwargs={"token": token, "number": number}) + "#customer-notice-heading")
    posted = clean_querydict(request.POST)
    form = NoticeSentForm(posted)
    sent_on = form.cleaned_data["sent_on"] if form.is_valid() else None
    error = notice.record_error(version, sent_on) if form.is_valid() else \
        next(str(e) for errors in form.errors.values() for e in errors)
    if error or sent_on is None:
        drafts.draft_save_pending(draft, _pending_key(number), posted)  # what was typed is kept
        messages.error(request, f"Not recorded: {error}")
        return back
    drafts.draft_discard_pending(draft, _pending_key(number))
    customer_notice = notice.record(version, sent_on)
    starts_on = customer_notice.starts_on(sent_on)
    said = f"Recorded: you emailed the notice to your customers on {sent_on:%-d %B %Y}."
    if version.objection_until:
        said += f" They may object until {version.objection_until:%-d %B %Y}."
    if customer_notice.late_by(sent_on):
        said += (f" That is less than the {customer_notice.notice_days} days' notice your data processing agreement "
                 f"promises before {version.effective_on:%-d %B %Y}, so this version's changes to the sub-processor "
                 f"list and the agreement take effect only on {starts_on:%-d %B %Y}; the policy still takes effect "
                 f"on {version.effective_on:%-d %B %Y}.")
    else:
        said += f" The changes take effect on {starts_on:%-d %B %Y}."
    # the text on the page is dated the day it is read: one copied earlier and sent later names earlier
    # dates than these (counsel, round 3, n4)
    said += (f" If the notice you sent is dated before {sent_on:%-d %B %Y} (its first lines say so), its dates are "
             "earlier than these: email your customers the notice below, which is dated the day you recorded.")
    publication = version.publication
    if publication is not None and publication.live and publication.subscribers.filter(
            confirmed_at__isnull=False, topic="subprocessors").exists():
        send_subprocessor_notices.enqueue(version.pk, request.build_absolute_uri("/"))
        said += " The same notice is being emailed to the sub-processor list's subscribers."
    messages.success(request, said)
    return back
