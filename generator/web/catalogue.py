"""What the wizard needs from the catalogues: choices, suggestions and the conditions that decide
which questions apply. Plain functions over `generator.library.get_catalogues()`; they tolerate a
catalogue that is still being written (missing files give empty lists, never errors).
"""
from generator import library
from generator.answers import model

# Countries where hosting businesses commonly keep servers, listed first on the storage question.
COMMON_STORAGE = (
    "GB", "IE", "DE", "NL", "FR", "FI", "SE", "PL", "ES", "IT", "AT", "CH", "US", "CA", "SG", "JP", "AU", "IN",
    "BR", "RU", "ZA",
)
# Business country -> the law suggested for it (the EEA is handled apart).
COUNTRY_LAW = {"GB": "uk", "CH": "ch", "US": "us_ca", "BR": "br", "CA": "ca", "RU": "ru", "AU": "au"}
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
    """Which representatives apply: EU (GDPR Art. 27) outside the EEA, UK (UK GDPR Art. 27) outside the UK.

    With no country chosen yet both may apply, so both are asked.
    """
    if not country:
        return {"eu": True, "uk": True}
    return {"eu": not is_eea(country, cat), "uk": country != "GB"}


def suggested_laws(country, cat=None):
    if not country:
        return []
    if is_eea(country, cat):
        return ["eu"]
    law = COUNTRY_LAW.get(country)
    return [law] if law else []


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


def processor_where(proc, cat=None):
    """Where a processor keeps data, in words: "Ireland; also the United States"."""
    cat = cat or get_catalogues()
    text = country_label(proc.country, cat) if proc.country else "unknown"
    extra = [country_label(c, cat) for c in proc.transfer_countries if c != proc.country]
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


def transfers_apply(answers, storage=None, cat=None):
    """True when some data leaves the EEA/UK/CH, so the transfer safeguards must be asked."""
    storage = answers.get("storage_locations", ()) if storage is None else storage
    return leaves_safe_zone(list(storage) + processor_countries(answers, cat), cat)


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
