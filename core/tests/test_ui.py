"""The design system's tags: one date format per language, relative times with the
exact time on hover, badges, icons from the sprite, form fields with inline errors."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from core.htmx import toast, trigger

BERLIN = ZoneInfo("Europe/Berlin")


def render(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected_date", "expected_exact"),
    [("en", "1 Jun 2026", "1 Jun 2026, 18:57"), ("de", "1. Jun 2026", "1. Jun 2026, 18:57"),
     ("tr", "1 Haz 2026", "1 Haz 2026 18:57")],
)  # fmt: skip
def test_an_old_moment_shows_its_date_and_the_exact_time_in_the_viewers_zone(
    language, expected_date, expected_exact
):
    moment = datetime(2026, 6, 1, 16, 57, tzinfo=ZoneInfo("UTC"))  # 18:57 in Berlin
    with translation.override(language), timezone.override(BERLIN):
        html = render("{% when moment %}", moment=moment)
        day = render("{% day moment label='x' %}", moment=date(2026, 6, 1))
    assert html == (
        f'<time datetime="2026-06-01T16:57:00+00:00" title="{expected_exact}">'
        f"{expected_date}</time>"
    )
    assert f">x {expected_date}</time>" in day


@pytest.mark.parametrize(("language", "word"), [("en", "ago"), ("de", "vor"), ("tr", "önce")])
def test_a_recent_moment_reads_relative(language, word):
    with translation.override(language):
        html = render("{% when moment %}", moment=timezone.now() - timedelta(hours=3))
    assert word in html
    assert 'title="' in html


def test_nothing_is_shown_for_no_moment():
    assert render("{% when none %}{% day none %}", none=None) == ""


def test_badges_carry_the_value_and_its_label():
    from tickets.models import Ticket

    ticket = Ticket(status="pending", priority=4, channel="whatsapp")
    html = render(
        "{% status_badge t %}{% priority_badge t %}{% channel_badge t short=True %}", t=ticket
    )
    assert 'class="badge bg-yellow-lt status status-pending">Pending</span>' in html
    assert 'class="badge bg-red-lt priority priority-4">Urgent</span>' in html
    assert 'title="WhatsApp"' in html
    assert 'aria-label="WhatsApp"' in html
    assert "icons.svg#brand-whatsapp" in html


def test_a_label_is_escaped():
    assert "&lt;b&gt;" in render("{% icon 'x' label=evil %}", evil="<b>")


class ContactForm(forms.Form):
    email = forms.EmailField(label="Email", help_text="We write to you here.")
    topic = forms.ChoiceField(choices=[("a", "A")])
    agree = forms.BooleanField()


def test_a_field_shows_its_inline_error_tied_to_the_control():
    form = ContactForm(data={"email": "nope", "topic": "a"})
    form.is_valid()
    html = render("{% field form.email %}{% field form.topic %}{% field form.agree %}", form=form)
    assert 'class="form-control is-invalid"' in html
    assert 'aria-describedby="id_email-hint id_email-errors"' in html
    assert 'id="id_email-errors"' in html
    assert 'class="form-select"' in html
    assert 'class="form-check-input is-invalid"' in html


def test_an_htmx_answer_carries_its_toast_and_events_together():
    request = RequestFactory().post("/")
    request.htmx = True
    response = trigger(HttpResponse(), "ticket-changed")
    toast(request, response, "Gespeichert – ✓")
    assert response.headers["HX-Trigger"].isascii()
    import json

    assert json.loads(response.headers["HX-Trigger"]) == {
        "ticket-changed": None, "toast": {"message": "Gespeichert – ✓", "level": "success"},
    }  # fmt: skip


@pytest.mark.parametrize("language", ["en", "de", "tr"])
def test_a_kept_moment_reads_exactly_as_naturaltime_at_every_distance(language):
    """Moments are kept per step of their distance from now; at any instant the text
    must be naturaltime's own, past and future, across each unit's boundaries."""
    import time_machine
    from django.contrib.humanize.templatetags.humanize import naturaltime

    start = datetime(2026, 3, 28, 23, 59, 30, tzinfo=ZoneInfo("UTC"))  # DST in Berlin
    moments = [start - timedelta(seconds=s) for s in (0, 1, 59, 61, 3599, 3601, 86_399,
                                                     90_000, 6 * 86_400 + 3_599)]  # fmt: skip
    moments += [start + timedelta(seconds=s) for s in (1, 59, 3601, 86_401)]
    with (
        translation.override(language),
        timezone.override(BERLIN),
        time_machine.travel(start, tick=False) as clock,
    ):
        for _step in range(40):  # 40 × 97 s: past minute, hour and day boundaries
            for moment in moments:
                shown = render("{% when moment %}", moment=moment)
                assert f">{naturaltime(moment)}</time>" in shown, (clock, moment)
            clock.shift(timedelta(seconds=97))
