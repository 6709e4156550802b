"""How a signed-in request finds its user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser


class StaffModelBackend(ModelBackend):
    """Django's model backend, loading the agent profile with the user: every staff page
    reads it (language, time zone, role) and it was a second query on every request."""

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        users = get_user_model()._default_manager.select_related("agent_profile")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
