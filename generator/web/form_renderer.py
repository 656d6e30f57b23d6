"""The form renderer (settings.FORM_RENDERER): Django's own, except that the plainest widgets
(text-like inputs, checkboxes, text areas) are written out in Python with the same markup as
Django's templates. Each widget otherwise costs a template render with an include for its
attributes, and a wizard step holds up to a few hundred of them."""
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_INPUTS = {"django/forms/widgets/input.html", "django/forms/widgets/text.html", "django/forms/widgets/email.html",
           "django/forms/widgets/url.html", "django/forms/widgets/number.html", "django/forms/widgets/date.html",
           "django/forms/widgets/hidden.html", "django/forms/widgets/checkbox.html"}


def _attrs(attrs):
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(out)


class WizardFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and widget.get("template_name") == template_name:
            if template_name in _INPUTS:
                value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
                return mark_safe(f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
                                 f'{value}{_attrs(widget["attrs"])}>')
            if template_name == "django/forms/widgets/textarea.html":
                value = conditional_escape(widget["value"]) if widget["value"] else ""
                return mark_safe(f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>')
        return super().render(template_name, context, request)
