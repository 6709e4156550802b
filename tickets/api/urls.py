from django.urls import path

from tickets.api import views

app_name = "tickets-api"
urlpatterns = [
    path("", views.TicketListApi.as_view(), name="tickets"),
    path("<int:ticket_id>/", views.TicketDetailApi.as_view(), name="ticket"),
    path("<int:ticket_id>/messages/", views.MessageListApi.as_view(), name="messages"),
]
