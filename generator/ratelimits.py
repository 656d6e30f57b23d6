"""Per-client rate limits on what stores data: starting a draft, uploading an answers file and
submitting a step (django-ratelimit, counting in the database cache so every web worker shares
the counts). A client over its limit gets a 429 page that, like the 503 page, keeps what it sent
and says nothing was saved.

The client is the connecting address; behind a proxy (HOSTPOLICY_BEHIND_PROXY), the address the
proxy appended to X-Forwarded-For (the last entry: anything before it was sent by the client and
can be forged).
"""
import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_ratelimit.core import is_ratelimited

RETRY_AFTER_SECONDS = 60

View = Callable[..., HttpResponse]


def client_ip(group: str, request: HttpRequest) -> str:
    if getattr(settings, "HOSTPOLICY_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def _rate(setting: str) -> Callable[[str, HttpRequest], str]:
    def rate(group: str, request: HttpRequest) -> str:
        return getattr(settings, setting)

    return rate


def too_many_requests(request: HttpRequest) -> HttpResponse:
    fields = [(key, value) for key in request.POST for value in request.POST.getlist(key)] if request.method == "POST" else []
    shown = [(key, value) for key, value in fields if key not in ("csrfmiddlewaretoken", "nav") and value]
    html = render_to_string("429.html", {"fields": fields, "shown": shown, "action": request.path,
                                         "posted": request.method == "POST", "retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def limit(group: str, setting: str) -> Callable[[View], View]:
    """Limit the POSTs of a view to the rate in settings.<setting> ("30/h"), per client and group."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and is_ratelimited(
                request, group=group, key=client_ip, rate=_rate(setting), method="POST", increment=True,
            ):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
