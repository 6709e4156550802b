"""Back-in-stock: a customer asks (through an agent, the contact form or the shop's API)
and is told once when the shop reports stock for the product."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.events import event_record
from core.reactions import task_after_commit
from customers.models import Customer, Product
from outreach.models import Outreach, StockRequest


@transaction.atomic
def stock_request_create(*, customer: Customer, product: Product, source: str,
                         by: object | None = None) -> tuple[StockRequest, bool]:  # fmt: skip
    """Record the wish (asking again while waiting changes nothing). When the product is
    already in stock, the notice is on its way at once."""
    waiting = StockRequest.objects.filter(customer=customer, product=product,
                                          notified_at__isnull=True).first()  # fmt: skip
    if waiting is not None:
        return waiting, False
    try:
        with transaction.atomic():
            request = StockRequest.objects.create(customer=customer, product=product,
                                                  source=source)  # fmt: skip
    except IntegrityError:  # a concurrent twin
        return StockRequest.objects.get(customer=customer, product=product,
                                        notified_at__isnull=True), False  # fmt: skip
    event_record(kind="outreach.stock_requested", customer=customer,
                 actor=by if getattr(by, "pk", None) else None,
                 data={"product": product.pk, "sku": product.sku, "source": source})  # fmt: skip
    if (product.stock_quantity or 0) > 0:
        on_product_in_stock(product=product)
    return request, True


@transaction.atomic
def back_in_stock_schedule(*, product_id: int) -> int:
    """Schedule one notice for each customer waiting for this product, now that it is in
    stock; a request is marked told in the same transaction, so it is told once."""
    product = Product.objects.get(pk=product_id)
    if (product.stock_quantity or 0) <= 0:
        return 0
    now = timezone.now()
    requests = list(
        StockRequest.objects.select_for_update(skip_locked=True)
        .filter(product=product, notified_at__isnull=True)
        .select_related("customer")[:5000]
    )
    rows = [
        Outreach(
            kind=Outreach.Kind.BACK_IN_STOCK,
            cause=f"back_in_stock:{r.pk}",
            customer=r.customer,
            stock_request=r,
            send_after=now,
        )
        for r in requests
    ]
    Outreach.objects.bulk_create(rows, ignore_conflicts=True)
    StockRequest.objects.filter(pk__in=[r.pk for r in requests]).update(notified_at=now)
    if requests:
        from outreach.tasks import outreach_send_due

        task_after_commit(outreach_send_due)
    return len(requests)


def on_product_in_stock(*, product: Product) -> None:
    from outreach.tasks import back_in_stock_schedule as task

    task_after_commit(task, product_id=product.pk)


def back_in_stock_sweep() -> int:
    """Beat catch-up: products in stock with customers still waiting."""
    products = (
        StockRequest.objects.filter(notified_at__isnull=True, product__stock_quantity__gt=0)
        .values_list("product_id", flat=True)
        .distinct()
    )
    return sum(back_in_stock_schedule(product_id=pk) for pk in list(products)[:200])


def on_contact_form_stock_request(*, email: str, name: str, language: str, sku: str) -> bool:
    """The contact form's "tell me when it is back" (``helpcenter`` hook): the wish of the
    customer behind the address, for a product the shop knows (an unknown number is left
    to the agent who reads the message)."""
    from customers.models import ContactIdentity
    from customers.services import customer_from_identity

    product = Product.objects.filter(sku=sku).first()
    if product is None:
        return False
    customer, _identity = customer_from_identity(
        kind=ContactIdentity.Kind.EMAIL, address=email, display_name=name, language=language
    )
    stock_request_create(customer=customer, product=product, source=StockRequest.Source.WEB)
    return True
