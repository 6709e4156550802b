from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 4000


class ThankYouForm(forms.Form):
    ticket = forms.IntegerField(required=False, min_value=1, max_value=2**62,
                                widget=forms.HiddenInput)  # fmt: skip
    text = forms.CharField(
        label=_("Your note (empty: the standard note in the customer's language)"),
        required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if "\x00" in text:
            raise forms.ValidationError(_("The note contains characters that cannot be sent."))
        return text
