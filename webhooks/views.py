"""The webhooks pages (admins): register endpoints, rotate secrets, enable and disable
them, read the delivery log and replay any delivery."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import admin_required
from webhooks import selectors, services
from webhooks.forms import EndpointForm
from webhooks.models import WebhookDelivery, WebhookEndpoint


@admin_required
@require_http_methods(["GET", "POST"])
def endpoint_list(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(**form.cleaned_data, by=request.user)
        except services.EndpointError as error:
            form.add_error("url", str(error))
        else:
            messages.success(request, _("The endpoint was added; copy its signing secret."))
            return redirect("webhooks:detail", endpoint.pk)
    return render(
        request,
        "webhooks/endpoint_list.html",
        {"form": form, "endpoints": selectors.endpoints_with_counts(), "tab": "webhooks"},
        status=422 if form.errors else 200,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    initial = {"name": endpoint.name, "url": endpoint.url, "event_types": endpoint.event_types}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, **form.cleaned_data, by=request.user)
        except services.EndpointError as error:
            form.add_error("url", str(error))
        else:
            messages.success(request, _("The endpoint was saved."))
            return redirect("webhooks:detail", endpoint.pk)
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "form": form,
            "deliveries": selectors.delivery_log(endpoint=endpoint),
            "secrets": services.signing_secrets(endpoint),
        },
        status=422 if form.errors else 200,
    )


@admin_required
@require_POST
def endpoint_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if action == "rotate":
        services.endpoint_rotate_secret(endpoint=endpoint, by=request.user)
        messages.success(
            request, _("A new secret signs from now on; the old one still does for a day.")
        )
    elif action == "disable":
        services.endpoint_disable(
            endpoint=endpoint,
            by=request.user,
            reason=_("Disabled by %(name)s.") % {"name": request.user.get_username()},
        )
        messages.success(request, _("The endpoint was disabled."))
    elif action == "enable":
        services.endpoint_enable(endpoint=endpoint, by=request.user)
        messages.success(request, _("The endpoint was enabled."))
    else:
        return HttpResponse(status=404)
    return redirect("webhooks:detail", endpoint.pk)


@admin_required
@require_POST
def delivery_replay(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    services.delivery_replay(delivery=delivery, by=request.user)
    messages.success(request, _("The delivery is being sent again."))
    return redirect("webhooks:detail", delivery.endpoint_id)
