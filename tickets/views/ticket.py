from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from core.access import agent_required
from core.htmx import toast
from core.models import Team
from core.params import int_param, text_param, uuid_param
from customers.selectors import customer_history
from messaging.models import Channel, OutboxMessage
from messaging.outbox import outbox_retry
from tickets import presence, selectors, workflow
from tickets.hooks import composer_tools
from tickets.inbox import InboxQuery, inbox_cursor, inbox_page
from tickets.models import Ticket
from tickets.promises.calendar import ticket_time_zone
from tickets.promises.selectors import promise_due_text
from tickets.services import (
    ReplyRefusedError,
    reply_channels,
    ticket_call_log,
    ticket_note_add,
    ticket_reply,
)
from tickets.timeline import RECENT_MESSAGES, ticket_timeline
from tickets.tone.stats import tone_outcome_record
from tickets.uploads import uploaded_files
from tickets.views.assist import SEEN_MAX, draft_advice
from tickets.views.inbox import LAST_INBOX_QUERY

REPLY_MAX_LENGTH = 50_000
PROPERTY_FIELDS = ("status", "priority", "team", "assignee")


def _placeholder_context(ticket: Ticket, user) -> workflow.PlaceholderContext:
    latest = ticket.customer.orders.order_by("-placed_at").values_list("number", flat=True).first()
    return workflow.PlaceholderContext(
        customer_first_name=ticket.customer.first_name,
        latest_order_number=latest,
        agent_name=user.get_full_name() or user.get_username(),
        promise_due=promise_due_text(ticket=ticket),
    )


def _composer_options(
    ticket: Ticket, *, reply_channel: str = "", identity_kinds: Iterable[str] | None = None
) -> dict:
    """What the composer offers: macros by language, and the channels a reply can go out
    on when that is not simply the ticket's own (a phone ticket is answered by email)."""
    channels = reply_channels(ticket=ticket, kinds=identity_kinds)
    shown = channels if channels and channels != [ticket.channel] else []
    return {
        "macro_groups": selectors.macro_groups(ticket=ticket),
        "reply_via": [(channel, Channel(channel).label) for channel in shown],
        "reply_channel": reply_channel or next(iter(channels), ""),
        "composer_tools": [tool for tool in composer_tools.call_all(ticket=ticket) if tool],
    }


def _ticket_context(request: HttpRequest, ticket: Ticket) -> dict:
    history = customer_history(customer=ticket.customer, user=request.user, ticket=ticket)
    kinds = [identity.kind for identity in history.identities]
    lists = selectors.ticket_lists(ticket=ticket)
    ticket.clocks_read = lists.clocks  # for the SLA clocks of the summary
    return _composer_options(ticket, identity_kinds=kinds) | {
        "promises": lists.promises,
        "promise_time_zone": ticket_time_zone(ticket),
        "ticket": ticket,
        "undelivered": lists.undelivered,
        "timeline": ticket_timeline(ticket=ticket),
        "history": history,
        "agents": selectors.team_agents(team_id=ticket.team_id),
        "teams": selectors.team_choices(),
        "tags": lists.tags,
        "statuses": Ticket.Status.choices,
        "priorities": Ticket.Priority.choices,
    }


@agent_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, pk=pk, seen_by=request.user)
    workflow.ticket_mark_read(ticket=ticket, user=request.user)
    return render(request, "tickets/ticket_detail.html", _ticket_context(request, ticket))


@agent_required
def ticket_timeline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline alone; with ``all=1`` every message, not only the latest."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    recent = None if request.GET.get("all") == "1" else RECENT_MESSAGES
    return render(request, "tickets/_timeline.html", {"ticket": ticket,
                  "timeline": ticket_timeline(ticket=ticket, recent=recent)})  # fmt: skip


@agent_required
@require_POST
def ticket_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a public reply or add an internal note; placeholders are filled first and any
    that cannot be filled stop the send with the error shown in the composer."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    body = text_param(request.POST.get("body"))
    call = request.POST.get("visibility") == "call"
    internal = request.POST.get("visibility") == "internal" or call
    errors: list[str] = []
    if not body:
        errors.append(_("Write something first."))
    elif len(body) > REPLY_MAX_LENGTH:
        errors.append(
            _("A message has at most %(count)d characters; this one has %(length)d.")
            % {"count": REPLY_MAX_LENGTH, "length": len(body)}
        )
    else:
        try:
            body = workflow.placeholders_fill(
                text=body, context=_placeholder_context(ticket, request.user)
            )
        except workflow.PlaceholderError as error:
            errors = error.problems
    files, file_errors = uploaded_files(request)
    errors += file_errors
    reply_channel = text_param(request.POST.get("reply_channel"))
    if not internal and reply_channel and reply_channel not in reply_channels(ticket=ticket):
        errors.append(_("Choose a channel from the list to send the reply on."))
        reply_channel = ""
    token = uuid_param(request.POST.get("composer_token"))
    if not errors:
        try:
            if call:
                ticket_call_log(ticket=ticket, by=request.user, text=body, composer_token=token,
                                attachments=files)  # fmt: skip
            elif internal:
                ticket_note_add(ticket=ticket, by=request.user, text=body, composer_token=token,
                                attachments=files)  # fmt: skip
            else:
                ticket_reply(ticket=ticket, by=request.user, text=body, composer_token=token,
                             attachments=files, channel=reply_channel or None)  # fmt: skip
        except ReplyRefusedError as error:
            errors = [str(error)]
    if errors:
        response = render(request, "tickets/_composer.html", {
            "ticket": ticket, "body": body, "errors": errors, "composer_token": token,
            "internal": internal and not call, "call": call,
            **_composer_options(ticket, reply_channel=reply_channel),
        })  # fmt: skip
        response.status_code = 422
        return response
    if not internal:
        _tone_outcome(request, ticket, body)
    workflow.ticket_mark_read(ticket=ticket, user=request.user)
    ticket = selectors.ticket_get(user=request.user, pk=pk)  # the status may have moved on
    response = render(request, "tickets/_reply_done.html", _ticket_context(request, ticket))
    done = _("Call logged.") if call else _("Note added.") if internal else _("Reply sent.")
    return toast(request, response, done)


def _tone_outcome(request: HttpRequest, ticket: Ticket, body: str) -> None:
    """Count the tone advice on a sent reply: what fired while it was drafted (the
    composer sends it back) and whether the text sent still draws it."""
    remaining = {advice.rule for advice in draft_advice(ticket=ticket, text=body)}
    seen = set(request.POST.getlist("tone_seen")[:SEEN_MAX])
    tone_outcome_record(language=ticket.customer.language, fired=seen | remaining,
                        remaining=remaining)  # fmt: skip


@agent_required
def ticket_macro(request: HttpRequest, pk: int) -> HttpResponse:
    """The composer with a macro's text, placeholders already filled (or the errors)."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    macro_id = int_param(request.GET.get("macro"))
    macro = selectors.macros_for(ticket=ticket).filter(pk=macro_id).first() if macro_id else None
    if macro is None:
        raise Http404("No such macro.")
    errors: list[str] = []
    try:
        body = workflow.placeholders_fill(
            text=macro.body, context=_placeholder_context(ticket, request.user)
        )
    except workflow.PlaceholderError as error:
        body, errors = macro.body, error.problems
    reply_channel = text_param(request.GET.get("reply_channel"))
    if reply_channel not in reply_channels(ticket=ticket):
        reply_channel = ""  # keep what the agent chose, if it is still on offer
    return render(request, "tickets/_composer.html", {
        "ticket": ticket, "body": body, "errors": errors,
        "internal": request.GET.get("visibility") == "internal",
        "selected_macro": macro.pk, **_composer_options(ticket, reply_channel=reply_channel),
    })  # fmt: skip


def _property_changes(post) -> tuple[dict, list[str]]:
    """The property changes a form asks for, or what is wrong with it. Only fields the
    agent changed are touched: the form also sends the values it was shown with
    (``was_status`` …), so saving a new priority never puts back a status that a
    colleague changed meanwhile. An empty team or assignee clears it, an unknown one is
    an error (never silently "none")."""
    post = post.copy()
    for field in PROPERTY_FIELDS:
        if f"was_{field}" in post and post.get(field) == post[f"was_{field}"]:
            del post[field]
    changes: dict = {}
    errors: list[str] = []
    if "status" in post:
        if post["status"] in Ticket.Status.values:
            changes["status"] = post["status"]
        else:
            errors.append(_("Choose a status from the list."))
    if "priority" in post:
        if int_param(post["priority"], minimum=0) in Ticket.Priority.values:
            changes["priority"] = int(post["priority"])
        else:
            errors.append(_("Choose a priority from the list."))
    if "team" in post:
        team = Team.objects.filter(pk=int_param(post["team"])).first() if post["team"] else None
        if post["team"] and team is None:
            errors.append(_("That team does not exist."))
        else:
            changes["team"] = team
    if "assignee" in post:
        value = post["assignee"]
        agents = selectors.assignable_agents()
        assignee = agents.filter(pk=int_param(value)).first() if value else None
        if value and assignee is None:
            errors.append(_("That agent cannot be assigned."))
        else:
            changes["assignee"] = assignee
    return changes, errors


@agent_required
@require_POST
def ticket_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change properties and tags; a form with any bad value changes nothing."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    post = request.POST
    changes, errors = _property_changes(post)
    if not errors:
        try:
            workflow.ticket_edit(
                ticket=ticket, by=request.user, add_tag=text_param(post.get("add_tag")),
                remove_tag=text_param(post.get("remove_tag")), **changes,
            )  # fmt: skip
        except ValueError as error:
            errors.append(str(error))
    if request.htmx:
        ticket = selectors.ticket_get(user=request.user, pk=pk)
        context = _ticket_context(request, ticket) | {"property_errors": errors}
        response = render(request, "tickets/_properties_updated.html", context)
        if errors:
            response.status_code = 422
            return response
        return toast(request, response, _("Saved."))
    for error in errors:
        messages.error(request, error)
    return redirect("tickets:detail", pk=pk)


@agent_required
@require_POST
def ticket_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.ticket_get(user=request.user, pk=pk)
    target_id = int_param(request.POST.get("target", "").strip().lstrip("#"))
    if target_id is None:
        messages.error(request, _("Enter the number of the ticket to merge into."))
        return redirect("tickets:detail", pk=pk)
    target = selectors.ticket_get(user=request.user, pk=target_id)
    try:
        workflow.ticket_merge(source=source, target=target, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("tickets:detail", pk=pk)
    messages.success(
        request,
        _("Merged #%(source)d into #%(target)d.") % {"source": source.pk, "target": target.pk},
    )
    return redirect("tickets:detail", pk=target.pk)


@agent_required
@require_POST
def ticket_presence(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by the ticket page: records this agent and lists the others."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    presence.presence_touch(
        ticket_id=ticket.pk, user_id=request.user.pk,
        name=request.user.get_full_name() or request.user.get_username(),
        typing=request.POST.get("typing") == "1",
    )  # fmt: skip
    others = presence.presence_others(ticket_id=ticket.pk, user_id=request.user.pk)
    return render(request, "tickets/_presence.html", {"ticket": ticket, "others": others})


@agent_required
def ticket_next(request: HttpRequest, pk: int) -> HttpResponse:
    """The ticket after this one in the inbox list the agent last looked at, with its
    filters and sort order (keyboard shortcut j). A search list walks its filters in
    that order, without the search text: relevance has no "after this one"."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    query = InboxQuery.from_querydict(QueryDict(request.session.get(LAST_INBOX_QUERY, "")))
    query.q, query.size = "", 1
    query.after = inbox_cursor(ticket, sort=query.sort)
    page = inbox_page(user=request.user, query=query)
    if not page.tickets:
        messages.info(request, _("That was the last ticket in the inbox."))
        return redirect("tickets:list")
    return redirect("tickets:detail", pk=page.tickets[0].pk)


@agent_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments only as downloads, with the sender's name but never their type
    sniffed: a hostile HTML file must not run in our origin."""
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.filename,
        content_type="application/octet-stream",
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@agent_required
@xframe_options_sameorigin
def message_html(request: HttpRequest, pk: int) -> HttpResponse:
    """An email's formatted version, for a sandboxed frame on the ticket page. It was
    sanitised when it arrived; the sandbox and this CSP are the second wall: no script,
    no form, no request to anywhere (remote images would tell the sender we read it)."""
    html = selectors.message_html_get(user=request.user, pk=pk)
    response = HttpResponse(
        f'<!doctype html><meta charset="utf-8"><base target="_blank">{html}',
        content_type="text/html; charset=utf-8",
    )
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


@agent_required
@require_POST
def email_retry(request: HttpRequest, pk: int, email_pk: int) -> HttpResponse:
    """Send a failed email again (the outbox decides whether it may)."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    outbound = get_object_or_404(OutboxMessage, ticket_id=ticket.pk, pk=email_pk)
    outbox_retry(outbox=outbound, by=request.user)
    return redirect("tickets:detail", pk=ticket.pk)
