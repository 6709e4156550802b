"""The customers API for the shop's systems: customers and their identities, orders
with their items, shipments and deliveries, and products. Writes go through
customers.services, as the agent UI's and the admin's do."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView, id_or_404, request_actor
from core.api.errors import DomainError
from core.api.idempotency import IDEMPOTENCY_HEADER, idempotent
from core.api.pagination import CursorPage
from customers import services
from customers.api import serializers as s
from customers.models import Customer, Order, OrderItem, Product
from customers.phones import PhoneNumberError


class ShopDataConflictError(DomainError):
    code = "conflict"
    status = status.HTTP_409_CONFLICT


class ShopDataRefusedError(DomainError):
    code = "refused"


def _refusals(call):
    """The services' refusals as problem+json: a taken address or shop id is a conflict,
    a number that is no phone number invalid input."""
    try:
        return call()
    except services.IdentityTakenError as error:
        raise ShopDataConflictError(
            f"This address belongs to customer {error.customer_id}."
        ) from error
    except PhoneNumberError as error:
        raise ValidationError({"phone": [str(error)]}) from error
    except services.ShopDataError as error:
        raise ShopDataRefusedError(str(error)) from error
    except ValueError as error:  # a refused merge
        raise ShopDataRefusedError(str(error)) from error


def customers_query():
    return Customer.objects.prefetch_related("identities")


def customer_or_404(customer_id: int) -> Customer:
    customer = customers_query().filter(pk=id_or_404(customer_id)).first()
    if customer is None:
        raise Http404("No such customer.")
    return customer


LOOKUP_PARAMETERS = [
    OpenApiParameter("email", str, description="Customers with this email address."),
    OpenApiParameter("phone", str, description="Customers with this phone number (E.164)."),
    OpenApiParameter("external_ref", str, description="The customer with this shop id."),
]


class CustomerListApi(ApiView):
    """List customers (filtered by email, phone or shop id), or create or update one by
    the shop's id or email (``201`` when new, ``200`` when updated)."""

    api_resource = "customers"
    pagination_class = CursorPage

    @extend_schema(parameters=LOOKUP_PARAMETERS, responses=s.CustomerOutput(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        query = customers_query().order_by("-id")
        params = request.query_params
        if email := params.get("email", "").strip():
            query = query.filter(identities__kind="email", identities__address=email.lower()[:320])
        if phone := params.get("phone", "").strip():
            try:
                number = services.address_normalise(kind="phone", address=phone[:40])
            except PhoneNumberError:
                query = query.none()
            else:
                query = query.filter(
                    identities__kind__in=["phone", "whatsapp"], identities__address=number
                ).distinct()
        if ref := params.get("external_ref", "").strip():
            query = query.filter(external_ref=ref[:100])
        paginator = CursorPage()
        page = paginator.paginate_queryset(query, request, view=self)
        return paginator.get_paginated_response(s.CustomerOutput(page, many=True).data)

    @extend_schema(
        request=s.CustomerUpsertInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={200: s.CustomerOutput, 201: s.CustomerOutput},
    )
    @idempotent
    def post(self, request: Request, **kwargs) -> Response:
        data = s.CustomerUpsertInput(data=request.data)
        data.is_valid(raise_exception=True)
        customer, created = _refusals(
            lambda: services.customer_upsert(**data.validated_data, by=request_actor(request))
        )
        body = s.CustomerOutput(customer_or_404(customer.pk)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CustomerDetailApi(ApiView):
    api_resource = "customers"

    @extend_schema(responses=s.CustomerOutput)
    def get(self, request: Request, customer_id: int, **kwargs) -> Response:
        return Response(s.CustomerOutput(customer_or_404(customer_id)).data)

    @extend_schema(request=s.CustomerUpdateInput, responses=s.CustomerOutput)
    def patch(self, request: Request, customer_id: int, **kwargs) -> Response:
        customer = customer_or_404(customer_id)
        data = s.CustomerUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = {
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "language": customer.language,
            **data.validated_data,
        }
        services.customer_update(customer=customer, by=request_actor(request), **values)
        return Response(s.CustomerOutput(customer_or_404(customer.pk)).data)


class CustomerIdentityApi(ApiView):
    """Give a customer another address (an address of another customer is a 409)."""

    api_resource = "customers"

    @extend_schema(
        request=s.IdentityInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: s.CustomerOutput},
    )
    @idempotent
    def post(self, request: Request, customer_id: int, **kwargs) -> Response:
        customer = customer_or_404(customer_id)
        data = s.IdentityInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            _refusals(
                lambda: services.customer_identity_add(
                    customer=customer, by=request_actor(request), **data.validated_data
                )
            )
        except ValidationError as error:
            raise ValidationError({"address": error.detail.get("phone")}) from error
        return Response(s.CustomerOutput(customer_or_404(customer.pk)).data, status=201)


class CustomerMergeApi(ApiView):
    """Merge this duplicate into the customer ``into``; answers the customer who stays."""

    api_resource = "customers"

    @extend_schema(
        request=s.MergeInput, parameters=[IDEMPOTENCY_HEADER], responses={200: s.CustomerOutput}
    )
    @idempotent
    def post(self, request: Request, customer_id: int, **kwargs) -> Response:
        source = customer_or_404(customer_id)
        data = s.MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        target = customer_or_404(data.validated_data["into"])
        target = _refusals(
            lambda: services.customer_merge(source=source, target=target, by=request_actor(request))
        )
        return Response(s.CustomerOutput(customer_or_404(target.pk)).data)


# --- Orders -------------------------------------------------------------------------------


def orders_query():
    items = OrderItem.objects.select_related("product").order_by("pk")
    return Order.objects.prefetch_related(Prefetch("items", queryset=items), "shipments")


def order_or_404(number: str) -> Order:
    order = orders_query().filter(number=number[:64]).first()
    if order is None:
        raise Http404("No such order.")
    return order


class OrderListApi(ApiView):
    """List orders (of one customer), or create or update one by the shop's order
    number (its items, when sent, replace the order's)."""

    api_resource = "orders"
    pagination_class = CursorPage

    @extend_schema(
        parameters=[OpenApiParameter("customer", int, description="One customer's orders.")],
        responses=s.OrderOutput(many=True),
    )
    def get(self, request: Request, **kwargs) -> Response:
        query = orders_query().order_by("-id")
        if (customer := request.query_params.get("customer")) is not None:
            try:
                query = query.filter(customer_id=id_or_404(customer))
            except Http404:
                raise ValidationError({"customer": ["Give a customer id."]}) from None
        paginator = CursorPage()
        page = paginator.paginate_queryset(query, request, view=self)
        return paginator.get_paginated_response(s.OrderOutput(page, many=True).data)

    @extend_schema(
        request=s.OrderUpsertInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={200: s.OrderOutput, 201: s.OrderOutput},
    )
    @idempotent
    def post(self, request: Request, **kwargs) -> Response:
        data = s.OrderUpsertInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "customer" in values:
            customer = Customer.objects.filter(pk=values.pop("customer")).first()
        else:
            customer = Customer.objects.filter(
                external_ref=values.pop("customer_external_ref")
            ).first()
        if customer is None:
            raise ValidationError({"customer": ["No such customer."]})
        items = values.pop("items", None)
        lines = None if items is None else [services.OrderLine(**item) for item in items]
        order, created = _refusals(
            lambda: services.order_upsert(
                customer=customer, items=lines, by=request_actor(request), **values
            )
        )
        body = s.OrderOutput(order_or_404(order.number)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


ORDER_NUMBER_PATH = OpenApiParameter(
    "number",
    str,
    OpenApiParameter.PATH,
    pattern=s.ORDER_NUMBER,
    description="The shop's order number.",
)


SHIPMENT_PATH = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="The warehouse's parcel id."
)


class OrderDetailApi(ApiView):
    api_resource = "orders"

    @extend_schema(parameters=[ORDER_NUMBER_PATH], responses=s.OrderOutput)
    def get(self, request: Request, number: str, **kwargs) -> Response:
        return Response(s.OrderOutput(order_or_404(number)).data)


class OrderShipmentApi(ApiView):
    """Record a parcel of the order by the warehouse's reference (sent again, it is
    updated). A delivered parcel delivers the order."""

    api_resource = "orders"

    @extend_schema(
        request=s.ShipmentInput,
        parameters=[ORDER_NUMBER_PATH, IDEMPOTENCY_HEADER],
        responses={200: s.OrderOutput, 201: s.OrderOutput},
    )
    @idempotent
    def post(self, request: Request, number: str, **kwargs) -> Response:
        order = order_or_404(number)
        data = s.ShipmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        _shipment, created = _refusals(
            lambda: services.shipment_upsert(
                order=order, by=request_actor(request), **data.validated_data
            )
        )
        body = s.OrderOutput(order_or_404(order.number)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ShipmentDelayApi(ApiView):
    """The warehouse says a parcel is late: its new expected delivery, or null while
    nobody knows yet. The customer is told before they have to ask, once per estimate
    (the same report sent twice is one delay)."""

    api_resource = "orders"

    @extend_schema(
        request=s.ShipmentDelayInput,
        parameters=[ORDER_NUMBER_PATH, SHIPMENT_PATH, IDEMPOTENCY_HEADER],
        responses={200: s.ShipmentOutput, 201: s.ShipmentOutput},
    )
    @idempotent
    def post(self, request: Request, number: str, reference: str, **kwargs) -> Response:
        order = order_or_404(number)
        shipment = order.shipments.filter(reference=reference[:100]).first()
        if shipment is None:
            raise Http404("No such shipment.")
        data = s.ShipmentDelayInput(data=request.data)
        data.is_valid(raise_exception=True)
        shipment, reported = _refusals(
            lambda: services.shipment_delay_report(
                shipment=shipment, by=request_actor(request), **data.validated_data
            )
        )
        return Response(
            s.ShipmentOutput(shipment).data,
            status=status.HTTP_201_CREATED if reported else status.HTTP_200_OK,
        )


class OrderDeliveryApi(ApiView):
    """Mark the order delivered: the return window and warranty start, and an NPS
    survey is scheduled (as when an admin records the delivery)."""

    api_resource = "orders"

    @extend_schema(
        request=s.DeliveryInput,
        parameters=[ORDER_NUMBER_PATH, IDEMPOTENCY_HEADER],
        responses={200: s.OrderOutput},
    )
    @idempotent
    def post(self, request: Request, number: str, **kwargs) -> Response:
        order = order_or_404(number)
        data = s.DeliveryInput(data=request.data)
        data.is_valid(raise_exception=True)
        if order.status in (Order.Status.CANCELLED, Order.Status.RETURNED):
            raise ShopDataConflictError(f"This order is {order.status}.")
        services.order_mark_delivered(
            order=order,
            delivered_at=data.validated_data.get("delivered_at"),
            by=request_actor(request),
        )
        return Response(s.OrderOutput(order_or_404(order.number)).data)


# --- Products -----------------------------------------------------------------------------

SKU_PATH = OpenApiParameter("sku", str, OpenApiParameter.PATH, pattern=s.SKU)


def product_or_404(sku: str) -> Product:
    product = Product.objects.filter(sku=sku[:64]).first()
    if product is None:
        raise Http404("No such product.")
    return product


class ProductListApi(ApiView):
    """List products, or create or update one by its SKU."""

    api_resource = "products"
    pagination_class = CursorPage

    @extend_schema(responses=s.ProductOutput(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        paginator = CursorPage()
        page = paginator.paginate_queryset(Product.objects.order_by("-id"), request, view=self)
        return paginator.get_paginated_response(s.ProductOutput(page, many=True).data)

    @extend_schema(
        request=s.ProductUpsertInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={200: s.ProductOutput, 201: s.ProductOutput},
    )
    @idempotent
    def post(self, request: Request, **kwargs) -> Response:
        data = s.ProductUpsertInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        stock = values.pop("stock_quantity", None)
        by = request_actor(request)
        product, created = services.product_upsert(
            by=by,
            service_interval_months=values.pop("service_interval_months", services.KEEP),
            **values,
        )
        if stock is not None:
            product = services.product_stock_set(product=product, quantity=stock, by=by)
        body = s.ProductOutput(product_or_404(product.sku)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ProductDetailApi(ApiView):
    api_resource = "products"

    @extend_schema(parameters=[SKU_PATH], responses=s.ProductOutput)
    def get(self, request: Request, sku: str, **kwargs) -> Response:
        return Response(s.ProductOutput(product_or_404(sku)).data)


class ProductStockApi(ApiView):
    """The shop's stock of a product now (a product back in stock is recorded)."""

    api_resource = "products"

    @extend_schema(
        request=s.StockInput,
        parameters=[SKU_PATH, IDEMPOTENCY_HEADER],
        responses={200: s.ProductOutput},
    )
    @idempotent
    def post(self, request: Request, sku: str, **kwargs) -> Response:
        product = product_or_404(sku)
        data = s.StockInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_stock_set(
            product=product, quantity=data.validated_data["quantity"], by=request_actor(request)
        )
        return Response(s.ProductOutput(product).data)


class ProductServiceIntervalApi(ApiView):
    """How often the product should be serviced (maintenance reminders follow it)."""

    api_resource = "products"

    @extend_schema(
        request=s.ServiceIntervalInput,
        parameters=[SKU_PATH, IDEMPOTENCY_HEADER],
        responses={200: s.ProductOutput},
    )
    @idempotent
    def post(self, request: Request, sku: str, **kwargs) -> Response:
        product = product_or_404(sku)
        data = s.ServiceIntervalInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_service_interval_set(
            product=product, months=data.validated_data["months"], by=request_actor(request)
        )
        return Response(s.ProductOutput(product).data)
