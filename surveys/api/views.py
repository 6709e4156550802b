"""The surveys API for the shop's systems: survey responses and statistics (read only).
A key limited to teams sees the responses of those teams' surveys only."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import MAX_ID, ApiView, request_team_ids
from core.api.pagination import CursorPage
from core.models import Team
from surveys.models import SurveyInvitation, SurveyResponse
from surveys.selectors import survey_stats


class ResponseOutput(serializers.ModelSerializer):
    kind = serializers.CharField(source="invitation.kind")
    customer = serializers.IntegerField(source="invitation.customer_id")
    ticket = serializers.IntegerField(source="invitation.ticket_id", allow_null=True)
    order = serializers.CharField(source="invitation.order.number", allow_null=True, default=None)
    team = serializers.IntegerField(source="invitation.team_id", allow_null=True)
    detractor = serializers.SerializerMethodField()

    class Meta:
        model = SurveyResponse
        ref_name = "SurveyResponse"
        fields = [
            "id",
            "kind",
            "score",
            "comment",
            "detractor",
            "customer",
            "ticket",
            "order",
            "team",
            "looks_automated",
            "created_at",
            "updated_at",
        ]

    def get_detractor(self, response: SurveyResponse) -> bool:
        return response.invitation.is_detractor_score(response.score)


class ResponseFilters(serializers.Serializer):
    kind = serializers.ChoiceField(SurveyInvitation.Kind.choices, required=False)
    customer = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    updated_after = serializers.DateTimeField(required=False)


def responses_scoped(request: Request):
    query = SurveyResponse.objects.select_related("invitation", "invitation__order")
    limits = request_team_ids(request)
    if limits is not None:
        query = query.filter(
            Q(invitation__team_id__in=limits)
            | Q(invitation__team__isnull=True, invitation__ticket__team_id__in=limits)
        )
    return query


class SurveyResponseListApi(ApiView):
    api_resource = "surveys"
    pagination_class = CursorPage

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=SurveyInvitation.Kind.values),
            OpenApiParameter("customer", int),
            OpenApiParameter("updated_after", str, description="ISO 8601"),
        ],
        responses=ResponseOutput(many=True),
    )
    def get(self, request: Request, **kwargs) -> Response:
        filters = ResponseFilters(
            data={k: v for k, v in request.query_params.items() if k in ResponseFilters().fields}
        )
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        query = responses_scoped(request)
        if "kind" in f:
            query = query.filter(invitation__kind=f["kind"])
        if "customer" in f:
            query = query.filter(invitation__customer_id=f["customer"])
        if "updated_after" in f:
            query = query.filter(updated_at__gt=f["updated_after"])
        paginator = CursorPage()
        page = paginator.paginate_queryset(query, request, view=self)
        return paginator.get_paginated_response(ResponseOutput(page, many=True).data)


class StatsOutput(serializers.Serializer):
    class Meta:
        ref_name = "SurveyStats"

    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    team = serializers.IntegerField(allow_null=True)
    sent = serializers.IntegerField()
    answered = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    csat_responses = serializers.IntegerField()
    csat_percent = serializers.FloatField(allow_null=True)
    nps_responses = serializers.IntegerField()
    nps = serializers.FloatField(allow_null=True)


class StatsFilters(serializers.Serializer):
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
    team = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class SurveyStatsApi(ApiView):
    """CSAT, NPS and response rate over surveys sent in [since, until) (default: the last
    30 days), for all teams or one. A key limited to teams must name one of them."""

    api_resource = "surveys"

    @extend_schema(
        parameters=[
            OpenApiParameter("since", str, description="ISO 8601; default 30 days ago."),
            OpenApiParameter("until", str, description="ISO 8601; default now."),
            OpenApiParameter("team", int),
        ],
        responses=StatsOutput,
    )
    def get(self, request: Request, **kwargs) -> Response:
        filters = StatsFilters(
            data={k: v for k, v in request.query_params.items() if k in StatsFilters().fields}
        )
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        until = f.get("until") or timezone.now()
        since = f.get("since") or until - timedelta(days=30)
        if since >= until:
            raise ValidationError({"since": ["since must be before until."]})
        limits = request_team_ids(request)
        team = None
        if "team" in f:
            team = Team.objects.filter(pk=f["team"]).first()
            if team is None or (limits is not None and team.pk not in limits):
                raise ValidationError({"team": ["No such team."]})
        elif limits is not None:
            raise ValidationError({"team": ["This key is limited to teams: name one of them."]})
        stats = survey_stats(since=since, until=until, team=team)
        return Response(
            StatsOutput({"since": since, "until": until, "team": f.get("team"), **stats}).data
        )
