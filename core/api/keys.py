"""API authentication shared by every app's API: ``Authorization: Api-Key <key>``."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from core.events import event_record
from core.models import ApiKey

KEYWORD = "Api-Key"


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, name: str) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the plain key, which is never stored."""
    key = secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(name=name, prefix=key[:8], key_hash=api_key_hash(key))
    event_record(kind="api_key.created", data={"name": name, "prefix": api_key.prefix})
    return api_key, key


class ApiKeyUser:
    """The principal behind an API key: authenticated, not a staff member, no row."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key

    def __str__(self) -> str:
        return f"api-key:{self.api_key.name}"

    def get_username(self) -> str:
        return str(self)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() != KEYWORD.lower():
            return None
        if len(header) != 2 or len(header[1]) > 200:
            raise exceptions.AuthenticationFailed("Malformed Api-Key header.")
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("Malformed Api-Key header.") from error
        digest = api_key_hash(key)
        api_key = ApiKey.objects.filter(prefix=key[:8], active=True).only("key_hash", "name")
        for candidate in api_key:
            if hmac.compare_digest(candidate.key_hash, digest):
                return ApiKeyUser(candidate), candidate
        raise exceptions.AuthenticationFailed("Invalid API key.")

    def authenticate_header(self, request) -> str:
        return KEYWORD


class IsStaffOrApiKey(permissions.BasePermission):
    """Staff members in a browser session, or the shop's systems with an API key."""

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiKey):
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Describes the Api-Key header in the OpenAPI schema."""

    target_class = "core.api.keys.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Send `Authorization: Api-Key <key>`.",
        }
