from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender: AppConfig, **kwargs: object) -> None:
    # post_migrate fires once per app; role groups need every app's permissions, which
    # exist only once the last app has had its turn.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from tickets.roles import roles_sync_groups

    roles_sync_groups()


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        post_migrate.connect(_sync_role_groups, dispatch_uid="tickets-role-groups")
        # Connect the anymail inbound and tracking receivers.
        from tickets.channels.email import receive  # noqa: F401
