from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("<uuid:public_id>/<str:token>/", views.answer, name="answer"),
    path("<uuid:public_id>/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("recovery/<int:pk>/recovered/", views.recovered, name="recovered"),
]
