"""`{{ form.field|field }}`: one form field in Bootstrap 5 markup (label, input, error, help), written
out in Python. It replaces crispy-forms' `as_crispy_field` on the wizard's steps, whose nested
templates cost about a millisecond a field: the processors step holds some fifty fields.

The markup is crispy-bootstrap5's: the error is tied to the input by aria-describedby (Django 5.2
sets it, and aria-invalid, on the widget) and has the id `<input id>_error`. A row that may be left
empty (a formset's new row) marks no field as required, since none is until something is typed.
"""
from django import forms, template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

_CONTROL_CLASS = {"select": "form-select"}


def _errors(bound):
    if not bound.errors:
        return ""
    items = "".join(
        format_html('<p id="error_{}_{}"><strong>{}</strong></p>', i, bound.auto_id, error)
        for i, error in enumerate(bound.errors, start=1)
    )
    return format_html('<div id="{}_error" class="invalid-feedback d-block">{}</div>', bound.auto_id, mark_safe(items))


def _help(bound):
    if not bound.help_text:
        return ""
    return format_html('<div id="{}_helptext" class="form-text">{}</div>', bound.auto_id, bound.help_text)


def _required(bound):
    return bound.field.required and not bound.form.empty_permitted


def _label(bound, tag="label", extra_class="form-label"):
    star = mark_safe('<span class="asteriskField">*</span>') if _required(bound) else ""
    classes = extra_class + (" requiredField" if _required(bound) else "")
    if tag == "legend":
        return format_html('<legend class="{} fs-6">{}{}</legend>', classes, bound.label, star)
    return format_html('<label for="{}" class="{}">{}{}</label>', bound.id_for_label, classes, bound.label, star)


def _choice_list(bound, input_type):
    invalid = " is-invalid" if bound.errors else ""
    chosen = {str(v) for v in (bound.value() if isinstance(bound.value(), (list, tuple)) else [bound.value()]) if v is not None}
    parts = []
    for i, (value, label) in enumerate(bound.field.choices):
        box_id = f"{bound.auto_id}_{i}"
        parts.append(format_html(
            '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}" value="{}" id="{}"{}{}>'
            '<label for="{}" class="form-check-label">{}</label></div>',
            input_type, invalid, bound.html_name, value, box_id, mark_safe(" checked" if str(value) in chosen else ""),
            mark_safe(' aria-invalid="true"' if bound.errors else ""), box_id, label,
        ))
    described = f' aria-describedby="{conditional_escape(bound.auto_id)}_error"' if bound.errors else ""
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset{}>{}<div>{}</div>{}{}</fieldset></div>',
        bound.auto_id, mark_safe(described), _label(bound, "legend"), mark_safe("".join(parts)), _errors(bound), _help(bound),
    )


@register.filter(name="field")
def field(bound):
    """A bound field as a Bootstrap 5 form group."""
    widget = bound.field.widget
    if isinstance(widget, forms.HiddenInput):
        return bound.as_widget()
    invalid = " is-invalid" if bound.errors else ""
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return _choice_list(bound, "checkbox")
    if isinstance(widget, forms.RadioSelect):
        return _choice_list(bound, "radio")
    if isinstance(widget, forms.CheckboxInput):
        box = bound.as_widget(attrs={"class": "form-check-input" + invalid})
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            bound.auto_id, box, bound.id_for_label, bound.label, _errors(bound), _help(bound),
        )
    control = "form-select" if isinstance(widget, forms.Select) else "form-control"
    attrs: dict[str, str | bool] = {"class": control + invalid}
    if not _required(bound):
        attrs["required"] = False
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>',
        bound.auto_id, _label(bound), bound.as_widget(attrs=attrs), _errors(bound), _help(bound),
    )


@register.simple_tag
def checkbox(box, field, extra_attr=""):
    """One box of a checkbox list (a BoundWidget), for pages that lay their boxes out themselves;
    `extra_attr` is a bare attribute name the page's script looks for (data-storage)."""
    invalid = bool(field.errors)
    return format_html(
        '<input type="checkbox" class="form-check-input{}" name="{}" value="{}" id="{}"{}{}{}>',
        " is-invalid" if invalid else "", box.data["name"], box.data["value"], box.id_for_label,
        mark_safe(" checked" if box.data["selected"] else ""), mark_safe(' aria-invalid="true"' if invalid else ""),
        mark_safe(f" {conditional_escape(extra_attr)}" if extra_attr else ""),
    )


@register.filter
def column(columns, index):
    """The heading of column `index`, for a cell's data-label (tables stack into labelled lines on a phone)."""
    try:
        return columns[index]
    except (IndexError, TypeError):
        return ""


_DATALISTS: dict[int, tuple[object, str]] = {}  # id(choices) -> (choices, html)


@register.simple_tag
def country_datalist():
    """The page's one list of country names that country fields suggest from (steps.base.CountryInput)."""
    from generator.web import catalogue as cat_
    from generator.web.steps.base import COUNTRY_LIST_ID

    choices = cat_.country_choices()
    cached = _DATALISTS.get(id(choices))
    if cached is None or cached[0] is not choices:
        options = "".join(format_html('<option value="{}"></option>', name) for _, name in choices)
        cached = _DATALISTS[id(choices)] = (choices, format_html('<datalist id="{}">{}</datalist>', COUNTRY_LIST_ID,
                                                                 mark_safe(options)))
    return cached[1]


@register.simple_tag
def processor_items(items, processors_field):
    """The <li> of each catalogue processor on the processors step (its box, name, what it does,
    restricted mode and the entity override), written out in Python: some seventy of them make the
    step's largest part. items: the dicts of ProcessorsStep.context; processors_field: the bound
    `processors` field."""
    out = []
    for item in items:
        p = item["p"]
        entity = item["entity"]
        named = format_html(' <span class="text-body-secondary">({})</span>', entity) if entity and entity != p.name else ""
        description = p.description[:1].upper() + p.description[1:]
        parts = [
            checkbox(item["box"], processors_field),
            format_html('<label class="form-check-label" for="{}"><span class="fw-semibold">{}</span>{}</label>',
                        item["box"].id_for_label, p.name, named),
            format_html('<div class="form-text mt-0">{}. Receives: {}. Where: {}. <a href="{}" rel="noopener noreferrer" '
                        'target="_blank">Privacy policy<span class="visually-hidden"> of {} (opens in a new tab)</span></a></div>',
                        description, ", ".join(item["data"]) or "–", item["where"], p.privacy_url, p.name),
        ]
        if item["restricted"] is not None:
            parts.append(format_html('<div class="mt-1 processor-restricted">{}</div>', field(item["restricted"])))
        if item["entity_field"] is not None:
            parts.append(format_html(
                '<details class="mt-1 processor-entity"{}><summary>Your contract is with a different entity?</summary>'
                '<div class="pt-2">{}{}</div></details>',
                mark_safe(" open") if item["override_open"] else "", field(item["entity_field"]),
                field(item["country_field"])))
        out.append(format_html('<li class="form-check processor-item py-1" data-filter-item data-filter-text="{}">{}</li>',
                               item["search"], mark_safe("".join(str(x) for x in parts))))
    return mark_safe("".join(out))
