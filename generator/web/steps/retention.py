"""Step 6, retention: how long each kind of data is kept, from when, and why."""
import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from generator.answers.durations import KEYWORDS, is_duration
from generator.web import catalogue as cat_

from .base import Bundle, DurationInput, Step, deep_copy, formset, parse_duration_input, put


class PeriodOrEvent(forms.CharField):
    """A period ("30 days") -> its duration; anything else that is not a keyword -> ("event", words):
    the answers contract reads a `retention_after` that is not a duration as the event that starts
    the clock."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        parsed = parse_duration_input(value)
        if parsed in KEYWORDS:
            raise ValidationError(
                "Give a period here, such as “30 days”, or the event that starts the clock, such as “service "
                f"termination”; “{value}” belongs in “How long you keep it”.")
        if parsed:
            return parsed
        if re.search(r"\d", value) and len(value.split()) <= 3:
            raise ValidationError(f"Enter a period such as “30 days” or “1 year 6 months”; “{value}” is not one.")
        return ("event", value.strip())


class RetentionForm(forms.Form):
    data_id = forms.CharField(widget=forms.HiddenInput)
    retention = DurationInput(label="How long you keep it")
    retention_after = PeriodOrEvent(
        label="Then kept for this long after that (optional)", required=False, max_length=300,
        help_text="A further period after the first, for example “30 days” after the account closes or “1 year” "
                  "after the 6 years; or the event that starts the clock, such as “service termination”.",
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
        self.row_name = category_name  # errors name the row by its data, not "Data 6"
        self.fields["retention"].error_messages["required"] = f"Enter how long you keep {category_name.lower() or 'this data'}."

    def clean(self):
        data = cast(dict[str, Any], super().clean())
        after = data.get("retention_after")
        if isinstance(after, tuple):  # an event: it is what "the period starts when" says
            event = after[1]
            starts = (data.get("retention_starts") or "").strip()
            if starts and starts.casefold() != event.casefold():
                self.add_error("retention_after", (
                    f"“{event}” is an event, and “The period starts when” already says “{starts}”: "
                    "keep one of them there and give a period here, or leave this empty."))
            else:
                data["retention_starts"], data["retention_after"] = event, None
        return data


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
        FS = formset(RetentionForm, extra=0, can_delete=False)
        FS.row_kwargs = row_kwargs
        rows = FS(data, initial=initial, prefix="retention")
        b = Bundle(rows=rows)
        b.rows_label = "Data"
        return b

    def apply(self, answers, bundle):
        new = deep_copy(answers)
        by_id = {item["id"]: item for item in new.get("data", ())}
        for form in bundle.rows.forms:
            c = form.cleaned_data
            item = by_id.get(c.get("data_id"))
            if item is None:
                continue  # the data step changed in another tab; that row no longer exists
            item["retention"] = c["retention"]
            for key in ("retention_after", "retention_starts", "retention_reason"):
                put(item, key, (c.get(key) or "").strip() or None)
        return new

    def context(self, answers, bundle):
        indefinite = [cat_.data_name(d["id"], answers) for d in answers.get("data", ()) if d.get("retention") == "indefinite"]
        rows = []
        for form in bundle.rows.forms:
            value = form["retention"].value()
            shown = parse_duration_input(value) if value else None
            rows.append({"form": form, "name": form.category_name, "indefinite": shown == "indefinite",
                         "hint": getattr(form, "hint", None)})
        return {"retention_rows": rows, "indefinite": indefinite, "no_data_yet": "data" not in answers}
