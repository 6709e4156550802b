from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender: AppConfig, **kwargs: object) -> None:
    # post_migrate fires once per app; role groups need every app's permissions, which
    # exist only once the last app has had its turn.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from core.staff import roles_sync_groups

    roles_sync_groups()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Staff and audit")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from core.config_cache import config_watch
        from core.events import EventKind, event_kinds_declare
        from core.models import AgentProfile

        # Staff addresses (mail claiming to come from one is flagged) and the agents the
        # inbox offers are read once per change of either.
        config_watch(
            get_user_model(), fields=["email", "first_name", "last_name", "username", "is_active"]
        )
        config_watch(AgentProfile)
        config_watch(AgentProfile.teams.through)  # memberships: scopes, and the agents of a team
        post_migrate.connect(_sync_role_groups, dispatch_uid="core-role-groups")
        event_kinds_declare([EventKind("agent.role_set"), EventKind("api_key.created")])
