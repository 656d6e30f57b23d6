"""At a glance: the short layered summary every format opens with (GDPR Art. 12(1), WP260).

Its wording is the clause file `clauses/sections/005_at_a_glance.yaml`, filtered and filled like
any other section; what it summarises comes from the same facts the full sections are built from,
through the `{glance.NAME}` placeholders below, so the summary cannot say something the policy
does not. It is built after the other sections, because each point links (`[label](#section)`)
to the section that gives the detail, and a point whose section is not in the policy keeps its
label as plain text.

`finish()` is the one hook assembly calls: it gathers each sub-heading's clauses under one heading,
puts the summary first, turns section links whose section is absent into text, and applies US
spelling where the policy is only for California.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.document import SUMMARY_SECTION, Block, BulletList, Heading, Link, Paragraph, Section, Table, Text
from generator.library.clauses import ListTemplate, ParagraphTemplate
from generator.library.catalogues import CLAUSES_DIR
from generator.library.placeholders import address_with_country, join_words
from generator.prose import sentence_label, us_spelling_applies, to_us_spelling

if TYPE_CHECKING:
    from generator.document import Inline, Inlines
    from generator.library.clauses import Library
    from generator.library.placeholders import PlaceholderValue, Resolve
    from generator.resolve import Facts

SECTION_ID = SUMMARY_SECTION
GLANCE = "glance."
MAX_NAMED_RECIPIENTS = 5
SUMMARY_FILE = CLAUSES_DIR / "sections" / "005_at_a_glance.yaml"
DEFAULT_WORDS = {
    "others": "{count} others",
    "period_range": "from {short} for {short_data} to {long} for {long_data}",
    "one_period": "{period} for {data}",
    "open_period": "{data}: {period}",
    "cookie_strictly_necessary": "strictly necessary",
    "cookie_preferences": "preference",
    "cookie_analytics": "analytics",
    "cookie_marketing": "marketing",
}


@lru_cache(maxsize=4)
def _read_words(path: Path, mtime: int) -> dict[str, str]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {**DEFAULT_WORDS, **{str(k): str(v) for k, v in (doc.get("words") or {}).items()}}


def summary_words(name: str, **values: object) -> str:
    """The small phrases the glance values are made of, from the clause file's `words:`."""
    try:
        words = _read_words(SUMMARY_FILE, SUMMARY_FILE.stat().st_mtime_ns)
    except OSError:
        words = DEFAULT_WORDS
    return words[name].format(**values)


def glance_values(facts: Facts, resolve: Resolve) -> dict[str, Callable[[], str | None]]:
    """name -> callable giving the plain-text value (None: the point is left out)."""
    answers = facts.answers
    catalogues = facts.catalogues

    def data() -> str | None:
        names = [sentence_label(d.name) for d in facts.data_items if getattr(d, "role", "controller") != "processor"]
        return join_words(names) or None

    def purposes() -> str | None:
        """The purposes of the purposes table, in its order, as words in a sentence."""
        seen: dict[str, None] = {}
        for d in facts.data_items:
            if getattr(d, "role", "controller") == "processor":
                continue
            for purpose_id, _ in d.purposes:
                purpose = catalogues.purposes.get(purpose_id)
                seen.setdefault(sentence_label(purpose.name if purpose else purpose_id), None)
        return join_words(list(seen)) or None

    def cookie_kinds() -> str | None:
        """"strictly necessary, analytics and marketing": the cookie purposes of the cookies table."""
        order = ("strictly_necessary", "preferences", "analytics", "marketing")
        used = {c.purpose for c in facts.cookies}
        kinds = [summary_words(f"cookie_{p}") for p in order if p in used]
        return join_words(kinds) or None

    def recipients() -> str | None:
        names = list(dict.fromkeys(p.name for p in facts.processors))
        if not names:
            return None
        if len(names) <= MAX_NAMED_RECIPIENTS:
            return join_words(names)
        shown = names[:MAX_NAMED_RECIPIENTS - 1]
        return join_words(shown + [summary_words("others", count=len(names) - len(shown))])

    def storage() -> str | None:
        return join_words([catalogues.country_name(c) for c in answers.storage_locations]) or None

    def elsewhere() -> str | None:
        stored = set(answers.storage_locations)
        codes: list[str] = []
        for p in facts.processors:
            for code in (p.country, *p.transfer_countries):
                if code in stored or ("EEA" in stored and facts.in_region(code, "EEA")):
                    continue
                if code not in codes:
                    codes.append(code)
        return join_words([catalogues.country_name(c) for c in codes]) or None

    def only_storage() -> str | None:
        return None if elsewhere() else storage()

    def retention() -> str | None:
        from generator.assembly import has_accounts, period_words  # assembly calls finish(): imported late

        words = catalogues.words
        accounts = has_accounts(facts)
        rows: list[tuple[float, str, str]] = []
        open_ended: list[str] = []
        for d in facts.data_items:
            period = period_words(d, words, accounts)
            if period is None or d.retention is None or getattr(d, "role", "controller") == "processor":
                continue
            if d.retention.keyword == "indefinite":
                return None  # said by the retention_indefinite point instead
            if d.retention.keyword:
                # "until you unsubscribe, then 2 years": no length to compare, named on its own
                open_ended.append(summary_words("open_period", period=period, data=sentence_label(d.name)))
                continue
            length = d.retention.approx_seconds()
            if d.retention_after is not None and not d.retention_after.keyword:
                length += d.retention_after.approx_seconds()
            rows.append((length, period, sentence_label(d.name)))
        if not rows:
            return "; ".join(open_ended) or None
        rows.sort(key=lambda r: r[0])
        (_, short, short_label), (_, long, long_label) = rows[0], rows[-1]
        if short == long:
            # the sentence names every kind of data it covers, so none may be left out (finding 24)
            one = summary_words("one_period", period=short, data=join_words([r[2] for r in rows]))
            return "; ".join([one] + open_ended)
        return summary_words("period_range", short=short, short_data=short_label, long=long, long_data=long_label)

    def retention_indefinite() -> str | None:
        names = [sentence_label(d.name) for d in facts.data_items
                 if d.retention is not None and d.retention.keyword == "indefinite"
                 and getattr(d, "role", "controller") != "processor"]
        return join_words(names) or None

    def address() -> str:
        country = answers.business.country
        return address_with_country(answers.business.address, catalogues.country_name(country), country)

    return {
        "data": data,
        "purposes": purposes,
        "recipients": recipients,
        "cookie_kinds": cookie_kinds,
        "storage": storage,
        "elsewhere": elsewhere,
        "only_storage": only_storage,
        "retention": retention,
        "retention_indefinite": retention_indefinite,
        "address": address,
    }


GLANCE_NAMES = (
    "data", "purposes", "recipients", "cookie_kinds", "storage", "elsewhere", "only_storage", "retention",
    "retention_indefinite", "address",
)


def _resolver(facts: Facts, resolve: Resolve) -> Resolve:
    values = glance_values(facts, resolve)
    cache: dict[str, str | None] = {}

    def glance_resolve(path: str) -> PlaceholderValue:
        if not path.startswith(GLANCE):
            return resolve(path)
        name = path.removeprefix(GLANCE)
        if name not in cache:
            value = values[name]() if name in values else None
            cache[name] = value or None
        return cache[name]

    return glance_resolve


def build_summary(library: Library, facts: Facts, resolve: Resolve,
                  sections: list[Section]) -> tuple[Section | None, list[str]]:
    """The at-a-glance Section (or None) and the ids of the clauses it used."""
    from generator.assembly import clause_applies, fill_inlines  # assembly calls finish(): imported late

    definition = next((s for s in library.sections if s.id == SECTION_ID), None)
    if definition is None:
        return None, []
    anchors = {s.id: s.anchor for s in sections}
    glance_resolve = _resolver(facts, resolve)
    blocks, used = [], []
    for clause in definition.clauses:
        if not clause_applies(clause, facts):
            continue
        clause_blocks: list[Block] | None
        clause_blocks = []
        for template in clause.blocks:
            if isinstance(template, ParagraphTemplate):
                inlines = fill_inlines(template.inlines, glance_resolve, anchors)
                if inlines is None:
                    clause_blocks = None
                    break
                clause_blocks.append(Paragraph(inlines, clause.id))
            elif isinstance(template, ListTemplate):
                items = [fill_inlines(item, glance_resolve, anchors) for item in template.items]
                if any(item is None for item in items):
                    clause_blocks = None
                    break
                clause_blocks.append(BulletList(tuple(items), clause.id))  # type: ignore[arg-type]  # no None: checked above
        if not clause_blocks:
            continue
        blocks += clause_blocks
        used.append(clause.id)
    if not blocks:
        return None, []
    return Section(SECTION_ID, definition.title, tuple(blocks), SECTION_ID.replace("_", "-")), used


# -- whole-document passes -------------------------------------------------------------------

def _map_inlines(run: Inlines, text_fn: Callable[[Text], Inline], link_fn: Callable[[Link], Inline]) -> Inlines:
    out: list[Inline] = []
    for inline in run:
        if isinstance(inline, Link):
            out.append(link_fn(inline))
        else:
            out.append(text_fn(inline))
    return tuple(out)


def _map_block(block: Block, text_fn: Callable[[Text], Inline], link_fn: Callable[[Link], Inline]) -> Block:
    if isinstance(block, Paragraph):
        return replace(block, inlines=_map_inlines(block.inlines, text_fn, link_fn))
    if isinstance(block, BulletList):
        return replace(block, items=tuple(_map_inlines(i, text_fn, link_fn) for i in block.items))
    if isinstance(block, Table):
        rows = tuple(tuple(_map_inlines(c, text_fn, link_fn) for c in row) for row in block.rows)
        return replace(block, rows=rows)
    return block


def _map_document_sections(sections: Iterable[Section], text_fn: Callable[[Text], Inline],
                           link_fn: Callable[[Link], Inline]) -> list[Section]:
    return [replace(s, blocks=tuple(_map_block(b, text_fn, link_fn) for b in s.blocks)) for s in sections]


def _respell(section: Section) -> Section:
    """US spelling of every printed word of a section: title, sub-headings, table headers and
    captions, and the text of every inline (hrefs untouched)."""
    def inline_fn(inline: Inline) -> Inline:
        if isinstance(inline, Link) and inline.text == inline.href:
            return inline  # a URL shown as itself stays exactly its address
        return replace(inline, text=to_us_spelling(inline.text))

    blocks: list[Block] = []
    for block in _map_document_sections([section], inline_fn, inline_fn)[0].blocks:
        if isinstance(block, Heading):
            block = replace(block, text=to_us_spelling(block.text))
        elif isinstance(block, Table):
            block = replace(block, columns=tuple(to_us_spelling(c) for c in block.columns),
                            caption=to_us_spelling(block.caption) if block.caption else block.caption)
        blocks.append(block)
    return replace(section, title=to_us_spelling(section.title), blocks=tuple(blocks))


def group_headings(section: Section) -> Section:
    """One sub-heading per text in a section: blocks that come under a heading already used
    earlier in the section (A under H1, B under H2, C under H1 again) join that first group, so
    the reader finds "If you are in California" once, with everything under it."""
    groups: list[list[Any]] = [[None, []]]  # [heading or None, blocks under it]
    by_text: dict[str, list[Any]] = {}
    current = groups[0]
    for block in section.blocks:
        if isinstance(block, Heading):
            if block.text in by_text:
                current = by_text[block.text]
                continue
            current = [block, []]
            by_text[block.text] = current
            groups.append(current)
            continue
        current[1].append(block)
    if len(by_text) == sum(isinstance(b, Heading) for b in section.blocks):
        return section  # no heading repeated: unchanged
    blocks: list[Block] = []
    for heading, members in groups:
        if heading is not None and members:
            blocks.append(heading)
        blocks += members
    return replace(section, blocks=tuple(blocks))


def finish(library: Library, facts: Facts, resolve: Resolve, sections: list[Section],
           used: list[str]) -> tuple[list[Section], list[str]]:
    """The hook assembly calls with the finished sections: each sub-heading once per section,
    summary first, dead section links unlinked, US spelling where it applies. Returns
    (sections, used clause ids)."""
    sections = [group_headings(s) for s in sections if s.id != SECTION_ID]
    order: dict[str, None] = {}  # clause ids in order of appearance, after regrouping
    for section in sections:
        for block in section.blocks:
            order.setdefault(block.clause, None)
    used = [c for c in order if c in set(used)] + [c for c in used if c not in order]
    used = [c for c in used if not c.startswith(f"{SECTION_ID}.")]
    summary, summary_used = build_summary(library, facts, resolve, sections)
    if summary is not None:
        sections = [summary] + sections
        used = summary_used + list(used)
    present = {f"#{s.anchor}" for s in sections}

    def link_fn(link: Link) -> Inline:
        if link.internal and link.href not in present:
            return Text(link.text)
        return link

    sections = _map_document_sections(sections, lambda inline: inline, link_fn)
    if us_spelling_applies(facts.answers):
        sections = [_respell(section) for section in sections]
    return sections, used
