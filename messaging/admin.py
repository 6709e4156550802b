from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from messaging.inbound import inbound_retry
from messaging.models import InboundPayload, OutboxMessage, Quarantine, Suppression
from messaging.outbox import outbox_retry, recipient_suppress

INBOUND_FIELDS = ["channel", "source", "origin", "dedupe_key", "raw_sha256", "size", "state",
                  "reason", "attempts", "received_at", "processed_at"]  # fmt: skip


@admin.register(Quarantine)
class QuarantineAdmin(admin.ModelAdmin):
    """Payloads the pipeline could not parse: read the reason, retry or delete."""

    list_display = ["id", "channel", "source", "origin", "size", "reason", "received_at",
                    "attempts"]  # fmt: skip
    list_filter = ["channel", "source", "origin"]
    readonly_fields = [*INBOUND_FIELDS, "raw_preview"]
    exclude = ["raw"]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("raw payload (first 20 kB)"))
    def raw_preview(self, obj):
        return bytes(obj.raw[:20_000]).decode("utf-8", errors="replace")

    @admin.action(description=_("Send through the pipeline again"))
    def retry(self, request, queryset):
        for row in queryset:
            inbound_retry(inbound=row, by=request.user)
        self.message_user(request, _("Queued again."))


@admin.register(InboundPayload)
class InboundPayloadAdmin(admin.ModelAdmin):
    list_display = ["id", "channel", "source", "origin", "state", "size", "received_at"]
    list_filter = ["state", "channel", "source"]
    exclude = ["raw"]
    readonly_fields = INBOUND_FIELDS
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "channel", "to", "subject", "kind", "state", "delivery", "attempts",
                    "sent_at"]  # fmt: skip
    list_filter = ["state", "channel", "kind", "automatic", "delivery"]
    search_fields = ["to", "message_id_header", "provider_message_id"]
    raw_id_fields = ["customer"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry failed messages"))
    def retry(self, request, queryset):
        for row in queryset.filter(state=OutboxMessage.State.FAILED):
            outbox_retry(outbox=row, by=request.user)


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["address", "channel", "reason", "created_at"]
    list_filter = ["channel", "reason"]
    search_fields = ["address"]

    def get_readonly_fields(self, request, obj=None):
        return ["channel", "address"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Stored in the spelling the outbox looks up, with an audit event.
        row = recipient_suppress(
            address=obj.address, reason=obj.reason, detail=obj.detail, channel=obj.channel
        )
        obj.pk, obj.address, obj.created_at = row.pk, row.address, row.created_at
