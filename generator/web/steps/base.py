"""What every wizard step shares: the Step hooks, the Bundle of forms a step page holds, the row
formset, the field types (durations, emails, web addresses, checkbox lists) and the labels of the
contract's fixed vocabularies, which come from clauses/catalogues/vocabulary.yaml.

A step is one module in this package holding its form(s) and a `Step` subclass:
  - `applies(answers)`: whether the step is shown at all (steps that don't apply are skipped);
  - `forms(answers, data)`: its forms, filled from the answers (GET) or bound to posted data;
  - `apply(answers, bundle)`: a new answers dict with this step's slice replaced; everything the
    step does not ask about is kept as it was, so fields from an uploaded file survive the wizard;
  - `context(answers, bundle)`: what the template shows beside the forms.
`from_answers` and `to_answers` are the two mappings under their plain names, for tests and tools.
"""
import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from generator.answers.durations import KEYWORDS, Duration, is_duration
from generator.answers.model import JSON
from generator.library import get_catalogues

# The loader's own checks (generator/answers/loader.py), repeated so the wizard never saves a value
# the schema would refuse.
_EMAIL = re.compile(r"^[^@\s<>\"'`]+@[^@\s<>\"'`]+\.[^@\s<>\"'`]+$")
_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


# --- the answers document ---------------------------------------------------------------------

def without_empty(d: Mapping[str, Any]) -> JSON:
    """Drop keys whose value is empty (None, "", [], {}): optional fields are left out, not nulled."""
    return {k: v for k, v in d.items() if v not in (None, "", [], {}, ())}


def put(d: JSON, key: str, value: Any) -> None:
    """Set d[key], or remove it when the value is empty."""
    if value in (None, "", [], {}, ()):
        d.pop(key, None)
    else:
        d[key] = value


def ordered(d: Mapping[str, Any], keys: Iterable[str]) -> JSON:
    """d with `keys` first, in that order, then the rest as they were."""
    out = {k: d[k] for k in keys if k in d}
    out.update({k: v for k, v in d.items() if k not in out})
    return out


def in_owner_order(chosen: Iterable[str], before: Iterable[str] | None, offered: Iterable[str]) -> list[str]:
    """The ticked values in the owner's order: those the answers already held keep their place
    (an uploaded file's order, or the order they were added in), new ones follow in the order the
    page offers them."""
    chosen = set(chosen)
    kept = [v for v in before or () if v in chosen]
    return kept + [v for v in offered if v in chosen and v not in kept]


def keep_owner_order(items: Iterable[JSON], before: Iterable[JSON] | None, key: Callable[[JSON], Any]) -> list[JSON]:
    """`items` (dicts) sorted so that those already in `before` keep their order there and new
    ones follow in their own order; `key(item)` identifies an item in both lists."""
    place = {key(item): i for i, item in enumerate(before or ())}
    indexed = list(enumerate(items))
    indexed.sort(key=lambda pair: (0, place[key(pair[1])], 0) if key(pair[1]) in place else (1, 0, pair[0]))
    return [item for _, item in indexed]


def deep_copy(answers: JSON) -> JSON:
    return copy.deepcopy(answers)


# --- vocabulary labels ------------------------------------------------------------------------

def labels(group: str) -> dict[str, str]:
    """id -> label of one vocabulary group (vocabulary.yaml), for a choice list."""
    return dict(get_catalogues().vocabulary.get(group) or {})


def choices(values: Iterable[str], group: str | dict[str, str]) -> list[tuple[str, str]]:
    """(id, label) for each contract value, labelled from a vocabulary group (its name) or a dict."""
    words = group if isinstance(group, dict) else labels(group)
    return [(v, words.get(v, v.replace("_", " ").capitalize())) for v in values]


# --- forms ------------------------------------------------------------------------------------

class RemoveFormSet(forms.BaseFormSet):
    """Formset whose delete box reads "Remove this row" and whose forms get per-row kwargs."""

    row_kwargs: list[dict[str, Any]] | None = None

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this row"

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if self.row_kwargs and index is not None and index < len(self.row_kwargs):
            kwargs.update(self.row_kwargs[index])
        return kwargs


def formset(form: type[forms.Form], extra: int = 1, can_delete: bool = True) -> type[RemoveFormSet]:
    return cast(type[RemoveFormSet], forms.formset_factory(
        form, formset=RemoveFormSet, extra=extra, can_delete=can_delete, max_num=100, validate_max=True, absolute_max=200,
    ))


@dataclass
class Bundle:
    """The forms of one step page: a main form, optionally one formset (`rows`), and further
    formsets by name (`more_rows`: name -> (formset, how its rows are called))."""

    main: forms.Form | None = None
    rows: forms.BaseFormSet | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    rows_label: str = "Row"
    more_rows: dict[str, tuple[forms.BaseFormSet, str]] = field(default_factory=dict)

    def formsets(self) -> list[tuple[forms.BaseFormSet, str]]:
        """(formset, row label) of every formset on the page."""
        out = [(self.rows, self.rows_label)] if self.rows is not None else []
        return out + list(self.more_rows.values())

    def is_valid(self) -> bool:
        ok = self.main.is_valid() if self.main is not None else True
        for rows, _ in self.formsets():
            ok = rows.is_valid() and ok
        return ok

    @staticmethod
    def row_name(index: int, form: forms.BaseForm, label: str = "Row") -> str:
        """How errors name a row: the form's own `row_name` (a retention row's data label), else "Cookie 2"."""
        return getattr(form, "row_name", None) or f"{label} {index}"

    def error_summary(self) -> list[tuple[str, str, Any]]:
        """(element id, label, message) for every error, for the summary at the top of the page."""
        out = []

        def from_form(form: forms.BaseForm, prefix: str = "") -> None:
            for error in form.non_field_errors():
                out.append(("", prefix.rstrip(": "), error))
            for bound in form:
                for error in bound.errors:
                    target = bound.id_for_label or bound.auto_id
                    if bound.field.widget.__class__.__name__ == "CheckboxSelectMultiple":
                        target = f"{bound.auto_id}_0"
                    out.append((target, prefix + str(bound.label or ""), error))

        if self.main is not None and self.main.is_bound:
            from_form(self.main)
        for rows, label in self.formsets():
            if not rows.is_bound:
                continue
            for error in rows.non_form_errors():
                out.append(("", "", error))
            for i, form in enumerate(rows.forms, start=1):
                from_form(form, f"{self.row_name(i, form, label)}: ")
        return out


class Step:
    """One wizard page. Subclasses set the class attributes and override the hooks they need."""

    slug = ""
    title = ""
    nav_title = ""
    intro = ""
    template = ""
    # Top-level answers fields this step asks about (for error links and the compliance report).
    answers_fields: tuple[str, ...] = ()

    def applies(self, answers: JSON) -> bool:
        """Whether the step is shown for these answers; a step that does not apply is skipped."""
        return True

    def is_done(self, answers: JSON) -> bool:
        """Whether the answers already hold this step's slice (a tick in the step list)."""
        return False

    def forms(self, answers: JSON, data: Mapping[str, Any] | None = None) -> Bundle:
        """The step's Bundle: filled from `answers` when `data` is None, else bound to the posted data."""
        raise NotImplementedError

    def apply(self, answers: JSON, bundle: Bundle) -> JSON:
        """A new answers dict with this step's slice taken from the valid `bundle`; the rest is kept."""
        raise NotImplementedError

    def context(self, answers: JSON, bundle: Bundle) -> dict[str, Any]:
        """What the template shows beside the forms."""
        return {}

    def after_save(self, old: JSON, new: JSON, bundle: Bundle) -> str | None:
        """A message when the page should be shown again because new questions now apply."""
        return None

    # The mapping under its plain names: answers -> form data, and form data -> answers.
    def from_answers(self, answers: JSON) -> Bundle:
        """The unbound Bundle a GET shows for `answers`."""
        return self.forms(answers)

    def to_answers(self, answers: JSON, data: Mapping[str, Any]) -> tuple[JSON | None, Bundle]:
        """(new answers, bundle): `data` (a QueryDict or dict of posted fields) applied to `answers`;
        the new answers are None when the bundle has errors."""
        bundle = self.forms(answers, data)
        return (self.apply(answers, bundle) if bundle.is_valid() else None), bundle

    @property
    def label(self) -> str:
        return self.nav_title or self.title


# --- durations --------------------------------------------------------------------------------

_UNIT_WORDS = {
    "y": "Y", "yr": "Y", "yrs": "Y", "year": "Y", "years": "Y",
    "mo": "M", "mon": "M", "month": "M", "months": "M",
    "w": "W", "wk": "W", "wks": "W", "week": "W", "weeks": "W",
    "d": "D", "day": "D", "days": "D",
    "h": "TH", "hr": "TH", "hrs": "TH", "hour": "TH", "hours": "TH",
    "min": "TM", "mins": "TM", "minute": "TM", "minutes": "TM",
    "s": "TS", "sec": "TS", "secs": "TS", "second": "TS", "seconds": "TS",
}
_KEYWORD_WORDS = {
    "session": "session", "browser session": "session", "end of session": "session",
    "while active": "while_active", "while_active": "while_active", "while the account is open": "while_active",
    "while your account is open": "while_active", "while account is open": "while_active",
    "indefinite": "indefinite", "indefinitely": "indefinite", "forever": "indefinite",
}
DURATION_HELP = (
    "For example “6 years”, “12 weeks”, “30 days” or “1 year 6 months”; or “session”, "
    "“while active” (as long as the account is open) or “indefinite”."
)


def parse_duration_input(text: object) -> str | None:
    """What a person types -> a duration of the contract ("P6Y", "while_active"), or None."""
    raw = " ".join(str(text).strip().split())
    if not raw:
        return None
    lowered = raw.lower()
    if lowered in _KEYWORD_WORDS:
        return _KEYWORD_WORDS[lowered]
    if is_duration(raw.upper()) and raw.upper() not in KEYWORDS:
        return raw.upper()
    parts = re.findall(r"(\d+)\s*([a-z]+)", lowered.replace(",", " ").replace(" and ", " "))
    leftover = re.sub(r"(\d+)\s*([a-z]+)", "", lowered.replace(",", " ").replace(" and ", " ")).strip()
    if not parts or leftover:
        return None
    found = {}
    for count, unit in parts:
        key = _UNIT_WORDS.get(unit)
        if key is None or key in found:
            return None
        found[key] = int(count)
    date_part = "".join(f"{found[k]}{k}" for k in ("Y", "M", "W", "D") if k in found)
    time_part = "".join(f"{found[k]}{k[1]}" for k in ("TH", "TM", "TS") if k in found)
    iso = "P" + date_part + ("T" + time_part if time_part else "")
    return iso if is_duration(iso) else None


def format_duration_input(value: str | None) -> str:
    """A stored duration -> how the form shows it ("6 years", "while active")."""
    if not value:
        return ""
    if value == "while_active":
        return "while active"
    if value in KEYWORDS:
        return value
    if not is_duration(value):
        return value
    return Duration(value).words().replace(" and ", " ").replace(",", "")


class DurationInput(forms.CharField):
    default_error_messages = {
        "invalid": "Enter a period such as “6 years”, “12 weeks” or “30 days”, or one of: session, while active, indefinite.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", DURATION_HELP)
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_duration_input(value) if value and is_duration(value) else value

    def clean(self, value: Any) -> str | None:
        value = super().clean(value)
        if not value:
            return None
        parsed = parse_duration_input(value)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


# --- emails, web addresses, checkbox lists ------------------------------------------------------

def clean_email(value: str | None, label: str = "email address") -> str | None:
    if not value:
        return value
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(f"Enter a valid {label}, like name@example.com.") from None
    if not _EMAIL.match(value):
        raise ValidationError(f"Enter a valid {label}, like name@example.com.")
    return value


def clean_url(value: str | None, label: str = "web address") -> str:
    """Accept "www.example.com" and add https://; refuse anything that is not a plain web address."""
    value = (value or "").strip()
    if not value:
        return value
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        value = "https://" + value
    if not _URL.match(value) or "." not in value.split("://", 1)[1].split("/", 1)[0]:
        raise ValidationError(f"Enter a {label} starting with https://, like https://www.example.com.")
    return value


class EmailInput(forms.CharField):
    widget = forms.EmailInput

    def __init__(self, label_word: str = "email address", **kwargs: Any) -> None:
        self.label_word = label_word
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str | None:
        return clean_email(super().clean(value), self.label_word)


class UrlInput(forms.CharField):
    widget = forms.URLInput

    def __init__(self, label_word: str = "web address", **kwargs: Any) -> None:
        self.label_word = label_word
        kwargs.setdefault("max_length", 200)  # the contract's bound on web addresses
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return clean_url(super().clean(value), self.label_word)


class PlainSelect(forms.Select):
    """A select written out in Python rather than through one widget template per option, its
    options escaped once per list of choices: the country list has about 250 options and the
    processors page holds one per chosen processor, which through the templates cost most of
    that page's time."""

    # tuple of choices -> ([(escaped <option value="...", escaped label)], value -> index)
    _options: dict[tuple[tuple[str, str], ...], tuple[list[tuple[str, str]], dict[str, int]]] = {}

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None) -> SafeString:
        key = tuple((str(v), str(label)) for v, label in self.choices)
        cached = self._options.get(key)
        if cached is None:
            if len(self._options) > 200:
                self._options.clear()
            cached = self._options[key] = (
                [(f'<option value="{conditional_escape(v)}"', f">{conditional_escape(label)}</option>") for v, label in key],
                {v: i for i, (v, _) in enumerate(key)},
            )
        options, index = cached
        chosen = {index[str(v)] for v in self.format_value(value) if str(v) in index}
        body = "".join(head + (" selected" if i in chosen else "") + tail for i, (head, tail) in enumerate(options))
        return mark_safe(f'<select name="{conditional_escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>{body}</select>')


class PlainSelectMultiple(forms.SelectMultiple):
    """A select of several values, written out like PlainSelect."""

    _options = PlainSelect._options

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None) -> SafeString:
        # PlainSelect.render reads only what both widgets have (choices, attrs, format_value)
        return PlainSelect.render(self, name, value, {**(attrs or {}), "multiple": True}, renderer)  # type: ignore[arg-type]


class Choice(forms.ChoiceField):
    """A choice from a list, shown as a select."""

    widget = PlainSelect


COUNTRY_LIST_ID = "country-names"  # the page's one <datalist> of country names (templatetags: country_datalist)


_COUNTRY_CODES: dict = {}  # id(country choices) -> (choices, {casefolded name or code: code})


def _country_codes() -> dict[str, str]:
    """{casefolded name or code: code} of every country in the catalogue."""
    from generator.web import catalogue as cat_

    choices = cat_.country_choices()
    cached = _COUNTRY_CODES.get(id(choices))
    if cached is None or cached[0] is not choices:
        codes = {}
        for code, name in choices:
            codes[code.casefold()] = code
            codes[name.casefold()] = code
        cached = _COUNTRY_CODES[id(choices)] = (choices, codes)
    return cached[1]


def _country_name(code: str | None) -> str:
    from generator.web import catalogue as cat_

    return cat_.country_label(code) if code else ""


class CountryInput(forms.CharField):
    """A country typed by name (or ISO code), suggested from the page's list of country names: a
    page with a select of some 250 countries for every processor weighed a quarter of a megabyte."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": COUNTRY_LIST_ID, "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        # a stored code is shown as its name; what was typed (a bound value) is shown as it was
        return _country_name(value) if value and value in _country_codes().values() else value

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if not value:
            return ""
        code = _country_codes().get(" ".join(value.split()).casefold())
        if code is None:
            raise ValidationError(f"“{value}” is not a country in the list; type its English name, for example Germany.")
        return code


class CountriesInput(forms.CharField):
    """Several countries typed by name, separated by semicolons (some names hold a comma)."""

    def __init__(self, max_countries: int = 3, **kwargs: Any) -> None:
        self.max_countries = max_countries
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": COUNTRY_LIST_ID, "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return "; ".join(_country_name(code) for code in value)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return list(initial or ()) != self.to_python(data)
        except ValidationError:
            return True

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # country codes, not one str
        value = super().to_python(value)
        known, out, wrong = _country_codes(), [], []
        for part in value.replace("\n", ";").split(";"):
            part = " ".join(part.split())
            if not part:
                continue
            pieces = [part] if part.casefold() in known else [p.strip() for p in part.split(",") if p.strip()]
            for piece in pieces:
                code = known.get(piece.casefold())
                if code is None:
                    wrong.append(piece)
                elif code not in out:
                    out.append(code)
        if wrong:
            raise ValidationError(f"Not a country in the list: {', '.join(wrong)}. Type English names separated by "
                                  "semicolons, for example “Germany; United States”.")
        if len(out) > self.max_countries:
            raise ValidationError(f"Name at most {self.max_countries} countries, the main ones.")
        return out


@dataclass
class Box:
    """One box of a checkbox list, with what a page needs to lay it out itself (the attributes of
    Django's BoundWidget that the templates read), made without building a widget per choice."""

    data: dict
    id_for_label: str
    choice_label: str


def boxes(bound: forms.BoundField) -> dict[str, Box]:
    """{value: Box} for every choice of a checkbox-list field, ticked as the form shows it."""
    value = bound.value()
    chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v is not None}
    return {
        str(v): Box(data={"name": bound.html_name, "value": v, "selected": str(v) in chosen},
                    id_for_label=f"{bound.auto_id}_{i}", choice_label=label)
        for i, (v, label) in enumerate(cast(forms.ChoiceField, bound.field).choices)  # type: ignore[arg-type]  # a list of pairs once set
    }


class Checkboxes(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


def required_message(what: str) -> dict[str, str]:
    return {"required": f"Enter {what}."}
