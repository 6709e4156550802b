from django.contrib import admin

from helpdesk.models import ApiKey, Event


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

    list_display = ["created_at", "kind", "actor", "ticket", "customer"]
    list_filter = ["kind"]
    raw_id_fields = ["actor", "ticket", "customer"]
    show_full_result_count = False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created with ``manage.py apikey_create``; here they are listed and revoked."""

    list_display = ["name", "prefix", "active", "created_at"]
    fields = ["name", "prefix", "active", "created_at"]
    readonly_fields = ["name", "prefix", "created_at"]

    def has_add_permission(self, request):
        return False
