from __future__ import annotations

from django import forms
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
from customers.services import (
    RefundError,
    address_normalise,
    consent_record,
    customer_create,
    customer_identity_add,
    customer_note_add,
    customer_update,
    order_mark_delivered,
    order_refund,
)


def _disable_on_existing(form: forms.ModelForm, *names: str) -> None:
    if form.instance.pk:
        for name in names:
            form.fields[name].disabled = True


class ContactIdentityForm(forms.ModelForm):
    """A new address is checked for uniqueness in the spelling it is stored under; an
    existing identity keeps its address (another address is another identity)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _disable_on_existing(self, "kind", "address")

    def clean(self):
        data = super().clean()
        if not self.instance.pk and data.get("kind") and data.get("address"):
            data["address"] = address_normalise(kind=data["kind"], address=data["address"])
        return data


class ContactIdentityInline(admin.TabularInline):
    model = ContactIdentity
    form = ContactIdentityForm
    extra = 0


class ConsentForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _disable_on_existing(self, "purpose")


class ConsentInline(admin.TabularInline):
    """Recorded by ``consent_record`` (audited; surveys follow a surveys consent). A
    withdrawal is a "no", not a deleted row."""

    model = Consent
    form = ConsentForm
    fields = ["purpose", "granted", "source", "recorded_at"]
    readonly_fields = ["recorded_at"]
    extra = 0
    can_delete = False


class CustomerNoteForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _disable_on_existing(self, "body")


class CustomerNoteInline(admin.TabularInline):
    """Added by ``customer_note_add`` under the admin's name; a note is not rewritten."""

    model = CustomerNote
    form = CustomerNoteForm
    fields = ["body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 0


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
    readonly_fields = ["merged_into"]  # customer_merge moves everything, then points here

    def save_model(self, request, obj, form, change):
        # Name and language through the services, which audit them; the shop reference
        # has no service of its own.
        names = {f: form.cleaned_data[f] for f in ("first_name", "last_name", "language")}
        if change:
            customer_update(customer=obj, by=request.user, **names)
        else:
            obj.pk = customer_create(**names, by=request.user).pk
            obj._state.adding = False
        if "external_ref" in form.changed_data:
            obj.save(update_fields=["external_ref", "updated_at"])

    def save_formset(self, request, form, formset, change):
        """New identities, consents and notes go through their services; what no service
        changes (an identity's display name or verified flag, deleting a row) is saved
        as it is."""
        if formset.model not in (ContactIdentity, Consent, CustomerNote):
            super().save_formset(request, form, formset, change)
            return
        customer = form.instance
        formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        if formset.model is Consent:
            for row in [*formset.new_objects, *(row for row, _f in formset.changed_objects)]:
                consent_record(customer=customer, purpose=row.purpose, granted=row.granted,
                               source=row.source, by=request.user)  # fmt: skip
        elif formset.model is ContactIdentity:
            for row in formset.new_objects:
                identity = customer_identity_add(
                    customer=customer, kind=row.kind, address=row.address, by=request.user
                )
                if row.display_name or row.verified:
                    identity.display_name, identity.verified = row.display_name, row.verified
                    identity.save(update_fields=["display_name", "verified"])
            for row, _fields in formset.changed_objects:
                row.save()
        else:
            for row in formset.new_objects:
                customer_note_add(customer=customer, by=request.user, body=row.body)


@admin.register(ContactIdentity)
class ContactIdentityAdmin(admin.ModelAdmin):
    list_display = ["address", "kind", "customer", "verified"]
    list_filter = ["kind", "verified"]
    search_fields = ["address", "display_name"]
    raw_id_fields = ["customer"]

    def has_add_permission(self, request):
        return False  # on the customer's page, through customer_identity_add

    def get_readonly_fields(self, request, obj=None):
        # Moving an address to another customer is a merge; another address is another
        # identity.
        return ["customer", "kind", "address"] if obj else []


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
