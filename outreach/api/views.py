"""Proactive-care API for the shop's systems: a customer asks to be told when a product
is back in stock (the shop reports stock through the products API).

POSTs take an ``Idempotency-Key`` header (core.api.idempotency)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView, request_actor
from core.api.idempotency import IDEMPOTENCY_HEADER, idempotent
from customers.models import Customer, Product
from outreach.models import StockRequest
from outreach.stock import stock_request_create

MAX_ID = 2**63 - 1


class StockRequestApi(ApiView):
    """Tell this customer once when the product is back in stock."""

    api_resource = "products"

    class InputSerializer(serializers.Serializer):
        customer = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        sku = serializers.CharField(max_length=64)

        class Meta:
            ref_name = "StockRequestInput"

    class OutputSerializer(serializers.ModelSerializer):
        sku = serializers.CharField(source="product.sku")

        class Meta:
            model = StockRequest
            ref_name = "StockRequest"
            fields = ["id", "customer", "sku", "source", "created_at", "notified_at"]

    @extend_schema(request=InputSerializer, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: OutputSerializer, 200: OutputSerializer})  # fmt: skip
    @idempotent
    def post(self, request: Request, **kwargs) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer = Customer.objects.filter(pk=data.validated_data["customer"]).first()
        product = Product.objects.filter(sku=data.validated_data["sku"]).first()
        if customer is None or product is None:
            raise Http404("No such customer or product.")
        wish, created = stock_request_create(customer=customer, product=product,
                                             source=StockRequest.Source.API,
                                             by=request_actor(request))  # fmt: skip
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.OutputSerializer(wish).data, status=code)
