"""The settings of a developer's machine: ``make run`` as users see it, ``make dev`` for
debugging, links that follow the port, and what production can never switch on."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from tests.processes import settings_of

LOCAL = "helpdesk.settings.local"


def test_every_link_in_an_email_follows_the_port_of_make_run():
    assert settings_of(LOCAL, ["SITE_URL"], PORT="8711") == {"SITE_URL": "http://127.0.0.1:8711"}
    assert settings_of(LOCAL, ["SITE_URL"]) == {"SITE_URL": "http://127.0.0.1:8000"}


def test_a_site_url_given_wins_over_the_port():
    got = settings_of(LOCAL, ["SITE_URL"], PORT="8711", SITE_URL="https://help.shop.example/")

    assert got == {"SITE_URL": "https://help.shop.example"}


def test_make_run_has_debug_off_the_mailbox_on_and_surveys_sent_every_ten_seconds():
    got = settings_of(LOCAL, ["DEBUG", "DEV_MAILBOX", "CELERY_BEAT_SCHEDULE"])

    assert got["DEBUG"] is False
    assert got["DEV_MAILBOX"] is True
    assert got["CELERY_BEAT_SCHEDULE"]["surveys-send-due"]["schedule"] == "0:00:10"


def test_make_dev_turns_debug_on():
    assert settings_of(LOCAL, ["DEBUG"], DEBUG="true") == {"DEBUG": True}


@pytest.mark.parametrize("name", ["DEV_MAILBOX", "DEMO_DATA_ALLOWED"])
def test_the_deploy_check_refuses_local_conveniences(settings, name):
    settings.DEV_MAILBOX = settings.DEMO_DATA_ALLOWED = False
    setattr(settings, name, True)

    errors = [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("helpdesk.")]

    assert [e.msg.split(" ")[0] for e in errors] == [name]


def test_production_settings_keep_them_off():
    got = settings_of(
        "helpdesk.settings.production", ["DEV_MAILBOX", "DEMO_DATA_ALLOWED", "DEBUG"],
        SECRET_KEY="x" * 60, ALLOWED_HOSTS="help.shop.example",
        EMAIL_BACKEND="anymail.backends.test.EmailBackend",
    )  # fmt: skip

    assert got == {"DEV_MAILBOX": False, "DEMO_DATA_ALLOWED": False, "DEBUG": False}
