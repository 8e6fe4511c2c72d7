"""The account lifecycle as a pure state machine (domain.accounts.step)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.accounts import AccountState, Action, Life, RequestKind, can_publish, step
from domain.errors import Refused
from domain.workdays import WorkCalendar

CAL = WorkCalendar.of(holidays=[date(2026, 10, d) for d in range(1, 8)], makeup=[date(2026, 9, 20)])


def test_close_walks_request_approval_notice_and_period() -> None:
    life = Life.registered()
    life, event = step(life, Action.REQUEST_CLOSE, actor=1, reason="机构改革")
    assert event.request is RequestKind.CLOSE and life.state is AccountState.ACTIVE
    with pytest.raises(Refused, match="no approved close request"):
        step(life, Action.NOTICE_PUBLISHED, actor=1, reason="r", today=date(2026, 9, 21))
    life, event = step(life, Action.APPROVE, actor=2, reason="同意")
    assert life.close_approved and can_publish(life)  # the notice still has to go out
    life, event = step(
        life, Action.NOTICE_PUBLISHED, actor=0, reason="停更公告", today=date(2026, 9, 21)
    )
    assert life.state is AccountState.CLOSING and not can_publish(life)
    # 15 working days after Mon 21 Sep 2026, across National Day (1-7 Oct off, 10 Oct on).
    with pytest.raises(Refused, match="2026-10-19"):
        step(life, Action.CLOSE, actor=0, reason="期满", today=date(2026, 10, 18), calendar=CAL)
    life, event = step(
        life, Action.CLOSE, actor=0, reason="期满", today=date(2026, 10, 19), calendar=CAL
    )
    assert (event.from_state, event.to_state) == (AccountState.CLOSING, AccountState.CLOSED)
    assert event.actor == 0 and event.reason == "期满"


def test_open_request_approved_or_rejected() -> None:
    opened, event = step(Life.applying(), Action.APPROVE, actor=2, reason="同意开设")
    assert opened.state is AccountState.ACTIVE and event.request is RequestKind.OPEN
    rejected, _ = step(Life.applying(), Action.REJECT, actor=2, reason="不符合要求")
    assert rejected.state is AccountState.CLOSED and not rejected.was_active
    with pytest.raises(Refused, match="waits for a leader"):
        step(Life.applying(), Action.REQUEST_CHANGE, actor=1, reason="x")


def test_suspended_account_cannot_be_asked_to_close() -> None:
    life, _ = step(Life.registered(), Action.SUSPEND, actor=1, reason="整改")
    with pytest.raises(Refused, match="resume a suspended one first"):
        step(life, Action.REQUEST_CLOSE, actor=1, reason="x")


actions = st.lists(
    st.tuples(st.sampled_from(list(Action)), st.integers(min_value=0, max_value=40)),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(start=st.sampled_from(["applying", "registered"]), moves=actions)
def test_no_sequence_closes_without_approval_and_notice(start: str, moves: list) -> None:
    """Whatever is tried in whatever order: an account that was ever active is closed only
    with an approved close request and a published notice whose period has passed; and
    nothing may publish to an account that is not active."""
    life = Life.applying() if start == "applying" else Life.registered()
    today = date(2026, 9, 1)
    approved_close = False
    notice_on: date | None = None
    for action, days in moves:
        today += timedelta(days=days)
        before = life
        try:
            life, event = step(
                life, action, actor=1, reason="r", today=today, calendar=CAL, notice_days=15
            )
        except Refused:
            assert life == before
            continue
        assert event.from_state is before.state and event.to_state is life.state
        if action is Action.APPROVE and event.request is RequestKind.CLOSE:
            approved_close = True
        if action is Action.NOTICE_PUBLISHED:
            assert before.state is AccountState.ACTIVE  # the notice itself goes out live
            notice_on = today
        if life.state is AccountState.CLOSED and before.state is not AccountState.CLOSED:
            if before.was_active:
                assert approved_close and notice_on is not None
                assert CAL.between(notice_on, today) >= 15
            else:
                assert action is Action.REJECT and event.request is RequestKind.OPEN
        assert can_publish(life) == (life.state is AccountState.ACTIVE)
