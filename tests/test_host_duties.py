"""Say exactly what the host does (issue 9): roles, inventory, retention, promises, cookies.

Each test builds answers with one feature of the counsel review and asserts the text of the
generated policy (or the compliance report); each failed on the code before the fix.
"""
import copy
import re
from datetime import date

import pytest

from generator import compliance, policy
from tests.factories import answers_from
from generator.document import Table, plain_text

TODAY = date(2026, 11, 23)

BASE = {
    "format": "privacy-policy-answers/1",
    "business": {
        "legal_name": "Beispiel Hosting GmbH", "websites": ["https://beispiel-hosting.example"],
        "address": "Musterweg 1, 20095 Hamburg, Germany", "country": "DE", "contact_email": "privacy@beispiel-hosting.example",
    },
    "roles": {"processor_for_customers": True},
    "services": ["shared_hosting"],
    "data": [
        {"id": "account", "retention": "while_active", "retention_after": "P30D"},
        {"id": "billing", "retention": "P8Y"},
        {"id": "server_logs", "retention": "P7D"},
        {"id": "hosted_content", "retention": "P14D"},
        {"id": "backups", "retention": "P14D"},
    ],
    "processors": [{"id": "hetzner"}],
    "cookies": {"banner": True, "items": [{"name": "sid", "purpose": "strictly_necessary", "duration": "session"}]},
    "storage_locations": ["DE"],
    "jurisdictions": ["eu"],
    "security": {"measures": ["tls", "encryption_at_rest", "access_control"], "breach_notice_hours": 72},
}


def answers(**changes):
    return answers_from(BASE, **changes)


def build(a):
    return policy.build(a, today=TODAY)


def text(a):
    return " ".join(plain_text(build(a)).split())


def table(a, kind):
    doc = build(a)
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, Table) and block.kind == kind:
                return [[plain_text_cells(c) for c in row] for row in block.rows]
    return []


def plain_text_cells(cell):
    return "".join(getattr(i, "text", "") for i in cell)


def report_ids(a):
    rep = compliance.report(a, build(a))
    return {i.element_id for i in rep.items if i.status == "problem"}


# -- roles -----------------------------------------------------------------------------------

def test_hosted_content_is_in_no_controller_purpose_row():
    rows = table(answers(), "purposes")
    assert rows
    assert not any("Content you host with us" in row[1] for row in rows)


def test_host_states_its_own_limited_uses_of_content_with_their_basis():
    t = text(answers())
    assert "We do not use it for our own purposes, apart from the limited uses" in t
    assert "only in three limited ways" in t
    assert "to keep our network and all our customers' services secure" in t
    assert "our legitimate interest in keeping our network and our customers' services secure and free of misuse (Article 6(1)(f))" in t


def test_role_for_logs_of_visits_to_customer_sites_is_stated():
    t = text(answers())
    assert "Logs of visits to our customers' websites and mailboxes are part of the service" in t
    assert "as their processor" in t
    assert "only to keep our network secure and to detect and deal with attacks and abuse" in t


def test_infrastructure_and_customer_ordered_backups_are_separate_rows():
    a = answers(services=["shared_hosting", "backups"])
    rows = table(a, "retention")
    names = [row[0] for row in rows]
    assert "Backups of our systems" in names and "Backups you order" in names
    ordered = rows[names.index("Backups you order")]
    assert "as your processor" in ordered[1]
    assert not any("Backups you order" in row[1] for row in table(a, "purposes"))


def test_reseller_is_normally_the_controller():
    t = text(answers(services=["shared_hosting", "reseller_hosting"]))
    assert "We handle them as this policy describes" not in t
    assert "the reseller is normally the controller for" not in t  # wording below, not this
    assert "the reseller is normally the controller and we are the reseller's processor" in t


# -- inventory -------------------------------------------------------------------------------

def test_recipient_data_not_declared_is_a_report_problem():
    a = answers(processors=[{"id": "hetzner"}, {"id": "hotjar"}])
    assert "inventory.recipient_data_undeclared" in report_ids(a)
    declared = copy.deepcopy(BASE["data"]) + [{"id": "website_usage", "retention": "P6M"}]
    a = answers(processors=[{"id": "hetzner"}, {"id": "hotjar"}], data=declared)
    assert "inventory.recipient_data_undeclared" not in report_ids(a)


def test_every_switched_on_activity_gets_its_purpose_row():
    a = answers(marketing={"email": "opt_in", "remarketing": True}, automated_decisions={"order_fraud_screening": True},
                data=[{"id": "account"}])
    purposes = " ".join(row[0] for row in table(a, "purposes"))
    for name in ("Marketing", "Advertising", "Fraud prevention"):
        assert name in purposes, name
    assert "inventory.activity_data_undeclared" in report_ids(a)


# -- every answer used -------------------------------------------------------------------------

def test_call_recording_gets_purpose_basis_retention_notice_and_audio_category():
    data = copy.deepcopy(BASE["data"]) + [{"id": "support", "call_recording": True, "call_recording_retention": "P90D"}]
    a = answers(data=data)
    t = text(a)
    assert "We tell you at the start of each call that it is being recorded and why" in t
    assert "Recording support calls" in " ".join(row[0] for row in table(a, "purposes"))
    retention = {row[0]: row[1] for row in table(a, "retention")}
    assert retention["Recordings of phone calls"] == "90 days"
    from generator.resolve import Facts
    from generator.library import get_catalogues
    cats = {c for d in Facts(a, get_catalogues()).data_items for c in d.ccpa_categories}
    assert "audio_visual" in cats


def test_call_recording_without_period_is_reported():
    data = copy.deepcopy(BASE["data"]) + [{"id": "support", "call_recording": True}]
    assert "retention.period_missing" in report_ids(answers(data=data))


# -- retention ---------------------------------------------------------------------------------

def test_retention_rows_carry_only_the_answered_figures():
    rows = table(answers(), "retention")
    assert rows
    for row in rows:
        figures = set(re.findall(r"\b\d+\b", row[1]))
        reason = row[3]
        assert not (set(re.findall(r"\b\d+ (?:day|week|month|year)s?\b", reason)) - {row[1]}), row
        assert not figures or all(f in row[1] for f in figures)
    logs = next(r for r in rows if r[0] == "Server and network logs")
    assert logs[1] == "7 days" and "12 weeks" not in logs[3]
    backups = next(r for r in rows if r[0] == "Backups of our systems")
    assert "12 months" not in backups[3]


def test_german_invoice_default_is_eight_years_with_its_law():
    from generator.library import get_catalogues
    billing = get_catalogues().data_categories["billing"]
    assert billing.retention_defaults["DE"]["retention"] == "P8Y"
    assert "§ 147(3) AO" in billing.retention_defaults["DE"]["retention_reason"]
    assert "8 years since 2025" in billing.hint


def test_vat_oss_records_are_kept_ten_years():
    a = answers(vat_oss=True)
    row = next(r for r in table(a, "retention") if r[0] == "VAT One-Stop-Shop records")
    assert row[1] == "10 years"
    assert "369k(2)" in row[3]


# -- promises ----------------------------------------------------------------------------------

def test_breach_hours_are_owed_to_the_authority_not_promised_to_everyone():
    t = text(answers())
    assert "we will tell you by email within 72 hours" not in t
    assert "within 72 hours of becoming aware of it" in t  # the GDPR's own figure, "where feasible"
    assert "If a breach is likely to result in a high risk to you, we also tell you without undue delay" in t


def test_breach_text_per_law():
    t = text(answers(jurisdictions=["ru", "ca", "au", "br", "ch", "us_ca"]))
    assert "we notify Roskomnadzor within 24 hours" in t and "Within 72 hours we report the results" in t
    assert "real risk of significant harm" in t and "at least 24 months" in t
    assert "risk of serious injury" in t and "register of all confidentiality incidents" in t
    assert "likely to result in serious harm" in t and "within 30 days" in t
    assert "within 3 working days" in t
    assert "Federal Data Protection and Information Commissioner (FDPIC) as soon as possible" in t
    assert "most expedient time possible and without unreasonable delay" in t
    # GDPR words stay in GDPR text
    assert "high risk to you" not in text(answers(jurisdictions=["ru"]))


def test_disclosures_to_authorities_cover_dsa_and_csam_duties():
    t = text(answers())
    assert "only when we receive a request that is legally valid" not in t
    assert "threatening someone's life or safety" in t
    us = text(answers(business__country="US", business__address="1 Main St, Austin, TX 78701, USA", jurisdictions=["us_ca"]))
    assert "National Center for Missing and Exploited Children" in us
    assert "National Center for Missing and Exploited Children" not in t


def test_security_measures_scoped_to_systems_the_host_runs():
    t = text(answers(services=["vps", "dedicated_servers"]))
    assert "Personal data is encrypted on our disks" not in t
    assert "The systems we run ourselves" in t
    assert "we do not encrypt, back up, update or monitor what is on it unless you order that from us" in t


def test_no_contact_form_without_its_url():
    t = text(answers(data=copy.deepcopy(BASE["data"]) + [{"id": "communications", "retention": "P1Y"}]))
    assert "contact-form" not in t and "contact form" not in t


def test_email_tracking_needs_consent_and_only_when_answered():
    data = copy.deepcopy(BASE["data"]) + [{"id": "marketing_preferences", "retention": "P2Y"}]
    plain = text(answers(data=data, marketing={"email": "opt_in"}))
    assert "open or click" not in plain and "opened an email" not in plain
    tracked = answers(data=data, marketing={"email": "opt_in", "email_tracking": True})
    assert "we do it only if you agree to it, separately from agreeing to receive the emails" in text(tracked)
    soft = answers(data=data, marketing={"email": "soft_opt_in", "email_tracking": True})
    assert "marketing.email_tracking_without_consent_eu" in report_ids(soft)


def test_tracker_without_cookie_list_is_flagged():
    data = copy.deepcopy(BASE["data"]) + [{"id": "website_usage", "retention": "P6M"}]
    custom = {"name": "Acme Stats", "group": "analytics", "country": "DE", "data": ["website_usage"],
              "purpose": "visitor statistics", "privacy_url": "https://acme.example/privacy"}
    assert "cookies.tracker_without_cookies" in report_ids(answers(data=data, processors=[{"id": "hetzner"}, custom]))


# -- cookies without a banner --------------------------------------------------------------------

def test_no_banner_preference_cookie_needs_its_exemption():
    items = [{"name": "sid", "purpose": "strictly_necessary", "duration": "session"},
             {"name": "lang", "purpose": "preferences", "duration": "P1Y"}]
    a = answers(cookies={"banner": False, "items": items})
    assert "cookies.no_banner_unexempt_eu" in report_ids(a)
    assert "set only when you ask for them" not in text(a)
    items[1]["exemption"] = "requested_by_user"
    a = answers(cookies={"banner": False, "items": items})
    assert "cookies.no_banner_unexempt_eu" not in report_ids(a)
    assert "are set only when you ask for them by making that choice" in text(a)


# -- no placeholders ---------------------------------------------------------------------------

PLACEHOLDER_NAME = "[Operator's full legal name: not given in the seed]"


def test_examples_carry_no_placeholders():
    from pathlib import Path

    from generator import completeness
    from generator.answers.loader import load_answers_file
    for path in sorted(Path("docs/examples").glob("*.yaml")):
        result = load_answers_file(path)
        assert result.ok, (path, result.errors)
        assert completeness.unfinished_fields(result.answers) == (), path
        assert "not given in the seed" not in text(result.answers), path


def test_cli_refuses_a_policy_with_placeholders_unless_draft(tmp_path):
    import io

    import yaml
    from django.core.management import call_command
    from django.core.management.base import CommandError

    doc = copy.deepcopy(BASE)
    doc["business"]["legal_name"] = PLACEHOLDER_NAME
    src = tmp_path / "answers.yaml"
    src.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    out, err = tmp_path / "policy.md", io.StringIO()
    with pytest.raises(CommandError, match="placeholders"):
        call_command("generate_policy", str(src), "-o", str(out), stderr=err)
    assert "business.legal_name: holds a placeholder" in err.getvalue()
    assert not out.exists()
    call_command("generate_policy", str(src), "-o", str(out), "--draft", stderr=io.StringIO())
    assert out.exists()


@pytest.mark.django_db
def test_review_page_names_placeholder_fields(client):
    from generator.web import services

    doc = copy.deepcopy(BASE)
    doc["business"]["address"] = "[address: not given]"
    _, token = services.draft_create(doc)
    page = client.get(f"/d/{token}/review/").content.decode()
    assert "This policy is not finished" in page
    assert "business.address" in page


# -- every answer is read (lint) ---------------------------------------------------------------

def _schema_with(extra):
    import json
    from pathlib import Path

    schema = json.loads(Path("generator/answers/answers.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["marketing"]["properties"].update(extra)
    return schema


def test_lint_flags_an_answers_field_nothing_reads(tmp_path):
    from generator.library import CLAUSES_DIR
    from generator.library.lint import lint_answer_fields

    problems = []
    lint_answer_fields(CLAUSES_DIR, problems, schema=_schema_with({"carrier_pigeon": {"type": "boolean"}}))
    assert any("marketing.carrier_pigeon" in p and "unused_fields.yaml" in p for p in problems), problems


def test_lint_accepts_a_listed_unused_field_and_rejects_a_stale_entry(tmp_path):
    import shutil

    import yaml

    from generator.library import CLAUSES_DIR
    from generator.library.lint import lint_answer_fields

    root = tmp_path / "clauses"
    shutil.copytree(CLAUSES_DIR, root)
    entries = yaml.safe_load((root / "unused_fields.yaml").read_text(encoding="utf-8")) or []
    entries += [{"field": "marketing.carrier_pigeon", "reason": "kept for a future clause"},
                {"field": "data.call_recording", "reason": "stale"}]
    (root / "unused_fields.yaml").write_text(yaml.safe_dump(entries), encoding="utf-8")
    problems = []
    lint_answer_fields(root, problems, schema=_schema_with({"carrier_pigeon": {"type": "boolean"}}))
    assert not any("carrier_pigeon" in p for p in problems), problems
    assert any("data.call_recording: listed as unused, but it is read" in p for p in problems)


def test_every_field_of_the_real_contract_is_read_or_listed():
    from generator.library import CLAUSES_DIR
    from generator.library.lint import lint_answer_fields

    problems = []
    lint_answer_fields(CLAUSES_DIR, problems)
    assert problems == []


# -- sector duties -------------------------------------------------------------------------------

def test_russian_host_identifies_customers_and_ru_domain_rules():
    data = copy.deepcopy(BASE["data"]) + [{"id": "identity_verification", "retention": "P3Y"}]
    a = answers(business__country="RU", business__address="1 Primernaya ulitsa, Moscow, 101000, Russia",
                services=["shared_hosting", "domains"], storage_locations=["RU"], jurisdictions=["ru"], data=data)
    t = text(a)
    assert "Russian law requires hosting providers to identify" in t
    assert ".ru and .рф domains." in t and "passport details" in t
    assert "Russian law requires hosting providers" not in text(answers())


def test_german_email_host_keeps_telecoms_secrecy():
    t = text(answers(services=["shared_hosting", "email_hosting"]))
    assert "protected by telecommunications secrecy" in t
    uk = answers(business__country="GB", business__address="1 High St, Leeds, LS1 1AA, United Kingdom",
                 services=["shared_hosting", "email_hosting"], jurisdictions=["uk"])
    assert "telecommunications secrecy" not in text(uk)


def test_au_domains_publish_registrant_names():
    a = answers(business__country="AU", business__address="1 George St, Sydney NSW 2000, Australia",
                services=["shared_hosting", "domains"], storage_locations=["AU"], jurisdictions=["au"])
    assert "do not allow private or proxy registration" in text(a)


def test_web_form_named_only_with_its_url():
    a = answers(rights={"request_channels": ["email", "web_form"]})
    assert "contact form on our website" not in text(a)
    assert "rights.web_form_without_url" in report_ids(a)
    b = answers(rights={"request_channels": ["email", "web_form"]}, business__contact_url="https://beispiel-hosting.example/kontakt")
    assert "through the form at https://beispiel-hosting.example/kontakt" in text(b)
    assert "rights.web_form_without_url" not in report_ids(b)


# -- wizard --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_wizard_asks_recording_period_tracking_and_oss_and_adds_recipient_data(client):
    from test_wizard import new_draft, saved, submit

    doc = copy.deepcopy(BASE)
    doc["data"] = doc["data"] + [{"id": "support", "retention": "P3Y"}]
    token = new_draft(client, doc)
    response = submit(client, token, "data", {
        "call_recording": "on", "call_recording_retention": "90 days", "vat_oss": "on",
        "marketing_email": "opt_in", "email_tracking": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    answers_now = saved(token)
    support = next(d for d in answers_now["data"] if d["id"] == "support")
    assert support["call_recording_retention"] == "P90D"
    assert answers_now["vat_oss"] is True and answers_now["marketing"]["email_tracking"] is True
    page = client.get(f"/d/{token}/data/").content.decode()
    assert 'value="customer_backups"' not in page and 'value="call_recordings"' not in page

    response = submit(client, token, "processors", {"processors": ["hetzner", "hotjar"]})
    assert response.status_code == 302
    assert "website_usage" in {d["id"] for d in saved(token)["data"]}


@pytest.mark.django_db
def test_wizard_offers_the_german_invoice_period_and_hint(client):
    from test_wizard import new_draft

    doc = copy.deepcopy(BASE)
    doc["data"] = [{"id": "account"}, {"id": "billing"}]
    token = new_draft(client, doc)
    page = client.get(f"/d/{token}/retention/").content.decode()
    assert "8 years since 2025" in page
    assert 'value="8 years"' in page


@pytest.mark.django_db
def test_wizard_cookie_exemption_is_saved(client):
    from test_wizard import new_draft, saved, submit

    token = new_draft(client, copy.deepcopy(BASE))
    response = submit(client, token, "cookies", {
        "banner": None, "cookie-1-name": "lang", "cookie-1-purpose": "preferences", "cookie-1-duration": "1 year",
        "cookie-1-exemption": "requested_by_user",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    items = saved(token)["cookies"]["items"]
    assert {"name": "lang", "purpose": "preferences", "duration": "P1Y", "exemption": "requested_by_user"} in items


def test_host_role_text_uses_no_gdpr_words_outside_gdpr_policies():
    ru = text(answers(business__country="RU", business__address="1 Primernaya ulitsa, Moscow, 101000, Russia",
                      services=["shared_hosting", "email_hosting", "backups"], storage_locations=["RU"], jurisdictions=["ru"]))
    for words in ("Article 28 of the GDPR", "Article 6(1)", "high risk to you", "Under the General Data Protection"):
        assert words not in ru, words
    eu = text(answers())
    assert "our legitimate interest in a secure network that is free of abuse (Article 6(1)(f))" in eu


def test_consent_paragraph_follows_trackers_not_only_the_cookie_table():
    data = copy.deepcopy(BASE["data"]) + [{"id": "website_usage", "retention": "P6M"}]
    custom = {"name": "Acme Stats", "group": "analytics", "country": "DE", "data": ["website_usage"],
              "purpose": "visitor statistics", "privacy_url": "https://acme.example/privacy"}
    t = text(answers(data=data, processors=[{"id": "hetzner"}, custom]))
    assert "only if you agree to them in the cookie banner" in t


@pytest.mark.parametrize("example", ["all-ru", "wisecp-host", "allsales", "alexrust", "allcot"])
def test_example_retention_rows_state_only_their_answered_figures(example):
    from generator.answers.loader import load_answers_file

    result = load_answers_file(f"docs/examples/{example}.yaml")
    assert result.ok, result.errors
    rows = table(result.answers, "retention")
    assert rows
    for name, period, _starts, reason in rows:
        for figure in re.findall(r"\b\d+ (?:day|week|month|year)s?\b", reason):
            assert figure in period, (example, name, figure, period)


@pytest.mark.parametrize("example", ["all-ru", "wisecp-host", "allsales", "alexrust", "allcot"])
def test_example_recipients_receive_only_declared_data(example):
    from generator.answers.loader import load_answers_file
    from generator.library import get_catalogues
    from generator.resolve import Facts

    result = load_answers_file(f"docs/examples/{example}.yaml")
    assert Facts(result.answers, get_catalogues()).undeclared_recipient_data() == []


def test_german_business_without_an_answered_period_gets_eight_years_for_invoices():
    a = answers(data=[{"id": "account"}, {"id": "billing"}])
    row = next(r for r in table(a, "retention") if r[0] == "Billing and payment records")
    assert row[1] == "8 years" and "§ 147(3) AO" in row[3]
    uk = answers(data=[{"id": "account"}, {"id": "billing"}], business__country="GB",
                 business__address="1 High St, Leeds, LS1 1AA, United Kingdom", jurisdictions=["uk"])
    assert next(r for r in table(uk, "retention") if r[0] == "Billing and payment records")[1] == "6 years"


def test_custom_registrar_appears_in_the_registrars_table():
    data = copy.deepcopy(BASE["data"]) + [{"id": "domain_registrant"}]
    custom = {"name": "Regional Registry Ltd", "country": "DE", "data": ["domain_registrant"],
              "purpose": "registering .example domains", "privacy_url": "https://registry.example/privacy"}
    a = answers(services=["shared_hosting", "domains"], data=data, processors=[{"id": "hetzner"}, custom])
    assert any("Regional Registry Ltd" in row[0] for row in table(a, "registrars"))


def test_no_vendor_description_introduces_email_tracking():
    from generator.library import get_catalogues

    for p in get_catalogues().processors.values():
        assert "opens and clicks" not in p.description, p.id


def test_russian_host_without_identity_data_is_reported():
    ru = dict(business__country="RU", business__address="1 Primernaya ulitsa, Moscow, 101000, Russia",
              services=["shared_hosting"], storage_locations=["RU"], jurisdictions=["ru"])
    assert "ru.hosting_customer_identification" in report_ids(answers(**ru))
    data = copy.deepcopy(BASE["data"]) + [{"id": "identity_verification", "retention": "P3Y"}]
    assert "ru.hosting_customer_identification" not in report_ids(answers(data=data, **ru))


# -- review of the ten worked examples (findings.md, November 2026) --------------------------------

RU = dict(business__country="RU", business__address="1 Primernaya ulitsa, Moscow, 101000, Russia",
          storage_locations=["RU"], jurisdictions=["ru"])
AU = dict(business__country="AU", business__address="1 George St, Sydney NSW 2000, Australia",
          storage_locations=["AU"], jurisdictions=["au"])


def test_finding_3_authorities_paragraph_names_emergencies_and_reporting_duties():
    eu = text(answers())
    assert "public authorities only when the law requires us to" not in eu
    assert "in an emergency; and where a law obliges us to report something to them" in eu
    ru = text(answers(**RU))
    assert "public authorities only when the law requires us to" not in ru
    assert "or in an emergency, as described in the section on requests from authorities" in ru
    assert "obliges us to report" not in ru


def test_finding_14_no_dangling_reporting_reference():
    ru = text(answers(**RU))
    assert "where a law obliges us to report, as described below" not in ru
    assert "without being asked only in an emergency, as described below" in ru
    eu = text(answers())
    assert "without being asked only in an emergency and where a law obliges us to report, as described below" in eu


def test_finding_19_dsa_duty_for_businesses_outside_the_eu():
    uk = text(answers(business__country="GB", business__address="1 High St, Leeds, LS1 1AA, United Kingdom",
                      jurisdictions=["uk", "eu"]))
    assert "As a hosting service in the European Union" not in uk
    assert "Because we offer hosting services to people in the European Union" in uk


def test_finding_4_breach_hours_only_with_the_laws_that_set_them():
    for where in (AU, dict(AU, business__country="CA", business__address="1 Rue Principale, Montréal QC H2X 1Y4, Canada",
                           business__region="CA-QC", storage_locations=["CA"], jurisdictions=["ca"])):
        t = text(answers(**where))
        assert "72 hours" not in t and "Where a law requires us to report a breach to an authority, we do so within" not in t
    eu = text(answers())
    assert eu.count("72 hours") == 1 and "where feasible, within 72 hours of becoming aware of it" in eu
    ru = text(answers(**RU, security={"measures": ["tls"], "breach_notice_hours": 72}))
    assert "we notify Roskomnadzor within 24 hours" in ru
    assert "we do so within 72 hours" not in ru


@pytest.mark.parametrize("law,element", [("eu", "gdpr.retention"), ("uk", "ukgdpr.retention"), ("ru", "ru.retention_and_destruction"),
                                         ("br", "lgpd.form_and_duration"), ("us_ca", "ccpa.retention_per_category")])
def test_finding_10_a_category_without_a_period_is_not_met(law, element):
    data = copy.deepcopy(BASE["data"]) + [{"id": "support", "retention": "P3Y", "call_recording": True}]
    a = answers(data=data, jurisdictions=[law])
    rows = [r[0] for r in table(a, "retention")]
    assert "Recordings of phone calls" not in rows  # no row saying the period is still to be set
    assert "to be set" not in text(a)
    rep = compliance.report(a, build(a))
    status = {i.element_id: i.status for i in rep.items}
    assert status[element] == "problem"
    data[-1]["call_recording_retention"] = "P90D"
    a = answers(data=data, jurisdictions=[law])
    assert {i.element_id: i.status for i in compliance.report(a, build(a)).items}[element] == "met"


def test_finding_2_customer_identification_only_with_identity_data():
    a = answers(services=["shared_hosting"], **RU)
    assert "Russian law requires hosting providers to identify" not in text(a)
    assert "ru.hosting_customer_identification" in report_ids(a)
    data = copy.deepcopy(BASE["data"]) + [{"id": "identity_verification", "retention": "P3Y"}]
    a = answers(services=["shared_hosting"], data=data, **RU)
    assert "Russian law requires hosting providers to identify" in text(a)
    assert "Identity and fraud checks" in [r[0] for r in table(a, "retention")]


def test_finding_9_while_active_in_each_category_s_own_words():
    data = copy.deepcopy(BASE["data"]) + [
        {"id": "domain_registrant", "retention": "while_active", "retention_after": "P2Y"},
        {"id": "marketing_preferences", "retention": "while_active", "retention_after": "P2Y"}]
    rows = {r[0]: r for r in table(answers(services=["shared_hosting", "domains"], data=data, marketing={"email": "opt_in"}), "retention")}
    assert rows["Account details"][1] == "for as long as your account is open, then 30 days"
    assert rows["Domain registration details"][1] == "for as long as the domain is registered through us, then 2 years"
    assert rows["Marketing preferences"][1] == "until you unsubscribe, then 2 years"
    assert "account" not in rows["Marketing preferences"][2]
    # no accounts at all: no account words anywhere in the table
    no_accounts = [{"id": "support", "retention": "while_active", "retention_after": "P1Y"},
                   {"id": "marketing_preferences", "retention": "while_active", "retention_after": "P30D"}]
    rows = table(answers(services=[], data=no_accounts, marketing={"email": "opt_in"}), "retention")
    assert rows and not any("account" in " ".join(r[1:3]) for r in rows), rows
    assert rows[0][1] == "for as long as we provide our services to you, then 1 year"


def test_finding_13_ru_domain_passport_details_in_the_inventory():
    data = copy.deepcopy(BASE["data"]) + [{"id": "domain_registrant"}]
    a = answers(services=["shared_hosting", "domains"], data=data, **RU)
    assert "Domain registration details: The name" in text(a)
    assert "For .ru and .рф domains, the registrar also needs a private registrant's date of birth and passport details" in text(a)
    row = next(r for r in table(a, "retention") if r[0].startswith("Domain registration details"))
    assert "passport details" in row[0]
    eu = answers(services=["shared_hosting", "domains"], data=data)
    assert not any("passport" in r[0] for r in table(eu, "retention"))


def test_finding_15_russia_only_policy_has_no_gdpr_role_words_or_eu_law():
    a = answers(services=["shared_hosting", "backups"], **RU)
    t = text(a)
    for words in ("controller", "processor", "sub-processor", "data processing agreement", "Digital Services Act"):
        assert words not in t.split("Content you store with us", 1)[1].split("How long we keep")[0], words
    assert not any("processor" in r[1] for r in table(a, "retention"))
    eu = text(answers(services=["shared_hosting", "backups"]))
    assert "A data processing agreement" in eu and "as their processor" in eu


def test_finding_21_no_control_panel_or_api_that_does_not_exist():
    a = answers(rights={"request_channels": ["email", "control_panel"]})
    t = text(a)
    assert "in your control panel" not in t
    assert "rights.control_panel_without_url" in report_ids(a)
    b = answers(rights={"request_channels": ["email", "control_panel"]}, control_panel_url="https://my.beispiel-hosting.example")
    assert "in your control panel at https://my.beispiel-hosting.example" in text(b)
    assert "rights.control_panel_without_url" not in report_ids(b)
    no_services = answers(services=[], data=[{"id": "communications", "retention": "P1Y"}, {"id": "server_logs", "retention": "P7D"}])
    t = text(no_services)
    assert "All connections to our websites are encrypted with TLS." in t and "control panel and APIs" not in t
    assert "All connections to our websites, control panel and APIs are encrypted with TLS." in text(answers())


def test_finding_22_extension_notice_within_the_stated_period():
    t = text(answers(rights={"response_days": 10}))
    assert "at the latest within 10 days" in t
    assert "within the first month" not in t
    assert "we tell you within 10 days of receiving your request, with the reasons" in t


def test_finding_23_email_tracking_is_in_the_inventory():
    data = copy.deepcopy(BASE["data"]) + [{"id": "marketing_preferences", "retention": "P2Y"}]
    tracked = text(answers(data=data, marketing={"email": "opt_in", "email_tracking": True}))
    assert "whether you opened our marketing emails and which of their links you clicked" in tracked
    assert "we keep it with your marketing preferences, for the period shown in the retention table" in tracked
    plain = text(answers(data=data, marketing={"email": "opt_in"}))
    assert "whether you opened our marketing emails" not in plain


def test_finding_24_glance_names_every_kind_of_data_it_covers_and_lists_are_sentences():
    data = [{"id": "communications", "retention": "P1Y"}, {"id": "server_logs", "retention": "P1Y"},
            {"id": "marketing_preferences", "retention": "while_active", "retention_after": "P30D"},
            {"id": "comments", "name": "Comment details", "examples": ["email address", "IP address"],
             "purposes": ["security"], "retention": "P1Y"}]
    a = answers(services=[], data=data, marketing={"email": "opt_in"})
    t = text(a)
    assert "marketing preferences: until you unsubscribe, then 30 days" in t.split("How long we keep it", 1)[1][:400]
    assert "Comment details: Email address and IP address." in t


def test_finding_15_uk_complaint_acknowledgement_only_under_the_uk_gdpr():
    au = text(answers(**AU))
    assert "within 30 days" not in au.split("How to complain", 1)[1].split("not answered within 30 days")[0]
    assert "We acknowledge every complaint within 30 days" not in au
    for where in (RU, dict(jurisdictions=["eu"])):
        assert "acknowledge a complaint" not in text(answers(**where))
    uk = text(answers(business__country="GB", business__address="1 High St, Leeds, LS1 1AA, United Kingdom", jurisdictions=["uk"]))
    assert "we acknowledge a complaint about how we use your personal data within 30 days of receiving it" in uk


def test_finding_24_adjacent_bold_runs_print_as_one():
    from generator import render

    doc = build(answers(**RU))
    md = render.render(doc, "markdown")
    assert "**As** **" not in md and "** **" not in md
    assert "- **As the operator**, for the data" in md
    html = render.render(doc, "html")
    assert "</strong><strong>" not in html


def test_finding_9_no_account_wording_without_accounts():
    a = answers(services=[], data=[{"id": "communications", "retention": "P1Y"}, {"id": "server_logs", "retention": "P7D"},
                                   {"id": "billing", "retention": "P6Y"}])
    t = text(a)
    for words in ("close your account", "account with us", "logged in to your account", "your account details and server logs"):
        assert words not in t, words
    assert "even after our services to you have ended" in t
    assert "close your account" in text(answers())


def test_finding_22_pipeda_extension_notice_within_the_stated_period():
    ca = dict(business__country="CA", business__address="1 Main St, Toronto ON M5H 2N2, Canada", business__region="CA-ON",
              storage_locations=["CA"], jurisdictions=["ca"], rights={"response_days": 20})
    t = text(answers(**ca))
    assert "within the first 30 days" not in t
    assert "we tell you within 20 days of receiving your request, with the reasons" in t


def test_finding_21_a_website_without_hosting_services_is_described_as_one():
    a = answers(services=[], roles={"processor_for_customers": False},
                data=[{"id": "communications", "retention": "P1Y"}, {"id": "server_logs", "retention": "P7D"}])
    t = text(a)
    for words in ("the services we host", "your services secure", "We may tell the customer concerned",
                  "against a customer who seriously breaches our terms", "to open an account or order from us"):
        assert words not in t, words
    assert "The servers that run our website automatically record" in t
    assert "Our website is not meant for children" in t
    hosted = text(answers())
    assert "the services we host" in hosted and "to open an account or order from us" in hosted
