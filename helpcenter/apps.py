from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpcenterConfig(AppConfig):
    name = "helpcenter"
    verbose_name = _("Help center")

    def ready(self) -> None:
        from core.events import EventKind, event_kinds_declare
        from helpcenter.composer import composer_article_links
        from tickets.hooks import composer_tools

        composer_tools.register(composer_article_links)
        event_kinds_declare(
            [
                EventKind("help.article_created"),
                EventKind("help.article_proposed"),
                EventKind("help.article_published"),
                EventKind("help.article_unpublished"),
                EventKind("help.image_uploaded"),
                EventKind("help.voted"),
                EventKind("help.feedback_ticket", _("opened a ticket from help-center feedback")),
                EventKind("help.contact_submitted"),
            ]
        )
