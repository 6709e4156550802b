"""The contact form and the article editor."""

from __future__ import annotations

import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from helpcenter.models import Section
from helpcenter.visitor import FORM_SALT

TOPICS = [
    ("order", _("An order or a delivery")),
    ("return", _("A return or a refund")),
    ("warranty", _("A repair or the warranty")),
    ("product", _("A question about a product")),
    ("other", _("Something else")),
]
MESSAGE_MAX = 10_000
FORM_MAX_AGE = 24 * 3600


def form_started_token() -> str:
    """Signed: when the form was shown, and a nonce that makes a double submit one post."""
    return signing.dumps({"t": int(time.time()), "n": uuid.uuid4().hex}, salt=FORM_SALT)


def form_started_read(token: str) -> tuple[float, str] | None:
    """(seconds since the form was shown, its nonce), or None for a bad token."""
    try:
        payload = signing.loads(token or "", salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), int):
        return None
    elapsed = time.time() - payload["t"]
    if not 0 <= elapsed <= FORM_MAX_AGE:
        return None
    return elapsed, str(payload.get("n", ""))[:64]


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"), max_length=320)
    order_number = forms.CharField(
        label=_("Order number (optional)"), max_length=64, required=False,
        help_text=_("You find it in your order confirmation."),
    )  # fmt: skip
    topic = forms.ChoiceField(label=_("What is it about?"), choices=TOPICS)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Your message"), max_length=MESSAGE_MAX, min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
    )  # fmt: skip
    stock_sku = forms.RegexField(
        r"^[\x21-\x7e]{1,64}$", label=_("Waiting for a product? Its product number (optional)"),
        max_length=64, required=False,
        help_text=_("We write to you once when it is back in stock."),
        error_messages={"invalid": _("A product number has no spaces or special characters.")},
    )  # fmt: skip
    # A field people never see (hidden by the stylesheet); robots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, max_length=300)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_subject(self) -> str:
        return " ".join(self.cleaned_data["subject"].split())

    def clean_order_number(self) -> str:
        return "".join(self.cleaned_data["order_number"].split()).upper()

    def clean_message(self) -> str:
        return self.cleaned_data["message"].replace("\x00", "").strip()


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"), max_length=100_000, required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}),
    )  # fmt: skip


class ArticleNewForm(ArticleForm):
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    field_order = ["section", "language", "title", "body"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.select_related("category").order_by(
            "category__position", "position", "pk"
        )
