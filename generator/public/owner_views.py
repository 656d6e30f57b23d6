"""The public address managed from the secret link: rename it, unpublish it, download the
subscriber list. Behind the draft's token like every other page of the wizard."""
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from generator.models import Draft, Publication
from generator.ratelimits import limit
from generator.web.views import draft_view

from . import services, subprocessors
from .forms import PublishForm, RenameForm


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
            slug=data["public_name"], effective_on=data["effective_on"], summary=data["summary"]))
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
    if form.cleaned_data["notify"] and publication.subscribers.filter(confirmed_at__isnull=False, topic="policy").exists():
        send_notices.enqueue(version.pk, request.build_absolute_uri("/"))
        notified = " The change summary is being emailed to your subscribers."
    # the notice of a sub-processor change is the DPA's promise, not a choice: it goes whenever the list changes
    if subprocessors.version_change(version):
        if publication.subscribers.filter(confirmed_at__isnull=False, topic="subprocessors").exists():
            send_subprocessor_notices.enqueue(version.pk, request.build_absolute_uri("/"))
            notified += " The sub-processor notice is being emailed to the list's subscribers."
        if version.objection_until:
            notified += f" Customers may object to the new sub-processors until {version.objection_until:%d %B %Y}."
    messages.success(request, f"Published as version {version.number} at {address}, in force from "
                              f"{version.effective_on:%d %B %Y}.{notified}")
    return redirect(reverse("web:version", kwargs={"token": token, "number": version.number}))
