"""Loyalty: accounts, the append-only points ledger, rules, rewards, coupons and notices.

Points are integers. Every change of a balance is a ``LedgerEntry``; the balances on
``LoyaltyAccount`` are a cache of the sums of its entries, updated under a row lock in
the same transaction as the entry and guarded by CHECK constraints. Entries are never
updated or deleted (a trigger refuses it, see migration 0002); a correction is a new entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    BRONZE = "bronze", _("Bronze")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")


TIER_ORDER = [Tier.BRONZE, Tier.SILVER, Tier.GOLD]
# Languages a reward's name and description can be translated into (English is the base).
TRANSLATED_LANGUAGES = ("de", "tr")


class LoyaltyRules(models.Model):
    """The program's settings, one row (pk=1), edited by admins in the admin site."""

    points_per_currency_unit = models.PositiveIntegerField(
        _("points per currency unit"), default=1, help_text=_("Points per 1.00 of order value.")
    )
    survey_bonus_points = models.PositiveIntegerField(_("survey bonus"), default=50)
    goodwill_daily_limit_per_agent = models.PositiveIntegerField(
        _("goodwill limit per agent and day"), default=500
    )
    goodwill_approval_threshold = models.PositiveIntegerField(
        _("goodwill approval threshold"),
        default=200,
        help_text=_("A single grant above this needs a team lead's approval."),
    )
    silver_threshold = models.PositiveIntegerField(
        _("Silver from (points earned in 12 months)"), default=1000
    )
    gold_threshold = models.PositiveIntegerField(
        _("Gold from (points earned in 12 months)"), default=5000
    )
    expiry_inactivity_days = models.PositiveIntegerField(
        _("points expire after (days without activity)"), default=365
    )
    expiry_warning_days = models.PositiveIntegerField(
        _("warn this many days before expiry"), default=30
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("loyalty rules")
        verbose_name_plural = _("loyalty rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gold_threshold__gt=models.F("silver_threshold")),
                name="loyalty_rules_gold_above_silver",
            ),
            models.CheckConstraint(
                condition=models.Q(expiry_warning_days__lt=models.F("expiry_inactivity_days")),
                name="loyalty_rules_warning_before_expiry",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Loyalty rules"))


class LoyaltyAccount(models.Model):
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.PROTECT, related_name="loyalty_account"
    )
    joined_at = models.DateTimeField(_("joined at"))
    consent_at = models.DateTimeField(_("consent given at"))
    consent_source = models.CharField(
        _("consent given via"), max_length=32, help_text=_("For example web, api, agent.")
    )
    balance = models.IntegerField(_("balance"), default=0)
    pending_balance = models.IntegerField(_("pending points"), default=0)
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices, default=Tier.BRONZE)
    last_activity_at = models.DateTimeField(_("last activity"), db_index=True)

    class Meta:
        verbose_name = _("loyalty account")
        verbose_name_plural = _("loyalty accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="loyalty_account_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(pending_balance__gte=0),
                name="loyalty_account_pending_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} ({self.balance})"


class LedgerEntry(models.Model):
    """One change of an account's points. ``points`` moves the available balance,
    ``pending_points`` the pending one (a purchase inside its return window)."""

    class Kind(models.TextChoices):
        EARN = "earn", _("Earned")
        PENDING = "pending", _("Pending")
        APPROVE = "approve", _("Confirmed")
        REDEEM = "redeem", _("Redeemed")
        EXPIRE = "expire", _("Expired")
        REVERSE = "reverse", _("Reversed")
        ADJUST = "adjust", _("Adjusted")

    class Source(models.TextChoices):
        ORDER = "order", _("Purchase")
        SURVEY = "survey", _("Survey answered")
        GOODWILL = "goodwill", _("Thank you from our team")
        REWARD = "reward", _("Reward")
        EXPIRY = "expiry", _("Inactivity")
        ADMIN = "admin", _("Correction")

    account = models.ForeignKey(LoyaltyAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    points = models.IntegerField(_("points"), default=0)
    pending_points = models.IntegerField(_("pending points"), default=0)
    balance_after = models.IntegerField(_("balance after"))
    pending_after = models.IntegerField(_("pending after"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    request_fingerprint = models.CharField(
        _("request fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the request; the same key with another request is refused."),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    order = models.ForeignKey(
        "customers.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "idempotency_key"], name="ledger_key_unique_per_account"
            ),
            # Belt and braces: whatever key a caller sends, one order earns once.
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=models.Q(kind__in=["pending", "approve"]),
                name="ledger_order_earns_once",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="ledger_account_recent"),
            models.Index(
                fields=["actor", "created_at"],
                name="ledger_goodwill_by_actor",
                condition=models.Q(source="goodwill"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points:+d} ({self.account_id})"


class Reward(models.Model):
    """A reward in the catalogue. Name and description are written in English and may be
    translated; a missing translation falls back to English."""

    name = models.CharField(_("name (English)"), max_length=200)
    name_de = models.CharField(_("name (German)"), max_length=200, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=200, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_tr = models.TextField(_("description (Turkish)"), blank=True)
    points_cost = models.PositiveIntegerField(_("points"))
    coupon_valid_days = models.PositiveIntegerField(_("coupon valid for (days)"), default=365)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["points_cost", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points_cost__gt=0), name="reward_costs_points"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.points_cost})"

    def _in_language(self, field: str, language: str | None) -> str:
        code = (language or "en").split("-")[0].lower()
        if code in TRANSLATED_LANGUAGES:
            translated = getattr(self, f"{field}_{code}")
            if translated.strip():
                return translated
        return getattr(self, field)

    def name_in(self, language: str | None) -> str:
        return self._in_language("name", language)

    def description_in(self, language: str | None) -> str:
        return self._in_language("description", language)

    @property
    def localized_name(self) -> str:
        """The name in the active language (templates render under the customer's)."""
        return self.name_in(get_language())

    @property
    def localized_description(self) -> str:
        return self.description_in(get_language())


class Coupon(models.Model):
    """A single-use code handed out for a reward; created with its redeem entry."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    account = models.ForeignKey(LoyaltyAccount, on_delete=models.PROTECT, related_name="coupons")
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="coupons")
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="coupon")
    created_at = models.DateTimeField(_("created at"))
    valid_until = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_for_order = models.CharField(
        _("used for order"), max_length=64, blank=True, help_text=_("The shop's order number.")
    )

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code


class GoodwillRequest(models.Model):
    """A goodwill grant above the threshold, waiting for a team lead."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    account = models.ForeignKey(
        LoyaltyAccount, on_delete=models.PROTECT, related_name="goodwill_requests"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveIntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=500)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    entry = models.OneToOneField(
        LedgerEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goodwill_request",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("goodwill request")
        verbose_name_plural = _("goodwill requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "idempotency_key"], name="goodwill_request_key_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="goodwill_waiting",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.points} for {self.account.customer} ({self.get_status_display()})"


class LoyaltyNotice(models.Model):
    """A message to a customer (tier milestone, expiry warning). The dedupe key makes
    each notice happen once; the row is visible to staff whether or not it was sent."""

    class Kind(models.TextChoices):
        TIER_MILESTONE = "tier", _("Tier milestone")
        EXPIRY_WARNING = "expiry", _("Expiry warning")
        ACCOUNT_LINK = "link", _("Link to the loyalty page")
        COUPON = "coupon", _("Coupon code")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="loyalty_notices"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    to = models.CharField(_("to"), max_length=320, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"))
    sent = models.BooleanField(_("sent"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("loyalty notice")
        verbose_name_plural = _("loyalty notices")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["customer", "kind", "-created_at"], name="notice_customer_recent")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.customer}"
