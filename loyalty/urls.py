from django.urls import path

from loyalty import views

app_name = "loyalty"
urlpatterns = [
    path("", views.program, name="program"),
    path("me/<str:token>/", views.account, name="account"),
    path("me/<str:token>/join/", views.account_join, name="join"),
    path("me/<str:token>/redeem/", views.account_redeem, name="redeem"),
    path("tickets/<int:ticket_pk>/goodwill/", views.goodwill_grant, name="goodwill_grant"),
    path("tickets/<int:ticket_pk>/link/", views.account_link_send, name="link_send"),
    path(
        "goodwill/<int:pk>/<str:decision>/",
        views.goodwill_decide,
        name="goodwill_decide",
    ),
]
