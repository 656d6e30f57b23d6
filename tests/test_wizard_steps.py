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

from generator.answers import load_answers
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
    if bundle.rows is not None:
        data.update(form_post_data(bundle.rows.management_form))
        for row in bundle.rows.forms:
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
