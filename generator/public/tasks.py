"""Work the task worker does for the public side (django-tasks, as generator.tasks): render a
published version's PDF from its stored document, and send the subscription emails. Task
arguments hold ids, never an email address: the task table keeps its rows after a subscriber is
deleted.
"""
from typing import Any

from django_tasks import task

from generator.tasks import PdfJob, pdf_job, render_into_cache


@task()
def render_version_pdf(version_id: int) -> str:
    from generator.models import PublishedVersion

    from .services import stored_document
    from .snapshot import document_from_json

    version = PublishedVersion.objects.get(pk=version_id)
    return render_into_cache(document_from_json(stored_document(version)))


@task()
def send_confirmation(subscriber_id: int, base_url: str) -> int:
    from .emails import send_confirmation as send

    return send(subscriber_id, base_url)


@task()
def send_notices(version_id: int, base_url: str) -> int:
    from .emails import send_notices as send

    return send(version_id, base_url)


def request_version_pdf(version: Any, document: Any, retry: bool = False) -> PdfJob:
    """The version's PDF from the cache, or its render queued once (as generator.tasks.request_pdf)."""
    return pdf_job(document, render_version_pdf, (version.pk,), "version-pdf-job", retry)


def queue_version_pdf(version: Any) -> None:
    from .services import version_document

    request_version_pdf(version, version_document(version))
