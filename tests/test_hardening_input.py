"""Hostile input found by the outside test (issue 10, defects 1, 3, 4, 6 and 9): nesting bombs,
control characters, lone surrogates, malformed numbers, dates and tags, and tampered forms. Each
gives the usual list of errors naming the field, never a server error, and never loses a draft."""
import copy
import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from generator.answers import load_answers, load_document
from generator.answers.loader import MAX_DEPTH, partial_errors
from generator.models import Draft
from generator.text import clean, problem
from generator.web import services, steps

from test_wizard import new_draft, page_form, saved, submit, text, url


def errors_of(raw):
    result = load_answers(raw)
    assert not result.ok
    return [str(e) for e in result.errors]


def answers_json(doc):
    return json.dumps(doc, ensure_ascii=True)


# --- defect 1: nesting ------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "business: " + "[" * 30_000 + "]" * 30_000,                       # YAML flow, 60 KB
    "business:\n  " + "- " * 30_000 + "x\n",                          # YAML block sequences
    "business:\n" + "".join(" " * i + "a:\n" for i in range(1, 900)) + " " * 900 + "b: 1\n",
    '{"business": ' + '{"a": ' * 900 + "1" + "}" * 901,               # JSON objects
    '{"business": ' + "[" * 200_000 + "]" * 200_000 + "}",            # JSON, 400 KB
    "[" * 400_000,                                                    # unclosed, 400 KB
])
def test_deep_nesting_is_refused_before_it_is_built(raw):
    errors = errors_of(raw)
    assert errors == [f"(document): the document is nested more than {MAX_DEPTH} levels deep"] or (
        len(errors) == 1 and errors[0].startswith(f"(document): the document is nested more than {MAX_DEPTH} levels deep (")
    )


def test_brackets_inside_strings_are_not_nesting(allru_answers):
    allru_answers["business"]["address"] = "[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{ \\\" ]]]"
    assert load_answers(answers_json(allru_answers)).ok
    assert load_answers(yaml.safe_dump(allru_answers)).ok


def test_every_worked_example_is_within_the_depth_limit():
    from pathlib import Path

    for path in sorted(Path(__file__).resolve().parent.parent.joinpath("docs", "examples").glob("*.yaml")):
        assert load_answers(path.read_bytes()).ok, path


# --- defects 3 and 4: control characters, lone surrogates, bidi overrides ---------------------

@pytest.mark.parametrize("char,shown", [
    ("\x00", "U+0000 (NUL)"), ("\ud800", "U+D800 (a lone surrogate)"), ("\udfff", "U+DFFF (a lone surrogate)"),
    ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"), ("\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ("\x1b", "U+001B"), ("\x7f", "U+007F (DEL)"),
])
def test_control_characters_in_an_uploaded_json_name_the_field(allru_answers, char, shown):
    allru_answers["business"]["legal_name"] = f"All{char}Ru Ltd"
    allru_answers["security"]["measures"][1] = f"x{char}"
    errors = errors_of(answers_json(allru_answers))
    assert errors[0].startswith("business.legal_name: contains the invisible or control character " + shown)
    assert errors[0].endswith("at position 4")
    assert errors[1].startswith("security.measures[1]: contains")


def test_control_characters_in_field_names_and_yaml(allru_answers):
    allru_answers["business"]["x\u202eA"] = "value"
    assert errors_of(answers_json(allru_answers))[0].startswith("business.x\u202eA: the field name contains")
    doc = "format: privacy-policy-answers/1\nbusiness:\n  legal_name: \"a\\u202eb\"\n"
    assert errors_of(doc)[0].startswith("business.legal_name: contains the invisible or control character U+202E")


def test_tab_newline_and_right_to_left_text_are_fine(allru_answers):
    allru_answers["business"]["address"] = "Hawthorn House,\r\n\tSouthwell Road\nשלום עולם مرحبا"
    assert load_answers(answers_json(allru_answers)).ok


def test_clean_removes_exactly_the_forbidden_characters():
    assert clean("a\x00b\ud800c\u202ad\u2069e\tf\ng\u200fh") == "abcde\tf\ng\u200fh"
    assert problem("plain text, Ünïcode, 日本語") is None


# --- defect 6: numbers, dates and tags the parser cannot build ---------------------------------

@pytest.mark.parametrize("value,field,message", [
    ("1" * 5000, "rights.response_days", "a number with 5000 digits is not allowed"),
    ("-" + "9" * 4301, "rights.response_days", "a number with 4301 digits is not allowed"),
    ("2020-13-45", "policy.effective_date", "'2020-13-45' is not a date (YYYY-MM-DD)"),
    ("!!timestamp not-a-date", "policy.effective_date", "'not-a-date' is not a date (YYYY-MM-DD)"),
    ("!!int twelve", "rights.response_days", "'twelve' is not a whole number"),
    ("!!float lots", "rights.response_days", "'lots' is not a number"),
    ("!!bool maybe", "cookies.banner", "'maybe' is not true or false"),
])
def test_unbuildable_yaml_scalars_name_their_field(allru_answers, value, field, message):
    doc = yaml.safe_dump(allru_answers, sort_keys=False)
    parent, leaf = field.split(".")
    placeholder = "PLACEHOLDER_VALUE"
    node = allru_answers.setdefault(parent, {})
    node[leaf] = placeholder
    doc = yaml.safe_dump(allru_answers, sort_keys=False).replace(placeholder, value)
    assert f"{field}: {message}" in errors_of(doc)


def test_unbuildable_json_numbers_name_their_field(allru_answers):
    raw = answers_json(allru_answers).replace('"response_days": 30', '"response_days": ' + "7" * 5000)
    assert errors_of(raw) == ["rights.response_days: a number with 5000 digits is not allowed"]
    raw = answers_json(allru_answers).replace('"response_days": 30', '"response_days": NaN')
    assert errors_of(raw) == ["rights.response_days: NaN is not a number"]


def test_huge_values_are_not_echoed_in_errors(allru_answers):
    allru_answers["business"]["country"] = "Q" * 100_000
    errors = errors_of(answers_json(allru_answers))
    assert sorted(errors)[1] == "business.country: is longer than 10 characters"
    assert sorted(errors)[0].startswith("business.country: 'QQQQ") and len(sorted(errors)[0]) < 200


# --- the same through the web: uploads and every step -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("raw,field", [
    ("business: " + "[" * 30_000, "(document)"),
    ('{"format": "privacy-policy-answers/1", "business": {"legal_name": "A\\u0000B"}}', "business.legal_name"),
    ('{"format": "privacy-policy-answers/1", "business": {"legal_name": "\\ud800"}}', "business.legal_name"),
    ("format: privacy-policy-answers/1\npolicy:\n  effective_date: 2020-13-45\n", "policy.effective_date"),
    ("rights:\n  response_days: " + "1" * 5000 + "\n", "rights.response_days"),
])
def test_hostile_uploads_list_errors_and_store_nothing(client, raw, field):
    response = client.post("/upload/", {"answers_file": SimpleUploadedFile("a.json", raw.encode("utf-8", "surrogatepass"))})
    assert response.status_code == 200
    assert f"<code>{field}</code>" in text(response)
    assert Draft.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("step", [s.slug for s in steps.STEPS if s.slug != "review"])
def test_control_characters_in_every_step_are_removed_before_anything_is_kept(client, allru_answers, step):
    token = new_draft(client, allru_answers)
    page = client.get(url(token, step))
    assert page.status_code == 200
    form = page_form(text(page))
    # (a browser cannot send a lone surrogate: undecodable bytes arrive as U+FFFD)
    hostile = {name: [f"{v}\x00\u202e\x85" if v else "\x00" for v in values] for name, values in form.items()
               if name not in ("csrfmiddlewaretoken",)}
    hostile["nav"] = ["stay"]
    hostile["extra\x00field"] = ["\x00"]
    response = client.post(url(token, step), hostile)
    assert response.status_code in (200, 302)
    draft = Draft.objects.get()
    stored = json.dumps([draft.answers, draft.pending])
    for char in ("\\u0000", "\\u202e", "\\u0085"):
        assert char not in stored
    assert saved(token)["business"]["legal_name"] == "All-Ru Ltd"


# --- defect 9: the saved document is checked against the contract --------------------------------

@pytest.mark.django_db
def test_tampered_data_step_with_duplicate_ids_is_not_saved(client, allru_answers):
    allru_answers["data"].append({"id": "cctv_footage", "name": "CCTV footage", "purposes": ["security"],
                                  "legal_basis": "legitimate_interests", "retention": "P30D"})
    token = new_draft(client, allru_answers)
    before = copy.deepcopy(saved(token))
    response = submit(client, token, "data", {
        "custom-TOTAL_FORMS": "2",
        "custom-1-id": "cctv_footage", "custom-1-name": "Door logs", "custom-1-purposes": ["security"],
        "custom-1-legal_basis": "legitimate_interests",
    }, follow=True)
    assert response.status_code == 200
    html = text(response)
    assert "Not saved:" in html and "is already used by data[" in html
    assert saved(token) == before


def test_partial_documents_are_checked_except_for_missing_fields():
    assert partial_errors({"format": "privacy-policy-answers/1"}) == []
    errors = partial_errors({"format": "privacy-policy-answers/1", "data": [{"id": "account"}, {"id": "account"}]})
    assert [str(e) for e in errors] == ["data[1].id: 'account' is already used by data[0]"]
    errors = partial_errors({"format": "privacy-policy-answers/1", "rights": {"response_days": 10**6}})
    assert [str(e) for e in errors] == ["rights.response_days: 1000000 is above the maximum of 90"]


@pytest.mark.django_db
def test_publish_refuses_duplicate_ids(allru_answers):
    allru_answers["data"].append(copy.deepcopy(allru_answers["data"][0]))
    draft, _ = services.draft_create(allru_answers)
    version, errors = services.publish(draft)
    assert version is None
    assert "data[7].id: 'account' is already used by data[0]" in [str(e) for e in errors]
    assert not load_document(allru_answers).ok
