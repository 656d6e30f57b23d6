"""Step 5, cookies: the consent banner, the processors' cookies and the business's own."""
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from generator.answers import model
from generator.web import catalogue as cat_

from .base import (
    Bundle, Choice, DurationInput, RemoveFormSet, Step, choices, deep_copy, format_duration_input, labels, put,
)


class CookiesForm(forms.Form):
    banner = forms.BooleanField(
        label="We ask visitors for consent before setting cookies that are not strictly necessary (a cookie banner)",
        required=False,
    )


class CookieForm(forms.Form):
    name = forms.CharField(label="Cookie name", max_length=200)
    set_by = Choice(label="Set by", required=False)
    purpose = Choice(label="Purpose")
    duration = DurationInput(label="How long it lasts", help_text="For example “session”, “30 minutes”, “14 days” or “1 year”.")
    provider = forms.CharField(
        label="Who provides it (optional)", max_length=100, required=False,
        help_text="The software or service behind it, if not you, for example “WHMCS” or “WordPress”.",
    )
    description = forms.CharField(
        label="What it does (optional)", max_length=200, required=False,
        help_text="In a few words, for example “keeps you signed in”.",
    )
    exemption = Choice(
        label="Why it needs no consent (only without a cookie banner)", required=False,
    )

    def __init__(self, *args, set_by_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["set_by"]).choices = [("", "Us (our own website or control panel)")] + list(set_by_choices)
        cast(forms.ChoiceField, self.fields["purpose"]).choices = [("", "Choose a purpose")] + choices(model.COOKIE_PURPOSES, "cookie_purposes")
        cast(forms.ChoiceField, self.fields["exemption"]).choices = [("", "No exemption: asked in the cookie banner")] + choices(
            model.COOKIE_EXEMPTIONS, "wizard_cookie_exemptions")
        self.fields["name"].error_messages["required"] = "Enter the cookie's name, or tick “Remove”."
        self.fields["purpose"].error_messages["required"] = "Choose what the cookie is for."
        self.fields["duration"].error_messages["required"] = "Enter how long the cookie lasts."


# The contract's bound on the cookies one processor sets (processors[].cookies).
COOKIES_PER_PROCESSOR = 3


class CookieRows(RemoveFormSet):
    def clean(self):
        super().clean()
        counts: dict[str, int] = {}
        for form in self.forms:
            c = getattr(form, "cleaned_data", None) or {}
            if c.get("name") and not c.get("DELETE") and c.get("set_by"):
                counts[c["set_by"]] = counts.get(c["set_by"], 0) + 1
        names = dict(self.forms[0].fields["set_by"].choices) if self.forms else {}
        for key, count in counts.items():
            if count > COOKIES_PER_PROCESSOR:
                raise ValidationError(
                    f"{names.get(key, key)} sets {count} cookies here; list at most {COOKIES_PER_PROCESSOR} per processor.")


def _processor_ref_key(ref):
    """How a cookie row names the processor that sets it: "id:stripe" or "name:Acme Backup"."""
    return f"id:{ref['id']}" if ref.get("id") else f"name:{ref.get('name')}"


class CookiesStep(Step):
    slug = "cookies"
    title = "Cookies"
    intro = "Cookies your website sets, and whether visitors are asked before the optional ones are used."
    template = "wizard/steps/cookies.html"
    answers_fields = ("cookies",)

    def is_done(self, answers):
        return "cookies" in answers

    @staticmethod
    def _set_by_choices(answers):
        cat = cat_.get_catalogues()
        out = []
        for ref in answers.get("processors", ()):
            entry = cat.processors.get(cat.resolve_processor_id(ref["id"]) or "") if ref.get("id") else None
            out.append((_processor_ref_key(ref), ref.get("name") or (entry.name if entry else ref.get("id"))))
        return out

    def forms(self, answers, data=None):
        c = answers.get("cookies") or {}
        main = CookiesForm(data, initial={"banner": bool(c.get("banner"))})

        def row(item, set_by=""):
            return {"name": item["name"], "set_by": set_by, "purpose": item["purpose"], "duration": item["duration"],
                    "provider": item.get("provider", ""), "description": item.get("description", ""),
                    "exemption": item.get("exemption", "")}

        items = [row(i) for i in c.get("items", ())]
        for ref in answers.get("processors", ()):
            items += [row(i, _processor_ref_key(ref)) for i in ref.get("cookies", ())]
        FS = forms.formset_factory(CookieForm, formset=CookieRows, extra=2, can_delete=True, max_num=100,
                                   validate_max=True, absolute_max=200)
        rows = FS(data, initial=items, prefix="cookie", form_kwargs={"set_by_choices": self._set_by_choices(answers)})
        return Bundle(main=main, rows=rows, rows_label="Cookie")

    def apply(self, answers, bundle):
        new = deep_copy(answers)
        old = {("", i["name"]): i for i in (answers.get("cookies") or {}).get("items", ())}
        for ref in answers.get("processors", ()):
            old.update({(_processor_ref_key(ref), i["name"]): i for i in ref.get("cookies", ())})
        by_processor: dict[str, list[dict[str, Any]]]
        items, by_processor = [], {}
        for form in bundle.rows.forms:
            c = form.cleaned_data
            if not c or c.get("DELETE") or not c.get("name"):
                continue
            set_by = c.get("set_by") or ""
            entry = dict(old.get((set_by, c["name"]), {}))
            entry.update({"name": c["name"], "purpose": c["purpose"], "duration": c["duration"]})
            put(entry, "provider", (c.get("provider") or "").strip() or None)
            put(entry, "description", (c.get("description") or "").strip() or None)
            if set_by:
                entry.pop("exemption", None)  # the exemption is for the business's own cookies
                by_processor.setdefault(set_by, []).append(entry)
                continue
            # an exemption only means something for a cookie that would otherwise need consent
            put(entry, "exemption", c.get("exemption") if c["purpose"] != "strictly_necessary" else None)
            items.append(entry)
        for ref in new.get("processors", ()):
            put(ref, "cookies", by_processor.get(_processor_ref_key(ref)))
        cookies = dict(new.get("cookies") or {})
        cookies["banner"] = bool(bundle.main.cleaned_data["banner"])
        cookies["items"] = items
        new["cookies"] = cookies
        return new

    def context(self, answers, bundle):
        rows = cat_.catalogue_processor_cookies(answers)
        return {
            "processor_cookies": [
                {"processor": p, "name": n, "purpose": labels("cookie_purposes").get(purpose, purpose),
                 "duration": format_duration_input(d), "description": desc}
                for p, n, purpose, d, desc in rows
            ],
        }
