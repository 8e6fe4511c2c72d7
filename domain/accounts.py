"""Account registry (备案): platforms, account states and the lifecycle between them.

    applying ──approve open──▶ active ◀──resume── suspended
        │                       │  └──suspend──▶ ┘
        │ reject open           │ approve close: the 停更公告 is drafted (still active)
        ▼                       ▼ the notice is published
      closed ◀──notice period over── closing

Every move is a :class:`LifeEvent` with its actor and reason (:func:`step`). Only an
``active`` account receives posts (:func:`can_publish`). An account that was ever active
closes only after a leader approved a close request and its 停更公告 was published, and
the notice period (working days) has passed since. Suspending or closing cancels its
queued posts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from domain.errors import InvalidInput, Refused
from domain.workdays import WorkCalendar


class Platform(StrEnum):
    WECHAT_OA = "wechat_oa"  # 微信公众号 订阅号
    WECHAT_SERVICE = "wechat_service"  # 微信服务号
    WEIBO = "weibo"  # 微博
    DOUYIN = "douyin"  # 抖音
    XIAOHONGSHU = "xiaohongshu"  # 小红书
    TOUTIAO = "toutiao"  # 今日头条
    KUAISHOU = "kuaishou"  # 快手
    BILIBILI = "bilibili"  # 哔哩哔哩
    WECHAT_CHANNELS = "wechat_channels"  # 视频号
    WEBSITE = "website"  # 门户网站栏目
    WEBHOOK = "webhook"  # 融媒体平台 / 内部系统


class AccountState(StrEnum):
    APPLYING = "applying"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSING = "closing"
    CLOSED = "closed"


_MOVES: dict[str, tuple[frozenset[AccountState], AccountState]] = {
    "suspend": (frozenset({AccountState.ACTIVE}), AccountState.SUSPENDED),
    "resume": (frozenset({AccountState.SUSPENDED}), AccountState.ACTIVE),
}


def parse_platform(value: str) -> Platform:
    try:
        return Platform(value.strip().lower())
    except ValueError:
        known = ", ".join(p.value for p in Platform)
        raise InvalidInput(
            "unknown platform {platform!r}; known platforms: {known}", platform=value, known=known
        ) from None


def next_state(state: AccountState, move: str) -> AccountState:
    """The state after ``move`` (suspend, resume), or :class:`Refused`. Opening and
    closing go through requests (:func:`step`)."""
    if move == "close":
        raise Refused(
            "an account closes through a request: `matrixpub account request close ID "
            "--reason ...`, a leader's approval, its 停更公告 and the notice period"
        )
    if move not in _MOVES:
        raise InvalidInput("unknown move {move!r}", move=move)
    allowed, target = _MOVES[move]
    if state not in allowed:
        raise Refused("account is {state}; cannot {move} it", state=state.value, move=move)
    return target


# -- the lifecycle, with requests ------------------------------------------------------------
class RequestKind(StrEnum):
    OPEN = "open"
    CHANGE = "change"
    CLOSE = "close"


class Action(StrEnum):
    REQUEST_OPEN = "request_open"
    REQUEST_CHANGE = "request_change"
    REQUEST_CLOSE = "request_close"
    APPROVE = "approve"
    REJECT = "reject"
    NOTICE_PUBLISHED = "notice_published"
    CLOSE = "close"
    SUSPEND = "suspend"
    RESUME = "resume"


@dataclass(frozen=True)
class Life:
    """What the lifecycle needs to know of an account: its state, the request waiting for
    a leader, whether a close was approved, and when its 停更公告 was published."""

    state: AccountState
    pending: RequestKind | None = None
    close_approved: bool = False
    notice_published_on: date | None = None
    was_active: bool = False

    @classmethod
    def applying(cls) -> Life:
        """A new account asked for: applying, its open request waiting."""
        return cls(AccountState.APPLYING, pending=RequestKind.OPEN)

    @classmethod
    def registered(cls) -> Life:
        """An account that already exists, put on record as it is."""
        return cls(AccountState.ACTIVE, was_active=True)


@dataclass(frozen=True)
class LifeEvent:
    action: Action
    from_state: AccountState
    to_state: AccountState
    actor: int
    reason: str
    request: RequestKind | None = None


def can_publish(life: Life) -> bool:
    return life.state is AccountState.ACTIVE


def notice_ends(published: date, calendar: WorkCalendar, notice_days: int) -> date:
    """The first day the account may close: ``notice_days`` working days after the
    notice's publication."""
    return calendar.add(published, notice_days)


def step(
    life: Life,
    action: Action,
    *,
    actor: int,
    reason: str,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
    notice_days: int = 15,
) -> tuple[Life, LifeEvent]:
    """The account's life after ``action``, and the event that records it; or
    :class:`Refused` saying why not. ``today`` and ``calendar`` are needed for
    ``notice_published`` and ``close``."""
    if not reason.strip():
        raise InvalidInput("a reason is required")
    state = life.state
    new = life
    request: RequestKind | None = None

    def refuse(why: Refused) -> Refused:
        # The reason is an error of its own, so that each face says it in its language.
        return Refused("account is {state}: {why}", state=state.value, why=why)

    if action in (Action.REQUEST_OPEN, Action.REQUEST_CHANGE, Action.REQUEST_CLOSE):
        request = RequestKind(action.value.removeprefix("request_"))
        if life.pending is not None:
            raise refuse(
                Refused(
                    "its {request} request still waits for a leader",
                    request=life.pending.value,
                )
            )
        if request is RequestKind.OPEN:
            if state is not AccountState.APPLYING:
                raise refuse(Refused("only an account applying can be asked to open"))
        elif request is RequestKind.CHANGE:
            if state not in (AccountState.ACTIVE, AccountState.SUSPENDED):
                raise refuse(Refused("only an active or suspended account can be changed"))
        else:
            if state is not AccountState.ACTIVE:
                raise refuse(
                    Refused(
                        "only an active account can be asked to close (its 停更公告 is posted "
                        "on it; resume a suspended one first)"
                    )
                )
            if life.close_approved:
                raise refuse(Refused("its closing was approved already"))
        new = replace(life, pending=request)
    elif action in (Action.APPROVE, Action.REJECT):
        request = life.pending
        if request is None:
            raise refuse(Refused("no request waits for a decision"))
        new = replace(life, pending=None)
        if action is Action.APPROVE:
            if request is RequestKind.OPEN:
                new = replace(new, state=AccountState.ACTIVE, was_active=True)
            elif request is RequestKind.CLOSE:
                if state is not AccountState.ACTIVE:
                    raise refuse(Refused("its 停更公告 can only be posted on an active account"))
                new = replace(new, close_approved=True)
        elif request is RequestKind.OPEN:  # the account was never opened
            new = replace(new, state=AccountState.CLOSED)
    elif action is Action.NOTICE_PUBLISHED:
        if not life.close_approved:
            raise refuse(Refused("no approved close request awaits its 停更公告"))
        if state is not AccountState.ACTIVE or life.notice_published_on is not None:
            raise refuse(Refused("the 停更公告 goes out on the active account, once"))
        if today is None:
            raise ValueError("notice_published needs today")
        new = replace(life, state=AccountState.CLOSING, notice_published_on=today)
    elif action is Action.CLOSE:
        if state is not AccountState.CLOSING or life.notice_published_on is None:
            raise refuse(Refused("an account closes after its 停更公告 and the notice period"))
        if today is None or calendar is None:
            raise ValueError("close needs today and the calendar")
        ends = notice_ends(life.notice_published_on, calendar, notice_days)
        if today < ends:
            raise refuse(Refused("its notice period runs until {day}", day=ends.isoformat()))
        new = replace(life, state=AccountState.CLOSED)
    elif action in (Action.SUSPEND, Action.RESUME):
        new = replace(life, state=next_state(state, action.value))
    else:  # pragma: no cover - every Action is handled above
        raise InvalidInput("unknown action {action!r}", action=action)
    event = LifeEvent(
        action=action,
        from_state=state,
        to_state=new.state,
        actor=actor,
        reason=reason.strip(),
        request=request,
    )
    return new, event
