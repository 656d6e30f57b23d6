"""The clause lint behind `manage.py check_clauses`.

It first validates every file against its JSON Schema in clauses/schemas/ (generator.library.schemas:
required keys, unknown keys, types, fixed vocabularies, ISO codes, durations), then reads the library
the way assembly does and checks what a schema cannot express: that the ids, fields, seeds and quotes
referred to exist, and that ids are unique. It reports every problem at once, each naming the file
and the clause or entry. The rules are the review standard of the library: a clause must say where
it came from (and the quote must really be in that seed), may only use fields and ids that exist,
and every catalogue entry must carry the facts a policy prints.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import yaml

from generator.answers.model import COOKIE_EXEMPTIONS, COOKIE_PURPOSES, LAWS, SAFEGUARDS, SERVICES, field_paths

from . import conditions
from .catalogues import CLAUSES_DIR, Catalogues, load_catalogues
from .clauses import Library, load_library
from .placeholders import COMPUTED_NAMES
from .schemas import lint_schemas, load_schema
from generator.document import SUMMARY_SECTION
from generator.summary import GLANCE_NAMES

MIN_CLAUSES_PER_SEED = 4
SPEC_DATA_IDS = (
    "account", "billing", "domain_registrant", "support", "server_logs", "hosted_content", "backups",
    "identity_verification", "marketing_preferences",
)
# The fixed vocabulary lives in clauses/schemas/common.schema.json; conditions' arguments are checked against it.
PROCESSOR_GROUPS = tuple(load_schema("common")["$defs"]["processor_group"]["enum"])
CHECKLIST_PREFIX_LAWS = {
    "gdpr": ("eu",), "eprivacy": ("eu", "uk"), "ukgdpr": ("uk",), "fadp": ("ch",), "ccpa": ("us_ca",),
    "caloppa": ("us_ca",), "lgpd": ("br",), "pipeda": ("ca",), "quebec": ("ca",), "ru": ("ru",), "app": ("au",),
}


def fold(text: str) -> str:
    """Whitespace folded, and typographic quotes/dashes made plain, for verbatim comparison."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def _seed_texts(root: Path) -> dict[str, str]:
    return {p.name: fold(p.read_text(encoding="utf-8")) for p in sorted((root / "sources").glob("*.txt"))}


def _check_condition(expression: str, where: str, catalogues: Catalogues, paths: Collection[str],
                     problems: list[str]) -> None:
    try:
        found = conditions.calls(expression)
    except conditions.ConditionError as exc:
        problems.append(f"{where}: {exc}")
        return
    known = {
        "law": set(LAWS), "service": set(SERVICES) | set(catalogues.services),
        "data": set(catalogues.data_categories), "processor": set(catalogues.processors),
        "processor_group": set(PROCESSOR_GROUPS), "cookie_purpose": set(COOKIE_PURPOSES),
        "safeguard": set(SAFEGUARDS), "retention": {"session", "while_active", "indefinite"},
        "cookie_exemption": set(COOKIE_EXEMPTIONS), "art32_measure": {"a", "b", "c", "d"},  # GDPR Art. 32(1)(a)-(d)
    }
    for call in found:
        if call.name in ("field", "equals", "includes"):
            if call.args[0] not in paths:
                problems.append(f"{where}: condition refers to unknown answers field {call.args[0]!r}")
        elif call.name in ("established_in", "stores_in"):
            if call.args[0] != "EEA" and call.args[0] not in catalogues.countries:
                problems.append(f"{where}: {call.name}({call.args[0]!r}) is not EEA or a country code")
        elif call.name in known and call.args[0] not in known[call.name]:
            problems.append(f"{where}: condition refers to unknown {call.name} id {call.args[0]!r}")


def lint_clauses(library: Library, catalogues: Catalogues, seeds: dict[str, str], checklist_ids: Collection[str],
                 problems: list[str], min_per_seed: int = MIN_CLAUSES_PER_SEED) -> dict[str, int]:
    paths = field_paths()
    section_ids = {s.id for s in library.sections}
    seen: dict[str, str] = {}
    per_seed = {name: 0 for name in seeds}
    for clause in library.clauses():
        where = f"{clause.file}:{clause.id}"
        if clause.id in seen:
            problems.append(f"{where}: duplicate clause id (also in {seen[clause.id]})")
        seen[clause.id] = clause.file
        if not clause.id.startswith(clause.section + "."):
            problems.append(f"{where}: id must start with its section '{clause.section}.'")
        for name in clause.placeholders:
            if name.startswith("computed."):
                if name.removeprefix("computed.") not in COMPUTED_NAMES:
                    problems.append(f"{where}: placeholder {{{name}}} is not a computed value")
            elif name.startswith("glance."):
                if clause.section != SUMMARY_SECTION or name.removeprefix("glance.") not in GLANCE_NAMES:
                    problems.append(f"{where}: placeholder {{{name}}} is not an at-a-glance value (generator.summary)")
            elif name not in paths:
                problems.append(f"{where}: placeholder {{{name}}} is not a field of the answers model")
        for target in clause.section_links:
            if target not in section_ids:
                problems.append(f"{where}: links to unknown section '#{target}'")
        _check_condition(clause.when, where, catalogues, paths, problems)
        # laws, block, sources, vetting and text: section.schema.json
        for element in clause.meets:
            if element not in checklist_ids:
                problems.append(f"{where}: meets unknown checklist element {element!r}")
        counted = set()
        for source in clause.sources:
            if source.seed is None:
                continue
            if source.seed not in seeds:
                problems.append(f"{where}: source seed {source.seed!r} is not a file in clauses/sources/")
                continue
            if not source.quote or fold(source.quote) not in seeds[source.seed]:
                problems.append(f"{where}: source quote not found verbatim in {source.seed}: {source.quote!r}")
                continue
            if source.seed not in counted:
                counted.add(source.seed)
                per_seed[source.seed] += 1
    for seed, count in per_seed.items():
        if count < min_per_seed:
            problems.append(f"sources/{seed}: contributes {count} adopted clauses; at least {min_per_seed} are required")
    return per_seed


def lint_seed_labels(root: Path, seeds: dict[str, str], problems: list[str]) -> None:
    path = root / "sources" / "seeds.yaml"
    labels = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
    for seed in seeds:
        if not str(labels.get(seed) or "").strip():
            problems.append(f"sources/seeds.yaml: no description of seed {seed}")
    for seed in labels:
        if seed not in seeds:
            problems.append(f"sources/seeds.yaml: {seed} is not a file in clauses/sources/")


def lint_rejected(library: Library, seeds: dict[str, str], problems: list[str]) -> None:
    rejected_quotes = []
    for passage in library.rejected:
        where = f"rejected.yaml:{passage.id}"
        if passage.seed not in seeds:
            problems.append(f"{where}: seed {passage.seed!r} is not a file in clauses/sources/")
        elif fold(passage.quote) not in seeds[passage.seed]:
            problems.append(f"{where}: quote not found verbatim in {passage.seed}: {passage.quote!r}")
        rejected_quotes.append((passage, fold(passage.quote)))
    for clause in library.clauses():
        for source in clause.sources:
            if not source.quote:
                continue
            quote = fold(source.quote)
            for passage, rejected in rejected_quotes:
                if source.seed == passage.seed and (quote in rejected or rejected in quote):
                    problems.append(f"{clause.file}:{clause.id}: adopts rejected passage {passage.id} ({passage.reason})")


def lint_processors(catalogues: Catalogues, problems: list[str], raw_entries: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Required fields, group, safeguard, URL and cookies: processors.schema.json. Here: what the
    entries refer to, and ids and aliases unique across the group files."""
    data_ids, purpose_ids = set(catalogues.data_categories), set(catalogues.purposes)
    seen: dict[object, str] = {}  # id or alias as written (possibly missing) -> where
    for file_name, entry in raw_entries:
        where = f"processors/{file_name}:{entry.get('id', '?')}"
        for ident in [entry.get("id")] + list(entry.get("aliases") or []):
            if ident in seen:
                problems.append(f"{where}: id or alias {ident!r} is also used by {seen[ident]}")
            seen[ident] = where
        if entry.get("group") and f"{entry['group']}.yaml" != file_name:
            problems.append(f"{where}: group {entry['group']!r} belongs in processors/{entry['group']}.yaml")
        entity_countries = [e.get("country") for e in (entry.get("entities") or {}).values()]
        for code in [entry.get("country")] + list(entry.get("transfer_countries") or []) + entity_countries:
            if code and code not in catalogues.countries:
                problems.append(f"{where}: {code!r} is not a country of countries.yaml")
        for data_id in entry.get("data") or ():
            if data_id not in data_ids:
                problems.append(f"{where}: unknown data id {data_id!r}")
        for purpose in entry.get("purposes") or ():
            if purpose not in purpose_ids:
                problems.append(f"{where}: unknown purpose {purpose!r}")


def lint_catalogues(catalogues: Catalogues, problems: list[str]) -> None:
    """Keys, legal bases and URLs: the catalogue schemas. Here: what the entries refer to."""
    for data_id in SPEC_DATA_IDS:
        if data_id not in catalogues.data_categories:
            problems.append(f"data_categories.yaml: missing data category {data_id!r} of the answers spec")
    for data in catalogues.data_categories.values():
        where = f"data_categories.yaml:{data.id}"
        for purpose in data.purposes:
            if purpose not in catalogues.purposes:
                problems.append(f"{where}: unknown purpose {purpose!r}")
        for code in data.retention_defaults:
            if code not in catalogues.countries:
                problems.append(f"{where}: retention_defaults for {code!r}, not a country of countries.yaml")
    for service in catalogues.services.values():
        for data_id in service.suggests_data:
            if data_id not in catalogues.data_categories:
                problems.append(f"services.yaml:{service.id}: suggests unknown data id {data_id!r}")
    for law in LAWS:
        if not catalogues.authorities_for(law):
            problems.append(f"authorities.yaml: no supervisory authority for {law!r}")
    eu_countries = {a.country for a in catalogues.authorities_for("eu")}
    for code, country in catalogues.countries.items():
        if country.eea and code not in eu_countries:
            problems.append(f"authorities.yaml: no supervisory authority for EEA state {code} ({country.name})")
    for authority in catalogues.authorities:
        if authority.country not in catalogues.countries:
            problems.append(f"authorities.yaml:{authority.id}: {authority.country!r} is not a country of countries.yaml")


def lint_compliance(root: Path, catalogues: Catalogues, checklist_ids: Collection[str], checklist_levels: dict[str, str],
                    problems: list[str]) -> None:
    """Keys, wizard steps, laws and verify_advice: compliance.schema.json. Here: the checklist
    elements and the conditions' arguments exist, every conditional element has a rule, ids once."""
    path = root / "compliance.yaml"
    if not path.exists():
        problems.append("compliance.yaml: missing")
        return
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    paths = field_paths()
    seen = set()
    for rule in doc.get("elements") or ():
        where = f"compliance.yaml:{rule.get('id')}"
        if rule.get("id") not in checklist_ids:
            problems.append(f"{where}: unknown checklist element")
        if rule.get("id") in seen:
            problems.append(f"{where}: more than one rule for this element")
        seen.add(rule.get("id"))
        for key in ("applies", "verify"):
            if rule.get(key):
                _check_condition(rule[key], where, catalogues, paths, problems)
    listed = {r.get("id") for r in doc.get("elements") or ()}
    for element_id, level in checklist_levels.items():
        if level == "conditional" and element_id not in listed:
            problems.append(f"compliance.yaml: conditional element {element_id} has no 'applies' rule")
    for check in doc.get("checks") or ():
        where = f"compliance.yaml:{check.get('id')}"
        if check.get("id") in seen:
            problems.append(f"{where}: id used more than once")
        seen.add(check.get("id"))
        _check_condition(check.get("when", ""), where, catalogues, paths, problems)


def lint_dpa(root: Path, catalogues: Catalogues, seeds: dict[str, str], problems: list[str]) -> None:
    """The customer DPA's clauses (clauses/dpa/) by the policy's rules, against its own checklist
    (dpa_checklist.yaml): ids unique, conditions' arguments real, every element met by a clause
    or marked outside the agreement, and only laws that name a processor-contract provision."""
    path = root / "dpa_checklist.yaml"
    checklist = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
    paths = field_paths()
    elements: dict[str, dict[str, Any]] = {}
    laws_doc = yaml.safe_load((root / "laws.yaml").read_text(encoding="utf-8")) if (root / "laws.yaml").exists() else {}
    covered = {law.get("id") for law in (laws_doc or {}).get("laws") or () if law.get("dpa_cite")}
    for law_id, regime in (checklist.get("regimes") or {}).items():
        if law_id not in covered:
            problems.append(f"dpa_checklist.yaml:{law_id}: laws.yaml gives this law no dpa_cite, so the DPA never covers it")
        for element in regime.get("elements") or ():
            where = f"dpa_checklist.yaml:{element.get('id')}"
            if element.get("id") in elements:
                problems.append(f"{where}: id used more than once")
            elements[element.get("id")] = element
            for key in ("applies", "verify"):
                if element.get(key):
                    _check_condition(element[key], where, catalogues, paths, problems)
    for law_id in covered - set(checklist.get("regimes") or {}):
        problems.append(f"dpa_checklist.yaml: no regime for law {law_id!r}, which laws.yaml gives a dpa_cite")
    # the laws the agreement does not cover: what their hosts' customers need instead (counsel, M9)
    uncovered = checklist.get("uncovered") or {}
    all_laws = {law.get("id") for law in (laws_doc or {}).get("laws") or ()}
    uncovered_ids: set[str] = set()
    for law_id in all_laws - covered - set(uncovered):
        problems.append(f"dpa_checklist.yaml: uncovered has no entry for law {law_id!r}, which the DPA does not cover")
    for law_id, entries in uncovered.items():
        if law_id in covered:
            problems.append(f"dpa_checklist.yaml:uncovered.{law_id}: the DPA covers this law (laws.yaml dpa_cite)")
        for entry in entries or ():
            where = f"dpa_checklist.yaml:{entry.get('id')}"
            if entry.get("id") in elements or entry.get("id") in uncovered_ids:
                problems.append(f"{where}: id used more than once")
            uncovered_ids.add(entry.get("id"))
            if entry.get("applies"):
                _check_condition(entry["applies"], where, catalogues, paths, problems)
        if entries and entries[-1].get("applies"):  # every applicable entry is shown; this one always is
            problems.append(f"dpa_checklist.yaml:uncovered.{law_id}: the last entry must apply always (no applies)")
    library = load_library(root, folder="dpa")
    problems.extend(library.problems)
    lint_clauses(library, catalogues, seeds, set(elements), problems, min_per_seed=0)
    lint_rejected(library, seeds, problems)
    from generator.dpa import GENERATED_BLOCKS as DPA_BLOCKS  # imported late: dpa imports assembly

    for clause in library.clauses():
        if clause.block and clause.block not in DPA_BLOCKS:
            problems.append(f"dpa/{clause.file}:{clause.id}: block {clause.block!r} is not one of the DPA's (generator.dpa.GENERATED_BLOCKS)")
    met = {e for clause in library.clauses() for e in clause.meets}
    for element_id, element in elements.items():
        if element_id not in met and not element.get("outside_agreement"):
            problems.append(f"dpa_checklist.yaml:{element_id}: no DPA clause meets this element")


def schema_field_paths(node: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of the leaf fields of the answers JSON Schema, list items without an index:
    'business.legal_name', 'data.call_recording', 'cookies.items.exemption'."""
    if "anyOf" in node:
        return sorted({p for alt in node["anyOf"] for p in schema_field_paths(alt, prefix)})
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        return schema_field_paths(node["items"], prefix)
    out: list[str] = []
    for key, sub in (node.get("properties") or {}).items():
        path = f"{prefix}.{key}" if prefix else key
        out += schema_field_paths(sub, path) or [path]
    return out


# Code that turns answers into the policy or the report (the loader and the wizard only carry them).
CODE_DIR = Path(__file__).resolve().parent.parent
CODE_SKIP = ("answers", "web", "management", "migrations")


def lint_answer_fields(root: Path, problems: list[str], schema: dict[str, Any] | None = None,
                       code_dir: Path = CODE_DIR) -> None:
    """Every field the answers contract defines is read - by a clause or compliance condition or
    placeholder, or by the code that builds the policy - or clauses/unused_fields.yaml says why not.
    Nothing a business tells us may silently vanish (issue 9, "every answer is used")."""
    import json

    if schema is None:
        schema = json.loads((code_dir / "answers" / "answers.schema.json").read_text(encoding="utf-8"))
    model_paths = field_paths()
    listed_path = root / "unused_fields.yaml"
    listed = {}
    for entry in (yaml.safe_load(listed_path.read_text(encoding="utf-8")) or []) if listed_path.exists() else []:
        if not str(entry.get("reason") or "").strip():
            problems.append(f"unused_fields.yaml:{entry.get('field')}: no reason given")
        listed[entry.get("field")] = entry
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.yaml")) if "catalogues" not in p.parts
             and p.name != "unused_fields.yaml" and "sources" not in p.parts]
    clause_text = "\n".join(texts)
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(code_dir.rglob("*.py"))
        if not set(p.relative_to(code_dir).parts[:1]) & set(CODE_SKIP) and p.name != "lint.py"
    )
    paths = schema_field_paths(schema)
    for path in paths:
        leaf = path.rsplit(".", 1)[-1]
        read = path in model_paths and (
            re.search(r"['{]" + re.escape(path) + r"['}]", clause_text)
            or re.search(r"\." + re.escape(leaf) + r"\b", code)
        )
        if read and path in listed:
            problems.append(f"unused_fields.yaml:{path}: listed as unused, but it is read; remove the entry")
        elif not read and path not in listed:
            where = "the answers model drops it" if path not in model_paths else "no clause, condition or code reads it"
            problems.append(
                f"answers.schema.json:{path}: {where}; use it, or list it in clauses/unused_fields.yaml with a reason"
            )
    for path in listed:
        if path not in paths:
            problems.append(f"unused_fields.yaml:{path}: not a field of the answers schema")


def lint_laws(root: Path, catalogues: Catalogues, checklist: dict[str, Any], problems: list[str]) -> None:
    """Shape: laws.schema.json. Here: every law of the answers model has an entry, once; its
    regimes are in the checklist; the mechanisms it maps to are its own; codes, data ids and
    answers fields exist."""
    path = root / "laws.yaml"
    laws = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("laws") or [] if path.exists() else []
    paths = set(field_paths())
    ids = [law.get("id") for law in laws]
    for law_id in LAWS:
        if law_id not in ids:
            problems.append(f"laws.yaml: no entry for law {law_id!r} of the answers model")
    for law in laws:
        where = f"laws.yaml:{law.get('id')}"
        if ids.count(law.get("id")) > 1:
            problems.append(f"{where}: more than one entry for this law")
        for regime in law.get("regimes") or ():
            if regime not in checklist["regimes"]:
                problems.append(f"{where}: regime {regime!r} is not in sources/legal-checklist.yaml")
        mechanisms = set(law.get("mechanisms") or {})
        targets = [("from_answers", v) for v in (law.get("from_answers") or {}).values()]
        targets += [("from_registrations", v) for v in (law.get("from_registrations") or {}).values()]
        targets += [("registry", law["registry"])] if law.get("registry") else []
        for key, mechanism in targets:
            if mechanism not in mechanisms:
                problems.append(f"{where}.{key}: {mechanism!r} is not one of this law's mechanisms")
        codes = list(law.get("suggested_for") or ()) + list(law.get("adequate") or ()) + [law.get("territory")]
        codes += [(law.get("representative") or {}).get("needed_outside")]
        for code in codes:
            if code and code != "EEA" and code not in catalogues.countries:
                problems.append(f"{where}: {code!r} is not EEA or a country of countries.yaml")
        for data_id in law.get("data_subjects") or {}:
            if data_id not in catalogues.data_categories:
                problems.append(f"{where}.data_subjects: unknown data id {data_id!r}")
        rep = law.get("representative") or {}
        for field in ([f"business.{rep['field']}"] if rep.get("field") else []) + [rep.get("exemption_field")]:
            if field and field not in paths:
                problems.append(f"{where}.representative: {field!r} is not a field of the answers model")


# Files of entries whose ids must be unique (a schema cannot say so): file -> (list key, id key)
UNIQUE_IDS = {
    "catalogues/countries.yaml": ("countries", "code"), "catalogues/data_categories.yaml": (None, "id"),
    "catalogues/purposes.yaml": (None, "id"), "catalogues/services.yaml": (None, "id"),
    "catalogues/authorities.yaml": (None, "id"), "rejected.yaml": ("rejected", "id"),
}


def lint_unique_ids(root: Path, problems: list[str]) -> None:
    for rel, (key, id_key) in UNIQUE_IDS.items():
        path = root / rel
        doc = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or []
        entries = doc.get(key) or [] if isinstance(doc, dict) else doc
        seen = set()
        for entry in entries:
            ident = entry.get(id_key) if isinstance(entry, dict) else None
            if ident in seen:
                problems.append(f"{rel.removeprefix('catalogues/')}:{ident}: {id_key} used more than once")
            seen.add(ident)


def lint(root: str | Path = CLAUSES_DIR) -> list[str]:
    """Every problem in the library under `root`, as 'file:id: message' strings: first each file
    against its JSON Schema (clauses/schemas/), then the cross-references a schema cannot express."""
    root = Path(root)
    problems, mismatched = lint_schemas(root)
    try:
        _lint_references(root, problems)
    except Exception as exc:  # a loader choked on a file whose schema problems are listed above
        if not mismatched:
            raise
        problems.append(
            f"check_clauses: cross-reference checks stopped ({type(exc).__name__}: {exc}); "
            "fix the schema problems above first"
        )
    return problems


def _lint_references(root: Path, problems: list[str]) -> None:
    catalogues = load_catalogues(root)
    library = load_library(root)
    seeds = _seed_texts(root)
    checklist = yaml.safe_load((root / "sources" / "legal-checklist.yaml").read_text(encoding="utf-8"))
    levels = {e["id"]: e["level"] for regime in checklist["regimes"].values() for e in regime["elements"]}
    raw_processors = [
        (p.name, entry)
        for p in sorted((root / "catalogues" / "processors").glob("*.yaml"))
        for entry in (yaml.safe_load(p.read_text(encoding="utf-8")) or [])
    ]
    lint_catalogues(catalogues, problems)
    lint_processors(catalogues, problems, raw_processors)
    lint_clauses(library, catalogues, seeds, set(levels), problems)
    lint_rejected(library, seeds, problems)
    from generator.assembly import GENERATED_BLOCKS

    for clause in library.clauses():  # the schema knows both documents' blocks; each uses its own
        if clause.block and clause.block not in GENERATED_BLOCKS:
            problems.append(f"{clause.file}:{clause.id}: block {clause.block!r} is not one of the policy's (generator.assembly.GENERATED_BLOCKS)")
    lint_dpa(root, catalogues, seeds, problems)
    lint_compliance(root, catalogues, set(levels), levels, problems)
    lint_seed_labels(root, seeds, problems)
    lint_answer_fields(root, problems)
    lint_laws(root, catalogues, checklist, problems)
    lint_unique_ids(root, problems)
