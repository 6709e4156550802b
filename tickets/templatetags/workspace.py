"""Template tags of the agent workspace."""

from __future__ import annotations

import uuid

from django import template

register = template.Library()


@register.simple_tag
def composer_token() -> str:
    """A fresh name for one composer: every message written in it is sent at most once,
    however often the form is submitted."""
    return str(uuid.uuid4())
