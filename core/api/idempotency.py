"""``Idempotency-Key`` on every POST, with the loyalty API's semantics: the same key with
the same request answers exactly as the first time; the same key with another request is
refused with 409. Keys belong to the caller (an API key or a staff member), so two
clients never collide, and only successful answers are kept: a refused request may be
sent again once it is put right."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import DomainError
from core.models import ApiKey, IdempotencyRecord

# Printable ASCII without spaces: what clients use (UUIDs, hashes, their own ids).
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,150}$")
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="1 to 150 printable ASCII characters; send the same key to retry safely. "
    "The same key with a different request is refused with 409.",
)
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyConflictError(DomainError):
    code = "idempotency_key_reused"
    status = status.HTTP_409_CONFLICT


def idempotency_key_read(request: Request) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not KEY_PATTERN.match(key):
        raise ValidationError({"Idempotency-Key": "Send 1 to 150 printable ASCII characters."})
    return key


def request_owner(request: Request) -> str:
    if isinstance(request.auth, ApiKey):
        return f"key:{request.auth.pk}"
    return f"user:{request.user.pk}"


def request_fingerprint(request: Request, kwargs: dict) -> str:
    """What makes two requests the same: the operation, its path and its body (read as
    data, so the order of JSON keys does not matter)."""
    try:
        body = json.dumps(request.data, sort_keys=True, default=str)
    except Exception:  # an unparsable body: its bytes
        body = request.body.decode("utf-8", "replace")
    raw = json.dumps([request.method, request.path, body, sorted(kwargs.items())], default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Wrap an APIView's ``post``: read the key, replay or refuse a repeat, keep the first
    successful answer. Concurrent requests with one key wait for each other (an advisory
    lock), so the second sees the first's answer instead of doing the work again."""

    @wraps(handler)
    def post(self, request: Request, *args, **kwargs) -> Response:
        key = idempotency_key_read(request)
        owner = request_owner(request)
        fingerprint = request_fingerprint(request, kwargs)
        lock = int.from_bytes(
            hashlib.sha256(f"{owner}:{key}".encode()).digest()[:8], "big", signed=True
        )
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
            record = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
            if record is not None:
                if record.fingerprint != fingerprint:
                    raise IdempotencyConflictError(
                        "This Idempotency-Key was used for a different request."
                    )
                return Response(
                    record.body, status=record.status_code, headers={REPLAYED_HEADER: "true"}
                )
            response = handler(self, request, *args, **kwargs)
            if status.is_success(response.status_code):
                IdempotencyRecord.objects.create(
                    owner=owner,
                    key=key,
                    fingerprint=fingerprint,
                    status_code=response.status_code,
                    body=response.data,
                )
            return response

    return post


def idempotency_records_purge(*, now=None) -> int:
    """Forget answers older than ``API_IDEMPOTENCY_HOURS`` (a beat task; idempotent)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _rows = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
