"""API authentication shared by every app's API: ``Authorization: Api-Key <key>``.

The project keeps its own keys rather than djangorestframework-api-key: that package
hashes with a slow password hasher on every request (our keys are 256 random bits, so a
SHA-256 lookup by prefix is as safe and costs nothing) and has no scopes, team limits or
last-used time, which we would have to add on a model of our own anyway."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from core.events import event_record
from core.models import ApiKey, Team

KEYWORD = "Api-Key"

# What a key may be allowed, per resource: "<resource>:read" or "<resource>:write".
RESOURCES = {
    "tickets": _("Tickets and their messages"),
    "customers": _("Customers and their identities"),
    "orders": _("Orders, items, shipments and deliveries"),
    "products": _("Products: stock and service intervals"),
    "surveys": _("Survey responses and statistics"),
    "loyalty": _("Loyalty accounts, points and coupons"),
    "helpcenter": _("Help-center articles"),
}
ACCESS = ("read", "write")
ALL_SCOPES = [f"{resource}:{access}" for resource in RESOURCES for access in ACCESS]
# A key's last-used time is written at most this often (not on every request).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyError(ValueError):
    """A key that cannot be made as asked (a name in use, an unknown scope)."""


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def scopes_clean(scopes: Iterable[str]) -> list[str]:
    """The scopes in their canonical order; an unknown one raises ApiKeyError."""
    scopes = set(scopes)
    unknown = scopes - set(ALL_SCOPES)
    if unknown:
        raise ApiKeyError(f"unknown scopes: {', '.join(sorted(unknown))}")
    return [scope for scope in ALL_SCOPES if scope in scopes]


@transaction.atomic
def api_key_create(
    *,
    name: str,
    scopes: Iterable[str] | None = None,
    teams: Iterable[Team] = (),
    expires_at: datetime | None = None,
    rate_per_minute: int | None = None,
    by: AbstractBaseUser | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the plain key, which is never stored. Without
    ``scopes`` the key may read and write everything (as keys made before scopes could)."""
    name = " ".join(name.split())
    if not name:
        raise ApiKeyError("A key needs a name.")
    if ApiKey.objects.filter(name=name).exists():
        raise ApiKeyError("A key with this name exists.")
    scopes = ALL_SCOPES if scopes is None else scopes_clean(scopes)
    key = secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        name=name,
        prefix=key[:8],
        key_hash=api_key_hash(key),
        scopes=scopes,
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    api_key.teams.set(list(teams))
    api_key_user(api_key=api_key)
    event_record(
        kind="api_key.created",
        actor=by,
        data={
            "key": api_key.pk,
            "name": name,
            "prefix": api_key.prefix,
            "scopes": scopes,
            "teams": sorted(t.pk for t in teams),
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: AbstractBaseUser | None) -> ApiKey:
    """Refuse the key from now on (idempotent). The row stays, so its audit trail does."""
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is not None:
        return api_key
    api_key.revoked_at = timezone.now()
    api_key.active = False
    api_key.save(update_fields=["revoked_at", "active"])
    event_record(
        kind="api_key.revoked",
        actor=by,
        data={"key": api_key.pk, "name": api_key.name, "prefix": api_key.prefix},
    )
    return api_key


def api_key_user(*, api_key: ApiKey) -> AbstractBaseUser:
    """The user that replies, notes and audit events written through this key name. It
    has no password and is inactive, so nobody can sign in as it."""
    if api_key.user_id is not None:
        return api_key.user
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if locked.user_id is None:
            user = get_user_model().objects.create(
                username=f"api-key-{api_key.pk}",
                first_name=api_key.name[:150],
                last_name="(API)",
                is_active=False,
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            locked.user = user
            locked.save(update_fields=["user"])
        api_key.user = locked.user
    return api_key.user


def key_is_usable(api_key: ApiKey, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        api_key.active
        and api_key.revoked_at is None
        and (api_key.expires_at is None or api_key.expires_at > now)
    )


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
        now = timezone.now()
        for candidate in ApiKey.objects.filter(prefix=key[:8]):
            if hmac.compare_digest(candidate.key_hash, digest):
                if not key_is_usable(candidate, now=now):
                    raise exceptions.AuthenticationFailed("This API key was revoked or expired.")
                if (
                    candidate.last_used_at is None
                    or candidate.last_used_at < now - LAST_USED_RESOLUTION
                ):
                    ApiKey.objects.filter(pk=candidate.pk).update(last_used_at=now)
                return ApiKeyUser(candidate), candidate
        raise exceptions.AuthenticationFailed("Invalid API key.")

    def authenticate_header(self, request) -> str:
        return KEYWORD


def key_team_ids(api_key: ApiKey) -> list[int] | None:
    """The teams a key is limited to, or None when it sees every team (read once)."""
    if not hasattr(api_key, "_team_ids"):
        api_key._team_ids = list(api_key.teams.values_list("pk", flat=True)) or None
    return api_key._team_ids


def has_scope(api_key: ApiKey, *, resource: str, write: bool) -> bool:
    if f"{resource}:write" in api_key.scopes:
        return True
    return not write and f"{resource}:read" in api_key.scopes


class IsStaffOrApiKey(permissions.BasePermission):
    """Staff members in a browser session, or the shop's systems with an API key that
    has the view's ``api_resource`` scope (read for safe methods, write for the others;
    a view without ``api_resource`` takes any key)."""

    message = "This API key lacks the scope for this request."

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiKey):
            resource = getattr(view, "api_resource", None)
            if resource is None:
                return True
            write = request.method not in permissions.SAFE_METHODS
            return has_scope(request.auth, resource=resource, write=write)
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
            "description": "Send `Authorization: Api-Key <key>`. Scopes: "
            + ", ".join(f"`{scope}`" for scope in ALL_SCOPES)
            + " (write includes read).",
        }
