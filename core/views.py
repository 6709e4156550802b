"""The API keys page: admins create, list and revoke the keys of the shop's systems."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import admin_required
from core.api.keys import ApiKeyError, api_key_create, api_key_revoke, key_is_usable
from core.forms import ApiKeyForm
from core.models import ApiKey


@admin_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    created_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _api_key, created_key = api_key_create(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                teams=form.cleaned_data["teams"],
                expires_at=form.expires_at(),
                rate_per_minute=form.cleaned_data["rate_per_minute"],
                by=request.user,
            )
        except ApiKeyError as error:
            form.add_error(None, str(error))
        else:
            form = ApiKeyForm()
    keys = list(ApiKey.objects.prefetch_related("teams").order_by("-created_at", "-id"))
    for key in keys:
        key.usable = key_is_usable(key)
    status = 201 if created_key else (422 if request.method == "POST" else 200)
    return render(
        request,
        "core/api_keys.html",
        {"form": form, "keys": keys, "created_key": created_key},
        status=status,
    )


@admin_required
@require_POST
def api_key_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    api_key = get_object_or_404(ApiKey, pk=pk)
    api_key_revoke(api_key=api_key, by=request.user)
    messages.success(request, _("The key %(name)s was revoked.") % {"name": api_key.name})
    return redirect("core:api_keys")
