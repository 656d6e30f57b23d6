"""Each law reasons for itself: the one domain module for per-law questions.

The facts are in clauses/laws.yaml (registry.py gives them a shape); this package answers the
questions assembly, the compliance report and the wizard ask of them:

- transfers.analyse: which disclosures are transfers under which law, and each one's mechanism;
- authorities_for: the supervisory authorities a person can complain to, by law and establishment;
- response_period: the deadline a law's rights text states (an answer may shorten it, never
  lengthen it past the law);
- basis_cell: a legal basis in the words of each chosen law;
- representative_needed / representative_missing: the Art. 27-style rule.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import yaml

from generator.library.catalogues import CLAUSES_DIR

from .registry import Basis, Law, Mechanism, get_laws, law_ids, load_laws
from .transfers import (
    OWN_ACCOUNT_GROUPS, Transfer, analyse, choose_mechanism, gaps, in_territory, is_adequate, territory_name,
    transfer_law_name,
)

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from generator.answers.model import Answers, Contact
    from generator.library.catalogues import Authority, Catalogues, Country
    from generator.resolve import Facts

__all__ = [
    "OWN_ACCOUNT_GROUPS", "Basis", "Law", "Mechanism", "Transfer", "analyse", "choose_mechanism", "authorities_for", "basis_cell", "gaps", "get_laws",
    "in_territory", "is_adequate", "law_ids", "load_laws", "representative_missing", "representative_needed",
    "response_days", "response_period", "german_land", "representative_authority", "suggested_laws", "territory_name", "transfer_law_name",
]


# -- deadlines ---------------------------------------------------------------------------------

def response_days(law: Law, answers: Answers) -> tuple[int | None, bool, bool]:
    """(days, working_days, capped): the answered period, shortened to the law's maximum."""
    maximum = law.response.max_days
    answered = answers.rights.response_days
    if maximum is None:
        return (answered or law.response.default_days), False, False
    if answered and answered < maximum and not law.response.working_days:
        return answered, False, False
    return maximum, law.response.working_days, True


def response_period(law: Law, answers: Answers) -> str:
    """The period as printed in that law's rights text: "one month", "20 days", "10 working days"."""
    days, _, capped = response_days(law, answers)
    if capped or law.response.max_days is None and not answers.rights.response_days:
        return law.response.max_text
    return "1 day" if days == 1 else f"{days} days"


# -- legal bases ------------------------------------------------------------------------------

def basis_cell(basis_id: str, jurisdictions: Iterable[str], laws: dict[str, Law] | None = None,
               purpose_id: str | None = None, established_outside: Collection[str] = ()) -> str:
    """A legal basis in each chosen law's own terms: "performing our contract with you (GDPR
    Art. 6(1)(b); UK GDPR Art. 6(1)(b))"; laws with other wording follow after a semicolon.
    Empty when no chosen law has a legal-basis model (California)."""
    laws = laws or get_laws()
    groups: dict[str, list[str]] = {}
    for law_id in jurisdictions:
        law = laws.get(law_id)
        basis = law and ((law.purpose_bases.get(purpose_id) or {}).get(basis_id) or law.legal_bases.get(basis_id))  # type: ignore[arg-type]  # no purpose_id finds nothing
        if basis_id == "legal_obligation" and law and law.foreign_obligation and law_id in established_outside:
            basis = law.foreign_obligation  # Art. 6(3): only that law's own legal obligations count
        if basis:
            groups.setdefault(basis.text, []).append(basis.cite)
    parts = [f"{text} ({'; '.join(cites)})" for text, cites in groups.items()]
    if not parts:
        return ""
    return parts[0][:1].upper() + "; ".join(parts)[1:]


def has_legal_bases(jurisdictions: Iterable[str], laws: dict[str, Law] | None = None) -> bool:
    laws = laws or get_laws()
    return any(laws[law_id].legal_bases for law_id in jurisdictions if law_id in laws)


# -- representatives --------------------------------------------------------------------------

def _established_in(code: str, region: str, countries: dict[str, Country]) -> bool:
    if region == "EEA":
        country = countries.get(code)
        return bool(country and country.eea)
    return code == region


def representative_needed(law: Law, business_country: str | None, countries: dict[str, Country]) -> bool:
    rule = law.representative
    return bool(rule and business_country and not _established_in(business_country, rule.needed_outside, countries))


def representative_missing(law: Law, answers: Answers, countries: dict[str, Country]) -> bool:
    """True when the law needs a representative that the answers neither name nor exempt."""
    rule = law.representative
    business = answers.business
    if rule is None or not representative_needed(law, business.country, countries):
        return False
    exempt = getattr(business, rule.exemption_field.removeprefix("business."), False)
    return not exempt and not getattr(business, rule.field, None)


def suggested_laws(country: str | None, countries: dict[str, Country], laws: dict[str, Law] | None = None) -> list[str]:
    """The laws a business established in `country` is likely subject to (the wizard's default)."""
    laws = laws or get_laws()
    return [
        law.id for law in laws.values()
        if country and any(_established_in(country, region, countries) for region in law.suggested_for)
    ]


# -- supervisory authorities ------------------------------------------------------------------

@lru_cache(maxsize=1)
def _postcode_table() -> tuple[tuple[tuple[int, int, str], ...], tuple[tuple[int, int], ...]]:
    path = CLAUSES_DIR / "catalogues" / "de_postcodes.yaml"
    if not path.exists():
        return (), ()
    with open(path, encoding="utf-8") as handle:
        doc = yaml.safe_load(handle) or {}
    ranges = tuple((int(r["from"]), int(r["to"]), r["region"]) for r in doc.get("ranges") or ())
    ambiguous = tuple((int(r["from"]), int(r["to"])) for r in doc.get("ambiguous") or ())
    return ranges, ambiguous


def german_land(region: str | None, address: str | None) -> str | None:
    """A Land (DE-XX): the explicit answer, else from the address's postcode; None when the
    postcode is missing or straddles two Länder (the wizard then asks)."""
    if region and region.startswith("DE-"):
        return region
    match = re.search(r"(?<!\d)(\d{5})(?!\d)", address or "")
    if not match:
        return None
    code = int(match.group(1))
    ranges, ambiguous = _postcode_table()
    if any(low <= code <= high for low, high in ambiguous):
        return None
    return next((region for low, high, region in ranges if low <= code <= high), None)


def _representative_country(contact: Contact | None, countries: dict[str, Country]) -> str | None:
    if contact is None:
        return None
    if contact.country:
        return contact.country
    text = (contact.address or "").lower()
    return next(
        (code for code, c in countries.items() if c.eea and c.name.lower().removeprefix("the ") in text), None
    )


def establishment_country(law: Law, answers: Answers, countries: dict[str, Country]) -> str | None:
    """The EEA state whose authority leads: the business's own, or its EU representative's."""
    business = answers.business
    if _established_in(business.country, "EEA", countries):
        return business.country
    return _representative_country(business.eu_representative, countries)


def authorities_for(law: Law, answers: Answers, catalogues: Catalogues) -> tuple[Authority, ...]:
    """The authorities a person can complain to under `law`, most relevant first; () when the
    answers do not say enough to choose (a German business with no Land, a non-EEA business with
    no EU representative)."""
    entries = [a for a in catalogues.authorities if a.law == law.id]
    business = answers.business
    if law.authority == "single":
        chosen = [a for a in entries if not a.region or a.region == business.region]
        return tuple(sorted(chosen, key=lambda a: a.role is not None))
    country = establishment_country(law, answers, catalogues.countries)
    if country is None:
        return ()
    national = [a for a in entries if a.country == country]
    if country != "DE":
        return tuple(a for a in national if not a.region and a.scope is None)
    if business.country == "DE":
        land = german_land(business.region, business.address)
    else:
        land = german_land(None, business.eu_representative.address)  # type: ignore[union-attr]  # the country came from it
    if land is None:
        return ()
    chosen = [a for a in national if a.region == land]
    if "email_hosting" in answers.services and business.country == "DE":
        # e-mail hosting is a telecommunications service: the BfDI supervises it (§ 29 TDDDG)
        chosen += [a for a in national if a.scope == "federal"]
    return tuple(chosen)


def representative_authority(answers: Answers, catalogues: Catalogues) -> Authority | None:
    """The one EU supervisory authority of the Member State where a business outside the EEA has its
    Art. 27 representative (SCC Clause 13(a), Annex I.C): in Germany the Land authority of the
    representative's Land (section 40 BDSG; its postcode), elsewhere the national authority; None
    when the answers do not identify one (no representative, or a German address with no Land)."""
    contact = answers.business.eu_representative
    country = _representative_country(contact, catalogues.countries)
    if country is None or contact is None:
        return None
    national = [a for a in catalogues.authorities if a.law == "eu" and a.country == country and a.scope is None]
    if country == "DE":
        land = german_land(None, contact.address)
        national = [a for a in national if land and a.region == land]
    else:
        national = [a for a in national if not a.region]
    return national[0] if len(national) == 1 else None


# -- what each chosen law needs from the answers before a policy is finished ---------------------

def required_fields(facts: Facts) -> tuple[tuple[str, str], ...]:
    """((path, why), ...): answers a chosen law needs that are missing. A policy with any of them
    does not render as finished (generator.completeness), and the report names them."""
    answers, out = facts.answers, []
    registry = get_laws()
    for law in facts.laws:
        if law.representative and representative_missing(law, answers, facts.catalogues.countries):
            out.append((
                f"business.{law.representative.field}",
                f"is required by {law.representative.cite} for a business established outside "
                f"{registry[law.id].territory_name}, unless you state that the exemption applies",
            ))
        if law.authority == "establishment" and not facts.authorities(law.id) and (
                answers.business.country == "DE" or establishment_country(law, answers, facts.catalogues.countries)):
            out.append(("business.region", "is needed to name your supervisory authority: choose your German Land"))
    if "br" in answers.jurisdictions and not (answers.business.dpo and answers.business.dpo.name):
        out.append(("business.dpo.name", "is required by LGPD Art. 41 §1: the policy must name your encarregado"))
    if "us_ca" in answers.jurisdictions and (facts.shares_for_advertising() or answers.marketing.sells_personal_data) \
            and not answers.marketing.opt_out_url:
        out.append((
            "marketing.opt_out_url",
            "is required: you sell or share personal information, so the policy must link your "
            "'Do Not Sell or Share My Personal Information' page (Cal. Civ. Code 1798.135)",
        ))
    return tuple(out)
