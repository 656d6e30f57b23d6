"""The customer DPA's part of the answers contract: defaults, bounds and the objection window."""
import pytest

from generator.answers import load_document
from tests.conftest import ALLRU_ANSWERS
from tests.factories import answers_from


def test_dpa_answers_default_to_lawful_values():
    dpa = answers_from(ALLRU_ANSWERS).dpa
    assert (dpa.subprocessor_notice_days, dpa.objection_days) == (30, 14)
    assert dpa.audit == "reports_first" and dpa.audit_notice_days == 30
    assert dpa.breach_notice_hours is None  # the legal standard, "without undue delay"
    assert dpa.acceptance == "online" and dpa.measures_text is None


def test_dpa_answers_are_read():
    dpa = answers_from(ALLRU_ANSWERS, dpa={
        "subprocessor_notice_days": 45, "objection_days": 44, "audit": "inspection_on_request",
        "audit_notice_days": 10, "breach_notice_hours": 24, "acceptance": "signature",
        "measures_text": "Racks in a locked cage.",
    }).dpa
    assert (dpa.subprocessor_notice_days, dpa.objection_days, dpa.breach_notice_hours) == (45, 44, 24)
    assert (dpa.audit, dpa.acceptance, dpa.measures_text) == ("inspection_on_request", "signature", "Racks in a locked cage.")


def _errors(dpa):
    doc = dict(ALLRU_ANSWERS, dpa=dpa)
    result = load_document(doc)
    assert not result.ok
    return [str(e) for e in result.errors]


def test_objection_window_longer_than_the_notice_is_refused_naming_the_field():
    errors = _errors({"subprocessor_notice_days": 10, "objection_days": 20})
    assert len(errors) == 1 and errors[0].startswith("dpa.objection_days: 20 days is not shorter than the 10 days")


@pytest.mark.parametrize("dpa, field", [
    ({"audit": "never"}, "dpa.audit"),  # no option without inspections (Art. 28(3)(h))
    ({"acceptance": "verbal"}, "dpa.acceptance"),
    ({"subprocessor_notice_days": 0}, "dpa.subprocessor_notice_days"),
    ({"breach_notice_hours": 0}, "dpa.breach_notice_hours"),
    ({"measures_text": ""}, "dpa.measures_text"),
    ({"surprise": 1}, "dpa"),
])
def test_bad_dpa_answers_name_their_field(dpa, field):
    assert any(e.startswith(field) for e in _errors(dpa)), _errors(dpa)


def test_objection_window_equal_to_the_notice_is_refused_naming_the_field():
    # counsel round 2, n11: a window closing on the day of the change leaves no time before it
    errors = _errors({"subprocessor_notice_days": 30, "objection_days": 30})
    assert len(errors) == 1 and errors[0].startswith("dpa.objection_days: 30 days is not shorter than the 30 days")
    assert load_document(dict(ALLRU_ANSWERS, dpa={"subprocessor_notice_days": 30, "objection_days": 29})).ok


def test_dpa_measures_are_ids_of_the_security_vocabulary_and_absent_means_not_stated():
    # counsel round 2, M3: the measures on customers' data are their own answer
    assert answers_from(ALLRU_ANSWERS).dpa.measures is None
    assert answers_from(ALLRU_ANSWERS, dpa={"measures": []}).dpa.measures == ()
    assert answers_from(ALLRU_ANSWERS, dpa={"measures": ["tls", "backups"]}).dpa.measures == ("tls", "backups")
    errors = _errors({"measures": ["Locked racks"]})
    assert len(errors) == 1 and errors[0].startswith("dpa.measures[0]: 'Locked racks' is not one of: tls")
