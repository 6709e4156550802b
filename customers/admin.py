from django.contrib import admin

from customers.models import (
    Consent,
    ContactIdentity,
    Customer,
    CustomerNote,
    Order,
    OrderItem,
    Product,
)
from customers.services import order_mark_delivered


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
    inlines = [OrderItemInline]
    date_hierarchy = "placed_at"

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
