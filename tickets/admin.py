from django.contrib import admin

from tickets.models import Attachment, Macro, Message, RoutingRule, Tag, Ticket


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
    inlines = [MessageInline]
    show_full_result_count = False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "ticket", "direction", "visibility", "channel", "created_at"]
    list_filter = ["direction", "visibility", "channel"]
    raw_id_fields = ["ticket", "author", "sender"]
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "content_type", "size", "message"]
    raw_id_fields = ["message"]


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ["name", "team"]
    list_filter = ["team"]
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
