"""Work the task worker does for the public side (django-tasks, as generator.tasks): render a
published version's PDF from its stored document, and send the subscription emails. Task
arguments hold ids, never an email address: the task table keeps its rows after a subscriber is
deleted.
"""
from typing import Any

from django_tasks import task

from generator.tasks import PdfJob, pdf_job, render_into_cache


@task()
def render_version_pdf(version_id: int, kind: str = "policy") -> str:
    from generator.models import PublishedVersion

    from .services import version_document, version_dpa_document

    version = PublishedVersion.objects.get(pk=version_id)
    return render_into_cache(version_document(version) if kind == "policy" else version_dpa_document(version))


@task()
def send_confirmation(subscriber_id: int, base_url: str) -> int:
    from .emails import send_confirmation as send

    return send(subscriber_id, base_url)


@task()
def send_notices(version_id: int, base_url: str) -> int:
    from .emails import send_notices as send

    return send(version_id, base_url)


@task()
def send_subprocessor_notices(version_id: int, base_url: str) -> int:
    from .emails import send_notices as send

    return send(version_id, base_url, topic="subprocessors")


def request_version_pdf(version: Any, document: Any, retry: bool = False, kind: str = "policy") -> PdfJob:
    """The version's PDF (its policy, or its DPA) from the cache, or its render queued once (as
    generator.tasks.request_pdf)."""
    args = (version.pk,) if kind == "policy" else (version.pk, kind)
    return pdf_job(document, render_version_pdf, args, "version-pdf-job", retry)


def queue_version_pdf(version: Any) -> None:
    from .services import version_document

    request_version_pdf(version, version_document(version))
