from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("<int:pk>/", views.endpoint_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.endpoint_action, name="action"),
    path("deliveries/<int:pk>/replay/", views.delivery_replay, name="replay"),
]
