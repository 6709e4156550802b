"""Customer pages of the agent workspace: search, create, edit, notes and merge."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from customers import selectors, services
from helpdesk.decorators import agent_required


class CustomerForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)


@agent_required
def customer_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:200]
    customers = selectors.customer_search(text=text)
    template = "customers/_results.html" if request.htmx else "customers/customer_list.html"
    return render(request, template, {"customers": customers, "q": text})


@agent_required
def customer_create(request: HttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        customer = services.customer_create(**form.cleaned_data, by=request.user)
        return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/customer_form.html", {"form": form})


@agent_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(pk=pk)
    if customer.merged_into_id:
        messages.info(
            request, _("This customer was merged; showing the customer it was merged into.")
        )
        return redirect("customers:detail", pk=customer.merged_into_id)
    history = selectors.customer_history(customer=customer, user=request.user, limit=100)
    return render(
        request, "customers/customer_detail.html", {"customer": customer, "history": history}
    )


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
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer})


@agent_required
@require_POST
def customer_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(pk=pk)
    body = request.POST.get("body", "").strip()
    if body:
        services.customer_note_add(customer=customer, by=request.user, body=body[:5000])
    history = selectors.customer_history(customer=customer, user=request.user)
    if request.htmx:
        return render(request, "customers/_notes.html", {"customer": customer, "history": history})
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/tickets/")
                    else f"/customers/{customer.pk}/")  # fmt: skip


@agent_required
@require_POST
def customer_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the customer numbered in the form (the duplicate) into this one."""
    target = selectors.customer_get(pk=pk)
    source_id = request.POST.get("duplicate", "").lstrip("#")
    if not source_id.isdigit():
        messages.error(request, _("Enter the number of the duplicate customer."))
        return redirect("customers:detail", pk=pk)
    source = selectors.customer_get(pk=int(source_id))
    try:
        services.customer_merge(source=source, target=target, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Customer #%(source)d merged into this one.") % {"source": source.pk}
        )
    return redirect("customers:detail", pk=pk)
