"""What the wizard shows from the catalogues: choices, labels and suggestions. Plain functions over
`generator.library.get_catalogues()`; they tolerate a catalogue that is still being written
(missing files give empty lists, never errors). Which legal questions apply (representatives,
suggested laws, transfers) is decided in the domain layer, generator.laws.applicability.
"""
from django.utils.choices import BaseChoiceIterator

from generator import laws, library
from generator.answers import model
from generator.laws import applicability

# Countries where hosting businesses commonly keep servers, listed first on the storage question.
COMMON_STORAGE = (
    "GB", "IE", "DE", "NL", "FR", "FI", "SE", "PL", "ES", "IT", "AT", "CH", "US", "CA", "SG", "JP", "AU", "IN",
    "BR", "RU", "ZA",
)


def get_catalogues():
    return library.get_catalogues()


def country_label(code, cat=None):
    cat = cat or get_catalogues()
    name = cat.country_name(code)
    if name.startswith("the "):
        name = name[4:]
    return name[:1].upper() + name[1:]


# id(catalogues) -> (catalogues, choices): sorted once per loaded catalogue
_COUNTRY_CHOICES: dict[int, tuple[library.Catalogues, "Choices"]] = {}


class Choices(BaseChoiceIterator):
    """Choices Django takes as they are: a form field given a plain list normalises all of it again,
    about 250 countries for each country field of a page."""

    def __init__(self, items):
        self.items = tuple(items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __add__(self, other):
        return Choices(self.items + tuple(other))

    def __radd__(self, other):
        return Choices(tuple(other) + self.items)


def country_choices(cat=None):
    """(code, name) of every country, by name."""
    cat = cat or get_catalogues()
    cached = _COUNTRY_CHOICES.get(id(cat))
    if cached is None or cached[0] is not cat:
        choices = Choices(sorted(((code, country_label(code, cat)) for code in cat.countries), key=lambda c: c[1].casefold()))
        cached = _COUNTRY_CHOICES[id(cat)] = (cat, choices)
    return cached[1]


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
    out: dict[str, list[str]] = {}
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


def group_label(group, cat=None):
    cat = cat or get_catalogues()
    return (cat.vocabulary.get("wizard_processor_groups") or {}).get(group) or group.replace("_", " ").capitalize()


def processor_entity(proc, business_country, cat=None):
    """(entity, country) a business established in `business_country` contracts with, by the
    catalogue's per-region entities (Processor.entity_for)."""
    cat = cat or get_catalogues()
    return proc.entity_for(business_country, bool(business_country) and applicability.is_eea(business_country, cat))


def holds_customer_data(proc, cat=None):
    """Whether a catalogue processor receives customers' hosted data (a data category with the
    processor role) and acts for the business on it: a sub-processor, whose region is asked
    (Facts.subprocessors; counsel review of the DPA, round 2, M2)."""
    cat = cat or get_catalogues()
    hosted = any(d in cat.data_categories and cat.data_categories[d].role == "processor" for d in proc.data)
    return hosted and proc.group not in ("registrars", "certificate_authorities", "payments", "advertising")


def processor_where(proc, cat=None, country=None, region_asked=False):
    """Where a processor keeps data, in words: "Ireland; also the United States". region_asked: a
    provider of hosted data whose region is not answered, "not yet stated", never its seat."""
    cat = cat or get_catalogues()
    if region_asked and not country:
        extra = [country_label(c, cat) for c in proc.transfer_countries]
        return cat.words("location_not_stated") + (f"; also {', '.join(extra)}" if extra else "")
    country = country or proc.country
    text = country_label(country, cat) if country else "unknown"
    extra = [country_label(c, cat) for c in proc.transfer_countries if c != country]
    return text + (f"; also {', '.join(extra)}" if extra else "")


def catalogue_processor_cookies(answers, cat=None):
    """Cookies the catalogue says the chosen processors set on the business's pages: (processor
    name, cookie name, purpose, duration, description). Cookies the answers give a processor are
    the cookies step's own rows."""
    cat = cat or get_catalogues()
    out = []
    for ref in answers.get("processors", ()):
        if ref.get("id"):
            proc = cat.processors.get(cat.resolve_processor_id(ref["id"]) or "")
            if proc:
                out += [(proc.name, c.name, c.purpose, c.duration.text, c.description) for c in proc.cookies]
    return out


# --- where the business is established: German Länder, Quebec, representatives' countries --------

QUEBEC = "CA-QC"


def land_authorities(cat=None):
    """Land code -> the authority that supervises private companies there (§ 40 BDSG)."""
    cat = cat or get_catalogues()
    return {a.region: a for a in cat.authorities if a.law == "eu" and a.country == "DE" and a.region and not a.scope}


def land_choices(cat=None):
    """(DE-XX, Land name) for every Land the authorities catalogue covers, by name."""
    cat = cat or get_catalogues()
    names = cat.vocabulary.get("wizard_german_lands") or {}
    return sorted(
        ((code, names.get(code, authority.name)) for code, authority in land_authorities(cat).items()),
        key=lambda c: c[1].casefold(),
    )


def land_name(code, cat=None):
    return dict(land_choices(cat)).get(code, code)


def representative_country_choices(law_id, cat=None):
    """Where a representative under that law may be established: in the territory it serves."""
    cat = cat or get_catalogues()
    codes = applicability.representative_territories(cat).get(law_id, ())
    return sorted(((c, country_label(c, cat)) for c in codes), key=lambda c: c[1].casefold())
