"""Loyalty API for the shop's systems: balance and entries, earn for an order, redeem.

POSTs take an ``Idempotency-Key`` header: the same key with the same request answers
exactly as the first time; the same key with another request is refused with 409."""

from __future__ import annotations

import re

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.keys import IsStaffOrApiKey
from customers.models import Customer, Order
from loyalty import selectors, services
from loyalty.models import LedgerEntry, Reward

MAX_ID = 2**63 - 1
# Printable ASCII without spaces: what clients use (UUIDs, hashes, their own ids).
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,150}$")
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=True,
    description="1 to 150 printable ASCII characters; reuse it to retry safely.",
)  # fmt: skip

# What coupon_code_new makes (upper-case letters, digits, dashes), read case-insensitively.
COUPON_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,32}$")


def idempotency_key(request: Request) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not KEY_PATTERN.match(key):
        raise ValidationError({"Idempotency-Key": "Send 1 to 150 printable ASCII characters."})
    # Namespaced, so a client's key can never collide with the keys services use themselves.
    return f"api:{key}"


def actor(request: Request):
    """The staff member behind a session; API keys act without a user row."""
    return request.user if getattr(request.user, "pk", None) else None


def customer_or_404(customer_id: int) -> Customer:
    if customer_id > MAX_ID:
        raise Http404("No such customer.")
    return get_object_or_404(Customer, pk=customer_id)


class EntrySerializer(serializers.ModelSerializer):
    coupon = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        ref_name = "LoyaltyEntry"
        fields = [
            "id", "kind", "source", "points", "pending_points", "balance_after",
            "pending_after", "reason", "created_at", "coupon",
        ]  # fmt: skip

    def get_coupon(self, entry: LedgerEntry) -> dict | None:
        if entry.kind != LedgerEntry.Kind.REDEEM:
            return None
        coupon = entry.coupon
        return {"code": coupon.code, "reward": coupon.reward_id, "valid_until": coupon.valid_until}


class AccountApi(APIView):
    permission_classes = [IsStaffOrApiKey]
    api_resource = "loyalty"

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LoyaltyAccount"

        customer = serializers.IntegerField(source="account.customer_id")
        balance = serializers.IntegerField(source="account.balance")
        pending_balance = serializers.IntegerField(source="account.pending_balance")
        tier = serializers.CharField(source="account.tier")
        last_activity_at = serializers.DateTimeField(source="account.last_activity_at")
        entries = EntrySerializer(many=True)

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="Entries to return, 1 to 200.")],
        responses=OutputSerializer,
    )
    def get(self, request: Request, customer_id: int, **kwargs) -> Response:
        customer = customer_or_404(customer_id)
        limit = serializers.IntegerField(min_value=1, max_value=200, default=50).run_validation(
            request.query_params.get("limit", 50)
        )
        summary = selectors.account_summary(customer=customer, limit=limit)
        if not summary.is_member:
            raise services.NotAMemberError("This customer has not joined.")
        return Response(self.OutputSerializer(summary).data)


class JoinApi(APIView):
    """Enrol a customer who gave their consent to the shop (idempotent)."""

    permission_classes = [IsStaffOrApiKey]
    api_resource = "loyalty"

    @extend_schema(request=None, responses={201: AccountApi.OutputSerializer})
    def post(self, request: Request, customer_id: int, **kwargs) -> Response:
        customer = customer_or_404(customer_id)
        services.account_join(customer=customer, consent_source="api", by=actor(request))
        summary = selectors.account_summary(customer=customer, limit=0)
        return Response(AccountApi.OutputSerializer(summary).data, status=status.HTTP_201_CREATED)


class RedeemApi(APIView):
    permission_classes = [IsStaffOrApiKey]
    api_resource = "loyalty"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LoyaltyRedeemInput"

        reward = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    @extend_schema(
        request=InputSerializer, parameters=[IDEMPOTENCY_HEADER], responses={201: EntrySerializer}
    )
    def post(self, request: Request, customer_id: int, **kwargs) -> Response:
        key = idempotency_key(request)
        customer = customer_or_404(customer_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account = selectors.account_for_customer(customer_id=customer.pk)
        reward = Reward.objects.filter(pk=data.validated_data["reward"]).first()
        if account is None:
            raise services.NotAMemberError("This customer has not joined.")
        if reward is None:
            raise services.NotEligibleError("No such reward.")
        entry = services.points_redeem(
            account=account, reward=reward, idempotency_key=key, by=actor(request)
        )
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class EarnForOrderApi(APIView):
    permission_classes = [IsStaffOrApiKey]
    api_resource = "loyalty"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LoyaltyEarnInput"

        order = serializers.CharField(max_length=64, help_text="The shop's order number.")

    @extend_schema(
        request=InputSerializer, parameters=[IDEMPOTENCY_HEADER], responses={201: EntrySerializer}
    )
    def post(self, request: Request, **kwargs) -> Response:
        key = idempotency_key(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = get_object_or_404(Order, number=data.validated_data["order"])
        entry = services.points_earn_for_order(order=order, idempotency_key=key, by=actor(request))
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class RewardListApi(APIView):
    permission_classes = [IsStaffOrApiKey]
    api_resource = "loyalty"

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Reward
            ref_name = "LoyaltyReward"
            fields = [
                "id", "name", "name_de", "name_tr", "description", "description_de",
                "description_tr", "points_cost", "coupon_valid_days",
            ]  # fmt: skip

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        return Response(self.OutputSerializer(selectors.rewards_available(), many=True).data)


class CouponUseApi(APIView):
    """The shop's checkout marks a coupon used for an order. Sending the same order again
    answers as the first time (retry-safe); another order gets 409, an unknown code 404."""

    permission_classes = [IsStaffOrApiKey]
    api_resource = "loyalty"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LoyaltyCouponUseInput"

        order = serializers.RegexField(
            r"^[\x21-\x7e]{1,64}$", help_text="The shop's order number the coupon pays for."
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LoyaltyCouponUsed"

        code = serializers.CharField()
        reward = serializers.IntegerField(source="reward_id")
        customer = serializers.IntegerField(source="account.customer_id")
        order = serializers.CharField(source="used_for_order")
        used_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, 404: None, 409: None})
    def post(self, request: Request, code: str, **kwargs) -> Response:
        if not COUPON_PATTERN.match(code):
            raise Http404("No such coupon.")
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        coupon = services.coupon_use(code=code, order_number=data.validated_data["order"])
        return Response(self.OutputSerializer(coupon).data)
