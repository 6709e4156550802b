"""Customers, the identities they reach us by, and what they bought."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # Where the customer lives, for the hours we write to them (proactive care's quiet
    # hours): the time zone when the shop knows it, else the country's.
    country = models.CharField(
        _("country"), max_length=2, blank=True, default="", db_default="",
        help_text=_("ISO 3166 code, for example DE."),
    )  # fmt: skip
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, default="", db_default="",
        help_text=_("For example Europe/Istanbul; empty to follow the country."),
    )  # fmt: skip
    external_ref = models.CharField(
        _("shop reference"), max_length=100, blank=True, help_text=_("The shop's customer id.")
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(Lower("last_name"), Lower("first_name"), name="customer_name_idx"),
            # Prefix search from the customer search box (istartswith → UPPER(x) LIKE 'X%').
            models.Index(
                OpClass(Upper("last_name"), name="varchar_pattern_ops"),
                name="customer_last_name_prefix",
            ),
            models.Index(
                OpClass(Upper("first_name"), name="varchar_pattern_ops"),
                name="customer_first_name_prefix",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~models.Q(external_ref=""),
                name="customer_external_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name_of(self.first_name, self.last_name, self.pk)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @staticmethod
    def name_of(first_name: str, last_name: str, pk: int | None) -> str:
        """How a customer is named in lists: the full name, else the number."""
        return f"{first_name} {last_name}".strip() or f"#{pk}"


class ContactIdentity(models.Model):
    """One way to reach a customer: an email address, a phone number, a chat visitor."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        WHATSAPP = "whatsapp", _("WhatsApp")
        CHAT = "chat", _("Chat visitor")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    address = models.CharField(
        _("address"), max_length=320, help_text=_("Normalised: lower-case email, E.164 phone.")
    )
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact identity")
        verbose_name_plural = _("contact identities")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "address"], name="identity_kind_address_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["address"],
                name="identity_address_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.address}"


class Product(models.Model):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), default=24)
    # Sent by the shop's systems (products API); proactive care reads them for
    # back-in-stock notices and maintenance reminders.
    stock_quantity = models.IntegerField(
        _("in stock"), null=True, blank=True, help_text=_("Empty when the shop does not say.")
    )
    stock_updated_at = models.DateTimeField(_("stock updated"), null=True, blank=True)
    care_tips = models.TextField(
        _("care tips"), max_length=2000, blank=True, default="", db_default="",
        help_text=_("How to look after the product; told to customers who bought it."),
    )  # fmt: skip
    service_interval_months = models.PositiveSmallIntegerField(
        _("service interval (months)"), null=True, blank=True,
        help_text=_("How often the product should be serviced; empty for never."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed", _("Placed")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(_("order number"), max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLACED
    )
    placed_at = models.DateTimeField(_("placed at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    return_window_ends_at = models.DateTimeField(_("return window ends"), null=True, blank=True)
    warranty_ends_at = models.DateTimeField(_("warranty ends"), null=True, blank=True)
    total_cents = models.PositiveBigIntegerField(_("total (cents)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    delivery_postal_code = models.CharField(
        _("delivery postal code"), max_length=16, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["customer", "-placed_at"], name="order_customer_recent")]

    def __str__(self) -> str:
        return self.number


class OrderRefund(models.Model):
    """Money given back for an order, once per refund reference (the shop's refund id)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    reference = models.CharField(_("refund reference"), max_length=100)
    amount_cents = models.PositiveBigIntegerField(_("amount (cents)"))
    full = models.BooleanField(_("full refund"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("order refund")
        verbose_name_plural = _("order refunds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "reference"], name="order_refund_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.reference}"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price_cents = models.PositiveBigIntegerField(_("unit price (cents)"), default=0)

    class Meta:
        verbose_name = _("order item")
        verbose_name_plural = _("order items")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"


class Shipment(models.Model):
    """A parcel of an order on its way, as the shop's warehouse reports it, once per the
    warehouse's own reference."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        IN_TRANSIT = "in_transit", _("In transit")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Delivery failed")
        RETURNED = "returned", _("Returned to sender")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    reference = models.CharField(_("shipment reference"), max_length=100)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    estimated_delivery_at = models.DateTimeField(_("expected delivery"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "reference"], name="shipment_order_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.reference}"


class Consent(models.Model):
    """What the customer agreed to hear from us; the latest row per purpose wins."""

    class Purpose(models.TextChoices):
        SERVICE_EMAIL = "service_email", _("Service emails")
        SURVEYS = "surveys", _("Surveys")
        MARKETING = "marketing", _("Marketing")
        SMS = "sms", _("SMS and WhatsApp")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"), default=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["customer", "purpose"], name="consent_purpose_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {'yes' if self.granted else 'no'}"


class CustomerNote(models.Model):
    """Something the customer told us that the next agent should know."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customer note")
        verbose_name_plural = _("customer notes")
        indexes = [models.Index(fields=["customer", "-created_at"], name="note_customer_recent")]

    def __str__(self) -> str:
        return self.body[:50]
