"""Every write to loyalty goes through these services (see ``ledger`` for the rules)."""

from __future__ import annotations

from loyalty.services.account_link import (
    LINK_RESEND_INTERVAL,
    LinkNoAddressError,
    LinkRateLimitedError,
    account_link_send,
)
from loyalty.services.goodwill import (
    GoodwillLimitError,
    GoodwillNotAllowedError,
    GoodwillResult,
    goodwill_can_decide,
    goodwill_request_decide,
    points_goodwill_grant,
)
from loyalty.services.ledger import (
    AlreadyEarnedError,
    CouponNotFoundError,
    CouponUsedError,
    IdempotencyConflictError,
    InsufficientPointsError,
    LoyaltyError,
    NotAMemberError,
    NotEligibleError,
    account_join,
    account_tier_recalculate,
    account_tier_refresh,
    coupon_use,
    points_adjust,
    points_approve_pending,
    points_earn_for_order,
    points_expire,
    points_expiry_warn,
    points_redeem,
    points_reverse_for_refund,
    points_survey_bonus,
    request_fingerprint,
    rules_get,
)

__all__ = [
    "LINK_RESEND_INTERVAL",
    "AlreadyEarnedError",
    "CouponNotFoundError",
    "CouponUsedError",
    "GoodwillLimitError",
    "GoodwillNotAllowedError",
    "GoodwillResult",
    "IdempotencyConflictError",
    "InsufficientPointsError",
    "LinkNoAddressError",
    "LinkRateLimitedError",
    "LoyaltyError",
    "NotAMemberError",
    "NotEligibleError",
    "account_join",
    "account_link_send",
    "account_tier_recalculate",
    "account_tier_refresh",
    "coupon_use",
    "goodwill_can_decide",
    "goodwill_request_decide",
    "points_adjust",
    "points_approve_pending",
    "points_earn_for_order",
    "points_expire",
    "points_expiry_warn",
    "points_goodwill_grant",
    "points_redeem",
    "points_reverse_for_refund",
    "points_survey_bonus",
    "request_fingerprint",
    "rules_get",
]


def account_customer_merge(*, source, target) -> dict[str, int]:
    """Move a merged duplicate's loyalty account to the customer who stays. Two accounts
    cannot become one without rewriting history, so that merge is refused (nothing
    changes) and the accounts must be settled first."""
    from loyalty.models import LoyaltyAccount

    accounts = {a.customer_id: a for a in LoyaltyAccount.objects.filter(
        customer__in=[source.pk, target.pk])}  # fmt: skip
    if source.pk in accounts and target.pk in accounts:
        raise ValueError(
            "Both customers have a loyalty account; settle one of them before merging."
        )
    return {
        "loyalty_accounts": LoyaltyAccount.objects.filter(customer=source).update(customer=target)
    }
