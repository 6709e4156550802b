from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from webhooks.models import WebhookEndpoint


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_delivers_every_event_and_reports(capsys):
    call_command("bench_webhooks", events=60, threads=3, batch=20)
    out = capsys.readouterr().out
    assert re.search(
        r"events=60 delivered=60 not_delivered=0 .*delay_p50_ms=\d+ delay_p95_ms=\d+$", out.strip()
    ), out
    assert not WebhookEndpoint.objects.exists()
