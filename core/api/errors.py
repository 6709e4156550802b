"""Errors of every API as problem details (RFC 9457, ``application/problem+json``).

Services raise ``DomainError`` subclasses with a stable ``code``; views let them rise and
``problem_exception_handler`` (DRF's EXCEPTION_HANDLER) turns them, and DRF's own errors,
into one shape: ``type``, ``title``, ``status``, ``detail``, ``code`` and, for invalid
input, ``errors`` by field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://helpdesk.example/problems/"  # stable identifiers, not fetched


class DomainError(Exception):
    """A refusal the caller can show to a person. ``code`` is stable for API clients;
    ``status`` is the HTTP status an API answers it with."""

    code = "refused"
    status = status.HTTP_422_UNPROCESSABLE_ENTITY


def problem_response(
    *, status_code: int, code: str, detail: Any, errors: Any = None, headers: dict | None = None
) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": _TITLES.get(status_code, "Request refused"),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


_TITLES = {
    400: "Invalid request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    415: "Unsupported media type",
    422: "Request refused",
    429: "Too many requests",
}


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return problem_response(status_code=exc.status, code=exc.code, detail=str(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # a server error: Django's 500 handling, logged
    headers = {
        k: v
        for k, v in response.headers.items()
        if k in ("WWW-Authenticate", "Allow", "Retry-After")
    }
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            status_code=response.status_code,
            code="invalid",
            errors=exc.detail,
            detail="The request has invalid fields; see errors.",
            headers=headers,
        )
    detail = exc.detail if isinstance(exc.detail, str) else response.data
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    return problem_response(
        status_code=response.status_code, code=str(code), detail=detail, headers=headers
    )
