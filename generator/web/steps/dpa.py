"""Step 9, the customer data processing agreement: its form and its slice of the answers (`dpa`,
docs/answers.md "The customer DPA").

The step is shown only to a business that sells a service storing its customers' data
(services.yaml hosts_customer_data); for every other business it is skipped. Its defaults are the
contract's own (generator.answers.model.Dpa), each lawful on its own; saving the step records that
the business chose them (dpa.terms_confirmed), which the DPA report asks for until then.
"""
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from generator.answers import model
from generator.laws import get_laws
from generator.library import get_catalogues
from generator.resolve import Facts

from .. import catalogue as cat_
from .. import services
from .base import Bundle, Checkboxes, Choice, Step, UrlInput, choices, deep_copy, field_help, field_label, in_owner_order, put

DEFAULTS = model.Dpa()


def _days(key, maximum, initial, with_help=True):
    return forms.IntegerField(
        label=field_label(key), min_value=1, max_value=maximum, initial=initial,
        help_text=field_help(key) if with_help else "",
        error_messages={
            "required": "Enter a number of days.", "invalid": "Enter a whole number of days, like 30.",
            "min_value": "Enter at least 1 day.", "max_value": f"Enter at most {maximum} days.",
        },
    )


class DpaForm(forms.Form):
    subprocessor_notice_days = _days("dpa.subprocessor_notice_days", 365, DEFAULTS.subprocessor_notice_days)
    objection_days = _days("dpa.objection_days", 365, DEFAULTS.objection_days)
    breach_notice_hours = forms.IntegerField(
        label=field_label("dpa.breach_notice_hours"), required=False, min_value=1, max_value=720,
        help_text=field_help("dpa.breach_notice_hours"),
        error_messages={"invalid": "Enter a whole number of hours, like 24.", "min_value": "Enter at least 1 hour.",
                        "max_value": "Enter at most 720 hours."},
    )
    no_subprocessors_confirmed = forms.BooleanField(
        label=field_label("dpa.no_subprocessors_confirmed"), required=False,
        help_text=field_help("dpa.no_subprocessors_confirmed"),
    )
    subprocessor_list_url = UrlInput(
        label=field_label("dpa.subprocessor_list_url"), required=False, label_word="web address of your list",
        help_text=field_help("dpa.subprocessor_list_url"),
    )
    audit = Choice(label=field_label("dpa.audit"), widget=forms.RadioSelect, initial=DEFAULTS.audit)
    audit_notice_days = _days("dpa.audit_notice_days", 180, DEFAULTS.audit_notice_days, with_help=False)
    acceptance = Choice(label=field_label("dpa.acceptance"), widget=forms.RadioSelect, initial=DEFAULTS.acceptance)
    scc_governing_law = Choice(label=field_label("dpa.scc_governing_law"), required=False,
                               help_text=field_help("dpa.scc_governing_law"))
    scc_forum = Choice(label=field_label("dpa.scc_forum"), required=False, help_text=field_help("dpa.scc_forum"))
    # the measures on customers' data: their own answer, never read from the security step's ticks,
    # which describe the business's own systems (counsel review of the DPA, second round, M3)
    measures = Checkboxes(label=field_label("dpa.measures"), required=False, help_text=field_help("dpa.measures"))
    measures_text = forms.CharField(
        label=field_label("dpa.measures_text"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}), help_text=field_help("dpa.measures_text"),
        error_messages={"max_length": "Keep this under 2000 characters."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["audit"]).choices = choices(model.DPA_AUDIT, "wizard_dpa_audit")
        cast(forms.ChoiceField, self.fields["acceptance"]).choices = choices(model.DPA_ACCEPTANCE, "wizard_dpa_acceptance")
        cast(forms.ChoiceField, self.fields["measures"]).choices = choices(model.SECURITY_MEASURES, "wizard_security_measures")
        member_states = cat_.representative_country_choices("eu")  # the EU and EEA states (Clauses 17, 18)
        cast(forms.ChoiceField, self.fields["scc_governing_law"]).choices = [("", "Not chosen yet")] + member_states
        cast(forms.ChoiceField, self.fields["scc_forum"]).choices = [("", "The same state's courts")] + member_states

    def clean_subprocessor_list_url(self):
        url = self.cleaned_data.get("subprocessor_list_url") or ""
        if url and not url.lower().startswith("https://"):
            raise ValidationError("Enter the web address of your list starting with https://.")
        return url

    def clean(self):
        data = cast(dict[str, Any], super().clean())
        notice, window = data.get("subprocessor_notice_days"), data.get("objection_days")
        if notice and window and window >= notice:
            self.add_error("objection_days", ValidationError(
                f"Make this fewer than {notice} days, the notice you give: the customer's objection must come "
                "in time to find a solution or end the services before the change."))
        return data


def hosts_customer_data(answers):
    """Whether a service the answers sell stores customers' data (the DPA applies)."""
    services_catalogue = get_catalogues().services
    return any(services_catalogue[s].hosts_customer_data for s in answers.get("services") or () if s in services_catalogue)


def _customer_hours_from_security(answers):
    """The security step's breach hours, offered here only below 72: 72 hours is the controller's own
    window towards the authority (Art. 33(1)), never a notice period to customers (counsel, M1). Only
    a suggestion shown in this form: the agreement reads the hours saved here (second round, n9)."""
    hours = (answers.get("security") or {}).get("breach_notice_hours")
    return hours if isinstance(hours, int) and hours < 72 else None


SCC_FIELDS = ("scc_governing_law", "scc_forum")


def sccs_relevant(answers):
    """Whether the customer's disclosure of its data to the business is a GDPR transfer that the EU
    standard contractual clauses cover (or nothing covers yet): a business outside the EEA and not
    in an adequate country. Only then do the clauses' governing law and courts matter. A draft that
    does not load yet is judged by its country and laws; an answer already given is always shown."""
    if any(key in (answers.get("dpa") or {}) for key in SCC_FIELDS):
        return True
    if "eu" not in (answers.get("jurisdictions") or ()):
        return False
    result = services.validate(answers)
    if result.answers is not None:
        own, mechanism = Facts(result.answers, get_catalogues()).own_transfer(get_laws()["eu"])
        return own and (mechanism is None or mechanism.id == "scc")
    country = get_catalogues().countries.get((answers.get("business") or {}).get("country") or "")
    return bool(country and not country.eea and not country.eu_adequacy)


class DpaStep(Step):
    slug = "dpa"
    title = "Data processing agreement for your customers"
    nav_title = "Customer DPA"
    intro = ("You store your customers' data for them, so you are their processor and must offer them a data "
             "processing agreement. These answers set its terms; everything else comes from your other answers. "
             "Saving this step confirms the terms below, suggested values included, as your own.")
    template = "wizard/steps/dpa.html"
    answers_fields = ("dpa",)

    def applies(self, answers):
        return hosts_customer_data(answers)

    def is_done(self, answers):
        # the contract's defaults are lawful terms of their own: past the rights step, the DPA is complete
        return "dpa" in answers or "rights" in answers

    def forms(self, answers, data=None):
        saved = answers.get("dpa") or {}
        initial = {
            "subprocessor_notice_days": saved.get("subprocessor_notice_days", DEFAULTS.subprocessor_notice_days),
            "objection_days": saved.get("objection_days", DEFAULTS.objection_days),
            "breach_notice_hours": saved.get("breach_notice_hours") or _customer_hours_from_security(answers),
            "audit": saved.get("audit", DEFAULTS.audit),
            "audit_notice_days": saved.get("audit_notice_days", DEFAULTS.audit_notice_days),
            "acceptance": saved.get("acceptance", DEFAULTS.acceptance),
            "measures_text": saved.get("measures_text") or "",
            # suggested from the security step until the business saves its own choice here (M3)
            "measures": list(saved["measures"]) if "measures" in saved else [
                m for m in (answers.get("security") or {}).get("measures") or () if m in model.SECURITY_MEASURES],
            "no_subprocessors_confirmed": bool(saved.get("no_subprocessors_confirmed")),
            "scc_governing_law": saved.get("scc_governing_law") or "",
            "scc_forum": saved.get("scc_forum") or "",
            "subprocessor_list_url": saved.get("subprocessor_list_url") or "",
        }
        form = DpaForm(data, initial=initial)
        if not sccs_relevant(answers):
            for key in SCC_FIELDS:
                del form.fields[key]
        return Bundle(main=form)

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = deep_copy(answers)
        before = answers.get("dpa") or {}
        dpa = {}
        for key in ("subprocessor_notice_days", "objection_days", "audit", "audit_notice_days", "acceptance"):
            # a default the answers did not state is left to the contract's own default, so an
            # answers file passes through the step unchanged
            if key in before or d[key] != getattr(DEFAULTS, key):
                dpa[key] = d[key]
        # what the business saves here is the agreement's only source for these two (n9, M3): the
        # suggestions from the security step count once saved, and "none ticked" is an answer
        put(dpa, "breach_notice_hours", d.get("breach_notice_hours"))
        suggested = (answers.get("security") or {}).get("measures")
        dpa["measures"] = in_owner_order(d["measures"], before.get("measures", suggested), model.SECURITY_MEASURES)
        put(dpa, "measures_text", (d.get("measures_text") or "").strip())
        put(dpa, "subprocessor_list_url", d.get("subprocessor_list_url"))
        if d.get("no_subprocessors_confirmed"):
            dpa["no_subprocessors_confirmed"] = True
        for key in SCC_FIELDS:
            if key in bundle.main.fields:
                put(dpa, key, d.get(key) or None)
        # saving this step is the business's choice of the acceptance mode and periods shown in it,
        # defaults included: only then does the DPA report stop calling them unconfirmed (counsel, m7)
        dpa["terms_confirmed"] = True
        put(new, "dpa", dpa)
        return new

    def context(self, answers, bundle):
        """The sub-processors the agreement will list, from the processors step, when the answers are complete."""
        sccs = SCC_FIELDS[0] in bundle.main.fields
        result = services.validate(answers)
        if result.answers is None:
            return {"subprocessors": None, "sccs": sccs}
        return {"subprocessors": [p.name for p in Facts(result.answers, get_catalogues()).subprocessors], "sccs": sccs}
