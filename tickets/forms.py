"""Forms of the agent workspace that take more than a field or two."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from customers.views import CustomerForm
from messaging.models import Channel
from tickets.models import Ticket
from tickets.services import NewCustomer

# What the agent is recording, in their words, and the channel each one is.
CONTACT_CHOICES = [
    (Channel.PHONE, _("Phone call")),
    (Channel.IN_PERSON, _("Walk-in")),
    (Channel.EMAIL, _("Outbound email")),
]
TEXT_MAX_LENGTH = 50_000


class TicketNewForm(forms.Form):
    contact = forms.ChoiceField(
        label=_("What happened"), choices=CONTACT_CHOICES, initial=Channel.PHONE,
        widget=forms.RadioSelect,
    )  # fmt: skip
    subject = forms.CharField(label=_("Subject"), max_length=Ticket._meta.get_field("subject")
                              .max_length)  # fmt: skip
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label=None)
    body = forms.CharField(
        label=_("Message"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("After a call or a visit: your notes on it, for colleagues only. For an "
                    "outbound email: the text the customer receives."),
    )  # fmt: skip

    def __init__(self, *args: object, teams: QuerySet, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if not teams.exists():  # an admin in no team: the ticket is theirs, in no team
            self.fields["team"].required = False
            self.fields["team"].empty_label = "–"

    def clean_subject(self) -> str:
        return " ".join(self.cleaned_data["subject"].split())


class NewCustomerForm(CustomerForm):
    """A customer entered while opening a ticket: a name and a way to reach them."""

    def clean(self) -> dict:
        data = super().clean()
        typed = any(data.get(f) or self.has_error(f) for f in ("email", "phone"))
        if not typed:
            raise forms.ValidationError(_("Give an email address or a phone number."))
        return data

    def new_customer(self) -> NewCustomer:
        data = self.cleaned_data
        return NewCustomer(
            first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
            phone=data["phone"], language=data["language"], region=self.region,
        )  # fmt: skip
