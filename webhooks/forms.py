from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.events import EVENT_TYPES


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("A public https:// address of the receiving system."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, f"{name}: {label}") for name, label in EVENT_TYPES.items()],
    )
