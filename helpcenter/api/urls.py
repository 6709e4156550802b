from django.urls import path

from helpcenter.api import views

app_name = "helpcenter-api"
urlpatterns = [
    path("articles/", views.ArticleListApi.as_view(), name="articles"),
    path("articles/<str:pk>/", views.ArticleDetailApi.as_view(), name="article"),
]
