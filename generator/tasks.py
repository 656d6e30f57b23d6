"""PDFs are rendered by a task worker, not by the web worker that serves the download.

The framework is django-tasks (the backport of Django 6's tasks); its default here is the database
backend (django_tasks_db), so the queue needs nothing but the database, and `manage.py db_worker`
is the worker (`make run` starts one beside the web server). A deployment that grows can point
TASKS at another backend (a broker, a PostgreSQL-backed queue) without touching this module.

The download view asks for a PDF with `request_pdf`: when the PDF cache already holds it, the file
is served; otherwise a render is queued once per document (the job's id is kept in the shared
database cache under the PDF's cache key, so a page reloaded every two seconds does not queue it
again) and the page waits, reloading itself, until the worker has stored the file.
"""
import logging
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from generator.document import PolicyDocument

log = logging.getLogger(__name__)

JOB_TTL_SECONDS = 3600


@task()
def render_pdf(answers: dict[str, Any], kind: str = "policy") -> str:
    """Validate and build the document of `kind` (the policy, or the customer DPA) from `answers`,
    render its PDF into the cache; the cache key."""
    from generator import documents
    from generator.web import services

    result = services.validate(answers)
    if not result.ok:
        raise ValueError(f"the answers do not validate: {result.errors[0]}")
    return render_into_cache(documents.build(kind, result.answers))  # type: ignore[arg-type]  # set whenever result.ok


def render_into_cache(document: PolicyDocument) -> str:
    """Render `document`'s PDF into the cache unless it is there already; the cache key."""
    from generator.render import pdf

    root, path = pdf.cache_path(document)
    if pdf.cache_read(path) is None:
        data = pdf.render_pdf(document)
        if not pdf.cache_write(root, path, data):
            raise OSError(f"could not store the PDF in the cache at {path}")
    return path.stem


@dataclass
class PdfJob:
    status: str  # "ready", "waiting" or "failed"
    data: bytes | None = None


def request_pdf(answers: dict[str, Any], document: PolicyDocument, retry: bool = False, kind: str = "policy") -> PdfJob:
    """The PDF of `document` (the `kind` built from `answers`) if it is in the cache, else queue its render."""
    return pdf_job(document, render_pdf, (answers, kind), "pdf-job", retry)


def pdf_job(document: PolicyDocument, render_task: Any, task_args: tuple[Any, ...], job_name: str,
            retry: bool = False) -> PdfJob:
    """The PDF of `document` from the cache, or its render queued once: `render_task(*task_args)` is
    enqueued and its id kept in the shared cache under `job_name` and the PDF's cache key, so a page
    reloaded every two seconds does not queue it again."""
    from generator.render import pdf

    root, path = pdf.cache_path(document)
    data = pdf.cache_read(path)
    if data is not None:
        return PdfJob("ready", data)
    key = f"hostpolicy:{job_name}:{path.stem}"
    job_id = cache.get(key)
    if job_id is not None and not retry:
        try:
            result = render_task.get_result(job_id)
        except TaskResultDoesNotExist:
            result = None
        if result is not None and result.status == TaskResultStatus.FAILED:
            return PdfJob("failed")
        if result is not None and result.status != TaskResultStatus.SUCCESSFUL:
            return PdfJob("waiting")
        # finished but the file is gone (pruned meanwhile), or the job was forgotten: queue again
    result = render_task.enqueue(*task_args)
    cache.set(key, result.id, JOB_TTL_SECONDS)
    return PdfJob("waiting")


def queue_pdf(answers: dict[str, Any]) -> None:
    """Queue the render of a PDF nobody is waiting for yet (a version just published)."""
    from generator import policy
    from generator.web import services

    result = services.validate(answers)
    if result.ok:
        request_pdf(answers, policy.build(result.answers))  # type: ignore[arg-type]  # set whenever result.ok
