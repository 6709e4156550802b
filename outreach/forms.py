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


def _split(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    message = forms.CharField(label=_("What customers are told"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    products = forms.ModelMultipleChoiceField(
        label=_("Products"), required=False, queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    skus = forms.CharField(label=_("SKUs (separated by spaces or commas)"), required=False,
                           max_length=4000)  # fmt: skip
    ordered_from = forms.DateField(label=_("Ordered from"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    ordered_until = forms.DateField(label=_("Ordered until"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    postal_prefixes = forms.CharField(
        label=_("Delivery postal codes starting with (separated by spaces or commas)"),
        required=False, max_length=2000,
    )  # fmt: skip

    def __init__(self, *args: object, **kwargs: object) -> None:
        from customers.models import Product

        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.order_by("name")

    def clean_skus(self) -> list[str]:
        return _split(self.cleaned_data["skus"])

    def clean_postal_prefixes(self) -> list[str]:
        return _split(self.cleaned_data["postal_prefixes"])


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved (customers read this)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StockRequestForm(forms.Form):
    sku = forms.CharField(label=_("SKU of the product"), max_length=64)

    def clean_sku(self):
        from customers.models import Product

        product = Product.objects.filter(sku=self.cleaned_data["sku"].strip()).first()
        if product is None:
            raise forms.ValidationError(_("No product has this SKU."))
        return product
