"""Step 1, the business: who is responsible for the data, how to reach them, where they are
established (the German Land, Quebec), their DPO and their EU, UK and Swiss representatives."""
import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from generator import laws
from generator.laws import applicability
from generator.web import catalogue as cat_
from generator.web.catalogue import QUEBEC

from .base import (
    Bundle, Choice, EmailInput, Step, UrlInput, clean_url, deep_copy, labels, ordered, put, required_message, without_empty,
)


# The representatives the answers contract has a field for (business.<law>_representative).
REPRESENTATIVE_LAWS = ("eu", "uk", "ch")

class BusinessForm(forms.Form):
    legal_name = forms.CharField(
        label="Legal name", max_length=300, error_messages=required_message("the business's legal name"),
        help_text="As registered, for example “All-Ru Ltd”.",
    )
    trading_name = forms.CharField(label="Trading name (if different)", max_length=300, required=False)
    websites = forms.CharField(
        label="Websites this policy covers", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=required_message("at least one website"),
        help_text="One per line, for example https://www.example.com and https://my.example.com.",
    )
    company_number = forms.CharField(label="Company registration number", max_length=100, required=False)
    address = forms.CharField(
        label="Postal address", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required_message("the business's postal address"),
    )
    country = Choice(
        label="Country where the business is established",
        error_messages={"required": "Choose the country where the business is established."},
    )
    contact_email = EmailInput(
        label="Contact email for privacy questions", error_messages=required_message("an email address for privacy questions"),
    )
    contact_url = UrlInput(label="Contact page (optional)", required=False, label_word="contact page address")
    phone = forms.CharField(label="Phone (optional)", max_length=50, required=False)

    dpo_name = forms.CharField(label="Data protection officer's name", max_length=300, required=False)
    dpo_email = EmailInput(label="Data protection officer's email", required=False, label_word="email address for the DPO")
    dpo_address = forms.CharField(label="Data protection officer's address (optional)", max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    dpo_country = Choice(label="Data protection officer's country (optional)", required=False,
                         help_text="Only if the officer is established elsewhere than the business.")

    # Where in the country the business is established (business.region, ISO 3166-2): the German
    # Land chooses the supervisory authority; Quebec has its own private-sector Act.
    region_de = Choice(
        label="Land (federal state) where the business is established", required=False,
        help_text="A private company in Germany is supervised by the data protection authority of its Land "
                  "(§ 40 BDSG). Filled in from your postcode; change it if it is wrong.",
    )
    # the Land the page proposed from the postcode: left unchanged, it follows a new address
    region_suggested = forms.CharField(required=False, widget=forms.HiddenInput)
    region_ca = Choice(
        label="Province or territory where the business is established", required=False, widget=forms.RadioSelect,
        choices=[("CA-QC", "Quebec"), ("other", "Another province or territory")],
        help_text="An enterprise in Quebec is also subject to Quebec's Act respecting the protection of "
                  "personal information in the private sector, supervised by the Commission d'accès à l'information.",
    )

    # Set by the page: the country the representative questions were shown for, and "1" when the
    # script toggled them live (then nothing needs asking again).
    shown_for_country = forms.CharField(required=False, widget=forms.HiddenInput)
    js = forms.CharField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def representatives():
        """(law id, adjective, article, exemption) of each representative, worded in vocabulary.yaml."""
        words = labels("wizard_representatives")
        return [(law, words[f"{law}_who"], words[f"{law}_article"], words[f"{law}_exemption"]) for law in REPRESENTATIVE_LAWS]

    @staticmethod
    def representative_fields(short, who, article, exemption):
        """The name, address, email, country and exemption fields of one representative."""
        return {
            f"{short}_rep_name": forms.CharField(label=f"{who} representative's name", max_length=300, required=False),
            f"{short}_rep_address": forms.CharField(
                label=f"{who} representative's address", max_length=1000, required=False,
                widget=forms.Textarea(attrs={"rows": 2})),
            f"{short}_rep_email": EmailInput(label=f"{who} representative's email", required=False,
                                             label_word=f"email address for the {who} representative"),
            f"{short}_rep_country": Choice(label=f"{who} representative's country (optional)", required=False),
            f"{short}_rep_exempt": forms.BooleanField(
                label=f"The exemption applies to us: we have not appointed {article} {who} representative",
                required=False, help_text=exemption),
        }

    def __init__(self, *args, country_choices=cat_.Choices(()), rep_rule=None, land_choices=(), rep_country_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "Choose a country")] + country_choices
        cast(forms.ChoiceField, self.fields["region_de"]).choices = [("", "Choose a Land")] + list(land_choices)
        cast(forms.ChoiceField, self.fields["dpo_country"]).choices = [("", "Not given")] + country_choices
        for short, who, article, exemption in self.representatives():
            self.fields.update(self.representative_fields(short, who, article, exemption))
            cast(forms.ChoiceField, self.fields[f"{short}_rep_country"]).choices = [("", "Not given")] + list((rep_country_choices or {}).get(short, ()))
        self.rep_rule = rep_rule  # country -> {"eu": bool, "uk": bool, "ch": bool}

    def clean_websites(self):
        lines = [line.strip() for line in self.cleaned_data["websites"].replace(",", "\n").splitlines() if line.strip()]
        if not lines:
            raise ValidationError("Enter at least one website.")
        out, wrong = [], []
        for line in lines:
            try:
                url = clean_url(line, f"web address for “{line}”")
            except ValidationError:
                wrong.append(ValidationError(f"“{line}” is not a web address; enter it like https://www.example.com."))
                continue
            if url not in out:
                out.append(url)
        if wrong:
            raise ValidationError(wrong)  # every bad line at once, each its own message
        return out

    def _clean_region(self, data):
        """data["region"]: the German Land or CA-QC; data["region_explicit"]: whether the answers
        must say it (a Land the postcode gives is found again from the address, so it follows it)."""
        country = data.get("country")
        data["region"], data["region_explicit"] = None, False
        if country == "CA":
            data["region"] = QUEBEC if data.get("region_ca") == QUEBEC else None
            data["region_explicit"] = data["region"] is not None
        if country != "DE":
            return
        address = data.get("address") or ""
        from_postcode = laws.german_land(None, address)
        chosen = data.get("region_de")
        if chosen and chosen == data.get("region_suggested") and from_postcode:
            chosen = None  # the proposal was left as it was: follow the (possibly new) address
        land = chosen or from_postcode
        if not land:
            postcode = re.search(r"(?<!\d)(\d{5})(?!\d)", address)
            why = (f"the postcode {postcode.group(1)} in your address does not tell which Land (it is shared by two "
                   "Länder or not assigned to one)") if postcode else "your address has no German postcode to find it from"
            if "address" not in self.errors:
                self.add_error("region_de", f"Choose the Land (federal state) where the business is established: {why}.")
            return
        data["region"], data["region_explicit"] = land, land != from_postcode

    def clean(self):
        data = cast(dict[str, Any], super().clean())
        if any(data.get(f) for f in ("dpo_name", "dpo_address")) and not data.get("dpo_email"):
            self.add_error("dpo_email", "Enter an email address for the data protection officer, or leave all DPO fields empty.")
        self._clean_region(data)
        rule = self.rep_rule(data.get("country")) if self.rep_rule else {law: True for law in REPRESENTATIVE_LAWS}
        for short, who, *_ in self.representatives():
            if not rule.get(short):
                continue
            prefix = f"{short}_rep"
            values = {part: data.get(f"{prefix}_{part}") for part in ("name", "address", "email")}
            if any(values.values()):
                for part, value in values.items():
                    if not value and f"{prefix}_{part}" not in self.errors:
                        self.add_error(f"{prefix}_{part}", f"Enter the {who} representative's {part}, or leave all three empty.")
                address = data.get(f"{prefix}_address") or ""
                in_germany = data.get(f"{prefix}_country") == "DE" or re.search(r"\b(Germany|Deutschland)\b", address, re.I)
                if short == "eu" and address and in_germany and not laws.german_land(None, address) \
                        and f"{prefix}_address" not in self.errors:
                    # the Land of the representative's address chooses the competent authority
                    self.add_error(f"{prefix}_address", (
                        "Include the representative's German postcode in the address (one within a single Land): "
                        "its Land decides which data protection authority is competent."))
                if data.get(f"{prefix}_exempt"):
                    self.add_error(f"{prefix}_exempt", (
                        f"You named {'an' if who == 'EU' else 'a'} {who} representative: untick the exemption, "
                        "or empty the representative's fields."))
        return data


def _contact_initial(contact, prefix):
    contact = contact or {}
    return {f"{prefix}_{k}": contact.get(k, "") for k in ("name", "email", "address", "country")}


# (answers key, form prefix, law id) of each representative the business step asks about
REPRESENTATIVES = tuple((f"{law}_representative", f"{law}_rep", law) for law in REPRESENTATIVE_LAWS)


def _country_questions(country):
    """The business-step questions that depend on the country: representatives and the region."""
    needed = applicability.representatives_for_country(country)
    return {**{law: bool(needed.get(law)) for _, _, law in REPRESENTATIVES},
            "region_de": country == "DE", "region_ca": country == "CA"}


class BusinessStep(Step):
    slug = "business"
    title = "Your business"
    intro = "Who is responsible for the personal data, and how people can reach you."
    template = "wizard/steps/business.html"
    answers_fields = ("format", "business")

    def is_done(self, answers):
        return "business" in answers

    def forms(self, answers, data=None):
        cat = cat_.get_catalogues()
        b = answers.get("business", {})
        region = b.get("region") or ""
        suggested = "" if region else (laws.german_land(None, b.get("address")) or "")
        initial = {
            "legal_name": b.get("legal_name", ""),
            "trading_name": b.get("trading_name") or "",
            "websites": "\n".join(b.get("websites", ())),
            "company_number": b.get("company_number") or "",
            "address": b.get("address", ""),
            "country": b.get("country", ""),
            "contact_email": b.get("contact_email", ""),
            "contact_url": b.get("contact_url") or "",
            "phone": b.get("phone") or "",
            "region_de": laws.german_land(region, b.get("address")) or "",
            "region_suggested": suggested,
            "region_ca": ("CA-QC" if region == cat_.QUEBEC else "other") if b.get("country") == "CA" else "",
            **_contact_initial(b.get("dpo"), "dpo"),
        }
        for key, prefix, _ in REPRESENTATIVES:
            initial.update(_contact_initial(b.get(key), prefix))
            initial[f"{prefix}_exempt"] = bool(b.get(f"{key}_exempt"))
        form = BusinessForm(
            data, initial=initial, country_choices=cat_.country_choices(cat),
            rep_rule=lambda country: applicability.representatives_for_country(country, cat),
            land_choices=cat_.land_choices(cat),
            rep_country_choices={law: cat_.representative_country_choices(law, cat) for _, _, law in REPRESENTATIVES},
        )
        return Bundle(main=form)

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = deep_copy(answers)
        b = dict(new.get("business", {}))
        for key in ("legal_name", "trading_name", "websites", "company_number", "address", "country",
                    "contact_email", "contact_url", "phone"):
            put(b, key, d.get(key))
        dpo = without_empty({k: d.get(f"dpo_{k}") for k in ("name", "email", "address", "country")}) if d.get("dpo_email") else None
        put(b, "dpo", dpo)
        country = d["country"]
        old_region = b.get("region") or ""
        if d.get("region_explicit"):
            b["region"] = d["region"]
        elif country == "CA" and old_region.startswith("CA-") and old_region != cat_.QUEBEC:
            pass  # "another province": a province given in an uploaded file is kept
        elif country not in ("DE", "CA") and old_region.startswith(f"{country}-"):
            pass  # a subdivision the wizard does not ask about, from an uploaded file
        else:
            b.pop("region", None)
        needed = applicability.representatives_for_country(country)
        for key, prefix, law in REPRESENTATIVES:
            contact = without_empty({k: d.get(f"{prefix}_{k}") for k in ("name", "address", "email", "country")})
            put(b, key, contact if needed.get(law) and contact.get("name") else None)
            put(b, f"{key}_exempt", True if needed.get(law) and d.get(f"{prefix}_exempt") and not contact.get("name") else None)
        new["business"] = ordered(b, BUSINESS_ORDER)
        return new

    def context(self, answers, bundle):
        cat = cat_.get_catalogues()
        form = bundle.main
        country = form.data.get("country") if form.is_bound else (answers.get("business") or {}).get("country", "")
        shown = _country_questions(country)
        territories = applicability.representative_territories(cat)
        representatives = []
        words = labels("wizard_representatives")
        for key, prefix, law in REPRESENTATIVES:
            legend, help_text = words[f"{law}_legend"], words[f"{law}_help"]
            representatives.append({
                "law": law, "legend": legend, "help": help_text, "shown": shown[law],
                "inside": " ".join(territories.get(law, ())),
                "name": form[f"{prefix}_name"], "email": form[f"{prefix}_email"], "address": form[f"{prefix}_address"],
                "country": form[f"{prefix}_country"], "exempt": form[f"{prefix}_exempt"],
            })
        land = form["region_de"].value()
        authority = cat_.land_authorities(cat).get(land)
        return {
            "rep_country": country or "",
            "show_eu_rep": shown["eu"],
            "show_uk_rep": shown["uk"],
            "show_ch_rep": shown["ch"],
            "show_region_de": shown["region_de"],
            "show_region_ca": shown["region_ca"],
            "representatives": representatives,
            "land_authority": authority.name if authority else "",
            "eea_codes": " ".join(applicability.eea_codes()),
        }

    def after_save(self, old, new, bundle):
        d = bundle.main.cleaned_data
        if d.get("js") == "1":
            return None  # the script showed the right questions as the country changed
        before = _country_questions(d.get("shown_for_country") or "")
        now = _country_questions(new["business"]["country"])
        added = {key for key in now if now[key] and not before[key]}
        parts = []
        words = labels("wizard_representatives")
        reps = [f"{words[f'{law}_article']} {words[f'{law}_who']} representative" for _, _, law in REPRESENTATIVES if law in added]
        if reps:
            parts.append(f"the law may require {' and '.join(reps)}")
        if "region_de" in added:
            parts.append("your supervisory authority depends on your Land")
        if "region_ca" in added:
            parts.append("Quebec has its own privacy law")
        if parts:
            return (
                f"Saved. Because of the country you chose, {'; '.join(parts)}: "
                "please check the new questions below, then continue."
            )
        return None


BUSINESS_ORDER = (
    "legal_name", "trading_name", "websites", "company_number", "address", "country", "region", "contact_email",
    "contact_url", "phone", "dpo", "eu_representative", "eu_representative_exempt", "uk_representative",
    "uk_representative_exempt", "ch_representative", "ch_representative_exempt",
)

