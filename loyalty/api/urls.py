from django.urls import path

from loyalty.api import views

app_name = "loyalty-api"
urlpatterns = [
    path("accounts/<int:customer_id>/", views.AccountApi.as_view(), name="account"),
    path("accounts/<int:customer_id>/join/", views.JoinApi.as_view(), name="join"),
    path("accounts/<int:customer_id>/redeem/", views.RedeemApi.as_view(), name="redeem"),
    path("orders/earn/", views.EarnForOrderApi.as_view(), name="earn"),
    path("coupons/<str:code>/use/", views.CouponUseApi.as_view(), name="coupon_use"),
    path("rewards/", views.RewardListApi.as_view(), name="rewards"),
]
