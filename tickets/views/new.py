"""A ticket an agent opens themselves: after a phone call or a visit, or to email a
customer first; for a customer found by name, address or number, or entered here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.access import agent_required, agent_team_ids, is_admin
from core.models import Team
from core.params import int_param, text_param, uuid_param
from customers.models import Customer
from customers.phones import phone_region_for_agent
from customers.selectors import customer_find, customer_search
from customers.services import IdentityTakenError, address_normalise
from customers.views import _taken
from tickets import services, workflow
from tickets.forms import NewCustomerForm, TicketNewForm
from tickets.models import Ticket

SEARCH_LIMIT = 20
NEW = "new"


def _teams(user: AbstractUser) -> QuerySet[Team]:
    teams = Team.objects.order_by("name")
    return teams if is_admin(user) else teams.filter(pk__in=agent_team_ids(user))


def _customer(chosen: str) -> Customer | None:
    """The customer picked in the list (the one it was merged into, if it was)."""
    customer = customer_find(pk=pk) if (pk := int_param(chosen)) else None
    if customer is not None and customer.merged_into_id:
        customer = customer_find(pk=customer.merged_into_id)
    return customer


def _results(q: str, chosen: Customer | None) -> list[Customer]:
    found = customer_search(text=q, limit=SEARCH_LIMIT) if q else []
    if chosen is not None and chosen not in found:
        found.insert(0, chosen)  # what the agent picked stays on screen with an error
    return found


def _typed(form_class: type, data: QueryDict, prefix: str, **defaults: object) -> dict:
    """The values typed into a form's fields, as initial values of an unbound copy."""
    typed = dict(defaults)
    for name in form_class.base_fields:
        key = f"{prefix}-{name}" if prefix else name
        if data.get(key):
            typed[name] = text_param(data.get(key))
    return typed


@agent_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    q = text_param(data.get("q"))[:200]
    chosen = text_param(data.get("customer"))[:30]
    customer = _customer(chosen) if chosen != NEW else None
    context = {"q": q, "chosen": NEW if chosen == NEW else str(customer.pk if customer else ""),
               "composer_token": uuid_param(data.get("composer_token"))}  # fmt: skip
    if request.htmx and request.htmx.target == "customer-results":
        context["customers"] = _results(q, customer)
        return render(request, "tickets/_new_ticket_customers.html", context)
    region = phone_region_for_agent(user=request.user)
    teams = _teams(request.user)
    # A search without JavaScript posts the whole form: what was typed stays, unjudged.
    posted = request.POST if request.method == "POST" else QueryDict()
    bound = request.method == "POST" and posted.get("action") != "search"
    form = TicketNewForm(posted if bound else None, teams=teams,
                         initial=_typed(TicketNewForm, posted, "", team=teams.first()))  # fmt: skip
    new_form = NewCustomerForm(
        posted if bound and chosen == NEW else None, prefix=NEW, region=region,
        initial=_typed(NewCustomerForm, posted, NEW, language=get_language()),
    )  # fmt: skip
    context |= {"form": form, "new_form": new_form, "customer_error": ""}
    if bound:
        ticket = _create(request, form, new_form, customer, chosen, context)
        if ticket is not None:
            return redirect("tickets:detail", pk=ticket.pk)
    context["customers"] = _results(q, customer)
    if (taken := context.pop("taken", None)) is not None and taken not in context["customers"]:
        context["customers"].insert(0, taken)  # the customer the address belongs to
    return render(request, "tickets/ticket_new.html", context, status=422 if bound else 200)


def _create(
    request: HttpRequest, form: TicketNewForm, new_form: NewCustomerForm,
    customer: Customer | None, chosen: str, context: dict,
) -> Ticket | None:  # fmt: skip
    """Open the ticket if everything is in order; otherwise None, with the errors on the
    forms and in ``context``."""
    valid = form.is_valid()
    if chosen == NEW:
        valid = new_form.is_valid() and valid
    elif customer is None:
        context["customer_error"] = _("Choose a customer from the list, or enter a new one.")
        valid = False
    if not valid:
        return None
    first_name = customer.first_name if customer else new_form.cleaned_data["first_name"]
    latest = None
    if customer is not None:
        latest = customer.orders.order_by("-placed_at").values_list("number", flat=True).first()
    try:
        text = workflow.placeholders_fill(text=form.cleaned_data["body"], context=(
            workflow.PlaceholderContext(
                customer_first_name=first_name, latest_order_number=latest,
                agent_name=request.user.get_full_name() or request.user.get_username())
        ))  # fmt: skip
        return services.ticket_open_by_agent(
            by=request.user, channel=form.cleaned_data["contact"],
            subject=form.cleaned_data["subject"], text=text, team=form.cleaned_data["team"],
            customer=customer, new_customer=new_form.new_customer() if chosen == NEW else None,
            composer_token=context["composer_token"],
        )  # fmt: skip
    except workflow.PlaceholderError as error:
        for problem in error.problems:
            form.add_error("body", problem)
    except services.ReplyRefusedError as error:
        form.add_error(None, str(error))
    except IdentityTakenError as taken:
        email = address_normalise(kind="email", address=new_form.cleaned_data["email"])
        new_form.add_error("email" if email == taken.address else "phone", _taken(taken))
        context["taken"] = customer_find(pk=taken.customer_id)
    return None
