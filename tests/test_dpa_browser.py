"""The customer DPA in a real browser: a business completes the DPA step and downloads the DPA's
PDF, rendered by the task worker; its text (poppler's pdftotext) holds the sub-processors and the
measures. Fixtures are the wizard's browser fixtures (Debian's Chromium through Playwright)."""
import re
import subprocess

import pytest

from generator.web import services
from tests.test_wizard_browser import (  # noqa: F401 - fixtures
    allow_orm_beside_playwright, chromium, page, save_and_continue, shot, task_worker,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_completes_the_dpa_step_and_downloads_the_dpa_pdf(page, live_server, task_worker, allru_answers):
    allru_answers["processors"].append({"id": "hetzner"})
    allru_answers["security"]["measures"] = ["tls", "encryption_at_rest", "mfa_for_staff"]
    _, token = services.draft_create(allru_answers)
    page.goto(f"{live_server.url}/d/{token}/dpa/")
    assert page.get_by_role("heading", name="Data processing agreement for your customers").is_visible()
    assert "Hetzner" in page.locator("#dpa-subprocessors").inner_text()

    # a window longer than the notice is refused next to its field, and what was typed is kept
    page.get_by_label("Days of notice before you add or replace a sub-processor").fill("21")
    page.get_by_label("Days the customer has to object after the notice").fill("30")
    save_and_continue(page)
    assert page.url.endswith("/dpa/")
    assert page.get_by_text("Make this at most 21 days, the notice you give").first.is_visible()
    page.get_by_label("Days the customer has to object after the notice").fill("14")
    page.get_by_label("Hours within which you tell customers of a breach (optional)").fill("24")
    page.locator("#id_acceptance_1").check()  # "Signed: both parties sign a copy"
    page.get_by_label("Your security measures in your own words (optional)").fill(
        "Servers sit in locked racks in an ISO 27001 certified data centre.")
    save_and_continue(page)

    assert page.url.endswith("/review/")
    assert page.get_by_role("heading", name="Data processing agreement for your customers").is_visible()
    assert "Hetzner" in page.locator("#dpa-title").locator("xpath=..").inner_text()
    shot(page, "dpa-review")
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF of the data processing agreement", exact=True).click()
    download = info.value
    assert download.suggested_filename == "data-processing-agreement.pdf"
    text = subprocess.run(["pdftotext", download.path(), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "Data processing agreement" in text
    assert "Hetzner" in text  # the sub-processor
    assert "at least 21 days before we add or replace a sub-processor" in text
    assert "in any case within 24 hours" in text
    assert "All connections to our websites, control panel and APIs are encrypted with TLS." in text  # a measure
    assert "Staff accounts with access to personal data use multi-factor authentication." in text
    assert "Servers sit in locked racks in an ISO 27001 certified data centre." in text
    assert not page.csp_errors, page.csp_errors
