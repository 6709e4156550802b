"""What the customers API reads and answers (customers, orders, shipments, products)."""

from __future__ import annotations

import pytz
from django.conf import settings
from rest_framework import serializers

from core.api.base import MAX_ID
from customers.models import ContactIdentity, Customer, Order, OrderItem, Product, Shipment

# Printable text without control characters: names, references, numbers from the shop.
REFERENCE = r"^[^\x00-\x1f\x7f]{1,100}$"
ORDER_NUMBER = r"^[\x21-\x7e]{1,64}$"
SKU = r"^[\x21-\x7e]{1,64}$"
LANGUAGES = settings.LANGUAGES
TIME_ZONES = list(pytz.common_timezones)
SHOP_ORDER_STATUSES = [("placed", "Placed"), ("shipped", "Shipped"), ("cancelled", "Cancelled")]


def plain_text(max_length: int, **kwargs) -> serializers.RegexField:
    return serializers.RegexField(
        rf"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]{{0,{max_length}}}$",
        max_length=max_length,
        **kwargs,
    )


class IdentityOutput(serializers.ModelSerializer):
    class Meta:
        model = ContactIdentity
        ref_name = "Identity"
        fields = ["id", "kind", "address", "verified", "created_at"]


class CustomerOutput(serializers.ModelSerializer):
    identities = IdentityOutput(many=True, read_only=True)
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)

    class Meta:
        model = Customer
        ref_name = "Customer"
        fields = [
            "id",
            "external_ref",
            "first_name",
            "last_name",
            "language",
            "country",
            "time_zone",
            "merged_into",
            "identities",
            "created_at",
            "updated_at",
        ]


class CustomerUpsertInput(serializers.Serializer):
    class Meta:
        ref_name = "CustomerUpsertInput"

    external_ref = serializers.RegexField(REFERENCE, required=False, help_text="The shop's id.")
    email = serializers.EmailField(max_length=254, required=False)
    phone = serializers.RegexField(r"^\+?[0-9 ()./-]{3,32}$", required=False)
    first_name = plain_text(150, required=False)
    last_name = plain_text(150, required=False)
    language = serializers.ChoiceField(LANGUAGES, required=False)
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)
    time_zone = serializers.ChoiceField(TIME_ZONES, required=False)

    def validate(self, data):
        if not data.get("external_ref") and not data.get("email"):
            raise serializers.ValidationError("Give external_ref or email.")
        return data


class CustomerUpdateInput(serializers.Serializer):
    class Meta:
        ref_name = "CustomerUpdateInput"

    first_name = plain_text(150, required=False)
    last_name = plain_text(150, required=False)
    language = serializers.ChoiceField(LANGUAGES, required=False)


class IdentityInput(serializers.Serializer):
    class Meta:
        ref_name = "IdentityInput"

    kind = serializers.ChoiceField(ContactIdentity.Kind.choices)
    address = serializers.RegexField(r"^[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]{0,319}$")


class MergeInput(serializers.Serializer):
    class Meta:
        ref_name = "CustomerMergeInput"

    into = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The customer who stays."
    )


class OrderItemOutput(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku")
    name = serializers.CharField(source="product.name")

    class Meta:
        model = OrderItem
        ref_name = "OrderItem"
        fields = ["sku", "name", "quantity", "unit_price_cents"]


class ShipmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Shipment
        ref_name = "Shipment"
        fields = [
            "reference",
            "carrier",
            "tracking_number",
            "tracking_url",
            "status",
            "shipped_at",
            "estimated_delivery_at",
            "delivered_at",
            "updated_at",
        ]


class OrderOutput(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="customer_id")
    items = OrderItemOutput(many=True, read_only=True)
    shipments = ShipmentOutput(many=True, read_only=True)

    class Meta:
        model = Order
        ref_name = "Order"
        fields = [
            "number",
            "customer",
            "status",
            "placed_at",
            "delivered_at",
            "return_window_ends_at",
            "warranty_ends_at",
            "total_cents",
            "currency",
            "delivery_postal_code",
            "items",
            "shipments",
        ]


class OrderItemInput(serializers.Serializer):
    class Meta:
        ref_name = "OrderItemInput"

    sku = serializers.RegexField(SKU)
    name = plain_text(200, required=False, help_text="Creates the product when it is new.")
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    unit_price_cents = serializers.IntegerField(min_value=0, max_value=10**12, default=0)


class OrderUpsertInput(serializers.Serializer):
    class Meta:
        ref_name = "OrderUpsertInput"

    number = serializers.RegexField(ORDER_NUMBER, help_text="The shop's order number.")
    customer = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    customer_external_ref = serializers.RegexField(REFERENCE, required=False)
    placed_at = serializers.DateTimeField()
    status = serializers.ChoiceField(SHOP_ORDER_STATUSES, default="placed")
    total_cents = serializers.IntegerField(min_value=0, max_value=10**14, default=0)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", default="EUR")
    delivery_postal_code = serializers.RegexField(
        r"^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$", required=False,
        help_text="Where the order is delivered (incident notices reach a region by it).",
    )  # fmt: skip
    items = OrderItemInput(many=True, required=False, max_length=500)

    def validate(self, data):
        if ("customer" in data) == ("customer_external_ref" in data):
            raise serializers.ValidationError("Give either customer or customer_external_ref.")
        return data


class ShipmentInput(serializers.Serializer):
    class Meta:
        ref_name = "ShipmentInput"

    reference = serializers.RegexField(REFERENCE, help_text="The warehouse's parcel id.")
    carrier = plain_text(100, required=False, default="")
    tracking_number = plain_text(100, required=False, default="")
    tracking_url = serializers.URLField(
        max_length=500, required=False, default="", allow_blank=True
    )
    status = serializers.ChoiceField(Shipment.Status.choices, default="pending")
    shipped_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    estimated_delivery_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    delivered_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class DeliveryInput(serializers.Serializer):
    class Meta:
        ref_name = "DeliveryInput"

    delivered_at = serializers.DateTimeField(required=False, help_text="Default: now.")


class ProductOutput(serializers.ModelSerializer):
    class Meta:
        model = Product
        ref_name = "Product"
        fields = [
            "sku",
            "name",
            "warranty_months",
            "stock_quantity",
            "stock_updated_at",
            "service_interval_months",
            "care_tips",
        ]


class ProductUpsertInput(serializers.Serializer):
    class Meta:
        ref_name = "ProductUpsertInput"

    sku = serializers.RegexField(SKU)
    name = plain_text(200)
    warranty_months = serializers.IntegerField(min_value=0, max_value=600, required=False)
    service_interval_months = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True
    )
    stock_quantity = serializers.IntegerField(min_value=-(10**9), max_value=10**9, required=False)
    care_tips = serializers.CharField(
        max_length=2000, required=False, allow_blank=True,
        help_text="How to look after the product (win-back notes quote it).",
    )  # fmt: skip

    def validate_care_tips(self, value: str) -> str:
        if any(ord(c) < 32 and c not in "\n\t" for c in value):
            raise serializers.ValidationError("Control characters are not allowed.")
        return value.replace("\r", "").strip()


class ShipmentDelayInput(serializers.Serializer):
    class Meta:
        ref_name = "ShipmentDelayInput"

    estimated_delivery_at = serializers.DateTimeField(
        allow_null=True, help_text="The new expected delivery; null when nobody knows yet."
    )


class StockInput(serializers.Serializer):
    class Meta:
        ref_name = "StockInput"

    quantity = serializers.IntegerField(min_value=-(10**9), max_value=10**9)


class ServiceIntervalInput(serializers.Serializer):
    class Meta:
        ref_name = "ServiceIntervalInput"

    months = serializers.IntegerField(
        min_value=1, max_value=600, allow_null=True, help_text="Empty (null) for no servicing."
    )
