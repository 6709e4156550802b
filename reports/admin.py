from django.contrib import admin

from reports.models import Kudos, TeamGoal, WeeklyReportPreference


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ("ticket_id", "giver", "receiver", "message", "created_at")
    readonly_fields = ("ticket_id", "giver", "receiver", "message", "created_at")


@admin.register(TeamGoal)
class TeamGoalAdmin(admin.ModelAdmin):
    list_display = ("team", "metric", "target", "starts_on", "ends_on")
    list_filter = ("team", "metric")


@admin.register(WeeklyReportPreference)
class WeeklyReportPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "weekday", "enabled")
