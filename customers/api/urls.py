from django.urls import path

from customers.api import views

app_name = "customers-api"
urlpatterns = [
    path("customers/", views.CustomerListApi.as_view(), name="customers"),
    path("customers/<int:customer_id>/", views.CustomerDetailApi.as_view(), name="customer"),
    path(
        "customers/<int:customer_id>/identities/",
        views.CustomerIdentityApi.as_view(),
        name="identities",
    ),
    path("customers/<int:customer_id>/merge/", views.CustomerMergeApi.as_view(), name="merge"),
    path("orders/", views.OrderListApi.as_view(), name="orders"),
    path("orders/<str:number>/", views.OrderDetailApi.as_view(), name="order"),
    path("orders/<str:number>/shipments/", views.OrderShipmentApi.as_view(), name="shipments"),
    path(
        "orders/<str:number>/shipments/<str:reference>/delay/",
        views.ShipmentDelayApi.as_view(),
        name="shipment_delay",
    ),
    path("orders/<str:number>/delivery/", views.OrderDeliveryApi.as_view(), name="delivery"),
    path("products/", views.ProductListApi.as_view(), name="products"),
    path("products/<str:sku>/", views.ProductDetailApi.as_view(), name="product"),
    path("products/<str:sku>/stock/", views.ProductStockApi.as_view(), name="stock"),
    path(
        "products/<str:sku>/service-interval/",
        views.ProductServiceIntervalApi.as_view(),
        name="service_interval",
    ),
]
