"""The wizard's steps, in order. Each step is one module in this package holding its form, its
mapping to and from the answers document (format privacy-policy-answers/1) and its "applies when"
rule; base.py holds what they share. To add a step: write its module (a `Step` subclass, a
template under templates/wizard/steps/) and add one line to STEPS below.
"""
import re

from generator.answers.model import JSON

from .base import Bundle, Step
from .business import BusinessStep
from .cookies import CookiesStep
from .data import DataStep
from .dpa import DpaStep
from .jurisdictions import JurisdictionsStep
from .processors import ProcessorsStep
from .retention import RetentionStep
from .review import ReviewStep
from .rights import RightsStep
from .services import ServicesStep

STEPS = (
    BusinessStep(),
    ServicesStep(),
    DataStep(),
    ProcessorsStep(),
    CookiesStep(),
    RetentionStep(),
    JurisdictionsStep(),
    RightsStep(),
    DpaStep(),
    ReviewStep(),
)
BY_SLUG = {s.slug: s for s in STEPS}
SLUGS = tuple(BY_SLUG)

# Top-level answers field -> the step that asks it (for error links and the compliance report),
# from each step's `answers_fields`.
FIELD_STEP = {name: s.slug for s in STEPS for name in s.answers_fields}

__all__ = ["BY_SLUG", "Bundle", "FIELD_STEP", "SLUGS", "STEPS", "Step", "applicable", "first_unfinished",
           "next_step", "previous_step", "step_for_path"]


def step_for_path(path: str) -> str:
    """"data[2].retention" -> "retention"; "business.country" -> "business"."""
    head = re.split(r"[.\[]", path or "", maxsplit=1)[0]
    if head == "data" and "retention" in path:
        return "retention"
    return FIELD_STEP.get(head, "business")


def applicable(answers: JSON) -> list[Step]:
    return [s for s in STEPS if s.applies(answers)]


def next_step(slug: str, answers: JSON) -> Step:
    steps = applicable(answers)
    order = [s.slug for s in STEPS]
    after = [s for s in steps if order.index(s.slug) > order.index(slug)]
    return after[0] if after else BY_SLUG["review"]


def previous_step(slug: str, answers: JSON) -> Step | None:
    steps = applicable(answers)
    order = [s.slug for s in STEPS]
    before = [s for s in steps if order.index(s.slug) < order.index(slug)]
    return before[-1] if before else None


def first_unfinished(answers: JSON) -> Step:
    for s in applicable(answers):
        if s.slug != "review" and not s.is_done(answers):
            return s
    return BY_SLUG["review"]
