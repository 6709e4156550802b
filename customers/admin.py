from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from customers.models import (
    Consent,
    ContactIdentity,
    Customer,
    CustomerNote,
    Order,
    OrderItem,
    OrderRefund,
    Product,
)
from customers.services import RefundError, order_mark_delivered, order_refund


class ContactIdentityInline(admin.TabularInline):
    model = ContactIdentity
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


class CustomerNoteInline(admin.TabularInline):
    model = CustomerNote
    extra = 0
    raw_id_fields = ["author"]


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    raw_id_fields = ["product"]


class OrderRefundInline(admin.TabularInline):
    """Refunds are booked by ``order_refund`` (the admin action), never edited here."""

    model = OrderRefund
    fields = ["created_at", "reference", "amount_cents", "full", "created_by"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["id", "first_name", "last_name", "language", "created_at"]
    search_fields = ["first_name", "last_name", "identities__address", "external_ref"]
    list_filter = ["language"]
    inlines = [ContactIdentityInline, ConsentInline, CustomerNoteInline]
    raw_id_fields = ["merged_into"]


@admin.register(ContactIdentity)
class ContactIdentityAdmin(admin.ModelAdmin):
    list_display = ["address", "kind", "customer", "verified"]
    list_filter = ["kind", "verified"]
    search_fields = ["address", "display_name"]
    raw_id_fields = ["customer"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "warranty_months"]
    search_fields = ["sku", "name"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "customer", "status", "placed_at", "delivered_at"]
    list_filter = ["status"]
    search_fields = ["number"]
    raw_id_fields = ["customer"]
    inlines = [OrderItemInline, OrderRefundInline]
    date_hierarchy = "placed_at"
    actions = ["refund_in_full"]

    @admin.action(description=_("Refund in full (takes back loyalty points)"))
    def refund_in_full(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        done = 0
        for order in queryset:
            try:
                order_refund(order=order, full=True, by=request.user)
            except RefundError as error:
                self.message_user(request, f"{order}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d order refunded.", "%(count)d orders refunded.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        # A delivery is recorded by its service (return window, warranty, NPS survey).
        delivered_at = obj.delivered_at
        if "delivered_at" in form.changed_data and delivered_at:
            obj.delivered_at = form.initial.get("delivered_at")
            super().save_model(request, obj, form, change)
            order_mark_delivered(order=obj, delivered_at=delivered_at, by=request.user)
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)
