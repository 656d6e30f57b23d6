"""Assembly: answers + clause library + catalogues + a date -> the policy document.

A pure function: the same input gives the same document, byte for byte once rendered. It includes
exactly the clauses whose laws were chosen and whose conditions hold, fills their placeholders with
plain text, and builds the generated tables and lists from the catalogues.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from generator import laws
from generator import summary
from generator.library.placeholders import channel_inlines
from generator.prose import cell_labels, is_web_url, sentence_label
from generator.document import Block, BulletList, Heading, Inline, Inlines, Link, Paragraph, PolicyDocument, Section, Table, Text
from generator.library import conditions
from generator.library.clauses import PLACEHOLDER, ListTemplate, SectionLink, Literal, ParagraphTemplate, Slot, TrustedLink
from generator.library.placeholders import PlaceholderResolver, join_words, long_date
from generator.resolve import Facts, ResolvedData, ResolvedProcessor
from generator.answers.model import Answers
from generator.library.catalogues import Catalogues
from generator.library.clauses import Clause, Library, TemplateInlines
from generator.library.placeholders import Resolve

# Catalogues.words: printed words for a vocabulary id.
Words = Callable[..., Any]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clause_applies(clause: Clause, facts: Facts) -> bool:
    laws = clause.laws
    if "all" not in laws and not any(law in facts.answers.jurisdictions for law in laws):
        return False
    return conditions.evaluate(clause.when, facts)


def fill_inlines(inlines: TemplateInlines, resolve: Resolve, anchors: Mapping[str, str] | None = None) -> Inlines | None:
    """Template inlines -> document inlines; None when a placeholder has no value. A link to a
    section becomes a link where `anchors` (section id -> anchor) has it, else plain text."""
    out: list[Inline] = []
    for inline in inlines:
        if isinstance(inline, Literal):
            out.append(Text(inline.text, inline.strong))
        elif isinstance(inline, TrustedLink):
            out.append(Link(inline.text, inline.href))
        elif isinstance(inline, SectionLink):
            anchor = (anchors or {}).get(inline.section)
            out.append(Link(inline.text, f"#{anchor}") if anchor else Text(inline.text))
        elif isinstance(inline, Slot):
            value = resolve(inline.path)
            if value is None:
                return None
            if isinstance(value, tuple):
                out += value
            else:
                out.append(Text(value, inline.strong))
    return tuple(out)


def _clause_blocks(clause: Clause, resolve: Resolve) -> list[Block] | None:
    blocks: list[Block] = []
    for template in clause.blocks:
        if isinstance(template, ParagraphTemplate):
            inlines = fill_inlines(template.inlines, resolve)
            if inlines is None:
                return None
            blocks.append(Paragraph(inlines, clause.id))
        elif isinstance(template, ListTemplate):
            items = [fill_inlines(item, resolve) for item in template.items]
            if any(item is None for item in items):
                return None
            blocks.append(BulletList(tuple(items), clause.id))  # type: ignore[arg-type]  # no None: checked above
    return blocks


# -- generated blocks ------------------------------------------------------------------------

def _t(text: str, strong: bool = False) -> Inlines:
    return (Text(text, strong),)


def has_accounts(facts: Facts) -> bool:
    """Whether the business keeps customer accounts (finding 9: no account wording without them)."""
    return any(d.id == "account" for d in facts.data_items)


def while_active_words(item: ResolvedData, words: Words, accounts: bool = True) -> str:
    """"while_active" in the category's own words: the account for account-bound data, the
    registration for domain data, the subscription for marketing preferences (finding 9)."""
    own = (words("retention_while_active") or {}).get(item.id)
    if isinstance(own, str):
        return own
    return words("retention", "while_active" if accounts else "while_active_no_account")


def period_words(item: ResolvedData, words: Words, accounts: bool = True) -> str | None:
    """"6 years", "for as long as your account is open, then 30 days", "until you unsubscribe,
    then 2 years"."""
    if item.retention is None:
        return None
    keyword = item.retention.keyword
    if keyword == "while_active":
        first = while_active_words(item, words, accounts)
    else:
        first = item.retention.words() if not keyword else words("retention", keyword)
    if item.retention_after is not None:
        return words("retention", "then", first=first, after=item.retention_after.words())
    return first


# Additions to a category's description in the data list, switched on by other answers (findings
# 13 and 23): the inventory says what the clauses elsewhere in the policy say is collected.
RU_DOMAINS = "service('domains') and established_in('RU')"
EMAIL_TRACKING = "field('marketing.email_tracking') and not equals('marketing.email', 'none')"


def _description_additions(facts: Facts) -> dict[str, str]:
    words = facts.catalogues.words
    out: dict[str, str] = {}
    if conditions.evaluate(RU_DOMAINS, facts):
        out["domain_registrant"] = words("data_additions", "ru_domains")
    if conditions.evaluate(EMAIL_TRACKING, facts):
        out["marketing_preferences"] = words("data_additions", "email_tracking")
    return out


def _sentence(text: str) -> str:
    """A list of examples as a sentence: capital first letter, full stop (finding 24)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def data_list(facts: Facts, clause_id: str) -> list[Block]:
    additions = _description_additions(facts)
    items: list[Inlines] = []
    for d in facts.data_items:
        detail = d.description or _sentence(join_words(list(d.examples)))
        if d.id in additions:
            detail = f"{detail} {additions[d.id]}" if detail else additions[d.id]
        items.append((Text(d.name, strong=True),) + ((Text(f": {detail}"),) if detail else ()))
    return [BulletList(tuple(items), clause_id)] if items else []


def purposes_table(facts: Facts, clause_id: str) -> list[Block]:
    """Purposes, the data used for each and, where a chosen law has a legal-basis model, the
    basis in each law's own terms (generator.laws.basis_cell)."""
    cat, words = facts.catalogues, facts.catalogues.words
    has_bases = laws.has_legal_bases(facts.answers.jurisdictions)
    business_country = facts.answers.business.country
    outside = {law.id for law in facts.laws
               if law.territory and not laws.in_territory(law, business_country, facts.catalogues.countries)}
    grouped: dict[str, dict[str, list[str]]] = {}  # purpose -> basis -> data names: one row per purpose, whatever the answers' bases
    for d in facts.data_items:
        if d.role == "processor":
            continue  # handled on customers' instructions: not a purpose of ours (053_hosted_content)
        for purpose_id, basis in d.purposes:
            grouped.setdefault(purpose_id, {}).setdefault(basis, []).append(d.name)
    rows: list[tuple[Inlines, ...]] = []
    for purpose_id, bases in grouped.items():
        purpose = cat.purposes.get(purpose_id)
        name = purpose.name if purpose else purpose_id
        cell = (Text(name, strong=True),) + ((Text(f": {purpose.description}"),) if purpose else ())
        data_names = list(dict.fromkeys(n for names in bases.values() for n in names))
        if not has_bases:
            rows.append((cell, _t(join_words(cell_labels(data_names)))))
            continue
        texts = []
        for basis, names in bases.items():
            text = laws.basis_cell(basis, facts.answers.jurisdictions, purpose_id=purpose_id, established_outside=outside)
            if basis == "legitimate_interests" and purpose and purpose.legitimate_interest:
                text = f"{text}: {purpose.legitimate_interest}"
            if len(bases) > 1:  # the answers give this purpose different bases for different data
                text = words("basis_for_data", text=text, data=join_words([sentence_label(n) for n in names]))
            texts.append(text)
        rows.append((cell, _t(join_words(cell_labels(data_names))), _t("; ".join(texts))))
    if not rows:
        return []
    columns = tuple(words("tables", "purposes"))
    return [Table(columns if has_bases else columns[:2], tuple(rows), clause_id, kind="purposes")]


def data_subjects_table(facts: Facts, clause_id: str) -> list[Block]:
    """152-FZ: for each purpose, the categories of people whose data is processed (Art. 18.1;
    Roskomnadzor's recommendations on policies). Processor data (hosted content) is left out."""
    law = laws.get_laws()["ru"]
    words = facts.catalogues.words
    rows: dict[str, dict[str, None]] = {}
    subjects: Any  # one data category's subjects (text) here, a purpose's set of them below
    for d in facts.data_items:
        if d.role == "processor":
            continue
        subjects = law.data_subjects.get(d.id, law.default_data_subjects)
        for purpose_id, _ in d.purposes:
            rows.setdefault(purpose_id, {})[subjects] = None
    out = []
    for purpose_id, subjects in rows.items():
        purpose = facts.catalogues.purposes.get(purpose_id)
        out.append((_t(purpose.name if purpose else purpose_id, strong=True), _t("; ".join(subjects))))
    if not out:
        return []
    return [Table(tuple(words("tables", "data_subjects")), tuple(out), clause_id, kind="data_subjects")]


def _privacy_cell(p: ResolvedProcessor, words: Words) -> Inlines:
    if not p.privacy_url:
        return _t(words("not_applicable"))
    if p.privacy_url_trusted or is_web_url(p.privacy_url):  # catalogue, or validated by the contract
        return (Link(p.privacy_url, p.privacy_url),)
    return _t(p.privacy_url)  # not an http(s) address: shown, never linked


def _name_cell(p: ResolvedProcessor) -> Inlines:
    if p.entity and p.entity != p.name:
        return (Text(p.name, strong=True), Text(f" ({p.entity})"))
    return _t(p.name, strong=True)


def _table_country(facts: Facts, code: str) -> str:
    return facts.catalogues.country_name(code).removeprefix("the ")


def location_cell(facts: Facts, p: ResolvedProcessor) -> Inlines:
    """Where a recipient holds or reaches the data: its answered region and transfer countries; for a
    recipient of hosted data with no answered region, "not yet stated", never its entity's seat."""
    names = [_table_country(facts, c) for c in p.places]
    if p.region_stated:
        return _t(join_words(names))
    words = facts.catalogues.words
    return _t(words("location_not_stated_and", countries=join_words(names)) if names else words("location_not_stated"))


def mechanisms_cell(facts: Facts, recipient: ResolvedProcessor) -> Inlines:
    """The transfer mechanism under each law that sees this recipient's data leave its territory:
    "GDPR: EU-US Data Privacy Framework; LGPD: ANPD standard contractual clauses". The law's name is
    left out when only one chosen law has transfer rules; "—" when no law sees a transfer."""
    words = facts.catalogues.words
    per_law: dict[str, dict[str, dict[str, None]]] = {}  # law -> mechanism label -> destinations
    for t in facts.transfers_for(recipient):
        label = t.mechanism.label if t.mechanism else words("transfer_not_yet_named")
        per_law.setdefault(t.law.short, {}).setdefault(label, {})[t.country] = None

    def labels_cell(labels: dict[str, dict[str, None]]) -> str:
        # two mechanisms under one law for different destinations: each names its own, so none reads
        # as covering all of them (counsel review of the DPA, M6: "Germany: adequacy; United States:
        # SCC"); mechanisms that overlap on a destination apply together and are simply listed
        # one mechanism names its destinations too when the recipient also holds the data where the law
        # sees no transfer (counsel review of the DPA, round 2, n4: "Germany and United States" ->
        # "standard contractual clauses for the United States", as the FADP and LGPD cells say)
        places_seen = [set(places) for places in labels.values()]
        every_place = len(labels) == 1 and places_seen[0] >= set(recipient.places)
        if every_place or sum(len(p) for p in places_seen) != len(set().union(*places_seen)):
            return join_words(list(labels))
        return join_words([f"{label} for {join_words([facts.catalogues.country_name(c) for c in places])}"
                           for label, places in labels.items()])

    if not per_law:
        # where it holds the data is unanswered: whether a law sees a transfer is not known (M2)
        unknown = not recipient.region_stated and any(law.has_transfer_rules for law in facts.laws)
        return _t(words("transfer_not_yet_named" if unknown else "not_applicable"))
    with_rules = [law for law in facts.laws if law.has_transfer_rules]
    if len(with_rules) == 1:
        return _t(labels_cell(next(iter(per_law.values()))))
    return _t("; ".join(f"{law}: {labels_cell(labels)}" for law, labels in per_law.items()))


def processors_table(facts: Facts, clause_id: str, recipients: Sequence[ResolvedProcessor] | None = None,
                     kind: str = "processors") -> list[Block]:
    """The recipients table: one row per recipient, with the transfer mechanism under each law.
    Advertising partners that use the data for their own purposes are listed apart
    (advertising_table): they are controllers, and third parties under the CCPA."""
    words = facts.catalogues.words
    if recipients is None:
        advertisers = facts.ad_third_parties()
        recipients = [p for p in facts.processors if p not in advertisers]
    rows = []
    for p in recipients:
        rows.append((
            _name_cell(p),
            _t(p.description),
            _t(join_words(cell_labels([facts.data_name(d) for d in p.data]))),
            location_cell(facts, p),
            mechanisms_cell(facts, p),
            _privacy_cell(p, words),
        ))
    if not rows:
        return []
    return [Table(tuple(words("tables", "processors")), tuple(rows), clause_id, kind=kind)]


def advertising_table(facts: Facts, clause_id: str) -> list[Block]:
    return processors_table(facts, clause_id, recipients=facts.ad_third_parties(), kind="advertising")


def _group_table(facts: Facts, clause_id: str, group: str) -> list[Block]:
    words = facts.catalogues.words
    rows = [
        (_name_cell(p), _t(p.description), _t(_table_country(facts, p.country)), _privacy_cell(p, words))
        for p in facts.processors if p.group == group
    ]
    if not rows:
        return []
    return [Table(tuple(words("tables", "registries")), tuple(rows), clause_id, kind=group)]


def cookies_table(facts: Facts, clause_id: str) -> list[Block]:
    words = facts.catalogues.words
    rows = []
    for c in facts.cookies:
        purpose = words("cookie_purposes", c.purpose)
        if c.description:
            purpose = f"{purpose}: {c.description}"
        duration = c.duration.words() if not c.duration.keyword else words("retention", c.duration.keyword)
        provider = words("first_party") if c.first_party and c.provider == facts.answers.business.display_name else c.provider
        rows.append((_t(c.name, strong=True), _t(provider), _t(purpose), _t(duration)))
    if not rows:
        return []
    return [Table(tuple(words("tables", "cookies")), tuple(rows), clause_id, kind="cookies")]


def retention_table(facts: Facts, clause_id: str) -> list[Block]:
    words = facts.catalogues.words
    accounts = has_accounts(facts)
    ru_only = set(facts.answers.jurisdictions) == {"ru"}
    names = {}
    if conditions.evaluate(RU_DOMAINS, facts):
        names["domain_registrant"] = words("data_additions", "ru_domains_row")
    rows = []
    for d in facts.data_items:
        period = period_words(d, words, accounts)
        if period is None and d.role == "processor":
            # 152-FZ has no "processor": a Russia-only policy says whose instructions (finding 15)
            period = words("retention", "on_instructions_ru" if ru_only else "on_instructions")
        if period is None:
            continue  # no period in the answers: the report asks for one (missing_retention)
        name = f"{d.name} {names[d.id]}" if d.id in names else d.name
        rows.append((
            _t(name, strong=True), _t(period), _t(d.retention_starts or words("not_applicable")),
            _t(d.retention_reason or words("not_applicable")),
        ))
    if not rows:
        return []
    return [Table(tuple(words("tables", "retention")), tuple(rows), clause_id, kind="retention")]


def transfers_by_law(facts: Facts, clause_id: str) -> list[Block]:
    """For each chosen law with transfer rules: one paragraph naming the recipients that receive
    data outside its territory, country by country, then the mechanisms actually used, each
    explained once. A law that sees no transfer gets one sentence saying so. Each paragraph names
    its law, so a policy under several laws repeats no paragraph."""
    words = facts.catalogues.words
    blocks: list[Block] = []
    for law in facts.laws:
        if not law.has_transfer_rules:
            continue
        transfers = [t for t in facts.transfers if t.law is law]
        if not transfers:
            blocks.append(Paragraph(_t(words("transfers", "none", law=laws.transfer_law_name(law, facts.answers), territory=laws.territory_name(law, facts.answers))), clause_id))
            continue
        by_country: dict[str, dict[str, None]] = {}
        for t in transfers:
            by_country.setdefault(t.country, {})[t.recipient.name] = None
        places = [
            words("transfers", "item", country=facts.catalogues.country_name(code), recipients=join_words(list(names)))
            for code, names in by_country.items()
        ]
        blocks.append(Paragraph(_t(words(
            "transfers", "intro", law=laws.transfer_law_name(law, facts.answers), territory=laws.territory_name(law, facts.answers), places="; ".join(places),
        )), clause_id))
        used = {t.mechanism.id: t.mechanism for t in transfers if t.mechanism}
        if used:
            blocks.append(Paragraph(_t(words("transfers", "mechanisms", law=laws.transfer_law_name(law, facts.answers, short=True))), clause_id))
            blocks.append(BulletList(tuple(_t(m.text) for m in used.values()), clause_id))
    return blocks


def security_list(facts: Facts, clause_id: str) -> list[Block]:
    """The measures the business takes, each in words that name only what exists: TLS for a
    control panel and APIs only where there are services and accounts to reach (finding 21)."""
    words = facts.catalogues.words
    measures = facts.answers.security.measures
    websites_only = not facts.answers.services or not has_accounts(facts)
    items = [_t(words("security_measures", "tls_websites" if m == "tls" and websites_only else m)) for m in measures]
    return [BulletList(tuple(items), clause_id)] if items else []


def rights_channels_list(facts: Facts, clause_id: str) -> list[Block]:
    items = channel_inlines(facts)
    return [BulletList(tuple(items), clause_id)] if items else []


GENERATED_BLOCKS: dict[str, Callable[[Facts, str], list[Block]]] = {
    "data_list": data_list,
    "purposes_table": purposes_table,
    "processors_table": processors_table,
    "advertising_table": advertising_table,
    "data_subjects_table": data_subjects_table,
    "cookies_table": cookies_table,
    "retention_table": retention_table,
    "transfers_by_law": transfers_by_law,
    "security_list": security_list,
    "rights_channels_list": rights_channels_list,
    "registries_list": lambda facts, cid: _group_table(facts, cid, "registrars"),
    "certificate_authorities_list": lambda facts, cid: _group_table(facts, cid, "certificate_authorities"),
}


def _heading_text(heading: str | None, resolve: Resolve) -> str | None:
    """A clause heading with its placeholders filled ("If you are in {computed.gdpr_where}")."""
    if not heading or "{" not in heading:
        return heading
    return PLACEHOLDER.sub(lambda m: resolve(m.group(1)) or "", heading)  # type: ignore[arg-type, return-value]  # headings use text placeholders


# -- the document ----------------------------------------------------------------------------

def assemble(answers: Answers, library: Library, catalogues: Catalogues, today: date,
             generated: Mapping[str, Callable[[Facts, str], list[Block]]] | None = None,
             title: str | None = None) -> PolicyDocument:
    """Build the PolicyDocument. `today` stands in for the effective date when none is set.
    `generated` and `title` let another document of the same answers (the customer DPA,
    generator.dpa) use this same assembly with its own generated blocks and title."""
    generated = generated or GENERATED_BLOCKS
    facts = Facts(answers, catalogues)
    resolve = PlaceholderResolver(facts, today)
    sections, used = [], []
    for section in library.sections:
        blocks: list[Block] = []
        heading: str | None = None
        for clause in section.clauses:
            if not clause_applies(clause, facts):
                continue
            clause_blocks = _clause_blocks(clause, resolve)
            if clause_blocks is None:
                continue
            if clause.block:
                made = generated[clause.block](facts, clause.id)
                if not made and not clause_blocks:
                    continue
                clause_blocks += made
            if not clause_blocks:
                continue
            clause_heading = _heading_text(clause.heading, resolve)
            if clause_heading and clause_heading != heading:
                blocks.append(Heading(clause_heading, clause.id, f"{slugify(section.id)}-{slugify(clause_heading)}"))
            heading = clause_heading
            blocks += clause_blocks
            used.append(clause.id)
        if blocks:
            sections.append(Section(section.id, section.title, tuple(blocks), slugify(section.id)))
    sections, used = summary.finish(library, facts, resolve, sections, used)  # at a glance first
    effective = answers.policy.effective_date or today
    return PolicyDocument(
        title=title or catalogues.words("document", "title"),
        business_name=answers.business.display_name,
        legal_name=answers.business.legal_name,
        effective_date=effective,
        effective_date_text=long_date(effective, answers.policy.language),
        language=answers.policy.language,
        paper=answers.policy.paper,
        websites=answers.business.websites,
        sections=tuple(sections),
        laws=answers.jurisdictions,
        clause_ids=tuple(used),
    )
