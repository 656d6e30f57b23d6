"""The wizard step for the customer data processing agreement: its form and its slice of the
answers (`dpa`, docs/answers.md "The customer DPA"), in one module.

The step is shown only to a business that sells a service storing its customers' data
(services.yaml hosts_customer_data); for every other business it is skipped. Its defaults are the
contract's own (generator.answers.model.Dpa), each lawful on its own.
"""
import copy

from django import forms
from django.core.exceptions import ValidationError

from generator.answers import model

from . import catalogue as cat_
from . import services
from .forms import choices
from .steps import Bundle, Step, _put

AUDIT_LABELS = {
    "reports_first": "Reports and certifications first; an inspection when they do not answer the customer's question",
    "inspection_on_request": "An inspection whenever the customer asks, with notice",
}
ACCEPTANCE_LABELS = {
    "online": "Online: customers accept it when ordering or in the control panel (you keep a record)",
    "signature": "Signed: both parties sign a copy, on paper or electronically",
    "terms": "Part of the terms of service: accepted with them, without a separate signature",
}
DEFAULTS = model.Dpa()


def _days(label, maximum, initial, help_text=""):
    return forms.IntegerField(
        label=label, min_value=1, max_value=maximum, initial=initial, help_text=help_text,
        error_messages={
            "required": "Enter a number of days.", "invalid": "Enter a whole number of days, like 30.",
            "min_value": "Enter at least 1 day.", "max_value": f"Enter at most {maximum} days.",
        },
    )


class DpaForm(forms.Form):
    subprocessor_notice_days = _days(
        "Days of notice before you add or replace a sub-processor", 365, DEFAULTS.subprocessor_notice_days,
        "Customers are told by email; the law fixes no number (GDPR Art. 28(2)), 30 days is common.")
    objection_days = _days(
        "Days the customer has to object after the notice", 365, DEFAULTS.objection_days,
        "At most the days of notice, so an objection always comes before the change.")
    breach_notice_hours = forms.IntegerField(
        label="Hours within which you tell customers of a breach (optional)", required=False, min_value=1, max_value=720,
        help_text="Leave empty to promise the legal standard, 'without undue delay'. Customers have 72 hours to tell "
                  "their authority, so promise well under 72.",
        error_messages={"invalid": "Enter a whole number of hours, like 24.", "min_value": "Enter at least 1 hour.",
                        "max_value": "Enter at most 720 hours."},
    )
    audit = forms.ChoiceField(label="How customers audit you", widget=forms.RadioSelect, initial=DEFAULTS.audit)
    audit_notice_days = _days("Days of notice before an inspection", 180, DEFAULTS.audit_notice_days)
    acceptance = forms.ChoiceField(
        label="How customers accept the agreement", widget=forms.RadioSelect, initial=DEFAULTS.acceptance)
    measures_text = forms.CharField(
        label="Your security measures in your own words (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Printed as written at the end of the Annex, after the measures you ticked in the Rights and "
                  "security step; for example your data centre's physical security.",
        error_messages={"max_length": "Keep this under 2000 characters."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audit"].choices = choices(model.DPA_AUDIT, AUDIT_LABELS)
        self.fields["acceptance"].choices = choices(model.DPA_ACCEPTANCE, ACCEPTANCE_LABELS)

    def clean(self):
        data = super().clean()
        notice, window = data.get("subprocessor_notice_days"), data.get("objection_days")
        if notice and window and window > notice:
            self.add_error("objection_days", ValidationError(
                f"Make this at most {notice} days, the notice you give: the customer must be able to object "
                "before the change."))
        return data


def hosts_customer_data(answers):
    """Whether a service the answers sell stores customers' data (the DPA applies)."""
    services_catalogue = cat_.get_catalogues().services
    return any(services_catalogue[s].hosts_customer_data for s in answers.get("services") or () if s in services_catalogue)


class DpaStep(Step):
    slug = "dpa"
    title = "Data processing agreement for your customers"
    nav_title = "Customer DPA"
    intro = ("You store your customers' data for them, so you are their processor and must offer them a data "
             "processing agreement. These answers set its terms; everything else comes from your other answers.")
    template = "wizard/steps/dpa.html"

    def applies(self, answers):
        return hosts_customer_data(answers)

    def is_done(self, answers):
        return "dpa" in answers

    def forms(self, answers, data=None):
        saved = answers.get("dpa") or {}
        initial = {
            "subprocessor_notice_days": saved.get("subprocessor_notice_days", DEFAULTS.subprocessor_notice_days),
            "objection_days": saved.get("objection_days", DEFAULTS.objection_days),
            "breach_notice_hours": saved.get("breach_notice_hours"),
            "audit": saved.get("audit", DEFAULTS.audit),
            "audit_notice_days": saved.get("audit_notice_days", DEFAULTS.audit_notice_days),
            "acceptance": saved.get("acceptance", DEFAULTS.acceptance),
            "measures_text": saved.get("measures_text") or "",
        }
        return Bundle(main=DpaForm(data, initial=initial))

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = copy.deepcopy(answers)
        dpa = {key: d[key] for key in ("subprocessor_notice_days", "objection_days", "audit", "audit_notice_days", "acceptance")}
        _put(dpa, "breach_notice_hours", d.get("breach_notice_hours"))
        _put(dpa, "measures_text", (d.get("measures_text") or "").strip())
        new["dpa"] = dpa
        return new

    def context(self, answers, bundle):
        """The sub-processors the agreement will list, from the processors step, when the answers are complete."""
        from generator.library import get_catalogues
        from generator.resolve import Facts

        result = services.validate(answers)
        if not result.ok:
            return {"subprocessors": None}
        return {"subprocessors": [p.name for p in Facts(result.answers, get_catalogues()).subprocessors]}
