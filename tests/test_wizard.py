"""The wizard through Django's test client: every step with valid and invalid input, skipped steps
and questions, drafts behind secret links, CSRF, uploads, downloads, publishing, and a server
restart in the middle of the wizard.

Pages are submitted the way a browser would: `submit()` reads the step's form from the rendered
HTML (every input with its current value) and posts it back with the test's changes.
"""
import copy
import hashlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import yaml
from django.test import Client

from generator.answers import load_document
from generator.laws import applicability
from generator.library import get_catalogues
from generator.models import Draft, PublishedVersion
from generator.web import catalogue as cat_
from generator.web import services, steps
from generator.web.steps import base as step_base

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
CAT = get_catalogues()


# --- a tiny browser: read a form from HTML, post it back ------------------------------------------

class _FormParser(HTMLParser):
    """Collects the fields of every <form> as a browser would submit them (no buttons)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None
        self._options = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"attrs": a, "fields": [], "selects": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file") or "name" not in a or "disabled" in a:
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and "name" in a:
            self._textarea = [a["name"], ""]
        elif tag == "select" and "name" in a:
            self._select = {"name": a["name"], "multiple": "multiple" in a, "chosen": [], "first": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self._form["fields"].append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            s = self._select
            chosen = s["chosen"] or ([] if s["multiple"] or s["first"] is None else [s["first"]])
            self._form["fields"] += [(s["name"], v) for v in chosen]
            self._select = None
        elif tag == "form":
            self._form = None


def page_form(html, css_class="wizard-form"):
    """{name: [values]} of the form with the given class (the step's form)."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if css_class in (form["attrs"].get("class") or "").split():
            out = {}
            for name, value in form["fields"]:
                out.setdefault(name, []).append(value)
            return out
    raise AssertionError(f"no form with class {css_class!r} on the page")


def url(token, step):
    return f"/d/{token}/{step}/"


def submit(client, token, step, changes=None, nav="next", follow=False):
    """GET the step, change some fields, POST it back. A change of None removes the field (unticks)."""
    page = client.get(url(token, step))
    assert page.status_code == 200, (step, page.status_code)
    data = page_form(page.content.decode())
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    data.pop("csrfmiddlewaretoken", None)
    data["nav"] = [nav]
    return client.post(url(token, step), data, follow=follow)


def new_draft(client, answers=None):
    if answers is None:
        response = client.post("/start/")
        assert response.status_code == 302
        token = response["Location"].split("/")[2]
        return token
    draft, token = services.draft_create(answers)
    return token


def saved(token):
    return Draft.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest()).answers


def text(response):
    return response.content.decode()


def error_ids(html):
    """ids of the elements holding field errors, and the aria-describedby values that point at them."""
    return set(re.findall(r'id="([^"]+_error)"', html)), " ".join(re.findall(r'aria-describedby="([^"]+)"', html))


BUSINESS_OK = {
    "legal_name": "All-Ru Ltd", "trading_name": "All-Ru", "websites": "https://www.all-ru.net\nmy.all-ru.net",
    "company_number": "09775671", "address": "Hawthorn House, Southwell Road West, Mansfield, NG21 0HJ",
    "country": "GB", "contact_email": "support@all-ru.net", "contact_url": "https://www.all-ru.net/contact",
}


def business_done(client, token, **extra):
    response = submit(client, token, "business", {**BUSINESS_OK, "js": "1", **extra})
    assert response.status_code == 302, text(response)
    return response


# --- landing, start, secret links ----------------------------------------------------------------

def test_landing_explains_the_tool_and_offers_start_and_upload(client):
    response = client.get("/")
    html = text(response)
    assert response.status_code == 200
    assert "writes a privacy policy for your web-hosting business" in html
    assert 'action="/start/"' in html and 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert 'enctype="multipart/form-data"' in html and 'for="id_answers_file"' in html


def test_start_creates_a_draft_behind_a_secret_link(client):
    response = client.post("/start/")
    assert response.status_code == 302
    match = re.fullmatch(r"/d/([A-Za-z0-9_-]{43})/business/", response["Location"])
    assert match, response["Location"]
    token = match.group(1)
    draft = Draft.objects.get()
    assert draft.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Draft.objects.values().get())  # only the hash is stored
    assert draft.answers == {"format": "privacy-policy-answers/1"}
    page = client.get(response["Location"])
    assert f"http://testserver/d/{token}/" in text(page)  # the link is shown to resume later
    assert "no-store" in page["Cache-Control"]


def test_start_only_accepts_post(client):
    assert client.get("/start/").status_code == 405


@pytest.mark.parametrize("path", [
    "/d/{guess}/business/", "/d/{guess}/review/", "/d/{guess}/answers.yaml", "/d/{guess}/download/pdf/",
    "/d/{guess}/versions/", "/d/{guess}/sources/", "/d/{guess}/", "/d/{short}/business/", "/d/1/business/", "/d/{token}/nonsense/",
    "/d/{token}/download/exe/", "/d/{token}/versions/1/",
])
def test_wrong_or_guessed_links_give_404(client, path):
    token = new_draft(client)
    guess = secrets.token_urlsafe(32)
    response = client.get(path.format(guess=guess, short=token[:-1], token=token))
    assert response.status_code == 404


def test_guessed_link_cannot_post_either(client):
    new_draft(client)
    response = client.post(f"/d/{secrets.token_urlsafe(32)}/business/", BUSINESS_OK)
    assert response.status_code == 404


def test_draft_survives_with_only_the_secret_link(client):
    token = new_draft(client)
    business_done(client, token)
    stranger = Client()  # fresh client: no session, no cookies
    page = stranger.get(url(token, "business"))
    html = text(page)
    assert page.status_code == 200
    assert 'value="All-Ru Ltd"' in html and "support@all-ru.net" in html
    assert stranger.get(f"/d/{token}/").status_code == 302


def test_draft_home_goes_to_first_unanswered_step(client):
    token = new_draft(client)
    assert client.get(f"/d/{token}/")["Location"] == url(token, "business")
    business_done(client, token)
    assert client.get(f"/d/{token}/")["Location"] == url(token, "services")


# --- CSRF -------------------------------------------------------------------------------------------

def test_csrf_is_enforced():
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/start/").status_code == 403
    assert browser.post("/upload/", {}).status_code == 403
    draft, token = services.draft_create()
    assert browser.post(url(token, "business"), BUSINESS_OK).status_code == 403
    assert browser.post(f"/d/{token}/publish/").status_code == 403
    assert saved(token) == {"format": "privacy-policy-answers/1"}
    # With the token from the page, the same post works.
    page = browser.get(url(token, "business"))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1)
    response = browser.post(url(token, "business"), {**BUSINESS_OK, "csrfmiddlewaretoken": csrf, "js": "1"})
    assert response.status_code == 302
    assert saved(token)["business"]["legal_name"] == "All-Ru Ltd"


# --- step 1: business ---------------------------------------------------------------------------------

def test_business_valid_post_saves_the_business(client):
    token = new_draft(client)
    response = business_done(client, token, dpo_email="dpo@all-ru.net", dpo_name="Jane Roe")
    assert response["Location"] == url(token, "services")
    b = saved(token)["business"]
    assert b["legal_name"] == "All-Ru Ltd"
    assert b["websites"] == ["https://www.all-ru.net", "https://my.all-ru.net"]  # https:// added
    assert b["company_number"] == "09775671"
    assert b["dpo"] == {"name": "Jane Roe", "email": "dpo@all-ru.net"}
    assert "phone" not in b and "uk_representative" not in b
    assert load_document(saved(token)).errors  # incomplete overall, but the business part is fine:
    assert not [e for e in load_document(saved(token)).errors if e.path.startswith("business")]


def test_business_invalid_post_shows_errors_next_to_fields(client):
    token = new_draft(client)
    response = submit(client, token, "business", {**BUSINESS_OK, "legal_name": "", "contact_email": "not-an-email",
                                                  "websites": "ftp:/nope", "country": ""})
    html = text(response)
    assert response.status_code == 200
    assert "Enter the business&#x27;s legal name." in html
    assert "Enter a valid email address" in html
    assert "is not a web address" in html
    assert "Choose the country where the business is established." in html
    ids, described = error_ids(html)
    for field in ("legal_name", "contact_email", "websites", "country"):
        assert f"id_{field}_error" in ids
        assert re.search(rf'<(input|textarea|select)[^>]*aria-describedby="[^"]*id_{field}_error', html), field
        tag = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="id_{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag, tag
    assert 'id="error-summary"' in html and 'href="#id_legal_name"' in html
    assert "business" not in saved(token)  # nothing half-saved into the answers
    assert "business" in Draft.objects.get().pending  # but what was typed is kept


def test_business_representatives_depend_on_saved_country(client):
    token = new_draft(client)
    html = text(client.get(url(token, "business")))  # no country yet: none asked (issue 11, item 4)
    assert "hidden" in re.search(r'data-rep="eu"[^>]*>', html).group(0)
    assert "hidden" in re.search(r'data-rep="uk"[^>]*>', html).group(0)
    business_done(client, token)  # GB: outside the EEA, inside the UK
    html = text(client.get(url(token, "business")))
    assert "hidden" not in re.search(r'data-rep="eu"[^>]*>', html).group(0)
    assert "hidden" in re.search(r'data-rep="uk"[^>]*>', html).group(0)
    submit(client, token, "business", {"country": "DE", "js": "1"})
    html = text(client.get(url(token, "business")))
    assert "hidden" in re.search(r'data-rep="eu"[^>]*>', html).group(0)
    assert "hidden" not in re.search(r'data-rep="uk"[^>]*>', html).group(0)


def test_business_without_js_asks_again_when_a_representative_newly_applies(client):
    token = new_draft(client)
    business_done(client, token)  # GB: UK representative not asked
    response = submit(client, token, "business", {"country": "US"})  # no js flag: the page could not toggle
    assert response.status_code == 302 and response["Location"] == url(token, "business")
    page = client.get(url(token, "business"))
    assert "UK representative" in text(page) and "may require" in text(page)
    assert "hidden" not in re.search(r'data-rep="uk"[^>]*>', text(page)).group(0)
    # Answering it (or leaving it empty) then moves on.
    response = submit(client, token, "business", {"uk_rep_name": "Rep Ltd", "uk_rep_address": "1 High St, London",
                                                  "uk_rep_email": "rep@example.co.uk"})
    assert response["Location"] == url(token, "services")
    assert saved(token)["business"]["uk_representative"]["name"] == "Rep Ltd"


def test_business_representative_needs_all_three_fields(client):
    token = new_draft(client)
    response = submit(client, token, "business", {**BUSINESS_OK, "eu_rep_name": "EU Rep GmbH"})
    html = text(response)
    assert response.status_code == 200
    assert "Enter the EU representative&#x27;s address" in html and "id_eu_rep_email_error" in html


def test_business_drops_representative_that_does_not_apply(client):
    token = new_draft(client)
    business_done(client, token, uk_rep_name="X", uk_rep_address="Y", uk_rep_email="x@example.com")
    assert "uk_representative" not in saved(token)["business"]  # GB business: no UK representative


def test_business_keeps_fields_the_wizard_does_not_ask(client, allru_answers):
    allru_answers["business"]["ch_representative"] = {"name": "CH Rep AG", "address": "Zug", "email": "ch@example.ch"}
    token = new_draft(client, allru_answers)
    business_done(client, token)
    assert saved(token)["business"]["ch_representative"]["name"] == "CH Rep AG"


# --- step 2: services ----------------------------------------------------------------------------------

def test_services_valid_and_invalid(client):
    token = new_draft(client)
    business_done(client, token)
    response = submit(client, token, "services", {"services": []})
    assert response.status_code == 200 and "Choose at least one service, or tick “We sell none of these”." in text(response)
    assert 'id="id_services_error"' in text(response)
    response = submit(client, token, "services", {"services": ["vps", "domains"], "processor_for_customers": None})
    assert response["Location"] == url(token, "data")
    a = saved(token)
    assert a["services"] == ["vps", "domains"] and a["roles"] == {"processor_for_customers": False}
    # a website with no hosting services, which the contract allows, is said with its own box
    response = submit(client, token, "services", {"services": [], "no_services": "on"})
    assert response["Location"] == url(token, "data") and saved(token)["services"] == []
    assert page_form(text(client.get(url(token, "services"))))["no_services"] == ["on"]


def test_services_refuses_unknown_service(client):
    token = new_draft(client)
    response = submit(client, token, "services", {"services": ["spaceships"]})
    assert response.status_code == 200 and "Select a valid choice" in text(response)


# --- step 3: data -------------------------------------------------------------------------------------

def test_data_preselects_what_the_services_suggest(client):
    token = new_draft(client)
    submit(client, token, "services", {"services": ["domains"]})
    form = page_form(text(client.get(url(token, "data"))))
    expected = cat_.suggested_data(["domains"], CAT)
    assert sorted(form["categories"]) == sorted(expected)
    assert "domain_registrant" in form["categories"]


def test_data_valid_post_with_overrides_and_custom_data(client):
    token = new_draft(client)
    submit(client, token, "services", {"services": ["shared_hosting"]})
    response = submit(client, token, "data", {
        "categories": ["account", "billing", "support"], "call_recording": "on",
        "basis_billing": "legal_obligation", "purposes_billing": ["billing"],
        "custom-0-name": "CCTV footage", "custom-0-examples": "camera images, visitor log",
        "custom-0-purposes": ["security"], "custom-0-legal_basis": "legitimate_interests",
        "marketing_email": "soft_opt_in", "order_fraud_screening": "on",
    })
    assert response["Location"] == url(token, "processors"), text(response)
    a = saved(token)
    ids = [d["id"] for d in a["data"]]
    assert ids == ["account", "billing", "support", "cctv_footage"]
    billing = a["data"][1]
    assert billing["legal_basis"] == "legal_obligation" and billing["purposes"] == ["billing"]
    assert "purposes" not in a["data"][0]  # unchanged defaults are not copied into the answers
    assert a["data"][2]["call_recording"] is True
    assert a["data"][3] == {"id": "cctv_footage", "name": "CCTV footage", "examples": ["camera images", "visitor log"],
                            "purposes": ["security"], "legal_basis": "legitimate_interests"}
    assert a["marketing"]["email"] == "soft_opt_in" and a["automated_decisions"]["order_fraud_screening"] is True
    # Revisiting shows the custom row again (and its id stays stable on re-save).
    submit(client, token, "data", {})
    assert [d["id"] for d in saved(token)["data"]] == ids


def test_data_invalid_custom_row(client):
    token = new_draft(client)
    response = submit(client, token, "data", {"categories": ["account"], "custom-0-name": "CCTV footage"})
    html = text(response)
    assert response.status_code == 200
    assert "Choose at least one reason you use this data." in html and "Choose the legal basis for this data." in html
    assert "Other data 1: " in html  # the error summary names the row


def test_data_keeps_retention_answered_later(client, allru_answers):
    token = new_draft(client, allru_answers)
    submit(client, token, "data", {})
    billing = [d for d in saved(token)["data"] if d["id"] == "billing"][0]
    assert billing["retention"] == "P6Y" and billing["retention_reason"].startswith("UK tax law")


# --- step 4: processors -------------------------------------------------------------------------------

def _registrar_ids():
    return [p.id for p in CAT.processors.values() if p.group == "registrars"]


def test_processors_registry_questions_only_for_domain_sellers(client):
    assert _registrar_ids()
    token = new_draft(client)
    submit(client, token, "services", {"services": ["shared_hosting"]})
    html = text(client.get(url(token, "processors")))
    assert "Domain registrars and registries" not in html
    assert f'value="{_registrar_ids()[0]}"' not in html
    assert "You don't sell domains" in html
    submit(client, token, "services", {"services": ["shared_hosting", "domains"]})
    html = text(client.get(url(token, "processors")))
    assert "Domain registrars and registries" in html and f'value="{_registrar_ids()[0]}"' in html
    assert "because you sell" in html and "Domain registration" in html  # suggested by the service


def test_processors_valid_post_with_catalogue_and_custom(client, allru_answers):
    token = new_draft(client, allru_answers)
    picked = [pid for pid in ("tucows_opensrs", "stripe") if pid in CAT.processors]
    response = submit(client, token, "processors", {
        "processors": picked,
        "custom-0-name": "Acme Backup GmbH", "custom-0-purpose": "offsite backups", "custom-0-country": "DE",
        "custom-0-data": ["backups"], "custom-0-privacy_url": "acme.example/privacy", "custom-0-safeguard": "",
    })
    assert response["Location"] == url(token, "cookies"), text(response)
    refs = saved(token)["processors"]
    # the owner's order: the processor already chosen keeps its place, the new one follows
    assert [r["id"] for r in refs if "id" in r] == ["tucows_opensrs", "stripe"]
    assert refs[-1] == {"name": "Acme Backup GmbH", "purpose": "offsite backups", "country": "DE", "data": ["backups"],
                        "privacy_url": "https://acme.example/privacy"}
    html = text(client.get(url(token, "processors")))
    assert "What you share, with whom, and where" in html and "Acme Backup GmbH" in html and "Germany" in html
    assert load_document(saved(token)).ok


def test_processors_invalid_custom_row(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = submit(client, token, "processors", {"custom-0-name": "Acme", "custom-0-privacy_url": "javascript:alert(1)"})
    html = text(response)
    assert response.status_code == 200
    assert "Say what you use this processor for." in html
    assert "Choose the country where the processor is established." in html
    assert "Choose at least one kind of data it receives." in html
    assert "privacy policy address" in html


def test_processors_list_shows_data_and_where_for_each(client, allru_answers):
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "processors")))
    tucows = CAT.processors["tucows_opensrs"]
    item = re.search(r'data-filter-text="[^"]*tucows[^"]*".*?</li>', html, re.S).group(0)
    assert "Receives: Domain registration details" in item and "Where: Canada" in item
    assert tucows.privacy_url in item
    assert "data-filter-scope" in html  # the script adds type-ahead here; the list works without it


# --- step 5: cookies ----------------------------------------------------------------------------------

def _processor_with_cookies():
    return next((p for p in CAT.processors.values() if p.cookies), None)


def test_cookies_processor_list_only_when_processors_set_cookies(client, allru_answers):
    allru_answers["processors"] = [{"id": "tucows_opensrs"}]
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "cookies")))
    assert "Cookies your processors set" not in html
    proc = _processor_with_cookies()
    assert proc is not None
    allru_answers["processors"].append({"id": proc.id})
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "cookies")))
    assert "Cookies your processors set" in html
    for cookie in proc.cookies:
        assert cookie.name in html
    # read-only: no input carries the processor's cookie names
    assert not re.search(rf'<input[^>]*value="{re.escape(proc.cookies[0].name)}"', html)


def test_cookies_valid_post(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = submit(client, token, "cookies", {
        "banner": None,
        "cookie-1-name": "remember_me", "cookie-1-purpose": "preferences", "cookie-1-duration": "14 days",
    })
    assert response["Location"] == url(token, "retention"), text(response)
    c = saved(token)["cookies"]
    assert c["banner"] is False
    assert c["items"] == [
        {"name": "session_id", "purpose": "strictly_necessary", "duration": "session"},
        {"name": "remember_me", "purpose": "preferences", "duration": "P14D"},
    ]
    # Removing a row.
    submit(client, token, "cookies", {"cookie-0-DELETE": "on"})
    assert [i["name"] for i in saved(token)["cookies"]["items"]] == ["remember_me"]


def test_cookies_invalid_rows(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = submit(client, token, "cookies", {"cookie-1-name": "tracker", "cookie-1-duration": "a while"})
    html = text(response)
    assert response.status_code == 200
    assert "Choose what the cookie is for." in html
    assert "Enter a period such as" in html
    assert 'id="id_cookie-1-duration_error"' in html and 'aria-describedby="id_cookie-1-duration_helptext id_cookie-1-duration_error"' in html


def test_cookies_save_and_add_more_rows_stays(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = submit(client, token, "cookies", {"cookie-1-name": "a", "cookie-1-purpose": "analytics",
                                                 "cookie-1-duration": "1 year"}, nav="stay")
    assert response["Location"] == url(token, "cookies")
    form = page_form(text(client.get(url(token, "cookies"))))
    assert form["cookie-TOTAL_FORMS"] == ["4"]  # two saved rows and two empty ones


# --- step 6: retention --------------------------------------------------------------------------------

def test_retention_one_row_per_category_prefilled_from_catalogue(client):
    token = new_draft(client)
    submit(client, token, "data", {"categories": ["account", "billing", "server_logs"]})
    html = text(client.get(url(token, "retention")))
    form = page_form(html)
    assert form["retention-TOTAL_FORMS"] == ["3"]
    assert form["retention-0-data_id"] == ["account"] and form["retention-0-retention"] == ["while active"]
    assert form["retention-1-retention"] == ["6 years"]
    assert form["retention-2-retention"] == ["12 weeks"]
    assert form["retention-1-retention_reason"][0] == CAT.data_categories["billing"].retention_reason
    response = submit(client, token, "retention", {"retention-2-retention": "P90D"})
    assert response["Location"] == url(token, "jurisdictions")
    data = saved(token)["data"]
    assert [d["retention"] for d in data] == ["while_active", "P6Y", "P90D"]
    assert data[0]["retention_after"] == "P30D" and data[0]["retention_starts"] == "your account is closed"


def test_retention_invalid_and_indefinite_warning(client):
    token = new_draft(client)
    submit(client, token, "data", {"categories": ["account", "billing"]})
    response = submit(client, token, "retention", {"retention-1-retention": "a long time"})
    assert response.status_code == 200 and "Enter a period such as" in text(response)
    response = submit(client, token, "retention", {"retention-1-retention": "", "retention-0-retention": "P1Y"})
    assert "Billing and payment records: How long you keep it" in text(response)
    assert "Enter how long you keep billing and payment records." in text(response)
    response = submit(client, token, "retention", {"retention-0-retention": "while active",
                                                  "retention-1-retention": "indefinitely"})
    assert response.status_code == 302
    assert saved(token)["data"][1]["retention"] == "indefinite"
    html = text(client.get(url(token, "retention")))
    assert "with no end date" in html and "indefinite-warning" in html


def test_retention_fixed_period_with_a_period_after_and_an_event(client):
    """Issue 11, item 2: what the contract accepts, the form accepts; errors name the row's data."""
    token = new_draft(client)
    submit(client, token, "data", {"categories": ["account", "billing"]})
    response = submit(client, token, "retention", {"retention-1-retention": "6 years", "retention-1-retention_after": "1 year"})
    assert response.status_code == 302
    assert saved(token)["data"][1]["retention"] == "P6Y" and saved(token)["data"][1]["retention_after"] == "P1Y"
    response = submit(client, token, "retention", {"retention-1-retention_after": "service termination",
                                                  "retention-1-retention_starts": ""})
    assert response.status_code == 302
    billing = saved(token)["data"][1]
    assert billing["retention_starts"] == "service termination" and "retention_after" not in billing
    response = submit(client, token, "retention", {"retention-1-retention_after": "while active"})
    html = text(response)
    assert "Billing and payment records: Then kept for this long after that" in html and "Data 2" not in html


def test_retention_step_skipped_when_no_data_is_collected(client):
    token = new_draft(client)
    assert "first say which data you collect" in text(client.get(url(token, "retention")))  # not answered yet
    response = submit(client, token, "data", {"categories": []})
    assert response["Location"] == url(token, "processors")
    assert saved(token)["data"] == []
    response = client.get(url(token, "retention"))
    assert response.status_code == 302 and response["Location"] == url(token, "jurisdictions")
    html = text(client.get(url(token, "cookies")))
    assert "not needed" in html  # shown as skipped in the step list
    # and "Save and continue" on cookies goes straight on to the laws, "Back" from the laws to cookies
    response = submit(client, token, "cookies", {})
    assert response["Location"] == url(token, "jurisdictions")
    response = submit(client, token, "jurisdictions", {"js": "1"}, nav="back")
    assert response["Location"] == url(token, "cookies")


# --- step 7: jurisdictions and transfers ---------------------------------------------------------------

@pytest.mark.parametrize("country,law", [("GB", "uk"), ("DE", "eu"), ("FR", "eu"), ("NO", "eu"), ("CH", "ch"), ("US", "us_ca"),
                                         ("BR", "br"), ("CA", "ca"), ("RU", "ru"), ("AU", "au")])
def test_laws_suggested_from_country(country, law):
    assert applicability.laws_suggested(country, CAT) == [law]


def test_jurisdictions_prefilled_from_country(client):
    token = new_draft(client)
    business_done(client, token)
    form = page_form(text(client.get(url(token, "jurisdictions"))))
    assert form["jurisdictions"] == ["uk"] and form["storage_locations"] == ["GB"]


def test_jurisdictions_safeguards_only_when_data_leaves(client, allru_answers):
    allru_answers["processors"] = []
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "jurisdictions")))
    assert "hidden" in re.search(r"<div[^>]*data-transfer-section[^>]*>", html).group(0)
    response = submit(client, token, "jurisdictions", {"jurisdictions": ["uk"], "storage_locations": ["GB", "DE"], "js": "1"})
    assert response["Location"] == url(token, "rights")
    assert "transfers" not in saved(token)
    # Storage in the US: without the script the page asks again, now with the safeguards.
    response = submit(client, token, "jurisdictions", {"storage_locations": ["GB", "US"], "js": ""})
    assert response["Location"] == url(token, "jurisdictions")
    html = text(client.get(url(token, "jurisdictions")))
    assert "hidden" not in re.search(r"<div[^>]*data-transfer-section[^>]*>", html).group(0)
    assert "please say below how those transfers are protected" in html
    response = submit(client, token, "jurisdictions", {"safeguards": ["scc", "dpf"]})
    assert response["Location"] == url(token, "rights")
    assert saved(token)["transfers"] == {"safeguards": ["scc", "dpf"]}
    assert saved(token)["storage_locations"] == ["GB", "US"]


def test_jurisdictions_processor_abroad_triggers_safeguards(client, allru_answers):
    token = new_draft(client, allru_answers)  # Tucows is in Canada
    html = text(client.get(url(token, "jurisdictions")))
    assert "hidden" not in re.search(r"<div[^>]*data-transfer-section[^>]*>", html).group(0)
    assert "Your processors send data to" in html and "Canada" in html


def test_jurisdictions_registrations(client, allru_answers):
    token = new_draft(client, allru_answers)
    submit(client, token, "jurisdictions", {"registrations": ["ico"], "js": "1"})
    assert saved(token)["registrations"] == ["ico"]
    assert load_document(saved(token)).ok
    submit(client, token, "jurisdictions", {"registrations": None, "js": "1"})
    assert "registrations" not in saved(token)


def test_jurisdictions_invalid(client):
    token = new_draft(client)
    response = submit(client, token, "jurisdictions", {"jurisdictions": [], "storage_locations": [], "js": "1"})
    html = text(response)
    assert "Choose at least one law." in html and "Choose at least one country where personal data is stored." in html
    assert 'aria-describedby="id_storage_locations_error"' in html


# --- step 8: rights -------------------------------------------------------------------------------------

def test_rights_valid(client):
    token = new_draft(client)
    response = submit(client, token, "rights", {
        "request_channels": ["email", "control_panel"], "control_panel_url": "https://my.all-ru.net",
        "measures": ["tls", "mfa_for_staff"], "other_measures": "DDoS filtering\n", "breach_notice_hours": "72",
        "notice_days": "14", "notify_by": ["email"], "effective_date": "2026-12-01", "paper": "Letter",
    })
    assert response["Location"] == url(token, "review"), text(response)
    a = saved(token)
    assert a["rights"] == {"response_days": 30, "request_channels": ["email", "control_panel"]}
    assert a["control_panel_url"] == "https://my.all-ru.net"
    assert a["security"] == {"measures": ["tls", "mfa_for_staff", "DDoS filtering"], "breach_notice_hours": 72}
    assert a["changes"] == {"notice_days": 14, "notify_by": ["email"]}
    assert a["children"] == {"min_age": 16}
    assert a["policy"] == {"effective_date": "2026-12-01", "paper": "Letter", "language": "en"}


def test_rights_invalid(client):
    token = new_draft(client)
    response = submit(client, token, "rights", {"request_channels": ["control_panel"], "control_panel_url": "",
                                               "response_days": "200", "notice_days": "soon"})
    html = text(response)
    assert "Enter at most 90 days" in html and "Enter a whole number of days, like 30." in html


# --- going back, pending input -----------------------------------------------------------------------

def test_back_saves_valid_input(client):
    token = new_draft(client)
    response = submit(client, token, "services", {"services": ["vps"]}, nav="back")
    assert response["Location"] == url(token, "business")
    assert saved(token)["services"] == ["vps"]


def test_back_with_invalid_input_keeps_what_was_typed(client):
    token = new_draft(client)
    business_done(client, token)
    response = submit(client, token, "business", {"legal_name": "All-Ru Limited", "contact_email": "oops"}, nav="back")
    # business is the first step: back stays here, nothing lost
    assert response["Location"] == url(token, "business")
    submit(client, token, "services", {"services": ["vps"]})
    response = submit(client, token, "data", {"categories": ["account"], "custom-0-name": "Half typed"}, nav="back")
    assert response["Location"] == url(token, "services")
    html = text(client.get(url(token, "data")))
    assert 'value="Half typed"' in html and "not saved yet" in html
    assert "Choose at least one reason you use this data." in html
    # and the business page still shows the typed, unsaved values
    html = text(client.get(url(token, "business")))
    assert 'value="All-Ru Limited"' in html and 'value="oops"' in html
    assert saved(token)["business"]["legal_name"] == "All-Ru Ltd"
    # Discarding returns to the saved answers.
    client.post(url(token, "business"), {"nav": "discard"})
    assert 'value="All-Ru Ltd"' in text(client.get(url(token, "business")))


# --- the whole wizard -------------------------------------------------------------------------------

def test_complete_walkthrough_makes_valid_answers(client):
    token = new_draft(client)
    business_done(client, token)
    submit(client, token, "services", {"services": ["shared_hosting", "domains", "ssl_certificates"]})
    submit(client, token, "data", {})  # the suggested data as preselected
    picked = [p for p in ("tucows_opensrs", "geotrust") if p in CAT.processors]
    submit(client, token, "processors", {"processors": picked})
    submit(client, token, "cookies", {"cookie-0-name": "session_id", "cookie-0-purpose": "strictly_necessary",
                                      "cookie-0-duration": "session", "banner": "on"})
    submit(client, token, "retention", {})
    submit(client, token, "jurisdictions", {"jurisdictions": ["uk", "eu"], "storage_locations": ["GB"], "safeguards": ["scc"], "js": "1"})
    response = submit(client, token, "rights", {})
    assert response["Location"] == url(token, "dpa")  # shared hosting stores customers' data: the DPA step
    response = submit(client, token, "dpa", {})
    assert response["Location"] == url(token, "review")
    result = load_document(saved(token))
    assert result.ok, result.errors
    assert result.answers.business.legal_name == "All-Ru Ltd"
    # the DPA's defaults are left to the contract (generator.answers.model.Dpa); saving the step confirms them (counsel, m7)
    # and the measures on customers' data, none ticked in the security step here, are an answer (round 2, M3)
    assert saved(token)["dpa"] == {"terms_confirmed": True, "measures": []}
    assert result.answers.dpa.subprocessor_notice_days == 30 and result.answers.dpa.acceptance == "online"
    for step in steps.STEPS[:-1]:
        assert step.is_done(saved(token)), step.slug


def test_every_page_is_csp_clean_and_labelled(client, allru_answers):
    token = new_draft(client, allru_answers)
    pages = ["/", *[url(token, s.slug) for s in steps.STEPS]]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = text(response)
        assert not re.search(r"\sstyle=", html), path
        assert "<style" not in html, path
        for script in re.findall(r"<script[^>]*>", html):
            assert "src=" in script, (path, script)
        for ref in re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html):
            assert ref.startswith("/static/"), (path, ref)  # nothing from a CDN
        assert "script-src 'self'" in response["Content-Security-Policy"]
        # every visible input, select and textarea has a label (or is inside a labelled fieldset for checkboxes)
        ids_with_label = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if re.search(r'type="(hidden|submit|button)"', tag):
                continue
            ident = re.search(r'id="([^"]+)"', tag)
            assert ident and ident.group(1) in ids_with_label, (path, tag)


def test_static_files_are_local(client):
    html = text(client.get("/"))
    assert '/static/vendor/bootstrap/bootstrap.min.css' in html
    assert (ROOT / "static/vendor/bootstrap/bootstrap.min.css").stat().st_size > 100_000
    assert (ROOT / "static/vendor/bootstrap/LICENSE").exists()
    assert (ROOT / "static/wizard/wizard.js").exists()


# --- answers YAML: download and upload --------------------------------------------------------------

def test_answers_yaml_download_at_any_step(client):
    token = new_draft(client)
    business_done(client, token)
    response = client.get(f"/d/{token}/answers.yaml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/yaml")
    assert "attachment" in response["Content-Disposition"]
    doc = yaml.safe_load(response.content)
    assert doc["format"] == "privacy-policy-answers/1"
    assert doc["business"]["legal_name"] == "All-Ru Ltd" and doc["business"]["company_number"] == "09775671"
    assert list(doc)[:2] == ["format", "business"]
    assert 'href="/d/%s/answers.yaml"' % token in text(client.get(url(token, "services")))


def test_upload_valid_yaml_starts_a_draft(client, allru_answers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("privacy.yaml", yaml.safe_dump(allru_answers).encode(), content_type="application/yaml")
    response = client.post("/upload/", {"answers_file": upload})
    assert response.status_code == 302
    token = re.fullmatch(r"/d/([A-Za-z0-9_-]{43})/review/", response["Location"]).group(1)
    assert saved(token)["business"]["legal_name"] == "All-Ru Ltd"
    assert load_document(saved(token)).ok


def test_upload_then_download_round_trips(client, allru_answers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    token = new_draft(client, allru_answers)
    downloaded = client.get(f"/d/{token}/answers.yaml").content
    response = client.post("/upload/", {"answers_file": SimpleUploadedFile("a.yaml", downloaded)})
    assert response.status_code == 302
    other = response["Location"].split("/")[2]
    assert saved(other) == saved(token)


def test_upload_invalid_yaml_lists_errors_with_paths(client, allru_answers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    allru_answers["business"]["country"] = "Germany"
    allru_answers["data"][1]["retention"] = "six years"
    del allru_answers["business"]["legal_name"]
    upload = SimpleUploadedFile("privacy.yaml", yaml.safe_dump(allru_answers).encode())
    response = client.post("/upload/", {"answers_file": upload})
    html = text(response)
    assert response.status_code == 200
    assert "<code>business.country</code>" in html and "is not an ISO 3166-1 alpha-2 code" in html
    assert "<code>data[1].retention</code>" in html
    assert "<code>business.legal_name</code>: this field is required" in html
    assert Draft.objects.count() == 0


def test_upload_broken_yaml_and_no_file(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/upload/", {"answers_file": SimpleUploadedFile("x.yaml", b"business: [unclosed")})
    assert "not valid YAML" in text(response)
    response = client.post("/upload/", {})
    assert "Choose an answers file to upload." in text(response)
    assert Draft.objects.count() == 0


# --- review, downloads, publishing ---------------------------------------------------------------------

def test_review_lists_missing_answers_with_links_to_steps(client):
    token = new_draft(client)
    business_done(client, token)
    html = text(client.get(url(token, "review")))
    assert "Your answers are not complete yet" in html
    # plain words in step order, one line a step (issue 11, item 6), no schema paths
    listed = re.findall(r'<li><a href="/d/[^/]+/([a-z]+)/">([^<]+)</a>: ([^<]*)</li>', html)
    assert [slug for slug, _, _ in listed] == ["services", "data", "processors", "cookies", "jurisdictions"]
    assert listed[0][1:] == ("Your services", "not answered yet.")
    assert "this field is required" not in html and "storage_locations" not in html and "<code>" not in html
    assert client.get(f"/d/{token}/download/pdf/").status_code == 404  # nothing to download yet


def test_review_errors_map_to_steps():
    assert steps.step_for_path("data[2].retention") == "retention"
    assert steps.step_for_path("data[2].id") == "data"
    assert steps.step_for_path("business.country") == "business"
    assert steps.step_for_path("transfers.safeguards[0]") == "jurisdictions"
    assert steps.step_for_path("control_panel_url") == "rights"
    assert steps.step_for_path("(document)") == "business"


def test_review_shows_preview_report_and_downloads(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = client.get(url(token, "review"))
    html = text(response)
    assert response.status_code == 200
    assert "Compliance report" in html and "Preview" in html
    assert "All-Ru" in html
    for fmt in ("pdf", "html", "markdown", "snippet", "json"):
        assert f'href="/d/{token}/download/{fmt}/"' in html
    assert 'id="snippet"' in html and 'data-copy-target="snippet"' in html
    assert not re.search(r"\sstyle=", html)


def test_review_report_links_back_to_the_step_that_fixes_a_gap(client, allru_answers):
    # All-Ru is a UK company serving the EU with no EU representative: GDPR Art. 27 is open.
    assert "eu" in allru_answers["jurisdictions"] and "eu_representative" not in allru_answers["business"]
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "review")))
    gap = re.search(r'<li class="[^"]*report-item[^"]*"[^>]*>(?:(?!</li>).)*Art\. 27(?:(?!</li>).)*</li>', html, re.S)
    assert gap, "the missing EU representative is not reported"
    assert f'<a href="/d/{token}/business/">Fix this in the step “Your business”</a>' in gap.group(0)
    assert "Name an EU representative" in gap.group(0)

    allru_answers["business"]["eu_representative"] = {
        "name": "EU-Rep Ltd", "address": "1 Rue de la Loi, 1000 Brussels, Belgium", "email": "rep@eurep.example",
    }
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "review")))
    assert "Name an EU representative" not in html
    assert "Our representative in the European Union" in html


def test_review_real_report_links_only_to_real_steps(client, allru_answers):
    allru_answers["data"][1]["retention"] = "indefinite"
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "review")))
    assert "Compliance report" in html
    for link in re.findall(r'<a href="(/d/[^"]+/)">Fix this in the step', html):
        assert link.split("/")[3] in steps.SLUGS


@pytest.mark.django_db(transaction=True)  # the PDF worker closes its connection between tasks
@pytest.mark.parametrize("fmt", ["pdf", "html", "markdown", "snippet", "json"])
def test_downloads(client, allru_answers, fmt, settings, tmp_path):
    settings.HOSTPOLICY_CACHE_DIR = tmp_path  # nothing rendered before
    token = new_draft(client, allru_answers)
    response = client.get(f"/d/{token}/download/{fmt}/")
    if fmt == "pdf":  # rendered by the task worker (generator.tasks): the page waits, then the file comes
        from django.core.management import call_command

        assert response.status_code == 202
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        response = client.get(f"/d/{token}/download/{fmt}/")
    assert response.status_code == 200
    body = response.content
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    if fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        assert b"Ru Ltd" in body  # Markdown escapes the hyphen of All-Ru


def test_publish_and_diff_versions(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = client.post(f"/d/{token}/publish/")
    assert response.status_code == 302 and response["Location"] == f"/d/{token}/versions/1/"
    version = PublishedVersion.objects.get()
    assert version.number == 1 and version.answers == saved(token)
    # change something, publish again, compare
    submit(client, token, "rights", {"response_days": "14"})
    client.post(f"/d/{token}/publish/")
    html = text(client.get(f"/d/{token}/versions/2/"))
    assert "What changed since version 1" in html
    assert "<code>rights.response_days</code>" in html and ">30<" in html and ">14<" in html
    html = text(client.get(f"/d/{token}/versions/?from=1&to=2"))
    assert "rights.response_days" in html
    assert services.diff_answers(version.answers, version.answers) == []
    yaml_v1 = yaml.safe_load(client.get(f"/d/{token}/versions/1/answers.yaml").content)
    assert yaml_v1["rights"]["response_days"] == 30


def test_swapping_a_processor_shows_the_changed_policy_text(client, allru_answers):
    token = new_draft(client, allru_answers)
    client.post(f"/d/{token}/publish/")
    draft = Draft.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
    answers = copy.deepcopy(draft.answers)
    answers["processors"] = [{"id": "tucows_opensrs"}, {"id": "zendesk"}]  # GeoTrust out, Zendesk in
    services.draft_save_answers(draft, answers)

    review = text(client.get(url(token, "review")))
    assert "Changes since version 1" in review and "How the policy text changed" in review
    client.post(f"/d/{token}/publish/")
    html = text(client.get(f"/d/{token}/versions/2/"))
    removed = re.findall(r'<li class="wording-removed"><del>(.*?)</del></li>', html, re.S)
    added = re.findall(r'<li class="wording-added"><ins>(.*?)</ins></li>', html, re.S)
    assert any("GeoTrust" in line for line in removed), removed
    assert any("Zendesk" in line for line in added), added
    assert not any(line.split("</span>")[-1].startswith("Tucows") for line in removed + added)  # unchanged rows stay out


def test_sources_page_traces_each_passage_to_its_seed(client, allru_answers):
    token = new_draft(client, allru_answers)
    assert f'href="/d/{token}/sources/"' in text(client.get(url(token, "review")))
    html = text(client.get(f"/d/{token}/sources/"))
    assert "<code>who_we_are.company_number</code>" in html
    assert "We are registered in the United Kingdom under company number 09775671." in html
    assert "All-Ru (UK hosting company)" in html and "<q>(number of company 09775671)</q>" in html
    assert "Vetting: Kept the seed&#x27;s company-number disclosure" in html


def test_sources_page_needs_complete_answers(client):
    token = new_draft(client)
    response = client.get(f"/d/{token}/sources/", follow=True)
    assert response.redirect_chain[-1][0] == f"/d/{token}/review/"
    assert "no policy to trace" in text(response)


def test_publish_refuses_incomplete_answers(client):
    token = new_draft(client)
    response = client.post(f"/d/{token}/publish/", follow=True)
    assert "nothing was published" in text(response)
    assert PublishedVersion.objects.count() == 0


def test_diff_keys_lists_by_id():
    old = {"processors": [{"id": "stripe"}, {"id": "paypal"}], "data": [{"id": "account", "retention": "P1Y"}]}
    new = {"processors": [{"id": "paypal"}, {"id": "stripe"}, {"id": "mollie"}], "data": [{"id": "account", "retention": "P2Y"}]}
    rows = services.diff_answers(old, new)
    assert ("data[account].retention", "changed", "P1Y", "P2Y") in rows
    assert ("processors[mollie].id", "added", "", "mollie") in rows
    assert len(rows) == 2


# --- durations as people type them ---------------------------------------------------------------------

@pytest.mark.parametrize("typed,stored", [
    ("6 years", "P6Y"), ("P6Y", "P6Y"), ("p12w", "P12W"), ("12 weeks", "P12W"), ("30 days", "P30D"),
    ("1 year 6 months", "P1Y6M"), ("1 year and 6 months", "P1Y6M"), ("30 minutes", "PT30M"), ("session", "session"),
    ("while active", "while_active"), ("indefinitely", "indefinite"), ("a while", None), ("6 parsecs", None), ("", None),
])
def test_duration_input(typed, stored):
    assert step_base.parse_duration_input(typed) == stored
    if stored:
        assert step_base.parse_duration_input(step_base.format_duration_input(stored)) == stored


# --- restart the server in the middle of the wizard ---------------------------------------------------

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Session:
    """A minimal browser over urllib: cookies, CSRF token from the page, no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), self._NoRedirect)

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=10) as r:
                return r.status, r.read().decode(), r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), e.headers

    def post(self, path, fields):
        status, html, _ = self.get(path)
        data = page_form(html) if "wizard-form" in html else {}
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data.update({k: (v if isinstance(v, list) else [v]) for k, v in fields.items()})
        data["csrfmiddlewaretoken"] = [csrf]
        body = urllib.parse.urlencode([(k, v) for k, vs in data.items() for v in vs]).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=10) as r:
                return r.status, r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.headers


def _start_server(db_path, port):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", DEBUG="false", ALLOWED_HOSTS="127.0.0.1,localhost",
               PYTHONUNBUFFERED="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not start")


def _stop_server(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # a hard stop, like a crash: nothing gets flushed on the way out
        proc.wait(timeout=10)


def test_server_restart_in_the_middle_of_the_wizard(tmp_path):
    db_path = tmp_path / "wizard.sqlite3"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    port = _free_port()
    server = _start_server(db_path, port)
    try:
        browser = _Session(f"http://127.0.0.1:{port}")
        assert browser.get("/")[0] == 200
        # start a draft (the landing form), then fill two steps
        status, html, _ = browser.get("/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        request = urllib.request.Request(browser.base + "/start/", data=urllib.parse.urlencode({"csrfmiddlewaretoken": csrf}).encode(),
                                         headers={"Referer": browser.base + "/"})
        try:
            browser.opener.open(request, timeout=10)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as e:
            assert e.code == 302
            location = e.headers["Location"]
        token = re.search(r"/d/([A-Za-z0-9_-]{43})/", location).group(1)
        status, headers = browser.post(f"/d/{token}/business/", {**BUSINESS_OK, "js": "1", "nav": "next"})
        assert status == 302 and headers["Location"].endswith("/services/")
        status, headers = browser.post(f"/d/{token}/services/", {"services": ["shared_hosting", "domains"], "nav": "next"})
        assert status == 302 and headers["Location"].endswith("/data/")
    finally:
        _stop_server(server)

    port = _free_port()
    server = _start_server(db_path, port)
    try:
        fresh = _Session(f"http://127.0.0.1:{port}")  # a new browser too: only the secret link survives
        status, html, _ = fresh.get(f"/d/{token}/business/")
        assert status == 200
        assert 'value="All-Ru Ltd"' in html and 'value="support@all-ru.net"' in html
        status, html, _ = fresh.get(f"/d/{token}/services/")
        form = page_form(html)
        assert form["services"] == ["shared_hosting", "domains"]
        status, html, _ = fresh.get(f"/d/{token}/data/")
        assert "domain_registrant" in page_form(html)["categories"]  # continues from where it stopped
        assert fresh.get(f"/d/{secrets.token_urlsafe(32)}/business/")[0] == 404
    finally:
        _stop_server(server)
