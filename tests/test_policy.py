"""Assembly and the compliance report, asserted on the text of generated policies."""
import copy
import json
from datetime import date
from pathlib import Path

import pytest

from generator import compliance, policy
from tests.factories import answers_from
from generator.document import Link, Paragraph, Table, Text, plain_text, to_json_dict
from generator.library import get_library

TODAY = date(2026, 11, 23)

BASE = {
    "format": "privacy-policy-answers/1",
    "business": {
        "legal_name": "Example Hosting Ltd", "trading_name": "ExampleHost", "websites": ["https://example.com"],
        "address": "1 High Street, Leeds, LS1 1AA", "country": "GB", "contact_email": "privacy@example.com",
    },
    "roles": {"processor_for_customers": True},
    "services": ["shared_hosting", "domains", "ssl_certificates"],
    "data": [
        {"id": "account", "retention": "while_active", "retention_after": "P30D"},
        {"id": "billing", "retention": "P6Y"},
        {"id": "server_logs", "retention": "P12W"},
        {"id": "domain_registrant"},
        {"id": "hosted_content"},
    ],
    "processors": [{"id": "stripe"}, {"id": "tucows_opensrs"}, {"id": "lets_encrypt"}, {"id": "google_analytics"}],
    "cookies": {"banner": True, "items": [{"name": "hp_session", "purpose": "strictly_necessary", "duration": "session"}]},
    "storage_locations": ["GB", "DE"],
    "transfers": {"safeguards": ["scc"]},
    "jurisdictions": ["uk"],
    "security": {"measures": ["tls", "password_hashing"], "breach_notice_hours": 72},
}


def answers_with(**changes):
    return answers_from(BASE, **changes)


def text_of(answers):
    return plain_text(policy.build(answers, today=TODAY))


def test_same_input_same_output():
    answers = answers_with()
    first = json.dumps(to_json_dict(policy.build(answers, today=TODAY)))
    second = json.dumps(to_json_dict(policy.build(answers, today=TODAY)))
    assert first == second


def test_business_name_and_effective_date():
    doc = policy.build(answers_with(policy={"effective_date": "2026-03-01"}), today=TODAY)
    assert doc.effective_date_text == "1 March 2026"
    assert "Example Hosting Ltd" in plain_text(doc)


def test_durations_print_in_words():
    text = text_of(answers_with())
    assert "6 years" in text
    assert "12 weeks" in text
    assert "for as long as your account is open, then 30 days" in text


def test_processors_table_lists_every_processor():
    doc = policy.build(answers_with(), today=TODAY)
    tables = [b for s in doc.sections for b in s.blocks if isinstance(b, Table) and b.kind == "processors"]
    assert len(tables) == 1
    names = [row[0][0].text for row in tables[0].rows]
    assert names == ["Stripe", "Tucows (OpenSRS)", "Let's Encrypt", "Google Analytics"]
    privacy_cells = [row[-1] for row in tables[0].rows]
    assert all(isinstance(cell[0], Link) and cell[0].href.startswith("https://") for cell in privacy_cells)


def test_cookie_table_has_first_party_and_processor_cookies():
    doc = policy.build(answers_with(), today=TODAY)
    table = next(b for s in doc.sections for b in s.blocks if isinstance(b, Table) and b.kind == "cookies")
    names = [row[0][0].text for row in table.rows]
    assert "hp_session" in names
    assert "_ga" in names


def test_custom_processor_url_is_a_link_to_itself():
    # privacy_url is a URL field the answers contract validates as http(s): it is a link (issue 9),
    # labelled with its own address, so it cannot disguise where it leads.
    answers = answers_with(processors=[{
        "name": "Acme Backup GmbH", "purpose": "offsite backups", "country": "DE", "data": ["account"],
        "privacy_url": "https://acme.example/privacy",
    }])
    doc = policy.build(answers, today=TODAY)
    table = next(b for s in doc.sections for b in s.blocks if isinstance(b, Table) and b.kind == "processors")
    cell = table.rows[0][-1]
    assert cell == (Link("https://acme.example/privacy", "https://acme.example/privacy"),)


def test_user_text_stays_text():
    answers = answers_with(business__legal_name="**Bold** [x](https://evil.example) <b>Ltd</b>")
    doc = policy.build(answers, today=TODAY)
    inlines = [i for s in doc.sections for b in s.blocks if isinstance(b, Paragraph) for i in b.inlines]
    assert any(isinstance(i, Text) and i.text == "**Bold** [x](https://evil.example) <b>Ltd</b>" for i in inlines)
    assert not any(isinstance(i, Link) and "evil" in i.href for i in inlines)


def test_only_clauses_of_chosen_laws_appear():
    library = get_library()
    for laws in (["uk"], ["eu"], ["us_ca"], ["ru", "au"]):
        doc = policy.build(answers_with(jurisdictions=laws), today=TODAY)
        for clause_id in doc.clause_ids:
            clause = library.clause(clause_id)
            assert "all" in clause.laws or set(clause.laws) & set(laws), (laws, clause_id)


def test_law_sections_differ_by_law():
    uk_text = text_of(answers_with(jurisdictions=["uk"]))
    ca_text = text_of(answers_with(jurisdictions=["us_ca"]))
    assert "Information Commissioner" in uk_text
    assert "California Privacy Protection Agency" not in uk_text
    assert "California" in ca_text


def test_eu_authority_is_the_business_own_national_one():
    text = text_of(answers_with(business__country="IE", jurisdictions=["eu"], storage_locations=["IE"]))
    assert "Data Protection Commission" in text


def test_eu_authority_follows_the_representative_outside_the_eea():
    text = text_of(answers_with(
        jurisdictions=["eu", "uk"],
        business__eu_representative={"name": "Rep BV", "address": "Keizersgracht 1, Amsterdam, Netherlands", "email": "rep@example.nl"},
    ))
    assert "Dutch Data Protection Authority" in text


def test_domain_clauses_only_when_domains_are_sold():
    with_domains = policy.build(answers_with(), today=TODAY)
    without = policy.build(answers_with(services=["shared_hosting"], data=[{"id": "account"}], processors=[]), today=TODAY)
    assert any(c.startswith("domains.") for c in with_domains.clause_ids)
    assert not any(c.startswith("domains.") for c in without.clause_ids)


# -- compliance report -------------------------------------------------------------------------

def report_for(answers):
    return compliance.report(answers, policy.build(answers, today=TODAY))


def item(rep, element_id):
    return next((i for i in rep.items if i.element_id == element_id), None)


def test_missing_eu_representative_is_reported_and_fixed_by_naming_one():
    gap = report_for(answers_with(jurisdictions=["eu"]))
    found = item(gap, "gdpr.representative_identity")
    assert found is not None and found.status == "missing"
    assert found.step == "business"
    fixed = report_for(answers_with(jurisdictions=["eu"], business__eu_representative={
        "name": "Rep BV", "address": "Keizersgracht 1, Amsterdam, Netherlands", "email": "rep@example.nl"}))
    assert item(fixed, "gdpr.representative_identity").status == "met"


def test_indefinite_retention_is_a_problem_under_gdpr():
    rep = report_for(answers_with(jurisdictions=["eu"], data=[{"id": "account", "retention": "indefinite"}]))
    problems = [i for i in rep.items if i.status == "problem" and "5(1)(e)" in i.citation]
    assert problems and problems[0].step == "retention"
    clean = report_for(answers_with(jurisdictions=["eu"], data=[{"id": "account", "retention": "P1Y"}]))
    assert not [i for i in clean.items if i.status == "problem" and "5(1)(e)" in i.citation]


def test_california_ad_pixels_need_sharing_disclosure_and_opt_out():
    rep = report_for(answers_with(jurisdictions=["us_ca"], processors=[{"id": "meta_pixel"}], marketing={"remarketing": True}))
    sharing = [i for i in rep.for_law("us_ca") if i.element_id in ("ccpa.sold_shared_12m", "ccpa.right_opt_out", "ccpa.do_not_sell_share_link") or "shar" in i.requirement.lower()]
    assert sharing
    assert all(i.status == "met" for i in sharing if i.element_id == "ccpa.sold_shared_12m"), sharing


def test_every_gap_names_a_fixing_step_or_advice():
    rep = report_for(answers_with(jurisdictions=["eu", "uk", "ch", "us_ca", "br", "ca", "ru", "au"]))
    assert rep.items
    for gap in rep.gaps:
        assert gap.advice, gap


def test_report_counts_only_chosen_laws():
    rep = report_for(answers_with(jurisdictions=["uk"]))
    assert {i.law for i in rep.items} == {"uk"}
    # checks with law: all are problems in the answers whatever the law (inventory, retention, cookies)
    any_law = {c["id"] for c in compliance.load_compliance_map()["checks"] if c.get("law") == "all"}
    assert all(i.element_id.startswith(("ukgdpr.", "eprivacy.", "uk")) or i.element_id in any_law for i in rep.items)


def test_removing_a_clause_turns_its_element_missing():
    # every category with a period, or ukgdpr.retention is a problem, not met (findings.md 10)
    data = copy.deepcopy(BASE["data"]) + [{"id": "website_usage", "retention": "P14M"}]
    answers = answers_with(jurisdictions=["uk"], data=data)
    document = policy.build(answers, today=TODAY)
    rep = compliance.report(answers, document)
    met = next(i for i in rep.items if i.status == "met" and i.element_id == "ukgdpr.retention")
    assert met.clause_id
    meeting = {c.id for c in get_library().clauses() if "ukgdpr.retention" in c.meets}
    stripped = document.__class__(**{**document.__dict__, "clause_ids": tuple(c for c in document.clause_ids if c not in meeting)})
    assert item(compliance.report(answers, stripped), "ukgdpr.retention").status == "missing"


def test_duties_outside_the_text_are_to_dos_never_met_or_missing():
    rep = report_for(answers_with(jurisdictions=["eu"]))
    form = item(rep, "gdpr.transparent_form")
    assert form.status == "action" and form.clause_id is None
    assert "footer" in form.advice
    assert form not in [i for i in rep.items if i.status == "missing"]
    assert form in rep.gaps  # still shown to the business
    printed = compliance.format_report(rep)
    assert "TO DO    gdpr.transparent_form" in printed
    assert "1 to do outside the policy" in printed


def test_russian_separate_consent_is_a_to_do_only_with_consent_processing():
    with_consent = report_for(answers_with(jurisdictions=["ru"], marketing={"email": "opt_in"}))
    assert item(with_consent, "ru.consent_separate").status == "action"
    without = report_for(answers_with(jurisdictions=["ru"], processors=[{"id": "stripe"}], cookies={"banner": False, "items": []}))
    assert item(without, "ru.consent_separate") is None


def test_dpo_meets_the_swiss_advisor_element():
    dpo = {"name": "Anna Muster", "email": "dpo@example.ch"}
    rep = report_for(answers_with(jurisdictions=["ch"], business__dpo=dpo))
    assert item(rep, "fadp.data_protection_advisor").clause_id == "who_we_are.dpo"
    assert item(report_for(answers_with(jurisdictions=["ch"])), "fadp.data_protection_advisor") is None


def test_quebec_tracking_off_by_default_needs_the_consent_banner():
    with_banner = report_for(answers_with(jurisdictions=["ca"]))  # Google Analytics, banner on
    assert item(with_banner, "quebec.identification_location_profiling").clause_id == "cookies.consent_banner"
    without = report_for(answers_with(jurisdictions=["ca"], cookies={"banner": False, "items": []}))
    gap = item(without, "quebec.identification_location_profiling")
    assert gap.status == "missing" and gap.step == "cookies"


def test_california_review_and_change_process_is_disclosed():
    rep = report_for(answers_with(jurisdictions=["us_ca"]))
    assert item(rep, "caloppa.review_change_process").clause_id in ("regional_notices.california_requests", "your_rights.control_panel")


def test_wording_diff_lists_only_the_changed_lines():
    from generator.diff import policy_changes

    before = policy.build(answers_with(), today=TODAY)
    after = policy.build(answers_with(processors=[{"id": "paypal"}, {"id": "tucows_opensrs"}, {"id": "lets_encrypt"},
                                                  {"id": "google_analytics"}]), today=TODAY)
    assert policy_changes(before, before) == []
    changes = {c.title: c for c in policy_changes(before, after)}
    sharing = changes["Who we share your data with"]
    assert sharing.kind == "changed"
    assert any(mark == "-" and line.startswith("Stripe") for mark, line in sharing.lines)
    assert any(mark == "+" and line.startswith("PayPal") for mark, line in sharing.lines)
    assert not any("Let's Encrypt" in line for _, line in sharing.lines)


def test_wording_diff_reports_whole_sections_added_and_removed():
    from generator.diff import policy_changes

    with_domains = policy.build(answers_with(), today=TODAY)
    without = policy.build(answers_with(services=["shared_hosting"], data=[{"id": "account", "retention": "P1Y"}],
                                        processors=[{"id": "stripe"}]), today=TODAY)
    kinds = {(c.title, c.kind) for c in policy_changes(with_domains, without)}
    assert any(kind == "removed" and "domain" in title.lower() for title, kind in kinds), kinds
    back = {(c.title, c.kind) for c in policy_changes(without, with_domains)}
    assert any(kind == "added" and "domain" in title.lower() for title, kind in back), back


EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "docs" / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_passage_of_every_example_traces_to_a_vetted_source(path):
    from generator.answers import load_answers_file
    from generator.provenance import trace

    answers = load_answers_file(path).answers
    document = policy.build(answers, today=TODAY)
    traces = trace(document)
    traced = {t.clause_id for t in traces}
    assert traced == set(document.clause_ids) - {c.id for c in get_library().clauses() if not c.text and not c.block}
    for item in traces:
        assert item.sources and item.vetting and item.file, item.clause_id
        for source in item.sources:
            assert source.law or (source.quote and source.seed_label != "a seed policy"), (item.clause_id, source)


def test_explain_policy_command(capsys):
    from django.core.management import call_command

    call_command("explain_policy", str(EXAMPLES[0].parent / "all-ru.yaml"))
    out = capsys.readouterr().out
    assert "[who_we_are.company_number] We are registered in the United Kingdom under company number 09775671." in out
    assert 'from 000_5c056857dbb97353.txt (All-Ru (UK hosting company)' in out
    assert "vetting: " in out and "required by: " in out
