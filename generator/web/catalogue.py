"""What the wizard needs from the catalogues: choices, suggestions and the conditions that decide
which questions apply. Plain functions over `generator.library.get_catalogues()`; they tolerate a
catalogue that is still being written (missing files give empty lists, never errors).
"""
from generator import laws, library
from generator.answers import model

# Countries where hosting businesses commonly keep servers, listed first on the storage question.
COMMON_STORAGE = (
    "GB", "IE", "DE", "NL", "FR", "FI", "SE", "PL", "ES", "IT", "AT", "CH", "US", "CA", "SG", "JP", "AU", "IN",
    "BR", "RU", "ZA",
)
SAFE_ZONE_EXTRA = ("GB", "CH", "EEA")  # with the EEA states: data here needs no transfer safeguard


def get_catalogues():
    return library.get_catalogues()


def country_label(code, cat=None):
    cat = cat or get_catalogues()
    name = cat.country_name(code)
    if name.startswith("the "):
        name = name[4:]
    return name[:1].upper() + name[1:]


def country_choices(cat=None):
    cat = cat or get_catalogues()
    return sorted(((code, country_label(code, cat)) for code in cat.countries), key=lambda c: c[1].casefold())


def is_eea(code, cat=None):
    cat = cat or get_catalogues()
    if code == "EEA":
        return True
    country = cat.countries.get(code)
    return bool(country and country.eea)


def eea_codes(cat=None):
    cat = cat or get_catalogues()
    return sorted(code for code, c in cat.countries.items() if c.eea)


def safe_zone(cat=None):
    return set(eea_codes(cat)) | set(SAFE_ZONE_EXTRA)


def representatives_needed(country, cat=None):
    """Which representatives apply (law id -> bool), by the laws registry's Art. 27-style rules.

    With no country chosen yet every one may apply, so all are asked.
    """
    cat = cat or get_catalogues()
    registry = laws.get_laws()
    return {
        law.id: (not country) or laws.representative_needed(law, country, cat.countries)
        for law in registry.values() if law.representative
    }


def suggested_laws(country, cat=None):
    cat = cat or get_catalogues()
    return laws.suggested_laws(country, cat.countries)


def law_labels():
    return {law.id: law.wizard_label for law in laws.get_laws().values()}


def service_choices(cat=None):
    cat = cat or get_catalogues()
    if cat.services:
        return [(s.id, s.name) for s in cat.services.values()]
    return [(s, s.replace("_", " ").capitalize()) for s in model.SERVICES]


def suggested_data(services, cat=None):
    cat = cat or get_catalogues()
    out = []
    for sid in services or ():
        service = cat.services.get(sid)
        for data_id in service.suggests_data if service else ():
            if data_id not in out:
                out.append(data_id)
    return out


def suggested_groups(services, cat=None):
    """group -> names of the chosen services that suggest it."""
    cat = cat or get_catalogues()
    out = {}
    for sid in services or ():
        service = cat.services.get(sid)
        for group in service.suggests_groups if service else ():
            out.setdefault(group, []).append(service.name)
    return out


def purpose_choices(cat=None):
    cat = cat or get_catalogues()
    return [(p.id, p.name) for p in cat.purposes.values()]


def data_name(data_id, answers=None, cat=None):
    cat = cat or get_catalogues()
    if data_id in cat.data_categories:
        return cat.data_categories[data_id].name
    for item in (answers or {}).get("data", ()):
        if item.get("id") == data_id and item.get("name"):
            return item["name"]
    return data_id.replace("_", " ").capitalize()


# groups whose vendors can be used in a restricted, non-targeting mode (CCPA service provider)
RESTRICTABLE_GROUPS = ("advertising", "analytics")

GROUP_LABELS = {
    "payments": "Payments",
    "registrars": "Domain registrars and registries",
    "certificate_authorities": "Certificate authorities",
    "infrastructure": "Data centres, cloud and CDN",
    "email": "Email and office tools",
    "support": "Support and live chat",
    "analytics": "Analytics",
    "advertising": "Advertising",
    "crm": "Customer relationship management",
    "fraud": "Fraud prevention",
    "billing_panels": "Billing and client panels",
}


def group_label(group):
    return GROUP_LABELS.get(group, group.replace("_", " ").capitalize())


def processor_entity(proc, business_country, cat=None):
    """(entity, country) a business established in `business_country` contracts with, by the
    catalogue's per-region entities (Processor.entity_for)."""
    cat = cat or get_catalogues()
    return proc.entity_for(business_country, bool(business_country) and is_eea(business_country, cat))


def processor_where(proc, cat=None, country=None):
    """Where a processor keeps data, in words: "Ireland; also the United States"."""
    cat = cat or get_catalogues()
    country = country or proc.country
    text = country_label(country, cat) if country else "unknown"
    extra = [country_label(c, cat) for c in proc.transfer_countries if c != country]
    return text + (f"; also {', '.join(extra)}" if extra else "")


def processor_countries(answers, cat=None):
    """Every country a chosen processor (catalogue or custom) is in or transfers data to."""
    cat = cat or get_catalogues()
    out = []
    for ref in answers.get("processors", ()):
        proc = cat.processors.get(cat.resolve_processor_id(ref["id"]) or "") if ref.get("id") else None
        countries = [proc.country, *proc.transfer_countries] if proc else []
        countries += [ref.get("country")] + list(ref.get("transfer_countries", ()))
        out += [c for c in countries if c and c not in out]
    return out


def leaves_safe_zone(countries, cat=None):
    zone = safe_zone(cat)
    return any(c not in zone for c in countries)


def _needs_safeguard(law, country, cat):
    return not laws.in_territory(law, country, cat.countries) and not laws.is_adequate(law, country, cat.countries)


def transfers_apply(answers, storage=None, cat=None):
    """True when some data goes outside the territory of a chosen (or suggested) law that has
    transfer rules, to a place that law does not recognise as adequate, so the transfer
    safeguards must be asked."""
    cat = cat or get_catalogues()
    storage = answers.get("storage_locations", ()) if storage is None else storage
    countries = list(storage) + processor_countries(answers, cat)
    chosen = answers.get("jurisdictions") or suggested_laws((answers.get("business") or {}).get("country"), cat)
    registry = laws.get_laws()
    return any(
        registry[law_id].has_transfer_rules and any(_needs_safeguard(registry[law_id], c, cat) for c in countries)
        for law_id in chosen if law_id in registry
    )


def chosen_processor_cookies(answers, cat=None):
    """Cookies the chosen processors set on the business's pages: (processor name, cookie) pairs."""
    cat = cat or get_catalogues()
    out = []
    for ref in answers.get("processors", ()):
        if ref.get("id"):
            proc = cat.processors.get(cat.resolve_processor_id(ref["id"]) or "")
            if proc:
                out += [(proc.name, c.name, c.purpose, c.duration.text, c.description) for c in proc.cookies]
        for c in ref.get("cookies", ()):
            out.append((ref.get("name") or ref.get("id"), c["name"], c["purpose"], c["duration"], c.get("description")))
    return out


# --- where the business is established: German Länder, Quebec, representatives' territories ----

# English names of the 16 Länder, for the labels of the Land question. Which Länder are offered
# comes from the authorities catalogue (one `eu` entry per `region` in Germany), so a Land is only
# offered when its authority can be named.
LAND_NAMES = {
    "DE-BW": "Baden-Württemberg", "DE-BY": "Bavaria", "DE-BE": "Berlin", "DE-BB": "Brandenburg",
    "DE-HB": "Bremen", "DE-HH": "Hamburg", "DE-HE": "Hesse", "DE-MV": "Mecklenburg-Western Pomerania",
    "DE-NI": "Lower Saxony", "DE-NW": "North Rhine-Westphalia", "DE-RP": "Rhineland-Palatinate",
    "DE-SL": "Saarland", "DE-SN": "Saxony", "DE-ST": "Saxony-Anhalt", "DE-SH": "Schleswig-Holstein",
    "DE-TH": "Thuringia",
}
QUEBEC = "CA-QC"


def land_authorities(cat=None):
    """Land code -> the authority that supervises private companies there (§ 40 BDSG)."""
    cat = cat or get_catalogues()
    return {a.region: a for a in cat.authorities if a.law == "eu" and a.country == "DE" and a.region and not a.scope}


def land_choices(cat=None):
    """(DE-XX, Land name) for every Land the authorities catalogue covers, by name."""
    return sorted(
        ((code, LAND_NAMES.get(code, authority.name)) for code, authority in land_authorities(cat).items()),
        key=lambda c: c[1].casefold(),
    )


def land_name(code, cat=None):
    return dict(land_choices(cat)).get(code, code)


def representative_territories(cat=None):
    """law id -> the country codes where a business needs no representative under that law (its
    territory), from the registry's rule; the script hides the question for those countries."""
    cat = cat or get_catalogues()
    out = {}
    for law in laws.get_laws().values():
        if law.representative:
            region = law.representative.needed_outside
            out[law.id] = eea_codes(cat) if region == "EEA" else [region]
    return out


def representative_country_choices(law_id, cat=None):
    """Where a representative under that law may be established: in the territory it serves."""
    cat = cat or get_catalogues()
    codes = representative_territories(cat).get(law_id, ())
    return sorted(((c, country_label(c, cat)) for c in codes), key=lambda c: c[1].casefold())
