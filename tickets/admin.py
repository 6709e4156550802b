from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tickets.channels.email.pipeline import inbound_retry
from tickets.models import (
    AgentProfile,
    Attachment,
    InboundEmail,
    Macro,
    Message,
    OutboundEmail,
    Quarantine,
    SuppressedAddress,
    Tag,
    Team,
    Ticket,
)
from tickets.outbox import address_suppress, outbox_retry
from tickets.workflow import ticket_update


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "country"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "language", "time_zone"]
    list_filter = ["role", "teams"]
    filter_horizontal = ["teams"]
    # The role decides group membership and admin access; it changes through a service.
    readonly_fields = ["role"]


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


@admin.register(Quarantine)
class QuarantineAdmin(admin.ModelAdmin):
    """Mail the pipeline could not parse: read the reason, retry or delete."""

    list_display = ["id", "source", "origin", "size", "reason", "received_at", "attempts"]
    list_filter = ["source", "origin"]
    readonly_fields = ["source", "origin", "dedupe_key", "size", "state", "reason", "attempts",
                       "received_at", "processed_at", "raw_preview"]  # fmt: skip
    exclude = ["raw"]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("raw message (first 20 kB)"))
    def raw_preview(self, obj):
        return bytes(obj.raw[:20_000]).decode("utf-8", errors="replace")

    @admin.action(description=_("Send through the pipeline again"))
    def retry(self, request, queryset):
        for row in queryset:
            inbound_retry(inbound=row, by=request.user)
        self.message_user(request, _("Queued again."))


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "origin", "state", "size", "received_at"]
    list_filter = ["state", "source"]
    exclude = ["raw"]
    readonly_fields = ["source", "origin", "dedupe_key", "size", "state", "reason", "attempts",
                       "received_at", "processed_at"]  # fmt: skip
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["id", "to", "subject", "kind", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind", "automatic"]
    search_fields = ["to", "message_id_header", "esp_message_id"]
    raw_id_fields = ["customer", "ticket", "message"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry failed emails"))
    def retry(self, request, queryset):
        for row in queryset.filter(state=OutboundEmail.State.FAILED):
            outbox_retry(outbound=row, by=request.user)


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(admin.ModelAdmin):
    list_display = ["address", "reason", "created_at"]
    search_fields = ["address"]

    def get_readonly_fields(self, request, obj=None):
        return ["address"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Stored in the spelling the outbox looks up, with an audit event.
        row = address_suppress(address=obj.address, reason=obj.reason, detail=obj.detail)
        obj.pk, obj.address, obj.created_at = row.pk, row.address, row.created_at


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ["name", "team"]
    list_filter = ["team"]
    search_fields = ["name", "body"]
    # Placeholders: {{ customer.first_name }}, {{ order.number }}, {{ agent.name }}.


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
