from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import agent_required
from core.params import datetime_param, ids_param, int_param, text_param
from core.querylimits import QueryTooSlowError, statement_timeout
from customers.selectors import customer_find
from messaging.models import Channel
from tickets import selectors, workflow
from tickets.inbox import (
    PAGE_SIZES,
    RANGE_LABELS,
    SORTS,
    VIEWS,
    InboxPage,
    InboxQuery,
    inbox_news_count,
    inbox_page,
)
from tickets.models import Ticket

BULK_MAX = 500
LAST_INBOX_QUERY = "inbox.last_query"


def _inbox_context(request: HttpRequest) -> dict:
    query = InboxQuery.from_querydict(request.GET)
    too_slow = False
    try:
        with statement_timeout(settings.INBOX_STATEMENT_TIMEOUT_MS):
            page = inbox_page(user=request.user, query=query)
    except QueryTooSlowError:
        # The list would take too long: say so, and keep every filter for narrowing it.
        page, too_slow = InboxPage([], None, query), True
    # "Next ticket" (j) on the ticket page walks the list the agent came from.
    remembered = urlencode(query.as_params(), doseq=True)
    if request.session.get(LAST_INBOX_QUERY) != remembered:
        request.session[LAST_INBOX_QUERY] = remembered
    next_url = without_customer = None
    if page.next_cursor:
        next_url = "?" + urlencode(query.as_params(after=page.next_cursor), doseq=True)
    if query.customer:
        without_customer = "?" + urlencode(query.as_params(customer=None), doseq=True)
    # Ranges a dashboard's number linked here with: shown as chips, each removable.
    ranges = [
        {"name": name, "label": RANGE_LABELS[name], "start": start, "end": end,
         "without": "?" + urlencode(query.as_params(**{f"{name}_from": "", f"{name}_to": ""}),
                                    doseq=True)}
        for name, (start, end) in query.ranges.items()
    ]  # fmt: skip
    return {
        "page": page,
        "ranges": ranges,
        "too_slow": too_slow,
        "query": query,
        "next_url": next_url,
        "news_url": "?" + urlencode(query.as_params(since=timezone.now().isoformat()), doseq=True),
        "views": [(key, label) for key, (label, _f) in VIEWS.items()],
        "sorts": [(key, label) for key, (label, _c) in SORTS.items()],
        "page_sizes": PAGE_SIZES,
        "statuses": Ticket.Status.choices,
        "priorities": Ticket.Priority.choices,
        "channels": Channel.choices,
        "choices": selectors.inbox_choices(),
        "saved_views": selectors.saved_views(user=request.user),
        "customer_filter": customer_find(pk=query.customer) if query.customer else None,
        "without_customer": without_customer,
    }


@agent_required
def inbox_news(request: HttpRequest) -> HttpResponse:
    """Polled by the inbox: has anything in this list moved since the page was shown?"""
    since = datetime_param(request.GET.get("since"))
    count = 0
    if since is not None:
        query = InboxQuery.from_querydict(request.GET)
        try:
            with statement_timeout(settings.INBOX_STATEMENT_TIMEOUT_MS):
                count = inbox_news_count(user=request.user, query=query, since=since)
        except QueryTooSlowError:
            count = 0  # the poll tries again in half a minute
    return render(request, "tickets/_inbox_news.html", {"count": count})


@agent_required
def inbox(request: HttpRequest) -> HttpResponse:
    context = _inbox_context(request)
    if request.htmx and request.htmx.target == "inbox-rows":
        return render(request, "tickets/_inbox_rows.html", context)
    return render(request, "tickets/inbox.html", context)


@agent_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign, change status, tag or merge the selected rows. Any id that is malformed,
    missing or out of scope → 404: a bulk action never applies to part of a selection."""
    selected = set(request.POST.getlist("ticket"))
    if len(selected) > BULK_MAX:
        too_many = _("Select at most %(count)d tickets at a time.") % {"count": BULK_MAX}
        messages.error(request, too_many)
        return redirect(_back(request))
    ids = ids_param(selected)
    if len(ids) != len(selected):
        raise Http404("No such ticket.")
    tickets = selectors.tickets_in_scope(user=request.user, ids=ids)
    action = request.POST.get("action", "")
    value = text_param(
        request.POST.get({"assign": "assignee", "status": "status", "tag": "tag"}.get(action, ""))
    )
    try:
        if action == "status" and value in Ticket.Status.values:
            workflow.ticket_bulk_update(tickets=tickets, by=request.user, status=value)
        elif action == "assign" and (value in ("", "me", "none") or int_param(value)):
            assignee = None if value == "none" else request.user
            if agent_id := int_param(value):
                assignee = selectors.assignable_agents().filter(pk=agent_id).first()
                if assignee is None:
                    raise Http404("No such agent.")
            workflow.ticket_bulk_update(tickets=tickets, by=request.user, assignee=assignee)
        elif action == "tag" and value:
            workflow.ticket_tags_add(tickets=tickets, name=value, by=request.user)
        elif action == "merge" and len(tickets) >= 2:
            # The oldest ticket is the one the conversation continues in.
            target, *sources = tickets
            workflow.tickets_merge_into(sources=sources, target=target, by=request.user)
        else:
            messages.error(request, _("Choose an action and a value."))
            return redirect(_back(request))
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(_back(request))
    messages.success(request, _("Updated %(count)d tickets.") % {"count": len(tickets)})
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    back = request.POST.get("back", "")
    # Only our own inbox URL, never an open redirect.
    return back if back.startswith(reverse("tickets:list")) else reverse("tickets:list")


@agent_required
@require_POST
def saved_view_save(request: HttpRequest) -> HttpResponse:
    """Save the filters currently in the inbox URL (sent along as ``params``)."""
    params = QueryDict(request.POST.get("params", "").lstrip("?"))
    try:
        view = workflow.saved_view_save(
            user=request.user, name=text_param(request.POST.get("name")), params=params
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("tickets:list")
    return redirect(reverse("tickets:list") + "?" + view.query)


@agent_required
@require_POST
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = request.user.saved_views.filter(pk=pk).first()
    if view is None:
        raise Http404("No such view.")
    workflow.saved_view_delete(view=view)
    return redirect("tickets:list")
