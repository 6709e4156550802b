"""Win-back notes: a customer who ordered before and has been quiet for a long time (no
order, no ticket for ``OUTREACH_WIN_BACK_QUIET_DAYS``) gets a personal note built from
what they bought: how to look after it (the products' care tips) and the warranties that
still run. No discount, nothing to buy: the note passes ``content_check`` like a
thank-you note, and a care tip that reads like a sales pitch is left out.

Once per quiet period: the cause holds the day the period began (their last order or
ticket), so a customer who comes back and goes quiet again can get another one, years
later. Follows the marketing consent and the contact-pressure limit; the beat sweep
schedules a batch at a time and the outreach sweep sends them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.utils import timezone

from core.i18n import customer_language
from customers.models import Customer, Order, OrderItem
from customers.selectors import customer_time_zone
from messaging.outbox import outbox_enqueue
from outreach import services
from outreach.content import ContentRefusedError, content_check
from outreach.models import Outreach
from outreach.rules import stop_headers, stop_link
from tickets.models import Ticket

Kind = Outreach.Kind
TIPS_MAX = 5  # products with care tips told in one note
WARRANTIES_MAX = 5


def quiet_customers(*, now: datetime):
    """Customers who ordered before and were quiet since, with ``quiet_since`` (the day
    the quiet period began), who have had no win-back note in this period."""
    quiet = timedelta(days=settings.OUTREACH_WIN_BACK_QUIET_DAYS)
    last_ticket = (
        Ticket.objects.filter(customer=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    last_order = (
        Order.objects.filter(customer=OuterRef("pk")).order_by("-placed_at").values("placed_at")[:1]
    )
    noted = Outreach.objects.filter(
        customer=OuterRef("pk"), kind=Kind.WIN_BACK, created_at__gte=OuterRef("quiet_since")
    )
    return (
        Customer.objects.filter(merged_into__isnull=True)
        .annotate(last_order=Subquery(last_order, output_field=DateTimeField()))
        .filter(last_order__isnull=False, last_order__lte=now - quiet)
        .annotate(last_ticket=Subquery(last_ticket, output_field=DateTimeField()))
        .annotate(
            quiet_since=Greatest(F("last_order"), Coalesce(F("last_ticket"), F("last_order")))
        )
        .filter(quiet_since__lte=now - quiet)
        .filter(~Exists(noted))
    )


def win_back_cause(*, customer_id: int, quiet_since: datetime) -> str:
    return f"win_back:{customer_id}:{quiet_since.isoformat()}"


def win_back_sweep(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Beat sweep: schedule a batch of win-back notes (each once per quiet period)."""
    now = now or timezone.now()
    limit = limit or settings.OUTREACH_WIN_BACK_BATCH
    batch = list(quiet_customers(now=now).order_by("quiet_since", "pk")
                 .values_list("pk", "quiet_since")[:limit])  # fmt: skip
    rows = [
        Outreach(
            kind=Kind.WIN_BACK,
            customer_id=pk,
            send_after=now,
            cause=win_back_cause(customer_id=pk, quiet_since=since),
            details={"quiet_since": since.isoformat()},
        )
        for pk, since in batch
    ]
    # A concurrent sweep's twin conflicts on the cause and is left out.
    Outreach.objects.bulk_create(rows, ignore_conflicts=True)
    if batch:
        from core.reactions import task_after_commit
        from outreach.tasks import outreach_send_due

        task_after_commit(outreach_send_due)
    return len(rows)


def win_back_content(*, customer: Customer, now: datetime) -> dict[str, object]:
    """What the note says: care tips for what they bought (a tip that reads like a sales
    pitch is left out) and the warranties still running, newest orders first."""
    items = (
        OrderItem.objects.filter(order__customer=customer)
        .exclude(order__status=Order.Status.CANCELLED)
        .select_related("product", "order")
        .order_by("-order__placed_at", "pk")
    )
    tips, seen, left_out = [], set(), []
    warranties = []
    for item in items[:200]:
        product = item.product
        if product.pk not in seen and product.care_tips.strip():
            seen.add(product.pk)
            try:
                content_check(kind=Kind.WIN_BACK, text=product.care_tips)
            except ContentRefusedError:
                left_out.append(product.sku)
            else:
                tips.append({"product": product.name, "tips": product.care_tips.strip()})
        ends = item.order.warranty_ends_at
        told = any(w["product"] == product.name and w["order"] == item.order.number
                   for w in warranties)  # fmt: skip
        if ends and ends > now and len(warranties) < WARRANTIES_MAX and not told:
            warranties.append({"product": product.name, "order": item.order.number, "ends": ends})
    return {"tips": tips[:TIPS_MAX], "warranties": warranties, "left_out": left_out}


def _skip_reason(row: Outreach) -> str:
    content = win_back_content(customer=row.customer, now=timezone.now())
    if not content["tips"] and not content["warranties"]:
        return "nothing_to_say"  # a note with nothing of theirs in it is just noise
    return ""


def _deliver(row: Outreach, to: str) -> None:
    content = win_back_content(customer=row.customer, now=timezone.now())
    link = stop_link(customer_id=row.customer_id, kind=row.kind)
    context = {"customer": row.customer, **content}
    with (
        customer_language(row.customer) as language,
        timezone.override(customer_time_zone(customer=row.customer)),
    ):
        subject = render_to_string("outreach/email/win_back_subject.txt", context).strip()
        text = render_to_string("outreach/email/win_back.txt", context).strip()
        footer = render_to_string("outreach/email/_stop.txt", {"link": link}).strip()
    # The note as a whole passes the same check as its tips (the stop link, ours, apart;
    # the shop's own order numbers and product names are theirs, not a pitch).
    checked = text
    for name in [w["order"] for w in content["warranties"]] + [
        *(w["product"] for w in content["warranties"]),
        *(t["product"] for t in content["tips"]),
    ]:
        checked = checked.replace(name, "")
    content_check(kind=Kind.WIN_BACK, text=checked)
    outbox = outbox_enqueue(
        to=to, subject=subject, text=f"{text}\n\n-- \n{footer}", customer=row.customer,
        kind="outreach_win_back", language=language, headers=stop_headers(link),
    )  # fmt: skip
    row.text = text
    row.outbox_id = outbox.pk
    if content["left_out"]:
        row.details = {**row.details, "tips_left_out": content["left_out"]}


services.DELIVERERS[Kind.WIN_BACK] = _deliver
services.SKIP_CHECKS[Kind.WIN_BACK] = _skip_reason
