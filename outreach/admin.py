from __future__ import annotations

from django.contrib import admin

from outreach.models import Appointment, FollowUpPolicy, Outreach, ServiceSchedule


@admin.register(FollowUpPolicy)
class FollowUpPolicyAdmin(admin.ModelAdmin):
    list_display = ["team", "enabled", "delay", "skip_tags"]


@admin.register(Outreach)
class OutreachAdmin(admin.ModelAdmin):
    list_display = ["kind", "customer", "ticket", "state", "send_after", "sent_at", "skip_reason"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["customer", "ticket", "author", "order_item", "appointment"]
    readonly_fields = ["cause", "outbox_id", "message_id", "created_at"]


@admin.register(ServiceSchedule)
class ServiceScheduleAdmin(admin.ModelAdmin):
    list_display = ["team", "active", "slot_minutes", "capacity", "days_ahead", "lead_time"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "customer", "team", "seat", "state"]
    list_filter = ["state", "team"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["customer", "reminder", "order_item"]
    readonly_fields = ["created_at", "cancelled_at", "changes"]
