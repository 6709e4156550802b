"""Admin: rules and rewards are edited here; balances and entries are read-only because
they change only through services (a correction is a new entry, ``points_adjust``)."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from loyalty.models import (
    Coupon,
    GoodwillRequest,
    LedgerEntry,
    LoyaltyAccount,
    LoyaltyNotice,
    LoyaltyRules,
    Reward,
)


@admin.register(LoyaltyRules)
class LoyaltyRulesAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "points_per_currency_unit",
        "goodwill_approval_threshold",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return not LoyaltyRules.objects.exists()  # one row only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "points_cost", "coupon_valid_days", "active"]
    list_filter = ["active"]

    def has_delete_permission(self, request, obj=None):
        return False  # coupons refer to it; deactivate instead


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    fields = ["created_at", "kind", "source", "points", "pending_points", "balance_after", "reason"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    ordering = ["-created_at", "-id"]
    can_delete = False


@admin.register(LoyaltyAccount)
class LoyaltyAccountAdmin(ReadOnlyAdmin):
    list_display = ["customer", "balance", "pending_balance", "tier", "last_activity_at"]
    list_filter = ["tier"]
    raw_id_fields = ["customer"]
    search_fields = ["customer__last_name", "customer__external_ref"]
    inlines = [LedgerEntryInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "kind", "source", "points", "pending_points", "actor"]
    list_filter = ["kind", "source"]
    raw_id_fields = ["account", "order", "ticket", "actor"]
    show_full_result_count = False


@admin.register(Coupon)
class CouponAdmin(ReadOnlyAdmin):
    list_display = ["code", "account", "reward", "created_at", "valid_until", "used_at"]
    search_fields = ["code"]
    raw_id_fields = ["account", "entry"]


@admin.register(GoodwillRequest)
class GoodwillRequestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "points", "requested_by", "status", "decided_by"]
    list_filter = ["status"]


@admin.register(LoyaltyNotice)
class LoyaltyNoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "customer", "kind", "to", "sent", "sent_at"]
    list_filter = ["kind", "sent"]
    raw_id_fields = ["customer"]
