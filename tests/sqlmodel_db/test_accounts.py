"""The account registry: registration record, one per unit per platform, lifecycle
events, and queued posts cancelled when an account is suspended or closed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from domain.errors import InvalidInput, Refused
from flows import delivery
from sqlmodel_db import accounts as accounts_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import AccountEvent, Post
from tests.factories import World, world


@pytest.fixture
def w(engine: Any, tmp_path: Any) -> World:
    return world(engine, tmp_path / "home")


def test_register_keeps_the_record(w: World) -> None:
    account_id = w.add_account(
        "gzh",
        platform="wechat_oa",
        record_no="备案-001",
        responsible="张三",
        contact="0000-1",
        opened_on="2024-03-01",
        supervising_unit="市政府办",
    )
    with session_scope(w.engine) as session:
        account = accounts_db.get_account(session=session, account_id=account_id)
        assert (account.platform, account.state, account.record_no, account.opened_on) == (
            "wechat_oa",
            "active",
            "备案-001",
            "2024-03-01",
        )
        events = accounts_db.account_events(session=session, account_id=account_id)
        assert [e.action for e in events] == ["registered"]


def test_one_account_per_unit_per_platform_unless_a_reason_is_recorded(w: World) -> None:
    w.add_account("a", platform="weibo", unit="市文旅局")
    with pytest.raises(Refused, match="one account per unit"):
        w.add_account("b", platform="weibo", unit="市文旅局")
    account_id = w.add_account(
        "b", platform="weibo", unit="市文旅局", duplicate_reason="旅游推广专用号"
    )
    assert account_id


def test_only_admins_register(w: World) -> None:
    with session_scope(w.engine) as session, pytest.raises(Refused, match="admin"):
        accounts_db.register_account(
            session=session, actor=w.users["author"], platform="website", name="x", unit="y"
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [("platform", "myspace"), ("name", " "), ("opened_on", "2024-13-01"), ("url", "ftp://x")],
)
def test_bad_registration_input(w: World, field: str, value: str) -> None:
    values = {"platform": "website", "name": "n", "unit": "u", field: value}
    with session_scope(w.engine) as session, pytest.raises(InvalidInput):
        accounts_db.register_account(session=session, actor=w.users["admin"], **values)


@pytest.mark.parametrize("move", ["suspend"])
def test_suspend_cancels_queued_posts(w: World, move: str) -> None:
    other = w.add_account("other")
    draft_id = w.new_draft(targets=[w.accounts["web"], other])
    w.submit(draft_id)
    w.approve_all(draft_id)
    posts = delivery.plan_posts(w.ctx, draft_id)
    assert len(posts) == 2
    with session_scope(w.engine) as session:
        account, cancelled = accounts_db.move_account(
            session=session, actor=w.users["admin"], account_id=other, move=move, reason="账号停用"
        )
        assert account.state == "suspended"
    with session_scope(w.engine) as session:
        states = {p.account_id: p.state for p in session.exec(select(Post))}
        assert states == {w.accounts["web"]: "queued", other: "cancelled"}
        other_post = next(p.id for p in session.exec(select(Post)) if p.account_id == other)
        assert cancelled == [other_post]
        events = session.exec(select(AccountEvent).where(AccountEvent.account_id == other)).all()
        assert [e.action for e in events] == ["registered", move]
        assert events[-1].reason == "账号停用"


def test_lifecycle_moves(w: World) -> None:
    account_id = w.add_account("x")
    with session_scope(w.engine) as session:
        move = accounts_db.move_account
        admin = w.users["admin"]
        move(session=session, actor=admin, account_id=account_id, move="suspend", reason="r")
        move(session=session, actor=admin, account_id=account_id, move="resume", reason="r")
    with session_scope(w.engine) as session, pytest.raises(Refused, match="active"):
        accounts_db.move_account(
            session=session,
            actor=w.users["admin"],
            account_id=account_id,
            move="resume",
            reason="r",
        )
    # Closing is no move an admin makes at once: it goes through a request, a leader's
    # approval, the 停更公告 and the notice period (tests/flows/test_governance.py).
    with session_scope(w.engine) as session, pytest.raises(Refused, match="through a request"):
        accounts_db.move_account(
            session=session,
            actor=w.users["admin"],
            account_id=account_id,
            move="close",
            reason="r",
        )


def test_change_is_recorded(w: World) -> None:
    account_id = w.add_account("x")
    with session_scope(w.engine) as session:
        accounts_db.change_account(
            session=session,
            actor=w.users["admin"],
            account_id=account_id,
            reason="换人",
            responsible="李四",
        )
    with session_scope(w.engine) as session:
        events = accounts_db.account_events(session=session, account_id=account_id)
        assert events[-1].action == "changed"
        assert events[-1].changes == {"responsible": [None, "李四"]}


def test_website_column_kinds_set_their_update_threshold(w: World) -> None:
    news = w.add_account("news", column_kind="news")
    notices = w.add_account("notices", column_kind="notice", duplicate_reason="栏目")
    policy = w.add_account("policy", column_kind="policy", update_threshold_days=90)
    with session_scope(w.engine) as session:
        found = {
            a.id: (a.column_kind, a.update_threshold_days)
            for a in accounts_db.list_accounts(session=session)
        }
    assert found[news] == ("news", 14)
    assert found[notices] == ("notice", 183)  # six months
    assert found[policy] == ("policy", 90)  # an admin's own threshold wins
    with pytest.raises(InvalidInput, match="only a website column"):
        w.add_account("wb", platform="weibo", column_kind="news")
    with pytest.raises(InvalidInput, match="unknown column kind"):
        w.add_account("x", column_kind="blog")
