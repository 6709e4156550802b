from django.contrib import admin

from core.models import AgentProfile, ApiKey, Event, Team


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through services, or never (append-only tables)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The audit trail is append-only."""

    list_display = ["created_at", "kind", "actor", "ticket_id", "customer_id"]
    list_filter = ["kind"]
    raw_id_fields = ["actor"]
    show_full_result_count = False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created with ``manage.py apikey_create``; here they are listed and revoked."""

    list_display = ["name", "prefix", "active", "created_at"]
    fields = ["name", "prefix", "active", "created_at"]
    readonly_fields = ["name", "prefix", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "country", "is_default"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "language", "time_zone"]
    list_filter = ["role", "teams"]
    filter_horizontal = ["teams"]
    # The role decides group membership and admin access; it changes through a service.
    readonly_fields = ["role"]
