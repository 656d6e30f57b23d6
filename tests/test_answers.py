"""The answers contract: examples validate; broken documents give path-named errors, never a traceback."""
import copy
import json
from pathlib import Path

import pytest
import yaml

from generator.answers import load_answers, load_document, to_dict
from generator.answers.durations import Duration

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "docs" / "examples").glob("*.yaml"))

MINIMAL = {
    "format": "privacy-policy-answers/1",
    "business": {
        "legal_name": "Example Hosting Ltd", "websites": ["https://example.com"], "address": "1 High Street, Leeds",
        "country": "GB", "contact_email": "privacy@example.com",
    },
    "roles": {"processor_for_customers": True},
    "services": ["shared_hosting", "domains"],
    "data": [{"id": "account"}, {"id": "billing", "retention": "P6Y"}],
    "processors": [{"id": "stripe"}],
    "cookies": {"banner": True, "items": [{"name": "sid", "purpose": "strictly_necessary", "duration": "session"}]},
    "storage_locations": ["GB"],
    "jurisdictions": ["uk"],
}


def errors_of(doc):
    result = load_document(copy.deepcopy(doc))
    assert result.answers is None
    return [str(e) for e in result.errors]


def with_change(path, value):
    doc = copy.deepcopy(MINIMAL)
    node = doc
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


def test_five_examples_exist():
    assert {p.stem for p in EXAMPLES} >= {"all-ru", "wisecp-host", "allsales", "alexrust", "allcot"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_validates(path):
    result = load_answers(path.read_bytes())
    assert result.errors == ()
    assert result.answers.business.legal_name


def test_minimal_document_fills_defaults():
    result = load_document(MINIMAL)
    assert result.ok
    answers = result.answers
    assert answers.rights.response_days == 30
    assert answers.changes.notice_days == 30
    assert answers.policy.paper == "A4"
    assert answers.data[1].retention == Duration("P6Y")
    assert answers.marketing.sells_personal_data is False


def test_json_and_yaml_give_the_same_model():
    from_json = load_answers(json.dumps(MINIMAL)).answers
    from_yaml = load_answers(yaml.safe_dump(MINIMAL)).answers
    assert from_json == from_yaml


def test_model_is_immutable():
    answers = load_document(MINIMAL).answers
    with pytest.raises(AttributeError):
        answers.business.legal_name = "Other"


def test_to_dict_round_trips():
    answers = load_document(MINIMAL).answers
    again = load_document(to_dict(answers)).answers
    assert again == answers


def test_retention_after_may_name_the_event_that_starts_the_clock():
    doc = with_change(["data"], [{"id": "hosted_content", "retention": "P30D", "retention_after": "service termination"}])
    item = load_document(doc).answers.data[0]
    assert item.retention_after is None
    assert item.retention_starts == "service termination"


def test_processor_alias_resolves_to_catalogue_id():
    doc = with_change(["processors"], [{"id": "opensrs"}])
    assert load_document(doc).answers.processors[0].id == "tucows_opensrs"


@pytest.mark.parametrize("doc, expected", [
    (with_change(["processors"], [{"name": "Acme", "purpose": "backups", "country": "Germany", "data": ["backups"]}]),
     "processors[0].country: 'Germany' is not an ISO 3166-1 alpha-2 code"),
    (with_change(["storage_locations"], ["UK"]), "storage_locations[0]: 'UK' is not an ISO 3166-1 alpha-2 code"),
    (with_change(["rights"], {"response_days": "thirty"}), "rights.response_days: expected a whole number, got 'thirty'"),
    (with_change(["roles"], {"processor_for_customers": "yes"}), "roles.processor_for_customers: expected true or false, got 'yes'"),
    (with_change(["services"], "domains"), "services: expected a list, got 'domains'"),
    (with_change(["data"], [{"id": "billing", "retention": "6 years"}]), "data[0].retention: '6 years' is not a duration"),
    (with_change(["cookies"], {"items": [{"name": "x", "purpose": "strictly_necessary", "duration": "P1X"}]}),
     "cookies.items[0].duration: 'P1X' is not a duration"),
    (with_change(["business", "contact_email"], KeyError), "business.contact_email: this field is required"),
    (with_change(["jurisdictions"], KeyError), "jurisdictions: this field is required"),
    (with_change(["format"], "privacy-policy-answers/2"), "format: expected 'privacy-policy-answers/1'"),
    (with_change(["business", "contact_email"], "not-an-email"), "business.contact_email: 'not-an-email' is not an email address"),
    (with_change(["business", "websites"], ["javascript:alert(1)"]), "business.websites[0]: 'javascript:alert(1)' is not a web address"),
    (with_change(["jurisdictions"], ["eu", "mars"]), "jurisdictions[1]: 'mars' is not one of"),
    (with_change(["services"], ["shared_hostin"]), "did you mean 'shared_hosting'"),
    (with_change(["business", "legal_nam"], "X"), "business.legal_nam: unknown field; did you mean 'legal_name'?"),
    (with_change(["processors"], [{"id": "strpe"}]), "processors[0].id: unknown processor 'strpe'; did you mean 'stripe'"),
    (with_change(["data"], [{"id": "biling"}]), "data[0].id: unknown data category 'biling'; did you mean 'billing'"),
    (with_change(["processors"], [{"name": "Acme"}]), "processors[0]: give a catalogue id, or name, purpose, country and data"),
    (with_change(["policy"], {"effective_date": "23/11/2026"}), "policy.effective_date: '23/11/2026' is not a date"),
])
def test_broken_documents_name_the_path(doc, expected):
    assert any(expected in e for e in errors_of(doc)), errors_of(doc)


def test_five_megabyte_file_is_refused_before_parsing():
    raw = b"format: privacy-policy-answers/1\n# " + b"x" * 5_000_000 + b"\n"
    result = load_answers(raw)
    assert [str(e) for e in result.errors] == ["(document): the file is 5.0 MB; answers files may be at most 1 MB"]


def test_non_utf8_bytes():
    result = load_answers(yaml.safe_dump(MINIMAL).encode() + b"\nextra: \xff\xfe\n")
    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith("(document): the file is not UTF-8 text (byte 0xff")


def test_yaml_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    result = load_answers(bomb)
    assert len(result.errors) == 1
    assert "YAML aliases (*name) are not allowed" in str(result.errors[0])


@pytest.mark.parametrize("raw, expected", [
    (b"", "(document): the file is empty"),
    (b"- just\n- a list\n", "(document): expected a mapping of fields"),
    (b"format: [unclosed\n", "(document): not valid YAML"),
    (b'{"format": ', "(document): not valid JSON"),
    (b"!!python/object/apply:os.system ['true']\n", "(document): not valid YAML"),
])
def test_unparseable_documents(raw, expected):
    result = load_answers(raw)
    assert str(result.errors[0]).startswith(expected)


def test_validate_answers_command(tmp_path, capsys):
    from django.core.management import call_command

    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(MINIMAL))
    call_command("validate_answers", str(good))
    assert capsys.readouterr().out.strip() == "valid"

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(with_change(["storage_locations"], ["Germany"])))
    with pytest.raises(SystemExit) as exit_info:
        call_command("validate_answers", str(bad))
    assert exit_info.value.code == 1
    assert "storage_locations[0]: 'Germany' is not an ISO 3166-1 alpha-2 code" in capsys.readouterr().out
