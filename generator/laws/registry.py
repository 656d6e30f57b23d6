"""The laws registry: clauses/laws.yaml read into typed, immutable objects.

Every per-law fact lives in that file; this module only gives it a shape. The questions asked of
the facts (is this a transfer? which mechanism? which authority? which deadline?) are in the
sibling modules, so a new law is a new YAML entry, not new code.
"""
from dataclasses import dataclass, field
from typing import Any
from functools import lru_cache
from pathlib import Path

import yaml

from generator.library.catalogues import CLAUSES_DIR


@dataclass(frozen=True)
class Basis:
    text: str
    cite: str


@dataclass(frozen=True)
class Mechanism:
    id: str
    label: str
    text: str
    cite: str
    routine: bool = True  # False: a derogation that cannot cover regular transfers to a processor
    customer_text: str = ""  # how it covers a customer's disclosure to us, in the customer DPA
    processor_text: str = ""  # how it covers a sub-processor, in the customer DPA
    # processor_text when we are ourselves established outside the law's territory ({clause13}: the
    # supervisory authority the clauses name for such an exporter; counsel review of the DPA, M6)
    processor_text_exporter_outside: str = ""
    # processor_text for a sub-processor inside the territory whose affiliates reach the data in
    # {country}: its onward transfer (counsel review of the DPA, round 2, M2)
    processor_text_onward: str = ""


@dataclass(frozen=True)
class Response:
    max_days: int | None
    max_text: str
    cite: str
    working_days: bool = False
    default_days: int | None = None


@dataclass(frozen=True)
class Representative:
    field: str
    needed_outside: str
    exemption_field: str
    cite: str
    only_when: str | None = None


@dataclass(frozen=True)
class Law:
    id: str
    name: str
    short: str
    in_text: str
    controller_term: str
    processor_term: str
    dpo_title: str
    label: str
    wizard_label: str
    heading: str
    regimes: tuple[str, ...]
    suggested_for: tuple[str, ...]
    response: Response
    authority: str  # single | establishment
    territory: str | None = None
    territory_name: str | None = None
    adequate: frozenset[str] = frozenset()
    adequacy_source: str = ""
    adequacy_verified: bool = True
    us_dpf: str | None = None
    representative: Representative | None = None
    breach_authority_hours: int | None = None
    dpa_cite: str | None = None  # the processor-contract provision; None: the customer DPA does not cover this law
    legal_bases: dict[str, Basis] = field(default_factory=dict)  # basis id -> Basis
    purpose_bases: dict[str, dict[str, Basis]] = field(default_factory=dict)  # purpose id -> basis id -> Basis
    foreign_obligation: Basis | None = None  # legal obligation of a business established elsewhere
    mechanisms: dict[str, Mechanism] = field(default_factory=dict)  # mechanism id -> Mechanism
    from_answers: dict[str, str] = field(default_factory=dict)  # answers safeguard id -> mechanism id
    from_registrations: dict[str, str] = field(default_factory=dict)  # answers registration id -> mechanism id
    registry: str | None = None
    province_rule: dict[str, Any] = field(default_factory=dict)  # region, mechanism, answer (Quebec s. 17)
    data_subjects: dict[str, str] = field(default_factory=dict)  # data id -> categories of data subjects (152-FZ)
    default_data_subjects: str | None = None

    @property
    def has_transfer_rules(self) -> bool:
        return self.territory is not None


def _law(entry: dict[str, Any]) -> Law:
    entry = dict(entry)
    mechanisms = {
        key: Mechanism(id=key, **value) for key, value in (entry.pop("mechanisms", None) or {}).items()
    }
    return Law(
        **{k: v for k, v in entry.items() if k not in ("response", "representative", "legal_bases", "purpose_bases", "foreign_obligation", "adequate",
                                                       "regimes", "suggested_for")},
        regimes=tuple(entry["regimes"]),
        suggested_for=tuple(entry.get("suggested_for") or ()),
        response=Response(**entry["response"]),
        representative=Representative(**entry["representative"]) if entry.get("representative") else None,
        legal_bases={k: Basis(**v) for k, v in (entry.get("legal_bases") or {}).items()},
        foreign_obligation=Basis(**entry["foreign_obligation"]) if entry.get("foreign_obligation") else None,
        purpose_bases={p: {k: Basis(**v) for k, v in bases.items()} for p, bases in (entry.get("purpose_bases") or {}).items()},
        adequate=frozenset(entry.get("adequate") or ()),
        mechanisms=mechanisms,
    )


def load_laws(root: str | Path = CLAUSES_DIR) -> dict[str, Law]:
    """id -> Law, in file order."""
    with open(Path(root) / "laws.yaml", encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    return {entry["id"]: _law(entry) for entry in doc["laws"]}


@lru_cache(maxsize=1)
def get_laws() -> dict[str, Law]:
    return load_laws()


def law_ids() -> tuple[str, ...]:
    return tuple(get_laws())
