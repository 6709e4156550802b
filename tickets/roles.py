"""Staff roles. Each role is an auth group with its permissions; the profile's role
field is the source of truth and ``role_assign`` keeps the groups in step."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from tickets.models import AgentProfile

AGENT_PERMISSIONS = [
    "tickets.view_ticket", "tickets.add_ticket", "tickets.change_ticket",
    "tickets.view_message", "tickets.add_message", "tickets.view_attachment",
    "tickets.view_team",
    "customers.view_customer", "customers.add_customer", "customers.change_customer",
    "customers.view_contactidentity", "customers.add_contactidentity",
    "customers.view_order", "customers.view_orderitem", "customers.view_product",
    "customers.view_customernote", "customers.add_customernote", "customers.view_consent",
    "tickets.view_macro", "tickets.view_tag", "tickets.add_tag",
]  # fmt: skip
LEAD_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    "tickets.change_team", "tickets.view_agentprofile", "helpdesk.view_event",
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
