"""Which per-law questions apply to a business, read from an answers document (a plain dict, as
the wizard holds it before the document is complete): the representatives it may need, the laws
suggested for its country, and whether its data leaves a chosen law's territory so the transfer
safeguards must be asked. The wizard calls these; the rules themselves are the registry's
(clauses/laws.yaml) and the catalogues'.
"""
from collections.abc import Iterable

from generator.library import Catalogues, get_catalogues

from . import in_territory, is_adequate, representative_needed, suggested_laws
from .registry import Law, get_laws

# With the EEA states: data kept here needs no transfer safeguard under the European laws.
SAFE_ZONE_EXTRA = ("GB", "CH", "EEA")


def eea_codes(cat: Catalogues | None = None) -> list[str]:
    cat = cat or get_catalogues()
    return sorted(code for code, c in cat.countries.items() if c.eea)


def is_eea(code: str, cat: Catalogues | None = None) -> bool:
    cat = cat or get_catalogues()
    if code == "EEA":
        return True
    country = cat.countries.get(code)
    return bool(country and country.eea)


def safe_zone(cat: Catalogues | None = None) -> set[str]:
    """The EEA, the UK and Switzerland: within it the European laws ask no transfer safeguard."""
    return set(eea_codes(cat)) | set(SAFE_ZONE_EXTRA)


def representatives_for_country(country: str | None, cat: Catalogues | None = None) -> dict[str, bool]:
    """Which representatives apply (law id -> bool) to a business established in `country`, by the
    registry's Art. 27-style rules. With no country chosen yet none is known to apply: the
    questions appear once the country is chosen."""
    cat = cat or get_catalogues()
    return {
        law.id: bool(country) and representative_needed(law, country, cat.countries)
        for law in get_laws().values() if law.representative
    }


def representative_territories(cat: Catalogues | None = None) -> dict[str, list[str]]:
    """law id -> the country codes where a business needs no representative under that law (its
    territory), which are also where such a representative may be established."""
    cat = cat or get_catalogues()
    out = {}
    for law in get_laws().values():
        if law.representative:
            region = law.representative.needed_outside
            out[law.id] = eea_codes(cat) if region == "EEA" else [region]
    return out


def laws_suggested(country: str | None, cat: Catalogues | None = None) -> list[str]:
    cat = cat or get_catalogues()
    return suggested_laws(country, cat.countries)


def processor_countries(answers: dict, cat: Catalogues | None = None) -> list[str]:
    """Every country a chosen processor (catalogue or custom) is in or transfers data to."""
    cat = cat or get_catalogues()
    out: list[str] = []
    for ref in answers.get("processors", ()):
        proc = cat.processors.get(cat.resolve_processor_id(ref["id"]) or "") if ref.get("id") else None
        countries = [proc.country, *proc.transfer_countries] if proc else []
        countries += [ref.get("country")] + list(ref.get("transfer_countries", ()))
        out += [c for c in countries if c and c not in out]
    return out


def leaves_safe_zone(countries: Iterable[str], cat: Catalogues | None = None) -> bool:
    zone = safe_zone(cat)
    return any(c not in zone for c in countries)


def transfers_apply(answers: dict, storage: Iterable[str] | None = None, cat: Catalogues | None = None) -> bool:
    """True when some data goes outside the territory of a chosen (or suggested) law that has
    transfer rules, to a place that law does not recognise as adequate, so the transfer
    safeguards must be asked."""
    cat = cat or get_catalogues()
    storage = answers.get("storage_locations", ()) if storage is None else storage
    countries = list(storage) + processor_countries(answers, cat)
    chosen = answers.get("jurisdictions") or laws_suggested((answers.get("business") or {}).get("country"), cat)
    registry = get_laws()

    def needs_safeguard(law: Law, country: str) -> bool:
        return not in_territory(law, country, cat.countries) and not is_adequate(law, country, cat.countries)

    return any(
        registry[law_id].has_transfer_rules and any(needs_safeguard(registry[law_id], c) for c in countries)
        for law_id in chosen if law_id in registry
    )


def advertising_recipients(answers: dict, cat: Catalogues | None = None) -> list[str]:
    """Names of the chosen processors that use data for their own advertising (the catalogue's or
    the answer's group `advertising`, not in restricted mode): third parties under the CCPA, as
    generator.resolve's ad_third_parties reads them."""
    cat = cat or get_catalogues()
    out = []
    for ref in answers.get("processors", ()):
        entry = cat.processors.get(cat.resolve_processor_id(ref["id"]) or "") if ref.get("id") else None
        group = ref.get("group") or (entry.group if entry else None)
        if group == "advertising" and not ref.get("restricted_processing"):
            out.append(ref.get("name") or (entry.name if entry else ref.get("id")))
    return out


def shares_for_advertising(answers: dict, cat: Catalogues | None = None) -> bool:
    """Whether the business "shares" personal data in California's sense (cross-context behavioural
    advertising): it uses remarketing, or an advertising vendor receives data."""
    return bool((answers.get("marketing") or {}).get("remarketing")) or bool(advertising_recipients(answers, cat))
