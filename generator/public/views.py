"""The public pages, `/p/<slug>/...`: no secret token, no draft data, only what was published.

Every page here is built from a version's stored document, summary and dates, never from the
draft's answers, so nothing unpublished can reach it. Pages carry ETag and Last-Modified, and a
repeated read with If-None-Match / If-Modified-Since gets 304 before any page is built. Old names
of a renamed address redirect (301); an unpublished address answers 410 Gone.
"""
import datetime
import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from generator import documents, render as renderers
from generator.diff import policy_changes
from generator.document import PolicyDocument
from generator.models import Publication, PublishedVersion, RetiredSlug
from generator.ratelimits import limit, too_many_requests
from generator.render import html as html_renderer
from generator.render.formats import BY_ID as OUTPUT_FORMAT, OUTPUT_FORMATS
from generator.render import pdf as pdf_renderer

from . import clock, notice as notice_, services, subprocessors
from .forms import SubscribeForm

# Bump when the public templates change, so cached pages are not served as "not modified".
PAGES_REVISION = "3"
# (id, label) of each output format, in the registry's order (generator.render.formats)
FORMATS = {fmt.id: fmt.label for fmt in OUTPUT_FORMATS}


def _gone(request: HttpRequest) -> HttpResponse:
    response = render(request, "public/gone.html", status=410)
    patch_cache_control(response, public=True, max_age=300)
    return response


def public_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Find the live publication behind `slug`: an old name redirects to the current one, an
    unpublished address answers 410, an unknown one 404."""
    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        publication = Publication.objects.filter(slug=slug).first()
        if publication is None:
            retired = RetiredSlug.objects.select_related("publication").filter(slug=slug).first()
            if retired is None:
                raise Http404("No policy is published at this address")
            if not retired.publication.live:
                return _gone(request)
            prefix = reverse("public:policy", kwargs={"slug": slug})
            target = reverse("public:policy", kwargs={"slug": retired.publication.slug}) + request.path[len(prefix):]
            return HttpResponsePermanentRedirect(target)
        if not publication.live:
            return _gone(request)
        return view(request, publication, *args, **kwargs)

    return wrapper


def _conditional(request: HttpRequest, parts: Sequence[object], last_modified: datetime.datetime,
                 build: Callable[[], HttpResponse], max_age: int = 0) -> HttpResponse:
    """ETag and Last-Modified for a page made only of `parts`; 304 when the client has it."""
    # the pages name their own absolute address (the privacy-policy line, the snippet's link back)
    parts = (PAGES_REVISION, request.build_absolute_uri("/"), *parts)
    etag = quote_etag(hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32])
    timestamp = int(last_modified.timestamp())
    cached = get_conditional_response(request, etag=etag, last_modified=timestamp)
    response = build() if cached is None else cached
    if response.status_code in (200, 304):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(timestamp)
        patch_cache_control(response, public=True, max_age=max_age, must_revalidate=max_age == 0)
    return response


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.timezone.utc)


def _version_or_404(publication: Publication, number: int) -> PublishedVersion:
    version = publication.versions.filter(number=number, document__isnull=False).first()
    if version is None:
        raise Http404("No such version")
    return version


def _entry_for(entries: list[services.Entry], version: PublishedVersion) -> services.Entry:
    return next(e for e in entries if e.version.pk == version.pk)


def _base_context(request: HttpRequest, publication: Publication, entries: list[services.Entry]) -> dict[str, Any]:
    latest = services.stored_document(entries[-1].version)
    policy_url = request.build_absolute_uri(reverse("public:policy", kwargs={"slug": publication.slug}))
    return {
        "publication": publication,
        "business_name": latest.get("business_name") or latest.get("legal_name"),
        "policy_url": policy_url,
        "feed_url": reverse("public:feed", kwargs={"slug": publication.slug}),
        "privacy_link_line": f'<link rel="privacy-policy" href="{policy_url}">',
        "formats": FORMATS.items(),
        "today": clock.today(),
        "confirm_days": settings.HOSTPOLICY_SUBSCRIBE_CONFIRM_DAYS,
        "has_subprocessor_list": subprocessors.has_list(publication),
    }


def _policy_html(version: PublishedVersion) -> str:
    """The policy's body, from the stored document, through the renderer's own sanitiser."""
    return html_renderer.body(services.version_document(version))


# --- pages ------------------------------------------------------------------------------------

@require_safe
@public_view
def policy(request: HttpRequest, publication: Publication) -> HttpResponse:
    entries = services.timeline(publication)
    if not entries:
        raise Http404("Nothing is published here yet")
    current, upcoming = services.in_force(entries), services.coming(entries)
    shown = [current] if current else []
    parts = [publication.slug, publication.updated_at.isoformat(), *(f"{e.version.pk}:{e.status}" for e in shown + upcoming)]
    changed = max([publication.updated_at] + [e.version.created_at for e in shown + upcoming]
                  + ([_midnight(services.takes_effect_on(current.version))] if current else []))

    def build() -> HttpResponse:
        context = _base_context(request, publication, entries)
        context.update({"current": current, "coming": upcoming,
                        "policy_html": _policy_html(current.version) if current else ""})
        return render(request, "public/policy.html", context)

    return _conditional(request, parts, changed, build)


@require_safe
@public_view
def versions(request: HttpRequest, publication: Publication) -> HttpResponse:
    entries = services.timeline(publication)
    if not entries:
        raise Http404("Nothing is published here yet")
    parts = [publication.slug, publication.updated_at.isoformat(), *(f"{e.version.pk}:{e.status}" for e in entries)]
    changed = max([publication.updated_at] + [e.version.created_at for e in entries]
                  + [_midnight(services.takes_effect_on(e.version)) for e in entries if e.status != "coming"])

    def build() -> HttpResponse:
        context = _base_context(request, publication, entries)
        context["entries"] = list(reversed(entries))
        return render(request, "public/versions.html", context)

    return _conditional(request, parts, changed, build)


def _previous(entries: list[services.Entry], version: PublishedVersion) -> PublishedVersion | None:
    earlier = [e.version for e in entries if e.version.number < version.number]
    return earlier[-1] if earlier else None


@require_safe
@public_view
def version(request: HttpRequest, publication: Publication, number: int) -> HttpResponse:
    version = _version_or_404(publication, number)
    entries = services.timeline(publication)
    entry = _entry_for(entries, version)
    parts = [publication.slug, publication.updated_at.isoformat(), version.pk, entry.status, entry.until]

    def build() -> HttpResponse:
        context = _base_context(request, publication, entries)
        context.update({"entry": entry, "version": version, "previous": _previous(entries, version),
                        "policy_html": _policy_html(version)})
        return render(request, "public/version.html", context)

    return _conditional(request, parts, max(version.created_at, publication.updated_at), build)


@require_safe
@public_view
def changes(request: HttpRequest, publication: Publication, number: int) -> HttpResponse:
    version = _version_or_404(publication, number)
    entries = services.timeline(publication)
    entry = _entry_for(entries, version)
    previous = _previous(entries, version)
    parts = [publication.slug, publication.updated_at.isoformat(), version.pk, entry.status, getattr(previous, "pk", "")]

    def build() -> HttpResponse:
        context = _base_context(request, publication, entries)
        wording = policy_changes(services.version_document(previous), services.version_document(version)) \
            if previous else None
        context.update({"entry": entry, "version": version, "previous": previous, "wording": wording,
                        "lines": version.summary.splitlines()})
        return render(request, "public/changes.html", context)

    return _conditional(request, parts, max(version.created_at, publication.updated_at), build)


# --- downloads --------------------------------------------------------------------------------

def _snippet_with_link(document: PolicyDocument, policy_url: str) -> str:
    """The snippet, ending with a link back to the public address (where the earlier versions are)."""
    fragment = html_renderer.render_snippet(document).rstrip("\n")
    closing = fragment.rindex("</section>")
    link = (f'<p class="hp-published-at">This policy and its earlier versions: '
            f'<a href="{policy_url}">{policy_url}</a></p>')
    return html_renderer.sanitize(fragment[:closing] + link + fragment[closing:]) + "\n"


def _download(request: HttpRequest, publication: Publication, version: PublishedVersion, fmt: str,
              stem: str, kind: str = "policy") -> HttpResponse:
    if fmt not in FORMATS or kind == "dpa" and fmt == "snippet":  # the snippet is the policy's, for a website
        raise Http404("No such format")
    document = services.version_document(version) if kind == "policy" else services.version_dpa_document(version)
    filename = f"{stem}{OUTPUT_FORMAT[fmt].filename(documents.FILE_STEMS[kind])}"
    if fmt == "pdf":
        return _pdf(request, version, document, filename, kind)
    parts = [publication.slug, version.pk, kind, fmt, renderers.RENDERER_VERSION]

    def build() -> HttpResponse:
        content: str | bytes
        if fmt == "snippet":
            policy_url = request.build_absolute_uri(reverse("public:policy", kwargs={"slug": publication.slug}))
            content = _snippet_with_link(document, policy_url)
        else:
            content = renderers.render(document, fmt)
        response = HttpResponse(content, content_type=OUTPUT_FORMAT[fmt].content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    return _conditional(request, parts, max(version.created_at, publication.updated_at), build, max_age=3600)


def _pdf(request: HttpRequest, version: PublishedVersion, document: PolicyDocument, filename: str,
         kind: str = "policy") -> HttpResponse:
    from .tasks import request_version_pdf

    root, _ = pdf_renderer.cache_path(document)
    if not pdf_renderer.cache_usable(root):
        data = pdf_renderer.render_pdf(document)
    else:
        job = request_version_pdf(version, document, retry=request.GET.get("retry") == "1", kind=kind)
        if job.status != "ready" or job.data is None:
            context = {"failed": job.status == "failed", "refresh_seconds": 2, "retry_url": f"{request.path}?retry=1",
                       "back_url": ""}
            return render(request, "wizard/pdf_wait.html", context, status=500 if job.status == "failed" else 202)
        data = job.data
    response = HttpResponse(data, content_type=OUTPUT_FORMAT["pdf"].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=3600)
    return response


def stored_version_download(request: HttpRequest, version: PublishedVersion, fmt: str, stem: str) -> HttpResponse:
    """A public version's download under the secret link: its stored document, as published."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    document = services.version_document(version)
    filename = f"{stem}{OUTPUT_FORMAT[fmt].filename()}"
    if fmt == "pdf":
        return _pdf(request, version, document, filename)
    response = HttpResponse(renderers.render(document, fmt), content_type=OUTPUT_FORMAT[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@public_view
def download(request: HttpRequest, publication: Publication, fmt: str) -> HttpResponse:
    current = services.in_force(services.timeline(publication))
    if current is None:
        raise Http404("No version is in force yet")
    return _download(request, publication, current.version, fmt, "")


@require_safe
@public_view
def version_download(request: HttpRequest, publication: Publication, number: int, fmt: str) -> HttpResponse:
    return _download(request, publication, _version_or_404(publication, number), fmt, f"v{number}-")


# --- the sub-processor list -------------------------------------------------------------------

@dataclass
class ListEntry:
    """A public version that changed the sub-processor list (or published the first one)."""

    entry: services.Entry
    change: subprocessors.Change
    first: bool
    starts_on: datetime.date | None  # when its list applies: None while its notice is not recorded
    notice: "notice_.CustomerNotice | None" = None


def _list_starts(entries: list[services.Entry]) -> list[tuple[services.Entry, datetime.date | None]]:
    """Each version with the day its list and DPA apply (generator.public.notice: after its notice
    to customers, never before a version published earlier; None while a notice is not recorded)."""
    out: list[tuple[services.Entry, datetime.date | None]] = []
    started: datetime.date | None = datetime.date.min
    for e in entries:
        own = notice_.list_starts_on(e.version)
        started = None if started is None or own is None else max(started, own)
        out.append((e, started))
    return out


def _list_entries(entries: list[services.Entry]) -> list[ListEntry]:
    """Every version that changed the list, with the day its list applies."""
    out: list[ListEntry] = []
    before: list[subprocessors.Row] | None = None
    for e, started in _list_starts(entries):
        rows = subprocessors.version_rows(e.version)
        if rows is not None and before is None:
            out.append(ListEntry(e, subprocessors.Change(added=rows), True, started))
        else:
            change = subprocessors.compare(before, rows)
            if change:
                out.append(ListEntry(e, change, False, started, notice_.customer_notice(e.version)))
        before = rows
    return out


def _dpa_in_force(entries: list[services.Entry], today: datetime.date) -> tuple[PublishedVersion, datetime.date] | None:
    """The version whose DPA (and so list) applies today, and since when."""
    applied = [(e.version, started) for e, started in _list_starts(entries)
               if started is not None and started <= today and e.version.dpa_document is not None]
    return applied[-1] if applied else None


def _reduced_by(entries: list[services.Entry], listed: PublishedVersion) -> tuple[PublishedVersion, PublishedVersion] | None:
    """The latest version up to `listed` whose change to the DPA's text reduces protection, with the
    public version before it that published a DPA: the reduction applies only to the customers who
    accepted it; for the others that earlier agreement continues (counsel round 3, n5)."""
    upto = [e.version for e in entries if e.version.number <= listed.number]
    reducing = [v for v in upto if v.dpa_changes and v.dpa_change_reduces]
    if not reducing:
        return None
    earlier = [v for v in upto if v.number < reducing[-1].number and v.dpa_document is not None]
    return (reducing[-1], earlier[-1]) if earlier else None


def _with_list(publication: Publication) -> list[services.Entry]:
    entries = services.timeline(publication)
    if not entries or not subprocessors.has_list(publication):
        raise Http404("This address publishes no list of sub-processors")
    return entries


def _unconfirmed(version: PublishedVersion) -> bool:
    """The DPA names no sub-processor and the business has not confirmed there is none (counsel M1):
    it says itself it is not complete and not offered for acceptance."""
    return "subprocessors.unconfirmed" in services.version_dpa_document(version).clause_ids


@require_safe
@public_view
def subprocessor_list(request: HttpRequest, publication: Publication) -> HttpResponse:
    """The sub-processors in force, a coming change with its dates, and every change so far."""
    entries = _with_list(publication)
    today = clock.today()
    # a list may start on a day of its own (a late notice), so the day is part of the page's tag
    parts = [publication.slug, publication.updated_at.isoformat(), today.isoformat(),
             *(f"{e.version.pk}:{e.status}:{e.version.notice_sent_on}" for e in entries)]
    changed = max([publication.updated_at] + [e.version.created_at for e in entries]
                  + [_midnight(services.takes_effect_on(e.version)) for e in entries if e.status != "coming"])

    def build() -> HttpResponse:
        context = _base_context(request, publication, entries)
        history = _list_entries(entries)
        current = _dpa_in_force(entries, today)
        listed = current[0] if current else None
        context.update({
            "listed": listed, "listed_since": current[1] if current else None,
            "rows": subprocessors.version_rows(listed) if listed else None,
            "columns": subprocessors.columns_of(listed.dpa_document) if listed and listed.dpa_document else (),
            "unconfirmed": bool(listed and _unconfirmed(listed)),
            "not_offered": subprocessors.not_offered_reasons(listed) if listed else [],
            "reduced": _reduced_by(entries, listed) if listed else None,
            "coming_changes": [h for h in history if not h.first and h.entry.version.number > (
                listed.number if listed else 0) and (h.starts_on is None or h.starts_on > today)],
            # a coming change of the agreement's own text (M6), with the day it applies once noticed
            "coming_dpa": [(e.version, started) for e, started in _list_starts(entries)
                           if e.version.dpa_changes and (started is None or started > today)],
            "history": [h for h in reversed(history) if h.starts_on is not None and h.starts_on <= today],
            "contact_email": subprocessors.contact_email(entries[-1].version),
        })
        return render(request, "public/subprocessors.html", context)

    return _conditional(request, parts, changed, build)


@require_safe
@public_view
def dpa_download(request: HttpRequest, publication: Publication, fmt: str) -> HttpResponse:
    """The customer DPA as published with the list in force."""
    current = _dpa_in_force(_with_list(publication), clock.today())
    if current is None:
        raise Http404("No data processing agreement is in force yet")
    return _download(request, publication, current[0], fmt, "", kind="dpa")


@require_safe
@public_view
def version_dpa_download(request: HttpRequest, publication: Publication, number: int, fmt: str) -> HttpResponse:
    """The customer DPA a public version published: the new text a notice of its change points to."""
    version = _version_or_404(publication, number)
    if version.dpa_document is None:
        raise Http404("This version published no data processing agreement")
    return _download(request, publication, version, fmt, f"v{number}-", kind="dpa")


# --- subscriptions ----------------------------------------------------------------------------

def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _address_limited(request: HttpRequest, email: str) -> bool:
    """Per address, whoever asks: nobody can flood one inbox with confirmations."""
    key = hashlib.sha256(services.normalise_email(email).encode("utf-8")).hexdigest()
    return is_ratelimited(request, group="subscribe-address", key=lambda group, request: key,
                          rate=lambda group, request: settings.HOSTPOLICY_RATE_SUBSCRIBE_PER_ADDRESS,
                          method="POST", increment=True)


@require_http_methods(["GET", "HEAD", "POST"])
@limit("subscribe", "HOSTPOLICY_RATE_SUBSCRIBE")
@public_view
def subscribe(request: HttpRequest, publication: Publication, topic: str = "policy") -> HttpResponse:
    entries = _with_list(publication) if topic == "subprocessors" else services.timeline(publication)
    if not entries:
        raise Http404("Nothing is published here yet")
    context = _base_context(request, publication, entries)
    context["topic"] = topic
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if _address_limited(request, email):
            return too_many_requests(request)
        subscriber = services.subscribe(publication, email, topic)
        if subscriber is not None:
            from .tasks import send_confirmation

            send_confirmation.enqueue(subscriber.pk, _base_url(request))
        # The same answer whether the address was new, waiting or already confirmed.
        context["email"] = email
        return render(request, "public/subscribe_sent.html", context)
    context["form"] = form
    return render(request, "public/subscribe.html", context, status=400 if form.is_bound else 200)


def _subscription_link(request: HttpRequest, publication: Publication, token: str, template: str,
                       outcome: str, act: Callable[[Publication, str], bool]) -> HttpResponse:
    """A link from a subscription email: GET shows one button, POST acts on the signed token."""
    context = _base_context(request, publication, services.timeline(publication))
    context["topic"] = services.token_topic(publication, token)
    if request.method == "POST":
        context[outcome] = act(publication, token)
        return render(request, template, context, status=200 if context[outcome] else 400)
    context["asking"] = True
    return render(request, template, context)


@require_http_methods(["GET", "HEAD", "POST"])
@limit("subscribe", "HOSTPOLICY_RATE_SUBSCRIBE")
@public_view
def confirm(request: HttpRequest, publication: Publication, token: str) -> HttpResponse:
    """The link in the confirmation email opens a page with one button: a mail scanner that
    follows links cannot subscribe anyone."""
    return _subscription_link(request, publication, token, "public/confirm.html", "confirmed", services.confirm)


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs with no cookie; the signed token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
@limit("subscribe", "HOSTPOLICY_RATE_SUBSCRIBE")
@public_view
def unsubscribe(request: HttpRequest, publication: Publication, token: str) -> HttpResponse:
    return _subscription_link(request, publication, token, "public/unsubscribe.html", "done", services.unsubscribe)
