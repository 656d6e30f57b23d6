"""The condition language of clauses and compliance rules.

A condition is a Python-like expression of a few named calls joined by and/or/not, for example
`service('domains') and not field('business.eu_representative')`. It is parsed with `ast` and
checked node by node, never passed to eval(), so a clause file can only ask questions, not run code.
The same parse serves the lint (which checks every call's argument) and evaluation (Facts below).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from generator.resolve import Facts

# call name -> how many string arguments it takes
CALLS = {
    "law": 1, "service": 1, "data": 1, "processor": 1, "processor_group": 1, "cookie_purpose": 1,
    "field": 1, "equals": 2, "established_in": 1, "safeguard": 1,
    "retention": 1, "consent_based": 0, "legitimate_interests": 0, "includes": 2, "stores_in": 1, "stores_outside": 1,
    # what the host does (issue 9): inventory, retention and cookie checks
    "recipient_data_undeclared": 0, "activity_data_undeclared": 0, "missing_retention": 0,
    "tracker_without_cookies": 0, "unexempt_cookies": 0, "cookie_exemption": 1,
    # each law reasons for itself (issue 8): generator/laws
    "transfers_under": 1, "transfer_gap": 1, "authority_known": 1, "representative_missing": 1,
    "representative_needed": 1, "shares_for_advertising": 0, "region": 1, "entity_unconfirmed": 0,
    "answered_data": 1, "breach_hours_exceed": 1,
    # the customer DPA (generator/dpa.py)
    "subprocessors_used": 0, "subprocessor_region_unstated": 0, "clause13_land_unknown": 0, "hosts_customer_data": 0, "unmanaged_service": 0, "dpa_breach_hours_too_long": 0,
    "dpa_transfer_gap": 1, "deletion_period_known": 0, "customer_data_backed_up": 0, "backup_period_known": 0,
    "dpa_breach_hours_given": 0, "own_transfer_by": 2,
    "dpa_mechanism_named": 1,
    "dpa_measures_given": 0, "dpa_measures_stated": 0, "art32_measure": 1,
}


class ConditionError(ValueError):
    pass


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[str, ...]


@lru_cache(maxsize=None)
def parse(expression: str | None) -> ast.Expression | None:
    """Return the checked AST of an expression (or None for 'always'); raise ConditionError."""
    expression = (expression or "always").strip()
    if expression == "always":
        return None
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise ConditionError(f"cannot parse condition {expression!r}: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.Load)):
            continue
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in CALLS:
                raise ConditionError(f"unknown call in condition {expression!r}: {ast.unparse(node.func)}")
            if node.keywords or len(node.args) != CALLS[node.func.id]:
                raise ConditionError(f"{node.func.id}() takes {CALLS[node.func.id]} string argument(s) in {expression!r}")
            if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
                raise ConditionError(f"{node.func.id}() arguments must be quoted strings in {expression!r}")
            continue
        if isinstance(node, (ast.Name, ast.Constant)) and any(
            node is getattr(parent, "func", None) or node in getattr(parent, "args", ())
            for parent in ast.walk(tree) if isinstance(parent, ast.Call)
        ):
            continue
        raise ConditionError(f"condition {expression!r} may only use the listed calls with and/or/not")
    return tree


def calls(expression: str | None) -> list[Call]:
    """Every Call in an expression, for the lint."""
    tree = parse(expression)
    if tree is None:
        return []
    return [
        Call(cast(ast.Name, node.func).id, tuple(cast(str, cast(ast.Constant, a).value) for a in node.args))
        for node in ast.walk(tree) if isinstance(node, ast.Call)
    ]


def evaluate(expression: str | None, facts: Facts) -> bool:
    tree = parse(expression)
    if tree is None:
        return True
    return bool(_eval(tree.body, facts))


def _eval(node: ast.expr, facts: Facts) -> object:
    if isinstance(node, ast.BoolOp):
        values = (_eval(v, facts) for v in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.UnaryOp):
        return not _eval(node.operand, facts)
    if isinstance(node, ast.Call):
        return getattr(facts, cast(ast.Name, node.func).id)(*(cast(ast.Constant, a).value for a in node.args))
    raise ConditionError(f"unexpected node {ast.dump(node)}")
