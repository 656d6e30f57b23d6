"""PDFs off the request path (issue 10): the download queues the render for the task worker
(django-tasks, database backend) and a page that reloads itself waits; the worker's file is then
served from the cache; publishing renders the version's PDF at once."""
import re

import pytest
from django.core.management import call_command

from generator.tasks import render_pdf
from django_tasks_db.models import DBTaskResult

from test_wizard import new_draft

# Transactional: the worker closes its database connection between tasks, as it should in
# production; inside a test's transaction that would drop the test's own data on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, settings):
    settings.HOSTPOLICY_CACHE_DIR = tmp_path / "cache"


def run_worker():
    """The real worker, as `make run` starts it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_download_waits_for_the_worker_then_serves_the_file(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = client.get(f"/d/{token}/download/pdf/")
    assert response.status_code == 202
    html = response.content.decode()
    assert re.search(r'<meta http-equiv="refresh" content="2">', html)
    assert "Your PDF is being prepared" in html
    # reloading does not queue it twice
    assert client.get(f"/d/{token}/download/pdf/").status_code == 202
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    response = client.get(f"/d/{token}/download/pdf/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="privacy-policy.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_publishing_renders_the_versions_pdf(client, allru_answers):
    token = new_draft(client, allru_answers)
    assert client.post(f"/d/{token}/publish/").status_code == 302
    assert DBTaskResult.objects.count() == 1
    run_worker()
    response = client.get(f"/d/{token}/versions/1/download/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="v1-privacy-policy.pdf"'


def test_a_failed_render_says_so_and_can_be_retried(client, allru_answers, settings, tmp_path):
    token = new_draft(client, allru_answers)
    assert client.get(f"/d/{token}/download/pdf/").status_code == 202
    # the cache directory turns into a file before the worker runs: the render cannot be stored
    settings.HOSTPOLICY_CACHE_DIR = tmp_path / "gone"
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / "pdf").write_text("not a directory")
    run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"
    # ... and the download falls back to rendering in the request, logged, since the cache is unusable
    response = client.get(f"/d/{token}/download/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_the_task_refuses_invalid_answers():
    with pytest.raises(ValueError, match="do not validate"):
        render_pdf.call({"format": "privacy-policy-answers/1"})
