"""`{{ form.field|field }}`: one form field in Bootstrap 5 markup (label, input, error, help), written
out in Python. It replaces crispy-forms' `as_crispy_field` on the wizard's steps, whose nested
templates cost about a millisecond a field: the processors step holds some fifty fields.

The markup is crispy-bootstrap5's: the error is tied to the input by aria-describedby (Django 5.2
sets it, and aria-invalid, on the widget) and has the id `<input id>_error`. A row that may be left
empty (a formset's new row) marks no field as required, since none is until something is typed.
"""
from html import escape

from django import forms, template
from django.utils.safestring import mark_safe

from generator.web.form_renderer import conditional_escape, format_html

register = template.Library()

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
    name, flag = escape(bound.html_name), ' aria-invalid="true"' if bound.errors else ""
    for i, (value, label) in enumerate(bound.field.choices):
        box_id = escape(f"{bound.auto_id}_{i}")
        parts.append(
            f'<div class="form-check"><input type="{input_type}" class="form-check-input{invalid}" name="{name}" '
            f'value="{escape(str(value))}" id="{box_id}"{" checked" if str(value) in chosen else ""}{flag}>'
            f'<label for="{box_id}" class="form-check-label">{conditional_escape(label)}</label></div>'
        )
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
def hidden_inputs(fields):
    """The hidden inputs of a form (a formset's management form) or a list of hidden fields, as
    bare inputs: Django renders a management form through its form templates otherwise."""
    return mark_safe("".join(str(bound.as_widget()) for bound in fields))


@register.simple_tag
def row_fields(row):
    """The visible fields of one formset row in a grid: boxes and lists of boxes across the row, the
    rest in halves; the remove box only on a row that holds something already."""
    out = []
    for bound in row.visible_fields():
        widget = bound.field.widget
        if bound.name == "DELETE":
            if row.initial:
                out.append(f'<div class="col-12">{field(bound)}</div>')
        elif getattr(widget, "input_type", None) == "checkbox" or getattr(widget, "allow_multiple_selected", False):
            out.append(f'<div class="col-12">{field(bound)}</div>')
        else:
            out.append(f'<div class="col-md-6">{field(bound)}</div>')
    return mark_safe("".join(out))


@register.simple_tag
def checkbox(box, field, extra_attr=""):
    """One box of a checkbox list (a BoundWidget), for pages that lay their boxes out themselves;
    `extra_attr` is a bare attribute name the page's script looks for (data-storage)."""
    # f-strings with html.escape rather than format_html: a page lays out up to some 250 boxes
    invalid, flag = (" is-invalid", ' aria-invalid="true"') if field.errors else ("", "")
    return mark_safe(
        f'<input type="checkbox" class="form-check-input{invalid}" name="{escape(str(box.data["name"]))}" '
        f'value="{escape(str(box.data["value"]))}" id="{escape(str(box.id_for_label))}"'
        f'{" checked" if box.data["selected"] else ""}{flag}{" " + escape(extra_attr) if extra_attr else ""}>'
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
        name, entity = escape(p.name), item["entity"]
        named = f' <span class="text-body-secondary">({escape(entity)})</span>' if entity and entity != p.name else ""
        description = escape(p.description[:1].upper() + p.description[1:])
        box_id = escape(str(item["box"].id_for_label))
        parts = [
            checkbox(item["box"], processors_field),
            f'<label class="form-check-label" for="{box_id}"><span class="fw-semibold">{name}</span>{named}</label>',
            f'<div class="form-text mt-0">{description}. Receives: {escape(", ".join(item["data"]) or "–")}. '
            f'Where: {escape(item["where"])}. <a href="{escape(p.privacy_url)}" rel="noopener noreferrer" target="_blank">'
            f'Privacy policy<span class="visually-hidden"> of {name} (opens in a new tab)</span></a></div>',
        ]
        if item["restricted"] is not None:
            parts.append(f'<div class="mt-1 processor-restricted">{field(item["restricted"])}</div>')
        if item.get("region_field") is not None:
            # asked in the open: where it holds customers' data is an answer the DPA needs (M2)
            parts.append(f'<div class="mt-1 processor-region">{field(item["region_field"])}</div>')
        if item["entity_field"] is not None:
            country = field(item["country_field"]) if item["country_field"] is not None else ""
            parts.append(
                f'<details class="mt-1 processor-entity"{" open" if item["override_open"] else ""}><summary>Your contract '
                f'is with a different entity?</summary><div class="pt-2">{field(item["entity_field"])}'
                f'{country}</div></details>')
        out.append(f'<li class="form-check processor-item py-1" data-filter-item data-filter-text="{escape(item["search"])}">'
                   f'{"".join(parts)}</li>')
    return mark_safe("".join(out))
