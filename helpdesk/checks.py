"""Deploy checks of the project shell (``manage.py check --deploy``, run by ``make lint``
with production settings): local conveniences must never reach production."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def local_conveniences_off(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """The development mailbox shows every outgoing email to every agent, and demo data
    is made-up customers: both are for a developer's machine only."""
    errors = []
    if getattr(settings, "DEV_MAILBOX", False):
        errors.append(Error(
            "DEV_MAILBOX is on: every agent could read every outgoing email at /dev/mailbox/.",
            hint="Leave DEV_MAILBOX to the local settings.", id="helpdesk.E001",
        ))  # fmt: skip
    if getattr(settings, "DEMO_DATA_ALLOWED", False):
        errors.append(Error(
            "DEMO_DATA_ALLOWED is on: seed_demo could load made-up customers.",
            hint="Leave DEMO_DATA_ALLOWED to the local and test settings.", id="helpdesk.E002",
        ))  # fmt: skip
    return errors
