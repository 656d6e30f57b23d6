"""The documents HostPolicy makes from one answers document: the privacy policy and, for a business
that hosts its customers' data, the customer data processing agreement. Both are the same tree
(generator.document) and go through the same renderers; this is the one place that says how each
kind is built, for the wizard's downloads and the PDF task worker."""
from __future__ import annotations

from datetime import date

from generator import dpa, policy
from generator.answers.model import Answers
from generator.document import PolicyDocument

KINDS = ("policy", "dpa")
# how a download of each kind is named: privacy-policy.pdf, data-processing-agreement.pdf
FILE_STEMS = {"policy": "privacy-policy", "dpa": "data-processing-agreement"}


def build(kind: str, answers: Answers, today: date | None = None) -> PolicyDocument:
    """The document of `kind` for typed answers; ValueError when the answers call for no DPA."""
    if kind == "policy":
        return policy.build(answers, today=today)
    if kind == "dpa":
        reason = dpa.why_not_available(answers)
        if reason:
            raise ValueError(reason)
        return dpa.build_dpa(answers, today=today)
    raise ValueError(f"unknown document {kind!r}; expected one of {', '.join(KINDS)}")

