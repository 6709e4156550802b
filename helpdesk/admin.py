from django.contrib import admin

from helpdesk.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = ["created_at", "kind", "actor", "ticket", "customer"]
    list_filter = ["kind"]
    raw_id_fields = ["actor", "ticket", "customer"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
