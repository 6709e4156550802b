from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from tickets.selectors import agent_profile


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only signed-in staff with an agent profile reach the agent workspace."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if agent_profile(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
