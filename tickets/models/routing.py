"""Routing: which team a new ticket lands in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Team
from messaging.models import Channel


class RoutingRule(models.Model):
    """A new ticket goes to ``team`` when the customer wrote to ``address`` (one of our
    addresses, for email) or on ``channel``; empty fields match anything. Rules are
    tried by ``position``; when none matches, the default team takes the ticket."""

    position = models.PositiveSmallIntegerField(_("position"), default=100)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    address = models.CharField(
        _("address"),
        max_length=320,
        blank=True,
        help_text=_("The address the customer wrote to, for example returns@shop.example."),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("team")
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.channel or '*'} {self.address or '*'} → {self.team}"
