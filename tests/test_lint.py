"""check_clauses: the real library passes, and each rule catches a broken copy of it."""
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from generator.library import CLAUSES_DIR
from generator.library.lint import lint

SEED = "004_c6b6160d91d8cd7e.txt"
GOOD_QUOTE = "We store personal information for only as long as we have a reason to keep it."


@pytest.fixture(scope="module")
def pristine_problems():
    return lint(CLAUSES_DIR)


@pytest.fixture
def library_copy(tmp_path):
    root = tmp_path / "clauses"
    shutil.copytree(CLAUSES_DIR, root)
    return root


def good_clause(**changes):
    clause = {
        "id": "lint_test.sample", "when": "always", "laws": ["all"], "meets": ["gdpr.retention"],
        "text": "We keep data for {computed.response_period}.",
        "sources": [{"seed": SEED, "quote": GOOD_QUOTE}], "vetting": "Test clause.",
    }
    clause.update(changes)
    return {k: v for k, v in clause.items() if v is not None}


def add_section(root, *clauses):
    (root / "sections" / "999_lint_test.yaml").write_text(
        yaml.safe_dump({"section": "lint_test", "title": "Lint test", "clauses": list(clauses)})
    )


def new_problems(root, pristine):
    return [p for p in lint(root) if p not in pristine]


def test_real_library_passes(pristine_problems):
    assert pristine_problems == []


def test_command_exits_zero_on_the_real_library(capsys):
    call_command("check_clauses")
    assert "clause library OK" in capsys.readouterr().out


def test_a_good_clause_adds_no_problem(library_copy, pristine_problems):
    add_section(library_copy, good_clause())
    assert new_problems(library_copy, pristine_problems) == []


@pytest.mark.parametrize("clause, expected", [
    (good_clause(text="Hello {business.favourite_colour}."),
     "999_lint_test.yaml:lint_test.sample: placeholder {business.favourite_colour} is not a field of the answers model"),
    (good_clause(text="Hello {computed.nothing}."),
     "999_lint_test.yaml:lint_test.sample: placeholder {computed.nothing} is not a computed value"),
    (good_clause(when="field('business.shoe_size')"),
     "999_lint_test.yaml:lint_test.sample: condition refers to unknown answers field 'business.shoe_size'"),
    (good_clause(when="processor('stripee')"),
     "999_lint_test.yaml:lint_test.sample: condition refers to unknown processor id 'stripee'"),
    (good_clause(when="service('web_hosting')"),
     "999_lint_test.yaml:lint_test.sample: condition refers to unknown service id 'web_hosting'"),
    (good_clause(when="__import__('os')"),
     "999_lint_test.yaml:lint_test.sample: unknown call in condition"),
    (good_clause(sources=[{"seed": SEED, "quote": "We sell your data to anyone who asks."}]),
     "999_lint_test.yaml:lint_test.sample: source quote not found verbatim in " + SEED),
    (good_clause(sources=[{"seed": "999_missing.txt", "quote": "x"}]),
     "999_lint_test.yaml:lint_test.sample: source seed '999_missing.txt' is not a file in clauses/sources/"),
    (good_clause(sources=None), "999_lint_test.yaml:lint_test.sample: 'sources' is a required property"),
    (good_clause(sources=[]), "999_lint_test.yaml:lint_test.sample.sources: [] should be non-empty"),
    (good_clause(vetting=None), "999_lint_test.yaml:lint_test.sample: 'vetting' is a required property"),
    (good_clause(vetting="  "), "999_lint_test.yaml:lint_test.sample.vetting: '  ' is empty"),
    (good_clause(meets=["gdpr.favourite_colour"]),
     "999_lint_test.yaml:lint_test.sample: meets unknown checklist element 'gdpr.favourite_colour'"),
    (good_clause(block="weather_table"), "999_lint_test.yaml:lint_test.sample.block: 'weather_table' is not one of"),
    (good_clause(laws=["eu", "de"]), "999_lint_test.yaml:lint_test.sample.laws.1: 'de' is not one of"),
    (good_clause(text=" "), "999_lint_test.yaml:lint_test.sample: 'block' is a required property"),
    (good_clause(sources=[{"seed": SEED}]), "999_lint_test.yaml:lint_test.sample.sources.0: 'quote' is a dependency of 'seed'"),
    (good_clause(sources=[{"title": "x"}]), "999_lint_test.yaml:lint_test.sample.sources.0: Additional properties are not allowed"),
    (good_clause(id="other_section.sample"), "999_lint_test.yaml:other_section.sample: id must start with its section 'lint_test.'"),
])
def test_each_clause_rule_names_the_clause(library_copy, pristine_problems, clause, expected):
    add_section(library_copy, clause)
    problems = new_problems(library_copy, pristine_problems)
    assert any(p.startswith(expected) for p in problems), problems


def test_quote_with_folded_whitespace_is_accepted(library_copy, pristine_problems):
    add_section(library_copy, good_clause(sources=[{"seed": SEED, "quote": GOOD_QUOTE.replace(" ", "\n   ")}]))
    assert new_problems(library_copy, pristine_problems) == []


def test_seed_with_too_few_clauses(library_copy, pristine_problems):
    (library_copy / "sources" / "005_new_seed.txt").write_text("A new hosting company's policy.\n")
    problems = new_problems(library_copy, pristine_problems)
    assert "sources/005_new_seed.txt: contributes 0 adopted clauses; at least 4 are required" in problems


def test_adopting_a_rejected_passage_is_caught(library_copy, pristine_problems):
    rejected = yaml.safe_load((library_copy / "rejected.yaml").read_text())
    entries = rejected["rejected"] if isinstance(rejected, dict) else rejected
    passage = entries[0]
    add_section(library_copy, good_clause(sources=[{"seed": passage["seed"], "quote": passage["quote"]}]))
    problems = new_problems(library_copy, pristine_problems)
    assert any(p.startswith(f"999_lint_test.yaml:lint_test.sample: adopts rejected passage {passage['id']}") for p in problems), problems


def test_processor_missing_a_required_field(library_copy, pristine_problems):
    path = library_copy / "catalogues" / "processors" / "payments.yaml"
    entries = yaml.safe_load(path.read_text())
    stripe = next(e for e in entries if e["id"] == "stripe")
    del stripe["entity"]
    path.write_text(yaml.safe_dump(entries))
    assert "processors/payments.yaml:stripe: 'entity' is a required property" in new_problems(library_copy, pristine_problems)


def test_authority_missing_for_a_regime(library_copy, pristine_problems):
    path = library_copy / "catalogues" / "authorities.yaml"
    entries = [e for e in yaml.safe_load(path.read_text()) if e["law"] != "uk"]
    path.write_text(yaml.safe_dump(entries))
    assert "authorities.yaml: no supervisory authority for 'uk'" in new_problems(library_copy, pristine_problems)


def test_authority_missing_for_an_eea_state(library_copy, pristine_problems):
    path = library_copy / "catalogues" / "authorities.yaml"
    entries = [e for e in yaml.safe_load(path.read_text()) if not (e["law"] == "eu" and e["country"] == "IE")]
    path.write_text(yaml.safe_dump(entries))
    problems = new_problems(library_copy, pristine_problems)
    assert any(p.startswith("authorities.yaml: no supervisory authority for EEA state IE") for p in problems)


def test_compliance_rule_with_unknown_key_or_step(library_copy, pristine_problems):
    path = library_copy / "compliance.yaml"
    doc = yaml.safe_load(path.read_text())
    rule = next(r for r in doc["elements"] if r["id"] == "gdpr.retention")
    rule["step"], rule["outside_polcy"] = "retentions", True
    path.write_text(yaml.safe_dump(doc))
    problems = new_problems(library_copy, pristine_problems)
    assert "compliance.yaml:gdpr.retention: Additional properties are not allowed ('outside_polcy' was unexpected)" in problems
    assert any(p.startswith("compliance.yaml:gdpr.retention.step: 'retentions' is not one of") for p in problems), problems


def test_seed_without_a_description(library_copy, pristine_problems):
    path = library_copy / "sources" / "seeds.yaml"
    labels = yaml.safe_load(path.read_text())
    del labels[SEED]
    path.write_text(yaml.safe_dump(labels))
    assert f"sources/seeds.yaml: no description of seed {SEED}" in new_problems(library_copy, pristine_problems)


def test_lint_knows_the_wizard_steps():
    from generator.library.schemas import load_schema
    from generator.web import steps

    assert set(load_schema("common")["$defs"]["wizard_step"]["enum"]) == set(steps.SLUGS) - {"review"}


def test_command_exits_one_and_names_the_clause(library_copy, capsys):
    add_section(library_copy, good_clause(vetting=None))
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_clauses", root=str(library_copy))
    assert exit_info.value.code == 1
    assert "999_lint_test.yaml:lint_test.sample: 'vetting' is a required property" in capsys.readouterr().out


def test_seed_copies_are_unchanged():
    shared = Path(CLAUSES_DIR).parent.parent / "shared" / "seeds"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    for seed in shared.glob("*.txt"):
        assert (CLAUSES_DIR / "sources" / seed.name).read_bytes() == seed.read_bytes()


# --- JSON Schemas (clauses/schemas/): one broken file per schema, each caught and named ----------

def _edit(root, rel, change):
    """Load a YAML file of the copy, let `change` alter it, write it back."""
    path = root / rel
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc = change(doc) or doc
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _by_id(entries, ident, key="id"):
    return next(e for e in entries if e[key] == ident)


def _drop(mapping, key):
    del mapping[key]


def _set(mapping, **values):
    mapping.update(values)


def _add_section(root, doc):
    (root / "sections" / "999_lint_test.yaml").write_text(yaml.safe_dump(doc))


SCHEMA_CASES = [
    ("laws", "laws.yaml", lambda d: _drop(_by_id(d["laws"], "eu"), "authority"),
     "laws.yaml:eu: 'authority' is a required property"),
    ("laws", "laws.yaml", lambda d: _set(_by_id(d["laws"], "eu")["response"], max_days="30"),
     "laws.yaml:eu.response.max_days: '30' is not of type 'integer', 'null'"),
    ("processors", "catalogues/processors/payments.yaml",
     lambda d: _set(_by_id(d, "stripe")["cookies"][0], purpose="tracking"),
     "processors/payments.yaml:stripe.cookies.0.purpose: 'tracking' is not one of"),
    ("processors", "catalogues/processors/payments.yaml", lambda d: _set(_by_id(d, "stripe"), evidence=[{"url": "x"}]),
     "processors/payments.yaml:stripe.evidence.0: {'url': 'x'} is not of type 'string'"),
    ("authorities", "catalogues/authorities.yaml", lambda d: _set(_by_id(d, "ico"), url="http://ico.org.uk"),
     "authorities.yaml:ico.url: 'http://ico.org.uk' is not an https:// URL"),
    ("data_categories", "catalogues/data_categories.yaml", lambda d: _set(_by_id(d, "billing"), retention="6 years"),
     "data_categories.yaml:billing.retention: '6 years' is not an ISO 8601 duration"),
    ("purposes", "catalogues/purposes.yaml",
     lambda d: _set(_by_id(d, "provide_services"), legal_basis="legitimate_interests", legitimate_interest=None),
     "purposes.yaml:provide_services.legitimate_interest: None is not of type 'string'"),
    ("services", "catalogues/services.yaml", lambda d: _set(_by_id(d, "vps"), suggest_data=["account"]),
     "services.yaml:vps: Additional properties are not allowed ('suggest_data' was unexpected)"),
    ("countries", "catalogues/countries.yaml", lambda d: _set(_by_id(d["countries"], "AT", "code"), eea="yes"),
     "countries.yaml:AT.eea: 'yes' is not of type 'boolean'"),
    ("vocabulary", "catalogues/vocabulary.yaml", lambda d: _drop(d, "tables"),
     "vocabulary.yaml: 'tables' is a required property"),
    ("de_postcodes", "catalogues/de_postcodes.yaml", lambda d: _set(d["ranges"][0], region="DE-XX"),
     "de_postcodes.yaml:ranges.0.region: 'DE-XX' is not one of"),
    ("de_postcodes", "catalogues/de_postcodes.yaml", lambda d: _set(d["ranges"][0], to=1936),
     "de_postcodes.yaml:ranges.0.to: 1936 is not of type 'string'"),
    ("section", None, lambda root: _add_section(root, {"section": "lint_test", "titel": "Typo", "clauses": []}),
     "999_lint_test.yaml: Additional properties are not allowed ('titel' was unexpected)"),
    ("compliance", "compliance.yaml", lambda d: _set(d["checks"][0], law="eu_uk"),
     "compliance.yaml:gdpr.storage_limitation.law: 'eu_uk' is not one of"),
    ("compliance", "compliance.yaml", lambda d: _set(_by_id(d["elements"], "gdpr.purposes"), verify="always"),
     "compliance.yaml:gdpr.purposes: 'verify_advice' is a dependency of 'verify'"),
    ("rejected", "rejected.yaml", lambda d: _set(d["rejected"][0], reason=""),
     "rejected.yaml:transfer_consent_by_sending.reason: '' is empty"),
    ("unused_fields", "unused_fields.yaml", lambda d: [{"field": "data.call_recording", "reasn": "typo"}],
     "unused_fields.yaml:data.call_recording: Additional properties are not allowed ('reasn' was unexpected)"),
    ("us_spelling", "us_spelling.yaml", lambda d: _set(d["words"], Colour="color"),
     "us_spelling.yaml:words: 'Colour' is not a lower-case word"),
    ("dpa_checklist", "dpa_checklist.yaml", lambda d: _set(d["regimes"]["eu"]["elements"][0], step="annex"),
     "dpa_checklist.yaml:regimes.eu.elements.gdpr28.details.step: 'annex' is not one of"),
]


@pytest.mark.parametrize("schema, rel, change, expected", SCHEMA_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(SCHEMA_CASES)])
def test_each_schema_catches_a_broken_file(library_copy, pristine_problems, schema, rel, change, expected):
    if rel is None:
        change(library_copy)
    else:
        _edit(library_copy, rel, change)
    problems = new_problems(library_copy, pristine_problems)
    assert any(p.startswith(expected) for p in problems), problems


def test_dpa_clauses_are_linted_like_the_policy(library_copy, pristine_problems):
    """A DPA clause with an unknown placeholder, a block of the policy's, an element no checklist has,
    and a checklist element no clause meets: each named."""
    def change(doc):
        clause = doc["clauses"][0]
        clause["text"] += " {dpa.notice}"
        clause["meets"] = ["gdpr28.nonexistent"]
        doc["clauses"][1]["block"] = "cookies_table"
    _edit(library_copy, "dpa/030_duties.yaml", change)
    _edit(library_copy, "dpa_checklist.yaml", lambda d: d["regimes"]["eu"]["elements"].append(
        {"id": "gdpr28.extra", "citation": "GDPR Art. 28(3)", "requirement": "Something no clause says."}))
    problems = new_problems(library_copy, pristine_problems)
    assert "030_duties.yaml:duties.instructions: placeholder {dpa.notice} is not a field of the answers model" in problems
    assert "030_duties.yaml:duties.instructions: meets unknown checklist element 'gdpr28.nonexistent'" in problems
    assert "dpa/030_duties.yaml:duties.confidentiality: block 'cookies_table' is not one of the DPA's (generator.dpa.GENERATED_BLOCKS)" in problems
    assert "dpa_checklist.yaml:gdpr28.extra: no DPA clause meets this element" in problems


def test_every_law_the_dpa_does_not_cover_says_what_customers_need_instead(library_copy, pristine_problems):
    """dpa_checklist.yaml uncovered (counsel M9): a law without dpa_cite and without an entry, a last
    entry that does not always apply, a status the schema does not know and a condition call that
    does not exist are each named."""
    def change(doc):
        del doc["uncovered"]["au"]
        doc["uncovered"]["ru"][0]["applies"] = "region('RU-MOW')"
        doc["uncovered"]["ca"][0]["applies"] = "province('CA-QC')"
    _edit(library_copy, "dpa_checklist.yaml", change)
    problems = new_problems(library_copy, pristine_problems)
    assert "dpa_checklist.yaml: uncovered has no entry for law 'au', which the DPA does not cover" in problems
    assert "dpa_checklist.yaml:uncovered.ru: the last entry must apply always (no applies)" in problems
    assert any("quebec.processing_contract" in p and "unknown call" in p for p in problems), problems
    _edit(library_copy, "dpa_checklist.yaml", lambda d: _set(d["uncovered"]["ru"][0], status="gap"))
    assert any("'gap' is not one of" in p for p in new_problems(library_copy, pristine_problems))


def test_every_schema_has_a_broken_file_test():
    names = {p.name.removesuffix(".schema.json") for p in (CLAUSES_DIR / "schemas").glob("*.schema.json")}
    assert names - {"common"} == {case[0] for case in SCHEMA_CASES}


def test_a_file_the_loader_cannot_read_is_reported_not_raised(library_copy, pristine_problems):
    _edit(library_copy, "catalogues/countries.yaml", lambda d: _set(d["countries"][0], eu_member=True))
    problems = new_problems(library_copy, pristine_problems)
    assert any(p.startswith("countries.yaml:AW: Additional properties are not allowed ('eu_member'") for p in problems), problems
    assert any(p.startswith("check_clauses: cross-reference checks stopped") for p in problems), problems


def test_a_catalogue_file_without_a_schema_is_reported(library_copy, pristine_problems):
    (library_copy / "catalogues" / "hosting_terms.yaml").write_text("- id: x\n")
    problems = new_problems(library_copy, pristine_problems)
    assert any(p.startswith("hosting_terms.yaml: no schema for this file") for p in problems), problems


def test_a_processor_id_used_twice_across_files(library_copy, pristine_problems):
    stripe = _by_id(yaml.safe_load((library_copy / "catalogues/processors/payments.yaml").read_text()), "stripe")
    _edit(library_copy, "catalogues/processors/fraud.yaml", lambda d: d.append(dict(stripe)))
    problems = new_problems(library_copy, pristine_problems)
    assert any(p.startswith("processors/") and "id or alias 'stripe' is also used by processors/" in p for p in problems), problems
    assert "processors/fraud.yaml:stripe: group 'payments' belongs in processors/payments.yaml" in problems


def test_a_law_mapping_a_safeguard_to_a_mechanism_it_lacks(library_copy, pristine_problems):
    _edit(library_copy, "laws.yaml", lambda d: _set(_by_id(d["laws"], "eu")["from_answers"], scc="standard_clauses"))
    problems = new_problems(library_copy, pristine_problems)
    assert "laws.yaml:eu.from_answers: 'standard_clauses' is not one of this law's mechanisms" in problems


def test_schema_vocabularies_match_the_code():
    """The enums of common.schema.json are the code's own vocabularies, and laws.yaml has their laws."""
    from generator.answers import model
    from generator.assembly import GENERATED_BLOCKS
    from generator.dpa import GENERATED_BLOCKS as DPA_BLOCKS
    from generator.laws.registry import load_laws
    from generator.library.schemas import load_schema

    defs = load_schema("common")["$defs"]
    assert tuple(defs["law"]["enum"]) == model.LAWS == tuple(load_laws(CLAUSES_DIR))
    assert tuple(defs["legal_basis"]["enum"]) == model.LEGAL_BASES
    assert tuple(defs["cookie_purpose"]["enum"]) == model.COOKIE_PURPOSES
    assert tuple(defs["safeguard"]["enum"]) == model.SAFEGUARDS
    assert tuple(defs["registration"]["enum"]) == model.REGISTRATIONS
    assert set(defs["block"]["enum"]) == set(GENERATED_BLOCKS) | set(DPA_BLOCKS)
    assert set(load_schema("services")["items"]["properties"]["id"]["enum"]) == set(model.SERVICES)


def test_schemas_allow_only_what_the_loaders_read():
    """A key a schema allows is a field of the dataclass the loader builds (so a schema never lets
    through what the strict loaders would refuse)."""
    from dataclasses import fields

    from generator.laws import registry
    from generator.library import catalogues as cat
    from generator.library.schemas import load_schema

    def props(schema):
        return set(schema["properties"])

    def names(cls):
        return {f.name for f in fields(cls)}

    assert props(load_schema("laws")["$defs"]["law"]) <= names(registry.Law)
    assert props(load_schema("processors")["$defs"]["processor"]) <= names(cat.Processor)
    assert props(load_schema("data_categories")["items"]) <= names(cat.DataCategory)
    assert props(load_schema("purposes")["items"]) <= names(cat.Purpose)
    assert props(load_schema("services")["items"]) <= names(cat.Service)
    assert props(load_schema("authorities")["items"]) <= names(cat.Authority)
    assert props(load_schema("countries")["properties"]["countries"]["items"]) == names(cat.Country)


@pytest.mark.parametrize("folder", ["sections", "dpa"])
def test_a_file_that_cannot_be_read_stops_the_documents_instead_of_dropping_its_section(library_copy, folder):
    from generator.library import LibraryLoadError
    from generator.library.clauses import load_complete_library, load_library

    assert load_complete_library(library_copy, folder).sections  # the copy itself is whole
    broken = sorted((library_copy / folder).glob("*.yaml"))[1]
    broken.write_text(broken.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    # the plain loader, which the lint reports from, leaves the file out ...
    assert broken.name not in {s.file for s in load_library(library_copy, folder).sections}
    # ... and the loader behind every document refuses, naming the file
    with pytest.raises(LibraryLoadError, match=broken.name):
        load_complete_library(library_copy, folder)
