"""Messages to customers about their points: composed in the customer's language,
recorded as a ``LoyaltyNotice`` (once per dedupe key) and handed to the outbox."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.events import event_record
from core.i18n import customer_language
from customers.models import Customer
from customers.selectors import customer_email_address
from loyalty.links import loyalty_link_url
from loyalty.models import Coupon, LoyaltyAccount, LoyaltyNotice, Tier


def notice_send(
    *, customer: Customer, kind: str, dedupe_key: str, template: str, context: dict,
    automatic: str = "auto-generated",
) -> LoyaltyNotice | None:  # fmt: skip
    """Compose and deliver one notice; None if this dedupe key already had its notice.
    Call inside the service's transaction. ``automatic`` is the Auto-Submitted header:
    "" for a message a person asked for (an agent sending the link)."""
    if LoyaltyNotice.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    context = {**context, "customer": customer, "link": loyalty_link_url(customer=customer)}
    with customer_language(customer) as language:
        subject = render_to_string(f"loyalty/email/{template}_subject.txt", context)
        text = render_to_string(f"loyalty/email/{template}.txt", context)
    to = customer_email_address(customer=customer) or ""
    try:
        with transaction.atomic():
            notice = LoyaltyNotice.objects.create(
                customer=customer, kind=kind, dedupe_key=dedupe_key, to=to, language=language,
                subject=" ".join(subject.split())[:255], text=text.strip(),
                note="" if to else "No email address on file.",
            )  # fmt: skip
    except IntegrityError:
        return None  # a concurrent run recorded it first
    event_record(
        kind=f"loyalty.notice_{kind}",
        customer=customer,
        data={"notice": notice.pk, "sent": bool(to)},
    )
    if to:
        _deliver(notice, automatic=automatic)
    return notice


def notice_tier_milestone(
    *, account: LoyaltyAccount, tier: str, now: datetime
) -> LoyaltyNotice | None:
    return notice_send(
        customer=account.customer, kind=LoyaltyNotice.Kind.TIER_MILESTONE,
        dedupe_key=f"tier:{account.pk}:{tier}:{now:%Y}", template="tier_milestone",
        context={"tier": Tier(tier).label, "balance": account.balance},
    )  # fmt: skip


def notice_expiry_warning(*, account: LoyaltyAccount, expires_at: datetime) -> LoyaltyNotice | None:
    return notice_send(
        customer=account.customer, kind=LoyaltyNotice.Kind.EXPIRY_WARNING,
        dedupe_key=f"expiry:{account.pk}:{account.last_activity_at.isoformat()}",
        template="expiry_warning", context={"balance": account.balance, "expires_at": expires_at},
    )  # fmt: skip


def notice_account_link(*, customer: Customer, now: datetime) -> LoyaltyNotice | None:
    """The customer's link to their loyalty page, sent because an agent asked for it."""
    return notice_send(
        customer=customer, kind=LoyaltyNotice.Kind.ACCOUNT_LINK,
        dedupe_key=f"link:{customer.pk}:{now.isoformat()}", template="account_link",
        context={"valid_days": settings.LOYALTY_LINK_MAX_AGE // 86400}, automatic="",
    )  # fmt: skip


def notice_coupon(*, coupon: Coupon) -> LoyaltyNotice | None:
    """The coupon code for a redeemed reward, named in the customer's language."""
    return notice_send(
        customer=coupon.account.customer, kind=LoyaltyNotice.Kind.COUPON,
        dedupe_key=f"coupon:{coupon.pk}", template="coupon",
        context={"coupon": coupon, "reward": coupon.reward},
    )  # fmt: skip


def _deliver(notice: LoyaltyNotice, *, automatic: str) -> None:
    """Hand the notice to the email outbox, in the caller's transaction."""
    from messaging.outbox import outbox_enqueue

    outbox_enqueue(
        to=notice.to, subject=notice.subject, text=notice.text, customer=notice.customer,
        automatic=automatic, kind=f"loyalty.{notice.kind}", language=notice.language,
    )  # fmt: skip
    notice.sent = True
    notice.sent_at = timezone.now()
    notice.save(update_fields=["sent", "sent_at"])
