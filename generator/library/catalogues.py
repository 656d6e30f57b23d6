"""Catalogues: the reviewed facts about data categories, purposes, services, processors,
authorities and countries, read from clauses/catalogues/.

The loader is strict only where the code depends on a shape; the full review of the facts is the
clause lint (check_clauses), which reports every problem at once instead of stopping at the first.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from generator.answers.durations import Duration

_T = TypeVar("_T")

CLAUSES_DIR = Path(__file__).resolve().parent.parent.parent / "clauses"


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    eea: bool
    eu_adequacy: bool


@dataclass(frozen=True)
class CatalogueCookie:
    name: str
    purpose: str
    duration: Duration
    description: str | None = None


@dataclass(frozen=True)
class Processor:
    id: str
    name: str
    group: str
    entity: str
    country: str
    description: str
    purposes: tuple[str, ...]
    data: tuple[str, ...]
    privacy_url: str
    aliases: tuple[str, ...] = ()
    transfer_countries: tuple[str, ...] = ()
    safeguard: str | None = None
    cookies: tuple[CatalogueCookie, ...] = ()
    evidence: tuple[str, ...] = ()
    source_file: str = ""
    # contracting entity by the business's region: ISO code, EEA or default -> {entity, country}
    entities: dict[str, dict[str, str]] = field(default_factory=dict)
    dpf: tuple[str, ...] = ()  # DPF parts the US recipient is certified under: eu, uk, ch
    scc: bool = False  # its DPA incorporates the standard contractual clauses
    bcr: bool = False  # it relies on approved binding corporate rules

    def entity_for(self, business_country: str | None, in_eea: bool) -> tuple[str | None, str]:
        """(entity, country) the business contracts with: its country, then EEA, then default; no
        entity when the vendor lists entities by region and none fits."""
        for key in (business_country, "EEA" if in_eea else None, "default"):
            if key and key in self.entities:
                chosen = self.entities[key]
                return chosen["entity"], chosen["country"]
        if self.entities and not in_eea:
            # the vendor contracts by region and this one is not confirmed: name no entity rather
            # than the European one (the report asks the business to confirm it)
            return None, self.country
        return self.entity, self.country


@dataclass(frozen=True)
class DataCategory:
    id: str
    name: str
    description: str
    examples: tuple[str, ...]
    source: str
    purposes: tuple[str, ...]
    legal_basis: str
    retention: Duration | None = None
    retention_after: Duration | None = None
    retention_starts: str | None = None
    retention_reason: str | None = None
    ccpa_categories: tuple[str, ...] = ()
    sensitive: bool = False
    # controller: the business decides why and how; processor: it handles the data on its
    # customers' instructions (when roles.processor_for_customers), so no controller purpose row
    role: str = "controller"
    # country code -> {retention, retention_after?, retention_starts?, retention_reason?, law?}:
    # current legal defaults the wizard offers a business established there
    retention_defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    hint: str | None = None  # shown in the wizard's retention step
    # only part of the inventory when the answers switch it on (a service, call_recording, vat_oss)
    derived: bool = False


@dataclass(frozen=True)
class Purpose:
    id: str
    name: str
    description: str
    legal_basis: str
    legitimate_interest: str | None = None
    when: str | None = None  # a data category's default purpose applies only when this holds


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    description: str = ""
    suggests_data: tuple[str, ...] = ()
    suggests_groups: tuple[str, ...] = ()
    # the customer DPA (generator/dpa.py): whether the service stores customers' data on their
    # instructions, what that data typically is, and whose it is
    hosts_customer_data: bool = False
    hosted_data: tuple[str, ...] = ()
    data_subjects: tuple[str, ...] = ()
    # another service's data_subjects phrase -> its words when this service is also sold (no overlap)
    data_subjects_instead: tuple[tuple[str, str], ...] = ()
    managed: bool = True  # False: the customer runs the system (an unmanaged server); our measures stop at the hardware and network
    dpa_measures: tuple[str, ...] = ()  # measures the service implies for hosted data (vocabulary dpa_security_measures)


@dataclass(frozen=True)
class Authority:
    id: str
    law: str
    country: str
    name: str
    url: str
    local_name: str | None = None
    role: str | None = None
    note: str | None = None
    address: str | None = None
    region: str | None = None  # ISO 3166-2 subdivision it serves (German Länder, Quebec)
    scope: str | None = None  # federal: Germany's BfDI, for telecoms and postal providers only


@dataclass(frozen=True)
class Catalogues:
    countries: dict[str, Country] = field(default_factory=dict)
    data_categories: dict[str, DataCategory] = field(default_factory=dict)
    purposes: dict[str, Purpose] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    processors: dict[str, Processor] = field(default_factory=dict)
    processor_aliases: dict[str, str] = field(default_factory=dict)  # alias -> id
    authorities: tuple[Authority, ...] = ()  # in file order
    vocabulary: dict[str, Any] = field(default_factory=dict)  # words for ids, labels, table headings
    problems: tuple[str, ...] = ()  # shape problems found while loading

    def resolve_processor_id(self, ident: str) -> str | None:
        if ident in self.processors:
            return ident
        return self.processor_aliases.get(ident)

    def country_name(self, code: str) -> str:
        if code == "EEA":
            return "the European Economic Area"
        country = self.countries.get(code)
        return country.name if country else code

    def words(self, group: str, key: str | None = None, **values: object) -> Any:
        """Printed words for a vocabulary id: words('safeguards', 'scc')."""
        entry = self.vocabulary.get(group, {})
        text = entry if key is None else entry.get(key, key)
        return text.format(**values) if values and isinstance(text, str) else text

    def authorities_for(self, law: str) -> list[Authority]:
        return [a for a in self.authorities if a.law == law]


def _read_yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    return tuple(value or ())


def _dur(value: object) -> Duration | None:
    return Duration(str(value)) if value else None


def _build(cls: Callable[..., _T], entry: dict[str, Any], problems: list[str], where: str,
           **converters: Callable[[Any], Any]) -> _T | None:
    """Construct a catalogue dataclass, turning a missing or unknown key into a problem."""
    try:
        kwargs = {k: converters[k](v) if k in converters else v for k, v in entry.items()}
        return cls(**kwargs)
    except TypeError as exc:
        problems.append(f"{where}: {exc}")
        return None


def load_catalogues(root: str | Path = CLAUSES_DIR) -> Catalogues:
    root = Path(root)
    cat_dir = root / "catalogues"
    problems: list[str] = []

    countries = {
        c["code"]: Country(**c) for c in _read_yaml(cat_dir / "countries.yaml")["countries"]
    }

    def entries(name: str) -> list[dict[str, Any]]:
        path = cat_dir / name
        return _read_yaml(path) or [] if path.exists() else []

    item: DataCategory | Purpose | Service | Processor | None  # each loop below builds one kind
    data_categories: dict[str, DataCategory] = {}
    for entry in entries("data_categories.yaml"):
        entry = dict(entry)
        entry.setdefault("description", "")
        item = _build(
            DataCategory, entry, problems, f"data_categories.yaml:{entry.get('id')}",
            examples=_tuple, purposes=_tuple, ccpa_categories=_tuple,
            retention=_dur, retention_after=_dur,
        )
        if item:
            data_categories[item.id] = item

    purposes: dict[str, Purpose] = {}
    for entry in entries("purposes.yaml"):
        item = _build(Purpose, entry, problems, f"purposes.yaml:{entry.get('id')}")
        if item:
            purposes[item.id] = item

    services: dict[str, Service] = {}
    for entry in entries("services.yaml"):
        item = _build(
            Service, entry, problems, f"services.yaml:{entry.get('id')}",
            suggests_data=_tuple, suggests_groups=_tuple, hosted_data=_tuple, data_subjects=_tuple, dpa_measures=_tuple,
            data_subjects_instead=lambda v: tuple((str(k), str(w)) for k, w in (v or {}).items()),
        )
        if item:
            services[item.id] = item

    processors: dict[str, Processor] = {}
    aliases: dict[str, str] = {}
    for path in sorted((cat_dir / "processors").glob("*.yaml")):
        for entry in _read_yaml(path) or []:
            entry = dict(entry, source_file=path.name)
            item = _build(
                Processor, entry, problems, f"processors/{path.name}:{entry.get('id')}",
                aliases=_tuple, purposes=_tuple, data=_tuple, transfer_countries=_tuple, evidence=_tuple, dpf=_tuple,
                cookies=lambda cs: tuple(
                    CatalogueCookie(c["name"], c["purpose"], Duration(str(c["duration"])), c.get("description"))
                    for c in cs or ()
                ),
            )
            if not item:
                continue
            if item.id in processors:
                problems.append(f"processors/{path.name}:{item.id}: duplicate id")
            processors[item.id] = item
            for alias in item.aliases:
                aliases[alias] = item.id

    authorities = tuple(
        a for a in (
            _build(Authority, entry, problems, f"authorities.yaml:{entry.get('id')}")
            for entry in entries("authorities.yaml")
        ) if a
    )

    vocabulary = _read_yaml(cat_dir / "vocabulary.yaml") if (cat_dir / "vocabulary.yaml").exists() else {}

    return Catalogues(
        vocabulary=vocabulary,
        countries=countries, data_categories=data_categories, purposes=purposes, services=services,
        processors=processors, processor_aliases=aliases, authorities=authorities, problems=tuple(problems),
    )
