"""Customer pages of the agent workspace: search, create, edit, notes and merge."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import agent_required
from core.htmx import toast
from core.params import int_param, text_param
from core.querylimits import QueryTooSlowError, statement_timeout
from customers import selectors, services
from customers.models import Consent, ContactIdentity
from customers.phones import PhoneNumberError, phone_region_for_agent

NOTE_MAX_LENGTH = 5000


class CustomerForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)

    def __init__(self, *args, region: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.region = region  # where a national phone number is read

    def clean_phone(self) -> str:
        return _phone_valid(self.cleaned_data["phone"], region=self.region)


def _phone_valid(phone: str, *, region: str | None) -> str:
    if phone:
        try:
            services.address_normalise(kind=ContactIdentity.Kind.PHONE, address=phone,
                                       region=region)  # fmt: skip
        except PhoneNumberError as error:
            raise forms.ValidationError(str(error)) from None
    return phone


class IdentityForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[(k.value, k.label) for k in (ContactIdentity.Kind.EMAIL,
                 ContactIdentity.Kind.PHONE, ContactIdentity.Kind.WHATSAPP)],
    )  # fmt: skip
    address = forms.CharField(label=gettext_lazy("Address or number"), max_length=320)

    def __init__(self, *args, region: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.region = region  # where a national phone number is read

    def clean(self) -> dict:
        data = super().clean()
        kind, address = data.get("kind"), data.get("address")
        if kind and address:
            try:
                if kind == ContactIdentity.Kind.EMAIL:
                    forms.EmailField().clean(address)
                else:
                    _phone_valid(address, region=self.region)
            except forms.ValidationError as error:
                self.add_error("address", error)
        return data


def _taken(taken: services.IdentityTakenError) -> str:
    return _("%(address)s already belongs to customer #%(customer)d.") % {
        "address": taken.address, "customer": taken.customer_id,
    }  # fmt: skip


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=Consent.Purpose.choices)
    granted = forms.TypedChoiceField(
        label=gettext_lazy("Agrees"), coerce=lambda value: value == "yes",
        choices=[("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))],
    )  # fmt: skip
    source = forms.CharField(
        label=gettext_lazy("How we know"), max_length=100,
        help_text=gettext_lazy("For example: told us on the phone"),
    )  # fmt: skip


@agent_required
def customer_list(request: HttpRequest) -> HttpResponse:
    text = text_param(request.GET.get("q"))[:200]
    too_slow = False
    try:
        with statement_timeout(settings.INBOX_STATEMENT_TIMEOUT_MS):
            customers = selectors.customer_search(text=text)
    except QueryTooSlowError:
        customers, too_slow = [], True
    template = "customers/_results.html" if request.htmx else "customers/customer_list.html"
    return render(request, template, {"customers": customers, "q": text, "too_slow": too_slow})


@agent_required
def customer_create(request: HttpRequest) -> HttpResponse:
    region = phone_region_for_agent(user=request.user) if request.method == "POST" else None
    form = CustomerForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(**form.cleaned_data, by=request.user,
                                                region=region)  # fmt: skip
        except services.IdentityTakenError as taken:
            form.add_error(None, _taken(taken))
            return render(request, "customers/customer_form.html", {"form": form}, status=409)
        return redirect("customers:detail", pk=customer.pk)
    status = 422 if form.errors else 200
    return render(request, "customers/customer_form.html", {"form": form}, status=status)


@agent_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(pk=pk)
    if customer.merged_into_id:
        messages.info(
            request, _("This customer was merged; showing the customer it was merged into.")
        )
        return redirect("customers:detail", pk=customer.merged_into_id)
    history = selectors.customer_history(customer=customer, user=request.user, limit=100)
    return render(request, "customers/customer_detail.html", {
        "customer": customer, "history": history, "identity_form": IdentityForm(),
        "consent_form": ConsentForm(),
    })  # fmt: skip


@agent_required
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(pk=pk)
    form = CustomerForm(request.POST or None, initial={
        "first_name": customer.first_name, "last_name": customer.last_name,
        "language": customer.language,
    })  # fmt: skip
    form.fields.pop("email")
    form.fields.pop("phone")
    if request.method == "POST" and form.is_valid():
        services.customer_update(customer=customer, by=request.user, **form.cleaned_data)
        return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer},
                  status=422 if form.errors else 200)  # fmt: skip


@agent_required
@require_POST
def customer_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep a note about the customer. An empty or overlong note is refused with the
    text left in the field, never cut short."""
    customer = selectors.customer_get(pk=pk)
    body = text_param(request.POST.get("body"))
    error = ""
    if not body:
        error = _("Write the note first.")
    elif len(body) > NOTE_MAX_LENGTH:
        error = _("A note has at most %(count)d characters.") % {"count": NOTE_MAX_LENGTH}
    else:
        services.customer_note_add(customer=customer, by=request.user, body=body)
    if request.htmx:
        history = selectors.customer_history(customer=customer, user=request.user)
        response = render(request, "customers/_notes.html", {
            "customer": customer, "history": history, "note_error": error,
            "note_body": body if error else "",
        })  # fmt: skip
        if error:
            response.status_code = 422
            return response
        return toast(request, response, _("Note added."))
    if error:
        messages.error(request, error)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/tickets/") and "//" not in back
                    else reverse("customers:detail", args=[customer.pk]))  # fmt: skip


@agent_required
@require_POST
def customer_identity_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an email address or phone number; one that belongs to another customer is
    refused with that customer's number, so the agent can merge the two. A national
    phone number is read as one of the agent's team's country."""
    customer = selectors.customer_get(pk=pk)
    region = phone_region_for_agent(user=request.user)
    form = IdentityForm(request.POST, region=region)
    if form.is_valid():
        try:
            services.customer_identity_add(customer=customer, by=request.user,
                                           region=region, **form.cleaned_data)  # fmt: skip
        except services.IdentityTakenError as taken:
            form.add_error("address", _taken(taken))
    return _card_response(request, customer, form, "customers/_identities.html", "identity_form")


@agent_required
@require_POST
def customer_consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a consent the customer gave or withdrew, say on the phone."""
    customer = selectors.customer_get(pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.consent_record(customer=customer, by=request.user, **form.cleaned_data)
    return _card_response(request, customer, form, "customers/_consents.html", "consent_form")


def _card_response(
    request: HttpRequest, customer, form: forms.Form, template: str, form_name: str
) -> HttpResponse:
    """After a form on a card of the customer page: htmx swaps the card in place (the
    form empty again, or with its errors and what was typed); without JavaScript the
    page comes back with the errors as messages."""
    if not request.htmx:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("customers:detail", pk=customer.pk)
    history = selectors.customer_history(customer=customer, user=request.user)
    shown = form if form.errors else type(form)()
    response = render(request, template, {"history": history, form_name: shown,
                      "editable": True}, status=422 if form.errors else 200)  # fmt: skip
    return response if form.errors else toast(request, response, _("Saved."))


@agent_required
@require_POST
def customer_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the customer numbered in the form (the duplicate) into this one."""
    target = selectors.customer_get(pk=pk)
    source_id = int_param(request.POST.get("duplicate", "").strip().lstrip("#"))
    if source_id is None:
        messages.error(request, _("Enter the number of the duplicate customer."))
        return redirect("customers:detail", pk=pk)
    source = selectors.customer_get(pk=source_id)
    try:
        services.customer_merge(source=source, target=target, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Customer #%(source)d merged into this one.") % {"source": source.pk}
        )
    return redirect("customers:detail", pk=pk)
