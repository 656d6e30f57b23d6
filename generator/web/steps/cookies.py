"""Step 5, cookies: the consent banner, the processors' cookies and the business's own."""
from django import forms

from generator.answers import model
from generator.web import catalogue as cat_

from .base import Bundle, Choice, DurationInput, Step, choices, deep_copy, format_duration_input, formset, labels, put


class CookiesForm(forms.Form):
    banner = forms.BooleanField(
        label="We ask visitors for consent before setting cookies that are not strictly necessary (a cookie banner)",
        required=False,
    )


class CookieForm(forms.Form):
    name = forms.CharField(label="Cookie name", max_length=200)
    purpose = Choice(label="Purpose")
    duration = DurationInput(label="How long it lasts", help_text="For example “session”, “30 minutes”, “14 days” or “1 year”.")
    exemption = Choice(
        label="Why it needs no consent (only without a cookie banner)", required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", "Choose a purpose")] + choices(model.COOKIE_PURPOSES, "cookie_purposes")
        self.fields["exemption"].choices = [("", "No exemption: asked in the cookie banner")] + choices(
            model.COOKIE_EXEMPTIONS, "wizard_cookie_exemptions")
        self.fields["name"].error_messages["required"] = "Enter the cookie's name, or tick “Remove”."
        self.fields["purpose"].error_messages["required"] = "Choose what the cookie is for."
        self.fields["duration"].error_messages["required"] = "Enter how long the cookie lasts."


class CookiesStep(Step):
    slug = "cookies"
    title = "Cookies"
    intro = "Cookies your website sets, and whether visitors are asked before the optional ones are used."
    template = "wizard/steps/cookies.html"
    answers_fields = ("cookies",)

    def is_done(self, answers):
        return "cookies" in answers

    def forms(self, answers, data=None):
        c = answers.get("cookies") or {}
        main = CookiesForm(data, initial={"banner": bool(c.get("banner"))})
        items = [{"name": i["name"], "purpose": i["purpose"], "duration": i["duration"], "exemption": i.get("exemption", "")}
                 for i in c.get("items", ())]
        FS = formset(CookieForm, extra=2)
        b = Bundle(main=main, rows=FS(data, initial=items, prefix="cookie"))
        b.rows_label = "Cookie"
        return b

    def apply(self, answers, bundle):
        new = deep_copy(answers)
        old = {i["name"]: i for i in (answers.get("cookies") or {}).get("items", ())}
        items = []
        for form in bundle.rows.forms:
            c = form.cleaned_data
            if not c or c.get("DELETE") or not c.get("name"):
                continue
            entry = dict(old.get(c["name"], {}))
            entry.update({"name": c["name"], "purpose": c["purpose"], "duration": c["duration"]})
            # an exemption only means something for a cookie that would otherwise need consent
            put(entry, "exemption", c.get("exemption") if c["purpose"] != "strictly_necessary" else None)
            items.append(entry)
        cookies = dict(new.get("cookies") or {})
        cookies["banner"] = bool(bundle.main.cleaned_data["banner"])
        cookies["items"] = items
        new["cookies"] = cookies
        return new

    def context(self, answers, bundle):
        rows = cat_.chosen_processor_cookies(answers)
        return {
            "processor_cookies": [
                {"processor": p, "name": n, "purpose": labels("cookie_purposes").get(purpose, purpose),
                 "duration": format_duration_input(d), "description": desc}
                for p, n, purpose, d, desc in rows
            ],
        }
