"""Values for clause placeholders: answers fields, and computed values derived from them.

A placeholder resolves to plain text or to None (no value: the clause is left out). Words for
lists and dates follow the policy language (English only for now).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from generator import laws
from generator.answers.model import LAWS
from generator.document import Inline, Inlines, Link, Text
from generator.prose import is_web_url

if TYPE_CHECKING:
    from generator.answers.model import Contact
    from generator.laws import Law
    from generator.library.catalogues import Catalogues
    from generator.resolve import Facts

# What a placeholder resolves to: plain text, inlines (links), or None (the clause is left out).
PlaceholderValue = str | Inlines | None
# Looks a placeholder path ("business.legal_name", "computed.dpo") up: PlaceholderResolver.
Resolve = Callable[[str], PlaceholderValue]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


_INNER_SEPARATOR = re.compile(r",|;| and | or ")


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """"a, b and c"; when an item has its own comma, "and" or "or" ("server and network logs"),
    the items are separated by semicolons, so the reader can tell where each ends:
    "account details; server and network logs; and backups"."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) > 2 and any(_INNER_SEPARATOR.search(i) for i in items):
        return "; ".join(items[:-1]) + f"; {conjunction} " + items[-1]
    if len(items) == 2 and _INNER_SEPARATOR.search(items[0]):  # "billing and payment records, and logs"
        return f"{items[0]}, {conjunction} {items[1]}"
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


# Other names an address may end with for a country ("UK", "Deutschland"): the country is then
# not appended again.
COUNTRY_ALIASES = {
    "GB": ("uk", "u.k.", "united kingdom", "great britain", "england", "scotland", "wales", "northern ireland"),
    "US": ("usa", "u.s.a.", "us", "u.s.", "united states", "united states of america"),
    "RU": ("russian federation", "россия", "российская федерация"),
    "DE": ("deutschland",), "CH": ("schweiz", "suisse", "svizzera", "helvetia"), "AT": ("österreich",),
    "NL": ("the netherlands", "nederland"), "FR": ("république française",), "ES": ("españa",),
    "IT": ("italia",), "PL": ("polska",), "CZ": ("czechia", "česko", "česká republika"),
    "BR": ("brasil",), "CA": ("canada",), "AU": ("australia",),
}


def address_with_country(address: str, country_name: str | None, country_code: str | None = None) -> str:
    """The postal address with its country at the end ("..., Zug, Switzerland"), unless it already
    ends with that country's name or a usual alternative name."""
    if not address:
        return address
    name = (country_name or "").removeprefix("the ")
    if not name:
        return address
    tail = address.rstrip(" .,;").casefold()
    candidates = {name.casefold(), f"the {name}".casefold(), *COUNTRY_ALIASES.get(country_code or "", ())}
    if any(tail == c or tail.endswith((f" {c}", f",{c}", f"\n{c}")) for c in candidates):
        return address
    return f"{address.rstrip(' .,;')}, {name}"


def long_date(value: date, language: str = "en") -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def _contact(contact: Contact | None, catalogues: Catalogues | None = None) -> str | None:
    """"Name, address with its country, email" of a DPO or representative."""
    if not contact:
        return None
    address = contact.address
    if address and contact.country and catalogues is not None:
        address = address_with_country(address, catalogues.country_name(contact.country), contact.country)
    return ", ".join(part for part in (contact.name, address, contact.email) if part)


def _days(n: int | None) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def authority_inlines(facts: Facts, law_id: str) -> Inlines | None:
    """"the Hamburg Commissioner for Data Protection and Freedom of Information (Ludwig-Erhard-
    Straße 22, 20459 Hamburg, Germany)", the name linked to the authority's page; several
    authorities are joined with "or". None when the answers do not say enough to choose."""
    authorities = facts.authorities(law_id)
    if not authorities:
        return None
    out: list[Inline] = []
    for i, authority in enumerate(authorities):
        if authority.scope == "federal":  # "... or, for our e-mail services, ..., the BfDI"
            out.append(Text(facts.catalogues.words("authority_scope", "federal")))
        elif i:
            out.append(Text(" or " if i == len(authorities) - 1 else ", "))
        out += [Text("the "), Link(authority.name, authority.url)]
        if authority.address:
            out.append(Text(f" ({authority.address})"))
    return tuple(out)


def computed_values(facts: Facts, today: date) -> dict[str, Callable[..., PlaceholderValue]]:
    """name -> callable(facts) for every computed placeholder."""
    answers = facts.answers
    business = answers.business
    countries = facts.catalogues.country_name

    words = facts.catalogues.words

    def request_channels() -> Inlines:
        return join_inlines(channel_inlines(facts), "or")

    values: dict[str, Callable[..., PlaceholderValue]] = {
        "business_name": lambda: business.display_name,
        "business_country": lambda: countries(business.country),
        "websites": lambda: join_inlines([url_inlines(w) for w in business.websites]) or None,
        "effective_date": lambda: long_date(answers.policy.effective_date or today),
        "dpo": lambda: _contact(business.dpo, facts.catalogues),
        "eu_representative": lambda: _contact(business.eu_representative, facts.catalogues),
        "uk_representative": lambda: _contact(business.uk_representative, facts.catalogues),
        "ch_representative": lambda: _contact(business.ch_representative, facts.catalogues),
        "storage_countries": lambda: join_words([countries(c) for c in answers.storage_locations]),
        "request_channels": request_channels,
        "response_period": lambda: _days(answers.rights.response_days),
        "notice_period": lambda: _days(answers.changes.notice_days),
        "notify_by": lambda: join_words([words("notify_by", n) for n in answers.changes.notify_by]) or None,
    }

    def hosted_data_period() -> str | None:
        """How long after a service ends hosted content is deleted (the customer DPA's deletion
        term): the answers' period for hosted content, or None when they give no duration."""
        item = next((d for d in facts.data_items if d.id == "hosted_content"), None)
        if item is None or item.retention is None or not facts.deletion_period_known():
            return None
        return item.retention.words()

    values["hosted_data_period"] = hosted_data_period

    def backup_period() -> str | None:
        """How long after it is made a backup copy is deleted (the DPA's deletion term for backups)."""
        item = next((d for d in facts.data_items if d.id == "backups"), None)
        if item is None or item.retention is None or not facts.backup_period_known():
            return None
        return item.retention.words()

    values["backup_period"] = backup_period
    values["hosting_service_names"] = lambda: join_words([running_label(s.name) for s in facts.hosting_services]) or None
    values["customer_breach_hours"] = lambda: str(facts.customer_breach_hours()) if facts.dpa_breach_hours_given() else None
    # the EU clauses' Clause 17 law and Clause 18 courts (the courts default to the law's state)
    scc_law = answers.dpa.scc_governing_law
    scc_forum = answers.dpa.scc_forum or scc_law
    values["scc_governing_law"] = lambda: countries(scc_law) if scc_law else None
    values["scc_forum"] = lambda: countries(scc_forum) if scc_forum else None
    registry = laws.get_laws()
    gdpr_family = [law for law in ("eu", "uk") if law in answers.jurisdictions]
    values["gdpr_heading"] = lambda: words("gdpr_family", "heading_" + "_".join(gdpr_family)) if gdpr_family else None
    values["gdpr_where"] = lambda: words("gdpr_family", "where_" + "_".join(gdpr_family)) if gdpr_family else None
    values["gdpr_articles"] = lambda: words("gdpr_family", "articles_" + "_".join(gdpr_family)) if gdpr_family else None
    values["gdpr_names"] = lambda: words("gdpr_family", "names_" + "_".join(gdpr_family)) if gdpr_family else None
    values["response_period_gdpr"] = lambda: (
        laws.response_period(registry[gdpr_family[0]], answers) if gdpr_family else None)
    chosen = [registry[law] for law in answers.jurisdictions if law in registry]
    values["controller_term"] = lambda: _role_words(chosen, "controller_term")
    values["dpo_title"] = lambda: _role_words(chosen, "dpo_title")
    values["dpo_title_also"] = lambda: _dpo_title_also(chosen)
    values["controller_role"] = lambda: chosen[0].controller_term if chosen else None
    values["processor_role"] = lambda: chosen[0].processor_term if chosen else None
    for law in LAWS:
        values[f"authority_{law}"] = lambda law=law: authority_inlines(facts, law)
        values[f"response_period_{law}"] = lambda law=law: laws.response_period(registry[law], answers)
    return values


def url_inlines(url: str) -> Inlines:
    """A URL field of the answers as document inlines: a link to itself when the answers contract
    validated it as an http(s) address, else plain text. Free text never goes through here."""
    return (Link(url, url),) if is_web_url(url) else (Text(url),)


def join_inlines(runs: Iterable[Iterable[Inline]], conjunction: str = "and") -> Inlines:
    """join_words for runs of inlines: "A, B and C" with each run kept whole (links stay links)."""
    runs = [tuple(r) for r in runs if r]
    out: list[Inline] = []
    for i, run in enumerate(runs):
        if i:
            out.append(Text(f" {conjunction} " if i == len(runs) - 1 else ", "))
        out += run
    return tuple(out)


def business_address(facts: Facts) -> str:
    """The business's postal address, ending with its country."""
    business = facts.answers.business
    return address_with_country(business.address, facts.catalogues.country_name(business.country), business.country)


def _channels(facts: Facts) -> list[tuple[str, dict[str, str]]]:
    """(vocabulary key, values) for each chosen request channel the answers let us name."""
    answers, business = facts.answers, facts.answers.business
    out: list[tuple[str, dict[str, str]]] = []
    for channel in answers.rights.request_channels:
        if channel == "control_panel":
            # named only at the URL the answers give (finding 21), like the web form
            if answers.control_panel_url:
                out.append(("control_panel_at", {"url": answers.control_panel_url}))
        elif channel == "web_form":
            # a form is named only at the URL the answers give (counsel review)
            if business.contact_url:
                out.append(("web_form_at", {"url": business.contact_url}))
        elif channel == "phone" and business.phone:
            out.append(("phone_at", {"phone": business.phone}))
        else:
            out.append((channel, {"email": business.contact_email, "address": business_address(facts)}))
    return out


def channel_inlines(facts: Facts) -> list[Inlines]:
    """channel_words as inlines, each validated URL (control panel, contact form) a link."""
    words = facts.catalogues.words
    out: list[Inlines] = []
    for key, values in _channels(facts):
        if "url" in values:
            before, _, after = words("request_channels", key).partition("{url}")
            run = (Text(before),) + url_inlines(values["url"]) + (Text(after),)
            out.append(tuple(i for i in run if i.text))
        else:
            out.append((Text(words("request_channels", key, **values)),))
    return out


def _role_words(chosen: Sequence[Law], attr: str) -> str | None:
    """"controller (under Law No. 152-FZ, the operator)": the first law's word, then the others'."""
    if not chosen:
        return None
    first = getattr(chosen[0], attr)
    others: dict[str, str] = {}
    for law in chosen[1:]:
        term = getattr(law, attr)
        if term.startswith(f"{first} (") and term.endswith(")"):
            term = term[len(first) + 2:-1]  # "data protection officer (encarregado)": its own word only
        if term != first and term not in others:
            others[term] = law.in_text
    if not others:
        return first
    return f"{first} ({'; '.join(f'under {where}, the {term}' for term, where in others.items())})"


def _dpo_title_also(chosen: Sequence[Law]) -> str | None:
    """"data protection officer, who is also our encarregado under the LGPD": one person under one
    title, then each other law's own word for that person (counsel review of the DPA, second round,
    n7: "data protection officer (encarregado)" is the title with the LGPD's word in brackets)."""
    if not chosen:
        return None

    def parts(title: str) -> tuple[str, str | None]:
        base, _, bracket = title.partition(" (")
        return base, bracket.rstrip(")") or None

    title = parts(chosen[0].dpo_title)[0]
    also: dict[str, str] = {}
    for law in chosen:
        base, own_word = parts(law.dpo_title)
        term = own_word or (base if base != title else None)
        if term and term not in also:
            also[term] = law.in_text
    extra = "; ".join(f"our {term} under {where}" for term, where in also.items())
    return f"{title}, who is also {extra}" if extra else title


def running_label(label: str) -> str:
    """A catalogue label inside a sentence: "Shared hosting" -> "shared hosting", "VPS" kept."""
    return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


def channel_words(facts: Facts) -> list[str]:
    """How to reach the business with a request, one phrase per chosen channel."""
    words = facts.catalogues.words
    return [words("request_channels", key, **values) for key, values in _channels(facts)]


# Answers fields the contract validates as http(s) URLs: printed as links to themselves.
URL_FIELDS = ("business.contact_url", "control_panel_url", "marketing.opt_out_url")

COMPUTED_NAMES = (
    "business_name", "business_country", "websites", "effective_date", "dpo", "eu_representative",
    "uk_representative", "ch_representative", "storage_countries",
    "request_channels", "response_period", "notice_period", "notify_by",
    *(f"authority_{law}" for law in LAWS), *(f"response_period_{law}" for law in LAWS),
    "controller_term", "controller_role", "processor_role", "dpo_title", "dpo_title_also",
    "gdpr_where", "gdpr_heading", "gdpr_names", "gdpr_articles", "response_period_gdpr", "hosted_data_period", "backup_period", "customer_breach_hours", "hosting_service_names",
    "scc_governing_law", "scc_forum",
)


class PlaceholderResolver:
    def __init__(self, facts: Facts, today: date) -> None:
        self.facts = facts
        self._computed = computed_values(facts, today)
        self._cache: dict[str, PlaceholderValue] = {}

    def __call__(self, path: str) -> PlaceholderValue:
        if path not in self._cache:
            self._cache[path] = self._resolve(path)
        return self._cache[path]

    def _resolve(self, path: str) -> PlaceholderValue:
        if path.startswith("computed."):
            value = self._computed[path.removeprefix("computed.")]()
        else:
            value = self.facts.value(path)
        if value is None or value == "" or value == ():
            return None
        if path == "business.address" and isinstance(value, str):
            return business_address(self.facts)
        if path in URL_FIELDS and isinstance(value, str):
            return url_inlines(value)
        if isinstance(value, tuple) and isinstance(value[0], (Text, Link)):
            return value  # inlines built from catalogue facts (an authority's name, linked)
        if isinstance(value, (tuple, list)):
            return join_words([str(v) for v in value])
        if isinstance(value, date):
            return long_date(value)
        return str(value)
