"""Step 4, processors: the companies that receive personal data, from the catalogue or the
business's own, with their contracting entity, country and restricted mode."""
from typing import Any, cast

from django import forms

from generator.answers import model
from generator.web import catalogue as cat_

from .base import (
    Bundle, Checkboxes, Choice, CountriesInput, CountryInput, Step, UrlInput, boxes, choices, deep_copy, field_help,
    field_label, formset, keep_owner_order, labels, ordered, put,
)


class ProcessorsForm(forms.Form):
    processors = Checkboxes(label=field_label("processors.processors"), required=False)

    def __init__(self, *args, processor_choices=(), details=(), restrictable=(), regions=(), **kwargs):
        """details: (id, name) of the chosen catalogue processors, which get an entity and a country
        (their contracting entity, when it is not the one the catalogue gives); restrictable: (id,
        name) of the advertising and analytics processors, which get the restricted-mode box;
        regions: ids of those among `details` that hold customers' data, which are asked where they
        hold it (their `country` is that region, not the entity's seat)."""
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["processors"]).choices = list(processor_choices)
        for pid, name in details:
            self.fields[f"entity_{pid}"] = forms.CharField(
                label=field_label("processors.catalogue_entity", name=name), max_length=300, required=False,
                help_text=field_help("processors.catalogue_entity"),
            )
            if pid in regions:
                self.fields[f"region_{pid}"] = CountryInput(
                    label=field_label("processors.region", name=name), required=False,
                    help_text=field_help("processors.region"),
                )
            else:
                self.fields[f"country_{pid}"] = CountryInput(
                    label=field_label("processors.catalogue_country"), required=False,
                )
        for pid, name in restrictable:
            self.fields[f"restricted_{pid}"] = forms.BooleanField(
                label=field_label("processors.restricted", name=name), required=False, help_text=field_help("processors.restricted"),
            )

    def boxes(self):
        return boxes(self["processors"])


class CustomProcessorForm(forms.Form):
    name = forms.CharField(label=field_label("processors.name"), max_length=60)  # the contract's bound
    entity = forms.CharField(
        label=field_label("processors.entity"), max_length=300, required=False,
        help_text=field_help("processors.entity"),
    )
    purpose = forms.CharField(label=field_label("processors.purpose"), max_length=300)
    description = forms.CharField(
        label=field_label("processors.description"), max_length=500, required=False,
        help_text=field_help("processors.description"),
    )
    country = CountryInput(label=field_label("processors.country"))
    transfer_countries = CountriesInput(
        label=field_label("processors.transfer_countries"), required=False,
        help_text=field_help("processors.transfer_countries"),
    )
    group = Choice(label=field_label("processors.group"), required=False,
                   help_text=field_help("processors.group"))
    data = Checkboxes(label=field_label("processors.data"))  # type: ignore[assignment]  # moved to base_fields: Form.data is not shadowed
    privacy_url = UrlInput(label=field_label("processors.privacy_url"), required=False, label_word="privacy policy address")
    safeguard = Choice(label=field_label("processors.safeguard"), required=False)

    def __init__(self, *args, data_choices=(), group_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = [("", "Not said")] + list(group_choices)
        cast(forms.ChoiceField, self.fields["data"]).choices = list(data_choices)
        cast(forms.ChoiceField, self.fields["safeguard"]).choices = [("", "None or not needed")] + choices(model.SAFEGUARDS, "wizard_safeguards")
        self.fields["name"].error_messages["required"] = "Enter the processor's name, or tick “Remove”."
        self.fields["purpose"].error_messages["required"] = "Say what you use this processor for."
        self.fields["country"].error_messages["required"] = "Choose the country where the processor is established."
        self.fields["data"].error_messages["required"] = "Choose at least one kind of data it receives."


def _processor_key(ref):
    """A processor's identity in the answers: its catalogue id, or a custom one's name."""
    return ("id", ref["id"]) if ref.get("id") else ("name", ref.get("name"))


class ProcessorsStep(Step):
    slug = "processors"
    title = "Companies you share data with"
    nav_title = "Processors"
    intro = (
        "Pick the service providers (processors) that receive personal data from you: payment "
        "providers, registrars, data centres, email and support tools. Add any that are not listed."
    )
    template = "wizard/steps/processors.html"
    answers_fields = ("processors",)

    def is_done(self, answers):
        return "processors" in answers

    def _groups(self, answers, chosen):
        """[(group, label, suggested-by services, [processor])], suggested groups first.

        The registrars group (registrars and registries) is offered only to businesses that sell
        domains, or that already picked one of them.
        """
        cat = cat_.get_catalogues()
        suggested = cat_.suggested_groups(answers.get("services"), cat)
        groups: dict[str, list[Any]] = {}
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
        initial: dict[str, Any] = {"processors": chosen}
        details, regions = [], []
        for pid in chosen:
            proc = cat.processors.get(pid)
            if proc is None:
                continue
            details.append((pid, proc.name))
            entity, country = cat_.processor_entity(proc, business_country, cat)
            initial[f"entity_{pid}"] = by_id[pid].get("entity") or entity
            if cat_.holds_customer_data(proc, cat):
                regions.append(pid)
                initial[f"region_{pid}"] = by_id[pid].get("country") or ""  # only an answer, never the seat
            else:
                initial[f"country_{pid}"] = by_id[pid].get("country") or country
        restrictable = [(p.id, p.name) for p in visible if p.group in cat_.RESTRICTABLE_GROUPS]
        for pid, _ in restrictable:
            initial[f"restricted_{pid}"] = bool((by_id.get(pid) or {}).get("restricted_processing"))
        main = ProcessorsForm(
            data, initial=initial, processor_choices=[(p.id, p.name) for p in visible],
            details=details, restrictable=restrictable, regions=regions,
        )
        data_choices = [(d["id"], cat_.data_name(d["id"], answers, cat)) for d in answers.get("data", ())]
        customs = [
            {"name": r.get("name", ""), "entity": r.get("entity") or "", "purpose": r.get("purpose", ""),
             "description": r.get("description") or "", "country": r.get("country", ""),
             "data": list(r.get("data", ())), "privacy_url": r.get("privacy_url") or "", "safeguard": r.get("safeguard") or "",
             "transfer_countries": list(r.get("transfer_countries", ())), "group": r.get("group") or ""}
            for r in refs if not r.get("id")
        ]
        FS = formset(CustomProcessorForm, extra=1)
        rows = FS(data, initial=customs, prefix="custom", form_kwargs={
            "data_choices": data_choices,
            # registrars and registries only for a business that sells domains, as in the list above
            "group_choices": [(g, label) for g, label in labels("wizard_processor_groups").items()
                              if g != "registrars" or "domains" in answers.get("services", ())],
        })
        b = Bundle(main=main, rows=rows, extra={"chosen": chosen})
        b.rows_label = "Other processor"
        return b

    def apply(self, answers, bundle):
        cat = cat_.get_catalogues()
        d = bundle.main.cleaned_data
        new = deep_copy(answers)
        old_refs = answers.get("processors", ())
        old_by_id = {cat.resolve_processor_id(r["id"]) or r["id"]: r for r in old_refs if r.get("id")}
        old_custom = {r.get("name"): r for r in old_refs if not r.get("id")}
        # Catalogue processors the page did not offer (a registrar after domains were dropped) are kept.
        offered = {value for value, _ in bundle.main.fields["processors"].choices}
        business_country = (answers.get("business") or {}).get("country")
        refs = []
        for pid in cat.processors:
            if pid in d["processors"] or (pid in old_by_id and pid not in offered):
                entry: Any = dict(old_by_id.get(pid, {}), id=pid)  # later a catalogue entry
                if f"entity_{pid}" in bundle.main.fields and pid in d["processors"]:
                    # only what differs from the catalogue's entity for the business's country is an answer
                    entity, country = cat_.processor_entity(cat.processors[pid], business_country, cat)
                    typed = (d.get(f"entity_{pid}") or "").strip()
                    put(entry, "entity", typed if typed and typed != entity else None)
                    if f"region_{pid}" in bundle.main.fields:
                        # where it holds customers' data: an answer even when it is the entity's seat
                        put(entry, "country", d.get(f"region_{pid}") or None)
                    else:
                        put(entry, "country", d.get(f"country_{pid}") if d.get(f"country_{pid}") not in ("", country) else None)
                if f"restricted_{pid}" in bundle.main.fields and pid in d["processors"]:
                    put(entry, "restricted_processing", True if d.get(f"restricted_{pid}") else None)
                refs.append(ordered(entry, ("id", "entity", "country")))
        refs += [dict(r) for pid, r in old_by_id.items() if pid not in cat.processors]  # unknown ids stay visible to the loader
        for form in bundle.rows.forms:
            c = form.cleaned_data
            if not c or c.get("DELETE") or not c.get("name"):
                continue
            entry = dict(old_custom.get(c["name"], {}))
            entry.update({"name": c["name"], "purpose": c["purpose"], "country": c["country"], "data": c["data"]})
            put(entry, "entity", (c.get("entity") or "").strip() or None)
            put(entry, "description", (c.get("description") or "").strip() or None)
            put(entry, "privacy_url", c.get("privacy_url"))
            put(entry, "safeguard", c.get("safeguard") or None)
            put(entry, "transfer_countries", [x for x in c.get("transfer_countries", ()) if x != c["country"]])
            put(entry, "group", c.get("group") or None)
            refs.append(ordered(entry, ("name", "entity", "group", "description", "purpose", "country", "transfer_countries",
                                        "data", "privacy_url", "safeguard")))
        new["processors"] = refs = keep_owner_order(refs, old_refs, key=_processor_key)
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
                region_field = form[f"region_{p.id}"] if f"region_{p.id}" in form.fields else None
                country_field: Any = form[f"country_{p.id}"] if f"country_{p.id}" in form.fields else None
                items.append({
                    "p": p, "box": boxes.get(p.id),
                    "entity": entity,
                    "data": [cat_.data_name(x, answers, cat) for x in p.data],
                    "where": (cat_.processor_where(p, cat, ref.get("country"), region_asked=True) if region_field is not None
                              else cat_.processor_where(p, cat, country)),
                    "search": " ".join([p.name, p.id, p.group, label, entity or "", *p.aliases]).lower(),
                    "entity_field": entity_field, "country_field": country_field, "region_field": region_field,
                    "override_open": bool(ref.get("entity") or (country_field is not None and ref.get("country"))
                                          or (entity_field and (entity_field.errors or (country_field is not None and country_field.errors)))),
                    "restricted": form[f"restricted_{p.id}"] if f"restricted_{p.id}" in form.fields else None,
                })
            has_errors = any(
                (item["entity_field"] is not None and item["entity_field"].errors)
                or any(f is not None and f.errors for f in (item["country_field"], item["region_field"]))
                for item in items)
            chosen_here = sum(p.id in chosen for p in procs)
            # a chosen provider of hosted data whose region is unanswered: its question must be seen
            region_asked = any(item["region_field"] is not None and not (refs.get(item["p"].id) or {}).get("country")
                               for item in items)
            # Suggested groups stay open until something is chosen from them (the list on top then
            # shows it); the others are collapsed, unless their fields have errors or a region is asked.
            rows.append({"group": group, "label": label, "reasons": reasons, "items": items, "chosen_count": chosen_here,
                         "open": (bool(reasons) and not chosen_here) or has_errors or region_asked})
        summary = []
        for ref in answers.get("processors", ()):
            if ref.get("id"):
                p = cat.processors.get(cat.resolve_processor_id(ref["id"]) or "")
                if p:
                    entity, country = cat_.processor_entity(p, business_country, cat)
                    hosted = cat_.holds_customer_data(p, cat)
                    summary.append({"name": p.name, "entity": ref.get("entity") or entity,
                                    "data": [cat_.data_name(x, answers, cat) for x in ref.get("data") or p.data],
                                    # a region not yet answered is not yet stated, never the entity's seat
                                    "where": (cat_.processor_where(p, cat, ref.get("country"), region_asked=True) if hosted
                                              else cat_.processor_where(p, cat, ref.get("country") or country)),
                                    "purpose": p.description})
            else:
                summary.append({"name": ref.get("name"), "entity": ref.get("entity"),
                                "data": [cat_.data_name(x, answers, cat) for x in ref.get("data", ())],
                                "where": cat_.country_label(ref["country"], cat) if ref.get("country") else "",
                                "purpose": ref.get("description") or ref.get("purpose")})
        return {
            "groups": rows,
            "chosen_names": [row["name"] for row in summary],
            "summary": summary,
            "sells_domains": "domains" in answers.get("services", ()),
            "no_data_yet": not answers.get("data"),
        }
