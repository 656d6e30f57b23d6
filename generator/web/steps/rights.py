"""Step 8, rights, security and changes: request deadline and channels, security measures, breach
notice, notice of changes, children, and the policy's date and paper."""
from types import SimpleNamespace
from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from generator import laws
from generator.answers import model
from generator.laws import applicability

from .base import Bundle, Checkboxes, Choice, Step, UrlInput, choices, deep_copy, in_owner_order, put


class RightsForm(forms.Form):
    response_days = forms.IntegerField(
        label="Days you take to answer a privacy request", min_value=1, max_value=90, initial=30,
        help_text="You can answer faster than a law requires, never slower: where your answer is longer than a "
                  "law allows, the policy states that law's own deadline.",
        error_messages={
            "required": "Enter how many days you take to answer a request.",
            "invalid": "Enter a whole number of days, like 30.",
            "min_value": "Enter at least 1 day.",
            "max_value": "Enter at most 90 days; the laws allow at most 3 months including extensions.",
        },
    )
    request_channels = Checkboxes(
        label="How people can make a privacy request", error_messages={"required": "Choose at least one way to make a request."},
    )
    control_panel_url = UrlInput(
        label="Customer control panel address", required=False, label_word="control panel address",
        help_text="Where customers can see, change or delete their own data, for example https://my.example.com.",
    )
    measures = Checkboxes(label="Security measures you take", required=False)
    other_measures = forms.CharField(
        label="Other security measures (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line, in a few words.",
    )
    breach_notice_hours = forms.IntegerField(
        label="Hours within which you notify the authority of a breach (optional)", required=False,
        min_value=1, max_value=8760,
        error_messages={"invalid": "Enter a whole number of hours, like 72.", "min_value": "Enter at least 1 hour.",
                        "max_value": "Enter at most 8760 hours (one year)."},
    )
    notice_days = forms.IntegerField(
        label="Days of notice before a change to the policy takes effect", min_value=0, max_value=365, initial=30,
        error_messages={"required": "Enter the days of notice (0 if none).", "invalid": "Enter a whole number of days, like 30.",
                        "min_value": "Enter 0 or more days.", "max_value": "Enter at most 365 days."},
    )
    notify_by = Checkboxes(label="How you tell people about changes", required=False)
    min_age = forms.IntegerField(
        label="Minimum age of customers", min_value=0, max_value=21, initial=16,
        error_messages={"required": "Enter the minimum age of customers.", "invalid": "Enter an age in whole years, like 16.",
                        "min_value": "Enter an age of 0 or more.", "max_value": "Enter an age of 21 or less."},
    )
    effective_date = forms.DateField(
        label="Date the policy takes effect (optional)", required=False,
        # A plain text box: a browser's date picker shows its locale's order (mm/dd/yyyy in the US)
        # while the answers, and this message, use year-month-day.
        input_formats=["%Y-%m-%d"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "YYYY-MM-DD"}),
        help_text="As year-month-day, for example 2026-11-23. Leave empty to use the day the policy is generated.",
        error_messages={"invalid": "Enter the date as year-month-day, like 2026-11-23."},
    )
    paper = Choice(label="Paper size for the PDF")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["request_channels"]).choices = choices(model.REQUEST_CHANNELS, "wizard_request_channels")
        cast(forms.ChoiceField, self.fields["measures"]).choices = choices(model.SECURITY_MEASURES, "wizard_security_measures")
        cast(forms.ChoiceField, self.fields["notify_by"]).choices = choices(model.NOTIFY_BY, "wizard_notify_by")
        cast(forms.ChoiceField, self.fields["paper"]).choices = choices(model.PAPER_SIZES, "wizard_paper")

    def clean_other_measures(self):
        lines = [line.strip() for line in self.cleaned_data["other_measures"].splitlines() if line.strip()]
        for line in lines:
            if len(line) > 200:
                raise ValidationError("Keep each measure under 200 characters.")
        return lines


class RightsStep(Step):
    slug = "rights"
    title = "Rights, security and changes"
    nav_title = "Rights and security"
    intro = "How people use their privacy rights, how you protect data, and how you announce changes to the policy."
    template = "wizard/steps/rights.html"
    answers_fields = ("rights", "control_panel_url", "security", "changes", "children", "policy")

    def is_done(self, answers):
        return "rights" in answers

    def forms(self, answers, data=None):
        rights = answers.get("rights") or {}
        security = answers.get("security") or {}
        changes = answers.get("changes") or {}
        policy = answers.get("policy") or {}
        measures = list(security.get("measures", ()))
        initial = {
            "response_days": rights.get("response_days", 30),
            "request_channels": rights.get("request_channels", ["email"]),
            "control_panel_url": answers.get("control_panel_url") or "",
            "measures": [m for m in measures if m in model.SECURITY_MEASURES],
            "other_measures": "\n".join(m for m in measures if m not in model.SECURITY_MEASURES),
            "breach_notice_hours": security.get("breach_notice_hours"),
            "notice_days": changes.get("notice_days", 30),
            "notify_by": changes.get("notify_by", ["email", "website"]),
            "min_age": (answers.get("children") or {}).get("min_age", 16),
            "effective_date": policy.get("effective_date") or "",
            "paper": policy.get("paper") or default_paper((answers.get("business") or {}).get("country")),
        }
        return Bundle(main=RightsForm(data, initial=initial))

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = deep_copy(answers)
        old_rights, old_security, old_changes = (answers.get(k) or {} for k in ("rights", "security", "changes"))
        new["rights"] = {"response_days": d["response_days"], "request_channels": in_owner_order(
            d["request_channels"], old_rights.get("request_channels"), model.REQUEST_CHANNELS)}
        put(new, "control_panel_url", d.get("control_panel_url"))
        measures = in_owner_order(d["measures"], old_security.get("measures"), model.SECURITY_MEASURES)
        measures += [m for m in d["other_measures"] if m not in measures]
        security = {"measures": measures}
        put(security, "breach_notice_hours", d.get("breach_notice_hours"))
        new["security"] = security
        new["changes"] = {"notice_days": d["notice_days"], "notify_by": in_owner_order(
            d["notify_by"], old_changes.get("notify_by"), model.NOTIFY_BY)}
        new["children"] = dict(new.get("children") or {}, min_age=d["min_age"])
        policy = dict(new.get("policy") or {})
        put(policy, "effective_date", d["effective_date"].isoformat() if d.get("effective_date") else None)
        policy["paper"] = d["paper"]
        policy.setdefault("language", "en")
        new["policy"] = policy
        return new

    def context(self, answers, bundle):
        form = bundle.main
        days = form.initial.get("response_days")
        if form.is_bound:
            typed = str(form.data.get("response_days", "")).strip()
            days = int(typed) if typed.isdigit() and 1 <= int(typed) <= 90 else days
        return {"response_periods": response_periods(answers, days), "response_days_shown": days}


# Where US Letter is the usual paper; A4 everywhere else.
LETTER_COUNTRIES = ("US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "DO", "PR")


def default_paper(country):
    """The paper a business in `country` most likely prints on."""
    return "Letter" if country in LETTER_COUNTRIES else "A4"


def response_periods(answers, days):
    """[{law, text, ...}] for each chosen law (or those suggested for the country): the response
    period its rights text will print for `days`, by generator.laws.response_period; an answer can
    shorten a law's deadline, never lengthen it."""
    registry = laws.get_laws()
    chosen = answers.get("jurisdictions") or applicability.laws_suggested((answers.get("business") or {}).get("country"))
    shim = SimpleNamespace(rights=model.Rights(response_days=days or 30))  # all response_period reads
    out = []
    for law_id in chosen:
        law = registry.get(law_id)
        if law is None:
            continue
        out.append({
            "law": law.short, "text": laws.response_period(law, shim),  # type: ignore[arg-type]  # shim: see above
            "max_days": law.response.max_days or "", "max_text": law.response.max_text,
            "working": "1" if law.response.working_days else "", "default_days": law.response.default_days or "",
        })
    return out
