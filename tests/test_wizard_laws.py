"""The wizard asks what each law needs (issue 8): the German Land and Quebec, representatives with
their exemptions and countries, processors' contracting entities, the California opt-out page,
Quebec's transfer assessment and governance policy, the deadline each law prints, and review links.

Through Django's test client, in the style of test_wizard.py: `submit()` posts a step's form back as
a browser would, and each test asserts the saved answers and, where it matters, the policy text.
"""
import copy
import re

import pytest

from generator.answers import load_document
from generator.library import get_catalogues
from generator.laws import applicability
from generator.web import catalogue as cat_
from generator.web import steps
from tests.test_wizard import BUSINESS_OK, new_draft, page_form, saved, submit, text, url

pytestmark = pytest.mark.django_db

CAT = get_catalogues()
MUNICH = "Marienplatz 1, 80331 München, Germany"
HAMBURG = "Ludwig-Erhard-Straße 22, 20459 Hamburg, Germany"
STRADDLING = "Hauptstraße 1, 07919 Pausa, Germany"  # 07919 is shared by Saxony and Thuringia


def policy_markdown(client, token):
    response = client.get(f"/d/{token}/download/markdown/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def german(answers, address=MUNICH, **business):
    answers["business"].update(country="DE", address=address, **business)
    answers["jurisdictions"] = ["eu"]
    answers["storage_locations"] = ["DE"]
    return answers


def tag(html, pattern):
    match = re.search(pattern, html)
    assert match, pattern
    return match.group(0)


# --- business: the German Land ----------------------------------------------------------------------

def test_land_offers_the_sixteen_lander_from_the_catalogue():
    choices = dict(cat_.land_choices(CAT))
    assert len(choices) == 16
    assert choices["DE-BY"] == "Bavaria" and choices["DE-HH"] == "Hamburg" and choices["DE-TH"] == "Thuringia"
    # every Land offered has the authority the policy will name
    assert set(choices) == {a.region for a in CAT.authorities if a.country == "DE" and a.region}


def test_land_prefilled_from_the_postcode_and_followed(client, allru_answers):
    token = new_draft(client, german(allru_answers))
    html = text(client.get(url(token, "business")))
    assert "hidden" not in tag(html, r'<div data-region-for="DE"[^>]*>')
    assert "hidden" in tag(html, r'<div data-region-for="CA"[^>]*>')
    form = page_form(html)
    assert form["region_de"] == ["DE-BY"] and form["region_suggested"] == ["DE-BY"]
    assert "Bavarian Data Protection Authority" in html  # the authority that Land gives
    # left as proposed: nothing explicit is saved, the Land follows the address...
    response = submit(client, token, "business", {"js": "1"})
    assert response.status_code == 302
    assert "region" not in saved(token)["business"]
    # ...even when the address changes in the same post as the (untouched) proposal
    submit(client, token, "business", {"address": HAMBURG, "js": "1"})
    assert "region" not in saved(token)["business"]
    assert page_form(text(client.get(url(token, "business"))))["region_de"] == ["DE-HH"]
    assert "complain to the [Hamburg Commissioner for Data Protection" in policy_markdown(client, token)


def test_land_chosen_against_the_postcode_is_saved_and_printed(client, allru_answers):
    token = new_draft(client, german(allru_answers))
    submit(client, token, "business", {"region_de": "DE-HE", "js": "1"})
    b = saved(token)["business"]
    assert b["region"] == "DE-HE"
    assert list(b).index("region") == list(b).index("country") + 1
    assert page_form(text(client.get(url(token, "business"))))["region_de"] == ["DE-HE"]
    assert "Hessian Commissioner for Data Protection" in policy_markdown(client, token)


@pytest.mark.parametrize("address,why", [
    (STRADDLING, "the postcode 07919 in your address does not tell which Land"),
    ("Hauptstraße 1, Pausa, Germany", "your address has no German postcode"),
])
def test_land_required_when_the_postcode_cannot_tell(client, allru_answers, address, why):
    token = new_draft(client, german(allru_answers, address=HAMBURG))
    response = submit(client, token, "business", {"address": address, "region_de": "", "js": "1"})
    html = text(response)
    assert response.status_code == 200
    assert "Choose the Land (federal state) where the business is established" in html and why in html
    assert 'id="id_region_de_error"' in html and 'href="#id_region_de"' in html  # next to the field and in the summary
    assert saved(token)["business"]["address"] == HAMBURG  # nothing half-saved
    response = submit(client, token, "business", {"address": address, "region_de": "DE-TH", "js": "1"})
    assert response.status_code == 302
    assert saved(token)["business"]["region"] == "DE-TH"
    assert f"complain to the [{cat_.land_authorities(CAT)['DE-TH'].name}]" in policy_markdown(client, token)


def test_land_question_appears_without_javascript_when_germany_is_chosen(client):
    token = new_draft(client)
    submit(client, token, "business", {**BUSINESS_OK, "js": "1"})  # GB
    html = text(client.get(url(token, "business")))
    assert "hidden" in tag(html, r'<div data-region-for="DE"[^>]*>')
    response = submit(client, token, "business", {"country": "DE", "address": MUNICH, "js": ""})
    assert response["Location"] == url(token, "business")  # asked again: the Land question was hidden
    html = text(client.get(url(token, "business")))
    assert "your supervisory authority depends on your Land" in html
    assert "hidden" not in tag(html, r'<div data-region-for="DE"[^>]*>')
    assert page_form(html)["region_de"] == ["DE-BY"]
    response = submit(client, token, "business", {})
    assert response["Location"] == url(token, "services")


def test_region_dropped_when_the_country_changes(client, allru_answers):
    token = new_draft(client, german(allru_answers, region="DE-HE"))
    submit(client, token, "business", {**BUSINESS_OK, "js": "1"})  # back to GB
    assert "region" not in saved(token)["business"]


def test_fields_the_business_step_does_not_ask_survive_it(client, allru_answers):
    allru_answers["business"]["dpo"] = {"name": "Jane Roe", "email": "dpo@all-ru.net", "country": "GB"}
    allru_answers["business"]["eu_representative"] = {"name": "EU-Rep Ltd", "address": "1 Main St, Dublin",
                                                      "email": "rep@eurep.example", "country": "IE"}
    token = new_draft(client, allru_answers)
    submit(client, token, "business", {"js": "1"})
    b = saved(token)["business"]
    assert b["dpo"]["country"] == "GB" and b["eu_representative"]["country"] == "IE"


# --- business: Canada ------------------------------------------------------------------------------

def test_quebec_or_elsewhere_in_canada(client, allru_answers):
    allru_answers["business"].update(country="CA", address="1000 rue Exemple, Montréal QC H2X 0A0")
    allru_answers["jurisdictions"] = ["ca"]
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "business")))
    assert "hidden" not in tag(html, r'<div data-region-for="CA"[^>]*>')
    assert page_form(html)["region_ca"] == ["other"]
    submit(client, token, "business", {"region_ca": "CA-QC", "js": "1"})
    assert saved(token)["business"]["region"] == "CA-QC"
    assert load_document(saved(token)).answers.business.region == "CA-QC"
    assert page_form(text(client.get(url(token, "business"))))["region_ca"] == ["CA-QC"]
    submit(client, token, "business", {"region_ca": "other", "js": "1"})
    assert "region" not in saved(token)["business"]


def test_another_province_from_an_uploaded_file_is_kept(client, allru_answers):
    allru_answers["business"].update(country="CA", region="CA-ON", address="1 King St W, Toronto ON")
    token = new_draft(client, allru_answers)
    submit(client, token, "business", {"js": "1"})
    assert saved(token)["business"]["region"] == "CA-ON"


# --- business: representatives ----------------------------------------------------------------------

def test_swiss_representative_shown_outside_switzerland(client):
    token = new_draft(client)
    submit(client, token, "business", {**BUSINESS_OK, "js": "1"})  # GB
    html = text(client.get(url(token, "business")))
    assert "hidden" not in tag(html, r'<fieldset[^>]*data-rep="ch"[^>]*>')
    assert 'data-rep-inside="CH"' in html  # the script hides it for a Swiss business
    submit(client, token, "business", {"ch_rep_name": "CH-Rep AG", "ch_rep_address": "Bahnhofstrasse 1, 8001 Zürich",
                                       "ch_rep_email": "rep@chrep.example", "ch_rep_country": "CH", "js": "1"})
    assert saved(token)["business"]["ch_representative"] == {
        "name": "CH-Rep AG", "address": "Bahnhofstrasse 1, 8001 Zürich", "email": "rep@chrep.example", "country": "CH"}
    submit(client, token, "business", {"country": "CH", "address": "Bahnhofstrasse 2, 8001 Zürich", "js": "1"})
    assert "ch_representative" not in saved(token)["business"]
    html = text(client.get(url(token, "business")))
    assert "hidden" in tag(html, r'<fieldset[^>]*data-rep="ch"[^>]*>')


def test_representative_country_is_limited_to_the_territory(client):
    token = new_draft(client)
    submit(client, token, "business", {**BUSINESS_OK, "country": "US", "js": "1"})
    html = text(client.get(url(token, "business")))
    eu = re.search(r'<select name="eu_rep_country".*?</select>', html, re.S).group(0)
    assert 'value="IE"' in eu and 'value="NO"' in eu and 'value="US"' not in eu and 'value="GB"' not in eu
    response = submit(client, token, "business", {"eu_rep_name": "EU-Rep Ltd", "eu_rep_address": "1 Main St, Dublin",
                                                  "eu_rep_email": "rep@eurep.example", "eu_rep_country": "US", "js": "1"})
    assert response.status_code == 200 and "Select a valid choice" in text(response)
    response = submit(client, token, "business", {"eu_rep_name": "EU-Rep Ltd", "eu_rep_address": "1 Main St, Dublin",
                                                  "eu_rep_email": "rep@eurep.example", "eu_rep_country": "IE", "js": "1"})
    assert response.status_code == 302
    assert saved(token)["business"]["eu_representative"]["country"] == "IE"


@pytest.mark.parametrize("law,prefix,cite", [
    ("eu", "eu_rep", "GDPR Art. 27(2)"), ("uk", "uk_rep", "UK GDPR Art. 27(2)"), ("ch", "ch_rep", "FADP Art. 14(1)"),
])
def test_representative_exemption_is_an_answer(client, law, prefix, cite):
    token = new_draft(client)
    submit(client, token, "business", {**BUSINESS_OK, "country": "US", "js": "1"})
    html = text(client.get(url(token, "business")))
    fieldset = re.search(rf'<fieldset[^>]*data-rep="{law}".*?</fieldset>', html, re.S).group(0)
    assert f'name="{prefix}_exempt"' in fieldset and cite in fieldset  # beside its fieldset, with its article
    submit(client, token, "business", {f"{prefix}_exempt": "on", "js": "1"})
    key = {"eu": "eu_representative", "uk": "uk_representative", "ch": "ch_representative"}[law]
    assert saved(token)["business"][f"{key}_exempt"] is True
    assert page_form(text(client.get(url(token, "business"))))[f"{prefix}_exempt"] == ["on"]
    # naming a representative as well contradicts the exemption
    response = submit(client, token, "business", {f"{prefix}_name": "Rep", f"{prefix}_address": "1 Street",
                                                  f"{prefix}_email": "rep@rep.example", "js": "1"})
    assert response.status_code == 200 and "untick the exemption" in text(response)
    submit(client, token, "business", {f"{prefix}_exempt": None, "js": "1"})
    assert f"{key}_exempt" not in saved(token)["business"]


def test_exemption_clears_the_representative_gap_on_review(client, allru_answers):
    token = new_draft(client, allru_answers)  # a UK business serving the EU, no EU representative
    html = text(client.get(url(token, "review")))
    assert "<code>business.eu_representative</code>" in html
    submit(client, token, "business", {"eu_rep_exempt": "on", "js": "1"})
    assert saved(token)["business"]["eu_representative_exempt"] is True
    html = text(client.get(url(token, "review")))
    assert "<code>business.eu_representative</code>" not in html


def test_exemption_dropped_when_no_representative_is_needed(client):
    token = new_draft(client)
    submit(client, token, "business", {**BUSINESS_OK, "uk_rep_exempt": "on", "js": "1"})  # GB: no UK representative
    assert "uk_representative_exempt" not in saved(token)["business"]


def test_swiss_representative_asked_again_without_javascript(client):
    token = new_draft(client)
    submit(client, token, "business", {**BUSINESS_OK, "country": "CH", "address": "Bahnhofstrasse 2, 8001 Zürich",
                                       "js": "1"})
    response = submit(client, token, "business", {"country": "US", "js": ""})
    assert response["Location"] == url(token, "business")
    html = text(client.get(url(token, "business")))
    assert "a Swiss representative" in html and "may require" in html


# --- data: the California opt-out page -------------------------------------------------------------

def californian(answers):
    answers["business"].update(country="US", address="1 Market St, San Francisco, CA 94105")
    answers["jurisdictions"] = ["us_ca"]
    answers["storage_locations"] = ["US"]
    answers["marketing"]["remarketing"] = True  # sharing for cross-context behavioral advertising
    return answers


def test_opt_out_url_is_asked_beside_selling_and_sharing(client, allru_answers):
    token = new_draft(client, californian(allru_answers))
    html = text(client.get(url(token, "data")))
    field = re.search(r'<input[^>]*name="opt_out_url"[^>]*>', html).group(0)
    assert 'type="url"' in field
    assert "California requires this page when you sell or share personal information" in html
    assert "sharing when you use remarketing" in html and "an advertising vendor" in html


def test_opt_out_url_saved_and_printed(client, allru_answers):
    token = new_draft(client, californian(allru_answers))
    review = text(client.get(url(token, "review")))
    item = re.search(r"<li><a href=\"([^\"]+)\">[^<]*</a>: <code>marketing.opt_out_url</code>", review)
    assert item and item.group(1) == url(token, "data")  # the unfinished item links to the step that asks it
    response = submit(client, token, "data", {"opt_out_url": "www.all-ru.net/do-not-sell"})
    assert response["Location"] == url(token, "processors"), text(response)
    assert saved(token)["marketing"]["opt_out_url"] == "https://www.all-ru.net/do-not-sell"  # https:// added
    assert page_form(text(client.get(url(token, "data"))))["opt_out_url"] == ["https://www.all-ru.net/do-not-sell"]
    markdown = policy_markdown(client, token)
    assert '"Do Not Sell or Share My Personal Information" page at' in markdown and "https://www.all-ru.net/do-not-sell" in markdown
    assert "<code>marketing.opt_out_url</code>" not in text(client.get(url(token, "review")))
    # emptied, it is left out of the answers again
    submit(client, token, "data", {"opt_out_url": ""})
    assert "opt_out_url" not in saved(token)["marketing"]


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "not a url", "https://"])
def test_opt_out_url_validated_like_other_urls(client, allru_answers, typed):
    token = new_draft(client, californian(allru_answers))
    response = submit(client, token, "data", {"opt_out_url": typed})
    html = text(response)
    assert response.status_code == 200
    assert "Enter a web address for your opt-out page starting with https://" in html
    assert 'id="id_opt_out_url_error"' in html
    assert "opt_out_url" not in saved(token)["marketing"]


# --- jurisdictions: Quebec --------------------------------------------------------------------------

def canadian(answers):
    answers["business"].update(country="CA", region="CA-QC", address="1000 rue Exemple, Montréal QC H2X 0A0")
    answers["jurisdictions"] = ["ca"]
    answers["storage_locations"] = ["CA"]
    return answers


def test_quebec_questions_only_with_canada(client, allru_answers):
    token = new_draft(client, allru_answers)  # uk, eu
    html = text(client.get(url(token, "jurisdictions")))
    assert "hidden" in tag(html, r"<fieldset[^>]*data-quebec-section[^>]*>")
    token = new_draft(client, canadian(copy.deepcopy(allru_answers)))
    html = text(client.get(url(token, "jurisdictions")))
    assert "hidden" not in tag(html, r"<fieldset[^>]*data-quebec-section[^>]*>")
    assert 'name="quebec_assessment"' in html and 'name="quebec_governance_policy"' in html
    assert "s. 17" in html and "s. 3.2" in html


def test_quebec_answers_saved_and_printed(client, allru_answers):
    token = new_draft(client, canadian(allru_answers))
    markdown = policy_markdown(client, token)
    assert "Before we communicate personal information outside Quebec" not in markdown
    assert "Our rules for governing personal information" not in markdown
    response = submit(client, token, "jurisdictions", {"quebec_assessment": "on", "quebec_governance_policy": "on",
                                                       "safeguards": ["scc"], "js": "1"})
    assert response["Location"] == url(token, "rights"), text(response)
    a = saved(token)
    assert a["transfers"]["quebec_assessment"] is True and a["quebec_governance_policy"] is True
    assert load_document(a).ok
    markdown = policy_markdown(client, token)
    assert "Before we communicate personal information outside Quebec, we assess" in markdown
    assert "Our rules for governing personal information" in markdown
    form = page_form(text(client.get(url(token, "jurisdictions"))))
    assert form["quebec_assessment"] == ["on"] and form["quebec_governance_policy"] == ["on"]
    # unticked, or Canada dropped: left out of the answers
    submit(client, token, "jurisdictions", {"quebec_assessment": None, "js": "1"})
    assert "quebec_assessment" not in saved(token).get("transfers", {}) and saved(token)["quebec_governance_policy"] is True
    submit(client, token, "jurisdictions", {"jurisdictions": ["uk"], "js": "1"})
    assert "quebec_governance_policy" not in saved(token)


def test_quebec_questions_asked_again_without_javascript(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = submit(client, token, "jurisdictions", {"jurisdictions": ["uk", "eu", "ca"], "safeguards": ["scc"], "js": ""})
    assert response["Location"] == url(token, "jurisdictions")
    html = text(client.get(url(token, "jurisdictions")))
    assert "please answer the questions about Quebec below" in html
    assert "hidden" not in tag(html, r"<fieldset[^>]*data-quebec-section[^>]*>")
    response = submit(client, token, "jurisdictions", {"quebec_assessment": "on"})
    assert response["Location"] == url(token, "rights")
    assert saved(token)["transfers"]["quebec_assessment"] is True


def test_roskomnadzor_transfer_notice_is_a_registration(client, allru_answers):
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "jurisdictions")))
    assert 'value="roskomnadzor_transfers"' in html and "152-FZ Art. 12" in html
    submit(client, token, "jurisdictions", {"registrations": ["roskomnadzor", "roskomnadzor_transfers"], "js": "1"})
    assert saved(token)["registrations"] == ["roskomnadzor", "roskomnadzor_transfers"]


# --- rights: the deadline each law prints -------------------------------------------------------------

def periods(html):
    box = re.search(r'<div[^>]*id="response-periods".*?</div>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>.*?</li>", box, re.S)]


def test_response_days_show_each_laws_deadline(client, allru_answers):
    allru_answers["jurisdictions"] = ["us_ca", "eu"]
    allru_answers["rights"]["response_days"] = 45
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "rights")))
    assert periods(html) == ["CCPA: 45 calendar days", "GDPR: one month"]
    assert "With <span data-response-days>45</span> days, the policy will say" in html
    assert "never slower" in html
    markdown = policy_markdown(client, token)
    assert "45 calendar days" in markdown and "one month" in markdown


def test_response_days_shorten_but_never_lengthen(client, allru_answers):
    allru_answers["jurisdictions"] = ["us_ca", "eu", "ru", "au"]
    token = new_draft(client, allru_answers)
    response = submit(client, token, "rights", {"response_days": "20"})
    assert response["Location"] == url(token, "dpa")  # All-Ru hosts customers' data: the DPA step is next
    assert saved(token)["rights"]["response_days"] == 20
    html = text(client.get(url(token, "rights")))
    # shorter than the GDPR's month and California's 45 days: 20 days; Russia counts working days
    assert periods(html) == ["CCPA: 20 days", "GDPR: 20 days", "152-FZ: 10 working days", "APPs: 20 days"]
    # a period typed with an error elsewhere on the page is shown for what was typed
    response = submit(client, token, "rights", {"response_days": "60", "notice_days": "soon"})
    assert response.status_code == 200
    assert periods(text(response)) == ["CCPA: 45 calendar days", "GDPR: one month", "152-FZ: 10 working days",
                                       "APPs: 60 days"]


def test_response_periods_follow_the_suggested_laws_before_any_are_chosen(client):
    token = new_draft(client)
    submit(client, token, "business", {**BUSINESS_OK, "js": "1"})  # GB: UK GDPR suggested
    assert periods(text(client.get(url(token, "rights")))) == ["UK GDPR: one month"]


# --- processors: contracting entities, restricted mode, custom entities -----------------------------------

def entity_details(html, pid):
    item = re.search(rf'<li[^>]*data-filter-text="[^"]*\b{pid}\b[^"]*".*?</li>', html, re.S)
    assert item, pid
    return item.group(0)


@pytest.mark.parametrize("country,entity,where", [
    ("US", "Stripe, Inc.", "US"), ("GB", "Stripe Payments UK, Ltd", "GB"), ("FR", "Stripe Payments Europe, Limited", "IE"),
])
def test_processor_entity_prefilled_by_the_business_country(client, allru_answers, country, entity, where):
    assert CAT.processors["stripe"].entity_for(country, applicability.is_eea(country, CAT)) == (entity, where)
    allru_answers["business"]["country"] = country
    allru_answers["processors"] = [{"id": "stripe"}]
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "processors")))
    item = entity_details(html, "stripe")
    assert "Your contract is with a different entity?" in item
    assert "<details" in item and "<details class=\"mt-1 processor-entity\" open" not in item  # collapsed
    form = page_form(html)
    assert form["entity_stripe"] == [entity] and form["country_stripe"] == [cat_.country_label(where, CAT)]
    submit(client, token, "processors", {})  # left as prefilled: nothing to override
    assert saved(token)["processors"] == [{"id": "stripe"}]


def test_processor_entity_only_for_chosen_processors(client, allru_answers):
    allru_answers["processors"] = [{"id": "stripe"}]
    token = new_draft(client, allru_answers)
    form = page_form(text(client.get(url(token, "processors"))))
    assert "entity_stripe" in form and "entity_paypal" not in form


def test_processor_entity_override_saved_and_printed(client, allru_answers):
    allru_answers["business"].update(country="US", address="1 Market St, San Francisco, CA 94105")
    allru_answers["processors"] = [{"id": "stripe"}]
    token = new_draft(client, allru_answers)
    assert "(Stripe, Inc.)" in policy_markdown(client, token)
    response = submit(client, token, "processors", {"processors": ["stripe"], "entity_stripe": "Stripe Technology Europe, Limited",
                                                    "country_stripe": "IE"})
    assert response["Location"] == url(token, "cookies"), text(response)
    assert saved(token)["processors"] == [{"id": "stripe", "entity": "Stripe Technology Europe, Limited", "country": "IE"}]
    html = text(client.get(url(token, "processors")))
    assert '<details class="mt-1 processor-entity" open' in entity_details(html, "stripe")  # an override is shown open
    assert "Stripe Technology Europe, Limited" in html  # and in the summary table
    assert "**Stripe** (Stripe Technology Europe, Limited)" in policy_markdown(client, token)
    # set back to the registry's entity, the override goes
    submit(client, token, "processors", {"entity_stripe": "Stripe, Inc.", "country_stripe": "US"})
    assert saved(token)["processors"] == [{"id": "stripe"}]


def test_processor_override_country_must_be_a_country(client, allru_answers):
    allru_answers["processors"] = [{"id": "stripe"}]
    token = new_draft(client, allru_answers)
    response = submit(client, token, "processors", {"country_stripe": "Atlantis"})
    html = text(response)
    assert response.status_code == 200 and "“Atlantis” is not a country in the list" in html
    assert '<details class="mt-1 processor-entity" open' in entity_details(html, "stripe")  # the error is visible


def test_restricted_processing_box_for_advertising_and_analytics(client, allru_answers):
    allru_answers["business"].update(country="US", address="1 Market St, San Francisco, CA 94105")
    allru_answers["jurisdictions"] = ["us_ca"]
    allru_answers["storage_locations"] = ["US"]
    allru_answers["marketing"]["opt_out_url"] = "https://www.all-ru.net/do-not-sell"
    allru_answers["processors"] = [{"id": "stripe"}, {"id": "google_ads"}]
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "processors")))
    assert 'name="restricted_google_ads"' in entity_details(html, "google_ads")
    assert 'name="restricted_google_analytics"' in html
    assert 'name="restricted_stripe"' not in html  # payments are not advertising
    assert "non-targeting mode" in html and "restricted data processing" in html
    submit(client, token, "processors", {})
    before = policy_markdown(client, token)
    submit(client, token, "processors", {"restricted_google_ads": "on"})
    by_id = {r["id"]: r for r in saved(token)["processors"]}
    assert by_id == {"stripe": {"id": "stripe"}, "google_ads": {"id": "google_ads", "restricted_processing": True}}
    assert page_form(text(client.get(url(token, "processors"))))["restricted_google_ads"] == ["on"]
    after = policy_markdown(client, token)
    assert after != before  # Google Ads is now a service provider, not a third party it shares data with
    assert after.count("**Google Ads** (Google LLC)") == 1
    submit(client, token, "processors", {"restricted_google_ads": None})
    assert {r["id"]: r for r in saved(token)["processors"]}["google_ads"] == {"id": "google_ads"}
    assert policy_markdown(client, token) == before


def test_custom_processor_entity_and_description(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = submit(client, token, "processors", {
        "custom-0-name": "Acme", "custom-0-entity": "Acme Backup GmbH", "custom-0-purpose": "offsite backups",
        "custom-0-description": "stores encrypted copies of our backups", "custom-0-country": "DE",
        "custom-0-data": ["backups"],
    })
    assert response["Location"] == url(token, "cookies"), text(response)
    assert saved(token)["processors"][-1] == {
        "name": "Acme", "entity": "Acme Backup GmbH", "description": "stores encrypted copies of our backups",
        "purpose": "offsite backups", "country": "DE", "data": ["backups"]}
    assert load_document(saved(token)).ok
    form = page_form(text(client.get(url(token, "processors"))))
    assert form["custom-0-entity"] == ["Acme Backup GmbH"]
    assert form["custom-0-description"] == ["stores encrypted copies of our backups"]
    assert "**Acme** (Acme Backup GmbH) | stores encrypted copies of our backups" in policy_markdown(client, token)


# --- review: each unfinished item links to the step that asks it ---------------------------------------

def unfinished_links(html):
    box = re.search(r'<div[^>]*id="policy-unfinished".*?</div>', html, re.S)
    if not box:
        return {}
    return dict((path, link) for link, path in re.findall(r'<li><a href="([^"]+)">[^<]*</a>: <code>([^<]+)</code>', box.group(0)))


@pytest.mark.parametrize("path,slug", [
    ("business.region", "business"), ("business.eu_representative", "business"), ("business.uk_representative", "business"),
    ("business.ch_representative", "business"), ("business.dpo.name", "business"), ("marketing.opt_out_url", "data"),
    ("transfers.quebec_assessment", "jurisdictions"), ("quebec_governance_policy", "jurisdictions"),
    ("processors[1].entity", "processors"), ("rights.response_days", "rights"),
])
def test_paths_map_to_the_step_that_asks_them(path, slug):
    assert steps.step_for_path(path) == slug


def law_links(html):
    return {path: link for path, link in unfinished_links(html).items() if not path.startswith("data.")}


def test_review_links_each_law_requirement_to_its_step(client, allru_answers):
    # a German business whose postcode straddles two Länder, under the LGPD with no named encarregado,
    # under the CCPA with remarketing and no opt-out page
    german(allru_answers, address=STRADDLING)
    allru_answers["jurisdictions"] = ["eu", "br", "us_ca"]
    token = new_draft(client, allru_answers)
    # the laws' own requirements (retention periods this fixture lacks are another test's subject)
    links = law_links(text(client.get(url(token, "review"))))
    assert links == {
        "business.region": url(token, "business"),
        "business.dpo.name": url(token, "business"),
        "marketing.opt_out_url": url(token, "data"),
    }
    # each is fixed on its step, and the list empties
    submit(client, token, "business", {"region_de": "DE-SN", "dpo_name": "Ana Silva", "dpo_email": "dpo@all-ru.net",
                                       "js": "1"})
    submit(client, token, "data", {"opt_out_url": "https://www.all-ru.net/do-not-sell"})
    html = text(client.get(url(token, "review")))
    assert law_links(html) == {}
    assert f"complain to the [{cat_.land_authorities(CAT)['DE-SN'].name}]" in policy_markdown(client, token)


def test_review_links_the_missing_representative_to_the_business_step(client, allru_answers):
    allru_answers["business"].update(country="US", address="1 Market St, San Francisco, CA 94105")
    allru_answers["jurisdictions"] = ["eu", "uk"]
    token = new_draft(client, allru_answers)
    links = unfinished_links(text(client.get(url(token, "review"))))
    assert links["business.eu_representative"] == url(token, "business")
    assert links["business.uk_representative"] == url(token, "business")
    submit(client, token, "business", {"eu_rep_name": "EU-Rep Ltd", "eu_rep_address": "1 Main St, Dublin, Ireland",
                                       "eu_rep_email": "rep@eurep.example", "eu_rep_country": "IE",
                                       "uk_rep_exempt": "on", "js": "1"})
    links = unfinished_links(text(client.get(url(token, "review"))))
    assert "business.eu_representative" not in links and "business.uk_representative" not in links
    assert "Our representative in the European Union" in policy_markdown(client, token)


# --- the script's live toggles, and the new questions' accessibility, in Chromium ------------------------

from tests.test_wizard_browser import allow_orm_beside_playwright, axe_violations, chromium, page  # noqa: E402,F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_new_questions_toggle_live_and_pass_axe(page, live_server, allru_answers):  # noqa: F811
    from generator.web import services

    allru_answers["processors"] = [{"id": "stripe"}, {"id": "google_ads", "entity": "Google Ireland Limited", "country": "IE"}]
    allru_answers["jurisdictions"] = ["us_ca", "eu", "ca"]
    allru_answers["marketing"]["opt_out_url"] = "https://www.all-ru.net/do-not-sell"
    draft, token = services.draft_create(allru_answers)
    base = f"{live_server.url}/d/{token}"

    page.goto(f"{base}/business/")
    country = page.get_by_label("Country where the business is established")
    land, quebec = page.locator("[data-region-for=DE]"), page.locator("[data-region-for=CA]")
    swiss = page.locator("[data-rep=ch]")
    assert land.is_hidden() and quebec.is_hidden() and swiss.is_visible()
    country.select_option("DE")
    assert land.is_visible() and quebec.is_hidden() and page.locator("[data-rep=eu]").is_hidden()
    assert axe_violations(page) == [], "business step with the Land question"
    country.select_option("CA")
    assert quebec.is_visible() and land.is_hidden()
    country.select_option("CH")
    assert swiss.is_hidden() and page.locator("[data-rep=eu]").is_visible()

    page.goto(f"{base}/processors/")
    assert page.locator("details.processor-entity[open]").count() == 1  # Google Ads has an override
    assert axe_violations(page) == [], "processors step with entity overrides"

    page.goto(f"{base}/jurisdictions/")
    section = page.locator("[data-quebec-section]")
    assert section.is_visible()
    page.locator("input[name=jurisdictions][value=ca]").uncheck()
    assert section.is_hidden()
    page.locator("input[name=jurisdictions][value=ca]").check()
    assert axe_violations(page) == [], "jurisdictions step with the Quebec questions"

    page.goto(f"{base}/rights/")
    periods = page.locator("#response-periods")
    assert "CCPA: 30 days" in periods.inner_text() and "GDPR: one month" in periods.inner_text()
    page.get_by_label("Days you take to answer a privacy request").fill("45")
    assert "CCPA: 45 calendar days" in periods.inner_text() and "GDPR: one month" in periods.inner_text()
    assert "PIPEDA: 30 days" in periods.inner_text()
    page.get_by_label("Days you take to answer a privacy request").fill("7")
    assert "CCPA: 7 days" in periods.inner_text() and "GDPR: 7 days" in periods.inner_text()
    assert axe_violations(page) == [], "rights step with the response periods"
    assert not page.csp_errors, page.csp_errors


def test_eu_representative_in_germany_needs_a_postcode(client):
    # the Land of a German representative's address chooses the authority of a business outside the EEA
    token = new_draft(client)
    submit(client, token, "business", {**BUSINESS_OK, "country": "US", "js": "1"})
    rep = {"eu_rep_name": "Rep GmbH", "eu_rep_email": "rep@rep.example", "eu_rep_country": "DE", "js": "1"}
    response = submit(client, token, "business", {**rep, "eu_rep_address": "Hauptstraße 1, Berlin"})
    assert response.status_code == 200
    assert "Include the representative&#x27;s German postcode" in text(response)
    response = submit(client, token, "business", {**rep, "eu_rep_address": "Hauptstraße 1, 10115 Berlin"})
    assert response.status_code == 302
    assert saved(token)["business"]["eu_representative"]["address"] == "Hauptstraße 1, 10115 Berlin"


def test_review_links_a_missing_retention_period_to_the_retention_step(client, allru_answers):
    for item in allru_answers["data"]:
        item.pop("call_recording_retention", None)
    token = new_draft(client, allru_answers)
    links = unfinished_links(text(client.get(url(token, "review"))))
    assert links["data.support.call_recording_retention"] == url(token, "retention")
