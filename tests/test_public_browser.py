"""Issue 12 in a real browser (Debian's Chromium through Playwright, against the live server with
the real task worker and a real local SMTP server): a business publishes version 1 at its public
address, a visitor subscribes and confirms, the business changes a processor and a retention
period and publishes version 2 with 14 days' notice; the visitor's mailbox gets the summary naming
exactly those changes; the public page shows version 1 in force with version 2 announced; with the
clock moved past the date, version 2 is in force and version 1 is in the archive."""
import re

import pytest

from generator.models import Subscriber
from generator.web import services

from test_wizard_browser import (  # noqa: F401 - fixtures
    BROWSER_TIMEOUT_MS, allow_orm_beside_playwright, axe_violations, chromium, page, shot, task_worker,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED_SUMMARY = [
    "Server and network logs are now kept 30 days instead of 12 weeks.",
    # the wizard adds the data a processor receives: Zendesk brings correspondence
    "We now use Zendesk, Inc. (United States, binding corporate rules) for our help desk, where support tickets "
    "and emails to support are stored and answered. For this we now also collect correspondence.",
]


def settle(page):
    """The in-memory test database can meet the worker thread's poll and answer 503 (see
    test_wizard_browser.start); do what the page asks a user to do."""
    page.wait_for_load_state()
    for _ in range(5):
        if page.get_by_role("button", name="Try again").count():
            page.get_by_role("button", name="Try again").click()  # a POST: send it again
        elif page.get_by_role("heading", name="HostPolicy is busy for a moment").count():
            page.reload()  # a GET: reload, as the page says
        else:
            return
        page.wait_for_load_state()


def go(page, url):
    page.goto(url)
    settle(page)


def wait_for(condition, timeout_s=60):
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the task worker did not deliver in time")
        time.sleep(0.5)


def publish_first_version(page, live_server, token, public_name):
    """From the review step, as the business does: a public name, then Publish."""
    go(page, f"{live_server.url}/d/{token}/review/")
    page.get_by_label("Public name (optional)").fill(public_name)
    page.get_by_role("button", name="Publish this version").click()
    settle(page)
    assert page.get_by_text(f"Published as version 1 at /p/{public_name}/").is_visible()


def test_publish_subscribe_notice_and_the_change_taking_effect(page, live_server, task_worker, mailbox, settings,
                                                                allru_answers):
    settings.HOSTPOLICY_TODAY = "2026-11-25"
    allru_answers["changes"]["notice_days"] = 14
    # as the wizard's processors step leaves it: GeoTrust's identity checks declared as data
    allru_answers["data"].append({"id": "identity_verification"})
    draft, token = services.draft_create(allru_answers)

    # the business publishes version 1 under a public name
    publish_first_version(page, live_server, token, "nordlicht")

    # a visitor reads it and subscribes
    visitor = page.context.browser.new_context()
    visitor.set_default_timeout(BROWSER_TIMEOUT_MS)
    reader = visitor.new_page()
    try:
        go(reader, f"{live_server.url}/p/nordlicht/")
        assert reader.get_by_role("heading", name="Privacy Policy", level=1).is_visible()
        assert reader.get_by_text("Version 1, in force since 25 November 2026").is_visible()
        reader.get_by_role("link", name="Get notice of changes").click()
        reader.get_by_label("Your email address").fill("visitor@example.org")
        reader.get_by_role("button", name="Subscribe").click()
        settle(reader)
        assert reader.get_by_role("heading", name="Check your inbox").is_visible()
        wait_for(lambda: mailbox.to("visitor@example.org"))
        [confirmation] = mailbox.to("visitor@example.org")
        confirm_url = re.search(r"http://\S+/p/nordlicht/subscribe/confirm/\S+/", confirmation.get_content()).group(0)
        go(reader, confirm_url)
        reader.get_by_role("button", name="Confirm").click()
        settle(reader)
        assert reader.get_by_role("heading", name="You are subscribed").is_visible()
        assert Subscriber.objects.get().confirmed_at is not None

        # the business adds Zendesk and keeps server logs 30 days instead of 12 weeks, in the wizard
        go(page, f"{live_server.url}/d/{token}/processors/")
        page.get_by_label("Search processors by name or group").fill("zendesk")
        page.get_by_label(re.compile(r"^Zendesk")).check()
        page.get_by_role("button", name="Save and continue").click()
        settle(page)
        go(page, f"{live_server.url}/d/{token}/retention/")
        logs = page.get_by_role("group", name="Server and network logs")
        logs.get_by_label("How long you keep it").fill("30 days")
        page.get_by_role("button", name="Save and continue").click()
        settle(page)

        # publish version 2: 14 days' notice is the earliest date, and the summary is drafted
        go(page, f"{live_server.url}/d/{token}/review/")
        assert page.get_by_label("Takes effect on").input_value() == "2026-12-09"
        assert page.get_by_label("Change summary", exact=True).input_value().splitlines() == EXPECTED_SUMMARY
        page.get_by_role("heading", name="Publish").scroll_into_view_if_needed()
        shot(page, "publish-v2", full_page=False)
        page.get_by_role("button", name="Publish this version").click()
        settle(page)
        assert page.get_by_text("Published as version 2 at /p/nordlicht/, in force from 09 December 2026.").is_visible()

        # the visitor's mailbox: the summary naming exactly those changes, the date and the links
        wait_for(lambda: len(mailbox.to("visitor@example.org")) == 2)
        notice = mailbox.to("visitor@example.org")[1]
        body = notice.get_content().replace("\r\n", "\n")
        listed = re.search(r"What changes:\n((?:- .*\n)+)", body).group(1)
        assert [line[2:] for line in listed.splitlines()] == EXPECTED_SUMMARY
        assert "Version 2 takes effect on 9 December 2026" in body
        assert re.search(r"http://\S+/p/nordlicht/versions/2/changes/", body)

        # the public page: version 1 in force, version 2 announced
        go(reader, f"{live_server.url}/p/nordlicht/")
        assert reader.get_by_text("Version 1, in force since 25 November 2026").is_visible()
        notice_box = reader.get_by_role("region", name="This policy changes on 9 December 2026")
        assert notice_box.is_visible()
        for line in EXPECTED_SUMMARY:
            assert notice_box.get_by_text(line).is_visible()
        assert not reader.locator(".hp-privacy-policy").get_by_text("Zendesk").count()
        shot(reader, "public-v1-with-notice", full_page=False)
        assert axe_violations(reader) == []
        reader.get_by_role("link", name="See what changes in the text").click()
        assert reader.get_by_role("heading", name="What changed in version 2").is_visible()
        assert reader.locator(".wording-added").filter(has_text="Zendesk").count()

        # the clock passes the date: version 2 is in force, version 1 in the archive
        settings.HOSTPOLICY_TODAY = "2026-12-09"
        go(reader, f"{live_server.url}/p/nordlicht/")
        assert reader.get_by_text("Version 2, in force since 9 December 2026").is_visible()
        assert not reader.get_by_text("This policy changes on").count()
        assert reader.locator(".hp-privacy-policy").get_by_text("Zendesk, Inc.").first.is_visible()
        reader.get_by_role("link", name="All versions").click()
        rows = reader.locator("tbody tr")
        assert rows.nth(0).inner_text().startswith("Version 2 (in force)")
        assert re.match(r"Version 1\s+25 November 2026 to 9 December 2026", rows.nth(1).inner_text())
        shot(reader, "public-versions")
        assert axe_violations(reader) == []
        reader.get_by_role("link", name="Version 1", exact=True).click()
        assert reader.get_by_text("an earlier version, no longer in force").is_visible()
        assert not reader.locator(".hp-privacy-policy").get_by_text("Zendesk").count()
    finally:
        visitor.close()


def test_every_public_page_passes_axe_wcag_aa(page, live_server, allru_answers, settings):
    from generator.public import services as public

    settings.HOSTPOLICY_TODAY = "2026-11-25"
    draft, token = services.draft_create(allru_answers)
    first, errors = public.publish(draft, public.PublishRequest(slug="nordlicht"))
    assert errors == []
    answers = dict(draft.answers, processors=draft.answers["processors"] + [{"id": "zendesk"}])
    services.draft_save_answers(draft, answers)
    second, errors = public.publish(draft, public.PublishRequest(summary="We now use Zendesk for support."))
    assert errors == [] and second.effective_on.isoformat() == "2026-12-25"
    paths = ["/p/nordlicht/", "/p/nordlicht/versions/", "/p/nordlicht/versions/1/", "/p/nordlicht/versions/2/",
             "/p/nordlicht/versions/2/changes/", "/p/nordlicht/subscribe/", "/p/nordlicht/subprocessors/",
             "/p/nordlicht/subprocessors/subscribe/"]
    for path in paths:
        go(page, live_server.url + path)
        assert axe_violations(page) == [], path
    # a form with an error, and the confirmation and unsubscribe pages of a bad link
    go(page, live_server.url + "/p/nordlicht/subscribe/")
    page.get_by_label("Your email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    settle(page)
    assert page.get_by_text("Email address: enter an address such as name@example.com.").is_visible()
    assert axe_violations(page) == [], "subscribe with an error"
    for path in ("/p/nordlicht/subscribe/confirm/bad/", "/p/nordlicht/unsubscribe/bad/"):
        go(page, live_server.url + path)
        assert axe_violations(page) == [], path
