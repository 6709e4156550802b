from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from loyalty.selectors import rewards_available


def _new_key() -> str:
    # Rendered into the form, so a double submit of the same form books once.
    return uuid.uuid4().hex


class GoodwillForm(forms.Form):
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100_000)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=_new_key)


class RedeemForm(forms.Form):
    reward = forms.ModelChoiceField(queryset=rewards_available(), widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=_new_key)
