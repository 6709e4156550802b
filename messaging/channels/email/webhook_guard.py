"""No inbound webhook answers 500 because of what a sender put in a message.

Anymail's views raise on payloads they cannot read (a KeyError on a missing field, a
header that will not decode). This middleware turns that into: unauthenticated → 400 and
nothing written; authenticated → the raw request kept in quarantine with the reason, and
200 so the ESP does not retry a payload that will never parse. Database errors still
propagate (a 5xx makes the ESP try again later, which is what we want then).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, RawPostDataException
from django.urls import resolve

logger = logging.getLogger(__name__)


def _request_bytes(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RawPostDataException:
        fields = {key: request.POST.getlist(key) for key in request.POST}
        files = {key: [f.name for f in request.FILES.getlist(key)] for key in request.FILES}
        return json.dumps({"POST": fields, "FILES": files}, ensure_ascii=False).encode()


class InboundWebhookGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        path = request.path_info
        if not path.startswith("/anymail/") or isinstance(
            exception, SuspiciousOperation | DatabaseError
        ):
            return None
        from messaging.inbound import inbound_quarantine_store

        try:
            match = resolve(path)
            view = match.func.view_class(**getattr(match.func, "view_initkwargs", {}))
            view.run_validators(request)
        except Exception:
            logger.warning("anymail webhook %s failed and did not authenticate", path)
            return HttpResponseBadRequest("invalid webhook payload")
        if "inbound" not in path:
            logger.warning("anymail tracking webhook %s unreadable: %r", path, exception)
            return HttpResponse("unreadable tracking event ignored")
        reason = f"webhook payload unreadable: {type(exception).__name__}: {exception}"
        row = inbound_quarantine_store(
            raw=_request_bytes(request), origin=path.split("/")[2], reason=reason
        )
        logger.warning("anymail webhook %s quarantined as %s: %s", path, row.pk, reason)
        return HttpResponse("stored in quarantine")
