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


@pytest.fixture
def hosting_draft(live_server, allru_answers):
    """A draft of a host with a sub-processor, made before the task worker starts polling: the
    in-memory test database refuses a write that meets the worker's read ('table is locked')."""
    allru_answers["processors"].append({"id": "hetzner", "country": "DE"})
    allru_answers["security"]["measures"] = ["tls", "encryption_at_rest", "mfa_for_staff"]
    return services.draft_create(allru_answers)[1]


def save(page):
    """Save and continue; when the test database's lock meets the worker (the app's 503 page), do
    what the page asks a user to do, as the wizard's walkthrough does."""
    save_and_continue(page)
    for _ in range(3):
        if not page.get_by_role("button", name="Try again").count():
            break
        page.get_by_role("button", name="Try again").click()
        page.wait_for_load_state()


def test_business_completes_the_dpa_step_and_downloads_the_dpa_pdf(page, live_server, hosting_draft, task_worker):
    token = hosting_draft
    page.goto(f"{live_server.url}/d/{token}/dpa/")
    assert page.get_by_role("heading", name="Data processing agreement for your customers").is_visible()
    assert "Hetzner" in page.locator("#dpa-subprocessors").inner_text()

    # a window longer than the notice is refused next to its field, and what was typed is kept
    page.get_by_label("Days of notice before you add or replace a sub-processor").fill("21")
    page.get_by_label("Days the customer has to object after the notice").fill("30")
    save(page)
    assert page.url.endswith("/dpa/")
    assert page.get_by_text("Make this fewer than 21 days, the notice you give").first.is_visible()
    page.get_by_label("Days the customer has to object after the notice").fill("14")
    page.get_by_label("Hours within which you tell customers of a breach (optional)").fill("24")
    page.locator("#id_acceptance_1").check()  # "Signed: both parties sign a copy"
    # the measures on customers' data are asked here, suggested from the security step (counsel round 2, M3)
    assert page.get_by_label("Multi-factor sign-in for staff").is_checked()
    page.get_by_label("Your security measures in your own words (optional)").fill(
        "Servers sit in locked racks in an ISO 27001 certified data centre.")
    save(page)

    assert page.url.endswith("/review/")
    assert page.get_by_role("heading", name="Data processing agreement for your customers").is_visible()
    assert "Hetzner" in page.locator("#dpa-title").locator("xpath=..").inner_text()
    # saving the step confirmed its terms: the report no longer asks for it (counsel, m7)
    assert "Confirm the acceptance mode and periods" not in page.locator("#dpa").inner_text()
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
    assert "The connections we provide for reaching your data on the services we manage are encrypted with TLS." in text  # a measure, for hosted data
    assert "Staff accounts that can reach your data use multi-factor authentication." in text
    assert "Servers sit in locked racks in an ISO 27001 certified data centre." in text
    assert not page.csp_errors, page.csp_errors
