"""Shape checks of the clause library: every YAML file under clauses/ against its JSON Schema in
clauses/schemas/ (draft 2020-12). check_clauses runs these first; the lint itself keeps only the
cross-reference checks a schema cannot express (issue 8, "One home per law").

Each problem reads `file:path.to.field: message`. A list item that has an `id` (or a country's
`code`, an unused field's `field`) is named by it, and the list holding a file's entries is left out of the path, so a
problem names its entry the way the rest of check_clauses does: `processors/payments.yaml:stripe:
'entity' is a required property`, `070_retention.yaml:retention.intro.vetting: ...`.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource

from .catalogues import CLAUSES_DIR

SCHEMA_DIR = "schemas"
# file (glob, relative to the library root) -> schema name (clauses/schemas/NAME.schema.json)
FILES = (
    ("laws.yaml", "laws"),
    ("catalogues/countries.yaml", "countries"),
    ("catalogues/data_categories.yaml", "data_categories"),
    ("catalogues/purposes.yaml", "purposes"),
    ("catalogues/services.yaml", "services"),
    ("catalogues/authorities.yaml", "authorities"),
    ("catalogues/de_postcodes.yaml", "de_postcodes"),
    ("catalogues/vocabulary.yaml", "vocabulary"),
    ("catalogues/processors/*.yaml", "processors"),
    ("sections/*.yaml", "section"),
    ("dpa/*.yaml", "section"),  # the customer DPA's clauses: the same format as the policy's
    ("dpa_checklist.yaml", "dpa_checklist"),
    ("compliance.yaml", "compliance"),
    ("rejected.yaml", "rejected"),
    ("unused_fields.yaml", "unused_fields"),
    ("us_spelling.yaml", "us_spelling"),
)
# Files that must exist; the others are optional for the loaders.
REQUIRED_FILES = ("laws.yaml", "catalogues/countries.yaml")  # compliance.yaml: the lint says so
# Folders whose every YAML file needs a schema (a new catalogue file must come with one).
COVERED_DIRS = ("", "catalogues", "catalogues/processors", "sections", "dpa")
_SHORT = 60  # longest value quoted whole in a message
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where available: the same documents, faster


def label(root: Path, path: str | Path) -> str:
    """How check_clauses names a file: relative to the library, without catalogues/ or sections/."""
    rel = Path(path).relative_to(root).as_posix()
    for prefix in ("catalogues/", "sections/"):
        rel = rel.removeprefix(prefix)
    return rel


@lru_cache(maxsize=8)
def _schemas(schema_dir: str) -> tuple[dict[str, Any], Registry]:
    """name -> schema, and a registry resolving their relative $refs (common.schema.json)."""
    schemas: dict[str, Any] = {}
    resources: list[tuple[str, Resource]] = []
    for path in sorted(Path(schema_dir).glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        schemas[path.name.removesuffix(".schema.json")] = schema
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return schemas, Registry().with_resources(resources)


def schema_dir(root: str | Path) -> Path:
    own = Path(root) / SCHEMA_DIR
    return own if own.is_dir() else CLAUSES_DIR / SCHEMA_DIR


def load_schema(name: str, root: str | Path = CLAUSES_DIR) -> dict[str, Any]:
    return _schemas(str(schema_dir(root)))[0][name]


def validator(name: str, root: str | Path = CLAUSES_DIR) -> jsonschema.Draft202012Validator:
    schemas, registry = _schemas(str(schema_dir(root)))
    return jsonschema.Draft202012Validator(schemas[name], registry=registry)


def _short(value: object) -> str:
    text = repr(value)
    if len(text) <= _SHORT:
        return text
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, list):
        return "[...]"
    return text[:_SHORT - 4] + "...'"


def _path(doc: Any, error: jsonschema.ValidationError) -> str:
    """Dotted path of the failing value, list items named by their id where they have one."""
    parts: list[str] = []
    node = doc
    steps = list(error.absolute_path)
    for i, step in enumerate(steps):
        if isinstance(step, int) and isinstance(node, list):
            item = node[step] if step < len(node) else None
            key = item.get("id", item.get("code", item.get("field"))) if isinstance(item, dict) else None
            name = str(key) if isinstance(key, (str, int)) and key != "" else str(step)
            # the list that holds the file's entries (laws:, clauses:, elements: ...) is left out
            if i == 1 and isinstance(doc, dict) and name != str(step):
                parts.pop()
            parts.append(name)
        else:
            parts.append(str(step))
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts)


def _allowed(error: jsonschema.ValidationError) -> list[Any] | None:
    """The values an enum/const error (or an anyOf of them) allows, else None."""
    if error.validator == "enum":
        return list(error.validator_value)
    if error.validator == "const":
        return [error.validator_value]
    if error.validator in ("anyOf", "oneOf") and error.context:
        values = [_allowed(sub) for sub in error.context]
        if all(v is not None for v in values):
            return [x for v in values for x in v]  # type: ignore[union-attr]  # none is None (checked above)
    return None


def _message(error: jsonschema.ValidationError) -> str:
    value = _short(error.instance)
    allowed = _allowed(error)
    if allowed is not None and error.validator != "const":
        return f"{value} is not one of {allowed}"
    if error.validator == "pattern":
        if error.validator_value == r"\S":
            return f"{value} is empty"
        if isinstance(error.schema, dict) and error.schema.get("description"):
            return f"{value} is not {error.schema['description']}"
    if error.validator in ("anyOf", "oneOf") and error.context:
        # "x is not of type 'null'" says nothing: report why the other branch failed
        relevant = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        return _message(jsonschema.exceptions.best_match(relevant or error.context))
    message = error.message
    if error.validator not in ("required", "additionalProperties", "dependentRequired"):
        whole = repr(error.instance)
        if len(whole) > _SHORT:
            message = message.replace(whole, value)
    return message


def check_document(name: str, doc: Any, where: str, root: str | Path = CLAUSES_DIR) -> list[str]:
    """Problems of one parsed document against schema `name`, each 'where:path: message'."""
    out: list[str] = []
    errors = sorted(validator(name, root).iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for error in errors:
        path = _path(doc, error)
        out.append(f"{where}:{path}: {_message(error)}" if path else f"{where}: {_message(error)}")
    return out


def lint_schemas(root: str | Path = CLAUSES_DIR) -> tuple[list[str], set[str]]:
    """Every file of the library against its schema; the problems, and the names of the files
    that did not match (their loaders may not be able to read them)."""
    root = Path(root)
    problems: list[str] = []
    failed: set[str] = set()
    known: set[Path] = set()
    for pattern, name in FILES:
        paths = sorted(root.glob(pattern))
        if not paths and pattern in REQUIRED_FILES:
            problems.append(f"{label(root, root / pattern)}: missing")
            failed.add(pattern)
        for path in paths:
            known.add(path)
            where = label(root, path)
            try:
                doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
            except yaml.YAMLError as exc:
                problems.append(f"{where}: not valid YAML: {' '.join(str(exc).split())}")
                failed.add(where)
                continue
            found = check_document(name, doc, where, root)
            if found:
                problems.extend(found)
                failed.add(where)
    for folder in COVERED_DIRS:
        for path in sorted((root / folder).glob("*.yaml")):
            if path not in known:
                problems.append(f"{label(root, path)}: no schema for this file (add it to generator/library/schemas.py FILES)")
    return problems, failed
