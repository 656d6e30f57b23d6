"""The wizard in a real browser: Debian's Chromium driven by Playwright against pytest-django's
live server. Run with `pytest -m browser`.

The main test completes the wizard as a new user would for All-Ru Ltd (seed 000, a UK host),
downloads the PDF and reads its text back. Screenshots go to /tmp/hostpolicy-screens/.
"""
import io
import re
from pathlib import Path

import pytest

from generator import policy
from generator.answers import load_document
from generator.render import render
from generator.web import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SCREENS = Path("/tmp/hostpolicy-screens")
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# CI runs the whole suite on two shared cores: a full-page screenshot of the long review page, or
# the first page after Chromium starts, can take longer than Playwright's default 30 s.
BROWSER_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop in this thread, which Django takes for an async
    # context; the ORM calls here are synchronous and safe. Only for this module's tests.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def chromium(allow_orm_beside_playwright):
    # No skip: `make test` installs both, and a missing browser must fail the suite, not hide it.
    from playwright import sync_api
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda m: page.csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True,
                                   has_touch=True, accept_downloads=True)
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def shot(page, name, full_page=True):
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()


def start(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Start a new policy").click()
    page.wait_for_load_state()
    # The test database is in-memory SQLite in shared-cache mode, where a write that meets the task
    # worker thread's read fails at once with "table is locked" (a file database in WAL mode, as
    # deployed, waits instead). The app answers with its 503 page; do what it asks a user to do.
    for _ in range(3):
        if not page.get_by_role("button", name="Try again").count():
            break
        page.get_by_role("button", name="Try again").click()
        page.wait_for_load_state()
    page.wait_for_url(re.compile(r"/d/[A-Za-z0-9_-]{43}/business/$"))


def fill_allru_business(page):
    page.get_by_label("Legal name").fill("All-Ru Ltd")
    page.get_by_label("Trading name (if different)").fill("All-Ru")
    page.get_by_label("Websites this policy covers").fill("https://www.all-ru.net")
    page.get_by_label("Company registration number").fill("09775671")
    page.get_by_label("Country where the business is established").select_option("GB")
    page.get_by_label("Postal address").fill("Hawthorn House, Southwell Road West, Mansfield, Nottinghamshire, NG21 0HJ")
    page.get_by_label("Contact email for privacy questions").fill("support@all-ru.net")
    page.get_by_label("Contact page (optional)").fill("https://www.all-ru.net/contacto")


@pytest.fixture
def task_worker(live_server, settings, tmp_path):
    """The PDF task worker beside the live server, as `make run` starts it: the real db_worker's
    Worker, in a thread (the command itself installs signal handlers, which only the main thread
    may), processing the queue until the test ends."""
    import threading

    from django.db import OperationalError, connection
    from django_tasks_db.management.commands.db_worker import Worker

    settings.HOSTPOLICY_CACHE_DIR = tmp_path / "cache"  # nothing rendered before: the worker must do it
    stop = threading.Event()

    def read_without_table_locks():
        # The in-memory test database is shared-cache SQLite, where a reader's table lock makes a
        # writer on another connection fail at once ("database table is locked"; a file database
        # in WAL mode, as deployed, waits instead). Readers that take no table locks remove that.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")

    read_without_table_locks()  # the test's and the live server's connection

    def work():
        try:
            read_without_table_locks()  # the worker's own
            while not stop.is_set():
                try:
                    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                           startup_delay=False, max_tasks=None, worker_id="browser-test",
                           excluded_queue_names=[]).run()
                except OperationalError as exc:
                    # two writers met on the in-memory database: poll again, as the deployed worker's
                    # busy timeout on a file database waits instead of failing
                    if "locked" not in str(exc):
                        raise
                stop.wait(1.0)  # poll gently: each poll can lock the in-memory test database's tables
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)


def test_new_user_completes_the_wizard_for_allru_and_downloads_the_pdf(page, live_server, task_worker):
    from pypdf import PdfReader

    start(page, live_server)
    shot(page, "01-business-empty")
    # 1 business: the UK representative question goes away once the country is the UK (script toggle)
    fill_allru_business(page)
    assert page.locator("[data-rep=uk]").is_hidden()
    assert page.locator("[data-rep=eu]").is_visible()
    save_and_continue(page)

    # 2 services
    assert page.url.endswith("/services/")
    for name in ("Shared hosting", "Virtual private servers (VPS)", "Domain registration", "SSL/TLS certificates"):
        page.get_by_label(name, exact=True).check()
    save_and_continue(page)

    # 3 data: suggested categories are already ticked
    assert page.url.endswith("/data/")
    assert page.get_by_label("Domain registration details", exact=True).is_checked()
    assert page.get_by_label("Billing and payment records", exact=True).is_checked()
    page.get_by_label("We record support phone calls").check()
    page.get_by_label("Only to people who opted in").check()
    save_and_continue(page)

    # 4 processors: type-ahead search, then tick
    assert page.url.endswith("/processors/")
    search = page.get_by_label("Search processors by name or group")
    search.fill("tucows")
    assert page.get_by_text("1 match").is_visible()
    page.get_by_label(re.compile(r"^Tucows \(OpenSRS\)")).check()
    search.fill("geotrust")
    page.get_by_label(re.compile(r"^GeoTrust")).check()
    search.fill("")
    shot(page, "04-processors")
    save_and_continue(page)

    # 5 cookies
    assert page.url.endswith("/cookies/")
    page.locator("#id_cookie-0-name").fill("session_id")
    page.locator("#id_cookie-0-purpose").select_option("strictly_necessary")
    page.locator("#id_cookie-0-duration").fill("session")
    page.get_by_label(re.compile("We ask visitors for consent")).check()
    save_and_continue(page)

    # 6 retention: prefilled; keep the defaults
    assert page.url.endswith("/retention/")
    assert page.locator("#id_retention-1-retention").input_value() == "6 years"
    shot(page, "06-retention")
    save_and_continue(page)

    # 7 laws: UK suggested; add the EU; Tucows is in Canada so safeguards are asked
    assert page.url.endswith("/jurisdictions/")
    assert page.get_by_label(re.compile(r"United Kingdom \(UK GDPR")).is_checked()
    page.get_by_label(re.compile(r"European Union / EEA")).check()
    assert page.locator("[data-transfer-section]").is_visible()
    page.get_by_label(re.compile(r"Standard contractual clauses")).check()
    save_and_continue(page)

    # 8 rights
    assert page.url.endswith("/rights/")
    page.get_by_label("In the customer control panel").check()
    page.get_by_label("Customer control panel address").fill("https://my.all-ru.net")
    page.get_by_label("Encryption in transit (TLS/HTTPS)").check()
    page.get_by_label("Hours within which you notify the authority of a breach (optional)").fill("72")
    save_and_continue(page)

    # 9 the customer DPA: shared hosting stores customers' data; keep its defaults
    assert page.url.endswith("/dpa/")
    save_and_continue(page)

    # 10 review
    assert page.url.endswith("/review/")
    assert page.get_by_role("heading", name="Compliance report", exact=True).is_visible()
    assert page.get_by_role("heading", name="Preview", exact=True).is_visible()
    assert "All-Ru" in page.locator(".policy-preview").first.inner_text()
    assert "Our duties as your processor" in page.locator("article[aria-labelledby=dpa-title]").inner_text()
    copy = page.get_by_role("button", name="Copy snippet")
    assert copy.is_visible()  # the script reveals it
    shot(page, "09-review")

    with page.expect_download() as info:
        page.get_by_role("link", name="PDF", exact=True).click()
    pdf_path = info.value.path()
    reader = PdfReader(io.BytesIO(Path(pdf_path).read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    text = " ".join(text.split())
    assert "All-Ru" in text
    assert "Tucows" in text
    assert not page.csp_errors, page.csp_errors


def test_representative_toggle_filter_and_copy_without_reload(page, live_server):
    start(page, live_server)
    country = page.get_by_label("Country where the business is established")
    country.select_option("US")
    assert page.locator("[data-rep=eu]").is_visible() and page.locator("[data-rep=uk]").is_visible()
    country.select_option("DE")
    assert page.locator("[data-rep=eu]").is_hidden() and page.locator("[data-rep=uk]").is_visible()
    country.select_option("GB")
    assert page.locator("[data-rep=eu]").is_visible() and page.locator("[data-rep=uk]").is_hidden()
    assert page.get_by_role("button", name="Copy link").is_visible()
    assert "/d/" in page.get_by_label("Your secret link").input_value()
    assert not page.csp_errors, page.csp_errors


def test_errors_are_announced_and_focused(page, live_server):
    start(page, live_server)
    page.get_by_label("Contact email for privacy questions").fill("not-an-email")
    save_and_continue(page)
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    email = page.get_by_label("Contact email for privacy questions")
    described = email.get_attribute("aria-describedby")
    assert "id_contact_email_error" in described
    assert "Enter a valid email address" in page.locator("#id_contact_email_error").inner_text()
    # The summary link moves focus to the field.
    page.get_by_role("link", name=re.compile("^Legal name")).click()
    assert page.evaluate("document.activeElement.id") == "id_legal_name"


def test_keyboard_only(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Start a new policy":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/business/$", page.url)
    # Type the first field after tabbing to it, and submit with Enter from a text field: that saves.
    page.get_by_label("Legal name").focus()
    page.keyboard.type("Keyboard Hosting Ltd")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#error-summary").is_visible()  # the other required fields are missing
    assert page.get_by_label("Legal name").input_value() == "Keyboard Hosting Ltd"


def test_phone_width_layout(phone, live_server):
    phone.goto(live_server.url + "/")
    shot(phone, "phone-landing")
    phone.get_by_role("button", name="Start a new policy").click()
    phone.wait_for_url(re.compile(r"/business/$"))
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width  # nothing wider than the screen
    assert phone.get_by_text(re.compile("^Step 1 of 10: all steps")).is_visible()
    shot(phone, "phone-business")
    phone.get_by_label("Legal name").fill("All-Ru Ltd")
    phone.get_by_role("button", name="Save and continue").click()
    phone.wait_for_load_state()
    shot(phone, "phone-business-errors")
    token = re.search(r"/d/([A-Za-z0-9_-]{43})/", phone.url).group(1)
    phone.goto(f"{live_server.url}/d/{token}/processors/")
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    shot(phone, "phone-processors")


def test_works_without_javascript(chromium, live_server):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    try:
        start(page, live_server)
        fill_allru_business(page)
        save_and_continue(page)
        # Without the script the representative questions appear once the country is saved: the page
        # says so and shows the EU one for a UK business.
        assert page.url.endswith("/business/")
        assert "the law may require an EU representative" in page.locator("main").inner_text()
        assert page.get_by_label("EU representative's name").is_visible()
        assert page.get_by_label("UK representative's name").is_hidden()
        save_and_continue(page)
        assert page.url.endswith("/services/")
        page.get_by_label("Domain registration", exact=True).check()
        save_and_continue(page)
        save_and_continue(page)  # data as suggested
        assert page.url.endswith("/processors/")
        assert page.get_by_label("Search processors by name or group").count() == 0  # no dead search box
        page.get_by_label(re.compile(r"^Tucows \(OpenSRS\)")).check()
        save_and_continue(page)
        assert page.url.endswith("/cookies/")
        assert page.get_by_role("button", name="Copy link").is_hidden()  # needs the script; stays hidden
    finally:
        context.close()


# --- accessibility: axe-core (WCAG 2.1 A and AA rules) on every page a user sees ---------------------

def axe_violations(page):
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_every_page_passes_axe_wcag_aa(page, live_server, allru_answers):
    draft, token = services.draft_create(allru_answers)
    services.publish(draft)
    paths = ["/", *[f"/d/{token}/{slug}/" for slug in (
        "business", "services", "data", "processors", "cookies", "retention", "jurisdictions", "rights", "dpa", "review",
        "sources", "versions")], f"/d/{token}/versions/1/"]
    for path in paths:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    # the review with every folded list opened (closed <details> content is not laid out, so axe skips it)
    page.goto(f"{live_server.url}/d/{token}/review/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == [], "review, every <details> open"

    # a page showing errors: the business step posted empty
    start(page, live_server)
    save_and_continue(page)
    assert page.locator("#error-summary-title").is_visible()
    assert axe_violations(page) == [], "business step with errors"
    page.goto(page.url.replace("/business/", "/review/"))
    assert page.locator("#answers-incomplete").is_visible()
    assert axe_violations(page) == [], "review with incomplete answers"

    # the start page listing the errors of an uploaded file
    page.goto(live_server.url + "/")
    page.locator("#id_answers_file").set_input_files(
        files=[{"name": "bad.yaml", "mimeType": "application/yaml", "buffer": b"format: privacy-policy-answers/1\nbusiness: 3\n"}])
    page.get_by_role("button", name="Upload and continue").click()
    page.wait_for_load_state()
    assert page.locator("#upload-errors").is_visible()
    assert axe_violations(page) == [], "start page with upload errors"

    # the exported HTML page a business publishes
    document = policy.build(load_document(allru_answers).answers)
    page.set_content(render(document, "html"))
    assert axe_violations(page) == [], "exported HTML page"


def test_script_words_come_from_vocabulary(page, live_server, allru_answers):
    """wizard.js holds no wording: the filter's status and the copy button's words are vocabulary.yaml's
    wizard_script group, read from its <script> tag (issue 11)."""
    from generator.library import get_catalogues

    words = get_catalogues().vocabulary["wizard_script"]
    draft, token = services.draft_create(allru_answers)
    page.goto(f"{live_server.url}/d/{token}/processors/")
    page.get_by_label("Search processors by name or group").fill("mail")
    shown = page.locator("[data-filter-item]:not([hidden])").count()
    assert shown > 1
    assert page.get_by_text(words["matches"].format(count=shown), exact=True).is_visible()
    page.get_by_label("Search processors by name or group").fill("tucows")
    assert page.get_by_text(words["one_match"], exact=True).is_visible()
    page.get_by_role("button", name="Copy link").click()
    copied = page.get_by_role("button", name=words["copied"], exact=True)
    by_hand = page.get_by_text(words["copy_by_hand"], exact=True)
    copied.or_(by_hand).first.wait_for()
    assert not page.csp_errors, page.csp_errors
