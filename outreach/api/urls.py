from django.urls import path

from outreach.api import views

app_name = "outreach-api"
urlpatterns = [
    path("stock-requests/", views.StockRequestApi.as_view(), name="stock_requests"),
]
