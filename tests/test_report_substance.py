"""The compliance report tells the truth: every element it calls "met" turns "missing" (or a to-do)
when the clause that meets it is gone, and every element whose substance depends on the answers
(`verify:` in clauses/compliance.yaml) turns into a problem when the answers break it.
"""
import copy
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator import compliance, policy
from generator.answers import load_document
from generator.library import get_library

TODAY = date(2026, 11, 25)
EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "docs" / "examples").glob("*.yaml"))


def _load(doc):
    result = load_document(doc)
    assert result.ok, result.errors
    return result.answers


def _example(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _met_elements():
    out = []
    for path in EXAMPLES:
        answers = _load(_example(path))
        document = policy.build(answers, today=TODAY)
        for item in compliance.report(answers, document).items:
            if item.status == "met":
                out.append(pytest.param(path, item.law, item.element_id, id=f"{path.stem}-{item.law}-{item.element_id}"))
    return out


@pytest.mark.parametrize(("path", "law", "element_id"), _met_elements())
def test_every_met_element_depends_on_its_clause(path, law, element_id):
    answers = _load(_example(path))
    document = policy.build(answers, today=TODAY)
    meeting = {c.id for c in get_library().clauses() if element_id in c.meets}
    stripped = document.__class__(**{**document.__dict__, "clause_ids": tuple(
        c for c in document.clause_ids if c not in meeting)})
    found = [i for i in compliance.report(answers, stripped).items if i.law == law and i.element_id == element_id]
    assert found and found[0].status in ("missing", "action", "problem"), (element_id, found)


# -- substance: answers that break an element whose clause is still in the policy ---------------

def _status(doc, law, element_id):
    answers = _load(doc)
    items = compliance.report(answers, policy.build(answers, today=TODAY)).items
    found = [i.status for i in items if i.law == law and i.element_id == element_id]
    return found[0] if found else None


def _without(doc, **changes):
    doc = copy.deepcopy(doc)
    for dotted, value in changes.items():
        node = doc
        *parents, last = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return doc


def _verified_elements():
    return {r["id"] for r in compliance.load_compliance_map()["elements"] if r.get("verify")}


# Each case: example, law, element, the answers change that breaks the element's substance.
BREAKS = [
    ("munich-host", "eu", "gdpr.complaint_supervisory_authority",
     {"business.address": "Musterweg 1, Muenchen, Germany", "business.region": None}),   # no postcode: no Land
    ("munich-host", "eu", "gdpr.transfer_fact_and_adequacy",
     {"transfers.safeguards": [], "processors": [{"id": "hetzner", "country": "DE"}, {"id": "digitalocean", "country": "US"}]}),
    ("all-ru", "uk", "ukgdpr.transfer_fact_and_adequacy",
     {"transfers.safeguards": [], "processors": [{"id": "digitalocean", "country": "US"}]}),
    ("allcot", "ch", "fadp.foreign_countries_and_safeguards",
     {"transfers.safeguards": [], "processors": [{"id": "digitalocean", "country": "US"}]}),
    ("quebec-host", "ca", "pipeda.cross_border_processing",
     {"transfers.safeguards": [], "transfers.quebec_assessment": None, "business.region": None}),
    ("russia-host", "ru", "ru.cross_border_transfer", {"registrations": ["roskomnadzor"]}),
    ("australia-host", "au", "app.overseas_countries", {"transfers.safeguards": []}),
]


@pytest.mark.parametrize(("name", "law", "element_id", "changes"), BREAKS, ids=[b[2] for b in BREAKS])
def test_breaking_the_answers_turns_a_verified_element_into_a_problem(name, law, element_id, changes):
    doc = _example(Path(__file__).resolve().parent.parent / "docs" / "examples" / f"{name}.yaml")
    assert _status(doc, law, element_id) == "met"
    assert _status(_without(doc, **changes), law, element_id) == "problem"


def test_brazil_encarregado_without_a_name_is_a_problem():
    doc = _example(EXAMPLES[0])
    doc["jurisdictions"] = ["br"]
    doc["business"]["dpo"] = {"name": "Maria Exemplo", "email": "dpo@host.example"}
    assert _status(doc, "br", "lgpd.encarregado") == "met"
    doc["business"]["dpo"] = {"email": "dpo@host.example"}
    assert _status(doc, "br", "lgpd.encarregado") == "problem"


RETENTION = [("munich-host", "eu", "gdpr.retention"), ("all-ru", "uk", "ukgdpr.retention"),
             ("us-reseller-eu", "us_ca", "ccpa.retention_per_category"),
             ("russia-host", "ru", "ru.retention_and_destruction")]


@pytest.mark.parametrize(("name", "law", "element_id"), RETENTION, ids=[r[2] for r in RETENTION])
def test_a_data_category_without_a_period_breaks_the_retention_element(name, law, element_id):
    doc = _example(Path(__file__).resolve().parent.parent / "docs" / "examples" / f"{name}.yaml")
    doc["data"] = [d for d in doc["data"] if d.get("id") != "call_recordings"]
    for item in doc["data"]:
        item.setdefault("retention", "P1Y")  # every category has its period: the element is met
    for item in doc["data"]:
        if item.get("call_recording"):
            item["call_recording_retention"] = "P90D"
    assert _status(doc, law, element_id) == "met"
    # a category of the business's own with no period, and none in the catalogue to fall back on
    doc["data"].append({"id": "guest_book", "name": "Guest book entries", "examples": ["name", "message"],
                        "purposes": ["support"], "legal_basis": "consent"})
    assert _status(doc, law, element_id) == "problem"


def test_every_verified_element_has_a_breaking_case():
    covered = {b[2] for b in BREAKS} | {r[2] for r in RETENTION} | {"lgpd.encarregado", "lgpd.international_transfer",
                                                                      "lgpd.form_and_duration"}
    assert _verified_elements() <= covered, _verified_elements() - covered


def test_brazil_transfer_without_the_anpd_clauses_is_a_problem():
    doc = _example(EXAMPLES[0])
    doc["business"].update({"country": "BR", "address": "Rua Exemplo 1, 01000-000 Sao Paulo, Brazil",
                            "dpo": {"name": "Maria Exemplo", "email": "dpo@host.example"}})
    for key in ("eu_representative", "uk_representative", "region"):
        doc["business"].pop(key, None)
    doc.update(jurisdictions=["br"], storage_locations=["BR"], processors=[{"id": "digitalocean", "country": "US"}],
               transfers={"safeguards": ["scc"]})
    assert _status(doc, "br", "lgpd.international_transfer") == "met"
    doc["transfers"] = {"safeguards": []}
    assert _status(doc, "br", "lgpd.international_transfer") == "problem"


def test_brazil_retention_element_needs_every_period():
    doc = _example(EXAMPLES[0])
    doc["business"].update({"country": "BR", "address": "Rua Exemplo 1, 01000-000 Sao Paulo, Brazil",
                            "dpo": {"name": "Maria Exemplo", "email": "dpo@host.example"}})
    for key in ("eu_representative", "uk_representative", "region"):
        doc["business"].pop(key, None)
    doc.update(jurisdictions=["br"], storage_locations=["BR"], processors=[])
    doc["data"] = [d for d in doc["data"] if d.get("id") != "call_recordings"]
    for item in doc["data"]:
        item.setdefault("retention", "P1Y")
        if item.get("call_recording"):
            item["call_recording_retention"] = "P90D"
    assert _status(doc, "br", "lgpd.form_and_duration") == "met"
    doc["data"].append({"id": "guest_book", "name": "Guest book entries", "examples": ["name"],
                        "purposes": ["support"], "legal_basis": "consent"})
    assert _status(doc, "br", "lgpd.form_and_duration") == "problem"
