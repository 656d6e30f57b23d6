"""Answers joined with the catalogues: what the business actually does, with every default filled.

Assembly, conditions and the compliance report all read these facts, so a catalogue default or a
custom entry is interpreted in exactly one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator import laws as laws_registry
from generator.answers.durations import Duration
from generator.answers.model import Answers, DataItem, PurposeOverride
from generator.laws import Law, Mechanism, Transfer
from generator.library.catalogues import Authority, Catalogues, DataCategory, Service
from generator.library import conditions

_NO_ITEM = type("NoItem", (), {"legal_basis": None})()


@dataclass(frozen=True)
class _RetentionDefault:
    retention: Duration | None = None
    retention_after: Duration | None = None
    retention_starts: str | None = None
    retention_reason: str | None = None


_NO_RETENTION = _RetentionDefault()


@dataclass(frozen=True)
class ResolvedData:
    id: str
    name: str
    description: str
    examples: tuple[str, ...]
    purposes: tuple[tuple[str, str], ...]  # of (purpose_id, legal_basis)
    retention: Duration | None
    retention_after: Duration | None
    retention_starts: str | None
    retention_reason: str | None
    source: str
    ccpa_categories: tuple[str, ...]
    sensitive: bool
    custom: bool
    # controller, or processor: handled on customers' instructions (no controller purposes row)
    role: str = "controller"
    # answers: ticked in answers.data; derived: switched on by another answer (service backups,
    # call_recording, vat_oss); activity: added because an activity the answers switch on
    # (email marketing, remarketing, analytics, fraud screening) uses it though it was not ticked
    origin: str = "answers"


@dataclass(frozen=True)
class ResolvedCookie:
    name: str
    provider: str
    purpose: str
    duration: Duration
    description: str | None
    first_party: bool


@dataclass(frozen=True)
class ResolvedProcessor:
    id: str | None
    name: str
    entity: str | None
    group: str | None
    country: str
    description: str
    data: tuple[str, ...]
    privacy_url: str | None
    privacy_url_trusted: bool  # catalogue URLs may be links; a typed URL stays text
    safeguard: str | None  # what the business answered for this recipient, if anything
    transfer_countries: tuple[str, ...]
    cookies: tuple[ResolvedCookie, ...]
    custom: bool
    dpf: tuple = ()  # DPF parts the US recipient is certified under (eu, uk, ch)
    scc: bool = False
    bcr: bool = False
    restricted_processing: bool = False  # an ad/analytics vendor used in its restricted, non-targeting mode
    # a recipient of customers' hosted data whose region (`country`) is not answered: where it holds
    # the data is unknown, never the catalogue entity's seat (counsel review of the DPA, round 2, M2)
    region_stated: bool = True
    entity_country: str | None = None  # the catalogue entity's seat, when the business kept that entity

    @property
    def places(self) -> tuple[str, ...]:
        """Where the data is held or reached from: the answered region, then transfer_countries."""
        region = (self.country,) if self.region_stated else ()
        return tuple(dict.fromkeys((*region, *self.transfer_countries)))


class Facts:
    """Questions a clause condition may ask, answered from answers + catalogues."""

    def __init__(self, answers: Answers, catalogues: Catalogues) -> None:
        self.answers = answers
        self.catalogues = catalogues

    # -- joined views -------------------------------------------------------------------------
    @cached_property
    def data_items(self) -> tuple[ResolvedData, ...]:
        cats = self.catalogues.data_categories
        overrides: dict[str, list[PurposeOverride]] = {}
        for o in self.answers.purposes:
            overrides.setdefault(o.data, []).append(o)
        out: list[ResolvedData] = []
        for item in self.answers.data:
            cat = cats.get(item.id)
            default = self._retention_default(cat)
            if item.id in overrides:
                purposes = tuple((o.purpose, o.legal_basis or self._purpose_basis(o.purpose, item, cat)) for o in overrides[item.id])
            else:
                ids = item.purposes or tuple(p for p in (cat.purposes if cat else ()) if self._default_purpose_applies(p))
                purposes = tuple((p, self._purpose_basis(p, item, cat)) for p in ids)
            out.append(ResolvedData(
                id=item.id,
                name=item.name or (cat.name if cat else item.id),
                # the business's own examples say what it collects; the catalogue's generic text gives way
                description=item.description or (
                    cat.description if cat and not item.custom and not item.examples else "") or "",
                examples=item.examples or (cat.examples if cat else ()),
                purposes=purposes,
                retention=item.retention or default.retention,
                retention_after=item.retention_after if item.retention else (
                    item.retention_after or default.retention_after),
                retention_starts=item.retention_starts or default.retention_starts,
                retention_reason=item.retention_reason or default.retention_reason,
                source=item.source or (cat.source if cat else "you"),
                ccpa_categories=cat.ccpa_categories if cat else (),
                sensitive=cat.sensitive if cat else False,
                custom=item.custom,
                role=self._role(cat),
            ))
        out += self._derived_items(out)
        out = self._activity_items(out)
        return tuple(out)

    def _retention_default(self, cat: DataCategory | None) -> _RetentionDefault | DataCategory:
        """The catalogue's period for a category the answers give none for: the current legal
        period where the business is established (German invoices: 8 years), else the general one."""
        if cat is None:
            return _NO_RETENTION
        local = cat.retention_defaults.get(self.answers.business.country)
        if not local:
            return cat
        return _RetentionDefault(
            Duration(str(local["retention"])),
            Duration(str(local["retention_after"])) if local.get("retention_after") else None,
            local.get("retention_starts", cat.retention_starts), local.get("retention_reason", cat.retention_reason),
        )

    def _role(self, cat: DataCategory | None) -> str:
        if cat and cat.role == "processor" and self.answers.roles.processor_for_customers:
            return "processor"
        return "controller"

    def _catalogue_item(self, data_id: str, origin: str, purposes: list[tuple[str, str]] | None = None,
                        retention: Duration | str | None = "catalogue", **changes: object) -> ResolvedData:
        cat = self.catalogues.data_categories[data_id]
        ids = purposes if purposes is not None else cat.purposes
        values: dict[str, Any] = dict(
            id=cat.id, name=cat.name, description=cat.description, examples=cat.examples,
            purposes=tuple(p if isinstance(p, tuple) else (p, self._purpose_basis(p, _NO_ITEM, cat)) for p in ids),
            retention=cat.retention if retention == "catalogue" else retention,
            retention_after=cat.retention_after if retention == "catalogue" else None,
            retention_starts=cat.retention_starts, retention_reason=cat.retention_reason, source=cat.source,
            ccpa_categories=cat.ccpa_categories, sensitive=cat.sensitive, custom=False, role=self._role(cat),
            origin=origin,
        )
        values.update(changes)
        return ResolvedData(**values)

    def _derived_items(self, items: list[ResolvedData]) -> list[ResolvedData]:
        """Categories another answer switches on, unless the answers already list them."""
        answers, cats, have = self.answers, self.catalogues.data_categories, {d.id for d in items}
        out: list[ResolvedData] = []
        if ("backups" in answers.services and answers.roles.processor_for_customers
                and "customer_backups" not in have and "customer_backups" in cats):
            out.append(self._catalogue_item("customer_backups", "derived"))
        recording = next((d for d in answers.data if d.call_recording), None)
        if recording and "call_recordings" not in have and "call_recordings" in cats:
            # the period comes from the answers only; without it the report asks for it
            out.append(self._catalogue_item("call_recordings", "derived", retention=recording.call_recording_retention))
        if answers.vat_oss and "vat_oss_records" not in have and "vat_oss_records" in cats:
            out.append(self._catalogue_item("vat_oss_records", "derived"))
        return out

    def activity_purposes(self) -> list[tuple[str, str, str]]:
        """(purpose, data id, basis) for each activity the answers switch on."""
        answers = self.answers
        out: list[tuple[str, str, str]] = []
        if answers.marketing.email != "none":
            basis = "legitimate_interests" if answers.marketing.email == "soft_opt_in" else "consent"
            out.append(("marketing", "marketing_preferences", basis))
        if answers.marketing.remarketing or self.processor_group("advertising") or any(
                c.purpose == "marketing" for c in self.cookies):
            out.append(("advertising", "website_usage", "consent"))
        if self.processor_group("analytics") or any(c.purpose == "analytics" for c in self.cookies):
            out.append(("analytics", "website_usage", "consent"))
        if answers.automated_decisions.order_fraud_screening:
            out.append(("fraud_prevention", "billing", "legitimate_interests"))
        return out

    def _activity_items(self, items: list[ResolvedData]) -> list[ResolvedData]:
        """Every switched-on activity gets its purpose: on a ticked category that already has it,
        else added to the ticked category it uses, else on that category added as 'activity'
        (without a retention period, which the report then asks for)."""
        items = list(items)
        cats = self.catalogues.data_categories
        for purpose, data_id, basis in self.activity_purposes():
            if any(p == purpose for d in items for p, _ in d.purposes):
                continue
            index = next((i for i, d in enumerate(items) if d.id == data_id), None)
            if index is not None:
                d = items[index]
                items[index] = ResolvedData(**{**d.__dict__, "purposes": d.purposes + ((purpose, basis),)})
            elif data_id in cats:
                items.append(self._catalogue_item(data_id, "activity", purposes=[(purpose, basis)], retention=None))
        return items

    def answered_data(self, data_id: str) -> bool:
        """The answers list the data category (not derived from other answers): safe inside data_items."""
        return data_id in self.answers.data_ids()

    def _default_purpose_applies(self, purpose_id: str) -> bool:
        """A catalogue default purpose only where the business does that (no 'advertising' row
        without advertising, no 'running your account' without accounts). Its condition may not
        ask data(), which reads data_items: answered_data() is the answers' own list."""
        purpose = self.catalogues.purposes.get(purpose_id)
        return not (purpose and purpose.when) or conditions.evaluate(purpose.when, self)

    def _purpose_basis(self, purpose_id: str, item: DataItem | Any, cat: DataCategory | None) -> str:
        if item.legal_basis:
            return item.legal_basis
        purpose = self.catalogues.purposes.get(purpose_id)
        if purpose:
            return purpose.legal_basis
        return cat.legal_basis if cat else "contract"

    @cached_property
    def processors(self) -> tuple[ResolvedProcessor, ...]:
        out: list[ResolvedProcessor] = []
        for ref in self.answers.processors:
            entry = self.catalogues.processors.get(ref.id) if ref.id else None
            if entry:
                business = self.answers.business
                entity, country = entry.entity_for(business.country, self.in_region(business.country, "EEA"))
                # the catalogue's confirmed DPF parts, or the business's own answer for this recipient
                dpf = entry.dpf or (("eu", "uk", "ch") if ref.safeguard == "dpf" else ())
                hosted = self._receives_hosted_data(ref.data or entry.data, entry.group, ref.restricted_processing)
                out.append(ResolvedProcessor(
                    id=entry.id, name=entry.name, entity=ref.entity or entity, group=entry.group,
                    country=ref.country or country, description=entry.description,
                    data=ref.data or entry.data, privacy_url=entry.privacy_url, privacy_url_trusted=True,
                    safeguard=ref.safeguard,
                    transfer_countries=ref.transfer_countries or entry.transfer_countries,
                    cookies=tuple(
                        ResolvedCookie(c.name, entry.name, c.purpose, c.duration, c.description, False)
                        for c in entry.cookies
                    ),
                    custom=False,
                    dpf=dpf,
                    scc=entry.scc or entry.safeguard == "scc",
                    bcr=entry.bcr or entry.safeguard == "bcr",
                    restricted_processing=ref.restricted_processing,
                    region_stated=bool(ref.country) or not hosted,
                    entity_country=None if ref.entity else country,
                ))
            else:
                name: str = ref.name or ref.id  # type: ignore[assignment]  # the contract requires an id or a name
                out.append(ResolvedProcessor(
                    # a recipient typed in without a group that receives registrant data is a
                    # registrar or registry, so it appears in the registrars' table (counsel, class 19)
                    id=None, name=name, entity=ref.entity,
                    group=ref.group or ("registrars" if "domain_registrant" in ref.data else None), country=ref.country,  # type: ignore[arg-type]  # required of a custom one
                    description=ref.description or ref.purpose or "", data=ref.data,
                    privacy_url=ref.privacy_url, privacy_url_trusted=False, safeguard=ref.safeguard,
                    transfer_countries=ref.transfer_countries,
                    cookies=tuple(
                        ResolvedCookie(c.name, name, c.purpose, c.duration, c.description, False) for c in ref.cookies
                    ),
                    custom=True,
                    # a business that names the DPF for its own vendor has looked it up on the DPF list
                    dpf=("eu", "uk", "ch") if ref.safeguard == "dpf" else (),
                    restricted_processing=ref.restricted_processing,
                ))
        return tuple(out)

    def _receives_hosted_data(self, data: tuple[str, ...], group: str | None, restricted: bool) -> bool:
        """A recipient of this data and group is a sub-processor of customers' hosted data (see subprocessors)."""
        cats = self.catalogues.data_categories
        hosted = any(cats[d].role == "processor" for d in data if d in cats)
        never = (*laws_registry.OWN_ACCOUNT_GROUPS, "payments")
        return hosted and group not in never and not (group == "advertising" and not restricted)

    @cached_property
    def cookies(self) -> tuple[ResolvedCookie, ...]:
        first = tuple(
            ResolvedCookie(c.name, c.provider or self.answers.business.display_name, c.purpose, c.duration, c.description, True)
            for c in self.answers.cookies.items
        )
        return first + tuple(c for p in self.processors for c in p.cookies)

    def data_name(self, data_id: str) -> str:
        item = next((d for d in self.data_items if d.id == data_id), None)
        if item:
            return item.name
        cat = self.catalogues.data_categories.get(data_id)
        return cat.name if cat else data_id

    def in_region(self, code: str, region: str) -> bool:
        if region == "EEA":
            country = self.catalogues.countries.get(code)
            return code == "EEA" or bool(country and country.eea)
        return code == region

    # -- per-law reasoning (generator/laws) ------------------------------------------------------
    @cached_property
    def laws(self) -> tuple[Law, ...]:
        """The chosen laws, as registry objects, in the answers' order."""
        registry = laws_registry.get_laws()
        return tuple(registry[law_id] for law_id in self.answers.jurisdictions if law_id in registry)

    @cached_property
    def transfers(self) -> tuple[Transfer, ...]:
        return laws_registry.analyse(self, laws_registry.get_laws())

    def transfers_for(self, recipient: ResolvedProcessor) -> tuple[Transfer, ...]:
        return tuple(t for t in self.transfers if t.recipient is recipient)

    def authorities(self, law_id: str) -> tuple[Authority, ...]:
        return laws_registry.authorities_for(laws_registry.get_laws()[law_id], self.answers, self.catalogues)

    @cached_property
    def hosting_services(self) -> tuple[Service, ...]:
        """The services sold that store customers' data on their instructions (services.yaml
        hosts_customer_data): the customer DPA covers these."""
        services = self.catalogues.services
        return tuple(services[s] for s in self.answers.services if s in services and services[s].hosts_customer_data)

    @cached_property
    def subprocessors(self) -> tuple[ResolvedProcessor, ...]:
        """Recipients that receive customers' hosted data (a data category whose catalogue role is
        processor: hosted content, customer-ordered backups) and act for us on it: the customer
        DPA's sub-processors. Registries, registrars and certificate authorities decide their own
        use of what they receive, payment providers handle our own billing, and advertising
        vendors use data for their own purposes: none of them is ever a sub-processor, whatever
        data the answers give them (the DPA says so in subprocessors.not_registries and
        not_payments)."""
        cats = self.catalogues.data_categories
        customer_data = {data_id for data_id, cat in cats.items() if cat.role == "processor"}
        never = (*laws_registry.OWN_ACCOUNT_GROUPS, "payments")
        return tuple(
            p for p in self.processors
            if customer_data & set(p.data) and p.group not in never and p not in self.ad_third_parties()
        )

    def subprocessors_used(self) -> bool:
        return bool(self.subprocessors)

    def subprocessors_confirmed(self) -> bool:
        """The sub-processors are named, or the business confirms it has none: only then can the
        agreement say what they receive and where (counsel review of the DPA, second round, M1)."""
        return self.subprocessors_used() or self.answers.dpa.no_subprocessors_confirmed

    @cached_property
    def region_unstated(self) -> tuple[ResolvedProcessor, ...]:
        """Sub-processors whose region (where they hold customers' data) is not answered."""
        return tuple(p for p in self.subprocessors if not p.region_stated)

    def subprocessor_region_unstated(self) -> bool:
        return bool(self.region_unstated)

    def hosts_customer_data(self) -> bool:
        return bool(self.hosting_services)

    def unmanaged_service(self) -> bool:
        return any(not s.managed for s in self.hosting_services)

    def deletion_period_known(self) -> bool:
        """The answers give hosted content a period, in days, weeks or months, after its service ends."""
        item = next((d for d in self.data_items if d.id == "hosted_content"), None)
        return bool(item and item.retention is not None and not item.retention.keyword)

    def _retention_of(self, data_id: str) -> Duration | None:
        item = next((d for d in self.data_items if d.id == data_id), None)
        return item.retention if item else None

    def customer_data_backed_up(self) -> bool:
        """We make backup copies of customers' data: a backup service sold, a backups data item, or
        the backups measure (the DPA's own answer for customers' data once given, dpa.measures, else
        the security step's). The answers do not say that backing up stops when a service ends, so
        any backups are deleted on their own schedule, which the agreement must state (counsel review
        of the DPA, second round, M4)."""
        measures = self.answers.dpa.measures if self.answers.dpa.measures is not None else self.answers.security.measures
        return ("backups" in self.answers.services or "backups" in measures
                or any(d.id == "backups" for d in self.data_items))

    def backup_period_known(self) -> bool:
        """The answers give backups a period (not a keyword, not missing), which the DPA can promise."""
        backups = self._retention_of("backups")
        return bool(backups is not None and not backups.keyword)

    def customer_breach_hours(self) -> int | None:
        """Hours within which customers hear of a breach: the DPA's own answer only. The security
        step's figure is the authority's window; the DPA step offers it, visibly, for the business
        to save, and it is never read here (counsel review of the DPA, second round, n9)."""
        return self.answers.dpa.breach_notice_hours

    def dpa_breach_hours_given(self) -> bool:
        return self.customer_breach_hours() is not None

    def dpa_breach_hours_too_long(self) -> bool:
        """The hours promised to customers leave them no time for their own 72 hours (Art. 33(1))."""
        hours = self.answers.dpa.breach_notice_hours
        return bool(hours and hours >= 72)

    @cached_property
    def physical_subprocessors(self) -> tuple[ResolvedProcessor, ...]:
        """Sub-processors that run the servers holding customers' data (the infrastructure group:
        cloud, server and data-centre providers), whose premises' physical security is theirs."""
        return tuple(p for p in self.subprocessors if p.group == "infrastructure")

    @cached_property
    def dpa_measure_ids(self) -> tuple[str, ...]:
        """The DPA Annex's measures for hosted data (vocabulary dpa_security_measures), each with an
        answer behind it (counsel review of the DPA, M2 and C3): the measures the business applies to
        its customers' data (dpa.measures only: security.measures speaks of its own systems, second
        round M3), those the services sold imply (services.yaml dpa_measures), and physical security
        where a listed sub-processor runs the servers."""
        texts = self.catalogues.words("dpa_security_measures") or {}
        managed_only = () if any(s.managed for s in self.hosting_services) else (
            self.catalogues.words("dpa_measures_on_managed_services") or ())
        ids = [m for m in self.answers.dpa.measures or () if m in texts and m not in managed_only]
        for service in self.hosting_services:
            for measure in service.dpa_measures:
                # the backups' own period is promised only when the answers give one
                ids.append(measure if measure != "customer_backups" or self.backup_period_known()
                           else "customer_backups_no_period")
        if self.physical_subprocessors:
            ids.append("subprocessor_physical")
        return tuple(dict.fromkeys(ids))

    def dpa_measures_given(self) -> bool:
        """The Annex has something to list: a hosted-data measure or the business's own text."""
        return bool(self.dpa_measure_ids or self.answers.dpa.measures_text)

    def dpa_measures_stated(self) -> bool:
        """The business has said which measures it applies to its customers' data (dpa.measures,
        none of them included); until then the Annex says they are not yet stated (second round, M3)."""
        return self.answers.dpa.measures is not None

    def art32_measure(self, letter: str) -> bool:
        """A hosted-data measure of the Annex serves GDPR Art. 32(1)(letter) (vocabulary dpa_measure_art32)."""
        letters = self.catalogues.words("dpa_measure_art32") or {}
        return any(letter in letters.get(m, ()) for m in self.dpa_measure_ids)

    def own_transfer(self, law: Law) -> tuple[bool, Mechanism | None]:
        """(is a transfer, mechanism or None): whether a customer's disclosure of its data to us is a
        transfer under `law`, because we are established outside the law's territory, and its
        mechanism, chosen by the same per-law reasoning as every recipient's (laws.transfers)."""
        country = self.answers.business.country
        if not law.has_transfer_rules or laws_registry.in_territory(law, country, self.catalogues.countries):
            return False, None
        us = ResolvedProcessor(
            id=None, name=self.answers.business.legal_name, entity=None, group=None, country=country,
            description="", data=(), privacy_url=None, privacy_url_trusted=False, safeguard=None,
            transfer_countries=(), cookies=(), custom=True,
        )
        mechanism_id = laws_registry.choose_mechanism(law, us, country, self.answers, self.catalogues.countries)
        return True, law.mechanisms.get(mechanism_id) if mechanism_id else None

    def own_transfer_by(self, law_id: str, mechanism_id: str) -> bool:
        """A customer's disclosure of its data to us is a transfer under `law_id` by that mechanism."""
        own, mechanism = self.own_transfer(laws_registry.get_laws()[law_id])
        return own and mechanism is not None and mechanism.id == mechanism_id

    def storage_abroad(self, law: Law) -> tuple[tuple[str, Mechanism], ...]:
        """Where we store customers' data outside `law`'s territory in a country the law itself finds
        adequate, with that adequacy (counsel review of the DPA, M5: a UK host storing in the EEA).
        Our own country is left out (the customer's disclosure to us covers it), and so is a country
        without adequacy (the sub-processor there is listed with its own mechanism)."""
        if not law.has_transfer_rules or "adequacy" not in law.mechanisms:
            return ()
        countries = self.catalogues.countries
        return tuple(
            (code, law.mechanisms["adequacy"]) for code in self.answers.storage_locations
            if code != self.answers.business.country and not laws_registry.in_territory(law, code, countries)
            and laws_registry.is_adequate(law, code, countries)
        )

    def dpa_mechanism_named(self, law_id: str) -> bool:
        """The DPA's transfers section names at least one mechanism under `law_id` (for our own
        position, our storage abroad or a sub-processor), so other clauses may point to it."""
        law = laws_registry.get_laws()[law_id]
        own, mechanism = self.own_transfer(law)
        return bool((own and mechanism) or self.storage_abroad(law) or any(
            t.mechanism for p in self.subprocessors for t in self.transfers_for(p) if t.law is law))

    def dpa_transfer_gap(self, law_id: str) -> bool:
        """Under `law_id`, a sub-processor, or we ourselves, receive customers' data outside the
        law's territory with no mechanism named; or the sub-processors are not yet named, so
        their transfers are unknown (counsel review of the DPA, second round, M1)."""
        law = laws_registry.get_laws()[law_id]
        own, mechanism = self.own_transfer(law)
        if (own and mechanism is None) or not self.subprocessors_confirmed():
            return True
        return any(t.mechanism is None for p in self.subprocessors for t in self.transfers_for(p) if t.law is law)

    def ad_third_parties(self) -> tuple[ResolvedProcessor, ...]:
        """Recipients that use data for cross-context behavioural advertising: third parties under
        the CCPA, never service providers (Civ. Code 1798.140(e)(6), (ag); 11 CCR 7050(b))."""
        return tuple(p for p in self.processors if p.group == "advertising" and not p.restricted_processing)

    # -- condition calls -------------------------------------------------------------------
    def transfers_under(self, law_id: str) -> bool:
        return any(t.law.id == law_id for t in self.transfers)

    def transfer_gap(self, law_id: str) -> bool:
        return bool(laws_registry.gaps(self.transfers, law_id))

    def authority_known(self, law_id: str) -> bool:
        return bool(self.authorities(law_id))

    def representative_missing(self, law_id: str) -> bool:
        law = laws_registry.get_laws()[law_id]
        return laws_registry.representative_missing(law, self.answers, self.catalogues.countries)

    def clause13_land_unknown(self) -> bool:
        """We conclude the SCCs as an exporter outside the EEA with our EU representative in Germany,
        but its address gives no Land, so Annex I.C cannot name the Land authority (round 2, n1)."""
        eu = laws_registry.get_laws().get("eu")
        if eu is None or self.in_region(self.answers.business.country, "EEA"):
            return False
        seat = laws_registry.establishment_country(eu, self.answers, self.catalogues.countries)
        return seat == "DE" and laws_registry.representative_authority(self.answers, self.catalogues) is None

    def representative_needed(self, law_id: str) -> bool:
        law = laws_registry.get_laws()[law_id]
        return laws_registry.representative_needed(law, self.answers.business.country, self.catalogues.countries)

    def entity_unconfirmed(self) -> bool:
        """A catalogue recipient lists entities by region, none for the business's region outside the
        EEA, and the answers give no entity: the policy names none (Processor.entity_for)."""
        business = self.answers.business
        if self.in_region(business.country, "EEA"):
            return False  # the catalogue's main entity is the EEA one
        keys = {business.country, "default"}
        for ref in self.answers.processors:
            entry = self.catalogues.processors.get(ref.id) if ref.id else None
            if entry and entry.entities and not ref.entity and not keys & set(entry.entities):
                return True
        return False

    def breach_hours_exceed(self, law_id: str) -> bool:
        """The answered hours for reporting a breach to the authority exceed that law's deadline."""
        hours = self.answers.security.breach_notice_hours
        limit = laws_registry.get_laws()[law_id].breach_authority_hours
        return bool(hours and limit and hours > limit)

    def shares_for_advertising(self) -> bool:
        return bool(self.ad_third_parties()) or self.answers.marketing.remarketing

    def region(self, code: str) -> bool:
        return self.answers.business.region == code

    def law(self, law_id: str) -> bool:
        return law_id in self.answers.jurisdictions

    def service(self, service_id: str) -> bool:
        return service_id in self.answers.services

    def data(self, data_id: str) -> bool:
        return any(d.id == data_id for d in self.data_items)

    def undeclared_recipient_data(self) -> list[str]:
        """Data ids a recipient receives that the answers do not declare as collected."""
        declared = {d.id for d in self.data_items if d.origin != "activity"}
        out: list[str] = []
        for p in self.processors:
            for data_id in p.data:
                if data_id not in declared and data_id not in out:
                    out.append(data_id)
        return out

    def recipient_data_undeclared(self) -> bool:
        return bool(self.undeclared_recipient_data())

    def activity_data_undeclared(self) -> bool:
        return any(d.origin == "activity" for d in self.data_items)

    def missing_retention(self) -> bool:
        return any(d.retention is None and d.role != "processor" for d in self.data_items)

    def tracker_without_cookies(self) -> bool:
        # catalogue entries list their cookies from the vendor's documentation ([] = cookieless);
        # a tracker typed into the answers without any is the gap
        return any(p.custom and p.group in ("analytics", "advertising") and not p.cookies for p in self.processors)

    def unexempt_cookies(self) -> bool:
        """Non-essential first-party cookies with no stated exemption, and every processor's."""
        return any(
            c.purpose != "strictly_necessary" and not (c.first_party and self._exemption(c.name))
            for c in self.cookies
        )

    def cookie_exemption(self, exemption: str) -> bool:
        return any(c.exemption == exemption for c in self.answers.cookies.items)

    def _exemption(self, name: str) -> str | None:
        return next((c.exemption for c in self.answers.cookies.items if c.name == name), None)

    def processor(self, processor_id: str) -> bool:
        return any(p.id == processor_id for p in self.processors)

    def processor_group(self, group: str) -> bool:
        return any(p.group == group for p in self.processors)

    def cookie_purpose(self, purpose: str) -> bool:
        return any(c.purpose == purpose for c in self.cookies)

    def field(self, path: str) -> bool:
        value = self.value(path)
        return bool(value) and value != ()

    def equals(self, path: str, expected: str) -> bool:
        value = self.value(path)
        return str(value).lower() == expected.lower() if isinstance(value, bool) else value == expected

    def includes(self, path: str, expected: str) -> bool:
        value = self.value(path)
        return isinstance(value, tuple) and expected in value

    def stores_in(self, region: str) -> bool:
        return any(self.in_region(code, region) for code in self.answers.storage_locations)

    def stores_outside(self, region: str) -> bool:
        """A storage location of the answers lies outside `region` (a country code or EEA)."""
        return any(not self.in_region(code, region) for code in self.answers.storage_locations)

    def established_in(self, region: str) -> bool:
        return self.in_region(self.answers.business.country, region)

    def safeguard(self, name: str) -> bool:
        return name in self.answers.transfers.safeguards or any(p.safeguard == name for p in self.processors)

    def retention(self, keyword: str) -> bool:
        return any(d.retention is not None and d.retention.text == keyword for d in self.data_items)

    def consent_based(self) -> bool:
        return any(basis == "consent" for d in self.data_items for _, basis in d.purposes) or (
            self.cookie_purpose("analytics") or self.cookie_purpose("marketing"))

    def legitimate_interests(self) -> bool:
        return any(basis == "legitimate_interests" for d in self.data_items for _, basis in d.purposes)

    def value(self, path: str) -> Any:
        """The answers value at a dotted path, or None."""
        node: Any = self.answers
        for part in path.split("."):
            node = getattr(node, part, None)
            if node is None:
                return None
        return node
