"""Loyalty members and their ledgers, replayed entry by entry in time order with the rules
of ``loyalty.services.ledger``: purchases pending until the return window ends and then
confirmed by the sweep, refunds taking points back (never below zero), survey
thank-yous, agents' goodwill, rewards turned into coupons, tiers from the points of the
trailing twelve months. Each entry carries the idempotency key and request fingerprint
the service would have stored, and the cached balances equal the sums of the entries."""

from __future__ import annotations

import bisect
import heapq
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from customers.models import Order, OrderRefund
from helpdesk.demodata import clock
from helpdesk.demodata.corpus import texts
from helpdesk.demodata.world import Person, World
from loyalty.models import Coupon, GoodwillRequest, LedgerEntry, LoyaltyAccount, Tier
from loyalty.services.ledger import (
    COUPON_ALPHABET,
    TRAILING_YEAR,
    points_for_cents,
    request_fingerprint,
    tier_for,
)

Kind = LedgerEntry.Kind
Source = LedgerEntry.Source
TIER_KINDS = {Kind.EARN, Kind.APPROVE, Kind.REVERSE}
CONSENT_SOURCES = ["web", "checkout", "app", "agent"]


class Ledger:
    """One member's account while its history is replayed."""

    def __init__(self, world: World, person: Person) -> None:
        self.world = world
        self.person = person
        joined = person.member_since
        self.account = world.add(LoyaltyAccount(
            customer=person.customer, joined_at=joined, consent_at=joined,
            consent_source=world.pick(CONSENT_SOURCES), balance=0, pending_balance=0,
            tier=Tier.BRONZE, last_activity_at=joined,
        ))  # fmt: skip
        world.event(joined, "loyalty.joined", customer=person.customer,
                    data={"consent": self.account.consent_source})  # fmt: skip
        self.entries: list[LedgerEntry] = []
        self.by_order: dict[int, list[LedgerEntry]] = {}
        self.history: list[tuple[datetime, int, int]] = [(joined, 0, 0)]
        self.steps: list[tuple[datetime, int, str, Any]] = []
        self.counter = 0

    # --- Appending (ledger._append) ----------------------------------------------------

    def append(
        self, at: datetime, kind: str, source: str, *, key: Callable[[], str],
        fingerprint: Callable[[], str], points: int = 0, pending: int = 0,
        reason: str | Callable[[], str] = "", order: Order | None = None, ticket=None, by=None,
        activity: bool = False,
    ) -> LedgerEntry:  # fmt: skip
        account = self.account
        assert account.balance + points >= 0, "a balance never goes negative"
        account.balance += points
        account.pending_balance += pending
        if activity:
            account.last_activity_at = at
        entry = self.world.add(LedgerEntry(
            account=account, kind=kind, source=source, points=points, pending_points=pending,
            balance_after=account.balance, pending_after=account.pending_balance,
            order=order, ticket=ticket, actor=by, created_at=at,
            reason=reason if isinstance(reason, str) else "",
        ))  # fmt: skip
        entry.key_for, entry.fingerprint_for = key, fingerprint
        entry.reason_for = reason if callable(reason) else None
        self.entries.append(entry)
        if order is not None:
            self.by_order.setdefault(id(order), []).append(entry)
        self.history.append((at, account.balance, account.pending_balance))
        self.world.event(at, f"loyalty.{kind}", actor=by, ticket=ticket,
                         customer=self.person.customer,
                         data={"entry": entry, "points": points, "pending": pending,
                               "source": source})  # fmt: skip
        if kind in TIER_KINDS and points > 0:
            aged = at + TRAILING_YEAR  # these points stop counting for the tier
            nightly = self.world.swept(aged, clock.next_daily(aged, hour=3, minute=30))
            if nightly is not None:
                self.push(nightly, "nightly", None)
        return entry

    def tier_recalculate(self, at: datetime) -> None:
        """``account_tier_recalculate``: the tier of the points earned in twelve months."""
        earned = sum(
            e.points for e in self.entries
            if e.kind in TIER_KINDS and at - TRAILING_YEAR < e.created_at <= at
        )  # fmt: skip
        tier = tier_for(earned=max(earned, 0), rules=self.world.rules)
        if tier != self.account.tier:
            self.world.event(at, "loyalty.tier_changed", customer=self.person.customer,
                             data={"from": self.account.tier, "to": tier})  # fmt: skip
            self.account.tier = tier

    def balance_at(self, moment: datetime) -> int:
        index = bisect.bisect_right([h[0] for h in self.history], moment) - 1
        _at, balance, pending = self.history[max(index, 0)]
        return balance + pending

    # --- The replay --------------------------------------------------------------------

    def push(self, at: datetime, action: str, payload: Any) -> None:
        if self.world.happened(at):
            self.counter += 1
            heapq.heappush(self.steps, (at, self.counter, action, payload))

    def replay(self) -> None:
        while self.steps:
            at, _n, action, payload = heapq.heappop(self.steps)
            self._expire_before(at)
            getattr(self, f"_on_{action}")(at, payload)
        self._expire_before(self.world.now)
        self._on_nightly(self.world.now, None)  # the sweeps have caught up

    def _expire_before(self, moment: datetime) -> None:
        """``points_expire`` (02:20 every night): a year without activity."""
        account = self.account
        quiet = account.last_activity_at + timedelta(days=365)
        due = self.world.swept(quiet, clock.next_daily(quiet, hour=2, minute=20))
        if account.balance > 0 and due is not None and due <= moment:
            quiet_since, world = account.last_activity_at, self.world
            self.append(
                due, Kind.EXPIRE, Source.EXPIRY, points=-account.balance,
                key=lambda: f"expire:{world.real(quiet_since).isoformat()}",
                fingerprint=lambda: request_fingerprint(
                    op="expire", since=world.real(quiet_since).isoformat()
                ),
            )  # fmt: skip

    def _sums(self, order: Order) -> tuple[int, int]:
        entries = self.by_order.get(id(order), [])
        return sum(e.pending_points for e in entries), sum(e.points for e in entries)

    def _on_earn(self, at: datetime, order: Order) -> None:
        points = points_for_cents(cents=order.total_cents, rules=self.world.rules)
        self.append(
            at, Kind.PENDING, Source.ORDER, pending=points, order=order,
            reason=lambda: order.number, activity=True, key=lambda: f"order:{order.pk}:earn",
            fingerprint=lambda: request_fingerprint(op="earn_for_order", order=order.pk),
        )  # fmt: skip

    def _on_approve(self, at: datetime, order: Order) -> None:
        pending, _points = self._sums(order)
        if pending <= 0:
            return
        self.append(
            at, Kind.APPROVE, Source.ORDER, points=pending, pending=-pending, order=order,
            reason=lambda: order.number, key=lambda: f"order:{order.pk}:approve",
            fingerprint=lambda: request_fingerprint(op="approve", order=order.pk),
        )  # fmt: skip
        self.tier_recalculate(at)

    def _on_refund(self, at: datetime, refund: OrderRefund) -> None:
        """``points_reverse_for_refund`` for the refund that settles the order."""
        order = refund.order
        pending, confirmed = self._sums(order)
        wanted = pending + confirmed
        if wanted <= 0:
            return
        from_pending = min(wanted, pending)
        from_balance = min(wanted - from_pending, self.account.balance)

        def reference() -> str:
            return f"order:{order.pk}:{refund.reference}"

        self.append(at, Kind.REVERSE, Source.ORDER, points=-from_balance, pending=-from_pending,
                    order=order, by=refund.created_by,
                    reason=lambda: f"{order.number} refund {reference()}"[:500],
                    key=lambda: f"refund:{reference()}",
                    fingerprint=lambda: request_fingerprint(op="refund", order=order.pk,
                                                            cents=None))  # fmt: skip
        self.tier_recalculate(at)

    def _on_survey(self, at: datetime, invitation) -> None:
        self.append(
            at, Kind.EARN, Source.SURVEY, points=self.world.rules.survey_bonus_points,
            activity=True, key=lambda: f"survey:{invitation.pk}",
            fingerprint=lambda: request_fingerprint(
                op="survey_bonus", invitation=str(invitation.pk)
            ),
        )  # fmt: skip
        self.tier_recalculate(at)

    def _on_goodwill(self, at: datetime, payload) -> None:
        agent, story, points, reason, given = payload
        day = (agent.pk, at.date())
        if given.get(day, 0) + points > self.world.rules.goodwill_daily_limit_per_agent:
            return
        given[day] = given.get(day, 0) + points
        key = f"goodwill:{uuid.UUID(int=self.world.rng.getrandbits(128), version=4)}"
        self.append(at, Kind.EARN, Source.GOODWILL, points=points, reason=reason,
                    ticket=story.ticket, by=agent, activity=True, key=lambda: key,
                    fingerprint=lambda: request_fingerprint(op="goodwill", points=points,
                                                            reason=reason))  # fmt: skip
        self.tier_recalculate(at)

    def _on_redeem(self, at: datetime, chance: float) -> None:
        """``points_redeem``: the dearest reward the balance allows, sometimes."""
        affordable = [r for r in self.world.rewards if r.points_cost <= self.account.balance]
        if not affordable or chance > 0.6:
            return
        reward = max(affordable, key=lambda r: r.points_cost)
        world = self.world
        key = f"web:{uuid.UUID(int=world.rng.getrandbits(128), version=4)}"
        entry = self.append(at, Kind.REDEEM, Source.REWARD, points=-reward.points_cost,
                            reason=reward.name, activity=True, key=lambda: key,
                            fingerprint=lambda: request_fingerprint(op="redeem",
                                                                    reward=reward.pk))  # fmt: skip
        raw = "".join(world.pick(COUPON_ALPHABET) for _ in range(16))
        coupon = world.add(Coupon(
            code="-".join(raw[i : i + 4] for i in range(0, 16, 4)), account=self.account,
            reward=reward, entry=entry, created_at=at,
            valid_until=at + timedelta(days=reward.coupon_valid_days),
        ))  # fmt: skip
        later = [o for o in self.person.orders if o.placed_at > at]
        if later and world.chance(0.6):
            order = min(later, key=lambda o: o.placed_at)
            coupon.used_at, coupon.used_for_order_row = order.placed_at, order
            world.event(order.placed_at, "loyalty.coupon_used", customer=self.person.customer,
                        data={"coupon": coupon, "order": order})  # fmt: skip

    def _on_nightly(self, at: datetime, _payload) -> None:
        """``loyalty_tiers_recalculate_due`` (03:30): tiers fall as points grow old."""
        if self.account.tier != Tier.BRONZE:
            self.tier_recalculate(at)


def members_choose(world: World) -> list[Person]:
    """About three in ten customers are members; a few of them buy a lot (Silver and
    Gold). Every member bought something lately, so no points are about to expire."""
    from helpdesk.demodata.shop import big_spender_orders, order_new, skus_for

    for person in world.people:
        if person.member_since is None and world.chance(0.3):
            person.member_since = world.now - world.days(5, 420)
    members = [p for p in world.people if p.member_since is not None]
    veterans = [p for p in members if p.member_since < world.now - timedelta(days=200)]
    world.rng.shuffle(veterans)
    gold = max(2, len(members) // 25)
    silver = max(3, len(members) // 7)
    for index, person in enumerate(veterans[: gold + silver]):
        person.big_spender = "gold" if index < gold else "silver"
        big_spender_orders(world, person)
    for person in members:
        recent = [
            o
            for o in person.orders
            if o.delivered_at
            and o.delivered_at > max(person.member_since, world.now - timedelta(days=200))
        ]
        if not recent and person.member_since < world.now - timedelta(days=45):
            placed = max(person.member_since, world.now - timedelta(days=190)) + world.days(1, 30)
            order_new(world, person, placed_at=placed, skus=skus_for(world, "any"))
    return members


def ledgers_replay(world: World, members: list[Person]) -> dict[int, Ledger]:
    """Every member's ledger from joining to now; returns the ledgers by customer."""
    ledgers: dict[int, Ledger] = {}
    refunds = {id(r.order): r for r in world.rows[OrderRefund]}
    answers: dict[int, list] = {}
    for answered, person, invitation in world.answers:
        answers.setdefault(id(person), []).append((answered, invitation))
    goodwill: dict[int, list] = {}
    for at, agent, story, points in world.goodwill:
        goodwill.setdefault(id(story.person), []).append((at, agent, story, points))
    given: dict[tuple, int] = {}
    for person in members:
        with world.stream(f"ledger {person.number}"):
            ledger = Ledger(world, person)
            joined = person.member_since
            for order in person.orders:
                if order.delivered_at is None or order.delivered_at < joined:
                    continue
                earned = order.delivered_at + world.minutes(2, 40)
                refund = refunds.get(id(order))
                if refund is not None and refund.created_at < earned:
                    continue  # a returned order earns nothing
                ledger.push(earned, "earn", order)
                window = order.return_window_ends_at
                approved = world.swept(window, clock.next_tick(window, minutes=15))
                if approved is not None:
                    ledger.push(approved, "approve", order)
                if refund is not None:
                    ledger.push(refund.created_at, "refund", refund)
            for answered, invitation in answers.get(id(person), []):
                if answered >= joined:
                    ledger.push(answered + timedelta(seconds=0.2), "survey", invitation)
            for at, agent, story, points in goodwill.get(id(person), []):
                if at >= joined:
                    language = world.staff_language[agent.username]
                    reason = world.pick(texts(language).GOODWILL_REASONS)
                    ledger.push(at, "goodwill", (agent, story, points, reason, given))
            for _ in range(world.weighted([0, 1, 2], [5, 4, 2])):
                moment = joined + world.days(20, max((world.now - joined).days, 21))
                ledger.push(moment, "redeem", world.rng.random())
            ledger.replay()
        ledgers[id(person.customer)] = ledger
    return ledgers


def goodwill_waiting(world: World, stories: list, ledgers: dict[int, Ledger]) -> None:
    """A few grants above the threshold wait for a lead's approval."""
    candidates = [s for s in stories if s.ticket.status in ("open", "pending")
                  and s.ticket.assignee is not None and s.ticket.assignee.username != "lead"
                  and id(s.person.customer) in ledgers]  # fmt: skip
    for story in candidates[-3:]:
        agent = story.ticket.assignee
        at = story.clock + timedelta(minutes=2)
        if not world.happened(at):
            continue
        language = world.staff_language[agent.username]
        request = world.add(GoodwillRequest(
            account=ledgers[id(story.person.customer)].account, ticket=story.ticket,
            points=world.rules.goodwill_approval_threshold + 100,
            reason=world.pick(texts(language).GOODWILL_REASONS),
            idempotency_key=f"goodwill:{uuid.UUID(int=world.rng.getrandbits(128), version=4)}",
            requested_by=agent, created_at=at,
        ))  # fmt: skip
        world.event(at, "loyalty.goodwill_requested", actor=agent, ticket=story.ticket,
                    customer=story.person.customer, data={"request": request,
                                                          "points": request.points})  # fmt: skip
