from django.urls import path

from outreach import appointment_views, stop, views

app_name = "outreach"
urlpatterns = [
    path("thank-you/<int:customer_id>/", views.thank_you, name="thank_you"),
    path("stock-request/<int:customer_id>/", views.stock_request, name="stock_request"),
    path("stop/<str:token>/", stop.stop, name="stop"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/<int:pk>/", views.incident, name="incident"),
    path("incidents/<int:pk>/send/", views.incident_send, name="incident_send"),
    path("incidents/<int:pk>/close/", views.incident_close, name="incident_close"),
    path("appointments/", appointment_views.appointments_day, name="appointments"),
    path("book/<str:token>/", appointment_views.booking_page, name="booking"),
]
