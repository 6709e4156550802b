from django.urls import path

from outreach import views

app_name = "outreach"
urlpatterns = [
    path("thank-you/<int:customer_id>/", views.thank_you, name="thank_you"),
]
