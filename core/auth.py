"""How a signed-in request finds its user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser

from core.models import AgentProfile
from core.rows import instances, json_row, select_together


class StaffModelBackend(ModelBackend):
    """Django's model backend, loading the agent profile with the user: every staff page
    reads it (language, time zone, role). Every signed-in request makes this read, so it
    is one prepared statement (``core.rows``) rather than a query the ORM builds anew."""

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        model = get_user_model()
        profile = (
            f"(SELECT row_to_json(p) FROM {AgentProfile._meta.db_table} p "  # noqa: S608
            f"WHERE p.user_id = x.{model._meta.pk.column})"
        )
        (row,) = select_together(
            [json_row(model, "%(user)s", related={"agent_profile": profile})], {"user": user_id}
        )
        if row is None:
            return None
        (user,) = instances(model, [row], agent_profile=AgentProfile)
        return user if self.user_can_authenticate(user) else None
