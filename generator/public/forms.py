"""Forms of the public side and of the publish box on the review step. Errors name the field."""
from django import forms

from . import services


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254,
                             error_messages={"required": "Email address: enter the address to send the notices to.",
                                             "invalid": "Email address: enter an address such as name@example.com."})


class PublishForm(forms.Form):
    public_name = forms.CharField(label="Public name", max_length=200, required=False,
                                  help_text=f"Your policy's address will be /p/<name>/: {services.SLUG_RULE}.")
    effective_on = forms.DateField(label="Takes effect on", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"invalid": "Takes effect on: enter a date as YYYY-MM-DD."})
    summary = forms.CharField(label="Change summary", required=False, max_length=services.MAX_SUMMARY_CHARS * 2,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="One change a line, in plain words. It is shown on the version page, "
                                        "in the feed and in the emails to subscribers.")
    notify = forms.BooleanField(label="Email the change summary to the confirmed subscribers", required=False)
    # asked only when the DPA's own text changes (services.publish requires it then: counsel round 3, n5)
    dpa_change_reduces = forms.TypedChoiceField(
        label=services.REDUCES_LABEL, required=False, choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes", empty_value=None, widget=forms.RadioSelect)


class RenameForm(forms.Form):
    public_name = forms.CharField(label="New public name", max_length=40,
                                  error_messages={"required": "New public name: enter a name."})


class NoticeSentForm(forms.Form):
    sent_on = forms.DateField(label="Date you sent the notice", widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"required": "Date you sent the notice: enter the date.",
                                              "invalid": "Date you sent the notice: enter a date as YYYY-MM-DD."})
