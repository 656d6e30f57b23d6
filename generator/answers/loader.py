"""Read an answers document (YAML or JSON), validate it, and build the typed model.

Every failure is reported as a list of `AnswerError`s, each naming the path of the offending field
(`processors[2].country`) and saying what is expected. Nothing here raises on bad input: callers
(the CLI, the wizard's upload, stored drafts) show the list and stop before any policy is made.
"""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import yaml

from generator import text as text_

from . import model
from .durations import KEYWORDS, is_duration
from .model import JSON

if TYPE_CHECKING:
    from generator.library.catalogues import Catalogues

# A field path as the parser walks it: keys and list indexes.
FieldPath = list[str | int]

SCHEMA_PATH = Path(__file__).with_name("answers.schema.json")
MAX_BYTES = 1_000_000  # a real answers file is a few kilobytes
# The deepest field of the contract is 5 levels down (processors[0].cookies[0].name); a document
# nested deeper is refused before it is built, so nesting cannot exhaust the stack or the CPU.
MAX_DEPTH = 12

_EMAIL = re.compile(r"^[^@\s<>\"'`]+@[^@\s<>\"'`]+\.[^@\s<>\"'`]+$")
# http(s), a host, then an optional path, query or fragment; no space, quote, angle bracket, backtick
# or backslash anywhere. A value that passes is printed as a link to itself (generator.prose).
_URL = re.compile(r"^https?://[^\s<>\"'`\\/?#]+(?:[/?#][^\s<>\"'`\\]*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class AnswerError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    answers: model.Answers | None
    errors: tuple[AnswerError, ...]
    document: JSON | None = None  # the normalised document (aliases resolved), when it parsed

    @property
    def ok(self) -> bool:
        return self.answers is not None and not self.errors


class Invalid:
    """A value the parser could not build (an impossible date, a 5,000-digit number, a bad `!!int`):
    kept in its place so the error can name the field, and reported by `_value_errors`."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return "<invalid value>"


def _shown(value: object, limit: int = 60) -> str:
    """repr(value), cut short: an error message never echoes a megabyte of input."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


# libyaml when PyYAML has it: a typical answers file parses ten times faster than in pure Python.
_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _AnswersLoader(_YAML_BASE):  # type: ignore[misc, valid-type]  # chosen at import time
    """The safe loader whose scalar constructors never raise: a scalar that cannot be built
    becomes an `Invalid` in its place."""


_SCALAR_TAGS = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date (YYYY-MM-DD)",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "empty",
    "tag:yaml.org,2002:binary": "base64 data",
}


def _guarded(tag: str, what: str) -> Callable[[yaml.BaseLoader, yaml.Node], Any]:
    constructor = _YAML_BASE.yaml_constructors[tag]

    def construct(loader: yaml.BaseLoader, node: yaml.Node) -> Any:
        try:
            return constructor(loader, node)
        except Exception:  # noqa: BLE001 - ValueError, KeyError, AttributeError, YAMLError...: all mean "not a valid value"
            value = str(getattr(node, "value", ""))
            digits = value.lstrip("+-").replace("_", "")
            if digits.isdigit() and len(digits) > 100:
                return Invalid(f"a number with {len(digits)} digits is not allowed")
            return Invalid(f"{_shown(value)} is not {what}")

    return construct


for _tag, _what in _SCALAR_TAGS.items():
    _AnswersLoader.add_constructor(_tag, _guarded(_tag, _what))
_YAML_LOADER = _AnswersLoader


class _TooDeep(Exception):
    def __init__(self, where: str = "") -> None:
        super().__init__(where)
        self.where = where


def _load_yaml(text: str) -> Any:
    """Safe-load YAML, refusing aliases so a few lines of anchors cannot expand to gigabytes, and
    nesting deeper than MAX_DEPTH, checked on the event stream before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_YAML_BASE):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                problem="YAML aliases (*name) are not allowed in answers files", problem_mark=event.start_mark  # type: ignore[arg-type]  # libyaml's Mark
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _TooDeep(f" (line {mark.line + 1})")  # type: ignore[union-attr]  # the parser always sets marks
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a SafeLoader


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]')


def _check_json_depth(text: str) -> None:
    """Raise _TooDeep when brackets outside strings nest deeper than MAX_DEPTH (a linear scan)."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep(f" (character {match.start() + 1})")
        elif token in "]}":
            depth -= 1


def _json_int(text: str) -> int | Invalid:
    digits = text.lstrip("-")
    return int(text) if len(digits) <= 100 else Invalid(f"a number with {len(digits)} digits is not allowed")


def _load_json(text: str) -> Any:
    _check_json_depth(text)
    return json.loads(
        text, parse_int=_json_int, parse_constant=lambda name: Invalid(f"{name} is not a number"),
    )


@lru_cache(maxsize=1)
def schema() -> JSON:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def format_path(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _nearest(value: object, choices: Iterable[object]) -> list[str]:
    return difflib.get_close_matches(str(value), [str(c) for c in choices], n=3, cutoff=0.6)


def _did_you_mean(value: object, choices: Iterable[object]) -> str:
    near = _nearest(value, choices)
    return f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""


def _normalise(value: Any) -> Any:
    """YAML gives dates and non-string keys; the schema speaks JSON."""
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def parse_text(raw: bytes | str) -> tuple[JSON | None, list[AnswerError]]:
    """bytes/str -> (document or None, [AnswerError])."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_BYTES:
        return None, [AnswerError("(document)", f"the file is {len(raw) / 1_000_000:.1f} MB; answers files may be at most 1 MB")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [AnswerError("(document)", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start})")]
    text = text.lstrip("\ufeff")
    if not text.strip():
        return None, [AnswerError("(document)", "the file is empty")]
    try:
        if text.lstrip().startswith("{"):
            doc = _load_json(text)
        else:
            doc = _load_yaml(text)
    except _TooDeep as exc:
        return None, [AnswerError("(document)", f"the document is nested more than {MAX_DEPTH} levels deep{exc.where}")]
    except json.JSONDecodeError as exc:
        return None, [AnswerError("(document)", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [AnswerError("(document)", f"not valid YAML: {problem}{where}")]
    except (RecursionError, ValueError):
        return None, [AnswerError("(document)", "the document is nested too deeply or holds a value that cannot be read")]
    if not isinstance(doc, dict):
        return None, [AnswerError("(document)", "expected a mapping of fields (format, business, services, ...)")]
    return _normalise(doc), []


def _value_errors(value: object, path: FieldPath, out: list[AnswerError], limit: int = 50) -> list[AnswerError]:
    """Values the parser could not build, and text holding control characters, lone surrogates or
    bidi overrides (generator.text), anywhere in the document, keys included, each named by field."""
    if len(out) >= limit:
        return out
    if isinstance(value, Invalid):
        out.append(AnswerError(format_path(path), value.message))
    elif isinstance(value, str):
        why = text_.problem(value)
        if why:
            out.append(AnswerError(format_path(path), why))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and text_.problem(key):
                out.append(AnswerError(format_path(path + [key]), f"the field name {text_.problem(key)}"))
            _value_errors(item, path + [key], out, limit)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _value_errors(item, path + [i], out, limit)
    return out


def _format_checker(countries: Collection[str]) -> jsonschema.FormatChecker:
    """Formats the schema names; countries come from the catalogue, for the nearest-code hint."""
    checker = jsonschema.FormatChecker(formats=("date",))
    checks = {
        "hp-duration": is_duration,
        "hp-email": lambda v: bool(_EMAIL.match(v)),
        "hp-url": lambda v: bool(_URL.match(v)),
        "hp-https-url": lambda v: bool(_URL.match(v)) and v.lower().startswith("https://"),
        "hp-country": lambda v: v in countries or v == "EEA",
    }
    for name, check in checks.items():
        checker.checks(name)(lambda value, check=check: not isinstance(value, str) or check(value))
    return checker


_TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "boolean": "true or false", "array": "a list",
    "object": "a mapping of fields", "null": "nothing", "number": "a number",
}


def _schema_message(error: jsonschema.ValidationError, countries: Collection[str]) -> tuple[Iterable[str | int], str]:
    value = error.instance
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return list(error.absolute_path) + [missing], "this field is required"
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in value if k not in allowed]
        field = extras[0] if extras else "?"
        return list(error.absolute_path) + [field], f"unknown field{_did_you_mean(field, allowed)}"
    if kind == "enum":
        options = error.validator_value
        shown = ", ".join(str(o) for o in options)
        return error.absolute_path, f"{_shown(value)} is not one of: {shown}{_did_you_mean(value, options)}"
    if kind == "const":
        return error.absolute_path, f"expected {error.validator_value!r}, got {_shown(value)}"
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        return error.absolute_path, f"expected {words}, got {_shown(value)}"
    if kind == "format":
        fmt = error.validator_value
        if fmt == "hp-country":
            return error.absolute_path, f"{_shown(value)} is not an ISO 3166-1 alpha-2 code{_did_you_mean(value, countries)}"
        if fmt == "hp-duration":
            return error.absolute_path, (
                f"{_shown(value)} is not a duration: use ISO 8601 (P6Y, P12W, P30D, PT30M) or one of {', '.join(KEYWORDS)}"
            )
        if fmt == "hp-email":
            return error.absolute_path, f"{_shown(value)} is not an email address"
        if fmt == "hp-url":
            return error.absolute_path, f"{_shown(value)} is not a web address starting with https:// or http://"
        if fmt == "hp-https-url":
            return error.absolute_path, f"{_shown(value)} is not a web address starting with https://"
        if fmt == "date":
            return error.absolute_path, f"{_shown(value)} is not a date in the form YYYY-MM-DD"
    if kind == "minItems":
        return error.absolute_path, "must not be empty" if error.validator_value == 1 else error.message
    if kind == "maxItems":
        return error.absolute_path, f"has more than {error.validator_value} entries"
    if kind == "uniqueItems":
        return error.absolute_path, "has the same value twice"
    if kind in ("minimum", "maximum"):
        return error.absolute_path, f"{_shown(value)} is {'below the minimum' if kind == 'minimum' else 'above the maximum'} of {error.validator_value}"
    if kind == "minLength":
        return error.absolute_path, "must not be empty"
    if kind == "maxLength":
        return error.absolute_path, f"is longer than {error.validator_value} characters"
    if kind == "pattern":
        return error.absolute_path, f"{_shown(value)} is not an id (lowercase letters, digits and _)"
    if kind == "anyOf" and "processors" in error.absolute_path:
        return error.absolute_path, "give a catalogue id, or name, purpose, country and data for a custom processor"
    if kind == "anyOf":
        # Nullable fields: report the error of the non-null branch, which says what is expected.
        candidates = [e for e in error.context if e.schema.get("type") != "null"]
        if candidates:
            return _schema_message(candidates[0], countries)
    return error.absolute_path, error.message


def _schema_errors(doc: JSON, countries: Collection[str], partial: bool = False) -> list[AnswerError]:
    """Schema errors; `partial` leaves out missing required fields (a draft still being written)."""
    validator = jsonschema.Draft202012Validator(schema(), format_checker=_format_checker(countries))
    errors: list[AnswerError] = []
    found = (e for e in validator.iter_errors(doc) if not (partial and e.validator == "required"))
    for error in sorted(found, key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        path, message = _schema_message(error, countries)
        errors.append(AnswerError(format_path(list(path)), message))
    return errors


def _duplicate_errors(doc: JSON) -> list[AnswerError]:
    """Two data categories or two processors with the same id (a tampered form can send them)."""
    errors: list[AnswerError] = []
    for field in ("data", "processors"):
        items = doc.get(field)
        if not isinstance(items, list):
            continue
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                errors.append(AnswerError(f"{field}[{i}].id", f"{_shown(item_id)} is already used by {field}[{seen[item_id]}]"))
            else:
                seen[item_id] = i
    return errors


def _dpa_errors(doc: JSON, countries: Mapping[str, Any]) -> list[AnswerError]:
    """The objection window must close before the change it objects to takes effect; the EU
    clauses' governing law and courts must be an EU/EEA member state's (Clauses 17 and 18)."""
    dpa = doc.get("dpa") or {}
    errors: list[AnswerError] = []
    notice = dpa.get("subprocessor_notice_days", model.Dpa.subprocessor_notice_days)
    window = dpa.get("objection_days", model.Dpa.objection_days)
    # strictly shorter: a window closing on the day of the change leaves no time for a solution or
    # an exit before it (counsel review of the DPA, second round, n11)
    if isinstance(notice, int) and isinstance(window, int) and window >= notice:
        errors.append(AnswerError(
            "dpa.objection_days",
            f"{window} days is not shorter than the {notice} days' notice before a sub-processor change "
            "(dpa.subprocessor_notice_days): the customer's objection window must close before the change, "
            "leaving time to find a solution or end the services first",
        ))
    for key, clause in (("scc_governing_law", "Clause 17"), ("scc_forum", "Clause 18")):
        code = dpa.get(key)
        country = countries.get(code) if isinstance(code, str) else None
        if isinstance(code, str) and not (country and getattr(country, "eea", False)):
            errors.append(AnswerError(
                f"dpa.{key}",
                f"{_shown(code)} is not a member state of the EU or the EEA: the standard contractual clauses' "
                f"{clause} allows only the law and courts of one of them (for example IE for Ireland)",
            ))
    return errors


def _catalogue_errors(doc: JSON, catalogues: Catalogues) -> list[AnswerError]:
    """Unknown catalogue ids, with the nearest known ids; resolves processor aliases in place."""
    errors: list[AnswerError] = []
    known_data = set(catalogues.data_categories)
    custom_data: set[str] = set()
    for i, item in enumerate(doc["data"]):
        if item["id"] in known_data:
            continue
        if item.get("name"):
            custom_data.add(item["id"])
            continue
        errors.append(AnswerError(
            f"data[{i}].id",
            f"unknown data category {item['id']!r}{_did_you_mean(item['id'], known_data)} "
            "(a custom category needs a name)",
        ))
    usable_data = known_data | custom_data
    for i, item in enumerate(doc["data"]):
        for j, purpose in enumerate(item.get("purposes", ())):
            if purpose not in catalogues.purposes:
                errors.append(AnswerError(f"data[{i}].purposes[{j}]", f"unknown purpose {purpose!r}{_did_you_mean(purpose, catalogues.purposes)}"))
    for i, override in enumerate(doc.get("purposes", ())):
        if override["data"] not in usable_data:
            errors.append(AnswerError(f"purposes[{i}].data", f"{override['data']!r} is not a data category of this document{_did_you_mean(override['data'], usable_data)}"))
        if override["purpose"] not in catalogues.purposes:
            errors.append(AnswerError(f"purposes[{i}].purpose", f"unknown purpose {override['purpose']!r}{_did_you_mean(override['purpose'], catalogues.purposes)}"))
    for i, proc in enumerate(doc["processors"]):
        if "id" in proc:
            resolved = catalogues.resolve_processor_id(proc["id"])
            if resolved is None:
                known = list(catalogues.processors) + list(catalogues.processor_aliases)
                errors.append(AnswerError(f"processors[{i}].id", f"unknown processor {proc['id']!r}{_did_you_mean(proc['id'], known)}"))
            else:
                proc["id"] = resolved
        for j, data_id in enumerate(proc.get("data", ())):
            if data_id not in usable_data:
                errors.append(AnswerError(f"processors[{i}].data[{j}]", f"unknown data category {data_id!r}{_did_you_mean(data_id, usable_data)}"))
    return errors


def load_document(doc: JSON, catalogues: Catalogues | None = None) -> LoadResult:
    """Validate an already-parsed document (a dict) and build the model."""
    if catalogues is None:
        from generator.library import get_catalogues

        catalogues = get_catalogues()
    errors = _value_errors(doc, [], [])
    if errors:
        return LoadResult(None, tuple(errors))
    doc = _normalise(doc)
    errors = _schema_errors(doc, catalogues.countries) or _duplicate_errors(doc) or _dpa_errors(doc, catalogues.countries)
    if errors:
        return LoadResult(None, tuple(errors))
    errors = _catalogue_errors(doc, catalogues)
    if errors:
        return LoadResult(None, tuple(errors))
    return LoadResult(model.from_dict(doc, known_data_ids=catalogues.data_categories), (), doc)


def partial_errors(doc: JSON, catalogues: Catalogues | None = None) -> list[AnswerError]:
    """What is wrong with a document still being written (a draft the wizard saves): everything
    `load_document` checks in the contract except fields not answered yet. Empty when it is fine."""
    if catalogues is None:
        from generator.library import get_catalogues

        catalogues = get_catalogues()
    errors = _value_errors(doc, [], [])
    if errors:
        return errors
    doc = _normalise(doc)
    return _schema_errors(doc, catalogues.countries, partial=True) or _duplicate_errors(doc) or _dpa_errors(doc, catalogues.countries)


def load_answers(raw: bytes | str, catalogues: Catalogues | None = None) -> LoadResult:
    """Bytes or text of a YAML/JSON answers file -> LoadResult."""
    doc, errors = parse_text(raw)
    if errors:
        return LoadResult(None, tuple(errors))
    return load_document(doc, catalogues)  # type: ignore[arg-type]  # a document whenever no errors


def load_answers_file(path: str | Path, catalogues: Catalogues | None = None) -> LoadResult:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return LoadResult(None, (AnswerError("(document)", f"the file is {size / 1_000_000:.1f} MB; answers files may be at most 1 MB"),))
        raw = path.read_bytes()
    except OSError as exc:
        return LoadResult(None, (AnswerError("(document)", f"cannot read {path}: {exc.strerror}"),))
    return load_answers(raw, catalogues)
