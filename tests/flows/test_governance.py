"""Account governance on record: requests, a leader's decisions, the 停更公告 through the
gates and onto the account, the notice period in working days, the closing, the filing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from channels.notice import stop_notice
from console.i18n import alert_kind_label, use_language
from domain.errors import Refused
from flows.trigger import run_flow
from sqlmodel_db import accounts as accounts_db
from sqlmodel_db import alerts as alerts_db
from sqlmodel_db import audit, governance
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db.calendar import china_calendar
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import Account, AccountEvent, Alert, AuditEvent, Draft, Post
from tests.factories import GATE_PEOPLE, World

SH = ZoneInfo("Asia/Shanghai")
CAL = china_calendar()


def _decide(w: World, request_id: int, *, approve: bool = True, today: date) -> Any:
    with session_scope(w.engine) as session:
        return governance.decide(
            session=session,
            actor=w.users["leader"],
            request_id=request_id,
            approve=approve,
            opinion="同意" if approve else "不同意",
            today=today,
            calendar=CAL,
            notice=stop_notice,
        )


def _advance(w: World, now: datetime) -> dict[str, list[int]]:
    with session_scope(w.engine) as session:
        return governance.advance(session=session, now=now, tz=SH, calendar=CAL)


def _state(w: World, account_id: int) -> str:
    with session_scope(w.engine) as session:
        return accounts_db.get_account(session=session, account_id=account_id).state


def test_open_request_approved_starts_the_filing_clock(w: World) -> None:
    w.add_user("wang", "author")
    with session_scope(w.engine) as session:
        request = governance.request_open(
            session=session,
            actor=w.users["wang"],
            platform="weibo",
            name="文旅微博",
            unit="区文旅局",
            responsible="wang",
            reason="开展文旅宣传",
        )
        request_id, account_id = request.id, request.account_id
    assert _state(w, account_id) == "applying"
    who = "admin role or the account.s responsible person"
    with pytest.raises(Refused, match=who), session_scope(w.engine) as session:
        governance.request_change(
            session=session, actor=w.users["author"], account_id=account_id, reason="x", name="y"
        )
    with pytest.raises(Refused, match="leader"), session_scope(w.engine) as session:
        governance.decide(
            session=session,
            actor=w.users["admin"],
            request_id=request_id,
            approve=True,
            opinion="同意",
            today=date(2026, 9, 30),
            calendar=CAL,
        )
    decided = _decide(w, request_id, today=date(2026, 9, 30))
    assert (decided.state, decided.filing_due) == ("approved", "2026-10-20")  # across 国庆
    assert _state(w, account_id) == "active"
    with session_scope(w.engine) as session:
        (alert,) = session.exec(select(Alert).where(Alert.kind == "filing_due")).all()
        assert "2026-10-20" in alert.message and "全国政务新媒体信息报送系统" in alert.message
        filed = governance.filed(
            session=session,
            actor=w.users["admin"],
            account_id=account_id,
            record_no="BA-2026-88",
            today=date(2026, 10, 12),
        )
        assert filed.record_no == "BA-2026-88"
    with session_scope(w.engine) as session:
        account = session.get(Account, account_id)
        assert account and account.record_no == "BA-2026-88" and account.opened_on == "2026-09-30"
        assert session.exec(select(Alert).where(Alert.kind == "filing_due")).one().resolved_at
        events = [e.action for e in session.exec(select(AccountEvent))]
        assert events[-3:] == ["requested", "approve", "filed"]
        audit = [a.action for a in session.exec(select(AuditEvent))]
        assert "account.request_open" in audit and "account.request_approved" in audit


def test_rejected_change_changes_nothing_and_approved_change_applies(w: World) -> None:
    web = w.accounts["web"]
    with session_scope(w.engine) as session:
        first = governance.request_change(
            session=session, actor=w.users["admin"], account_id=web, reason="更名", name="新名"
        ).id
    _decide(w, first, approve=False, today=date(2026, 3, 2))
    with session_scope(w.engine) as session:
        assert accounts_db.get_account(session=session, account_id=web).name == "web"
        second = governance.request_change(
            session=session, actor=w.users["admin"], account_id=web, reason="更名", name="新名"
        ).id
    _decide(w, second, today=date(2026, 3, 2))
    with session_scope(w.engine) as session:
        assert accounts_db.get_account(session=session, account_id=web).name == "新名"


def _publish(w: World, draft_id: int) -> None:
    with session_scope(w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        author = draft.author_id
    who = next(name for name, user in w.users.items() if user.id == author)
    w.submit(draft_id, author=who)
    w.approve_all(draft_id, GATE_PEOPLE)
    run_flow("plan-posts", {"draft_ids": [draft_id]}, settings=w.ctx.settings)
    report = run_flow("dispatch", {}, settings=w.ctx.settings, wait=True).result
    assert report["published"], report


def test_closing_properly(w: World) -> None:
    old = w.add_account("old", responsible="li", contact="0915-1")
    new = w.add_account("new")
    w.add_user("li", "author")
    # A post to the old column waits in the queue (far ahead).
    queued = w.new_draft(targets=[old], title="关于下月活动安排的通知")
    w.submit(queued)
    w.approve_all(queued, GATE_PEOPLE)
    run_flow("plan-posts", {"draft_ids": [queued]}, settings=w.ctx.settings)
    with session_scope(w.engine) as session:
        for post in session.exec(select(Post).where(Post.draft_id == queued)):
            post.due_at = datetime.now(UTC) + timedelta(days=60)
            session.add(post)
        request = governance.request_close(
            session=session,
            actor=w.users["li"],
            account_id=old,
            reason="机构职能调整",
            successor_id=new,
            successor_contact="咨询电话 0915-12345",
        )
        request_id = request.id or 0
    with pytest.raises(Refused, match="waits for a leader"), session_scope(w.engine) as session:
        governance.request_close(session=session, actor=w.users["li"], account_id=old, reason="x")
    # No one closes it by skipping the request.
    with pytest.raises(Refused, match="through a request"), session_scope(w.engine) as session:
        accounts_db.move_account(
            session=session, actor=w.users["admin"], account_id=old, move="close", reason="x"
        )
    today = datetime.now(SH).date()
    decided = _decide(w, request_id, today=today)
    assert decided.notice_draft_id and _state(w, old) == "active"
    with session_scope(w.engine) as session:
        notice = session.get(Draft, decided.notice_draft_id)
        assert notice and notice.author_id == w.users["li"].id
        version = drafts_db.current_version(session=session, draft=notice)
        assert version.targets == [old] and "停止更新" in version.title
        assert "机构职能调整" in version.body and "new" in version.body
        assert "咨询电话 0915-12345" in version.body and "15 个工作日" in version.body
    # Nothing moves until the notice is out.
    assert _advance(w, datetime.now(UTC)) == {}
    _publish(w, decided.notice_draft_id)
    moved = _advance(w, datetime.now(UTC))
    assert moved == {"notice_published": [old]} and _state(w, old) == "closing"
    # The notice period: 15 working days from the notice's publication (its day, which
    # is not ``today`` when Beijing's midnight passed meanwhile).
    with session_scope(w.engine) as session:
        published_on = governance.get_request(
            session=session, request_id=request_id
        ).notice_published_on
    assert published_on is not None
    ends = CAL.add(date.fromisoformat(published_on), 15)
    day_before = datetime.combine(ends - timedelta(days=1), datetime.min.time(), SH)
    assert _advance(w, day_before + timedelta(hours=23, minutes=59)) == {}
    assert _state(w, old) == "closing"
    closed = _advance(w, datetime.combine(ends, datetime.min.time(), SH) + timedelta(hours=6))
    assert closed["closed"] == [old] and _state(w, old) == "closed"
    with session_scope(w.engine) as session:
        states = {p.draft_id: p.state for p in session.exec(select(Post))}
        assert states[queued] == "cancelled" and states[decided.notice_draft_id] == "published"
        cancelled = session.exec(select(Post.id).where(Post.draft_id == queued)).all()
        assert closed["cancelled_posts"] == list(cancelled)
        request = governance.get_request(session=session, request_id=request_id)
        assert request.closed_on == ends.isoformat()
        assert request.filing_due == CAL.add(ends, 5).isoformat()
        (alert,) = session.exec(select(Alert).where(Alert.kind == "filing_due")).all()
        assert request.filing_due in alert.message
        events = session.exec(select(AccountEvent).where(AccountEvent.account_id == old)).all()
        assert [e.action for e in events] == [
            "registered",
            "request_close",
            "approve",
            "notice_published",
            "close",
        ]
        assert events[1].actor_id == w.users["li"].id and events[1].reason == "机构职能调整"
        assert events[2].actor_id == w.users["leader"].id and events[2].reason == "同意"
        governance.filed(
            session=session,
            actor=w.users["admin"],
            account_id=old,
            record_no="ZX-2026-1",
            today=ends,
        )
    with session_scope(w.engine) as session:
        assert session.exec(select(Alert).where(Alert.kind == "filing_due")).one().resolved_at
        # Every account event of the lifecycle is sealed in the audit record.
        verified = audit.verify(session=session)
        assert verified.ok, verified


def test_the_dispatcher_refuses_an_account_that_is_closing(w: World) -> None:
    other = w.add_account("other")
    draft_id = w.new_draft(targets=[w.accounts["web"], other])
    w.submit(draft_id)
    w.approve_all(draft_id, GATE_PEOPLE)
    run_flow("plan-posts", {"draft_ids": [draft_id]}, settings=w.ctx.settings)
    with session_scope(w.engine) as session:
        account = session.get(Account, other)
        assert account is not None
        account.state = "closing"  # its notice is out, the notice period runs
        session.add(account)
    report = run_flow("dispatch", {}, settings=w.ctx.settings, wait=True).result
    assert len(report["published"]) == 1
    with session_scope(w.engine) as session:
        post = session.exec(select(Post).where(Post.account_id == other)).one()
        assert post.state == "cancelled" and "closing" in (post.last_error or "")
    assert not (w.ctx.settings.site_dir / "other").exists()


def test_keepalive_alerts_come_and_go(w: World) -> None:
    web = w.accounts["web"]
    with session_scope(w.engine) as session:
        account = session.get(Account, web)
        assert account is not None
        account.responsible = "张三"
        account.created_at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
        session.add(account)

    def flag(now: datetime) -> list[tuple[str, str]]:
        with session_scope(w.engine) as session:
            alerts_db.flag_stale(session=session, now=now, tz=SH)
            return [
                (a.kind, a.message)
                for a in session.exec(select(Alert).where(Alert.account_id == web))
                if a.resolved_at is None
            ]

    assert flag(datetime(2026, 3, 8, 1, 0, tzinfo=UTC)) == []
    (warning,) = flag(datetime(2026, 3, 9, 1, 0, tzinfo=UTC))
    assert warning[0] == "update_due" and "7 天后" in warning[1] and "张三" in warning[1]
    (again,) = flag(datetime(2026, 3, 10, 1, 0, tzinfo=UTC))
    assert again == warning  # not raised twice
    (three,) = flag(datetime(2026, 3, 13, 1, 0, tzinfo=UTC))
    assert "3 天后" in three[1]  # the 7-day warning closed, the 3-day one raised
    # 23:59 on 16 March in Shanghai is still within the limit; a minute later it is not.
    (last,) = flag(datetime(2026, 3, 16, 15, 59, tzinfo=UTC))
    assert last[0] == "update_due"
    (stale,) = flag(datetime(2026, 3, 16, 16, 0, tzinfo=UTC))
    assert stale[0] == "stale_account" and "15 天未更新" in stale[1]
    # Published: the cause is gone, the alert closes itself.
    draft_id = w.new_draft(targets=[web])
    _publish(w, draft_id)
    with session_scope(w.engine) as session:
        post = session.exec(select(Post).where(Post.draft_id == draft_id)).one()
        post.sent_at = datetime(2026, 3, 17, 2, 0, tzinfo=UTC)
        session.add(post)
    assert flag(datetime(2026, 3, 17, 3, 0, tzinfo=UTC)) == []


def test_an_acknowledged_keepalive_alert_stays_closed_until_its_cause_changes(w: World) -> None:
    web = w.accounts["web"]
    with session_scope(w.engine) as session:
        account = session.get(Account, web)
        assert account is not None
        account.created_at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
        session.add(account)

    def flag(now: datetime) -> list[Alert]:
        with session_scope(w.engine) as session:
            alerts_db.flag_stale(session=session, now=now, tz=SH)
            return list(
                session.exec(
                    select(Alert).where(Alert.account_id == web).where(Alert.resolved_at == None)  # noqa: E711
                )
            )

    def acknowledge(alert: Alert) -> None:
        with session_scope(w.engine) as session:
            alerts_db.acknowledge(
                session=session, actor=w.users["admin"], alert_id=alert.id or 0, note="已电话提醒"
            )

    (seven,) = flag(datetime(2026, 3, 9, 1, 0, tzinfo=UTC))
    acknowledge(seven)
    # The next daily runs do not raise the same warning again: a person has seen to it.
    assert flag(datetime(2026, 3, 10, 1, 0, tzinfo=UTC)) == []
    assert flag(datetime(2026, 3, 11, 1, 0, tzinfo=UTC)) == []
    # The next warning stage is a new cause, raised once, and acknowledged again.
    (three,) = flag(datetime(2026, 3, 13, 1, 0, tzinfo=UTC))
    assert three.kind == "update_due" and "3 天后" in three.message
    acknowledge(three)
    assert flag(datetime(2026, 3, 14, 1, 0, tzinfo=UTC)) == []
    (stale,) = flag(datetime(2026, 3, 16, 16, 0, tzinfo=UTC))
    assert stale.kind == "stale_account"
    acknowledge(stale)
    assert flag(datetime(2026, 3, 18, 1, 0, tzinfo=UTC)) == []
    # It published, then went quiet again: that is a new cause, raised again.
    draft_id = w.new_draft(targets=[web])
    _publish(w, draft_id)
    with session_scope(w.engine) as session:
        post = session.exec(select(Post).where(Post.draft_id == draft_id)).one()
        post.sent_at = datetime(2026, 3, 19, 2, 0, tzinfo=UTC)
        session.add(post)
    assert flag(datetime(2026, 3, 20, 1, 0, tzinfo=UTC)) == []
    (again,) = flag(datetime(2026, 4, 10, 1, 0, tzinfo=UTC))
    assert again.kind == "stale_account"


def test_the_daily_flow_raises_warnings_and_tells_the_wecom_robot(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from domain.settings import load
    from tests.fakes.wecom import FakeWeCom

    quiet = w.add_account("quiet", responsible="赵六")
    with session_scope(w.engine) as session:
        account = session.get(Account, quiet)
        assert account is not None
        account.created_at = datetime.now(UTC) - timedelta(days=8)
        session.add(account)
    with FakeWeCom() as robot:
        monkeypatch.setenv("MATRIXPUB_NOTIFY", robot.webhook)
        settings = load(os.environ)
        result = run_flow("housekeeping", {}, settings=settings, wait=True).result
        assert result["alerts"]["update_due"] == [quiet]
        assert result["notified"]["sent"] == 1
        (message,) = robot.messages
        content = message["markdown"]["content"]
        with use_language("zh_CN"):  # the kind as the console names it
            assert f"**{alert_kind_label('update_due')}**" in content
        assert "quiet" in content and "赵六" in content
        again = run_flow("housekeeping", {}, settings=settings, wait=True).result
        assert again["notified"]["sent"] == 0 and len(robot.messages) == 1
