"""The API keys page's form."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.api.keys import ACCESS, RESOURCES
from core.models import ApiKey, Team

ACCESS_LABELS = {"read": _("read"), "write": _("read and write")}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses it, for example “Shop checkout”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Allowed"),
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (f"{resource}:{access}", f"{label}: {ACCESS_LABELS[access]}")
            for resource, label in RESOURCES.items()
            for access in ACCESS
        ],
        help_text=_("Write includes read."),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Only these teams' tickets"),
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: every team."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: never."),
    )
    rate_per_minute = forms.IntegerField(
        label=_("Requests per minute"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Empty: the default rate."),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if ApiKey.objects.filter(name=name).exists():
            raise forms.ValidationError(_("A key with this name exists."))
        return name

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return day

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.min))
