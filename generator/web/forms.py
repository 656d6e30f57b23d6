"""Django forms for the wizard steps, and the small field types they share.

Forms here only validate what one page asks; how a step's answers map to and from the answers
document lives in steps.py, one function pair per step. Error messages are plain words: they are
shown next to the field (Django 5.2 ties them to it with aria-describedby, crispy-bootstrap5 gives
the message the matching id).
"""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from generator.answers import model

from generator import laws

from . import catalogue as cat_
from .catalogue import QUEBEC
from generator.answers.durations import KEYWORDS, Duration, is_duration

# The loader's own checks (generator/answers/loader.py), repeated so the wizard never saves a value
# the schema would refuse.
_EMAIL = re.compile(r"^[^@\s<>\"'`]+@[^@\s<>\"'`]+\.[^@\s<>\"'`]+$")
_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)

# --- labels for the fixed vocabularies --------------------------------------------------------

LEGAL_BASIS_LABELS = {
    "consent": "Consent",
    "contract": "Needed for the contract with the customer",
    "legal_obligation": "Required by law",
    "vital_interests": "To protect someone's life (vital interests)",
    "public_task": "A task in the public interest",
    "legitimate_interests": "Our legitimate interests",
}
COOKIE_PURPOSE_LABELS = {
    "strictly_necessary": "Strictly necessary",
    "preferences": "Preferences",
    "analytics": "Analytics",
    "marketing": "Marketing",
}
SAFEGUARD_LABELS = {
    "adequacy": "Adequacy decision (the destination country is recognised as safe)",
    "scc": "Standard contractual clauses (SCCs / the UK IDTA or Addendum)",
    "dpf": "EU-US Data Privacy Framework (and its UK and Swiss extensions)",
    "bcr": "Binding corporate rules",
    "consent": "The person's explicit consent",
    "contract": "Necessary for a contract with the person",
}
CHANNEL_LABELS = {
    "email": "Email",
    "control_panel": "In the customer control panel",
    "web_form": "A form on our website",
    "phone": "Phone",
    "post": "Post",
}
MEASURE_LABELS = {
    "tls": "Encryption in transit (TLS/HTTPS)",
    "password_hashing": "Passwords stored only as salted hashes",
    "encryption_at_rest": "Encryption of stored data",
    "access_control": "Access limited to staff who need it",
    "mfa_for_staff": "Multi-factor sign-in for staff",
    "staff_training": "Staff data-protection training",
    "background_checks": "Background checks for staff with access",
    "backups": "Regular backups",
    "vulnerability_management": "Patching and vulnerability scanning",
}
NOTIFY_LABELS = {"email": "By email", "website": "A notice on our website", "control_panel": "A notice in the control panel"}
EMAIL_MARKETING_LABELS = {
    "none": "We don't send marketing emails",
    "opt_in": "Only to people who opted in",
    "soft_opt_in": "To existing customers about similar services (soft opt-in), with an easy way to unsubscribe",
}
# answers `registrations` (generator/answers/answers.schema.json)
REGISTRATION_LABELS = {
    "ico": "We pay the ICO data protection fee (United Kingdom)",
    "roskomnadzor": "We have notified Roskomnadzor that we process personal data (Russia, 152-FZ Art. 22)",
    "roskomnadzor_transfers": "We have notified Roskomnadzor of our cross-border transfers (Russia, 152-FZ Art. 12)",
}
PAPER_LABELS = {"A4": "A4", "Letter": "US Letter"}


def choices(values, labels):
    return [(v, labels.get(v, v.replace("_", " ").capitalize())) for v in values]


# --- durations --------------------------------------------------------------------------------

_UNIT_WORDS = {
    "y": "Y", "yr": "Y", "yrs": "Y", "year": "Y", "years": "Y",
    "mo": "M", "mon": "M", "month": "M", "months": "M",
    "w": "W", "wk": "W", "wks": "W", "week": "W", "weeks": "W",
    "d": "D", "day": "D", "days": "D",
    "h": "TH", "hr": "TH", "hrs": "TH", "hour": "TH", "hours": "TH",
    "min": "TM", "mins": "TM", "minute": "TM", "minutes": "TM",
    "s": "TS", "sec": "TS", "secs": "TS", "second": "TS", "seconds": "TS",
}
_KEYWORD_WORDS = {
    "session": "session", "browser session": "session", "end of session": "session",
    "while active": "while_active", "while_active": "while_active", "while the account is open": "while_active",
    "while your account is open": "while_active", "while account is open": "while_active",
    "indefinite": "indefinite", "indefinitely": "indefinite", "forever": "indefinite",
}
DURATION_HELP = (
    "For example “6 years”, “12 weeks”, “30 days” or “1 year 6 months”; or “session”, "
    "“while active” (as long as the account is open) or “indefinite”."
)


def parse_duration_input(text):
    """What a person types -> a duration of the contract ("P6Y", "while_active"), or None."""
    raw = " ".join(str(text).strip().split())
    if not raw:
        return None
    lowered = raw.lower()
    if lowered in _KEYWORD_WORDS:
        return _KEYWORD_WORDS[lowered]
    if is_duration(raw.upper()) and raw.upper() not in KEYWORDS:
        return raw.upper()
    parts = re.findall(r"(\d+)\s*([a-z]+)", lowered.replace(",", " ").replace(" and ", " "))
    leftover = re.sub(r"(\d+)\s*([a-z]+)", "", lowered.replace(",", " ").replace(" and ", " ")).strip()
    if not parts or leftover:
        return None
    found = {}
    for count, unit in parts:
        key = _UNIT_WORDS.get(unit)
        if key is None or key in found:
            return None
        found[key] = int(count)
    date_part = "".join(f"{found[k]}{k}" for k in ("Y", "M", "W", "D") if k in found)
    time_part = "".join(f"{found[k]}{k[1]}" for k in ("TH", "TM", "TS") if k in found)
    iso = "P" + date_part + ("T" + time_part if time_part else "")
    return iso if is_duration(iso) else None


def format_duration_input(value):
    """A stored duration -> how the form shows it ("6 years", "while active")."""
    if not value:
        return ""
    if value == "while_active":
        return "while active"
    if value in KEYWORDS:
        return value
    if not is_duration(value):
        return value
    return Duration(value).words().replace(" and ", " ").replace(",", "")


class DurationInput(forms.CharField):
    default_error_messages = {
        "invalid": "Enter a period such as “6 years”, “12 weeks” or “30 days”, or one of: session, while active, indefinite.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DURATION_HELP)
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return format_duration_input(value) if value and is_duration(value) else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        parsed = parse_duration_input(value)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


# --- shared field helpers ---------------------------------------------------------------------

def clean_email(value, label="email address"):
    if not value:
        return value
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(f"Enter a valid {label}, like name@example.com.") from None
    if not _EMAIL.match(value):
        raise ValidationError(f"Enter a valid {label}, like name@example.com.")
    return value


def clean_url(value, label="web address"):
    """Accept "www.example.com" and add https://; refuse anything that is not a plain web address."""
    value = (value or "").strip()
    if not value:
        return value
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        value = "https://" + value
    if not _URL.match(value) or "." not in value.split("://", 1)[1].split("/", 1)[0]:
        raise ValidationError(f"Enter a {label} starting with https://, like https://www.example.com.")
    return value


class EmailInput(forms.CharField):
    widget = forms.EmailInput

    def __init__(self, label_word="email address", **kwargs):
        self.label_word = label_word
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def clean(self, value):
        return clean_email(super().clean(value), self.label_word)


class UrlInput(forms.CharField):
    widget = forms.URLInput

    def __init__(self, label_word="web address", **kwargs):
        self.label_word = label_word
        kwargs.setdefault("max_length", 200)  # the contract's bound on web addresses
        super().__init__(**kwargs)

    def clean(self, value):
        return clean_url(super().clean(value), self.label_word)


class Checkboxes(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


def required_message(what):
    return {"required": f"Enter {what}."}


# --- step 1: business ---------------------------------------------------------------------------

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
    country = forms.ChoiceField(
        label="Country where the business is established",
        error_messages={"required": "Choose the country where the business is established."},
    )
    contact_email = EmailInput(
        label="Contact email for privacy questions", error_messages=required_message("an email address for privacy questions"),
    )
    contact_url = UrlInput(label="Contact page (optional)", required=False, label_word="contact page address")
    phone = forms.CharField(label="Phone (optional)", max_length=50, required=False)

    dpo_name = forms.CharField(label="Name", max_length=300, required=False)
    dpo_email = EmailInput(label="Email", required=False, label_word="email address for the DPO")
    dpo_address = forms.CharField(label="Address (optional)", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    # Where in the country the business is established (business.region, ISO 3166-2): the German
    # Land chooses the supervisory authority; Quebec has its own private-sector Act.
    region_de = forms.ChoiceField(
        label="Land (federal state) where the business is established", required=False,
        help_text="A private company in Germany is supervised by the data protection authority of its Land "
                  "(§ 40 BDSG). Filled in from your postcode; change it if it is wrong.",
    )
    # the Land the page proposed from the postcode: left unchanged, it follows a new address
    region_suggested = forms.CharField(required=False, widget=forms.HiddenInput)
    region_ca = forms.ChoiceField(
        label="Province or territory where the business is established", required=False, widget=forms.RadioSelect,
        choices=[("CA-QC", "Quebec"), ("other", "Another province or territory")],
        help_text="An enterprise in Quebec is also subject to Quebec's Act respecting the protection of "
                  "personal information in the private sector, supervised by the Commission d'accès à l'information.",
    )

    # Set by the page: the country the representative questions were shown for, and "1" when the
    # script toggled them live (then nothing needs asking again).
    shown_for_country = forms.CharField(required=False, widget=forms.HiddenInput)
    js = forms.CharField(required=False, widget=forms.HiddenInput)

    # law id, the adjective, and when no representative is needed (the exemption the box records)
    REPRESENTATIVES = (
        ("eu", "EU", "an", "GDPR Art. 27(2): no representative is needed when the processing is only occasional, does "
                           "not include large-scale processing of sensitive or criminal-offence data, and is unlikely "
                           "to put people's rights at risk."),
        ("uk", "UK", "a", "UK GDPR Art. 27(2): no representative is needed when the processing is only occasional, "
                          "does not include large-scale processing of sensitive or criminal-offence data, and is "
                          "unlikely to put people's rights at risk."),
        ("ch", "Swiss", "a", "FADP Art. 14(1): a representative is needed only when the processing of data of people "
                             "in Switzerland is connected with offering them services, and is regular, extensive and "
                             "high-risk for them, all at once."),
    )

    @staticmethod
    def representative_fields(short, who, article, exemption):
        """The name, address, email, country and exemption fields of one representative."""
        return {
            f"{short}_rep_name": forms.CharField(label="Name", max_length=300, required=False),
            f"{short}_rep_address": forms.CharField(
                label="Address", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})),
            f"{short}_rep_email": EmailInput(label="Email", required=False,
                                             label_word=f"email address for the {who} representative"),
            f"{short}_rep_country": forms.ChoiceField(label="Country (optional)", required=False),
            f"{short}_rep_exempt": forms.BooleanField(
                label=f"The exemption applies to us: we have not appointed {article} {who} representative",
                required=False, help_text=exemption),
        }

    def __init__(self, *args, country_choices=(), rep_rule=None, land_choices=(), rep_country_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "Choose a country")] + list(country_choices)
        self.fields["region_de"].choices = [("", "Choose a Land")] + list(land_choices)
        for short, who, article, exemption in self.REPRESENTATIVES:
            self.fields.update(self.representative_fields(short, who, article, exemption))
            self.fields[f"{short}_rep_country"].choices = [("", "Not given")] + list((rep_country_choices or {}).get(short, ()))
        self.rep_rule = rep_rule  # country -> {"eu": bool, "uk": bool, "ch": bool}

    def clean_websites(self):
        lines = [line.strip() for line in self.cleaned_data["websites"].replace(",", "\n").splitlines() if line.strip()]
        if not lines:
            raise ValidationError("Enter at least one website.")
        out = []
        for line in lines:
            try:
                url = clean_url(line, f"web address for “{line}”")
            except ValidationError as exc:
                raise ValidationError(f"“{line}” is not a web address; enter it like https://www.example.com.") from exc
            if url not in out:
                out.append(url)
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
        data = super().clean()
        if any(data.get(f) for f in ("dpo_name", "dpo_address")) and not data.get("dpo_email"):
            self.add_error("dpo_email", "Enter an email address for the data protection officer, or leave all DPO fields empty.")
        self._clean_region(data)
        rule = self.rep_rule(data.get("country")) if self.rep_rule else {rep[0]: True for rep in self.REPRESENTATIVES}
        for short, who, *_ in self.REPRESENTATIVES:
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


# --- step 2: services --------------------------------------------------------------------------

class ServicesForm(forms.Form):
    services = Checkboxes(
        label="Which services do you sell?",
        error_messages={"required": "Choose at least one service."},
    )
    processor_for_customers = forms.BooleanField(
        label="We store websites, email or other data for customers on their instructions (as their data processor)",
        required=False,
    )

    def __init__(self, *args, service_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = list(service_choices)


# --- step 3: data -------------------------------------------------------------------------------

class DataForm(forms.Form):
    """One include-checkbox per catalogue category, with optional overrides of its purposes and basis."""

    categories = Checkboxes(
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
    marketing_email = forms.ChoiceField(label="Marketing emails", widget=forms.RadioSelect, initial="none")
    remarketing = forms.BooleanField(
        label="We show ads to past visitors on other sites (remarketing)", required=False,
    )
    sells_personal_data = forms.BooleanField(label="We sell or share personal data for money or ads", required=False)
    opt_out_url = UrlInput(
        label="Your “Do Not Sell or Share My Personal Information” page (optional)", required=False,
        label_word="web address for your opt-out page",
        help_text="California requires this page when you sell or share personal information, and remarketing or "
                  "advertising vendors (ad pixels) count as sharing. The policy links it; without it, the review "
                  "reports the policy as unfinished for California.",
    )
    order_fraud_screening = forms.BooleanField(
        label="Orders are accepted or refused automatically by fraud screening", required=False,
    )

    def __init__(self, *args, categories=(), purpose_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        self.fields["categories"].choices = [(c.id, c.name) for c in categories]
        self.fields["marketing_email"].choices = choices(model.EMAIL_MARKETING, EMAIL_MARKETING_LABELS)
        for cat in categories:
            self.fields[f"basis_{cat.id}"] = forms.ChoiceField(
                label=f"Legal basis for {cat.name.lower()}", required=False,
                choices=[("", f"Default: {LEGAL_BASIS_LABELS.get(cat.legal_basis, cat.legal_basis)}")]
                + choices(model.LEGAL_BASES, LEGAL_BASIS_LABELS),
            )
            self.fields[f"purposes_{cat.id}"] = Checkboxes(
                label=f"Why you use {cat.name.lower()}", required=False, choices=list(purpose_choices),
            )

    def category_rows(self):
        """(category, checkbox, basis field, purposes field) per category, for the template."""
        boxes = {cb.data["value"]: cb for cb in self["categories"]}
        return [(c, boxes[c.id], self[f"basis_{c.id}"], self[f"purposes_{c.id}"]) for c in self.categories]


class CustomDataForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Name of this kind of data", max_length=100)  # the contract's bound
    examples = forms.CharField(
        label="Examples (optional)", required=False, max_length=1000,
        help_text="Separate them with commas, for example “CCTV footage, visitor log”.",
    )
    purposes = Checkboxes(label="Why you use it", required=False)
    legal_basis = forms.ChoiceField(label="Legal basis", required=False)

    def __init__(self, *args, purpose_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purposes"].choices = list(purpose_choices)
        self.fields["legal_basis"].choices = [("", "Choose a legal basis")] + choices(model.LEGAL_BASES, LEGAL_BASIS_LABELS)
        self.fields["name"].error_messages["required"] = "Enter a name for this kind of data, or tick “Remove”."

    def clean_examples(self):
        return [e.strip() for e in self.cleaned_data["examples"].split(",") if e.strip()]

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("DELETE"):
            if not data.get("purposes"):
                self.add_error("purposes", "Choose at least one reason you use this data.")
            if not data.get("legal_basis"):
                self.add_error("legal_basis", "Choose the legal basis for this data.")
        return data


# --- step 4: processors -----------------------------------------------------------------------

RESTRICTED_LABEL = "We use {name} in restricted, non-targeting mode (for example Google's restricted data processing)"
RESTRICTED_HELP = (
    "Only if you have switched the vendor to a mode in which it does not use the data for targeted advertising: "
    "it then acts as a service provider under California law, not a third party you share data with."
)


class ProcessorsForm(forms.Form):
    processors = Checkboxes(label="Services you share personal data with", required=False)

    def __init__(self, *args, processor_choices=(), details=(), restrictable=(), country_choices=(), **kwargs):
        """details: (id, name) of the chosen catalogue processors, which get an entity and a country
        (their contracting entity, when it is not the one the catalogue gives); restrictable: (id,
        name) of the advertising and analytics processors, which get the restricted-mode box."""
        super().__init__(*args, **kwargs)
        self.fields["processors"].choices = list(processor_choices)
        for pid, name in details:
            self.fields[f"entity_{pid}"] = forms.CharField(
                label=f"Legal entity you contract with for {name}", max_length=300, required=False,
                help_text="As named in your contract or data processing agreement. Leave as it is if it is the same.",
            )
            self.fields[f"country_{pid}"] = forms.ChoiceField(
                label="Country where that entity is established", required=False,
                choices=[("", "Choose a country")] + list(country_choices),
            )
        for pid, name in restrictable:
            self.fields[f"restricted_{pid}"] = forms.BooleanField(
                label=RESTRICTED_LABEL.format(name=name), required=False, help_text=RESTRICTED_HELP,
            )

    def boxes(self):
        return {cb.data["value"]: cb for cb in self["processors"]}


class CustomProcessorForm(forms.Form):
    name = forms.CharField(label="Name", max_length=60)  # the contract's bound
    entity = forms.CharField(
        label="Legal entity you contract with (optional)", max_length=300, required=False,
        help_text="The company named in your contract, for example “Acme Backup GmbH”, if it differs from the name.",
    )
    purpose = forms.CharField(label="What you use it for", max_length=300)
    description = forms.CharField(
        label="What it does, as the policy should say it (optional)", max_length=500, required=False,
        help_text="For example “stores encrypted copies of our backups in a second data centre”. Without it the "
                  "policy uses what you use it for.",
    )
    country = forms.ChoiceField(label="Country where it is established")
    data = Checkboxes(label="Data it receives")
    privacy_url = UrlInput(label="Its privacy policy (optional)", required=False, label_word="privacy policy address")
    safeguard = forms.ChoiceField(label="Transfer safeguard (optional)", required=False)

    def __init__(self, *args, country_choices=(), data_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "Choose a country")] + list(country_choices)
        self.fields["data"].choices = list(data_choices)
        self.fields["safeguard"].choices = [("", "None or not needed")] + choices(model.SAFEGUARDS, SAFEGUARD_LABELS)
        self.fields["name"].error_messages["required"] = "Enter the processor's name, or tick “Remove”."
        self.fields["purpose"].error_messages["required"] = "Say what you use this processor for."
        self.fields["country"].error_messages["required"] = "Choose the country where the processor is established."
        self.fields["data"].error_messages["required"] = "Choose at least one kind of data it receives."


# --- step 5: cookies ----------------------------------------------------------------------------

class CookiesForm(forms.Form):
    banner = forms.BooleanField(
        label="We ask visitors for consent before setting cookies that are not strictly necessary (a cookie banner)",
        required=False,
    )


class CookieForm(forms.Form):
    name = forms.CharField(label="Cookie name", max_length=200)
    purpose = forms.ChoiceField(label="Purpose")
    duration = DurationInput(label="How long it lasts", help_text="For example “session”, “30 minutes”, “14 days” or “1 year”.")
    exemption = forms.ChoiceField(
        label="Why it needs no consent (only without a cookie banner)", required=False,
        choices=[("", "No exemption: asked in the cookie banner"),
                 ("requested_by_user", "Set only when the visitor asks for it (for example a language they choose), used for nothing else")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", "Choose a purpose")] + choices(model.COOKIE_PURPOSES, COOKIE_PURPOSE_LABELS)
        self.fields["name"].error_messages["required"] = "Enter the cookie's name, or tick “Remove”."
        self.fields["purpose"].error_messages["required"] = "Choose what the cookie is for."
        self.fields["duration"].error_messages["required"] = "Enter how long the cookie lasts."


# --- step 6: retention --------------------------------------------------------------------------

class RetentionForm(forms.Form):
    data_id = forms.CharField(widget=forms.HiddenInput)
    retention = DurationInput(label="How long you keep it")
    retention_after = DurationInput(
        label="Kept for this long after that (optional)", required=False,
        help_text="Only with “while active”, for example “30 days” after the account closes.",
    )
    retention_starts = forms.CharField(
        label="The period starts when (optional)", required=False, max_length=300,
        help_text="In words, to complete “… after …”, for example “your account is closed”.",
    )
    retention_reason = forms.CharField(
        label="Why you keep it that long (optional)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, category_name="", hint=None, **kwargs):
        self.hint = hint  # current legal periods for this category (clauses/catalogues/data_categories.yaml)
        super().__init__(*args, **kwargs)
        self.category_name = category_name
        self.fields["retention"].error_messages["required"] = f"Enter how long you keep {category_name.lower() or 'this data'}."

    def clean(self):
        data = super().clean()
        if data.get("retention_after") and data.get("retention") not in (None, "while_active"):
            self.add_error(
                "retention_after",
                "A period after the end only makes sense with “while active”; leave this empty or change the period above.",
            )
        return data


# --- step 7: jurisdictions and transfers -------------------------------------------------------

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

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdictions"].choices = choices(model.LAWS, cat_.law_labels())
        self.fields["storage_locations"].choices = [("EEA", "Somewhere in the EEA")] + list(country_choices)
        self.fields["safeguards"].choices = choices(model.SAFEGUARDS, SAFEGUARD_LABELS)
        self.fields["registrations"].choices = list(REGISTRATION_LABELS.items())

    def storage_boxes(self):
        return {cb.data["value"]: cb for cb in self["storage_locations"]}


# --- step 8: rights, security, changes --------------------------------------------------------

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
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to use the day the policy is generated.",
        error_messages={"invalid": "Enter a date like 2026-11-23."},
    )
    paper = forms.ChoiceField(label="Paper size for the PDF", initial="A4")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_channels"].choices = choices(model.REQUEST_CHANNELS, CHANNEL_LABELS)
        self.fields["measures"].choices = choices(model.SECURITY_MEASURES, MEASURE_LABELS)
        self.fields["notify_by"].choices = choices(model.NOTIFY_BY, NOTIFY_LABELS)
        self.fields["paper"].choices = choices(model.PAPER_SIZES, PAPER_LABELS)

    def clean_other_measures(self):
        lines = [line.strip() for line in self.cleaned_data["other_measures"].splitlines() if line.strip()]
        for line in lines:
            if len(line) > 200:
                raise ValidationError("Keep each measure under 200 characters.")
        return lines

    def clean(self):
        data = super().clean()
        if "control_panel" in (data.get("request_channels") or ()) and not data.get("control_panel_url"):
            if "control_panel_url" not in self.errors:
                self.add_error("control_panel_url", "Enter the control panel's address, since requests can be made there.")
        return data


# --- landing: upload --------------------------------------------------------------------------

class UploadForm(forms.Form):
    answers_file = forms.FileField(
        label="Answers file (YAML or JSON)",
        error_messages={"required": "Choose an answers file to upload.", "empty": "The file is empty."},
    )
