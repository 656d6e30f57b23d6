"""Issue 13's scenario in a real browser (Debian's Chromium through Playwright, against the live
server with the real task worker and a real local SMTP server): a host completes the DPA step and
downloads the DPA's PDF (pdftotext: the sub-processor and a measure), publishes under a public name;
a customer subscribes to the sub-processor list and confirms; the host adds OVHcloud, whose servers
receive hosted data, and publishes again, records the day it emailed its customers; the subscriber's notice names OVHcloud and the objection
deadline, and /p/<name>/subprocessors/ shows the change as coming."""
import re
import subprocess

import pytest

from generator.web import services
from test_public_browser import go, publish_first_version, settle, wait_for
from test_wizard_browser import (  # noqa: F401 - fixtures
    BROWSER_TIMEOUT_MS, allow_orm_beside_playwright, axe_violations, chromium, page, save_and_continue, shot,
    task_worker,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST_URL = "https://policies.all-ru.net/p/all-ru/subprocessors/"


@pytest.fixture
def hosting_draft(live_server, allru_answers):
    """A host with its servers at Hetzner, made before the task worker starts polling (the
    in-memory test database refuses a write that meets the worker's read)."""
    allru_answers["processors"].append({"id": "hetzner", "country": "DE"})
    allru_answers["security"]["measures"] = ["tls", "encryption_at_rest", "mfa_for_staff"]
    return services.draft_create(allru_answers)[1]


def save(page):
    save_and_continue(page)
    settle(page)


def test_dpa_publish_add_a_subprocessor_and_the_customer_gets_the_notice(
        page, live_server, hosting_draft, task_worker, mailbox, settings):
    settings.HOSTPOLICY_TODAY = "2026-11-25"
    token = hosting_draft

    # the DPA step: 45 days' notice of a new sub-processor, 20 to object, the list's address
    go(page, f"{live_server.url}/d/{token}/dpa/")
    page.get_by_label("Days of notice before you add or replace a sub-processor").fill("45")
    page.get_by_label("Days the customer has to object after the notice").fill("20")
    page.get_by_label("Web address of your public list of sub-processors (optional)").fill(LIST_URL)
    save(page)
    assert page.url.endswith("/review/")

    # the DPA's PDF: the sub-processor, the measures and the list's address
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF of the data processing agreement", exact=True).click()
    text = subprocess.run(["pdftotext", info.value.path(), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "Hetzner Online GmbH" in text
    assert "Staff accounts that can reach your data use multi-factor authentication." in text  # the Annex, for hosted data
    assert "at least 45 days before we add or replace a sub-processor" in text
    assert LIST_URL in text

    # publish under a public name
    publish_first_version(page, live_server, token, "all-ru")

    # a customer finds the list from the policy page and subscribes to it
    customer_context = page.context.browser.new_context()
    customer_context.set_default_timeout(BROWSER_TIMEOUT_MS)
    customer = customer_context.new_page()
    try:
        go(customer, f"{live_server.url}/p/all-ru/")
        customer.get_by_role("link", name="Sub-processors").click()
        settle(customer)
        assert customer.get_by_role("heading", name="Sub-processors of All-Ru").is_visible()
        assert customer.get_by_role("row", name=re.compile(r"^Hetzner \(Hetzner Online GmbH\)")).is_visible()
        customer.get_by_role("link", name="Get notice of changes to this list").click()
        settle(customer)
        customer.get_by_label("Your email address").fill("customer@example.org")
        customer.get_by_role("button", name="Subscribe").click()
        settle(customer)
        assert customer.get_by_role("heading", name="Check your inbox").is_visible()
        wait_for(lambda: mailbox.to("customer@example.org"))
        [confirmation] = mailbox.to("customer@example.org")
        assert confirmation["Subject"] == "Confirm: notices of changes to the list of sub-processors of All-Ru"
        confirm_url = re.search(r"http://\S+/p/all-ru/subscribe/confirm/\S+/", confirmation.get_content()).group(0)
        go(customer, confirm_url)
        customer.get_by_role("button", name="Confirm").click()
        settle(customer)
        assert customer.get_by_role("heading", name="You are subscribed").is_visible()

        # the host adds OVHcloud (its servers receive hosted data) in the processors step
        go(page, f"{live_server.url}/d/{token}/processors/")
        page.get_by_label("Search processors by name or group").fill("ovh")
        page.get_by_label(re.compile(r"^OVHcloud")).check()
        save(page)
        # where OVHcloud holds the data is asked once it is chosen, never taken from its seat (round 2, M2)
        go(page, f"{live_server.url}/d/{token}/processors/")
        page.get_by_label("Where does OVHcloud hold your customers' data?").fill("France")
        save(page)

        # the earliest date is the DPA's 45 days, and the summary names the new sub-processor
        go(page, f"{live_server.url}/d/{token}/review/")
        assert page.get_by_label("Takes effect on").input_value() == "2027-01-09"
        assert page.locator("#effective-help").get_by_text("dpa.subprocessor_notice_days").is_visible()
        summary = page.get_by_label("Change summary", exact=True).input_value().splitlines()
        assert any(line.startswith("New sub-processor for the data you store with us: OVHcloud (France)")
                   for line in summary), summary
        page.get_by_role("button", name="Publish this version").click()
        settle(page)
        # the version page: the required notice to every customer, then the day it was sent (counsel M5)
        todo = page.get_by_role("region", name="Required: email this notice to every customer")
        assert todo.is_visible()
        assert todo.get_by_text(re.compile(r"You may object until 15 December 2026")).is_visible()
        assert axe_violations(page) == []
        page.get_by_label("Date you sent the notice").fill("2026-11-25")
        page.get_by_role("button", name="Record the date sent").click()
        settle(page)
        assert page.get_by_text(re.compile(r"They may object until 15 December 2026\.")).is_visible()

        # the customer's notice: OVHcloud, what for, where, the mechanism, the date and the deadline
        wait_for(lambda: len(mailbox.to("customer@example.org")) == 2)
        notice = mailbox.to("customer@example.org")[1]
        assert notice["Subject"] == "All-Ru: our sub-processors change on 9 January 2027"
        body = notice.get_content().replace("\r\n", "\n")
        assert "New sub-processors:\n- OVHcloud\n  What it does for us: dedicated and cloud servers" in body
        assert "  Where: France\n" in body
        assert "The change takes effect on 9 January 2027." in body
        assert "You may object until 15 December 2026, in writing to support@all-ru.net" in body
        assert re.search(r"http://\S+/p/all-ru/subprocessors/", body)

        # the public list: Hetzner in force, OVHcloud coming, with the deadline
        go(customer, f"{live_server.url}/p/all-ru/subprocessors/")
        coming = customer.get_by_role("region", name="The sub-processors change on 9 January 2027")
        assert coming.is_visible()
        assert coming.get_by_text(re.compile(r"^Added: OVHcloud")).is_visible()
        assert coming.get_by_text(re.compile(r"Customers may object until 15 December 2026")).is_visible()
        in_force = customer.get_by_role("table", name="The sub-processors in force")
        assert in_force.get_by_text("Hetzner (Hetzner Online GmbH)").is_visible()
        assert not in_force.get_by_text("OVHcloud").count()
        shot(customer, "public-subprocessors-coming")
        assert axe_violations(customer) == []
    finally:
        customer_context.close()
