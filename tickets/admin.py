from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tickets.models import (
    Attachment,
    BusinessCalendar,
    Closure,
    Macro,
    Message,
    OpeningHours,
    RoutingRule,
    SlaPolicy,
    Tag,
    Ticket,
)
from tickets.workflow import ticket_update


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    fields = ["direction", "visibility", "channel", "author", "sender", "body_text", "created_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "status", "priority", "channel", "team", "assignee"]
    list_filter = ["status", "priority", "channel", "team"]
    search_fields = ["subject"]
    raw_id_fields = ["customer", "assignee"]
    # Set by the services as the ticket moves (solve, close, reply, merge), never by hand.
    readonly_fields = ["first_response_at", "solved_at", "closed_at", "merged_into"]
    inlines = [MessageInline]
    show_full_result_count = False

    # Changed through ticket_update: one audit event per field, and its reactions (a
    # solve schedules the CSAT survey).
    WORKFLOW_FIELDS = ("status", "priority", "team", "assignee")

    def has_add_permission(self, request):
        return False  # tickets open through the channels and the workspace (ticket.created)

    def save_model(self, request, obj, form, change):
        workflow = {f: getattr(obj, f) for f in self.WORKFLOW_FIELDS if f in form.changed_data}
        others = [f for f in form.changed_data if f not in self.WORKFLOW_FIELDS]
        if others:
            obj.save(update_fields=[*others, "updated_at"])
        if workflow:
            ticket_update(ticket=obj, by=request.user, **workflow)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Messages are written by the reply, note and ingest services (which send and audit
    them) and moved only by a merge: read here, not written."""

    list_display = ["id", "ticket", "direction", "visibility", "channel", "created_at"]
    list_filter = ["direction", "visibility", "channel"]
    raw_id_fields = ["ticket", "author", "sender"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "content_type", "size", "message"]
    raw_id_fields = ["message"]


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "team"]
    list_filter = ["language", "team"]
    search_fields = ["name", "body"]
    # Placeholders: {{ customer.first_name }}, {{ order.number }}, {{ agent.name }}.


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Where new tickets land: the first rule (by position) that matches the address
    the customer wrote to, or the channel; else the default team."""

    list_display = ["position", "channel", "address", "team"]
    list_display_links = ["channel", "address"]
    list_editable = ["position"]
    list_filter = ["channel", "team"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    """A team's opening hours, holidays and closures. Due times already set on tickets
    keep the hours they were computed with."""

    list_display = ["team", "subdivision", "observe_holidays"]
    inlines = [OpeningHoursInline, ClosureInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    """Targets per team and priority; a running clock keeps the targets it started with
    until the ticket's team or priority changes."""

    list_display = ["__str__", "first_response_minutes", "next_response_minutes",
                    "resolution_minutes", "at_risk_percent"]  # fmt: skip
    list_filter = ["team", "priority"]
    fieldsets = [
        (None, {"fields": ["team", "priority"]}),
        (_("Targets in business minutes"), {"fields": [
            "first_response_minutes", "next_response_minutes", "resolution_minutes"]}),
        (_("Clock"), {"fields": ["pause_when_pending", "pause_when_on_hold", "at_risk_percent"]}),
    ]  # fmt: skip
