"""Transfers, reasoned law by law and recipient by recipient.

A disclosure is a transfer under a law when personal data of the people that law protects goes to
a recipient outside the law's territory (for the GDPR: EDPB Guidelines 05/2021), whatever the
business's own country: an EEA recipient is never a GDPR transfer, and a US business's US vendors
are GDPR transfers for its EU customers' data. Our own servers are not a recipient; where they
are is said in the storage clause.

For each transfer the mechanism is chosen from the law's own list (laws.yaml): the law's adequacy
list, then the DPF part that law recognises for a certified US recipient, then what the business
answered for that recipient, the vendor's own binding corporate rules or contractual clauses, the
registry necessity for registries and registrars, a registration the law attaches a mechanism to
(Russia's cross-border notice), and last the business's general safeguards. A
transfer with no mechanism is a gap the compliance report names; the policy never invents one.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .registry import Law, Mechanism

if TYPE_CHECKING:
    from generator.answers.model import Answers
    from generator.library.catalogues import Country
    from generator.resolve import Facts, ResolvedProcessor


OWN_ACCOUNT_GROUPS = ("registrars", "certificate_authorities")


@dataclass(frozen=True)
class Transfer:
    law: Law
    recipient: ResolvedProcessor
    country: str
    mechanism: Mechanism | None


def in_territory(law: Law, code: str, countries: dict[str, Country]) -> bool:
    """Whether a destination is inside the territory the law protects (EEA = every EEA state)."""
    if law.territory == "EEA":
        country = countries.get(code)
        return code == "EEA" or bool(country and country.eea)
    return code == law.territory


def is_adequate(law: Law, code: str, countries: dict[str, Country]) -> bool:
    if code in law.adequate:
        return True
    if "EEA" in law.adequate:
        country = countries.get(code)
        return code == "EEA" or bool(country and country.eea)
    return False


def choose_mechanism(law: Law, recipient: ResolvedProcessor, country: str, answers: Answers,
                     countries: dict[str, Country]) -> str | None:
    """The mechanism id that covers this recipient's data in `country` under `law`, or None."""
    if is_adequate(law, country, countries):
        return "adequacy"
    if country == "US" and law.us_dpf and law.us_dpf in recipient.dpf:
        return "dpf"

    def usable(mechanism_id: str | None, registry: bool = False) -> bool:
        mechanism = law.mechanisms.get(mechanism_id) if mechanism_id else None
        return mechanism is not None and (mechanism.routine or registry)

    def from_answer(safeguard: str) -> str | None:
        # the DPF covers only a certified US recipient: never a general answer applied to all
        candidate = law.from_answers.get(safeguard)
        return None if candidate == "dpf" else candidate

    answered = from_answer(recipient.safeguard) if recipient.safeguard else None
    if usable(answered):
        return answered
    if recipient.bcr and usable(law.from_answers.get("bcr")):
        return law.from_answers["bcr"]
    if recipient.scc and usable(law.from_answers.get("scc")) and law.id != "br":
        # a vendor's EU clauses are not the ANPD's own standard clauses
        return law.from_answers["scc"]
    for registration in answers.registrations:
        if usable(law.from_registrations.get(registration)):
            return law.from_registrations[registration]
    if recipient.group in OWN_ACCOUNT_GROUPS:
        # registries, registrars and certificate authorities decide their own use of the data: the
        # business's general safeguards (its processor contracts) are not assumed to bind them
        return law.registry if usable(law.registry, registry=True) else None
    for safeguard in answers.transfers.safeguards:
        candidate = from_answer(safeguard)
        if usable(candidate):
            return candidate
    return None
    return None


def analyse(facts: Facts, laws: dict[str, Law]) -> tuple[Transfer, ...]:
    """Every transfer under every chosen law with transfer rules, in recipient order."""
    countries = facts.catalogues.countries
    out = []
    for law_id in facts.answers.jurisdictions:
        law = laws.get(law_id)
        if law is None or not law.has_transfer_rules:
            continue
        province = _province(law, facts.answers)
        for recipient in facts.processors:
            destinations = recipient.places  # the answered region, never an unanswered entity seat
            for code in destinations:
                if not in_territory(law, code, countries):
                    mechanism_id = choose_mechanism(law, recipient, code, facts.answers, countries)
                    out.append(Transfer(law, recipient, code, law.mechanisms.get(mechanism_id) if mechanism_id else None))
                if province:
                    # established in the province: leaving it is a transfer too, to other provinces as
                    # well (Quebec s. 17); recorded only with the answer that the assessment was made
                    assessed = province["mechanism"] if facts.value(province["answer"]) else None
                    out.append(Transfer(law, recipient, code, law.mechanisms.get(assessed) if assessed else None))
    return tuple(out)


def _province(law: Law, answers: Answers) -> dict[str, Any] | None:
    rule = law.province_rule
    return rule if rule and answers.business.region == rule.get("region") else None


def territory_name(law: Law, answers: Answers) -> str | None:
    """The region data leaves in a transfer under `law`: the province for a business established in
    one with its own rule (Quebec), else the law's territory."""
    province = _province(law, answers)
    return province["territory_name"] if province else law.territory_name


def transfer_law_name(law: Law, answers: Answers, short: bool = False) -> str:
    """"Canada's PIPEDA and Quebec's Act ..." for a business in a province with its own rule;
    short: as running text names it ("PIPEDA and Quebec's Act")."""
    province = _province(law, answers)
    if short:
        return province.get("in_text", law.in_text) if province else law.in_text
    return f"{law.name} and {province['law_name']}" if province else law.name


def gaps(transfers: Iterable[Transfer], law_id: str | None = None) -> tuple[Transfer, ...]:
    return tuple(t for t in transfers if t.mechanism is None and (law_id is None or t.law.id == law_id))
