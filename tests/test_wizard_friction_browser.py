"""Issue 11's friction items, each tried in Debian's Chromium against the real form (fixtures from
tests/test_wizard_browser.py). Run with `pytest -m browser`."""
import copy
import re

import pytest

from generator.web import services
from tests.test_wizard_browser import allow_orm_beside_playwright, chromium, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(css):
    return tuple(int(float(x)) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3])


def test_unticked_checkboxes_and_other_controls_have_3_to_1_border_contrast(page, live_server, allru_answers):
    """Item 7 (WCAG 1.4.11): every unticked checkbox, radio, text field and select on every step
    has a border at least 3:1 against the page behind it."""
    draft, token = services.draft_create(allru_answers)
    for step in ("business", "services", "data", "processors", "cookies", "retention", "jurisdictions", "rights"):
        page.goto(f"{live_server.url}/d/{token}/{step}/")
        controls = page.evaluate("""() => [...document.querySelectorAll(
            'input[type=checkbox]:not(:checked), input[type=radio]:not(:checked), input.form-control, select, textarea')]
            .filter(el => el.offsetParent !== null)
            .map(el => {
              let bg = 'rgb(255, 255, 255)';
              for (let p = el.parentElement; p; p = p.parentElement) {
                const c = getComputedStyle(p).backgroundColor;
                if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
              }
              return [el.name, getComputedStyle(el).borderTopColor, bg];
            })""")
        assert controls, step
        low = [(name, border, bg) for name, border, bg in controls if contrast(_rgb(border), _rgb(bg)) < 3]
        assert not low, (step, low[:5])


def test_every_bad_website_line_is_reported_at_once(page, live_server):
    """Item 5."""
    draft, token = services.draft_create({})
    page.goto(f"{live_server.url}/d/{token}/business/")
    page.get_by_label("Websites this policy covers").fill("https://ok.example\nnot a site\nhttps://also.example\nbad one")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    errors = page.locator("#id_websites_error").inner_text()
    assert "“not a site” is not a web address" in errors and "“bad one” is not a web address" in errors


def test_paper_follows_the_country_and_the_date_is_typed_year_month_day(page, live_server, allru_answers):
    """Item 9: a US business gets US Letter; the date box shows and asks year-month-day."""
    answers = copy.deepcopy(allru_answers)
    answers["business"].update(country="US", address="1 Main St, Springfield, IL 62701, USA")
    answers.pop("policy", None)
    draft, token = services.draft_create(answers)
    page.goto(f"{live_server.url}/d/{token}/rights/")
    assert page.locator("#id_paper").input_value() == "Letter"
    date = page.locator("#id_effective_date")
    assert date.get_attribute("type") == "text" and date.get_attribute("placeholder") == "YYYY-MM-DD"
    date.fill("11/23/2026")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    assert "Enter the date as year-month-day, like 2026-11-23." in page.locator("#id_effective_date_error").inner_text()
    page.locator("#id_effective_date").fill("2026-11-23")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.answers["policy"]["effective_date"] == "2026-11-23" and draft.answers["policy"]["paper"] == "Letter"


def test_new_rows_mark_nothing_required(page, live_server, allru_answers):
    """Item 9: the empty row for a new cookie or processor does not star its fields as required."""
    draft, token = services.draft_create(allru_answers)
    page.goto(f"{live_server.url}/d/{token}/cookies/")
    new_row = page.locator("fieldset.formset-row", has_text="(new, leave empty if not needed)").first
    assert new_row.locator(".asteriskField").count() == 0
    assert new_row.locator("[required]").count() == 0


def test_processors_keep_the_owners_order(page, live_server, allru_answers):
    """Item 10: a processor added later follows those already chosen, whatever the catalogue's order."""
    draft, token = services.draft_create(allru_answers)
    page.goto(f"{live_server.url}/d/{token}/processors/")
    page.locator("input[name=processors][value=stripe]").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert [r["id"] for r in draft.answers["processors"]] == ["tucows_opensrs", "geotrust", "stripe"]


def test_retention_takes_an_event_and_names_each_row_by_its_data(page, live_server, allru_answers):
    """Item 2: "service termination" after a fixed period is accepted (the clock's start), a period
    after a fixed one too, and an error names the row by the data's label."""
    draft, token = services.draft_create(allru_answers)
    page.goto(f"{live_server.url}/d/{token}/retention/")
    hosted = page.locator("fieldset.formset-row", has_text="Content you host with us")
    hosted.get_by_label("Then kept for this long after that (optional)").fill("service termination")
    hosted.get_by_label("The period starts when (optional)").fill("")
    billing = page.locator("fieldset.formset-row", has_text="Billing and payment records")
    billing.get_by_label("Then kept for this long after that (optional)").fill("1 year")
    logs = page.locator("fieldset.formset-row", has_text="Server and network logs")
    logs.get_by_label("Then kept for this long after that (optional)").fill("indefinite")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary").inner_text()
    assert "Server and network logs" in summary and "Then kept for this long after that" in summary and "Data " not in summary
    page.locator("fieldset.formset-row", has_text="Server and network logs").get_by_label(
        "Then kept for this long after that (optional)").fill("")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    data = {d["id"]: d for d in draft.answers["data"]}
    assert data["hosted_content"]["retention_starts"] == "service termination" and "retention_after" not in data["hosted_content"]
    assert data["billing"]["retention"] == "P6Y" and data["billing"]["retention_after"] == "P1Y"


def test_representatives_appear_only_when_they_apply_with_their_role_in_every_label(page, live_server):
    """Item 4: nothing before a country is chosen; a US business gets the EU, UK and Swiss fieldsets,
    each label naming its role; a UK business only the EU and Swiss ones."""
    draft, token = services.draft_create({})
    page.goto(f"{live_server.url}/d/{token}/business/")
    for who in ("EU", "UK", "Swiss"):
        assert page.get_by_label(f"{who} representative's name").is_hidden()
    assert page.get_by_label("Data protection officer's name").is_visible()
    page.get_by_label("Country where the business is established").select_option("US")
    for who in ("EU", "UK", "Swiss"):
        assert page.get_by_label(f"{who} representative's name").is_visible()
        assert page.get_by_label(f"{who} representative's email").is_visible()
    page.get_by_label("Country where the business is established").select_option("GB")
    assert page.get_by_label("EU representative's name").is_visible()
    assert page.get_by_label("UK representative's name").is_hidden()
    assert page.get_by_label("Swiss representative's name").is_visible()


def _overflowing_tables(page):
    return page.evaluate("""() => [...document.querySelectorAll('.policy-preview table')]
        .filter(t => t.offsetParent !== null)
        .filter(t => t.getBoundingClientRect().right > t.closest('.policy-preview').getBoundingClientRect().right + 1
                     || t.scrollWidth > t.parentElement.clientWidth + 1)
        .map(t => t.querySelector('thead th') ? t.querySelector('thead th').textContent : '?')""")


@pytest.mark.parametrize("width", [1280, 375])
def test_review_preview_tables_fit_at_desktop_and_phone_width(chromium, live_server, allru_answers, width):
    """Item 8: every table of the preview fits inside the preview, with nothing scrolled out of sight;
    on a phone each cell carries its column's name."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        draft, token = services.draft_create(allru_answers)
        page.goto(f"{live_server.url}/d/{token}/review/")
        assert page.locator(".policy-preview table").count() >= 3
        assert _overflowing_tables(page) == []
        if width < 576:
            cell = page.locator(".policy-preview table tbody td").first
            assert cell.get_attribute("data-label")
            assert page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle()) != "none"
    finally:
        context.close()


def test_review_before_any_answer_speaks_plain_words_in_step_order(page, live_server):
    """Item 6."""
    draft, token = services.draft_create({})
    page.goto(f"{live_server.url}/d/{token}/review/")
    items = page.locator("#answers-incomplete li")
    assert items.nth(0).inner_text() == "Your business: not answered yet."
    text = page.locator("#answers-incomplete").inner_text()
    assert "required" not in text and "storage_locations" not in text and "roles" not in text
    items.nth(0).get_by_role("link").click()
    page.wait_for_load_state()
    assert page.url.endswith("/business/")


def test_selling_is_asked_and_sharing_is_derived(page, live_server, allru_answers):
    """Item 3: "We sell personal data" is its own question with its one-sentence explanation; sharing
    for advertising is not asked but explained from remarketing and the advertising processors."""
    answers = copy.deepcopy(allru_answers)
    answers["processors"].append({"id": "google_ads"})
    draft, token = services.draft_create(answers)
    page.goto(f"{live_server.url}/d/{token}/data/")
    sell = page.get_by_label("We sell personal data", exact=True)
    assert not sell.is_checked()
    assert "for money or anything else of value" in page.locator("#id_sells_personal_data_helptext").inner_text()
    assert page.get_by_role("checkbox", name=re.compile("shar", re.I)).count() == 0  # no question about sharing
    sharing = page.locator("#sharing-explained").inner_text()
    assert "remarketing" in sharing and "Google Ads" in sharing
    sell.check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.answers["marketing"]["sells_personal_data"] is True and draft.answers["marketing"]["remarketing"] is True


def test_processors_step_is_short_with_the_search_first_and_the_choice_listed_on_top(chromium, live_server, allru_answers):
    """Item 1: suggested groups open until something is chosen from them, the others collapsed; the
    search box comes first; what is chosen is listed on top and follows the ticks. The page was about
    6,100 px tall on a desktop and 15,500 px on a phone."""
    draft, token = services.draft_create(allru_answers)
    heights = {}
    for width in (1280, 375):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{live_server.url}/d/{token}/processors/")
            heights[width] = page.evaluate("document.documentElement.scrollHeight")
            if width == 1280:
                groups = page.locator("details.processor-group")
                is_open = lambda name: groups.filter(has_text=name).first.get_attribute("open") is not None  # noqa: E731
                assert is_open("Payments")  # suggested by the services, nothing chosen from it yet
                assert not is_open("Domain registrars and registries")  # suggested, Tucows chosen: listed on top
                assert "1 chosen" in groups.filter(has_text="Domain registrars and registries").first.inner_text()
                assert not is_open("Analytics") and not is_open("Support and live chat")  # not suggested
                search = page.get_by_label("Search processors by name or group")
                first_group = groups.first.bounding_box()
                assert search.bounding_box()["y"] < first_group["y"] and "form-control-lg" in search.get_attribute("class")
                chosen = page.locator("[data-chosen-names]")
                assert chosen.inner_text() == "Tucows (OpenSRS), GeoTrust (DigiCert)"
                search.fill("stripe")
                page.get_by_label(re.compile(r"^Stripe")).check()
                assert chosen.inner_text() == "Tucows (OpenSRS), GeoTrust (DigiCert), Stripe"
        finally:
            context.close()
    assert heights[1280] < 4000 and heights[375] < 9000, heights
