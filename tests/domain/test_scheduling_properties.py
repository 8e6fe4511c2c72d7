"""Properties of the planner over random matrices, checked against an independent oracle.

The oracle reads the rules the way a person would, from the local wall clock: a time is in
a window when its local time of day is; quota periods are the local (date, hour, offset),
local date or local (year, month) of a time. Window boundaries are drawn so that none falls
strictly inside Europe/Berlin's skipped or repeated hour (02:00-03:00), where "the wall clock
shows 02:30" names no single instant; there the planner follows its documented fold=0 rule,
covered by example tests.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.accounts import AccountState
from domain.scheduling import (
    ALL_DAY,
    AccountPolicy,
    Freeze,
    Item,
    Plan,
    Post,
    Quota,
    SendAction,
    Unplaced,
    Window,
    check_send,
    plan,
)

ZONES = (ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin"))
# Around Berlin's spring and autumn changes, a month's end, and an ordinary summer day.
ANCHORS = (
    datetime(2026, 3, 27, 12, tzinfo=UTC),
    datetime(2026, 10, 23, 12, tzinfo=UTC),
    datetime(2026, 12, 29, 12, tzinfo=UTC),
    datetime(2026, 6, 15, 3, tzinfo=UTC),
)
CLOCKS = tuple(time(m // 60, m % 60) for m in range(0, 24 * 60, 15) if not 2 * 60 < m < 3 * 60)
UNKNOWN_ACCOUNT = 99
FOREVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Scenario:
    tz: ZoneInfo
    now: datetime
    policies: dict[int, AccountPolicy]
    freezes: tuple[Freeze, ...]
    booked: dict[int, tuple[datetime, ...]]
    items: tuple[Item, ...]
    stagger: timedelta
    horizon: timedelta

    def run(self) -> Plan:
        return plan(
            self.items,
            self.policies,
            now=self.now,
            tz=self.tz,
            freezes=self.freezes,
            booked=self.booked,
            stagger=self.stagger,
            horizon=self.horizon,
        )


def steps(low: int, high: int) -> st.SearchStrategy[int]:
    """Minutes in steps of 15, so posts often land exactly on window and period edges."""
    return st.integers(low // 15, high // 15).map(lambda n: n * 15)


# Strategies are built once: building them inside the composite costs more than planning.
MINUTES_AFTER_ANCHOR = st.integers(0, 2 * 1440) | steps(0, 2 * 1440)
ACCOUNT_IDS = st.lists(st.integers(1, 12), min_size=1, max_size=5, unique=True)
QUOTAS = st.none() | st.builds(Quota, st.integers(1, 4), st.sampled_from(("hour", "day", "month")))
SPACINGS = st.sampled_from((0, 0, 10, 15, 45, 120, 300)).map(lambda m: timedelta(minutes=m))
WINDOW = (
    st.tuples(st.sampled_from(CLOCKS), st.sampled_from(CLOCKS))
    .filter(lambda pair: pair[0] != pair[1])
    .map(lambda pair: Window(*pair))
)
WINDOWS = st.lists(WINDOW, max_size=3).map(tuple)
ONE_IN = st.integers(0, 9)
FREEZES = st.lists(st.tuples(steps(-1440, 5 * 1440), steps(15, 2 * 1440)), max_size=3)
BOOKED = st.lists(steps(-2 * 1440, 5 * 1440), max_size=4)
ITEM_IDS = st.lists(st.integers(1, 50), min_size=1, max_size=7, unique=True)
ITEM = st.tuples(
    st.integers(0, 3),  # priority
    steps(-1440, 4 * 1440),  # not_before, minutes from now
    st.none() | steps(-60, 5 * 1440),  # expires, minutes from not_before
    st.lists(st.integers(0, 5), min_size=1, max_size=4),  # targets, by index
    st.booleans(),  # released
)
STAGGERS = st.sampled_from((0, 2, 15)).map(lambda m: timedelta(minutes=m))
HORIZONS = st.integers(2, 6).map(lambda d: timedelta(days=d))


@st.composite
def scenarios(draw) -> Scenario:
    tz = draw(st.sampled_from(ZONES))
    now = draw(st.sampled_from(ANCHORS)) + timedelta(minutes=draw(MINUTES_AFTER_ANCHOR))
    account_ids = draw(ACCOUNT_IDS)
    policies = {
        account_id: AccountPolicy(
            account_id,
            windows=(ALL_DAY,) if draw(ONE_IN) == 0 else draw(WINDOWS),
            spacing=draw(SPACINGS),
            quota=draw(QUOTAS),
            is_main=draw(ONE_IN) < 3,
        )
        for account_id in account_ids
    }
    freezes = tuple(
        Freeze(now + timedelta(minutes=start), now + timedelta(minutes=start + length), f"f{n}")
        for n, (start, length) in enumerate(draw(FREEZES))
    )
    booked = {
        account_id: tuple(now + timedelta(minutes=m) for m in draw(BOOKED))
        for account_id in account_ids
    }
    targets = [*account_ids, UNKNOWN_ACCOUNT]
    items = []
    for item_id in draw(ITEM_IDS):
        priority, after, lasts, picks, released = draw(ITEM)
        not_before = now + timedelta(minutes=after)
        items.append(
            Item(
                item_id=item_id,
                priority=priority,
                not_before=not_before,
                expires=None if lasts is None else not_before + timedelta(minutes=lasts),
                accounts=tuple(targets[i % len(targets)] for i in picks),
                released=released,
            )
        )
    return Scenario(
        tz=tz,
        now=now,
        policies=policies,
        freezes=freezes,
        booked=booked,
        items=tuple(items),
        stagger=draw(STAGGERS),
        horizon=draw(HORIZONS),
    )


# --- the oracle: the rules read off the local wall clock --------------------------------------


def in_window(policy: AccountPolicy, t: datetime, tz: ZoneInfo) -> bool:
    if not policy.windows:
        return True
    clock = t.astimezone(tz).time()
    for w in policy.windows:
        if w.start == w.end:
            return True
        if w.start < w.end and w.start <= clock < w.end:
            return True
        if w.end < w.start and (clock >= w.start or clock < w.end):
            return True
    return False


def frozen(t: datetime, freezes: tuple[Freeze, ...]) -> bool:
    return any(f.start <= t < f.end for f in freezes)


def period_key(per: str, t: datetime, tz: ZoneInfo) -> tuple:
    local = t.astimezone(tz)
    if per == "hour":
        return (local.date(), local.hour, local.utcoffset())
    if per == "day":
        return (local.date(),)
    return (local.year, local.month)


def rank(item: Item) -> tuple:
    return (-item.priority, item.not_before, item.item_id)


@dataclass
class Placement:
    """One (item, account) pair with what the planner saw when it placed it."""

    item: Item
    account_id: int
    due: datetime | None
    lower: datetime
    deadline: datetime
    bookings: list[datetime]  # the account's booked times plus earlier-ranked items' posts
    spread: list[datetime]  # this item's posts on accounts earlier in fan-out order


def replay(s: Scenario, result: Plan) -> list[Placement]:
    """Rebuild, from the plan alone, what each placement had to respect."""
    due = {(p.item_id, p.account_id): p.due for p in result.planned}
    placements = []
    taken: dict[int, list[datetime]] = {a: list(s.booked[a]) for a in s.policies}
    for item in sorted(s.items, key=rank):
        base = max(s.now, item.not_before)
        deadline = min(s.now + s.horizon, item.expires or FOREVER)
        order = sorted(
            {a for a in item.accounts if a in s.policies},
            key=lambda a: (not s.policies[a].is_main, a),
        )
        lead = order[0] if order and s.policies[order[0]].is_main else None
        spread: list[datetime] = []
        for account_id in order:
            lower = base
            if lead is not None and account_id != lead and (item.item_id, lead) in due:
                lower = max(base, due[item.item_id, lead] + s.stagger)
            at = due.get((item.item_id, account_id))
            placements.append(
                Placement(item, account_id, at, lower, deadline, list(taken[account_id]), spread[:])
            )
            if at is not None:
                taken[account_id].append(at)
                spread.append(at)
    return placements


def allowed(s: Scenario, p: Placement, t: datetime) -> bool:
    """Every rule, checked independently of the planner's code."""
    policy = s.policies[p.account_id]
    if not p.lower <= t <= p.deadline:
        return False
    if not in_window(policy, t, s.tz):
        return False
    if not p.item.released and frozen(t, s.freezes):
        return False
    if policy.quota is not None:
        key = period_key(policy.quota.per, t, s.tz)
        used = sum(1 for b in p.bookings if period_key(policy.quota.per, b, s.tz) == key)
        if used >= policy.quota.count:
            return False
    if any(abs(t - b) < policy.spacing for b in p.bookings):
        return False
    return not any(abs(t - x) < s.stagger for x in p.spread)


def candidates(s: Scenario, p: Placement, until: datetime) -> set[datetime]:
    """Every instant in [lower, until] where some rule could start to allow a post. The set
    of allowed instants is a union of intervals closed on the left, each starting at one of
    these: so if none of them is allowed, nothing in between is."""
    policy = s.policies[p.account_id]
    found = {p.lower}
    first = p.lower.astimezone(s.tz).date() - timedelta(days=1)
    last = until.astimezone(s.tz).date() + timedelta(days=1)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for day in days:
        for w in policy.windows:
            found.add(datetime.combine(day, w.start, tzinfo=s.tz).astimezone(UTC))
        per = None if policy.quota is None else policy.quota.per
        if per == "day" or (per == "month" and day.day == 1):
            found.add(datetime.combine(day, time(0), tzinfo=s.tz).astimezone(UTC))
    if policy.quota is not None and policy.quota.per == "hour":
        # Both zones' offsets are whole hours, so local clock hours start on UTC hours.
        hour = p.lower.replace(minute=0, second=0, microsecond=0)
        while hour <= until:
            found.add(hour)
            hour += timedelta(hours=1)
    found.update(f.end for f in s.freezes)
    found.update(b + policy.spacing for b in p.bookings)
    found.update(x + s.stagger for x in p.spread)
    return {t for t in found if p.lower <= t <= until}


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_same_inputs_in_any_order_give_the_same_plan(s: Scenario, random: Random):
    first = s.run()
    assert s.run() == first
    items = list(s.items)
    random.shuffle(items)
    shuffled = [
        Item(i.item_id, i.priority, i.not_before, i.expires, i.accounts[::-1], i.released)
        for i in items
    ]
    # The same instants written in another zone are the same inputs.
    elsewhere = ZoneInfo("America/New_York")
    again = plan(
        shuffled,
        dict(reversed(s.policies.items())),
        now=s.now.astimezone(elsewhere),
        tz=s.tz,
        freezes=s.freezes[::-1],
        booked={a: [t.astimezone(elsewhere) for t in ts[::-1]] for a, ts in s.booked.items()},
        stagger=s.stagger,
        horizon=s.horizon,
    )
    assert again == first


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_every_post_keeps_every_rule(s: Scenario):
    result = s.run()
    by_item = {i.item_id: i for i in s.items}

    # (6) Every (item, account) pair is planned or reported, exactly once.
    pairs = Counter((p.item_id, p.account_id) for p in result.planned)
    pairs.update((u.item_id, u.account_id) for u in result.unplaceable)
    assert pairs == Counter({(i.item_id, a): 1 for i in s.items for a in set(i.accounts)})
    for u in result.unplaceable:
        assert (u.code is Unplaced.NOT_OPEN) == (u.account_id not in s.policies)
        assert u.reason

    for p in result.planned:
        item, policy = by_item[p.item_id], s.policies[p.account_id]
        # (2) In a window, outside freezes unless released, within embargo, expiry, horizon.
        assert p.due.tzinfo is UTC
        assert in_window(policy, p.due, s.tz)
        assert item.released or not frozen(p.due, s.freezes)
        assert p.due >= item.not_before
        assert p.due >= s.now
        assert item.expires is None or p.due <= item.expires
        assert p.due <= s.now + s.horizon

    for account_id, policy in s.policies.items():
        mine = [p.due for p in result.planned if p.account_id == account_id]
        everything = sorted([*mine, *s.booked[account_id]])
        # (3) Spacing: every new post keeps its distance from every other post of the account.
        for due in mine:
            others = list(everything)
            others.remove(due)
            assert all(abs(due - other) >= policy.spacing for other in others)
        # (4) Quota per calendar period, booked posts included.
        if policy.quota is not None:
            per = policy.quota.per
            used = Counter(period_key(per, t, s.tz) for t in everything)
            for due in mine:
                assert used[period_key(per, due, s.tz)] <= policy.quota.count

    # Fan-out: the main account's post goes first; an item's posts stay `stagger` apart.
    for item in s.items:
        order = sorted(
            {a for a in item.accounts if a in s.policies},
            key=lambda a: (not s.policies[a].is_main, a),
        )
        dues = {p.account_id: p.due for p in result.planned if p.item_id == item.item_id}
        for a, b in itertools.combinations(dues.values(), 2):
            assert abs(a - b) >= s.stagger
        if order and s.policies[order[0]].is_main and order[0] in dues:
            lead = dues.pop(order[0])
            assert all(due >= lead + s.stagger for due in dues.values())


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_a_plan_sent_on_time_passes_the_send_time_check(s: Scenario):
    """Planner and dispatcher agree: each planned post, re-checked at its due time with the
    account's earlier posts as sent, is sent, not held back (guarantees 4 and 5 together)."""
    result = s.run()
    by_item = {i.item_id: i for i in s.items}
    for p in result.planned:
        item = by_item[p.item_id]
        others = [q.due for q in result.planned if q.account_id == p.account_id and q != p]
        sent = [t for t in [*others, *s.booked[p.account_id]] if t <= p.due]
        decision = check_send(
            p.due,
            s.policies[p.account_id],
            Post(p.item_id, p.account_id, p.due, item.not_before, item.expires, item.released),
            sent=sent,
            freezes=s.freezes,
            tz=s.tz,
            state=AccountState.ACTIVE,
        )
        assert decision.action is SendAction.SEND, decision


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_each_post_takes_the_earliest_instant_the_rules_allow(s: Scenario):
    """Greedy in rank order, and exact: each post is the earliest instant every rule allows
    given the posts of earlier-ranked items; an unplaceable pair had no such instant."""
    for p in replay(s, s.run()):
        if p.due is None:
            if p.lower <= p.deadline:
                slots = candidates(s, p, p.deadline)
                assert not any(allowed(s, p, t) for t in slots), p
            continue
        assert allowed(s, p, p.due)
        earlier = candidates(s, p, p.due) - {p.due}
        assert not any(allowed(s, p, t) for t in earlier), p


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_fairness_a_higher_ranked_item_is_never_due_later_on_the_same_account(s: Scenario):
    """(5) On one account, take items X ranked before Y (priority higher, or equal and
    not_before no later, or equal both and a lower id) both planned there. If X could start
    no later than Y (its lower bound — now, embargo and, in a matrix repost, the main post
    plus the stagger — is no later than Y's) and X may go wherever Y may (X is released
    or Y is not), then X is due no later than Y — except when Y's instant was closed to X
    only by X's own fan-out stagger (within ``stagger`` of X's post on an account placed
    before this one)."""
    placements = [p for p in replay(s, s.run()) if p.due is not None]
    for x, y in itertools.permutations(placements, 2):
        if x.account_id != y.account_id or rank(x.item) >= rank(y.item):
            continue
        if x.lower > y.lower or (y.item.released and not x.item.released):
            continue
        if any(abs(y.due - other) < s.stagger for other in x.spread):
            continue
        assert x.due <= y.due, (x, y)
