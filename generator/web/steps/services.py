"""Step 2, services: what the business sells, which suggests its data and processors."""
from typing import Any, cast

from django import forms

from generator.web import catalogue as cat_

from .base import Bundle, Checkboxes, Step, boxes, deep_copy, in_owner_order


class ServicesForm(forms.Form):
    services = Checkboxes(label="Which services do you sell?", required=False)
    # The contract allows no services: a business whose website is all the policy covers.
    no_services = forms.BooleanField(
        label="We sell none of these: the policy covers our website only", required=False,
    )
    processor_for_customers = forms.BooleanField(
        label="We store websites, email or other data for customers on their instructions (as their data processor)",
        required=False,
    )

    def __init__(self, *args, service_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["services"]).choices = list(service_choices)

    def clean(self):
        data = cast(dict[str, Any], super().clean())
        if not data.get("services") and not data.get("no_services") and "services" not in self.errors:
            self.add_error("services", "Choose at least one service, or tick “We sell none of these”.")
        if data.get("services") and data.get("no_services"):
            self.add_error("no_services", "Untick this, or untick the services above: you chose some.")
        return data


class ServicesStep(Step):
    slug = "services"
    title = "Your services"
    intro = "What you sell decides which data and which other companies the policy has to mention."
    template = "wizard/steps/services.html"
    answers_fields = ("roles", "services")

    def is_done(self, answers):
        return "services" in answers

    def forms(self, answers, data=None):
        roles = answers.get("roles") or {}
        initial = {
            "services": answers.get("services", []),
            "no_services": "services" in answers and not answers["services"],
            "processor_for_customers": roles.get("processor_for_customers", True),
        }
        return Bundle(main=ServicesForm(data, initial=initial, service_choices=cat_.service_choices()))

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = deep_copy(answers)
        order = [sid for sid, _ in cat_.service_choices()]
        new["services"] = in_owner_order(d["services"], answers.get("services"), order)
        roles = dict(new.get("roles") or {})
        roles["processor_for_customers"] = bool(d["processor_for_customers"])
        new["roles"] = roles
        return new

    def context(self, answers, bundle):
        cat = cat_.get_catalogues()
        descriptions = {s.id: s.description for s in cat.services.values()}
        return {"service_rows": [(box, descriptions.get(value, "")) for value, box in boxes(bundle.main["services"]).items()]}
