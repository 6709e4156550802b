from __future__ import annotations

from django.contrib import admin

from outreach.models import FollowUpPolicy, Outreach


@admin.register(FollowUpPolicy)
class FollowUpPolicyAdmin(admin.ModelAdmin):
    list_display = ["team", "enabled", "delay", "skip_tags"]


@admin.register(Outreach)
class OutreachAdmin(admin.ModelAdmin):
    list_display = ["kind", "customer", "ticket", "state", "send_after", "sent_at", "skip_reason"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["customer", "ticket", "author"]
    readonly_fields = ["cause", "outbox_id", "message_id", "created_at"]
