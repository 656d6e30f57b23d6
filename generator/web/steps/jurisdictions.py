"""Step 7, laws and transfers: the laws the policy answers to, where data is stored, transfer
safeguards, registrations and Quebec's questions."""
from typing import cast

from django import forms

from generator.answers import model
from generator.laws import applicability
from generator.web import catalogue as cat_

from .base import Bundle, Checkboxes, Step, boxes, choices, deep_copy, in_owner_order, put


class JurisdictionsForm(forms.Form):
    jurisdictions = Checkboxes(
        label="Which privacy laws should the policy cover?",
        error_messages={"required": "Choose at least one law."},
    )
    storage_locations = Checkboxes(
        label="Where are your servers that keep personal data?",
        error_messages={"required": "Choose at least one country where personal data is stored."},
    )
    safeguards = Checkboxes(label="How are transfers outside the EEA, UK and Switzerland protected?", required=False)
    registrations = Checkboxes(label="Regulators you have registered with or notified (optional)", required=False)
    quebec_assessment = forms.BooleanField(
        label="We assess the privacy impact before communicating personal information outside Quebec", required=False,
        help_text="Quebec's private-sector Act s. 17: the assessment weighs the information's sensitivity, the purpose, "
                  "the protection it will get and the law where it goes. The policy says so only when you tick this.",
    )
    quebec_governance_policy = forms.BooleanField(
        label="We have adopted and published a governance policy for personal information", required=False,
        help_text="Quebec's private-sector Act s. 3.2: the rules on keeping and destroying personal information, "
                  "staff roles and complaints. The policy summarises it only when you tick this.",
    )
    quebec_shown = forms.CharField(required=False, widget=forms.HiddenInput)
    safeguards_shown = forms.CharField(required=False, widget=forms.HiddenInput)
    js = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, country_choices=cat_.Choices(()), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["jurisdictions"]).choices = choices(model.LAWS, cat_.law_labels())
        cast(forms.ChoiceField, self.fields["storage_locations"]).choices = [("EEA", "Somewhere in the EEA")] + country_choices
        cast(forms.ChoiceField, self.fields["safeguards"]).choices = choices(model.SAFEGUARDS, "wizard_safeguards")
        cast(forms.ChoiceField, self.fields["registrations"]).choices = choices(model.REGISTRATIONS, "wizard_registrations")

    def storage_boxes(self):
        return boxes(self["storage_locations"])


class JurisdictionsStep(Step):
    slug = "jurisdictions"
    title = "Laws and where data is kept"
    nav_title = "Laws and transfers"
    intro = "Which privacy laws the policy answers to, where your servers are, and how data sent abroad is protected."
    template = "wizard/steps/jurisdictions.html"
    answers_fields = ("storage_locations", "transfers", "jurisdictions", "registrations", "quebec_governance_policy")

    def is_done(self, answers):
        return "jurisdictions" in answers and "storage_locations" in answers

    def forms(self, answers, data=None):
        cat = cat_.get_catalogues()
        country = (answers.get("business") or {}).get("country")
        initial = {
            "jurisdictions": answers.get("jurisdictions") or applicability.laws_suggested(country, cat),
            "storage_locations": answers.get("storage_locations") or ([country] if country else []),
            "safeguards": (answers.get("transfers") or {}).get("safeguards", []),
            "registrations": answers.get("registrations", []),
            "quebec_assessment": bool((answers.get("transfers") or {}).get("quebec_assessment")),
            "quebec_governance_policy": bool(answers.get("quebec_governance_policy")),
        }
        return Bundle(main=JurisdictionsForm(data, initial=initial, country_choices=cat_.country_choices(cat)))

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = deep_copy(answers)
        new["jurisdictions"] = in_owner_order(d["jurisdictions"], answers.get("jurisdictions"), model.LAWS)
        new["storage_locations"] = list(d["storage_locations"])
        transfers = dict(new.get("transfers") or {})
        quebec = "ca" in new["jurisdictions"]
        if applicability.transfers_apply(new):
            put(transfers, "safeguards", in_owner_order(d.get("safeguards", ()), transfers.get("safeguards"), model.SAFEGUARDS))
        # otherwise the question is not asked, and safeguards an uploaded file states are kept
        put(transfers, "quebec_assessment", True if quebec and d.get("quebec_assessment") else None)
        put(new, "transfers", transfers)
        put(new, "quebec_governance_policy", True if quebec and d.get("quebec_governance_policy") else None)
        put(new, "registrations", in_owner_order(d.get("registrations", ()), answers.get("registrations"), model.REGISTRATIONS))
        return new

    def context(self, answers, bundle):
        cat = cat_.get_catalogues()
        form = bundle.main
        storage = form.data.getlist("storage_locations") if form.is_bound else answers.get("storage_locations")
        if not storage and not form.is_bound:
            country = (answers.get("business") or {}).get("country")
            storage = [country] if country else []
        boxes = form.storage_boxes()
        common = [boxes[c] for c in ("EEA", *cat_.COMMON_STORAGE) if c in boxes]
        common_set = {"EEA", *cat_.COMMON_STORAGE}
        others = [box for code, box in boxes.items() if code not in common_set]
        country = (answers.get("business") or {}).get("country")
        proc_countries = applicability.processor_countries(answers, cat)
        return {
            "suggested_laws": [cat_.law_labels()[law] for law in applicability.laws_suggested(country, cat)],
            "business_country": cat_.country_label(country, cat) if country else "",
            "common_boxes": common,
            "other_boxes": others,
            "others_open": any(c not in common_set for c in (storage or ())),
            "show_safeguards": applicability.transfers_apply(answers, storage=storage or (), cat=cat),
            "processors_transfer": applicability.leaves_safe_zone(proc_countries, cat),
            "outside_countries": [cat_.country_label(c, cat) for c in proc_countries if c not in applicability.safe_zone(cat)],
            "safe_codes": " ".join(sorted(applicability.safe_zone(cat))),
            "show_quebec": "ca" in self._laws(answers, form),
        }

    @staticmethod
    def _laws(answers, form):
        if form.is_bound:
            return form.data.getlist("jurisdictions")
        return form.initial.get("jurisdictions") or ()

    def after_save(self, old, new, bundle):
        d = bundle.main.cleaned_data
        if d.get("js") == "1":
            return None
        if d.get("safeguards_shown") != "1" and applicability.transfers_apply(new):
            return (
                "Saved. Some personal data is kept or sent outside the EEA, the UK and Switzerland: "
                "please say below how those transfers are protected, then continue."
            )
        if d.get("quebec_shown") != "1" and "ca" in new["jurisdictions"]:
            return "Saved. Because you chose Canada, please answer the questions about Quebec below, then continue."
        return None
