"""Template tags of the agent workspace."""

from __future__ import annotations

import uuid

from django import template
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.templatetags.ui import (
    ICON_MISC,
    Kept,
    channel_badge,
    icon,
    priority_badge,
    status_badge,
    when,
)
from tickets.inbox import InboxRow
from tickets.models import Ticket
from tickets.templatetags.sla import sla_due

register = template.Library()


@register.simple_tag
def composer_token() -> str:
    """A fresh name for one composer: every message written in it is sent at most once,
    however often the form is submitted."""
    return str(uuid.uuid4())


# A row's markup apart from its two moments, per everything it shows (see inbox_row).
_ROWS = Kept(10_000)  # about 1 KB each, per process


@register.simple_tag
def inbox_row(ticket: InboxRow) -> SafeString:
    """One inbox row. A list shows 50 of them on every load and the template language
    costs more per row than the cells themselves, so the row is built here, with the
    same escaping (``format_html``) and the same badges as everywhere else.

    Agents load the same rows all day, so a row's markup is kept per process, keyed by
    every value it shows and the reader's language: a change to any of them is a new
    key, never a stale row. Only its moments (the SLA due time and the last activity,
    "5 minutes ago") depend on the clock and the reader's zone; they are rendered fresh
    on every load."""
    key = (
        ticket.pk, ticket.subject, ticket.customer_name, ticket.status, ticket.priority,
        ticket.channel, ticket.is_unread, tuple(ticket.tag_names), ticket.assignee_name,
        get_language(), get_script_prefix(),
    )  # fmt: skip
    parts = _ROWS.get(key)
    if parts is None:
        parts = _ROWS.keep(key, _row_parts(ticket))
    head, middle = parts
    return mark_safe(  # noqa: S308 - both parts and both cells are escaped markup
        f"{head}{sla_due(ticket)}{middle}{when(ticket.last_activity_at)}</td></tr>"
    )


def _row_parts(ticket: InboxRow) -> tuple[str, str]:
    """The escaped markup before the SLA cell's content and between it and the last
    activity's."""
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
    head = format_html(
        '<tr class="{}" data-ticket="{}">'
        '<td><input class="form-check-input m-0 align-middle" type="checkbox" name="ticket" '
        'value="{}" form="bulk-form" aria-label="{} #{}"></td>'
        '<td class="text-secondary">{}</td>'
        '<td class="subject">{} {}<a href="{}">{}</a>\n        {}</td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>",
        "unread" if ticket.is_unread else "", ticket.pk, ticket.pk, select, ticket.pk, ticket.pk,
        channel_badge(ticket, short=True), unread,
        reverse("tickets:detail", args=[ticket.pk]), ticket.subject, tags,
        ticket.customer_name, status_badge(ticket), priority_badge(ticket),
    )  # fmt: skip
    who = ticket.assignee_name
    if who is None:
        who = format_html('<span class="text-secondary">{}</span>', _("Unassigned"))
    middle = format_html('</td><td>{}</td><td class="text-nowrap">', who)
    return str(head), str(middle)


# A timeline message's markup apart from its moment, per everything it shows.
_MESSAGES = Kept(5_000)  # a few KB each, per process
MESSAGE_KEPT_UP_TO = 4_000  # characters of text; longer messages are built every time


@register.simple_tag
def timeline_message(message, ticket: Ticket) -> SafeString:
    """One message of the ticket page's timeline. A long ticket shows a hundred of them
    and the template language cost more per message than the markup itself, so the
    message is built here with the same escaping (``format_html``), words and badges as
    the template it replaces; the page's HTML is the same byte for byte.

    Messages do not change once written and agents open the same tickets all day, so
    the markup is kept per process like an inbox row: keyed by every value it shows and
    the reader's language, never stale. Only its moment ("5 minutes ago") is fresh."""
    if message.author_name is not None:
        who = message.author_name
    elif message.direction == "out":
        who = None  # "System", in the reader's language
    else:
        who = message.sender_name or str(ticket.customer)
    attachments = message.files
    key = (
        message.pk, message.direction, message.visibility, message.channel, who,
        tuple(message.flags or ()), message.body_text, message.has_html, attachments,
        get_language(), get_script_prefix(),
    )  # fmt: skip
    parts = _MESSAGES.get(key)
    if parts is None:
        parts = _message_parts(message, who=_("System") if who is None else who,
                               attachments=attachments)  # fmt: skip
        if len(message.body_text) <= MESSAGE_KEPT_UP_TO:
            _MESSAGES.keep(key, parts)
    head, tail = parts
    return mark_safe(f"{head}{when(message.created_at)}{tail}")  # noqa: S308 - escaped parts


def _message_parts(message, *, who: str, attachments: tuple) -> tuple[str, str]:
    """A message's markup before and after its moment."""
    if message.visibility == "internal":
        badge = format_html(
            '<span class="badge bg-yellow-lt visibility-badge internal">{} {}</span>',
            icon("lock"), _("Internal note"),
        )  # fmt: skip
        via = ""
    else:
        badge = format_html(
            '<span class="badge bg-blue-lt visibility-badge public">{}</span>', _("Public")
        )
        via = format_html(
            "<span>· {} {}</span>",
            _("received via") if message.direction == "in" else _("sent via"),
            channel_badge(message),
        )
    warnings = format_html_join(
        "", '<p class="flag-warning">{}</p>', ((label,) for label in message.flag_labels)
    )
    formatted = ""
    if message.has_html:
        title = _("Show the email as it was formatted")
        formatted = format_html(
            '<details class="formatted mt-2"><summary>{}</summary><iframe sandbox="allow-popups'
            ' allow-popups-to-escape-sandbox" loading="lazy" src="{}" title="{}"></iframe>'
            "</details>",
            title, reverse("tickets:message_html", args=[message.pk]), title,
        )  # fmt: skip
    files = ""
    if attachments:
        files = format_html(
            '<ul class="attachments list-inline mt-2 mb-0">\n      {}\n    </ul>',
            format_html_join("", '<li class="list-inline-item"><a href="{}" download>{} {}</a>'
                ' <span class="text-secondary small">({})</span></li>', (
                    (reverse("tickets:attachment", args=[pk]), icon("paperclip"), filename,
                     filesizeformat(size)) for pk, filename, size in attachments)),
        )  # fmt: skip
    head = format_html(
        '\n  <li class="message {} {} card" id="message-{}">\n    <div class="card-body">\n'
        '    <header class="d-flex flex-wrap align-items-center gap-2 mb-2 text-secondary small">'
        "\n      {}\n      <strong>{}</strong>\n      {}\n"
        '      <span class="ms-auto">',
        message.direction, message.visibility, message.pk, badge, who, via,
    )  # fmt: skip
    tail = format_html(
        "</span>\n    </header>\n    {}\n"
        '    <div class="body">{}</div>\n    {}\n    {}\n    </div>\n  </li>\n  ',
        warnings, linebreaksbr(message.body_text, autoescape=True), formatted, files,
    )  # fmt: skip
    return head, tail
