"""Scheduling policy (排期): when a post may go out on an account, and the planner.

An account's policy is data: posting windows in the organisation's local time, a minimum
spacing between its posts, a platform quota per calendar hour, day or month, and whether it
is the main account (主账号) of its group. Freeze periods (静默期) stop every send unless a
leader released the post by name. The default policy (no window, no spacing, no quota) is the
one of the ``website`` and ``webhook`` channels: their posts go out as soon as they are due.

Two pure entry points share one rule set:

    plan(...)         spreads approved items over their target accounts: deterministic,
                      highest priority first, each post at the earliest instant every rule
                      allows; what cannot be placed is reported, never planned late
    check_send(...)   the dispatcher's re-check right before a send (guarantee 4):
                      send now, reschedule to a later instant, or cancel

Time rules, in one place:

* Every datetime passed in must be timezone-aware (a naive one raises ``ValueError``);
  every datetime returned is UTC. Show them with :func:`format_local`.
* Windows and quota periods are read in the organisation's zone ``tz``. A local wall time is
  resolved as PEP 495 ``fold=0``: an ambiguous time (autumn, clocks go back) means its first
  occurrence; a time that does not exist (spring gap) moves forward by the gap, so Berlin's
  02:30 on the last Sunday of March means 03:30 CEST. A window whose end lands before its
  start that way is closed for the day.
* Windows and freezes are half-open, ``[start, end)``: 07:30-22:00 takes a post at 07:30 but
  not at 22:00. Expiry is inclusive: a post due exactly at ``expires`` still goes.
* Quota periods are calendar periods in ``tz``, not rolling ones: ``day`` is the local
  calendar day, ``month`` the local calendar month, ``hour`` the local clock hour. So a
  WeChat 订阅号 (1/day) may send at 23:50 and again at 00:10.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Literal, get_args

from domain.accounts import AccountState
from domain.errors import InvalidInput
from domain.reasons import reason

Per = Literal["hour", "day", "month"]
PERIODS: tuple[str, ...] = get_args(Per)

DEFAULT_STAGGER = timedelta(minutes=2)
DEFAULT_HORIZON = timedelta(days=62)


class InvalidSchedule(InvalidInput, ValueError):
    """A window, quota or time a person typed cannot be read, or the rules were given what
    they cannot plan with (CLI exit 2; also a ValueError). Its message is a template with
    its values apart, as every error's, so a face says it in its reader's language."""


# ---------------------------------------------------------------------------------------------
# Policy as data


@dataclass(frozen=True)
class Window:
    """A daily posting window in local time. ``end < start`` crosses midnight (22:00-02:00);
    ``end == start`` is the whole day (write it 00:00-24:00)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise InvalidSchedule("window times are local wall times and carry no tzinfo")

    @property
    def all_day(self) -> bool:
        return self.start == self.end

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start

    def __str__(self) -> str:
        end = "24:00" if self.end == time(0) else _clock(self.end)
        return f"{_clock(self.start)}-{end}"


ALL_DAY = Window(time(0), time(0))


@dataclass(frozen=True)
class Quota:
    """At most ``count`` posts per calendar ``per`` (hour, day or month) in the org's zone."""

    count: int
    per: Per

    def __post_init__(self) -> None:
        if self.per not in PERIODS:
            raise InvalidSchedule(
                "quota period must be one of {periods}, not {per!r}",
                periods=", ".join(PERIODS),
                per=self.per,
            )
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise InvalidSchedule(
                "a quota needs a whole count of at least 1, not {count!r}; "
                "suspend the account to stop its posts",
                count=self.count,
            )

    def __str__(self) -> str:
        return f"{self.count}/{self.per}"


# Platform quotas as the issue states them; the channel specs hold the live defaults.
WECHAT_SUBSCRIPTION_QUOTA = Quota(1, "day")  # 订阅号: one mass send a day
WECHAT_SERVICE_QUOTA = Quota(4, "month")  # 服务号: four a month
WEIBO_QUOTA = Quota(30, "hour")


@dataclass(frozen=True)
class AccountPolicy:
    """How one account may be posted to. No windows means always open.

    ``quota`` also accepts any object with ``count`` and ``per`` (a channel spec's quota),
    which is copied into a :class:`Quota`. ``limits`` are the platform's own hard limits,
    held on top of ``quota`` whatever the account's policy says (Weibo: 100 calls a day).
    """

    account_id: int
    windows: tuple[Window, ...] = ()
    spacing: timedelta = timedelta(0)
    quota: Quota | None = None
    is_main: bool = False  # 主账号: goes first in a fan-out of its group
    limits: tuple[Quota, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "windows", tuple(self.windows))
        if self.spacing < timedelta(0):
            raise InvalidSchedule(
                "account {account_id}: spacing cannot be negative", account_id=self.account_id
            )
        if self.quota is not None and not isinstance(self.quota, Quota):
            object.__setattr__(self, "quota", Quota(self.quota.count, self.quota.per))
        limits = tuple(q if isinstance(q, Quota) else Quota(q.count, q.per) for q in self.limits)
        object.__setattr__(self, "limits", limits)

    @property
    def quotas(self) -> tuple[Quota, ...]:
        """Every count a post must fit: the account's quota, then the platform's limits."""
        return ((self.quota,) if self.quota is not None else ()) + self.limits

    @property
    def windows_text(self) -> str:
        return ",".join(str(w) for w in self.windows) or "always open"


@dataclass(frozen=True)
class Freeze:
    """A period during which nothing is sent unless released by a leader, ``[start, end)``."""

    start: datetime
    end: datetime
    reason: str

    def __post_init__(self) -> None:
        _require_aware(self.start, "freeze start")
        _require_aware(self.end, "freeze end")
        if self.end <= self.start:
            raise InvalidSchedule("a freeze must end after it starts")
        if not self.reason.strip():
            raise InvalidSchedule("a freeze needs a reason")


@dataclass(frozen=True)
class Item:
    """One approved item to place on its target accounts.

    ``not_before`` is the embargo, ``expires`` (inclusive) the instant after which it may not
    go out, ``released`` a leader's release (by name, on record) through freeze periods.
    Repeated account ids count once.
    """

    item_id: int
    priority: int
    not_before: datetime
    expires: datetime | None
    accounts: tuple[int, ...]
    released: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "accounts", tuple(self.accounts))
        _require_aware(self.not_before, f"item {self.item_id} not_before")
        if self.expires is not None:
            _require_aware(self.expires, f"item {self.item_id} expires")


@dataclass(frozen=True)
class Planned:
    item_id: int
    account_id: int
    due: datetime  # UTC


class Unplaced(StrEnum):
    EXPIRED = "expired"  # no instant every rule allows before the item expires
    HORIZON = "horizon"  # none within the planning horizon; plan again later
    NOT_OPEN = "not_open"  # the account was not given a policy: not registered or not active


@dataclass(frozen=True)
class Unplaceable:
    item_id: int
    account_id: int
    reason: str  # one line fit to show a person
    code: Unplaced


@dataclass(frozen=True)
class Plan:
    """``planned`` in placement order (item rank, then fan-out order); every (item, account)
    pair of the input is in exactly one of the two tuples."""

    planned: tuple[Planned, ...]
    unplaceable: tuple[Unplaceable, ...]

    def due(self, item_id: int, account_id: int) -> datetime | None:
        for p in self.planned:
            if p.item_id == item_id and p.account_id == account_id:
                return p.due
        return None


@dataclass(frozen=True)
class Post:
    """A queued post as the dispatcher holds it right before sending."""

    item_id: int
    account_id: int
    due: datetime
    not_before: datetime
    expires: datetime | None
    released: bool = False

    def __post_init__(self) -> None:
        _require_aware(self.due, "post due")
        _require_aware(self.not_before, "post not_before")
        if self.expires is not None:
            _require_aware(self.expires, "post expires")


class SendAction(StrEnum):
    SEND = "send"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"


@dataclass(frozen=True)
class SendDecision:
    """What the dispatcher does with a post now. ``at`` is set for a reschedule; ``rule`` names
    the rule that stopped it (account, expired, embargo, due, window, freeze, quota, spacing)."""

    action: SendAction
    at: datetime | None = None
    rule: str = ""
    reason: str = ""


# ---------------------------------------------------------------------------------------------
# Reading and showing what people type


_DASHES = ("–", "—", "－", "~", "～", "至")  # the dashes people type
_LIST_SEPARATORS = ("，", "；", ";", "、")


def parse_window(text: str) -> Window:
    """Read ``"07:30-22:00"``, ``"22:00-02:00"`` (crosses midnight) or ``"00:00-24:00"``."""
    raw = text
    text = text.strip().replace("：", ":")
    for dash in _DASHES:
        text = text.replace(dash, "-")
    parts = [p.strip() for p in text.split("-")]
    if len(parts) != 2 or not all(parts):
        raise InvalidSchedule("posting window {raw!r} should look like 07:30-22:00", raw=raw)
    start = _parse_clock(parts[0], raw, may_be_24=False)
    end = _parse_clock(parts[1], raw, may_be_24=True)
    if start == end and start != time(0):
        raise InvalidSchedule(
            "posting window {raw!r} starts and ends at the same time; "
            "write 00:00-24:00 for the whole day",
            raw=raw,
        )
    return Window(start, end)


def parse_windows(text: str) -> tuple[Window, ...]:
    """Read a comma-separated list, ``"07:30-12:00,14:00-22:00"``; an empty text means
    no windows, i.e. always open."""
    for sep in _LIST_SEPARATORS:
        text = text.replace(sep, ",")
    return tuple(parse_window(part) for part in text.split(",") if part.strip())


def parse_quota(text: str) -> Quota | None:
    """Read ``"1/day"``, ``"4/month"``, ``"30/hour"``; ``"none"`` or empty means no quota."""
    cleaned = text.strip().lower()
    if cleaned in ("", "none", "no", "unlimited"):
        return None
    count_text, sep, per = (s.strip() for s in cleaned.partition("/"))
    if not sep or not count_text.isdigit() or per not in PERIODS:
        raise InvalidSchedule(
            "quota {text!r} should look like 1/day, 4/month or 30/hour (or none)", text=text
        )
    count = int(count_text)
    if count < 1:
        raise InvalidSchedule("quota {text!r}: the count must be at least 1", text=text)
    return Quota(count, per)  # type: ignore[arg-type]


FIRST_YEAR, LAST_YEAR = 2000, 2099  # the times a person may type


def parse_local_datetime(text: str, tz: tzinfo) -> datetime:
    """Read a time a person typed in the organisation's zone, ``"2026-12-01 08:00"`` (a bare
    date means its midnight); ISO text with an offset is honoured. Returns an aware datetime
    in ``tz``. An ambiguous local time means its first occurrence; one that does not exist
    (skipped by a DST change) is refused."""
    cleaned = text.strip().replace("：", ":")
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        raise InvalidSchedule(
            "cannot read {text!r} as a date and time; write it like 2026-12-01 08:00", text=text
        ) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        # Year 9999 would overflow the first day added to it (planning, spacing, expiry).
        raise InvalidSchedule(
            "{text!r} is not a time to plan for; give one in the years {first}–{last}",
            text=text.strip(),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    if value.tzinfo is not None:
        return value.astimezone(tz)
    aware = value.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != value:
        raise InvalidSchedule(
            "{when} does not exist in {tz} (the clocks skip it); pick another time",
            when=_stamp(value),
            tz=str(tz),
        )
    return aware


def format_local(value: datetime, tz: tzinfo) -> str:
    """``"2026-12-01 08:00"`` in the organisation's zone (seconds only when not zero)."""
    return _stamp(_require_aware(value, "value").astimezone(tz))


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")


def _clock(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _parse_clock(text: str, raw: str, *, may_be_24: bool) -> time:
    hours, sep, minutes = text.partition(":")
    if (
        not sep
        or not hours.isdigit()
        or not minutes.isdigit()
        or len(minutes) != 2
        or len(hours) > 2
    ):
        raise InvalidSchedule(
            "posting window {raw!r}: {text!r} is not a time of day (HH:MM)", raw=raw, text=text
        )
    h, m = int(hours), int(minutes)
    if may_be_24 and (h, m) == (24, 0):
        return time(0)
    if h > 23 or m > 59:
        raise InvalidSchedule(
            "posting window {raw!r}: {text!r} is not a time of day (HH:MM)", raw=raw, text=text
        )
    return time(h, m)


# ---------------------------------------------------------------------------------------------
# The rules


def next_open(
    policy: AccountPolicy,
    t: datetime,
    tz: tzinfo,
    freezes: Iterable[Freeze] = (),
    *,
    released: bool = False,
) -> datetime:
    """The earliest instant at or after ``t`` inside one of the account's windows and outside
    every freeze (freezes are ignored for a released post). Quota and spacing are not
    considered; :func:`check_send` and :func:`plan` add them. Returns UTC; meant for showing
    a person when an account next opens."""
    calendar = _Calendar(tz, freezes)
    at = _require_aware(t, "t").astimezone(UTC)
    while True:
        opened = calendar.window_at(policy.windows, at)
        if opened > at:
            at = opened
            continue
        freeze = None if released else calendar.freeze_at(at)
        if freeze is not None:
            at = freeze.end
            continue
        return at


def check_send(
    now: datetime,
    policy: AccountPolicy,
    post: Post,
    *,
    sent: Iterable[datetime],
    freezes: Iterable[Freeze],
    tz: tzinfo,
    state: AccountState,
) -> SendDecision:
    """Re-check every rule right before a send (guarantee 4).

    ``sent`` are the account's posts already sent or being sent (claimed), not this one;
    they count toward the quota of their calendar period and toward spacing, so the sends of
    the current month and of the last ``spacing`` are all it needs. ``state`` is the
    account's state now. The outcome:

    * cancel when the account is no longer active, when ``now`` is past ``expires``, or when
      the rules leave no instant to send it at or before ``expires``;
    * reschedule to the earliest instant every rule allows (outside a window → the next
      opening; frozen and not released → the freeze end or the next window after it; quota
      used up → the start of the next calendar period; too close to a sent post → that post
      plus the spacing), with the first rule that stopped it;
    * send otherwise.
    """
    now = _require_aware(now, "now").astimezone(UTC)
    if policy.account_id != post.account_id:
        raise InvalidSchedule(
            "policy of account {policy} given for a post to {account}",
            policy=policy.account_id,
            account=post.account_id,
        )
    if state is not AccountState.ACTIVE:
        return SendDecision(
            SendAction.CANCEL, rule="account", reason=reason("account_state", state=state.value)
        )
    expires = None if post.expires is None else post.expires.astimezone(UTC)
    if expires is not None and now > expires:
        return SendDecision(
            SendAction.CANCEL,
            rule="expired",
            reason=reason("expired", when=format_local(expires, tz)),
        )
    calendar = _Calendar(tz, freezes)
    notes = _Notes()
    not_before = post.not_before.astimezone(UTC)
    due = post.due.astimezone(UTC)
    if not_before > now:
        notes["embargo"] = reason("embargo", when=format_local(not_before, tz))
    if due > now:
        notes["due"] = reason("not_due", when=format_local(due, tz))
    at = _earliest(
        calendar,
        policy,
        sorted(_require_aware(s, "sent time").astimezone(UTC) for s in sent),
        max(now, not_before, due),
        expires,
        released=post.released,
        notes=notes,
    )
    if at is None:
        assert expires is not None  # without an expiry a slot always exists
        return SendDecision(
            SendAction.CANCEL,
            rule="expired",
            reason=reason(
                "no_slot_before_expiry", when=format_local(expires, tz), notes=notes.text()
            ),
        )
    if at == now:
        return SendDecision(SendAction.SEND)
    return SendDecision(SendAction.RESCHEDULE, at=at, rule=notes.first_rule, reason=notes.text())


def rank(item: Item) -> tuple[int, datetime, int]:
    """The planner's order: priority (higher first), then not_before, then item id."""
    return (-item.priority, item.not_before.astimezone(UTC), item.item_id)


def plan(
    items: Iterable[Item],
    policies: Mapping[int, AccountPolicy],
    *,
    now: datetime,
    tz: tzinfo,
    freezes: Iterable[Freeze] = (),
    booked: Mapping[int, Iterable[datetime]] | None = None,
    stagger: timedelta = DEFAULT_STAGGER,
    horizon: timedelta = DEFAULT_HORIZON,
) -> Plan:
    """Place every (item, account) pair at the earliest instant every rule allows.

    ``policies`` holds the accounts open for posts, keyed by account id; a target without
    one is reported :attr:`Unplaced.NOT_OPEN`. ``booked`` are each account's posts already
    planned or sent; they count toward quota and spacing like the new ones.

    Items are placed one at a time in rank order: priority (higher first), then
    ``not_before``, then item id. An item's accounts are placed in fan-out order: main
    accounts first, then by account id. When the first account is a main account (a matrix
    repost, 集中转载), every other account's post waits until at least ``stagger`` after the
    main account's post (if the main post cannot be placed, the others do not wait for
    it); and the posts of one item are kept at least ``stagger`` apart from
    each other, so a fan-out does not fire in one minute. Each post then goes at the
    earliest instant at or after ``max(now, not_before)`` (and that stagger bound) that is
    inside a window, outside every freeze unless released, within the quota of its calendar
    period and at least the spacing away from the account's other posts — including those
    placed for earlier items. A pair that finds no such instant by its expiry, or by
    ``now + horizon`` if that comes first, is reported unplaceable with the reason, never
    planned late. The result depends only on the inputs, not on their order.

    Fairness, exactly: on one account, if item X ranks before item Y, X's lower bound is no
    later than Y's, and X may go wherever Y may (X is released or Y is not), then X is due no
    later than Y — unless Y's instant was closed to X only by the stagger between X's own
    posts. (Y's instant met every rule with X's post already booked, so with one booking
    fewer it met them for X too, and X took the earliest such instant.)
    """
    now = _require_aware(now, "now").astimezone(UTC)
    if stagger < timedelta(0):
        raise InvalidSchedule("stagger cannot be negative")
    if horizon <= timedelta(0):
        raise InvalidSchedule("the planning horizon must be positive")
    for account_id, policy in policies.items():
        if account_id != policy.account_id:
            raise InvalidSchedule(
                "policy of account {policy} filed under {account}",
                policy=policy.account_id,
                account=account_id,
            )
    calendar = _Calendar(tz, freezes)
    booked = booked or {}
    bookings = {
        account_id: sorted(
            _require_aware(t, f"booked time of account {account_id}").astimezone(UTC)
            for t in booked.get(account_id, ())
        )
        for account_id in policies
    }
    ranked = sorted(items, key=rank)
    seen: set[int] = set()
    for item in ranked:
        if item.item_id in seen:
            raise InvalidSchedule("item {item} is given twice", item=item.item_id)
        seen.add(item.item_id)

    end = now + horizon
    planned: list[Planned] = []
    unplaceable: list[Unplaceable] = []
    for item in ranked:
        base = max(now, item.not_before.astimezone(UTC))
        expires = None if item.expires is None else item.expires.astimezone(UTC)
        deadline = end if expires is None else min(end, expires)
        code = Unplaced.EXPIRED if expires is not None and expires <= end else Unplaced.HORIZON
        targets = sorted(set(item.accounts))
        for account_id in targets:
            if account_id not in policies:
                unplaceable.append(
                    Unplaceable(
                        item.item_id,
                        account_id,
                        reason("account_not_open", account_id=account_id),
                        Unplaced.NOT_OPEN,
                    )
                )
        fan_out = sorted(
            (a for a in targets if a in policies), key=lambda a: (not policies[a].is_main, a)
        )
        lead = fan_out[0] if fan_out and policies[fan_out[0]].is_main else None
        anchor: datetime | None = None
        spread: list[datetime] = []  # this item's posts so far, kept `stagger` apart
        for account_id in fan_out:
            lower = base
            if anchor is not None:
                lower = max(lower, anchor + stagger)
            notes = _Notes()
            at = _earliest(
                calendar,
                policies[account_id],
                bookings[account_id],
                lower,
                deadline,
                released=item.released,
                notes=notes,
                spread=spread,
                stagger=stagger,
            )
            if at is None:
                unplaceable.append(
                    Unplaceable(
                        item.item_id,
                        account_id,
                        _unplaced_reason(code, lower, expires, end, tz, notes, item),
                        code,
                    )
                )
                continue
            planned.append(Planned(item.item_id, account_id, at))
            bisect.insort(bookings[account_id], at)
            bisect.insort(spread, at)
            if account_id == lead:
                anchor = at
    return Plan(tuple(planned), tuple(unplaceable))


# ---------------------------------------------------------------------------------------------
# Internals


def _require_aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidSchedule(
            "{what} must be timezone-aware, not naive {value}", what=what, value=value.isoformat()
        )
    return value


_Span = tuple[datetime, datetime]


def _resolve(day: date, clock: time, tz: tzinfo) -> datetime:
    """A local wall time on a local date as a UTC instant (PEP 495 fold=0, see module doc)."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


class _Calendar:
    """Window, freeze and period arithmetic for one organisation zone, memoised per call."""

    def __init__(self, tz: tzinfo, freezes: Iterable[Freeze]) -> None:
        self.tz = tz
        self.freezes = sorted(freezes, key=lambda f: (f.start, f.end, f.reason))
        # Per windows tuple (by identity, the tuple kept alive beside its days): local date ->
        # that day's openings. Hashing the windows on every look-up would cost more.
        self._days: dict[int, tuple[tuple[Window, ...], dict[date, tuple[_Span, ...]]]] = {}

    def intervals(self, windows: tuple[Window, ...], day: date) -> tuple[_Span, ...]:
        """The windows that open on local date ``day``, as UTC ``[open, close)`` pairs."""
        entry = self._days.get(id(windows))
        if entry is None or entry[0] is not windows:
            entry = self._days[id(windows)] = (windows, {})
        found = entry[1].get(day)
        if found is None:
            spans = []
            for w in windows:
                opens = _resolve(day, w.start, self.tz)
                close_day = day if w.end > w.start else day + timedelta(days=1)
                closes = _resolve(close_day, w.end, self.tz)
                if closes > opens:
                    spans.append((opens, closes))
            found = entry[1][day] = tuple(sorted(spans))
        return found

    def window_at(self, windows: tuple[Window, ...], t: datetime) -> datetime:
        """``t`` itself when a window is open then, else the next opening."""
        if not windows:
            return t
        day = t.astimezone(self.tz).date()
        best: datetime | None = None
        # A window that opened the day before may still be open. Openings of a later local
        # date come after those of an earlier one, and windows recur daily, so the first
        # date from today on with an opening after t holds the answer.
        for offset in range(-1, 4):
            for opens, closes in self.intervals(windows, day + timedelta(days=offset)):
                if opens <= t < closes:
                    return t
                if opens > t and (best is None or opens < best):
                    best = opens
            if best is not None and offset >= 0:
                return best
        raise AssertionError(f"no window opens within three days of {t}")

    def freeze_at(self, t: datetime) -> Freeze | None:
        for freeze in self.freezes:
            if freeze.start > t:
                return None
            if t < freeze.end:
                return freeze
        return None

    def period(self, per: str, t: datetime) -> tuple[datetime, datetime]:
        """The calendar period of ``per`` holding ``t``, as UTC ``[start, end)``."""
        local = t.astimezone(self.tz)
        if per == "hour":
            # Back from t to the top of its local hour: the repeated autumn hour is two periods.
            past = timedelta(
                minutes=local.minute, seconds=local.second, microseconds=local.microsecond
            )
            return t - past, t - past + timedelta(hours=1)
        if per == "day":
            first = local.date()
            following = first + timedelta(days=1)
        else:
            first = local.date().replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
        start, end = _resolve(first, time(0), self.tz), _resolve(following, time(0), self.tz)
        if not start <= t < end:  # a zone whose clocks jump back across midnight
            raise InvalidSchedule(
                "quota periods cannot follow the clock change of {tz} at {when}",
                tz=str(self.tz),
                when=str(t),
            )
        return start, end

    def period_text(self, per: str, start: datetime) -> str:
        local = start.astimezone(self.tz)
        if per == "hour":
            return local.strftime("%Y-%m-%d %H:00")
        if per == "day":
            return local.strftime("%Y-%m-%d")
        return local.strftime("%Y-%m")


class _Notes(dict[str, str]):
    """The rules that pushed a post later, by rule, first of each kind, in the order they
    applied. Callers write a text only for a rule not yet noted: the planner jumps often."""

    @property
    def first_rule(self) -> str:
        return next(iter(self), "")

    def text(self) -> str:
        text = ""
        for note in self.values():
            text = reason("then", first=text, then=note) if text else note
        return text or reason("no_rule")


def _earliest(
    calendar: _Calendar,
    policy: AccountPolicy,
    bookings: Sequence[datetime],
    lower: datetime,
    deadline: datetime | None,
    *,
    released: bool,
    notes: _Notes,
    spread: Sequence[datetime] = (),
    stagger: timedelta = timedelta(0),
) -> datetime | None:
    """The earliest instant in ``[lower, deadline]`` every rule allows, or None.

    Each rule either holds at ``t`` or names the earliest later instant it could hold, and
    ``t`` jumps there; every jump moves forward to a window opening, a freeze end, a period
    start or a booking plus spacing, so the loop takes a handful of steps per obstacle and
    never walks the clock minute by minute.
    """
    tz = calendar.tz
    t = lower
    while deadline is None or t <= deadline:
        opened = calendar.window_at(policy.windows, t)
        if opened > t:
            if "window" not in notes:
                notes["window"] = reason("window", windows=policy.windows_text)
            t = opened
            continue
        freeze = None if released else calendar.freeze_at(t)
        if freeze is not None:
            if "freeze" not in notes:
                notes["freeze"] = reason(
                    "freeze", until=format_local(freeze.end, tz), reason=freeze.reason
                )
            t = freeze.end
            continue
        full = None
        for quota in policy.quotas:
            start, end = calendar.period(quota.per, t)
            used = bisect.bisect_left(bookings, end) - bisect.bisect_left(bookings, start)
            if used >= quota.count:
                full = end
                if "quota" not in notes:
                    notes["quota"] = reason(
                        f"quota_{quota.per}",
                        count=quota.count,
                        period=calendar.period_text(quota.per, start),
                    )
                break
        if full is not None:
            t = full
            continue
        if policy.spacing:
            clear = _clear_of(bookings, t, policy.spacing)
            if clear > t:
                if "spacing" not in notes:
                    unit, n = _duration(policy.spacing)
                    notes["spacing"] = reason(f"spacing_{unit}", n=n)
                t = clear
                continue
        if stagger and spread:
            clear = _clear_of(spread, t, stagger)
            if clear > t:
                if "stagger" not in notes:
                    unit, n = _duration(stagger)
                    notes["stagger"] = reason(f"stagger_{unit}", n=n)
                t = clear
                continue
        return t
    return None


def _clear_of(times: Sequence[datetime], t: datetime, gap: timedelta) -> datetime:
    """The earliest instant at or after ``t`` at least ``gap`` from every one of the sorted
    ``times``: the right end of the run of overlapping ``(b - gap, b + gap)`` holding ``t``."""
    i = bisect.bisect_right(times, t - gap)
    while i < len(times) and times[i] < t + gap:
        t = times[i] + gap
        i += 1
    return t


def _duration(value: timedelta) -> tuple[str, str]:
    """A spacing as its unit (``h``, ``min`` or ``s``) and how many of them."""
    minutes = int(value.total_seconds() // 60)
    if minutes * 60 != value.total_seconds():
        return "s", f"{value.total_seconds():g}"
    if minutes % 60 == 0:
        return "h", str(minutes // 60)
    return "min", str(minutes)


def _unplaced_reason(
    code: Unplaced,
    lower: datetime,
    expires: datetime | None,
    end: datetime,
    tz: tzinfo,
    notes: _Notes,
    item: Item,
) -> str:
    if code is Unplaced.EXPIRED:
        assert expires is not None
        if expires < item.not_before.astimezone(UTC):
            return reason(
                "unplaced_embargo",
                when=format_local(expires, tz),
                lifts=format_local(item.not_before, tz),
            )
        if expires < lower:
            return reason("unplaced_expired", when=format_local(expires, tz))
        return reason("unplaced_no_slot", when=format_local(expires, tz), notes=notes.text())
    if lower > end:
        return reason("unplaced_beyond", when=format_local(lower, tz))
    return reason("unplaced_horizon", when=format_local(end, tz), notes=notes.text())
