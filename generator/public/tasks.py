"""Work the task worker does for the public side (django-tasks, as generator.tasks): render a
published version's PDF from its stored document, and send the subscription emails. Task
arguments hold ids, never an email address: the task table keeps its rows after a subscriber is
deleted.
"""
from typing import Any

from django.core.cache import cache
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from generator.tasks import JOB_TTL_SECONDS, PdfJob


@task()
def render_version_pdf(version_id: int) -> str:
    from generator.models import PublishedVersion
    from generator.render import pdf

    from .services import stored_document
    from .snapshot import document_from_json

    version = PublishedVersion.objects.get(pk=version_id)
    document = document_from_json(stored_document(version))
    root, path = pdf.cache_path(document)
    if pdf.cache_read(path) is None:
        data = pdf.render_pdf(document)
        if not pdf.cache_write(root, path, data):
            raise OSError(f"could not store the PDF in the cache at {path}")
    return path.stem


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
    from generator.render import pdf

    root, path = pdf.cache_path(document)
    data = pdf.cache_read(path)
    if data is not None:
        return PdfJob("ready", data)
    key = f"hostpolicy:version-pdf-job:{path.stem}"
    job_id = cache.get(key)
    if job_id is not None and not retry:
        try:
            result = render_version_pdf.get_result(job_id)
        except TaskResultDoesNotExist:
            result = None
        if result is not None and result.status == TaskResultStatus.FAILED:
            return PdfJob("failed")
        if result is not None and result.status != TaskResultStatus.SUCCESSFUL:
            return PdfJob("waiting")
    result = render_version_pdf.enqueue(version.pk)
    cache.set(key, result.id, JOB_TTL_SECONDS)
    return PdfJob("waiting")


def queue_version_pdf(version: Any) -> None:
    from .services import version_document

    request_version_pdf(version, version_document(version))
