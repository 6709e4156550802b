from __future__ import annotations

import csv

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from surveys.models import (
    RecoveryCase,
    SurveyInvitation,
    SurveyOptOut,
    SurveyResponse,
    SurveySettings,
)
from surveys.services import recovery_mark_recovered, survey_opt_in, survey_opt_out


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    filter_horizontal = ["teams"]
    fieldsets = [
        (None, {"fields": ["csat_enabled", "nps_enabled", "csat_delay", "nps_delay",
                           "throttle_period", "answer_window", "channels", "teams"]}),
        (_("Question wording (empty: the built-in question)"),
         {"fields": ["csat_question_en", "csat_question_de", "csat_question_tr",
                     "nps_question_en", "nps_question_de", "nps_question_tr"]}),
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SurveySettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "state", "customer", "ticket", "order", "send_after", "sent_at"]
    list_filter = ["kind", "state", "team"]
    raw_id_fields = ["customer", "ticket", "order", "agent"]
    readonly_fields = ["public_id", "state", "sent_at", "expires_at", "skip_reason"]
    show_full_result_count = False


@admin.action(description=_("Export the selected responses as CSV"))
def export_csv(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="survey-responses.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "kind",
            "score",
            "comment",
            "customer_id",
            "ticket_id",
            "order_id",
            "team",
            "agent",
            "sent_at",
            "answered_at",
            "changes",
            "looks_automated",
        ]
    )
    for row in queryset.select_related("invitation__team", "invitation__agent"):
        invitation = row.invitation
        writer.writerow([
            row.pk, invitation.kind, row.score, _csv_safe(row.comment), invitation.customer_id,
            invitation.ticket_id or "", invitation.order_id or "",
            invitation.team.name if invitation.team else "",
            invitation.agent.get_username() if invitation.agent else "",
            invitation.sent_at.isoformat() if invitation.sent_at else "",
            row.created_at.isoformat(), row.changes, row.looks_automated,
        ])  # fmt: skip
    return response


def _csv_safe(value: str) -> str:
    # A comment starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "score", "short_comment", "customer", "team", "created_at",
                    "looks_automated"]  # fmt: skip
    list_filter = ["invitation__kind", "score", "looks_automated", "invitation__team",
                   ("created_at", admin.DateFieldListFilter)]  # fmt: skip
    search_fields = ["comment", "invitation__customer__last_name"]
    actions = [export_csv]
    readonly_fields = ["invitation", "score", "comment", "user_agent", "ip_hash",
                       "seconds_since_sent", "looks_automated", "changes"]  # fmt: skip
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):
        return (
            super().get_queryset(request).select_related("invitation__customer", "invitation__team")
        )

    @admin.display(description=_("kind"))
    def kind(self, obj: SurveyResponse) -> str:
        return obj.invitation.get_kind_display()

    @admin.display(description=_("customer"))
    def customer(self, obj: SurveyResponse) -> str:
        return str(obj.invitation.customer)

    @admin.display(description=_("team"))
    def team(self, obj: SurveyResponse) -> str:
        return str(obj.invitation.team or "")

    @admin.display(description=_("comment"))
    def short_comment(self, obj: SurveyResponse) -> str:
        return obj.comment[:80]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.action(description=_("Mark the customer recovered"))
def mark_recovered(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset) -> None:
    for case in queryset:
        recovery_mark_recovered(case=case, by=request.user)


@admin.register(RecoveryCase)
class RecoveryCaseAdmin(admin.ModelAdmin):
    list_display = ["id", "customer", "state", "recovery_ticket", "created_at", "recovered_at"]
    list_filter = ["state"]
    raw_id_fields = ["invitation", "customer", "recovery_ticket", "recovered_by"]
    actions = [mark_recovered]
    readonly_fields = ["state", "recovered_at", "recovered_by", "recovered_note"]


@admin.register(SurveyOptOut)
class SurveyOptOutAdmin(admin.ModelAdmin):
    """Opting out and back in go through the services: scheduled surveys are skipped and
    both are audited."""

    list_display = ["customer", "created_at"]
    raw_id_fields = ["customer"]

    def get_readonly_fields(self, request: HttpRequest, obj: SurveyOptOut | None = None):
        return ["customer"] if obj else []

    def save_model(self, request: HttpRequest, obj: SurveyOptOut, form, change: bool) -> None:
        if not change:
            row = survey_opt_out(customer=obj.customer, by=request.user)
            obj.pk, obj.created_at = row.pk, row.created_at

    def delete_model(self, request: HttpRequest, obj: SurveyOptOut) -> None:
        survey_opt_in(customer=obj.customer, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for opt_out in queryset.select_related("customer"):
            survey_opt_in(customer=opt_out.customer, by=request.user)
