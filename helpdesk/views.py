from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """Staff land in their ticket list; everyone else at the login page."""
    if request.user.is_authenticated:
        return redirect("tickets:list")
    return redirect("login")
