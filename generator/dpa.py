"""The customer DPA: the hosting business's second document, from the same answers.

A business that stores its customers' data on their instructions is their processor, and owes them
a contract with the terms of GDPR Art. 28(3) (UK GDPR Art. 28, FADP Art. 9, LGPD Art. 39; for
California, a service provider's contract under 11 CCR 7051). The agreement is built exactly like
the policy: clauses in clauses/dpa/ (same format, provenance and lint), the same assembly
(generator.assembly.assemble with this module's generated blocks), the same document tree and so
the same five renderers. Every fact comes from one place: the sub-processors are Facts.subprocessors,
each transfer and its mechanism is Facts.transfers (generator.laws.transfers, the policy's own
reasoning), the measures are Facts.dpa_measure_ids, in words scoped to the customer's hosted data.

The DPA covers the laws that name a processor-contract provision (laws.yaml `dpa_cite`); for the
others it is not produced, and dpa_checklist.yaml `uncovered` says what the host's customers need
under each instead (uncovered_requirements): the refusal message and the report's item both read it.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

import yaml

from generator import laws as laws_registry
from generator.assembly import _name_cell, _t, assemble, location_cell, mechanisms_cell
from generator.answers.model import Answers
from generator.document import Block, BulletList, Inlines, Heading, Paragraph, PolicyDocument, Table, Text
from generator.laws import Law, Mechanism
from generator.library.catalogues import Catalogues
from generator.library.clauses import Library
from generator.library import CLAUSES_DIR, conditions, get_catalogues
from generator.library.clauses import load_complete_library
from generator.library.placeholders import join_words, running_label
from generator.resolve import Facts, ResolvedProcessor

DPA_FOLDER = "dpa"  # clauses/dpa/NN_section.yaml


@lru_cache(maxsize=1)
def get_dpa_library() -> Library:
    return load_complete_library(CLAUSES_DIR, folder=DPA_FOLDER)


def covered_laws(answers: Answers) -> tuple[Law, ...]:
    """The chosen laws the DPA covers (those with a processor-contract provision), in answers order."""
    registry = laws_registry.get_laws()
    return tuple(registry[i] for i in answers.jurisdictions if i in registry and registry[i].dpa_cite)


def uncovered_laws(answers: Answers) -> tuple[Law, ...]:
    registry = laws_registry.get_laws()
    return tuple(registry[i] for i in answers.jurisdictions if i in registry and not registry[i].dpa_cite)


@lru_cache(maxsize=1)
def load_dpa_checklist() -> dict[str, Any]:
    with open(CLAUSES_DIR / "dpa_checklist.yaml", encoding="utf-8") as handle:
        checklist: dict[str, Any] = yaml.safe_load(handle)
    return checklist


def uncovered_requirements(facts: Facts) -> tuple[tuple[Law, tuple[dict[str, Any], ...]], ...]:
    """For each chosen law the agreement does not cover, what the host's customers need under it
    instead: every entry of dpa_checklist.yaml `uncovered` for the law whose `applies` holds (a
    Quebec enterprise: the Quebec Act's s. 18.3 contract, its s. 17 where the data leaves Quebec,
    and PIPEDA's for customers elsewhere in Canada; counsel review of the DPA, second round, n8),
    or none if the law has no entry yet."""
    entries = load_dpa_checklist().get("uncovered") or {}
    return tuple(
        (law, tuple(e for e in entries.get(law.id) or () if conditions.evaluate(e.get("applies"), facts)))
        for law in uncovered_laws(facts.answers)
    )


def why_not_available(answers: Answers, catalogues: Catalogues | None = None) -> str | None:
    """None when a DPA can be produced for these answers, else the reason: for a host under laws the
    agreement does not cover, what its customers need under each instead (uncovered_requirements)."""
    catalogues = catalogues or get_catalogues()
    facts = Facts(answers, catalogues)
    if not facts.hosting_services:
        return ("None of the services you sell stores your customers' data for them (services step), so you "
                "are not their processor and need no customer DPA.")
    if not covered_laws(answers):
        reasons = [catalogues.words("dpa", "none_covered")]
        for law, entries in uncovered_requirements(facts):
            reasons.extend([e["refusal"] for e in entries] or [catalogues.words("dpa", "not_written", law=law.short)])
        return " ".join(reasons)
    return None


def build_dpa(answers: Answers, today: date | None = None, library: Library | None = None,
              catalogues: Catalogues | None = None) -> PolicyDocument:
    """Answers -> the DPA as a PolicyDocument (the same tree every renderer reads)."""
    catalogues = catalogues or get_catalogues()
    return assemble(
        answers, library or get_dpa_library(), catalogues, today or date.today(),
        generated=GENERATED_BLOCKS, title=catalogues.words("dpa", "title"),
    )


# -- generated blocks ------------------------------------------------------------------------

def services_list(facts: Facts, clause_id: str) -> list[Block]:
    words = facts.catalogues.words
    items = [
        (Text(s.name, strong=True), Text(f": {s.description}")) if s.description else _t(s.name, strong=True)
        for s in facts.hosting_services
    ]
    return [BulletList(tuple(items), clause_id)] if items else []


def _union(facts: Facts, attribute: str) -> list[str]:
    return list(dict.fromkeys(x for s in facts.hosting_services for x in getattr(s, attribute)))


def _sentence_items(phrases: list[str]) -> tuple[Inlines, ...]:
    return tuple(_t(p[:1].upper() + p[1:]) for p in phrases)


def data_types_list(facts: Facts, clause_id: str) -> list[Block]:
    items = _union(facts, "hosted_data")
    return [BulletList(_sentence_items(items), clause_id)] if items else []


def data_subjects_list(facts: Facts, clause_id: str) -> list[Block]:
    """Whose data it is: each service's lines once, a line another service sold words differently
    (services.yaml data_subjects_instead: a reseller's own customers are not its customers' customers)."""
    instead = {old: new for s in facts.hosting_services for old, new in s.data_subjects_instead}
    items = list(dict.fromkeys(instead.get(x, x) for x in _union(facts, "data_subjects")))
    return [BulletList(_sentence_items(items), clause_id)] if items else []


def subprocessors_table(facts: Facts, clause_id: str) -> list[Block]:
    """The sub-processors: entity, what for, where, and the transfer mechanism under each law - the
    very cell the policy's recipients table prints for the same recipient (mechanisms_cell)."""
    rows = []
    for p in facts.subprocessors:
        rows.append((
            _name_cell(p), _t(p.description), location_cell(facts, p),
            mechanisms_cell(facts, p),
        ))
    if not rows:
        return []
    return [Table(tuple(facts.catalogues.words("tables", "subprocessors")), tuple(rows), clause_id, kind="subprocessors")]


def transfers_by_law(facts: Facts, clause_id: str) -> list[Block]:
    """For each covered law with transfer rules: our own position (a customer's disclosure to a
    business outside the territory is itself a transfer), where we ourselves store the data outside
    the territory, then the sub-processors that receive the data outside it, destination by
    destination, each with its own mechanism in its words for a sub-processor (laws.yaml
    processor_text; counsel review of the DPA, M6: never one list mixing destinations)."""
    words = facts.catalogues.words
    blocks: list[Block] = []
    chosen = {law.id for law in covered_laws(facts.answers)}
    for law in facts.laws:
        if law.id not in chosen or not law.has_transfer_rules:
            continue
        law_name = laws_registry.transfer_law_name(law, facts.answers)
        territory = laws_registry.territory_name(law, facts.answers)
        own, mechanism = facts.own_transfer(law)
        if own:
            country = facts.catalogues.country_name(facts.answers.business.country)
            decision = (words("dpa_eu_adequacy_decisions") or {}).get(facts.answers.business.country)
            if mechanism and mechanism.id == "adequacy" and law.id == "eu" and decision:
                blocks.append(Paragraph(_t(words("dpa", "transfer_to_us_adequate", country=country, territory=territory, law=law_name, decision=decision)), clause_id))
            elif mechanism and mechanism.id == "scc" and law.id == "eu" and not facts.answers.dpa.scc_governing_law:
                # not "protected": the clauses are incorporated only once their governing law is chosen (C2)
                blocks.append(Paragraph(_t(words("dpa", "transfer_to_us_scc_pending", country=country, territory=territory, law=law_name)), clause_id))
            elif mechanism:
                text = mechanism.customer_text or mechanism.text
                blocks.append(Paragraph(_t(words("dpa", "transfer_to_us", country=country, territory=territory, law=law_name, mechanism=text)), clause_id))
            else:
                blocks.append(Paragraph(_t(words("dpa", "transfer_to_us_gap", country=country, territory=territory, law=law_name)), clause_id))
        for code, adequacy in facts.storage_abroad(law):
            blocks.append(Paragraph(_t(words(
                "dpa", "storage_abroad", law=law_name, territory=territory,
                country=facts.catalogues.country_name(code), mechanism=_storage_adequacy(facts, law, code, adequacy),
            )), clause_id))
        transfers = [t for p in facts.subprocessors for t in facts.transfers_for(p) if t.law is law]
        if facts.region_unstated:
            # where they hold the data is unanswered: no "none receives it outside", no seat's mechanism (M2)
            blocks.append(Paragraph(_t(words(
                "dpa", "region_unstated", recipients=join_words([p.name for p in facts.region_unstated]),
                territory=territory, law=law_name)), clause_id))
        if not transfers:
            if not facts.region_unstated:
                # "none receives" is a statement about the sub-processors: only once they are named or
                # confirmed absent (counsel review of the DPA, second round, M1)
                key = "transfers_none" if facts.subprocessors_confirmed() else "transfers_subprocessors_unconfirmed"
                blocks.append(Paragraph(_t(words("dpa", key, law=law_name, territory=territory)), clause_id))
            continue
        by_destination: dict[tuple[str, str | None, bool], dict[str, None]] = {}
        mechanisms = {t.mechanism.id: t.mechanism for t in transfers if t.mechanism}
        for t in transfers:
            destination = (t.country, t.mechanism.id if t.mechanism else None, _onward(facts, law, t.recipient, t.country))
            by_destination.setdefault(destination, {})[t.recipient.name] = None
        stored = [code for code, _ in facts.storage_abroad(law)]
        items = []
        for (code, mechanism_id, onward), names in by_destination.items():
            if mechanism_id == "adequacy" and _within(facts, code, stored):
                continue  # the storage paragraph just said it, with the same adequacy (n5)
            found = mechanisms.get(mechanism_id) if mechanism_id else None
            country = facts.catalogues.country_name(code)
            items.append(_t(words(
                "dpa", "transfer_destination", country=country, recipients=join_words(list(names)),
                mechanism=_destination_text(facts, law, found, code, onward=(country, names) if onward else None)
                if found else words("dpa", "transfer_destination_gap"),
            )))
        if not items:
            blocks.append(Paragraph(_t(words("dpa", "transfers_only_where_stored", law=law_name, territory=territory)), clause_id))
            continue
        blocks.append(Paragraph(_t(words("dpa", "transfers_intro", law=law_name, territory=territory)), clause_id))
        blocks.append(BulletList(tuple(items), clause_id))
    return blocks


def _in_eea(facts: Facts, code: str) -> bool:
    country = facts.catalogues.countries.get(code)
    return code == "EEA" or bool(country and country.eea)


def _within(facts: Facts, code: str, places: list[str]) -> bool:
    """`code` is one of `places`, or in the EEA where one of them is the EEA as a whole."""
    return code in places or ("EEA" in places and _in_eea(facts, code))


def _destination_text(facts: Facts, law: Law, mechanism: Mechanism, code: str,
                      onward: tuple[str, dict[str, None]] | None = None) -> str:
    """A mechanism's words in a per-destination bullet: an adequacy names the country and its
    instrument (vocabulary dpa_subprocessor_adequacy), any other mechanism its own words with the
    label in lower case, since it follows "Hetzner in Germany:" (counsel review of the DPA, second
    round, n5)."""
    texts = facts.catalogues.words("dpa_subprocessor_adequacy") or {}
    key = f"{law.id}_EEA" if _in_eea(facts, code) and f"{law.id}_EEA" in texts else law.id
    if mechanism.id == "adequacy" and key in texts:
        decision = (facts.catalogues.words("dpa_eu_adequacy_decisions") or {}).get(code) if law.id == "eu" else None
        return str(texts[key]).format(country=facts.catalogues.country_name(code), decision=f"{decision}; " if decision else "")
    return running_label(_processor_text(facts, law, mechanism, onward=onward))


def _onward(facts: Facts, law: Law, recipient: ResolvedProcessor, code: str) -> bool:
    """The leg to `code` is the sub-processor's own onward transfer to its affiliates: the entity we
    contract with (its catalogue seat) and the region it holds the data in are inside the law's
    territory or adequate under it, and `code` is not
    where it holds the data for us but one of the countries its group reaches it from (counsel
    review of the DPA, round 2, M2: AWS EMEA SARL in Luxembourg is not the importer for the US)."""
    countries = facts.catalogues.countries

    def covered(place: str) -> bool:
        return laws_registry.in_territory(law, place, countries) or laws_registry.is_adequate(law, place, countries)

    # the rule rests on the contracting entity's seat, which is known; an unanswered region does not
    # turn the leg back into a transfer to the sub-processor (counsel, round 3, n3)
    region_fits = not recipient.region_stated or (code != recipient.country and covered(recipient.country))
    return bool(recipient.entity_country and code in recipient.transfer_countries
                and covered(recipient.entity_country) and region_fits)


def _storage_adequacy(facts: Facts, law: Law, code: str, adequacy: Mechanism) -> str:
    """The adequacy that covers our own storage in `code` under `law`, in the law's own terms
    (vocabulary dpa_storage_adequacy; the UK's approval of the EEA states has its own source),
    else the law's general adequacy text."""
    texts = facts.catalogues.words("dpa_storage_adequacy") or {}
    in_eea = _in_eea(facts, code)
    text = texts.get(f"{law.id}_EEA") if in_eea and f"{law.id}_EEA" in texts else texts.get(law.id)
    return str(text).format(country=facts.catalogues.country_name(code)) if text else adequacy.text


def _processor_text(facts: Facts, law: Law, mechanism: Mechanism, onward: tuple[str, dict[str, None]] | None = None) -> str:
    """A mechanism's words for a sub-processor; for its onward transfer to its affiliates in
    the country of `onward` (_onward), the mechanism's words for that; when we are ourselves outside the law's
    territory and the mechanism has words for that, those, with the supervisory authority the clauses
    then name (Clause 13(a) for an exporter outside the EEA: its Art. 27 representative's Member State)."""
    if onward and mechanism.processor_text_onward:
        country, names = onward
        seats = [p.entity_country for p in facts.subprocessors if p.name in names and p.entity_country]
        return mechanism.processor_text_onward.format(
            country=country, seat=join_words([facts.catalogues.country_name(c) for c in dict.fromkeys(seats)]))
    outside = facts.own_transfer(law)[0]
    if not (outside and mechanism.processor_text_exporter_outside):
        return mechanism.processor_text or mechanism.text
    return mechanism.processor_text_exporter_outside.format(clause13=clause13_authority(facts, law))


def clause13_authority(facts: Facts, law: Law) -> str:
    """The supervisory authority SCC Clause 13(a) and Annex I.C name for us as an exporter outside
    the EEA: by name, the authority of our Art. 27 representative's Member State, in Germany of its
    Land (counsel review of the DPA, round 2, n1); where the answers do not identify the Land, the rule
    that does (the report asks for the address: Facts.clause13_land_unknown)."""
    words = facts.catalogues.words
    seat = laws_registry.establishment_country(law, facts.answers, facts.catalogues.countries)
    if not seat:
        return words("dpa", "scc_clause13_no_representative")
    country = facts.catalogues.country_name(seat)
    authority = laws_registry.representative_authority(facts.answers, facts.catalogues)
    if authority and authority.region:
        return words("dpa", "scc_clause13_representative_land", authority=authority.name)
    if authority:
        return words("dpa", "scc_clause13_representative_named", authority=authority.name, country=country)
    if seat == "DE":
        return words("dpa", "scc_clause13_representative_land_unknown")
    return words("dpa", "scc_clause13_representative", country=country)
def _measure_texts(facts: Facts) -> list[tuple[str, str]]:
    """(measure id, its words) for each hosted-data measure (Facts.dpa_measure_ids): a service-implied
    measure names the services that imply it, the physical-security line comes once per sub-processor."""
    words = facts.catalogues.words
    out: list[tuple[str, str]] = []
    for measure in facts.dpa_measure_ids:
        if measure == "subprocessor_physical":
            out.extend((measure, words("dpa_security_measures", measure, name=p.name)) for p in facts.physical_subprocessors)
            continue
        implied_by = [running_label(s.name) for s in facts.hosting_services
                      if measure in s.dpa_measures or (measure == "customer_backups_no_period" and "customer_backups" in s.dpa_measures)]
        values: dict[str, object] = {"services": join_words(implied_by)} if implied_by else {}
        if measure == "customer_backups":
            backups = next(d for d in facts.data_items if d.id == "backups")  # backup_period_known() found it
            values["period"] = backups.retention.words() if backups.retention else ""
        out.append((measure, words("dpa_security_measures", measure, **values)))
    return out


def measures_annex(facts: Facts, clause_id: str) -> list[Block]:
    """The measures for the customer's hosted data, grouped as GDPR Art. 32(1) and Annex III of
    Decision (EU) 2021/915 group them (vocabulary dpa_security_measures, dpa_measure_groups): the
    measures the business applies to its customers' data (dpa.measures) in words scoped to hosted
    data, those implied by the services sold and each server sub-processor's physical security;
    then the business's own text (dpa.measures_text, printed as typed)."""
    words = facts.catalogues.words
    group_of, titles = words("dpa_measure_group_of") or {}, words("dpa_measure_groups") or {}
    grouped: dict[str, list[str]] = {}
    for measure, text in _measure_texts(facts):
        grouped.setdefault(group_of.get(measure, "other"), []).append(text)
    blocks: list[Block] = []
    for group in titles:
        if group in grouped:
            blocks.append(Heading(titles[group], clause_id, f"annex-{group}"))
            blocks.append(BulletList(tuple(_t(m) for m in grouped[group]), clause_id))
    own = facts.answers.dpa.measures_text
    if own:
        blocks.append(Heading(words("dpa", "own_measures"), clause_id, "annex-own-words"))
        blocks.append(Paragraph(_t(own), clause_id))
    return blocks


def measures_scope(facts: Facts, clause_id: str) -> list[Block]:
    """Which services the measures cover whole, and on which the customer runs the system."""
    words = facts.catalogues.words
    managed = [running_label(s.name) for s in facts.hosting_services if s.managed]
    unmanaged = [running_label(s.name) for s in facts.hosting_services if not s.managed]
    blocks: list[Block] = []
    if managed:
        blocks.append(Paragraph(_t(words("dpa", "managed_scope", services=join_words(managed))), clause_id))
    if unmanaged:
        blocks.append(Paragraph(_t(words("dpa", "unmanaged_scope", services=join_words(unmanaged))), clause_id))
    return blocks


GENERATED_BLOCKS: dict[str, Callable[[Facts, str], list[Block]]] = {
    "dpa_services_list": services_list,
    "dpa_data_types_list": data_types_list,
    "dpa_data_subjects_list": data_subjects_list,
    "subprocessors_table": subprocessors_table,
    "dpa_transfers_by_law": transfers_by_law,
    "dpa_measures_scope": measures_scope,
    "dpa_measures_annex": measures_annex,
}
