"""``{% sla_due ticket %}``: a ticket's soonest SLA due time, coloured by how near it is."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from core.templatetags.ui import ICON_MISC, Kept, icon, when

register = template.Library()

# Translated when shown (only the one a row needs).
SLA_LABELS = {"danger": gettext_noop("Overdue"), "warning": gettext_noop("At risk"),
              "secondary": gettext_noop("Due")}  # fmt: skip


def sla_tone(*, due: datetime | None, at_risk: datetime | None, now: datetime) -> str:
    """ "danger" past due, "warning" at risk, "secondary" otherwise (or "" with no due)."""
    if due is None:
        return ""
    if due <= now:
        return "danger"
    if at_risk is not None and at_risk <= now:
        return "warning"
    return "secondary"


@register.simple_tag
def sla_due(ticket: object) -> SafeString:
    """A list shows one per row on every load: the markup is kept per tone, moment's
    markup and language, like the moment itself."""
    due = getattr(ticket, "sla_due", None)
    tone = sla_tone(due=due, at_risk=getattr(ticket, "sla_at_risk_at", None), now=timezone.now())
    if not tone:
        return mark_safe("")
    moment = when(due)
    key = (tone, moment, get_language())
    markup = _DUE.get(key)
    if markup is None:
        label = _(SLA_LABELS[tone])
        markup = _DUE.keep(key, format_html(
            '<span class="sla-due text-{}">{} {}</span>',
            tone, icon(ICON_MISC["overdue" if tone == "danger" else "due"], label=label), moment,
        ))  # fmt: skip
    return markup


_DUE = Kept(16_384)


@register.inclusion_tag("tickets/_sla_clocks.html")
def sla_clocks(ticket: object) -> dict:
    """The ticket's SLA targets, the latest clock of each, with its state."""
    from tickets.sla import sla_clocks as clocks_of

    now = timezone.now()
    rows = []
    for clock in clocks_of(ticket=ticket):
        if clock.met is False:
            state, tone = "breached", "danger"
        elif clock.met:
            state, tone = "met", "success"
        elif clock.paused_at is not None:
            state, tone = "paused", "secondary"
        else:
            state = "running"
            tone = sla_tone(due=clock.due_at, at_risk=clock.at_risk_at, now=now)
        rows.append({"clock": clock, "state": state, "tone": tone})
    return {"rows": rows}
