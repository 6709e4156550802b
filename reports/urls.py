from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("teams/<int:team_id>/", views.team_page, name="team"),
    path("agents/<int:agent_id>/", views.agent_page, name="agent"),
    path("scoreboard/", views.scoreboard, name="scoreboard"),
    path("kudos/", views.kudos_give_view, name="kudos"),
    path("goals/", views.goal_set_view, name="goal"),
    path("preferences/", views.preferences, name="preferences"),
    path("lists/<slug:what>/", views.record_list, name="list"),
]
