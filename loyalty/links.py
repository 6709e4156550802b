"""The customer's magic link to their loyalty page: signed, expiring, one customer."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from customers.models import Customer

# Its own salt, so a token signed for another purpose (a survey link) never opens this page.
SALT = "loyalty.account-link"


def loyalty_link_token(*, customer: Customer) -> str:
    return signing.dumps({"customer": customer.pk}, salt=SALT, compress=True)


def loyalty_link_url(*, customer: Customer) -> str:
    """An absolute link on the configured site URL, never the request's Host."""
    path = reverse("loyalty:account", args=[loyalty_link_token(customer=customer)])
    return f"{settings.SITE_URL}{path}"


def loyalty_link_customer_id(*, token: str) -> int | None:
    """The customer id a token was made for, or None if it is forged, altered or expired."""
    if len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.LOYALTY_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    customer_id = data.get("customer") if isinstance(data, dict) else None
    return customer_id if isinstance(customer_id, int) else None
