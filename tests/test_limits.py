"""Bounded storage (issue 10, defect 5): per-client rate limits on new drafts, uploads and step
saves; a size cap per draft; `expire_drafts` deletes abandoned drafts and never a published one."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from generator.models import Draft, PublishedVersion
from generator.web import services

from test_wizard import BUSINESS_OK, new_draft, page_form, saved, submit, text, url

pytestmark = pytest.mark.django_db


def test_new_drafts_are_limited_per_client(client, settings):
    settings.HOSTPOLICY_RATE_NEW_DRAFTS = "3/h"
    assert [client.post("/start/").status_code for _ in range(3)] == [302, 302, 302]
    response = client.post("/start/")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Too many requests" in text(response)
    assert client.post("/upload/", {}).status_code == 429  # uploads share the count
    assert Draft.objects.count() == 3
    # another client is not affected
    assert client.post("/start/", REMOTE_ADDR="192.0.2.7").status_code == 302


def test_step_saves_are_limited_and_the_input_is_kept_on_the_page(client, settings):
    settings.HOSTPOLICY_RATE_STEP_POSTS = "2/m"
    token = new_draft(client)
    assert submit(client, token, "business", {**BUSINESS_OK, "js": "1"}).status_code == 302
    assert submit(client, token, "business", {**BUSINESS_OK, "js": "1"}).status_code == 302
    response = submit(client, token, "business", {**BUSINESS_OK, "legal_name": "Third Try Ltd", "js": "1"})
    assert response.status_code == 429
    html = text(response)
    assert "Nothing was saved" in html and "Third Try Ltd" in html
    assert page_form(html, css_class="mb-4")["legal_name"] == ["Third Try Ltd"]
    assert saved(token)["business"]["legal_name"] == "All-Ru Ltd"
    assert client.get(url(token, "business")).status_code == 200  # reading is never limited


def test_forwarded_for_counts_only_behind_a_proxy(client, settings):
    settings.HOSTPOLICY_RATE_NEW_DRAFTS = "1/h"
    settings.HOSTPOLICY_BEHIND_PROXY = False
    assert client.post("/start/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    assert client.post("/start/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429  # forged: ignored
    settings.HOSTPOLICY_BEHIND_PROXY = True
    assert client.post("/start/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.3").status_code == 302
    assert client.post("/start/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4").status_code == 302
    assert client.post("/start/", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 429  # the proxy's entry counts


def test_input_too_large_to_keep_is_not_stored(client, allru_answers):
    token = new_draft(client, allru_answers)
    huge = "x" * (services.MAX_PENDING_BYTES + 1)
    response = submit(client, token, "business", {"legal_name": "", "address": huge}, follow=False)
    assert response.status_code == 200
    assert "too long to keep" in text(response)
    draft = Draft.objects.get()
    assert draft.pending == {} and draft.answers["business"]["legal_name"] == "All-Ru Ltd"


def test_a_draft_cannot_grow_past_its_cap(allru_answers):
    draft, _ = services.draft_create(allru_answers)
    from django.http import QueryDict

    chunk = "y" * (services.MAX_PENDING_BYTES - 1000)
    kept = []
    for step in ("business", "services", "data", "processors", "cookies", "retention"):
        qd = QueryDict(mutable=True)
        qd["field"] = chunk
        kept.append(services.draft_save_pending(draft, step, qd))
    assert kept == [True, True, True, False, False, False]
    draft.refresh_from_db()
    assert services.json_size(draft.pending) + services.json_size(draft.answers) <= services.MAX_DRAFT_BYTES


def _age(draft, days):
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - datetime.timedelta(days=days))


def test_expire_drafts_deletes_only_old_unpublished_drafts(allru_answers):
    old, _ = services.draft_create(allru_answers)
    old_published, _ = services.draft_create(allru_answers)
    version, errors = services.publish(old_published)
    assert version is not None, errors
    recent, _ = services.draft_create({})
    _age(old, 91)
    _age(old_published, 400)
    _age(recent, 89)
    out = io.StringIO()
    call_command("expire_drafts", "--dry-run", stdout=out)
    assert "would delete 1 draft " in out.getvalue()
    assert Draft.objects.count() == 3
    call_command("expire_drafts", stdout=out)
    assert set(Draft.objects.values_list("pk", flat=True)) == {old_published.pk, recent.pk}
    assert PublishedVersion.objects.filter(draft=old_published).count() == 1
    call_command("expire_drafts", "--days", "100", stdout=out)
    assert set(Draft.objects.values_list("pk", flat=True)) == {old_published.pk, recent.pk}
    call_command("expire_drafts", "--days", "30", stdout=out)
    assert set(Draft.objects.values_list("pk", flat=True)) == {old_published.pk}
