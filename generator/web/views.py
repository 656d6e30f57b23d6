"""Thin views: read the request, call a plain function in steps/services/review, pick a template."""
import functools

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from generator import text as text_
from generator.ratelimits import limit
from generator.answers.loader import MAX_BYTES
from generator.render.formats import BY_ID as OUTPUT_FORMAT, OUTPUT_FORMATS

from . import review as review_, services, steps


class UploadForm(forms.Form):
    """The landing page's upload of an answers file to start a draft from."""

    answers_file = forms.FileField(
        label="Answers file (YAML or JSON)",
        error_messages={"required": "Choose an answers file to upload.", "empty": "The file is empty."},
    )


def _private(response):
    """Draft pages hold personal data and a secret link: never cache them, never index them."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def draft_view(view):
    @functools.wraps(view)
    def wrapper(request, token, *args, **kwargs):
        draft = services.draft_get(token)
        return _private(view(request, draft, token, *args, **kwargs))

    return wrapper


def step_url(token, slug):
    return reverse("web:step", kwargs={"token": token, "step": slug})


def _draft_context(request, draft, token, current):
    answers = draft.answers
    applicable = {s.slug for s in steps.applicable(answers)}
    nav = []
    for number, s in enumerate(steps.STEPS, start=1):
        nav.append({
            "number": number, "slug": s.slug, "label": s.label, "url": step_url(token, s.slug),
            "current": s.slug == current, "done": s.is_done(answers), "skipped": s.slug not in applicable,
        })
    position = next((item["number"] for item in nav if item["current"]), None)
    return {
        "token": token,
        "draft": draft,
        "nav": nav,
        "position": position,
        "total_steps": len(nav),
        "resume_url": request.build_absolute_uri(reverse("web:draft", kwargs={"token": token})),
        "yaml_url": reverse("web:answers_yaml", kwargs={"token": token}),
        "business_name": (answers.get("business") or {}).get("trading_name") or (answers.get("business") or {}).get("legal_name"),
    }


# --- landing ---------------------------------------------------------------------------------

@require_safe  # GET and HEAD
def landing(request):
    return render(request, "landing.html", {"upload_form": UploadForm()})


@require_POST
@limit("drafts", "HOSTPOLICY_RATE_NEW_DRAFTS")
def start(request):
    draft, token = services.draft_create()
    messages.success(
        request,
        "Your draft is saved. Keep the secret link at the bottom of each page to come back to it later.",
    )
    return redirect(step_url(token, "business"))


@require_POST
@limit("drafts", "HOSTPOLICY_RATE_NEW_DRAFTS")
def upload(request):
    form = UploadForm(request.POST, request.FILES)
    errors: tuple = ()
    if form.is_valid():
        handle = form.cleaned_data["answers_file"]
        raw = handle.read(MAX_BYTES + 1)
        draft, token, errors = services.upload_answers(raw)
        if draft is not None:
            messages.success(request, "Your answers file was read and saved as a new draft. Check the policy below, or go through the steps to change it.")
            return redirect(reverse("web:review", kwargs={"token": token}))
    return render(request, "landing.html", {"upload_form": form, "upload_errors": errors}, status=200)


# --- the draft ---------------------------------------------------------------------------------

@require_safe  # GET and HEAD
@draft_view
def draft_home(request, draft, token):
    return redirect(step_url(token, steps.first_unfinished(draft.answers).slug))


@require_safe  # GET and HEAD
@draft_view
def answers_yaml(request, draft, token):
    response = HttpResponse(services.answers_yaml(draft.answers), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="privacy-answers.yaml"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@limit("steps", "HOSTPOLICY_RATE_STEP_POSTS")
@draft_view
def step(request, draft, token, step):
    if step == "review":
        return redirect(reverse("web:review", kwargs={"token": token}))
    definition = steps.BY_SLUG.get(step)
    if definition is None:
        raise Http404("No such step")
    answers = draft.answers
    if not definition.applies(answers):
        return redirect(step_url(token, steps.next_step(step, answers).slug))

    if request.method == "POST":
        nav = request.POST.get("nav", "next")
        if nav == "discard":
            services.draft_discard_pending(draft, step)
            messages.info(request, "Your unsaved changes on this page were discarded.")
            return redirect(step_url(token, step))
        # Control characters, lone surrogates and bidi overrides are removed at the edge (generator.text).
        posted = text_.clean_querydict(request.POST)
        bundle = definition.forms(answers, posted)
        problems: tuple = ()
        if bundle.is_valid():
            new = definition.apply(answers, bundle)
            problems = services.draft_save_answers(draft, new, step)
        if bundle.is_valid() and not problems:
            notice = definition.after_save(answers, new, bundle)
            if notice:
                messages.info(request, notice)
                return redirect(step_url(token, step))
            if nav == "back":
                previous = steps.previous_step(step, new)
                return redirect(step_url(token, previous.slug if previous else step))
            if nav == "stay":
                messages.success(request, "Saved.")
                return redirect(step_url(token, step))
            return redirect(step_url(token, steps.next_step(step, new).slug))
        # Not valid: keep what was typed so nothing is lost, whichever way the person goes next.
        kept = services.draft_save_pending(draft, step, posted)
        if not kept:
            messages.error(request, "What you typed on this page is too long to keep, so it was not saved. Shorten it and try again.")
        if problems:
            # The forms accepted it but the answers contract does not (a tampered form): say why.
            for problem in problems[:10]:
                messages.error(request, f"Not saved: {problem}")
            return redirect(step_url(token, step))
        if nav == "back":
            previous = steps.previous_step(step, answers)
            messages.warning(
                request,
                f"What you typed on “{definition.title}” is kept but not saved yet, because some of it needs "
                "correcting. Go back to that step to finish it.",
            )
            return redirect(step_url(token, previous.slug if previous else step))
        pending = False
    else:
        data = services.draft_pending(draft, step)
        bundle = definition.forms(answers, data)
        pending = data is not None
        if pending:
            bundle.is_valid()  # show the errors of the kept input
    context = _draft_context(request, draft, token, step)
    context.update({
        "step": definition,
        "bundle": bundle,
        "form": bundle.main,
        "rows": bundle.rows,
        "error_summary": bundle.error_summary(),
        "pending": pending,
        "previous": steps.previous_step(step, answers),
        **definition.context(answers, bundle),
    })
    return render(request, definition.template, context)


@require_safe  # GET and HEAD
@draft_view
def review(request, draft, token):
    result = review_.review(draft.answers)
    last = draft.versions.order_by("-number").first()
    context = _draft_context(request, draft, token, "review")
    context.update({
        "step": steps.BY_SLUG["review"],
        "previous": steps.previous_step("review", draft.answers),
        "review": result,
        "errors": [dict(entry, url=step_url(token, entry["slug"])) for entry in review_.unanswered_by_step(result.errors)],
        "unfinished": [
            {"path": path, "message": why, "url": step_url(token, slug), "step_label": steps.BY_SLUG[slug].label}
            for path, why, slug in result.unfinished
        ],
        "missing": [i for i in result.report_items if i["status"] in ("missing", "problem")],
        "actions": [i for i in result.report_items if i["status"] == "action"],
        "met": [i for i in result.report_items if i["status"] == "met"],
        "dpa_missing": [i for i in result.dpa_report_items if i["status"] in ("missing", "problem")],
        "dpa_actions": [i for i in result.dpa_report_items if i["status"] == "action"],
        "dpa_met": [i for i in result.dpa_report_items if i["status"] == "met"],
        "dpa_step_url": step_url(token, "dpa") if steps.BY_SLUG["dpa"].applies(draft.answers) else "",
        "formats": OUTPUT_FORMATS,
        "last_version": last,
        "changes_since_last": services.diff_answers(last.answers, draft.answers) if last else None,
        # the review already built the current policy: compare against it rather than build it again
        "wording_since_last": services.wording_changes(services.version_document(last), result.document) if last else None,
    })
    if result.document is not None:
        from generator.public.owner_views import publish_context

        context.update(publish_context(draft))
    for item in (*result.report_items, *result.dpa_report_items):
        item["url"] = step_url(token, item["step"]) if item["step"] else None
    return render(request, "wizard/review.html", context)


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf_response(request, answers, stem="", kind="policy"):
    """The PDF from the cache when it is there; otherwise its render is queued for the task worker
    (generator.tasks) and a page that reloads itself every few seconds waits for it, without
    JavaScript. When the cache cannot be used at all, the PDF is rendered here instead (logged).
    `kind`: the policy, or the customer DPA (generator.documents)."""
    from generator import documents, tasks
    from generator.render import pdf as pdf_renderer

    result = services.validate(answers)
    if not result.ok:
        raise Http404("This download is not available")
    try:
        document = documents.build(kind, result.answers)  # type: ignore[arg-type]  # set whenever result.ok
    except ValueError:
        raise Http404("This download is not available") from None
    pdf = OUTPUT_FORMAT["pdf"]
    filename = f"{stem}{pdf.filename(documents.FILE_STEMS[kind])}"
    root, _ = pdf_renderer.cache_path(document)
    if not pdf_renderer.cache_usable(root):
        return _attachment(pdf_renderer.render_pdf(document), pdf.content_type, filename)
    job = tasks.request_pdf(answers, document, retry=request.GET.get("retry") == "1", kind=kind)
    if job.status == "ready":
        return _attachment(job.data, pdf.content_type, filename)
    context = {"failed": job.status == "failed", "refresh_seconds": 2, "retry_url": f"{request.path}?retry=1",
               "back_url": request.META.get("HTTP_REFERER", "") if url_has_allowed_host_and_scheme(
                   request.META.get("HTTP_REFERER", ""), allowed_hosts={request.get_host()}) else ""}
    status = 500 if job.status == "failed" else 202
    return render(request, "wizard/pdf_wait.html", context, status=status)


def _download_response(answers, fmt, stem="", kind="policy"):
    try:
        content, content_type, filename = review_.download(answers, fmt, kind)
    except ValueError:
        raise Http404("This download is not available") from None
    response = HttpResponse(content, content_type=content_type)
    # Always a download: the HTML page carries its own <style>, which this site's CSP would block inline.
    response["Content-Disposition"] = f'attachment; filename="{stem}{filename}"'
    return response


@require_safe  # GET and HEAD
@draft_view
def download(request, draft, token, fmt):  # `fmt` is a registered format: the URL converter says so
    if OUTPUT_FORMAT[fmt].queued:
        return _pdf_response(request, draft.answers)
    return _download_response(draft.answers, fmt)


@require_safe  # GET and HEAD
@draft_view
def dpa_download(request, draft, token, fmt):  # `fmt` is a registered format: the URL converter says so
    """The customer data processing agreement, in the same formats as the policy; 404 when the
    answers call for none."""
    if OUTPUT_FORMAT[fmt].queued:
        return _pdf_response(request, draft.answers, kind="dpa")
    return _download_response(draft.answers, fmt, kind="dpa")


@require_safe  # GET and HEAD
@draft_view
def sources(request, draft, token):
    traces = review_.traces(draft.answers)
    if traces is None:
        messages.error(request, "The answers are not complete yet, so there is no policy to trace. See the list below.")
        return redirect(reverse("web:review", kwargs={"token": token}))
    context = _draft_context(request, draft, token, None)
    context["traces"] = traces
    return render(request, "wizard/sources.html", context)


@require_POST
@limit("steps", "HOSTPOLICY_RATE_STEP_POSTS")
@draft_view
def publish(request, draft, token):
    # At the public address (generator.public) when the form names one, else under the secret link only.
    from generator.public import owner_views

    return owner_views.publish(request, draft, token)


@require_safe  # GET and HEAD
@draft_view
def versions(request, draft, token):
    all_versions = list(draft.versions.order_by("number"))
    numbers = [v.number for v in all_versions]
    diff = None
    a = b = None
    try:
        a = int(request.GET.get("from", "")) if request.GET.get("from") else None
        b = int(request.GET.get("to", "")) if request.GET.get("to") else None
    except ValueError:
        a = b = None
    wording = None
    if a in numbers and b in numbers:
        old, new = services.version_get(draft, a), services.version_get(draft, b)  # type: ignore[arg-type]  # both in numbers
        diff = services.diff_answers(old.answers, new.answers)
        wording = services.wording_changes(services.version_document(old), services.version_document(new))
    context = _draft_context(request, draft, token, None)
    context.update({"versions": all_versions, "diff": diff, "wording": wording, "from_number": a, "to_number": b})
    return render(request, "wizard/versions.html", context)


@require_safe  # GET and HEAD
@draft_view
def version(request, draft, token, number):
    current = services.version_get(draft, number)
    previous = draft.versions.filter(number__lt=number).order_by("-number").first()
    context = _draft_context(request, draft, token, None)
    context.update({
        "version": current,
        "previous_version": previous,
        "diff": services.diff_answers(previous.answers, current.answers) if previous else None,
        "wording": services.wording_changes(
            services.version_document(previous), services.version_document(current),
        ) if previous else None,
        "formats": OUTPUT_FORMATS,
    })
    from generator.public.owner_views import notice_context

    context.update(notice_context(request, draft, current))  # the notice to every customer, when one is due
    return render(request, "wizard/version.html", context)


@require_safe  # GET and HEAD
@draft_view
def version_answers_yaml(request, draft, token, number):
    current = services.version_get(draft, number)
    response = HttpResponse(services.answers_yaml(current.answers), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="privacy-answers-v{number}.yaml"'
    return response


@require_safe  # GET and HEAD
@draft_view
def version_download(request, draft, token, number, fmt):
    current = services.version_get(draft, number)
    if current.document:  # published at the public address: the document it stored, as published
        from generator.public.views import stored_version_download

        return stored_version_download(request, current, fmt, stem=f"v{number}-")
    if OUTPUT_FORMAT[fmt].queued:
        return _pdf_response(request, services.version_answers_for_rendering(current), stem=f"v{number}-")
    return _download_response(services.version_answers_for_rendering(current), fmt, stem=f"v{number}-")
