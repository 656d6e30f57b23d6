"""Bounded cost (issue 10, defect 2): every list and free-text field of the answers contract has a
maximum, in the schema the wizard, the upload and the CLI share, and the most expensive document
the contract accepts (generator.worst_case) is accepted while one entry or character more is not.
`make bench` renders that document and prints how long the PDF takes (the bound is 10 s)."""
import copy

import pytest

from generator.answers import load_document
from generator.answers.loader import schema
from generator.models import Draft
from generator.worst_case import worst_case_answers

from test_wizard import new_draft, saved, submit, text


def _nodes(node, path="(document)"):
    if isinstance(node, dict):
        yield path, node
        for key, sub in node.get("properties", {}).items():
            yield from _nodes(sub, f"{path}.{key}")
        if isinstance(node.get("items"), dict):
            yield from _nodes(node["items"], f"{path}[]")
        for sub in node.get("anyOf", ()):
            yield from _nodes(sub, path)


def test_every_text_list_and_number_in_the_schema_is_bounded():
    unbounded = []
    for path, node in _nodes(schema()):
        types = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
        if "string" in types and "enum" not in node and "const" not in node and "maxLength" not in node:
            unbounded.append(f"{path}: maxLength")
        if "array" in types and "maxItems" not in node:
            unbounded.append(f"{path}: maxItems")
        if ("integer" in types or "number" in types) and "maximum" not in node:
            unbounded.append(f"{path}: maximum")
    assert unbounded == []


def test_the_worst_case_document_is_accepted():
    result = load_document(copy.deepcopy(worst_case_answers()))
    assert result.ok, result.errors[:5]


@pytest.mark.parametrize("change,error", [
    (lambda d: d["security"]["measures"].append("one more measure"), "security.measures: has more than 30 entries"),
    (lambda d: d["cookies"]["items"].append(dict(d["cookies"]["items"][0], name="another")), "cookies.items: has more than 30 entries"),
    (lambda d: d["processors"].append({"id": "stripe"}), "processors: has more than 15 entries"),
    (lambda d: d["business"].__setitem__("legal_name", d["business"]["legal_name"] + "x"),
     "business.legal_name: is longer than 300 characters"),
    (lambda d: d["data"][0]["examples"].append("x"), "data[0].examples: has more than 10 entries"),
    (lambda d: d["processors"][0].__setitem__("description", d["processors"][0]["description"] + "x"),
     "processors[0].description: is longer than 500 characters"),
])
def test_one_more_entry_or_character_is_refused(change, error):
    doc = copy.deepcopy(worst_case_answers())
    change(doc)
    result = load_document(doc)
    assert [str(e) for e in result.errors] == [error]


@pytest.mark.django_db
def test_ten_thousand_other_security_measures_are_not_saved(client, allru_answers):
    """The 2 MB POST of the outside test: the form took it, and its PDF took 42 s."""
    token = new_draft(client, allru_answers)
    measures = "\n".join(f"measure number {i}" for i in range(10_000))
    response = submit(client, token, "rights", {"other_measures": measures}, follow=True)
    assert response.status_code == 200
    assert "Not saved: security.measures: has more than 30 entries" in text(response)
    assert saved(token)["security"] == allru_answers["security"]
    assert Draft.objects.count() == 1
