"""The tickets API for the shop's systems: list, open, read and change tickets, read
their public messages, and reply or add notes through the same services (and outbox)
as the agent workspace. A key limited to teams sees those teams' tickets only; any
other answers 404."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import MAX_ID, ApiView, id_or_404, request_actor, request_team_ids, team_scoped
from core.api.errors import DomainError
from core.api.idempotency import IDEMPOTENCY_HEADER, idempotent
from core.api.pagination import CursorPage
from core.models import Team
from customers.models import ContactIdentity, Customer
from customers.phones import PhoneNumberError
from customers.services import customer_from_identity
from messaging.models import Channel
from tickets import services, workflow
from tickets.models import Message, Tag, Ticket

TEXT_MAX = 100_000
# The channels a ticket opened through the API says it came by.
OPEN_CHANNELS = [("web", "Web form"), ("api", "API"), ("email", "Email")]


class ReplyRefusedApiError(DomainError):
    code = "reply_refused"


def text_field(max_length: int, **kwargs) -> serializers.RegexField:
    # No control characters but tab and newlines.
    return serializers.RegexField(
        rf"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]{{0,{max_length}}}$",
        max_length=max_length,
        **kwargs,
    )


class TicketOutput(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="customer_id")
    team = serializers.IntegerField(source="team_id", allow_null=True)
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        ref_name = "Ticket"
        fields = [
            "id",
            "subject",
            "status",
            "priority",
            "channel",
            "customer",
            "team",
            "assignee",
            "tags",
            "created_at",
            "updated_at",
            "last_activity_at",
            "first_response_at",
            "solved_at",
            "closed_at",
        ]

    def get_tags(self, ticket: Ticket) -> list[str]:
        return sorted(tag.name for tag in ticket.tags.all())


class MessageOutput(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Message
        ref_name = "TicketMessage"
        fields = ["id", "direction", "visibility", "channel", "author", "body_text", "created_at"]

    def get_author(self, message: Message) -> str | None:
        if message.author_id is None:
            return None
        return message.author.get_full_name() or message.author.get_username()


def tickets_query(request: Request) -> QuerySet[Ticket]:
    return team_scoped(
        Ticket.objects.select_related("customer").prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("name"))
        ),
        request,
        assignee="assignee",
    )


def ticket_or_404(request: Request, ticket_id: int) -> Ticket:
    ticket = tickets_query(request).filter(pk=id_or_404(ticket_id)).first()
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def team_allowed(request: Request, team_id: int | None) -> Team | None:
    """The team a ticket may be given by this caller; outside its limits it is unknown."""
    if team_id is None:
        return None
    limits = request_team_ids(request)
    team = Team.objects.filter(pk=team_id).first()
    if team is None or (limits is not None and team.pk not in limits):
        raise ValidationError({"team": ["No such team."]})
    return team


# Filters a list takes, and the orderings it may be sorted by; anything else is ignored
# (an unknown filter) or refused (an ordering outside the list).
ORDERINGS = ["-id", "id", "-created_at", "created_at", "-last_activity_at", "last_activity_at"]


class TicketFilters(serializers.Serializer):
    class Meta:
        ref_name = "TicketFilters"

    status = serializers.MultipleChoiceField(choices=Ticket.Status.choices, required=False)
    priority = serializers.ChoiceField(Ticket.Priority.choices, required=False)
    team = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    assignee = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    customer = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    tag = serializers.CharField(max_length=50, required=False)
    updated_after = serializers.DateTimeField(required=False)
    created_after = serializers.DateTimeField(required=False)
    ordering = serializers.ChoiceField(ORDERINGS, default="-id")


LIST_PARAMETERS = [
    OpenApiParameter("status", str, many=True, enum=Ticket.Status.values, explode=True),
    OpenApiParameter("priority", int, enum=Ticket.Priority.values),
    OpenApiParameter("team", int),
    OpenApiParameter("assignee", int),
    OpenApiParameter("customer", int),
    OpenApiParameter("tag", str),
    OpenApiParameter("updated_after", str, description="ISO 8601"),
    OpenApiParameter("created_after", str, description="ISO 8601"),
    OpenApiParameter("ordering", str, enum=ORDERINGS, description="Default -id."),
]


class TicketCreateInput(serializers.Serializer):
    class Meta:
        ref_name = "TicketCreateInput"

    customer = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    email = serializers.EmailField(
        max_length=254, required=False, help_text="Finds or creates the customer."
    )
    name = text_field(200, required=False, default="")
    subject = text_field(255, allow_blank=False)
    text = text_field(TEXT_MAX, allow_blank=False, trim_whitespace=False)
    channel = serializers.ChoiceField(OPEN_CHANNELS, default=Channel.WEB)
    team = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    priority = serializers.ChoiceField(Ticket.Priority.choices, default=Ticket.Priority.NORMAL)

    def validate(self, data):
        if ("customer" in data) == ("email" in data):
            raise ValidationError("Give either customer or email.")
        return data


class TicketListApi(ApiView):
    """List tickets with filters, or open a ticket with the customer's first message."""

    api_resource = "tickets"
    pagination_class = CursorPage

    @extend_schema(parameters=LIST_PARAMETERS, responses=TicketOutput(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        params = {k: v for k, v in request.query_params.lists() if k in TicketFilters().fields}
        flat = {k: (v if k == "status" else v[-1]) for k, v in params.items()}
        filters = TicketFilters(data=flat)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        query = tickets_query(request)
        if f.get("status"):
            query = query.filter(status__in=sorted(f["status"]))
        for field in ("priority", "team", "assignee", "customer"):
            if field in f:
                query = query.filter(**{f"{field}_id" if field != "priority" else field: f[field]})
        if "tag" in f:
            query = query.filter(tags__name=f["tag"].strip().lower())
        if "updated_after" in f:
            query = query.filter(updated_at__gt=f["updated_after"])
        if "created_after" in f:
            query = query.filter(created_at__gt=f["created_after"])
        paginator = CursorPage()
        field = f["ordering"].lstrip("-")
        paginator.ordering = (f["ordering"], "-id" if f["ordering"].startswith("-") else "id")
        if field == "id":
            paginator.ordering = f["ordering"]
        page = paginator.paginate_queryset(query, request, view=self)
        return paginator.get_paginated_response(TicketOutput(page, many=True).data)

    @extend_schema(
        request=TicketCreateInput, parameters=[IDEMPOTENCY_HEADER], responses={201: TicketOutput}
    )
    @idempotent
    def post(self, request: Request, **kwargs) -> Response:
        data = TicketCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        limits = request_team_ids(request)
        if "team" in values:
            team = team_allowed(request, values["team"])
        elif limits is not None:
            raise ValidationError({"team": ["This key is limited to teams: give one of them."]})
        else:
            team = Team.objects.filter(is_default=True).first()
        sender = None
        if "customer" in values:
            customer = Customer.objects.filter(pk=values["customer"]).first()
            if customer is None:
                raise ValidationError({"customer": ["No such customer."]})
        else:
            try:
                customer, sender = customer_from_identity(
                    kind=ContactIdentity.Kind.EMAIL,
                    address=values["email"],
                    display_name=values["name"],
                )
            except PhoneNumberError as error:  # pragma: no cover - emails are not phones
                raise ValidationError({"email": [str(error)]}) from error
        ticket = services.ticket_open(
            customer=customer,
            subject=values["subject"],
            body_text=values["text"],
            channel=values["channel"],
            team=team,
            sender=sender,
            priority=values["priority"],
        )
        return Response(
            TicketOutput(ticket_or_404(request, ticket.pk)).data, status=status.HTTP_201_CREATED
        )


class TicketUpdateInput(serializers.Serializer):
    class Meta:
        ref_name = "TicketUpdateInput"

    status = serializers.ChoiceField(Ticket.Status.choices, required=False)
    priority = serializers.ChoiceField(Ticket.Priority.choices, required=False)
    team = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    assignee = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    tags = serializers.ListField(
        child=serializers.RegexField(r"^[^\x00-\x1f\x7f]{1,50}$"),
        max_length=50,
        required=False,
        help_text="The ticket's whole set of tags.",
    )


class TicketDetailApi(ApiView):
    api_resource = "tickets"

    @extend_schema(responses=TicketOutput)
    def get(self, request: Request, ticket_id: int, **kwargs) -> Response:
        return Response(TicketOutput(ticket_or_404(request, ticket_id)).data)

    @extend_schema(request=TicketUpdateInput, responses=TicketOutput)
    def patch(self, request: Request, ticket_id: int, **kwargs) -> Response:
        ticket = ticket_or_404(request, ticket_id)
        data = TicketUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "team" in changes:
            if changes["team"] is None and request_team_ids(request) is not None:
                raise ValidationError({"team": ["This key must keep tickets in its teams."]})
            changes["team"] = team_allowed(request, changes["team"])
        if "assignee" in changes and changes["assignee"] is not None:
            changes["assignee"] = (
                get_user_model()
                .objects.filter(pk=changes["assignee"], is_active=True, agent_profile__isnull=False)
                .first()
            )
            if changes["assignee"] is None:
                raise ValidationError({"assignee": ["No such agent."]})
        if "priority" in changes:
            changes["priority"] = int(changes["priority"])
        try:
            workflow.ticket_change(ticket=ticket, by=request_actor(request), **changes)
        except ValueError as error:  # a tag the workflow refuses
            raise ValidationError({"tags": [str(error)]}) from error
        return Response(TicketOutput(ticket_or_404(request, ticket.pk)).data)


class MessageInput(serializers.Serializer):
    class Meta:
        ref_name = "TicketMessageInput"

    text = text_field(TEXT_MAX, allow_blank=False, trim_whitespace=False)
    visibility = serializers.ChoiceField(
        Message.Visibility.choices,
        default="public",
        help_text="public: a reply sent to the customer; internal: a note for agents.",
    )
    channel = serializers.ChoiceField(
        Channel.choices, required=False, help_text="A reply's channel; default the ticket's."
    )


class MessageListApi(ApiView):
    """A ticket's public conversation (internal notes are not listed), or a reply or an
    internal note added to it."""

    api_resource = "tickets"
    pagination_class = CursorPage

    @extend_schema(responses=MessageOutput(many=True))
    def get(self, request: Request, ticket_id: int, **kwargs) -> Response:
        ticket = ticket_or_404(request, ticket_id)
        query = ticket.messages.filter(visibility=Message.Visibility.PUBLIC).select_related(
            "author"
        )
        paginator = CursorPage()
        paginator.ordering = "id"
        page = paginator.paginate_queryset(query, request, view=self)
        return paginator.get_paginated_response(MessageOutput(page, many=True).data)

    @extend_schema(
        request=MessageInput, parameters=[IDEMPOTENCY_HEADER], responses={201: MessageOutput}
    )
    @idempotent
    def post(self, request: Request, ticket_id: int, **kwargs) -> Response:
        ticket = ticket_or_404(request, ticket_id)
        data = MessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        by = request_actor(request)
        if values["visibility"] == Message.Visibility.INTERNAL:
            message = services.ticket_note_add(ticket=ticket, by=by, text=values["text"])
        else:
            try:
                message = services.ticket_reply(
                    ticket=ticket, by=by, text=values["text"], channel=values.get("channel")
                )
            except services.ReplyRefusedError as error:
                raise ReplyRefusedApiError(str(error)) from error
        return Response(MessageOutput(message).data, status=status.HTTP_201_CREATED)
