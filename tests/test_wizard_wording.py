"""The wizard's wording has one home: every form field's label and help text comes from the
wizard_fields group of clauses/catalogues/vocabulary.yaml (issue 11), and every entry there is used.

Every step's forms are built through the step registry for every worked example (with an empty row
of each formset), so the fields added per category, processor or representative are covered too.
The words wizard.js shows come from the wizard_script group, on the script's own <script> tag.
"""
import ast
import re
from pathlib import Path

import pytest
import yaml
from django import forms

from generator.library import get_catalogues
from generator.web import steps

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.yaml"))
STEPS_DIR = ROOT / "generator" / "web" / "steps"
FORMSET_KEYS = ("rows.remove",)  # the delete box every row formset adds (steps/base.py RemoveFormSet)


def wizard_fields():
    return get_catalogues().vocabulary["wizard_fields"]


def label_pattern(template):
    """A regex matching the label `template` with each {placeholder} filled by some text."""
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.S)


def representative_exemptions():
    """The representatives' exemption notes, the help of their "exemption applies" box: worded in
    vocabulary.yaml's wizard_representatives group, beside the other words about each representative."""
    words = get_catalogues().vocabulary["wizard_representatives"]
    return {text for key, text in words.items() if key.endswith("_exemption")}


def shown_fields():
    """(step slug, field name, label, help text) of every visible field of every step's forms, for
    every worked example."""
    out = []
    for example in EXAMPLES:
        answers = yaml.safe_load(example.read_text())
        for step in steps.STEPS:
            if step.slug == "review":
                continue
            bundle = step.forms(answers)
            forms_shown = [bundle.main] if bundle.main is not None else []
            for rows, _ in bundle.formsets():
                forms_shown += [*rows.forms, rows.empty_form]
            for form in forms_shown:
                for name, field in form.fields.items():
                    if isinstance(field.widget, forms.HiddenInput):
                        continue
                    out.append((step.slug, name, str(field.label), str(field.help_text)))
    return out


def wording_key(slug, name, label, help_text, entries, exemptions):
    """The wizard_fields key whose label (and help, if any) this field shows, or None."""
    for key, entry in entries.items():
        if not (key.startswith(f"{slug}.") or key in FORMSET_KEYS):
            continue
        if not label_pattern(entry["label"]).match(label):
            continue
        if help_text == entry.get("help", "") or (key == "business.rep_exempt" and help_text in exemptions):
            return key
    return None


@pytest.fixture(scope="module")
def matched():
    entries = wizard_fields()
    exemptions = representative_exemptions()
    return [(slug, name, label, help_text, wording_key(slug, name, label, help_text, entries, exemptions))
            for slug, name, label, help_text in shown_fields()]


def test_every_step_is_covered(matched):
    slugs = {slug for slug, *_ in matched}
    assert slugs == {s.slug for s in steps.STEPS if s.slug != "review"}
    assert len(matched) > 500  # every example's fields, not a handful


def test_every_field_label_and_help_comes_from_vocabulary(matched):
    strays = [(slug, name, label, help_text) for slug, name, label, help_text, key in matched if key is None]
    assert strays == [], "labels or help texts not worded in vocabulary.yaml wizard_fields"


def test_every_wizard_fields_entry_is_used(matched):
    used = {key for *_, key in matched}
    assert sorted(set(wizard_fields()) - used) == []


def test_step_modules_hold_no_label_or_help_text_literals():
    """A literal `label=` or `help_text=` in a step module is wording outside vocabulary.yaml."""
    found = []
    for path in sorted(STEPS_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg in ("label", "help_text") \
                    and isinstance(node.value, (ast.Constant, ast.JoinedStr)):
                found.append(f"{path.name}:{node.lineno} {node.arg}={ast.unparse(node.value)}")
            if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.JoinedStr)) \
                    and any(isinstance(t, ast.Attribute) and t.attr in ("label", "help_text") for t in node.targets):
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def test_wizard_script_words_come_from_vocabulary(client):
    """wizard.js shows only words given on its <script> tag from vocabulary.yaml's wizard_script group;
    the script itself sets no text from a string literal."""
    words = get_catalogues().vocabulary["wizard_script"]
    page = client.get("/").content.decode()
    script_tag = re.search(r"<script[^>]*wizard\.js[^>]*>", page).group(0)
    for key, text in words.items():
        assert f'data-word-{key.replace("_", "-")}="{text}"' in script_tag
    source = (ROOT / "static" / "wizard" / "wizard.js").read_text()
    assert re.findall(r"(?:textContent|placeholder)\s*=\s*\"[^\"]+\"", source) == []
    ids = {key.replace("_", "-") for key in words}
    literals = [literal for literal in re.findall(r'"([^"\\]*)"', source) if literal not in ids]
    for text in words.values():
        text = text.replace("{count}", "").strip()
        assert [literal for literal in literals if text in literal] == [], text
