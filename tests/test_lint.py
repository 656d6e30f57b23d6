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
