"""The answers document as typed, immutable Python objects.

The rest of the code reads answers through these classes, never through raw dicts, so a renamed or
mistyped field fails loudly in one place. `from_dict` expects a document that has already passed
the JSON Schema (see loader.py); `to_dict` gives back the canonical document for YAML export.
"""
from collections.abc import Collection
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .durations import Duration

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

FORMAT = "privacy-policy-answers/1"

# A parsed YAML/JSON mapping: free-form until the schema and from_dict have checked it.
JSON = dict[str, Any]

LAWS = ("eu", "uk", "ch", "us_ca", "br", "ca", "ru", "au")
LEGAL_BASES = ("consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests")
COOKIE_PURPOSES = ("strictly_necessary", "preferences", "analytics", "marketing")
COOKIE_EXEMPTIONS = ("requested_by_user",)  # why a non-essential cookie needs no consent
SERVICES = (
    "shared_hosting", "vps", "dedicated_servers", "domains", "ssl_certificates", "email_hosting",
    "website_builder", "managed_wordpress", "backups", "reseller_hosting", "colocation",
)
SAFEGUARDS = ("adequacy", "scc", "dpf", "bcr", "consent", "contract")
REQUEST_CHANNELS = ("email", "control_panel", "web_form", "phone", "post")
SECURITY_MEASURES = (
    "tls", "password_hashing", "encryption_at_rest", "access_control", "mfa_for_staff",
    "staff_training", "background_checks", "backups", "vulnerability_management",
)
EMAIL_MARKETING = ("none", "opt_in", "soft_opt_in")
NOTIFY_BY = ("email", "website", "control_panel")
PAPER_SIZES = ("A4", "Letter")
LANGUAGES = ("en",)
DPA_AUDIT = ("reports_first", "inspection_on_request")
DPA_ACCEPTANCE = ("online", "signature", "terms")
REGISTRATIONS = ("roskomnadzor", "roskomnadzor_transfers", "ico")  # regulators the business has notified or registered with


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    email: str | None = None
    address: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Business:
    legal_name: str
    websites: tuple[str, ...]
    address: str
    country: str
    contact_email: str
    trading_name: str | None = None
    company_number: str | None = None
    contact_url: str | None = None
    phone: str | None = None
    dpo: Contact | None = None
    eu_representative: Contact | None = None
    uk_representative: Contact | None = None
    ch_representative: Contact | None = None
    region: str | None = None  # ISO 3166-2 subdivision (DE-BY, CA-QC)
    eu_representative_exempt: bool = False  # relies on GDPR Art. 27(2)
    uk_representative_exempt: bool = False
    ch_representative_exempt: bool = False

    @property
    def display_name(self) -> str:
        return self.trading_name or self.legal_name


@dataclass(frozen=True)
class Roles:
    processor_for_customers: bool = False


@dataclass(frozen=True)
class DataItem:
    """A data category the business collects: a catalogue id, optionally overridden, or custom."""

    id: str
    name: str | None = None
    examples: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    legal_basis: str | None = None
    retention: Duration | None = None
    retention_after: Duration | None = None
    retention_starts: str | None = None
    retention_reason: str | None = None
    call_recording: bool | None = None
    call_recording_retention: Duration | None = None  # how long call recordings are kept
    description: str | None = None  # printed in the list of data collected (custom categories)
    source: str | None = None  # you | automatic | third_parties, as in the catalogue
    custom: bool = False


@dataclass(frozen=True)
class PurposeOverride:
    data: str
    purpose: str
    legal_basis: str | None = None


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    duration: Duration
    provider: str | None = None
    description: str | None = None
    exemption: str | None = None  # why a non-essential cookie needs no consent (no banner)


@dataclass(frozen=True)
class ProcessorRef:
    """A recipient: a catalogue id, or an inline custom entry with the catalogue's fields."""

    id: str | None = None
    name: str | None = None
    entity: str | None = None
    group: str | None = None
    description: str | None = None
    purpose: str | None = None
    country: str | None = None
    data: tuple[str, ...] = ()
    privacy_url: str | None = None
    safeguard: str | None = None
    transfer_countries: tuple[str, ...] = ()
    cookies: tuple[Cookie, ...] = ()
    restricted_processing: bool = False  # ad/analytics vendor in its restricted, non-targeting mode (CCPA)

    @property
    def is_custom(self) -> bool:
        return self.id is None


@dataclass(frozen=True)
class Cookies:
    banner: bool = False
    items: tuple[Cookie, ...] = ()


@dataclass(frozen=True)
class Transfers:
    safeguards: tuple[str, ...] = ()
    quebec_assessment: bool = False  # assessed before communicating outside Quebec (s. 17)


@dataclass(frozen=True)
class AutomatedDecisions:
    order_fraud_screening: bool = False


@dataclass(frozen=True)
class Marketing:
    email: str = "none"
    remarketing: bool = False
    sells_personal_data: bool = False
    email_tracking: bool = False  # marketing emails record opens and clicks (pixels, tracked links)
    opt_out_url: str | None = None  # California "Do Not Sell or Share" page


@dataclass(frozen=True)
class Rights:
    response_days: int = 30
    request_channels: tuple[str, ...] = ("email",)


@dataclass(frozen=True)
class Security:
    measures: tuple[str, ...] = ()
    breach_notice_hours: int | None = None


@dataclass(frozen=True)
class Children:
    min_age: int = 16


@dataclass(frozen=True)
class Changes:
    notice_days: int = 30
    notify_by: tuple[str, ...] = ("email", "website")


@dataclass(frozen=True)
class Dpa:
    """The customer DPA's own answers. Each default is a lawful choice: Art. 28 fixes no number of
    days, and the breach notice defaults to the legal standard itself ("without undue delay")."""

    subprocessor_notice_days: int = 30
    objection_days: int = 14  # within the notice period, so an objection comes before the change
    audit: str = "reports_first"  # reports and certifications first; inspections stay available (Art. 28(3)(h))
    audit_notice_days: int = 30
    breach_notice_hours: int | None = None  # None: "without undue delay", Art. 33(2)
    acceptance: str = "online"  # online | signature | terms
    measures_text: str | None = None  # the business's own description of its measures, for the Annex
    # the security measures (SECURITY_MEASURES ids) applied to customers' data on the services the
    # business manages, for the Annex; None: not yet stated. security.measures speaks of the
    # business's own systems and is never read as this (counsel review of the DPA, second round, M3)
    measures: tuple[str, ...] | None = field(default=None, metadata={"keep_empty": True})
    # "we use no sub-processors" is printed only on this explicit answer (counsel review of the DPA, C3)
    no_subprocessors_confirmed: bool = False
    # the EU standard contractual clauses' Clause 17 (option 1) law and Clause 18 courts: an EEA state's
    # code; without the law the clauses are not yet incorporated (counsel review of the DPA, C2)
    scc_governing_law: str | None = None
    scc_forum: str | None = None  # None: the courts of the governing law's state
    # where the public list of sub-processors is (https); printed as text, never as a link
    subprocessor_list_url: str | None = None
    # the business has saved the DPA step, so the acceptance mode and the periods above are its
    # choice, not HostPolicy's defaults; until then the DPA report asks for it (counsel review of the DPA, m7)
    terms_confirmed: bool = False


@dataclass(frozen=True)
class PolicyMeta:
    effective_date: date | None = None  # None: the day the policy is generated
    language: str = "en"
    paper: str = "A4"


@dataclass(frozen=True)
class Answers:
    business: Business
    roles: Roles
    services: tuple[str, ...]
    data: tuple[DataItem, ...]
    processors: tuple[ProcessorRef, ...]
    cookies: Cookies
    storage_locations: tuple[str, ...]
    jurisdictions: tuple[str, ...]
    format: str = FORMAT
    control_panel_url: str | None = None
    purposes: tuple[PurposeOverride, ...] = ()
    transfers: Transfers = field(default_factory=Transfers)
    automated_decisions: AutomatedDecisions = field(default_factory=AutomatedDecisions)
    marketing: Marketing = field(default_factory=Marketing)
    rights: Rights = field(default_factory=Rights)
    security: Security = field(default_factory=Security)
    children: Children = field(default_factory=Children)
    changes: Changes = field(default_factory=Changes)
    policy: PolicyMeta = field(default_factory=PolicyMeta)
    dpa: Dpa = field(default_factory=Dpa)
    registrations: tuple[str, ...] = ()
    quebec_governance_policy: bool = False  # governance policy adopted under Quebec s. 3.2
    vat_oss: bool = False  # sells to consumers in other EU states under the VAT One-Stop-Shop

    def data_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.data)


# -- conversion ------------------------------------------------------------------------------

def _contact(value: JSON | None) -> Contact | None:
    return Contact(**value) if value else None


def _cookie(value: JSON) -> Cookie:
    return Cookie(
        name=value["name"], purpose=value["purpose"], duration=Duration(value["duration"]),
        provider=value.get("provider"), description=value.get("description"),
        exemption=value.get("exemption"),
    )


def _duration(value: str | None) -> Duration | None:
    return Duration(value) if value else None


def _data_item(value: JSON, known_data_ids: Collection[str]) -> DataItem:
    # retention_after is either a period ("P30D") or, as the spec's example shows, the event that
    # starts the clock ("service termination"); keep both meanings without renaming the field.
    after = value.get("retention_after")
    starts = value.get("retention_starts")
    from .durations import is_duration

    if after is not None and not is_duration(after):
        starts, after = starts or after, None
    return DataItem(
        id=value["id"],
        name=value.get("name"),
        examples=tuple(value.get("examples", ())),
        purposes=tuple(value.get("purposes", ())),
        legal_basis=value.get("legal_basis"),
        retention=_duration(value.get("retention")),
        retention_after=_duration(after),
        retention_starts=starts,
        retention_reason=value.get("retention_reason"),
        call_recording=value.get("call_recording"),
        call_recording_retention=_duration(value.get("call_recording_retention")),
        description=value.get("description"),
        source=value.get("source"),
        custom=value["id"] not in known_data_ids,
    )


def _processor(value: JSON) -> ProcessorRef:
    return ProcessorRef(
        id=value.get("id"),
        name=value.get("name"),
        entity=value.get("entity"),
        group=value.get("group"),
        description=value.get("description"),
        purpose=value.get("purpose"),
        country=value.get("country"),
        data=tuple(value.get("data", ())),
        privacy_url=value.get("privacy_url"),
        safeguard=value.get("safeguard"),
        transfer_countries=tuple(value.get("transfer_countries", ())),
        cookies=tuple(_cookie(c) for c in value.get("cookies", ())),
        restricted_processing=value.get("restricted_processing", False),
    )


def from_dict(doc: JSON, known_data_ids: Collection[str] = ()) -> Answers:
    """Build Answers from a schema-valid document (catalogue aliases already resolved)."""
    b = doc["business"]
    business = Business(
        legal_name=b["legal_name"], websites=tuple(b["websites"]), address=b["address"],
        country=b["country"], contact_email=b["contact_email"], trading_name=b.get("trading_name"),
        company_number=b.get("company_number"), contact_url=b.get("contact_url"), phone=b.get("phone"),
        dpo=_contact(b.get("dpo")), eu_representative=_contact(b.get("eu_representative")),
        uk_representative=_contact(b.get("uk_representative")),
        ch_representative=_contact(b.get("ch_representative")),
        region=b.get("region"),
        eu_representative_exempt=b.get("eu_representative_exempt", False),
        uk_representative_exempt=b.get("uk_representative_exempt", False),
        ch_representative_exempt=b.get("ch_representative_exempt", False),
    )
    cookies = doc["cookies"]
    policy = doc.get("policy", {})
    effective = policy.get("effective_date")
    if isinstance(effective, str):
        effective = date.fromisoformat(effective)
    rights = doc.get("rights", {})
    security = doc.get("security", {})
    changes = doc.get("changes", {})
    marketing = doc.get("marketing", {})
    return Answers(
        format=doc["format"],
        business=business,
        roles=Roles(**doc["roles"]),
        services=tuple(doc["services"]),
        control_panel_url=doc.get("control_panel_url"),
        data=tuple(_data_item(d, known_data_ids) for d in doc["data"]),
        purposes=tuple(PurposeOverride(**p) for p in doc.get("purposes", ())),
        processors=tuple(_processor(p) for p in doc["processors"]),
        cookies=Cookies(banner=cookies.get("banner", False), items=tuple(_cookie(c) for c in cookies.get("items", ()))),
        storage_locations=tuple(doc["storage_locations"]),
        transfers=Transfers(
            safeguards=tuple(doc.get("transfers", {}).get("safeguards", ())),
            quebec_assessment=doc.get("transfers", {}).get("quebec_assessment", False),
        ),
        jurisdictions=tuple(doc["jurisdictions"]),
        automated_decisions=AutomatedDecisions(**doc.get("automated_decisions", {})),
        marketing=Marketing(**{k: v for k, v in marketing.items()}),
        rights=Rights(
            response_days=rights.get("response_days", 30),
            request_channels=tuple(rights.get("request_channels", ("email",))),
        ),
        security=Security(
            measures=tuple(security.get("measures", ())), breach_notice_hours=security.get("breach_notice_hours")
        ),
        children=Children(**doc.get("children", {})),
        changes=Changes(
            notice_days=changes.get("notice_days", 30), notify_by=tuple(changes.get("notify_by", ("email", "website")))
        ),
        registrations=tuple(doc.get("registrations", ())),
        dpa=_dpa(doc.get("dpa", {})),
        vat_oss=bool(doc.get("vat_oss", False)),
        quebec_governance_policy=bool(doc.get("quebec_governance_policy", False)),
        policy=PolicyMeta(effective_date=effective, language=policy.get("language", "en"), paper=policy.get("paper", "A4")),
    )


def _dpa(dpa: JSON) -> Dpa:
    measures = dpa.get("measures")
    return Dpa(**{**dpa, "measures": tuple(measures) if measures is not None else None})


def to_dict(value: Any) -> Any:
    """The canonical document: dataclasses to plain data, empty optionals left out."""
    if isinstance(value, Duration):
        return value.text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [to_dict(v) for v in value]
    if is_dataclass(value):
        out: JSON = {}
        for f in fields(value):
            if f.name == "custom":
                continue
            v = getattr(value, f.name)
            if v is None or (v == () and not f.metadata.get("keep_empty")):  # an answered "none of these" stays
                continue
            out[f.name] = to_dict(v)
        return out
    return value


def field_paths(cls: "type[DataclassInstance] | DataclassInstance" = Answers, prefix: str = "") -> set[str]:
    """Every dotted field path of the model, for the clause lint ("business.legal_name")."""
    import typing

    paths: set[str] = set()
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        path = prefix + f.name
        paths.add(path)
        for arg in (hints[f.name], *typing.get_args(hints[f.name])):
            if is_dataclass(arg) and arg not in (Duration,):
                paths |= field_paths(arg, path + ".")
    return paths
