"""The design system's building blocks for templates: ``{% load ui %}``.

Icons come from the sprite ``helpdesk.assets`` builds; badges, times and form fields are
rendered the same way on every page. Tags that run once per row of a list return HTML
strings instead of including a template, which keeps a 50-row inbox cheap to render.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import TypeVar

from django import forms, template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.templatetags.static import static
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()
T = TypeVar("T")

# Icon names (from @tabler/icons) the badges use; helpdesk.assets reads these dicts to
# put the icons in the sprite.
ICON_CHANNEL = {
    "email": "mail", "web": "forms", "portal": "user-circle", "chat": "message-circle",
    "sms": "message", "whatsapp": "brand-whatsapp", "phone": "phone", "api": "api",
    "in_person": "building-store",
}  # fmt: skip
# Icons other apps choose in code (the asset build reads these dicts for the sprite).
ICON_MISC = {
    "default": "point", "empty": "mood-empty", "due": "alarm", "overdue": "alarm-off",
    "promise": "calendar-time", "unread": "circle-filled",
}  # fmt: skip
STATUS_COLOUR = {
    "new": "blue", "open": "red", "pending": "yellow", "on_hold": "orange",
    "solved": "green", "closed": "secondary",
}  # fmt: skip
PRIORITY_COLOUR = {1: "secondary", 2: "azure", 3: "orange", 4: "red"}
# Within this age a time reads "3 hours ago"; older ones show the date. Both show the
# exact time on hover.
RELATIVE_FOR = timedelta(days=7)


@cache
def _sprite() -> str:
    return static("vendor/icons.svg")


@cache
def _labels(model: type, field: str) -> dict:
    """A field's choices, value → lazy label. ``get_FOO_display()`` rebuilds and translates
    every choice on each call; a badge in each of 50 rows made that the inbox's cost."""
    return dict(model._meta.get_field(field).flatchoices)


def _label(obj: object, field: str) -> str:
    value = getattr(obj, field)
    return str(_labels(type(obj), field).get(value, value))


@register.simple_tag
@lru_cache(maxsize=1024)
def icon(name: str, filled: bool = False, label: str = "", css: str = "") -> SafeString:
    """An icon from the sprite; decorative unless it has a label."""
    ref = f"{_sprite()}#{name}{'-filled' if filled else ''}"
    if label:
        return format_html(
            '<svg class="icon {}" role="img" aria-label="{}"><use href="{}"></use></svg>',
            css, label, ref,
        )  # fmt: skip
    return format_html(
        '<svg class="icon {}" aria-hidden="true"><use href="{}"></use></svg>', css, ref
    )


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@lru_cache(maxsize=16_384)
def _formatted(value: date, fmt: str, language: str | None, zone: str) -> str:
    """``date_format`` of a moment in the reader's language and zone. Formatting is the
    costliest part of a row's times and a list shows the same moments on every load, so
    the result is kept per moment, format, language and zone (it depends on nothing else)."""
    return date_format(_local(value) if isinstance(value, datetime) else value, fmt)


def _format(value: date, fmt: str) -> str:
    return _formatted(value, fmt, get_language(), timezone.get_current_timezone_name())


class Kept(dict):
    """Markup kept per process, keyed by everything it shows (a change is a new key,
    never a stale entry), at most ``limit`` entries: when full it starts afresh, since
    rebuilding a page's worth costs milliseconds."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: object, value: T) -> T:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


@register.simple_tag
def when(value: datetime | None, label: str = "") -> SafeString:
    """A moment: "3 hours ago" when recent, else the date; the exact time on hover.

    A list shows the same moments on every load, so each one's markup is kept per
    language, zone and label, and, while it reads relative, per step of its distance
    from now at the resolution its text has (seconds, minutes, then hours)."""
    if value is None:
        return mark_safe("")
    step = _relative_step(value)
    key = (value, label, get_language(), timezone.get_current_timezone_name(), step)
    markup = _WHEN.get(key)
    if markup is None:
        exact = _format(value, "DATETIME_FORMAT")
        text = naturaltime(value) if step is not None else _format(value, "DATE_FORMAT")
        if label:
            markup = format_html(
                '<time datetime="{}" title="{}">{} {}</time>',
                value.isoformat(), exact, label, text,
            )  # fmt: skip
        else:
            markup = format_html(
                '<time datetime="{}" title="{}">{}</time>', value.isoformat(), exact, text
            )
        # Kept only when the text was made within the step it is kept for (the clock
        # moves on between the two readings of it).
        if step is None or _relative_step(value) == step:
            _WHEN.keep(key, markup)
    return markup


_WHEN = Kept(16_384)


def _relative_step(value: datetime) -> tuple[bool, int] | None:
    """What ``naturaltime``'s text for ``value`` depends on (None: it shows the date):
    past or future, and the whole seconds under a minute, minutes under an hour, else
    hours (days and hours within a week)."""
    if not timezone.is_aware(value):
        return None
    seconds = (timezone.now() - value).total_seconds()
    if abs(seconds) >= RELATIVE_FOR.total_seconds():
        return None
    distance = int(abs(seconds))
    unit = 1 if distance < 60 else 60 if distance < 3600 else 3600
    return seconds > 0, distance // unit * unit


@register.simple_tag
def options(pairs: object, selected: object = None) -> SafeString:
    """The ``<option>``s of a select from (value, label) pairs, with ``selected`` (one
    value or a collection) marked; values compare as text, as the browser sends them.
    A filter bar shows a hundred of them on every load, so they are built here and kept
    per choices and selection."""
    if selected is None:
        chosen: object = ()
    elif isinstance(selected, list | tuple | set | frozenset):
        chosen = selected
    else:
        chosen = (selected,)
    return _options(
        tuple((str(value), str(label)) for value, label in pairs),
        frozenset(str(value) for value in chosen),
    )


@lru_cache(maxsize=512)
def _options(pairs: tuple[tuple[str, str], ...], chosen: frozenset[str]) -> SafeString:
    return format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value in chosen else "", label)
         for value, label in pairs),
    )  # fmt: skip


@register.simple_tag
def day(value: date | datetime | None, label: str = "") -> SafeString:
    """A calendar date ("ordered", "return window ends"), in the page's date format."""
    if value is None:
        return mark_safe("")
    exact = _format(value, "DATETIME_FORMAT" if isinstance(value, datetime) else "DATE_FORMAT")
    text = _format(value, "DATE_FORMAT")
    if isinstance(value, datetime):
        value = _local(value)
    if label:
        return format_html(
            '<time datetime="{}" title="{}">{} {}</time>', value.isoformat(), exact, label, text
        )
    return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), exact, text)


@register.simple_tag
def status_badge(obj: object, id: str = "") -> SafeString:
    """A ticket's (or anything with ``status``) status as a coloured badge."""
    status = getattr(obj, "status", "")
    colour = STATUS_COLOUR.get(status, "secondary")
    return format_html(
        '<span class="badge bg-{}-lt status status-{}"{}>{}</span>',
        colour, status, format_html(' id="{}"', id) if id else "", _label(obj, "status"),
    )  # fmt: skip


@register.simple_tag
def priority_badge(obj: object) -> SafeString:
    priority = getattr(obj, "priority", 2)
    colour = PRIORITY_COLOUR.get(priority, "secondary")
    return format_html(
        '<span class="badge bg-{}-lt priority priority-{}">{}</span>',
        colour, priority, _label(obj, "priority"),
    )  # fmt: skip


@register.simple_tag
def channel_badge(obj: object, short: bool = False) -> SafeString:
    """The channel a ticket or message came by: an icon, with its name unless ``short``."""
    channel = getattr(obj, "channel", "")
    label = _label(obj, "channel")
    symbol = icon(ICON_CHANNEL.get(channel, ICON_MISC["default"]), label=label if short else "")
    if short:
        return format_html(
            '<span class="channel channel-{}" title="{}">{}</span>', channel, label, symbol
        )
    return format_html('<span class="channel channel-{}">{} {}</span>', channel, symbol, label)


def _control_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.inclusion_tag("components/field.html")
def field(bound: forms.BoundField, label: str = "", hint: str = "") -> dict:
    """A form field: label, control, hint and its inline errors, tied together for readers."""
    widget = bound.field.widget
    css = _control_class(widget)
    attrs = {"class": f"{css}{' is-invalid' if bound.errors else ''}"}
    described = []
    if bound.help_text or hint:
        described.append(f"{bound.auto_id}-hint")
    if bound.errors:
        described.append(f"{bound.auto_id}-errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return {
        "field": bound,
        "control": bound.as_widget(attrs=attrs),
        "label": label or bound.label,
        "hint": hint or bound.help_text,
        "check": css == "form-check-input",
    }
