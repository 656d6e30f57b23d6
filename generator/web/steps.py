"""The wizard's steps: what each asks, when it applies, and how its forms map to and from its slice
of the answers document (format privacy-policy-answers/1).

Each step is one class with four plain methods and no request handling:
  - `applies(answers)`: whether the step is shown at all (steps that don't apply are skipped);
  - `forms(answers, data)`: its forms, filled from the answers (GET) or bound to posted data;
  - `apply(answers, forms)`: a new answers dict with this step's slice replaced; everything the
    step does not ask about is kept as it was, so fields from an uploaded file survive the wizard;
  - `context(answers, forms)`: what the template shows beside the forms.
This is the one place where form fields and answers fields meet.
"""
import copy
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from django import forms as djforms

from generator import laws
from generator.answers import model
from generator.answers.durations import is_duration

from . import catalogue as cat_
from . import forms as f


def _clean(d):
    """Drop keys whose value is empty (None, "", [], {}): optional fields are left out, not nulled."""
    return {k: v for k, v in d.items() if v not in (None, "", [], {}, ())}


def _put(d, key, value):
    if value in (None, "", [], {}, ()):
        d.pop(key, None)
    else:
        d[key] = value


class RemoveFormSet(djforms.BaseFormSet):
    """Formset whose delete box reads "Remove this row" and whose forms get per-row kwargs."""

    row_kwargs = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this row"

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if self.row_kwargs and index is not None and index < len(self.row_kwargs):
            kwargs.update(self.row_kwargs[index])
        return kwargs


def formset(form, extra=1, can_delete=True):
    return djforms.formset_factory(
        form, formset=RemoveFormSet, extra=extra, can_delete=can_delete, max_num=100, validate_max=True, absolute_max=200,
    )


@dataclass
class Bundle:
    """The forms of one step page: a main form and optionally one formset."""

    main: djforms.Form | None = None
    rows: djforms.BaseFormSet | None = None
    extra: dict = field(default_factory=dict)

    def is_valid(self):
        ok = self.main.is_valid() if self.main is not None else True
        if self.rows is not None:
            ok = self.rows.is_valid() and ok
        return ok

    def error_summary(self):
        """(element id, label, message) for every error, for the summary at the top of the page."""
        out = []

        def from_form(form, prefix=""):
            for error in form.non_field_errors():
                out.append(("", prefix.rstrip(": "), error))
            for bound in form:
                for error in bound.errors:
                    target = bound.id_for_label or bound.auto_id
                    if bound.field.widget.__class__.__name__ == "CheckboxSelectMultiple":
                        target = f"{bound.auto_id}_0"
                    out.append((target, prefix + str(bound.label or ""), error))

        if self.main is not None and self.main.is_bound:
            from_form(self.main)
        if self.rows is not None and self.rows.is_bound:
            for error in self.rows.non_form_errors():
                out.append(("", "", error))
            for i, form in enumerate(self.rows.forms, start=1):
                from_form(form, f"{self.rows_label} {i}: ")
        return out

    rows_label = "Row"


class Step:
    slug = ""
    title = ""
    nav_title = ""
    intro = ""
    template = ""

    def applies(self, answers):
        return True

    def is_done(self, answers):
        return False

    def forms(self, answers, data=None):
        raise NotImplementedError

    def apply(self, answers, bundle):
        raise NotImplementedError

    def context(self, answers, bundle):
        return {}

    def after_save(self, old, new, bundle):
        """A message when the page should be shown again because new questions now apply."""
        return None

    @property
    def label(self):
        return self.nav_title or self.title


# --- 1 business ---------------------------------------------------------------------------------

def _contact_initial(contact, prefix):
    contact = contact or {}
    return {f"{prefix}_{k}": contact.get(k, "") for k in ("name", "email", "address", "country")}


# (answers key, form prefix, law id) of each representative the business step asks about
REPRESENTATIVES = (("eu_representative", "eu_rep", "eu"), ("uk_representative", "uk_rep", "uk"),
                   ("ch_representative", "ch_rep", "ch"))
REPRESENTATIVE_TEXT = {
    "eu": ("Representative in the EU",
           "A business established outside the EEA that offers services to people in the EU usually has to name "
           "a representative there (GDPR Article 27). Leave empty if you have none yet; the review will remind you."),
    "uk": ("Representative in the UK",
           "A business established outside the UK that offers services to people in the UK usually has to name "
           "a representative there (UK GDPR Article 27). Leave empty if you have none yet."),
    "ch": ("Representative in Switzerland",
           "A business established outside Switzerland that regularly processes data of people in Switzerland on "
           "a large scale has to name a representative there (FADP Article 14). Leave empty if you have none yet."),
}
REPRESENTATIVE_WHO = {"eu": "an EU representative", "uk": "a UK representative", "ch": "a Swiss representative"}


def _country_questions(country):
    """The business-step questions that depend on the country: representatives and the region."""
    needed = cat_.representatives_needed(country)
    return {**{law: bool(needed.get(law)) for _, _, law in REPRESENTATIVES},
            "region_de": country == "DE", "region_ca": country == "CA"}


class BusinessStep(Step):
    slug = "business"
    title = "Your business"
    intro = "Who is responsible for the personal data, and how people can reach you."
    template = "wizard/steps/business.html"

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
        form = f.BusinessForm(
            data, initial=initial, country_choices=cat_.country_choices(cat),
            rep_rule=lambda country: cat_.representatives_needed(country, cat),
            land_choices=cat_.land_choices(cat),
            rep_country_choices={law: cat_.representative_country_choices(law, cat) for _, _, law in REPRESENTATIVES},
        )
        return Bundle(main=form)

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = copy.deepcopy(answers)
        b = dict(new.get("business", {}))
        for key in ("legal_name", "trading_name", "websites", "company_number", "address", "country",
                    "contact_email", "contact_url", "phone"):
            _put(b, key, d.get(key))
        old_dpo = b.get("dpo") or {}
        dpo = _clean({k: d.get(f"dpo_{k}") for k in ("name", "email", "address")}) if d.get("dpo_email") else None
        if dpo and old_dpo.get("country"):
            dpo["country"] = old_dpo["country"]  # not asked here; kept from an uploaded file
        _put(b, "dpo", dpo)
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
        needed = cat_.representatives_needed(country)
        for key, prefix, law in REPRESENTATIVES:
            contact = _clean({k: d.get(f"{prefix}_{k}") for k in ("name", "address", "email", "country")})
            _put(b, key, contact if needed.get(law) and contact.get("name") else None)
            _put(b, f"{key}_exempt", True if needed.get(law) and d.get(f"{prefix}_exempt") and not contact.get("name") else None)
        new["business"] = _order(b, BUSINESS_ORDER)
        return new

    def context(self, answers, bundle):
        cat = cat_.get_catalogues()
        form = bundle.main
        country = form.data.get("country") if form.is_bound else (answers.get("business") or {}).get("country", "")
        shown = _country_questions(country)
        territories = cat_.representative_territories(cat)
        representatives = []
        for key, prefix, law in REPRESENTATIVES:
            legend, help_text = REPRESENTATIVE_TEXT[law]
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
            "eea_codes": " ".join(cat_.eea_codes()),
        }

    def after_save(self, old, new, bundle):
        d = bundle.main.cleaned_data
        if d.get("js") == "1":
            return None  # the script showed the right questions as the country changed
        before = _country_questions(d.get("shown_for_country") or "")
        now = _country_questions(new["business"]["country"])
        added = {key for key in now if now[key] and not before[key]}
        parts = []
        reps = [REPRESENTATIVE_WHO[law] for _, _, law in REPRESENTATIVES if law in added]
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


def _order(d, keys):
    out = {k: d[k] for k in keys if k in d}
    out.update({k: v for k, v in d.items() if k not in out})
    return out


# --- 2 services ---------------------------------------------------------------------------------

class ServicesStep(Step):
    slug = "services"
    title = "Your services"
    intro = "What you sell decides which data and which other companies the policy has to mention."
    template = "wizard/steps/services.html"

    def is_done(self, answers):
        return "services" in answers

    def forms(self, answers, data=None):
        roles = answers.get("roles") or {}
        initial = {
            "services": answers.get("services", []),
            "processor_for_customers": roles.get("processor_for_customers", True),
        }
        return Bundle(main=f.ServicesForm(data, initial=initial, service_choices=cat_.service_choices()))

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = copy.deepcopy(answers)
        order = [sid for sid, _ in cat_.service_choices()]
        new["services"] = sorted(d["services"], key=order.index)
        roles = dict(new.get("roles") or {})
        roles["processor_for_customers"] = bool(d["processor_for_customers"])
        new["roles"] = roles
        return new

    def context(self, answers, bundle):
        cat = cat_.get_catalogues()
        descriptions = {s.id: s.description for s in cat.services.values()}
        return {"service_rows": [(box, descriptions.get(box.data["value"], "")) for box in bundle.main["services"]]}


# --- 3 data -------------------------------------------------------------------------------------

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
        main = f.DataForm(data, initial=initial, categories=categories, purpose_choices=purposes)
        customs = [
            {"id": d["id"], "name": d.get("name", ""), "examples": ", ".join(d.get("examples", ())),
             "purposes": d.get("purposes", []), "legal_basis": d.get("legal_basis", "")}
            for d in answers.get("data", ()) if d["id"] not in cat.data_categories
        ]
        FS = formset(f.CustomDataForm, extra=1)
        rows = FS(data, initial=customs, prefix="custom", form_kwargs={"purpose_choices": purposes})
        b = Bundle(main=main, rows=rows)
        b.rows_label = "Other data"
        return b

    def apply(self, answers, bundle):
        cat = cat_.get_catalogues()
        d = bundle.main.cleaned_data
        new = copy.deepcopy(answers)
        old = {item["id"]: item for item in answers.get("data", ())}
        data = []
        for cid in [c for c in cat.data_categories if c in d["categories"]]:
            entry = dict(old.get(cid, {"id": cid}))
            default = cat.data_categories[cid]
            _put(entry, "legal_basis", d.get(f"basis_{cid}") or None)
            chosen = d.get(f"purposes_{cid}") or []
            _put(entry, "purposes", chosen if set(chosen) != set(default.purposes) else None)
            if cid == "support":
                _put(entry, "call_recording", True if d.get("call_recording") else None)
                _put(entry, "call_recording_retention", d.get("call_recording_retention") if d.get("call_recording") else None)
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
            _put(entry, "examples", c.get("examples"))
            _put(entry, "purposes", c.get("purposes"))
            _put(entry, "legal_basis", c.get("legal_basis") or None)
            data.append(_order(entry, ("id", "name", "examples", "purposes", "legal_basis")))
        new["data"] = data
        # Drop references to data that is no longer collected, so the document stays valid.
        kept = {e["id"] for e in data}
        if "purposes" in new:
            _put(new, "purposes", [p for p in new["purposes"] if p.get("data") in kept])
        for proc in new.get("processors", ()):
            if "data" in proc and "id" not in proc:
                proc["data"] = [x for x in proc["data"] if x in kept]
        marketing = dict(new.get("marketing") or {})
        marketing.update({
            "email": d.get("marketing_email") or "none",
            "remarketing": bool(d.get("remarketing")),
            "sells_personal_data": bool(d.get("sells_personal_data")),
        })
        _put(marketing, "opt_out_url", d.get("opt_out_url"))
        _put(marketing, "email_tracking", True if d.get("email_tracking") and d.get("marketing_email") not in (None, "", "none") else None)
        new["marketing"] = marketing
        _put(new, "vat_oss", True if d.get("vat_oss") else None)
        auto = dict(new.get("automated_decisions") or {})
        auto["order_fraud_screening"] = bool(d.get("order_fraud_screening"))
        new["automated_decisions"] = auto
        return new

    def context(self, answers, bundle):
        cat = cat_.get_catalogues()
        suggested = cat_.suggested_data(answers.get("services"), cat)
        return {
            "categories": {c.id: c for c in cat.data_categories.values()},
            "suggested": suggested,
            "not_yet_chosen_suggestions": [
                cat.data_categories[s].name for s in suggested
                if "data" in answers and s in cat.data_categories and s not in {d["id"] for d in answers["data"]}
            ],
        }


# --- 4 processors -------------------------------------------------------------------------------

class ProcessorsStep(Step):
    slug = "processors"
    title = "Companies you share data with"
    nav_title = "Processors"
    intro = (
        "Pick the service providers (processors) that receive personal data from you: payment "
        "providers, registrars, data centres, email and support tools. Add any that are not listed."
    )
    template = "wizard/steps/processors.html"

    def is_done(self, answers):
        return "processors" in answers

    def _groups(self, answers, chosen):
        """[(group, label, suggested-by services, [processor])], suggested groups first.

        The registrars group (registrars and registries) is offered only to businesses that sell
        domains, or that already picked one of them.
        """
        cat = cat_.get_catalogues()
        suggested = cat_.suggested_groups(answers.get("services"), cat)
        groups = {}
        for p in cat.processors.values():
            groups.setdefault(p.group, []).append(p)
        out = []
        for group, procs in groups.items():
            if group == "registrars" and "domains" not in answers.get("services", ()) and not any(p.id in chosen for p in procs):
                continue
            out.append((group, cat_.group_label(group), suggested.get(group, []), sorted(procs, key=lambda p: p.name.casefold())))
        out.sort(key=lambda g: (not g[2], g[1]))
        return out

    def forms(self, answers, data=None):
        cat = cat_.get_catalogues()
        refs = answers.get("processors", ())
        chosen = [cat.resolve_processor_id(r["id"]) or r["id"] for r in refs if r.get("id")]
        visible = [p for _, _, _, procs in self._groups(answers, chosen) for p in procs]
        business_country = (answers.get("business") or {}).get("country")
        by_id = {cat.resolve_processor_id(r["id"]) or r["id"]: r for r in refs if r.get("id")}
        initial = {"processors": chosen}
        details = []
        for pid in chosen:
            proc = cat.processors.get(pid)
            if proc is None:
                continue
            details.append((pid, proc.name))
            entity, country = cat_.processor_entity(proc, business_country, cat)
            initial[f"entity_{pid}"] = by_id[pid].get("entity") or entity
            initial[f"country_{pid}"] = by_id[pid].get("country") or country
        restrictable = [(p.id, p.name) for p in visible if p.group in cat_.RESTRICTABLE_GROUPS]
        for pid, _ in restrictable:
            initial[f"restricted_{pid}"] = bool((by_id.get(pid) or {}).get("restricted_processing"))
        main = f.ProcessorsForm(
            data, initial=initial, processor_choices=[(p.id, p.name) for p in visible],
            details=details, restrictable=restrictable, country_choices=cat_.country_choices(cat),
        )
        data_choices = [(d["id"], cat_.data_name(d["id"], answers, cat)) for d in answers.get("data", ())]
        customs = [
            {"name": r.get("name", ""), "entity": r.get("entity") or "", "purpose": r.get("purpose", ""),
             "description": r.get("description") or "", "country": r.get("country", ""),
             "data": list(r.get("data", ())), "privacy_url": r.get("privacy_url") or "", "safeguard": r.get("safeguard") or ""}
            for r in refs if not r.get("id")
        ]
        FS = formset(f.CustomProcessorForm, extra=1)
        rows = FS(data, initial=customs, prefix="custom", form_kwargs={
            "country_choices": cat_.country_choices(cat), "data_choices": data_choices,
        })
        b = Bundle(main=main, rows=rows, extra={"chosen": chosen})
        b.rows_label = "Other processor"
        return b

    def apply(self, answers, bundle):
        cat = cat_.get_catalogues()
        d = bundle.main.cleaned_data
        new = copy.deepcopy(answers)
        old_refs = answers.get("processors", ())
        old_by_id = {cat.resolve_processor_id(r["id"]) or r["id"]: r for r in old_refs if r.get("id")}
        old_custom = {r.get("name"): r for r in old_refs if not r.get("id")}
        # Catalogue processors the page did not offer (a registrar after domains were dropped) are kept.
        offered = {value for value, _ in bundle.main.fields["processors"].choices}
        business_country = (answers.get("business") or {}).get("country")
        refs = []
        for pid in cat.processors:
            if pid in d["processors"] or (pid in old_by_id and pid not in offered):
                entry = dict(old_by_id.get(pid, {}), id=pid)
                if f"entity_{pid}" in bundle.main.fields and pid in d["processors"]:
                    # only what differs from the catalogue's entity for the business's country is an answer
                    entity, country = cat_.processor_entity(cat.processors[pid], business_country, cat)
                    typed = (d.get(f"entity_{pid}") or "").strip()
                    _put(entry, "entity", typed if typed and typed != entity else None)
                    _put(entry, "country", d.get(f"country_{pid}") if d.get(f"country_{pid}") not in ("", country) else None)
                if f"restricted_{pid}" in bundle.main.fields and pid in d["processors"]:
                    _put(entry, "restricted_processing", True if d.get(f"restricted_{pid}") else None)
                refs.append(_order(entry, ("id", "entity", "country")))
        refs += [dict(r) for pid, r in old_by_id.items() if pid not in cat.processors]  # unknown ids stay visible to the loader
        for form in bundle.rows.forms:
            c = form.cleaned_data
            if not c or c.get("DELETE") or not c.get("name"):
                continue
            entry = dict(old_custom.get(c["name"], {}))
            entry.update({"name": c["name"], "purpose": c["purpose"], "country": c["country"], "data": c["data"]})
            _put(entry, "entity", (c.get("entity") or "").strip() or None)
            _put(entry, "description", (c.get("description") or "").strip() or None)
            _put(entry, "privacy_url", c.get("privacy_url"))
            _put(entry, "safeguard", c.get("safeguard") or None)
            refs.append(_order(entry, ("name", "entity", "description", "purpose", "country", "data", "privacy_url", "safeguard")))
        new["processors"] = refs
        # Inventory and recipients agree: every kind of data a processor receives is declared as
        # collected (website usage for analytics and ad tags, correspondence for a help desk), so
        # the retention step asks its period (issue 9).
        have = {item["id"] for item in new.get("data", ())}
        for ref in refs:
            entry = cat.processors.get(cat.resolve_processor_id(ref.get("id")) or "") if ref.get("id") else None
            for data_id in ref.get("data") or (entry.data if entry else ()):
                if data_id not in have and data_id in cat.data_categories:
                    new.setdefault("data", []).append({"id": data_id})
                    have.add(data_id)
        return new

    def context(self, answers, bundle):
        cat = cat_.get_catalogues()
        chosen = bundle.extra["chosen"]
        groups = self._groups(answers, chosen)
        boxes = bundle.main.boxes()
        form = bundle.main
        business_country = (answers.get("business") or {}).get("country")
        refs = {cat.resolve_processor_id(r["id"]) or r["id"]: r for r in answers.get("processors", ()) if r.get("id")}
        rows = []
        for group, label, reasons, procs in groups:
            items = []
            for p in procs:
                entity, country = cat_.processor_entity(p, business_country, cat)
                ref = refs.get(p.id) or {}
                entity_field = form[f"entity_{p.id}"] if f"entity_{p.id}" in form.fields else None
                country_field = form[f"country_{p.id}"] if entity_field else None
                items.append({
                    "p": p, "box": boxes.get(p.id),
                    "entity": entity,
                    "data": [cat_.data_name(x, answers, cat) for x in p.data],
                    "where": cat_.processor_where(p, cat, country),
                    "search": " ".join([p.name, p.id, p.group, label, entity or "", *p.aliases]).lower(),
                    "entity_field": entity_field, "country_field": country_field,
                    "override_open": bool(ref.get("entity") or ref.get("country")
                                          or (entity_field and (entity_field.errors or country_field.errors))),
                    "restricted": form[f"restricted_{p.id}"] if f"restricted_{p.id}" in form.fields else None,
                })
            rows.append({"group": group, "label": label, "reasons": reasons, "items": items,
                         "has_chosen": any(p.id in chosen for p in procs)})
        summary = []
        for ref in answers.get("processors", ()):
            if ref.get("id"):
                p = cat.processors.get(cat.resolve_processor_id(ref["id"]) or "")
                if p:
                    entity, country = cat_.processor_entity(p, business_country, cat)
                    summary.append({"name": p.name, "entity": ref.get("entity") or entity,
                                    "data": [cat_.data_name(x, answers, cat) for x in ref.get("data") or p.data],
                                    "where": cat_.processor_where(p, cat, ref.get("country") or country),
                                    "purpose": p.description})
            else:
                summary.append({"name": ref.get("name"), "entity": ref.get("entity"),
                                "data": [cat_.data_name(x, answers, cat) for x in ref.get("data", ())],
                                "where": cat_.country_label(ref["country"], cat) if ref.get("country") else "",
                                "purpose": ref.get("description") or ref.get("purpose")})
        return {
            "groups": rows,
            "summary": summary,
            "sells_domains": "domains" in answers.get("services", ()),
            "no_data_yet": not answers.get("data"),
        }


# --- 5 cookies ----------------------------------------------------------------------------------

class CookiesStep(Step):
    slug = "cookies"
    title = "Cookies"
    intro = "Cookies your website sets, and whether visitors are asked before the optional ones are used."
    template = "wizard/steps/cookies.html"

    def is_done(self, answers):
        return "cookies" in answers

    def forms(self, answers, data=None):
        c = answers.get("cookies") or {}
        main = f.CookiesForm(data, initial={"banner": bool(c.get("banner"))})
        items = [{"name": i["name"], "purpose": i["purpose"], "duration": i["duration"], "exemption": i.get("exemption", "")}
                 for i in c.get("items", ())]
        FS = formset(f.CookieForm, extra=2)
        b = Bundle(main=main, rows=FS(data, initial=items, prefix="cookie"))
        b.rows_label = "Cookie"
        return b

    def apply(self, answers, bundle):
        new = copy.deepcopy(answers)
        old = {i["name"]: i for i in (answers.get("cookies") or {}).get("items", ())}
        items = []
        for form in bundle.rows.forms:
            c = form.cleaned_data
            if not c or c.get("DELETE") or not c.get("name"):
                continue
            entry = dict(old.get(c["name"], {}))
            entry.update({"name": c["name"], "purpose": c["purpose"], "duration": c["duration"]})
            # an exemption only means something for a cookie that would otherwise need consent
            _put(entry, "exemption", c.get("exemption") if c["purpose"] != "strictly_necessary" else None)
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
                {"processor": p, "name": n, "purpose": f.COOKIE_PURPOSE_LABELS.get(purpose, purpose),
                 "duration": f.format_duration_input(d), "description": desc}
                for p, n, purpose, d, desc in rows
            ],
        }


# --- 6 retention --------------------------------------------------------------------------------

class RetentionStep(Step):
    slug = "retention"
    title = "How long you keep data"
    nav_title = "Retention"
    intro = (
        "One row for each kind of data you collect, filled in with a usual period and reason. "
        "Change them to match what you really do."
    )
    template = "wizard/steps/retention.html"

    def applies(self, answers):
        # Skipped once the data step says nothing is collected; before that it simply has no rows yet.
        return "data" not in answers or bool(answers["data"])

    def is_done(self, answers):
        return bool(answers.get("data")) and all("retention" in d for d in answers["data"])

    def forms(self, answers, data=None):
        cat = cat_.get_catalogues()
        initial, row_kwargs = [], []
        for item in answers.get("data", ()):
            default = cat.data_categories.get(item["id"])
            after = item.get("retention_after")
            starts = item.get("retention_starts")
            if after and not is_duration(after):
                starts, after = starts or after, None  # "service termination": an event, not a period
            if "retention" in item:
                row = {"retention": item["retention"], "retention_after": after or "", "retention_starts": starts or "",
                       "retention_reason": item.get("retention_reason", "")}
            elif default:
                row = {
                    "retention": default.retention.text if default.retention else "",
                    "retention_after": default.retention_after.text if default.retention_after else "",
                    "retention_starts": default.retention_starts or "", "retention_reason": default.retention_reason or "",
                }
                # the current legal period where the business is established (German invoices: 8 years)
                local = default.retention_defaults.get((answers.get("business") or {}).get("country"))
                if local:
                    row.update({"retention_after": ""}, **{k: str(v) for k, v in local.items() if k in row})
            else:
                row = {"retention": "", "retention_after": "", "retention_starts": "", "retention_reason": ""}
            row["data_id"] = item["id"]
            initial.append(row)
            row_kwargs.append({"category_name": cat_.data_name(item["id"], answers, cat), "hint": default.hint if default else None})
        FS = formset(f.RetentionForm, extra=0, can_delete=False)
        FS.row_kwargs = row_kwargs
        rows = FS(data, initial=initial, prefix="retention")
        b = Bundle(rows=rows)
        b.rows_label = "Data"
        return b

    def apply(self, answers, bundle):
        new = copy.deepcopy(answers)
        by_id = {item["id"]: item for item in new.get("data", ())}
        for form in bundle.rows.forms:
            c = form.cleaned_data
            item = by_id.get(c.get("data_id"))
            if item is None:
                continue  # the data step changed in another tab; that row no longer exists
            item["retention"] = c["retention"]
            for key in ("retention_after", "retention_starts", "retention_reason"):
                _put(item, key, (c.get(key) or "").strip() or None)
        return new

    def context(self, answers, bundle):
        indefinite = [cat_.data_name(d["id"], answers) for d in answers.get("data", ()) if d.get("retention") == "indefinite"]
        rows = []
        for form in bundle.rows.forms:
            value = form["retention"].value()
            shown = f.parse_duration_input(value) if value else None
            rows.append({"form": form, "name": form.category_name, "indefinite": shown == "indefinite",
                         "hint": getattr(form, "hint", None)})
        return {"retention_rows": rows, "indefinite": indefinite, "no_data_yet": "data" not in answers}


# --- 7 jurisdictions ----------------------------------------------------------------------------

class JurisdictionsStep(Step):
    slug = "jurisdictions"
    title = "Laws and where data is kept"
    nav_title = "Laws and transfers"
    intro = "Which privacy laws the policy answers to, where your servers are, and how data sent abroad is protected."
    template = "wizard/steps/jurisdictions.html"

    def is_done(self, answers):
        return "jurisdictions" in answers and "storage_locations" in answers

    def forms(self, answers, data=None):
        cat = cat_.get_catalogues()
        country = (answers.get("business") or {}).get("country")
        initial = {
            "jurisdictions": answers.get("jurisdictions") or cat_.suggested_laws(country, cat),
            "storage_locations": answers.get("storage_locations") or ([country] if country else []),
            "safeguards": (answers.get("transfers") or {}).get("safeguards", []),
            "registrations": answers.get("registrations", []),
            "quebec_assessment": bool((answers.get("transfers") or {}).get("quebec_assessment")),
            "quebec_governance_policy": bool(answers.get("quebec_governance_policy")),
        }
        return Bundle(main=f.JurisdictionsForm(data, initial=initial, country_choices=cat_.country_choices(cat)))

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = copy.deepcopy(answers)
        new["jurisdictions"] = [law for law in model.LAWS if law in d["jurisdictions"]]
        new["storage_locations"] = list(d["storage_locations"])
        transfers = dict(new.get("transfers") or {})
        quebec = "ca" in new["jurisdictions"]
        _put(transfers, "safeguards", [s for s in model.SAFEGUARDS if s in d.get("safeguards", ())]
             if cat_.transfers_apply(new) else None)
        _put(transfers, "quebec_assessment", True if quebec and d.get("quebec_assessment") else None)
        _put(new, "transfers", transfers)
        _put(new, "quebec_governance_policy", True if quebec and d.get("quebec_governance_policy") else None)
        _put(new, "registrations", [r for r in f.REGISTRATION_LABELS if r in d.get("registrations", ())])
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
        proc_countries = cat_.processor_countries(answers, cat)
        return {
            "suggested_laws": [cat_.law_labels()[law] for law in cat_.suggested_laws(country, cat)],
            "business_country": cat_.country_label(country, cat) if country else "",
            "common_boxes": common,
            "other_boxes": others,
            "others_open": any(c not in common_set for c in (storage or ())),
            "show_safeguards": cat_.transfers_apply(answers, storage=storage or (), cat=cat),
            "processors_transfer": cat_.leaves_safe_zone(proc_countries, cat),
            "outside_countries": [cat_.country_label(c, cat) for c in proc_countries if c not in cat_.safe_zone(cat)],
            "safe_codes": " ".join(sorted(cat_.safe_zone(cat))),
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
        if d.get("safeguards_shown") != "1" and cat_.transfers_apply(new):
            return (
                "Saved. Some personal data is kept or sent outside the EEA, the UK and Switzerland: "
                "please say below how those transfers are protected, then continue."
            )
        if d.get("quebec_shown") != "1" and "ca" in new["jurisdictions"]:
            return "Saved. Because you chose Canada, please answer the questions about Quebec below, then continue."
        return None


# --- 8 rights, security, changes ------------------------------------------------------------------

class RightsStep(Step):
    slug = "rights"
    title = "Rights, security and changes"
    nav_title = "Rights and security"
    intro = "How people use their privacy rights, how you protect data, and how you announce changes to the policy."
    template = "wizard/steps/rights.html"

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
            "paper": policy.get("paper", "A4"),
        }
        return Bundle(main=f.RightsForm(data, initial=initial))

    def apply(self, answers, bundle):
        d = bundle.main.cleaned_data
        new = copy.deepcopy(answers)
        new["rights"] = {"response_days": d["response_days"], "request_channels": [
            c for c in model.REQUEST_CHANNELS if c in d["request_channels"]]}
        _put(new, "control_panel_url", d.get("control_panel_url"))
        measures = [m for m in model.SECURITY_MEASURES if m in d["measures"]]
        measures += [m for m in d["other_measures"] if m not in measures]
        security = {"measures": measures}
        _put(security, "breach_notice_hours", d.get("breach_notice_hours"))
        new["security"] = security
        new["changes"] = {"notice_days": d["notice_days"], "notify_by": [n for n in model.NOTIFY_BY if n in d["notify_by"]]}
        new["children"] = dict(new.get("children") or {}, min_age=d["min_age"])
        policy = dict(new.get("policy") or {})
        _put(policy, "effective_date", d["effective_date"].isoformat() if d.get("effective_date") else None)
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


def response_periods(answers, days):
    """[{law, text, ...}] for each chosen law (or those suggested for the country): the response
    period its rights text will print for `days`, by generator.laws.response_period; an answer can
    shorten a law's deadline, never lengthen it."""
    registry = laws.get_laws()
    chosen = answers.get("jurisdictions") or cat_.suggested_laws((answers.get("business") or {}).get("country"))
    shim = SimpleNamespace(rights=model.Rights(response_days=days or 30))  # all response_period reads
    out = []
    for law_id in chosen:
        law = registry.get(law_id)
        if law is None:
            continue
        out.append({
            "law": law.short, "text": laws.response_period(law, shim),
            "max_days": law.response.max_days or "", "max_text": law.response.max_text,
            "working": "1" if law.response.working_days else "", "default_days": law.response.default_days or "",
        })
    return out


# --- 9 review (not a form step) -----------------------------------------------------------------

class ReviewStep(Step):
    slug = "review"
    title = "Review and download"
    nav_title = "Review"
    template = "wizard/review.html"

    def is_done(self, answers):
        return False


from .dpa_step import DpaStep  # noqa: E402 - its own module (form and mapping), which imports Step from here

STEPS = (
    BusinessStep(), ServicesStep(), DataStep(), ProcessorsStep(), CookiesStep(), RetentionStep(),
    JurisdictionsStep(), RightsStep(), DpaStep(), ReviewStep(),
)
BY_SLUG = {s.slug: s for s in STEPS}
SLUGS = tuple(BY_SLUG)

# Top-level answers fields -> the step that asks them (for error links and the compliance report).
FIELD_STEP = {
    "format": "business", "business": "business", "roles": "services", "services": "services",
    "data": "data", "purposes": "data", "marketing": "data", "automated_decisions": "data",
    "processors": "processors", "cookies": "cookies", "storage_locations": "jurisdictions",
    "transfers": "jurisdictions", "jurisdictions": "jurisdictions", "rights": "rights",
    "control_panel_url": "rights", "security": "rights", "changes": "rights", "children": "rights",
    "policy": "rights", "registrations": "jurisdictions", "quebec_governance_policy": "jurisdictions", "vat_oss": "data",
    "dpa": "dpa",
}


def step_for_path(path):
    """"data[2].retention" -> "retention"; "business.country" -> "business"."""
    head = re.split(r"[.\[]", path or "", maxsplit=1)[0]
    if head == "data" and "retention" in path:
        return "retention"
    return FIELD_STEP.get(head, "business")


def applicable(answers):
    return [s for s in STEPS if s.applies(answers)]


def next_step(slug, answers):
    steps = applicable(answers)
    order = [s.slug for s in STEPS]
    after = [s for s in steps if order.index(s.slug) > order.index(slug)]
    return after[0] if after else BY_SLUG["review"]


def previous_step(slug, answers):
    steps = applicable(answers)
    order = [s.slug for s in STEPS]
    before = [s for s in steps if order.index(s.slug) < order.index(slug)]
    return before[-1] if before else None


def first_unfinished(answers):
    for s in applicable(answers):
        if s.slug != "review" and not s.is_done(answers):
            return s
    return BY_SLUG["review"]
