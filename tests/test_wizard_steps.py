"""Each wizard step's mapping called directly, without HTTP: `from_answers` fills the step's forms
from an answers document, `to_answers` applies posted data to it (generator/web/steps/).

`post_data` turns the forms a step shows into what a browser would post for them unchanged, so a
round trip (answers -> forms -> post -> answers) must give back the same slice of the document for
every worked example: a field the forms lose, or show wrongly, breaks it.
"""
import json
from pathlib import Path

import pytest
import yaml
from django import forms

from generator.answers import load_answers, model
from generator.web import steps

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "docs" / "examples").glob("*.yaml"))
FORM_STEPS = [s for s in steps.STEPS if s.slug != "review"]


def form_post_data(form):
    """{html name: value or [values]} a browser posts for `form` as shown."""
    out = {}
    for bound in form:
        widget = bound.field.widget
        value = bound.value()
        if isinstance(widget, forms.CheckboxInput):
            if widget.check_test(value):
                out[bound.html_name] = "on"
        elif isinstance(widget, forms.CheckboxSelectMultiple) or getattr(widget, "allow_multiple_selected", False):
            out[bound.html_name] = [str(v) for v in value or ()]
        elif isinstance(widget, forms.widgets.ChoiceWidget):  # a select or radio buttons: one value
            shown = widget.format_value(value)
            out[bound.html_name] = shown[0] if shown else ""
        else:
            shown = widget.format_value(value)
            out[bound.html_name] = "" if shown is None else str(shown)
    return out


def post_data(bundle):
    """What the step page posts when the owner changes nothing (the main form and every row)."""
    data = {}
    if bundle.main is not None:
        data.update(form_post_data(bundle.main))
    for rows, _ in bundle.formsets():
        data.update(form_post_data(rows.management_form))
        for row in rows.forms:
            data.update(form_post_data(row))
    return data


def as_querydict(data):
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            q.setlist(key, value)
        else:
            q[key] = value
    return q


def example(path):
    """A worked example as a draft holds it (JSON: dates as text)."""
    result = load_answers(path.read_bytes())
    assert result.ok, result.errors
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


def meaning(value):
    """A value as the contract reads it: a false flag, an empty object and a missing key are alike."""
    if isinstance(value, dict):
        out = {k: meaning(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, False, {})}
    if isinstance(value, list):
        return [meaning(v) for v in value]
    return value


def roundtrip(step, answers):
    new, bundle = step.to_answers(answers, as_querydict(post_data(step.from_answers(answers))))
    assert new is not None, bundle.error_summary()
    return new


@pytest.mark.parametrize("step", FORM_STEPS, ids=lambda s: s.slug)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_step_gives_back_the_answers_it_was_filled_from(step, path):
    answers = example(path)
    if not step.applies(answers):
        pytest.skip(f"{step.slug} does not apply to {path.stem}")
    new = roundtrip(step, answers)
    if step.slug == "dpa":  # saving the DPA step confirms its terms as the business's own (counsel, m7)
        dpa = {**(answers.get("dpa") or {}), "terms_confirmed": True}
        # and the suggestions it shows from the security step become the business's saved answers
        # for customers' data (counsel round 2, M3 and n9)
        security = answers.get("security") or {}
        dpa.setdefault("measures", [m for m in security.get("measures") or () if m in model.SECURITY_MEASURES])
        hours = security.get("breach_notice_hours")
        if "breach_notice_hours" not in dpa and isinstance(hours, int) and hours < 72:
            dpa["breach_notice_hours"] = hours
        answers = {**answers, "dpa": dpa}
    for field in step.answers_fields:
        assert meaning({field: new.get(field)}) == meaning({field: answers.get(field)}), (step.slug, field)


def test_steps_map_to_answers_without_a_request():
    """to_answers on an empty document: each step writes its own slice and nothing else."""
    business = steps.BY_SLUG["business"]
    new, bundle = business.to_answers({}, as_querydict({
        "legal_name": "Example Hosting Ltd", "websites": "example.com\nhttps://my.example.com", "address": "1 Road, London",
        "country": "GB", "contact_email": "privacy@example.com",
    }))
    assert new == {"business": {
        "legal_name": "Example Hosting Ltd", "websites": ["https://example.com", "https://my.example.com"],
        "address": "1 Road, London", "country": "GB", "contact_email": "privacy@example.com",
    }}
    services = steps.BY_SLUG["services"]
    new, _ = services.to_answers(new, as_querydict({"services": ["vps", "domains"]}))
    assert new["services"] == ["domains", "vps"] or new["services"] == ["vps", "domains"]
    assert new["roles"] == {"processor_for_customers": False}
    bad, bundle = services.to_answers(new, as_querydict({}))
    assert bad is None
    assert [message for _, _, message in bundle.error_summary()] == ["Choose at least one service, or tick “We sell none of these”."]


# --- everything the answers contract can say, the form can say ---------------------------------------

# Contract fields no step sets, each with the reason.
SET_ELSEWHERE = {
    "format": "the document's format marker, written on every draft by generator.web.services, never asked",
}


def schema_paths(node=None, path="", defs=None):
    """Every field of the answers JSON Schema, as "processors[].cookies[].provider"."""
    from generator.answers.loader import schema

    if node is None:
        node = schema()
        defs = node.get("$defs", {})
    out = set()
    if "$ref" in node:
        return schema_paths(defs[node["$ref"].rsplit("/", 1)[-1]], path, defs)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, ()):
            out |= schema_paths(sub, path, defs)
    for name, sub in node.get("properties", {}).items():
        child = f"{path}.{name}" if path else name
        out.add(child)
        out |= schema_paths(sub, child, defs)
    if isinstance(node.get("items"), dict):
        out |= schema_paths(node["items"], path + "[]", defs)
    return out


def document_paths(value, path=""):
    out = set()
    if isinstance(value, dict):
        for name, sub in value.items():
            child = f"{path}.{name}" if path else name
            out.add(child)
            out |= document_paths(sub, child)
    elif isinstance(value, list):
        for item in value:
            out |= document_paths(item, path + "[]")
    return out


def full_answers(business):
    """All-Ru's answers with every optional field of the contract filled in, and `business`."""
    doc = example(EXAMPLES[[p.stem for p in EXAMPLES].index("all-ru")])
    doc["business"] = business
    doc["services"] = ["shared_hosting", "domains", "ssl_certificates"]
    doc["data"] = [
        {"id": "account", "retention": "while_active", "retention_after": "P30D", "retention_starts": "your account is closed",
         "retention_reason": "to answer questions after you leave", "legal_basis": "contract",
         "purposes": ["account_management", "support"]},
        {"id": "billing", "retention": "P6Y", "retention_after": "P1Y", "retention_reason": "tax law"},
        {"id": "support", "retention": "P3Y", "call_recording": True, "call_recording_retention": "P90D"},
        {"id": "server_logs", "retention": "P12W"},
        {"id": "cctv", "name": "CCTV footage", "description": "Recordings from the cameras at our data centre entrance.",
         "examples": ["video"], "source": "automatic", "purposes": ["security"], "legal_basis": "legitimate_interests",
         "retention": "P30D"},
    ]
    doc["purposes"] = [{"data": "billing", "purpose": "billing", "legal_basis": "legal_obligation"}]
    doc["processors"] = [
        {"id": "stripe", "entity": "Stripe Payments UK Ltd", "country": "GB"},
        {"id": "google_analytics", "restricted_processing": True},
        {"name": "Acme Backup", "entity": "Acme Backup GmbH", "group": "infrastructure",
         "description": "stores encrypted copies of our backups", "purpose": "offsite backups", "country": "DE",
         "transfer_countries": ["US"], "data": ["account"], "privacy_url": "https://acme.example/privacy",
         "safeguard": "scc",
         "cookies": [{"name": "acme_sid", "purpose": "strictly_necessary", "duration": "session", "provider": "Acme",
                      "description": "keeps the backup console signed in"}]},
    ]
    doc["cookies"] = {"banner": False, "items": [
        {"name": "lang", "purpose": "preferences", "duration": "P1Y", "provider": "WHMCS",
         "description": "remembers your language", "exemption": "requested_by_user"}]}
    doc["storage_locations"] = ["GB", "US"]
    doc["jurisdictions"] = ["uk", "eu", "ca"]
    doc["transfers"] = {"safeguards": ["scc", "dpf"], "quebec_assessment": True}
    doc["quebec_governance_policy"] = True
    doc["registrations"] = ["ico"]
    doc["vat_oss"] = True
    doc["automated_decisions"] = {"order_fraud_screening": True}
    doc["marketing"] = {"email": "opt_in", "remarketing": True, "sells_personal_data": True, "email_tracking": True,
                        "opt_out_url": "https://www.all-ru.net/do-not-sell"}
    doc["rights"] = {"response_days": 20, "request_channels": ["email", "control_panel"]}
    doc["control_panel_url"] = "https://my.all-ru.net"
    doc["security"] = {"measures": ["tls", "backups", "DDoS filtering"], "breach_notice_hours": 48}
    doc["children"] = {"min_age": 18}
    doc["changes"] = {"notice_days": 14, "notify_by": ["email", "control_panel"]}
    doc["policy"] = {"effective_date": "2026-12-01", "language": "en", "paper": "Letter"}
    doc["dpa"] = {"subprocessor_notice_days": 45, "objection_days": 20, "audit": "inspection_on_request",
                  "audit_notice_days": 14, "breach_notice_hours": 24, "acceptance": "signature",
                  "measures_text": "Servers in locked racks.", "measures": ["tls", "backups"], "no_subprocessors_confirmed": True,
                  "scc_governing_law": "IE", "scc_forum": "NL",
                  "subprocessor_list_url": "https://www.all-ru.net/p/all-ru/subprocessors/",
                  "terms_confirmed": True}
    return doc


CONTACT = {"name": "Rep Ltd", "email": "rep@rep.example"}
BUSINESSES = {
    # outside the EEA and Switzerland: an EU representative, the Swiss exemption; a DPO abroad
    "gb": {"legal_name": "All-Ru Ltd", "trading_name": "All-Ru", "websites": ["https://www.all-ru.net"],
           "company_number": "09775671", "address": "Hawthorn House, Mansfield, NG21 0HJ", "country": "GB",
           "contact_email": "support@all-ru.net", "contact_url": "https://www.all-ru.net/contacto", "phone": "+44 1623 000000",
           "dpo": {"name": "Jane Doe", "email": "dpo@all-ru.net", "address": "1 Rue, Paris", "country": "FR"},
           "eu_representative": {**CONTACT, "address": "1 Example Street, Dublin D02 XY00", "country": "IE"},
           "ch_representative_exempt": True},
    # in Germany: its Land, a UK representative and the Swiss one
    "de": {"legal_name": "Beispiel GmbH", "websites": ["https://beispiel.example"], "address": "Hauptstr. 1, München",
           "country": "DE", "region": "DE-BY", "contact_email": "datenschutz@beispiel.example",
           "uk_representative": {**CONTACT, "address": "1 High Street, London", "country": "GB"},
           "ch_representative": {**CONTACT, "address": "Bahnhofstr. 1, Zürich", "country": "CH"}},
    # in the US: the EU and UK exemptions
    "us": {"legal_name": "Example Hosting LLC", "websites": ["https://hosting.example"], "address": "1 Main St, Austin, TX",
           "country": "US", "contact_email": "privacy@hosting.example", "eu_representative_exempt": True,
           "uk_representative_exempt": True},
}


def built_by_the_steps(full):
    """A document built from nothing by posting, step by step, what each step shows for `full`
    (each step twice: some questions appear once an earlier answer is saved, as in the browser)."""
    doc = {"format": "privacy-policy-answers/1"}
    for step in FORM_STEPS:
        if not step.applies(full):
            continue
        for _ in range(2):
            new, bundle = step.to_answers(doc, as_querydict(post_data(step.from_answers(full))))
            assert new is not None, (step.slug, bundle.error_summary())
            doc = new
    return doc


def test_every_field_of_the_contract_can_be_set_by_a_step():
    """Walks the answers JSON Schema: every field it defines is in a document the steps build from
    their own forms, unless SET_ELSEWHERE says why not."""
    contract = schema_paths()
    offered, settable = set(), set()
    for business in BUSINESSES.values():
        full = full_answers(business)
        assert load_answers(json.dumps(full).encode()).ok, load_answers(json.dumps(full).encode()).errors
        offered |= document_paths(full)
        built = built_by_the_steps(full)
        assert load_answers(json.dumps(built).encode()).ok, load_answers(json.dumps(built).encode()).errors
        settable |= document_paths(built)
    assert not contract - offered - set(SET_ELSEWHERE), "add these fields to full_answers()"
    assert sorted(contract - settable - set(SET_ELSEWHERE)) == []
    assert not set(SET_ELSEWHERE) - contract, "SET_ELSEWHERE names a field the contract no longer has"
