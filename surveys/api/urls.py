from django.urls import path

from surveys.api import views

app_name = "surveys-api"
urlpatterns = [
    path("responses/", views.SurveyResponseListApi.as_view(), name="responses"),
    path("stats/", views.SurveyStatsApi.as_view(), name="stats"),
]
