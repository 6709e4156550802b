"""Staff members and their roles. Each role is an auth group with its permissions; the
profile's role field is the source of truth and ``agent_set_role`` keeps the groups in
step (``roles_sync_groups`` after every migrate)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction

from core.config_cache import config_cached
from core.events import event_record
from core.models import AgentProfile, Team

AGENT_PERMISSIONS = [
    "tickets.view_ticket", "tickets.add_ticket", "tickets.change_ticket",
    "tickets.view_message", "tickets.add_message", "tickets.view_attachment",
    "core.view_team",
    "customers.view_customer", "customers.add_customer", "customers.change_customer",
    "customers.view_contactidentity", "customers.add_contactidentity",
    "customers.view_order", "customers.view_orderitem", "customers.view_product",
    "customers.view_customernote", "customers.add_customernote", "customers.view_consent",
    "tickets.view_macro", "tickets.view_tag", "tickets.add_tag",
]  # fmt: skip
LEAD_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    "core.change_team", "core.view_agentprofile", "core.view_event",
    "tickets.add_macro", "tickets.change_macro", "tickets.delete_macro",
    "tickets.change_tag",
]  # fmt: skip


def roles_sync_groups() -> None:
    """Create or update the three role groups with their permissions (idempotent)."""
    wanted = {
        AgentProfile.Role.AGENT: AGENT_PERMISSIONS,
        AgentProfile.Role.LEAD: LEAD_PERMISSIONS,
        AgentProfile.Role.ADMIN: None,  # every permission
    }
    for role, names in wanted.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        if names is None:
            group.permissions.set(Permission.objects.all())
            continue
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


@transaction.atomic
def agent_create(
    *,
    username: str,
    email: str,
    password: str | None,
    role: str = AgentProfile.Role.AGENT,
    teams: Iterable[Team] = (),
    first_name: str = "",
    last_name: str = "",
    language: str = "en",
) -> AgentProfile:
    """Create a staff member with a role. Admins and leads may use the admin site."""
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password, first_name=first_name,
        last_name=last_name,
    )  # fmt: skip
    profile = AgentProfile.objects.create(user=user, language=language)
    profile.teams.set(teams)
    agent_set_role(profile=profile, role=role)
    return profile


@transaction.atomic
def agent_set_role(*, profile: AgentProfile, role: str, by: AbstractUser | None = None) -> None:
    """Give a staff member a role: their group, admin-site access and superuser flag."""
    user = profile.user
    profile.role = role
    profile.save(update_fields=["role"])
    user.groups.remove(*Group.objects.filter(name__in=AgentProfile.Role.values))
    user.groups.add(Group.objects.get(name=role))
    user.is_staff = profile.is_lead
    user.is_superuser = role == AgentProfile.Role.ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])
    event_record(kind="agent.role_set", actor=by, data={"user": user.pk, "role": role})


def _staff_addresses() -> frozenset[str]:
    users = get_user_model().objects.filter(agent_profile__isnull=False).exclude(email="")
    return frozenset(email.strip().lower() for email in users.values_list("email", flat=True))


def staff_address_is(address: str) -> bool:
    """Whether ``address`` is a staff member's email: mail that claims to come from one
    is never a new customer's. The addresses are read once per configuration change."""
    address = address.strip().lower()
    return bool(address) and address in config_cached("staff_addresses", _staff_addresses)
