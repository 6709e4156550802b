from django.contrib import admin

from tickets.models import AgentProfile, Attachment, Message, Team, Ticket


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
