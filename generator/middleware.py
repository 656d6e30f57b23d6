"""A database that is locked, read-only or unreachable gives a proper 503 page, not a bare 500.

The page says that nothing was saved and keeps what the person typed: every field of the POST is
on the page, shown and in a form that sends it again to the same address (with the same CSRF
token), so "Try again" once the database is back loses nothing. It is rendered without the
request's context processors, which might need the database themselves (sessions, messages).
"""
import logging
from collections.abc import Callable

from django.db import utils as db_utils
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

UNAVAILABLE = (db_utils.OperationalError, db_utils.InterfaceError, db_utils.InternalError)
RETRY_AFTER_SECONDS = 10


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UNAVAILABLE):
            return None
        log.error("database unavailable on %s %s: %s", request.method, request.path, exception)
        fields: list[tuple[str, str]] = []
        if request.method == "POST":
            try:
                fields = [(key, value) for key in request.POST for value in request.POST.getlist(key)]
            except Exception:  # noqa: BLE001 - an unreadable body: nothing to keep
                fields = []
        shown = [(key, value) for key, value in fields if key not in ("csrfmiddlewaretoken", "nav") and value]
        html = render_to_string("503.html", {"fields": fields, "shown": shown, "action": request.path,
                                             "posted": request.method == "POST"})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
