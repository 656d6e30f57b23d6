"""Step 3, data: the kinds of personal data collected, their purposes and legal bases, marketing
and automated decisions."""
import re
from typing import Any, cast

from django import forms

from generator.answers import model
from generator.laws import applicability
from generator.web import catalogue as cat_

from .base import (
    Bundle, Checkboxes, Choice, DurationInput, Step, UrlInput, boxes, choices, deep_copy, formset, keep_owner_order,
    labels, ordered, put,
)


class DataForm(forms.Form):
    """One include-checkbox per catalogue category, with optional overrides of its purposes and basis."""

    # the field moves to base_fields; on a form, `categories` is the list __init__ sets
    categories: list[Any] = Checkboxes(  # type: ignore[assignment]
        label="What personal data do you collect?", required=False,
    )
    call_recording = forms.BooleanField(label="We record support phone calls", required=False)
    call_recording_retention = DurationInput(
        label="How long you keep call recordings", required=False,
        help_text="For example “90 days”. The policy prints this period; without it, the report asks for it.",
    )
    email_tracking = forms.BooleanField(
        label="Our marketing emails record opens and clicks (tracking pixels or tracked links)", required=False,
        help_text="This needs the recipient's consent, separately from consent to the emails.",
    )
    vat_oss = forms.BooleanField(
        label="We sell to consumers in other EU countries and declare VAT through the One-Stop-Shop", required=False,
        help_text="EU VAT law then requires the sales records and the evidence of each customer's country to be kept 10 years.",
    )
    marketing_email = Choice(label="Marketing emails", widget=forms.RadioSelect, initial="none")
    remarketing = forms.BooleanField(
        label="We show ads to past visitors on other sites (remarketing)", required=False,
        help_text="For example Google Ads or Meta remarketing tags on your website.",
    )
    # Selling and sharing are two questions under California law; sharing (data given for
    # advertising on other sites) follows from remarketing and advertising processors, so it is not
    # asked but shown (generator.laws.applicability.shares_for_advertising).
    sells_personal_data = forms.BooleanField(
        label="We sell personal data", required=False,
        help_text="Selling means giving personal data to another company for money or anything else of value, for "
                  "example renting out a customer list; using a processor that works for you is not selling.",
    )
    opt_out_url = UrlInput(
        label="Your “Do Not Sell or Share My Personal Information” page (optional)", required=False,
        label_word="web address for your opt-out page",
        help_text="California requires this page when you sell or share personal information. The policy links it; "
                  "without it, the review reports the policy as unfinished for California.",
    )
    order_fraud_screening = forms.BooleanField(
        label="Orders are accepted or refused automatically by fraud screening", required=False,
    )

    def __init__(self, *args, categories=(), purpose_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        cast(forms.ChoiceField, self.fields["categories"]).choices = [(c.id, c.name) for c in categories]
        cast(forms.ChoiceField, self.fields["marketing_email"]).choices = choices(model.EMAIL_MARKETING, "wizard_email_marketing")
        for cat in categories:
            self.fields[f"basis_{cat.id}"] = Choice(
                label=f"Legal basis for {cat.name.lower()}", required=False,
                choices=[("", f"Default: {labels('wizard_legal_bases').get(cat.legal_basis, cat.legal_basis)}")]
                + choices(model.LEGAL_BASES, "wizard_legal_bases"),
            )
            self.fields[f"purposes_{cat.id}"] = Checkboxes(
                label=f"Why you use {cat.name.lower()}", required=False, choices=list(purpose_choices),
            )

    def category_rows(self):
        """(category, checkbox, basis field, purposes field) per category, for the template."""
        by_value = boxes(self["categories"])
        return [(c, by_value[c.id], self[f"basis_{c.id}"], self[f"purposes_{c.id}"]) for c in self.categories]


class CustomDataForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Name of this kind of data", max_length=100)  # the contract's bound
    examples = forms.CharField(
        label="Examples (optional)", required=False, max_length=1000,
        help_text="Separate them with commas, for example “CCTV footage, visitor log”.",
    )
    description = forms.CharField(
        label="What it is, as the policy should say it (optional)", required=False, max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One sentence for the list of data you collect, for example “Recordings from the cameras at our "
                  "data centre entrance.” Without it the policy lists the name and examples.",
    )
    source = Choice(label="Where it comes from (optional)", required=False)
    purposes = Checkboxes(label="Why you use it", required=False)
    legal_basis = Choice(label="Legal basis", required=False)

    def __init__(self, *args, purpose_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["purposes"]).choices = list(purpose_choices)
        cast(forms.ChoiceField, self.fields["legal_basis"]).choices = [("", "Choose a legal basis")] + choices(model.LEGAL_BASES, "wizard_legal_bases")
        cast(forms.ChoiceField, self.fields["source"]).choices = [("", "Not said")] + choices(DATA_SOURCES, "wizard_data_sources")
        self.fields["name"].error_messages["required"] = "Enter a name for this kind of data, or tick “Remove”."

    def clean_examples(self):
        return [e.strip() for e in self.cleaned_data["examples"].split(",") if e.strip()]

    def clean(self):
        data = cast(dict[str, Any], super().clean())
        if data.get("name") and not data.get("DELETE"):
            if not data.get("purposes"):
                self.add_error("purposes", "Choose at least one reason you use this data.")
            if not data.get("legal_basis"):
                self.add_error("legal_basis", "Choose the legal basis for this data.")
        return data


# Who gives a kind of data (as the catalogue's `source`); the contract takes any words, the wizard these.
DATA_SOURCES = ("you", "automatic", "third_parties")


class PurposeBasisForm(forms.Form):
    """One `purposes` override: the legal basis for one purpose of one kind of data."""

    data = Choice(label="Data")  # type: ignore[assignment]  # moved to base_fields: Form.data is not shadowed
    purpose = Choice(label="Purpose")
    legal_basis = Choice(label="Legal basis for this purpose")

    def __init__(self, *args, data_choices=(), purpose_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["data"]).choices = [("", "Choose the data")] + list(data_choices)
        cast(forms.ChoiceField, self.fields["purpose"]).choices = [("", "Choose the purpose")] + list(purpose_choices)
        cast(forms.ChoiceField, self.fields["legal_basis"]).choices = [("", "Choose a legal basis")] + choices(model.LEGAL_BASES, "wizard_legal_bases")
        self.fields["data"].error_messages["required"] = "Choose the data this legal basis is for, or tick “Remove”."
        self.fields["purpose"].error_messages["required"] = "Choose the purpose this legal basis is for."
        self.fields["legal_basis"].error_messages["required"] = "Choose the legal basis for this purpose."


def _slug(text):
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not s or not s[0].isalpha():
        s = "data_" + s
    return s[:60].rstrip("_")


class DataStep(Step):
    slug = "data"
    title = "Personal data you collect"
    nav_title = "Data"
    intro = (
        "Tick every kind of personal data you collect. Those your services usually need are ticked "
        "to start with; untick what you don't collect. How long you keep each is asked later."
    )
    template = "wizard/steps/data.html"
    answers_fields = ("data", "purposes", "marketing", "automated_decisions", "vat_oss")

    def is_done(self, answers):
        return "data" in answers

    def forms(self, answers, data=None):
        cat = cat_.get_catalogues()
        # derived categories (customer backups, call recordings, OSS records) follow other answers
        categories = [c for c in cat.data_categories.values() if not c.derived]
        purposes = cat_.purpose_choices(cat)
        entries = {d["id"]: d for d in answers.get("data", ())}
        if "data" in answers:
            chosen = [i for i in entries if i in cat.data_categories]
        else:
            chosen = cat_.suggested_data(answers.get("services"), cat)
        marketing = answers.get("marketing") or {}
        initial = {
            "categories": chosen,
            "call_recording": bool((entries.get("support") or {}).get("call_recording")),
            "call_recording_retention": (entries.get("support") or {}).get("call_recording_retention", ""),
            "email_tracking": bool(marketing.get("email_tracking")),
            "vat_oss": bool(answers.get("vat_oss")),
            "marketing_email": marketing.get("email", "none"),
            "remarketing": bool(marketing.get("remarketing")),
            "sells_personal_data": bool(marketing.get("sells_personal_data")),
            "opt_out_url": marketing.get("opt_out_url") or "",
            "order_fraud_screening": bool((answers.get("automated_decisions") or {}).get("order_fraud_screening")),
        }
        for c in categories:
            entry = entries.get(c.id, {})
            initial[f"basis_{c.id}"] = entry.get("legal_basis", "")
            initial[f"purposes_{c.id}"] = list(entry.get("purposes") or c.purposes)
        main = DataForm(data, initial=initial, categories=categories, purpose_choices=purposes)
        customs = [
            {"id": d["id"], "name": d.get("name", ""), "examples": ", ".join(d.get("examples", ())),
             "purposes": d.get("purposes", []), "legal_basis": d.get("legal_basis", ""),
             "description": d.get("description") or "", "source": d.get("source") or ""}
            for d in answers.get("data", ()) if d["id"] not in cat.data_categories
        ]
        FS = formset(CustomDataForm, extra=1)
        rows = FS(data, initial=customs, prefix="custom", form_kwargs={"purpose_choices": purposes})
        data_choices = [(c.id, c.name) for c in categories] + [
            (d["id"], d.get("name") or d["id"]) for d in answers.get("data", ()) if d["id"] not in cat.data_categories]
        bases = formset(PurposeBasisForm, extra=1)(
            data, initial=[{k: p.get(k, "") for k in ("data", "purpose", "legal_basis")} for p in answers.get("purposes", ())],
            prefix="basis", form_kwargs={"data_choices": data_choices, "purpose_choices": purposes})
        return Bundle(main=main, rows=rows, rows_label="Other data",
                      more_rows={"purposes": (bases, "Legal basis for a purpose")})

    def apply(self, answers, bundle):
        cat = cat_.get_catalogues()
        d = bundle.main.cleaned_data
        new = deep_copy(answers)
        old = {item["id"]: item for item in answers.get("data", ())}
        data = []
        for cid in [c for c in cat.data_categories if c in d["categories"]]:
            entry = dict(old.get(cid, {"id": cid}))
            default = cat.data_categories[cid]
            put(entry, "legal_basis", d.get(f"basis_{cid}") or None)
            chosen = d.get(f"purposes_{cid}") or []
            put(entry, "purposes", chosen if set(chosen) != set(default.purposes) else None)
            if cid == "support":
                put(entry, "call_recording", True if d.get("call_recording") else None)
                put(entry, "call_recording_retention", d.get("call_recording_retention") if d.get("call_recording") else None)
            data.append(entry)
        taken = set(cat.data_categories) | {e["id"] for e in data}
        for form in bundle.rows.forms:
            c = form.cleaned_data
            if not c or c.get("DELETE") or not c.get("name"):
                continue
            ident = c.get("id") if c.get("id") in old and c.get("id") not in cat.data_categories else None
            if not ident:
                base = ident = _slug(c["name"])
                n = 2
                while ident in taken:
                    ident, n = f"{base}_{n}", n + 1
            taken.add(ident)
            entry = dict(old.get(ident, {}))
            entry.update({"id": ident, "name": c["name"]})
            put(entry, "examples", c.get("examples"))
            put(entry, "purposes", c.get("purposes"))
            put(entry, "legal_basis", c.get("legal_basis") or None)
            put(entry, "description", (c.get("description") or "").strip() or None)
            put(entry, "source", c.get("source") or None)
            data.append(ordered(entry, ("id", "name", "description", "examples", "source", "purposes", "legal_basis")))
        new["data"] = keep_owner_order(data, answers.get("data"), key=lambda e: e["id"])
        # Drop references to data that is no longer collected, so the document stays valid.
        kept = {e["id"] for e in data}
        overrides = []
        for form in bundle.more_rows["purposes"][0].forms:
            c = form.cleaned_data
            if c and not c.get("DELETE") and c.get("data") in kept and c.get("purpose"):
                overrides.append({"data": c["data"], "purpose": c["purpose"], "legal_basis": c["legal_basis"]})
        put(new, "purposes", overrides)
        for proc in new.get("processors", ()):
            if "data" in proc and "id" not in proc:
                proc["data"] = [x for x in proc["data"] if x in kept]
        marketing = dict(new.get("marketing") or {})
        marketing.update({
            "email": d.get("marketing_email") or "none",
            "remarketing": bool(d.get("remarketing")),
            "sells_personal_data": bool(d.get("sells_personal_data")),
        })
        put(marketing, "opt_out_url", d.get("opt_out_url"))
        put(marketing, "email_tracking", True if d.get("email_tracking") and d.get("marketing_email") not in (None, "", "none") else None)
        new["marketing"] = marketing
        put(new, "vat_oss", True if d.get("vat_oss") else None)
        auto = dict(new.get("automated_decisions") or {})
        auto["order_fraud_screening"] = bool(d.get("order_fraud_screening"))
        new["automated_decisions"] = auto
        return new

    def context(self, answers, bundle):
        cat = cat_.get_catalogues()
        suggested = cat_.suggested_data(answers.get("services"), cat)
        return {
            "advertising_recipients": applicability.advertising_recipients(answers, cat),
            "categories": {c.id: c for c in cat.data_categories.values()},
            "suggested": suggested,
            "not_yet_chosen_suggestions": [
                cat.data_categories[s].name for s in suggested
                if "data" in answers and s in cat.data_categories and s not in {d["id"] for d in answers["data"]}
            ],
        }
