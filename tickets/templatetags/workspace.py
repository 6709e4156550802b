"""Template tags of the agent workspace."""

from __future__ import annotations

import uuid

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.templatetags.ui import ICON_MISC, channel_badge, icon, priority_badge, status_badge, when
from tickets.models import Ticket
from tickets.templatetags.sla import sla_due

register = template.Library()


@register.simple_tag
def composer_token() -> str:
    """A fresh name for one composer: every message written in it is sent at most once,
    however often the form is submitted."""
    return str(uuid.uuid4())


@register.simple_tag
def inbox_row(ticket: Ticket) -> SafeString:
    """One inbox row. A list shows 50 of them on every load and the template language
    costs more per row than the cells themselves, so the row is built here, with the
    same escaping (``format_html``) and the same badges as everywhere else."""
    select = _("Select")
    unread = ""
    if ticket.is_unread:
        label = _("Unread")
        unread = format_html(
            '<span class="unread-dot" title="{}">{}</span> ', label,
            icon(ICON_MISC["unread"], label=label),
        )  # fmt: skip
    tags = format_html_join(
        "", '<span class="badge bg-indigo-lt tag">{}</span>', ((name,) for name in ticket.tag_names)
    )
    if assignee := ticket.assignee:
        who = assignee.get_full_name() or assignee.get_username()
    else:
        who = format_html('<span class="text-secondary">{}</span>', _("Unassigned"))
    return format_html(
        '<tr class="{}" data-ticket="{}">'
        '<td><input class="form-check-input m-0 align-middle" type="checkbox" name="ticket" '
        'value="{}" form="bulk-form" aria-label="{} #{}"></td>'
        '<td class="text-secondary">{}</td>'
        '<td class="subject">{} {}<a href="{}">{}</a>\n        {}</td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        '<td class="text-nowrap">{}</td></tr>',
        "unread" if ticket.is_unread else "", ticket.pk, ticket.pk, select, ticket.pk, ticket.pk,
        channel_badge(ticket, short=True), unread,
        reverse("tickets:detail", args=[ticket.pk]), ticket.subject, tags,
        ticket.customer, status_badge(ticket), priority_badge(ticket), sla_due(ticket), who,
        when(ticket.last_activity_at),
    )  # fmt: skip
