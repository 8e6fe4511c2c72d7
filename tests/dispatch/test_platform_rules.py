"""The platforms' own rules, through the dispatcher (``claim_batch`` + ``deliver_batch``):
WeChat's daily API quota holds the account's posts until the reset, a server that is not
on the account's IP whitelist pauses its queue with an alert, and a picture WeChat already
holds is never uploaded again, even by another process. The posts are built through the
gates and the planner; the platform is the fake WeChat; the assertions are the stored
rows, the alerts and the requests the fake received."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pytest
import requests
from sqlmodel import select

from channels.registry import build
from channels.wechat import next_daily_reset
from domain.scheduling import Quota
from domain.settings import load
from flows import delivery
from flows.context import FlowContext, channel_config
from sqlmodel_db import accounts as accounts_db
from sqlmodel_db import schedule as schedule_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import Account, PlatformMedia
from sqlmodel_db.types import utcnow
from tests.dispatch.helpers import approved_posts, attempts_by_post, make_due, posts_by_id
from tests.factories import World, jpeg
from tests.fakes import FakeWebhook, FakeWeChat, Status

WORKER = "platform-rules:1"
UPLOADIMG = "/cgi-bin/media/uploadimg"
MATERIAL = "/cgi-bin/material/add_material"
DRAFT = "/cgi-bin/draft/add"
SUBMIT = "/cgi-bin/freepublish/submit"
GET = "/cgi-bin/freepublish/get"
BODY_WITH_PICTURE = "各区县：\n\n![示意图](map.jpg)\n\n现将有关事项通知如下。\n"
_names = itertools.count(1)


@dataclass
class WeChatWorld:
    w: World
    ctx: FlowContext
    wechat: FakeWeChat
    config: object
    http: requests.Session = field(default_factory=requests.Session)

    def account(self) -> int:
        """A new 订阅号 with its credentials in a Prefect Secret block and no daily quota
        of our own (so several posts are due at once)."""
        from flows.secrets import save_secret
        from flows.trigger import connect

        name = f"wx{next(_names)}"
        account = self.w.add_account(name, platform="wechat_oa")
        connect(self.ctx.settings)
        block = f"rules-{name}-{self.wechat.port}"
        save_secret(block, self.wechat.secret, overwrite=True)
        with session_scope(self.w.engine) as session:
            admin = self.w.users["admin"]
            accounts_db.set_secret_block(
                session=session, actor=admin, account_id=account, block=block
            )
            schedule_db.set_policy(session=session, actor=admin, account_id=account, quota="none")
        return account

    def dispatch(self, now: datetime | None = None) -> delivery.BatchReport:
        """Claim due posts (at ``now``, the clock's time by default) and deliver them."""
        report = delivery.BatchReport()
        for _ in range(20):
            ids = delivery.claim_batch(self.ctx, worker=WORKER, limit=50, now=now)
            if not ids:
                return report
            report.merge(delivery.deliver_batch(self.ctx, ids, worker=WORKER, http=self.http))
        raise AssertionError("the dispatcher kept finding due posts")

    def restart(self) -> None:
        """Channels as a new dispatcher process builds them: nothing kept in memory."""
        self.ctx = replace(self.ctx, channels=build(self.config))

    def open_alerts(self, account: int) -> list[tuple[str, str]]:
        with session_scope(self.w.engine) as session:
            return [
                (a.kind, a.message)
                for a in schedule_db.list_alerts(session=session)
                if a.account_id == account
            ]


@pytest.fixture
def ww(prefect_ready: Path, sqlite_world: World) -> Iterator[WeChatWorld]:
    with FakeWeChat() as wechat:
        settings = load(
            {
                "MATRIXPUB_HOME": str(sqlite_world.home),
                "MATRIXPUB_API_HOSTS": f"wechat_oa={wechat.url}",
            }
        )
        config = replace(channel_config(settings), http_timeout=1.5)
        ctx = FlowContext(settings=settings, engine=sqlite_world.engine, channels=build(config))
        world = WeChatWorld(w=sqlite_world, ctx=ctx, wechat=wechat, config=config)
        yield world
        world.http.close()


def test_the_daily_quota_holds_every_post_of_the_account_until_the_reset(
    ww: WeChatWorld,
) -> None:
    account = ww.account()
    now = utcnow()
    ww.ctx.channels["wechat_oa"].clock = lambda: now  # type: ignore[attr-defined]
    reset = next_daily_reset(now)
    first, second = approved_posts(ww.w, [account], drafts=2, cover=jpeg())
    ww.wechat.inject(DRAFT, FakeWeChat.error(45009))

    report = ww.dispatch()
    assert sorted(report.rescheduled + report.retrying) == [first, second]
    assert report.failed == [] and report.paused_accounts == []
    posts = posts_by_id(ww.w.engine, [first, second])
    for post in posts.values():
        assert post.state == "queued" and post.due_at == reset
        assert "daily API quota" in (post.last_error or "")
    assert ww.wechat.count(DRAFT) == 1  # the second post was not tried against a spent quota
    assert len(attempts_by_post(ww.w.engine)[first]) == 1
    [(kind, message)] = ww.open_alerts(account)
    assert kind == "quota_exhausted" and "daily API quota" in message
    with session_scope(ww.w.engine) as session:
        held = session.get(Account, account)
        assert held is not None and not held.paused and held.failures == 0

    # Nothing more goes out before the reset (asked at the test's own time: a run that
    # started seconds before 16:00 UTC would be past the reset by now)...
    assert ww.dispatch(now=now).as_dict() == delivery.BatchReport().as_dict()
    # ...and at the reset both posts go, the cover uploaded once for both.
    make_due(ww.w.engine, [first, second])
    assert sorted(ww.dispatch().published) == [first, second]
    assert ww.wechat.count(MATERIAL) == 1 and ww.wechat.count(SUBMIT) == 2


def test_the_daily_quota_while_a_submitted_post_is_checked_keeps_it_pending(
    ww: WeChatWorld,
) -> None:
    """Where the hold meets exactly-once: the platform took the article (it has a
    publish_id), so a spent quota at freepublish/get holds the status query until the
    reset; the post stays pending with its publish_id, and is never queued to be sent
    again."""
    account = ww.account()
    now = utcnow()
    ww.ctx.channels["wechat_oa"].clock = lambda: now  # type: ignore[attr-defined]
    reset = next_daily_reset(now)
    ww.wechat.publishing_polls = 1  # still publishing when publish() first asks
    (post_id,) = approved_posts(ww.w, [account], drafts=1, cover=jpeg())
    assert ww.dispatch().pending == [post_id]
    publish_id = posts_by_id(ww.w.engine)[post_id].receipt["data"]["publish_id"]

    ww.wechat.inject(GET, FakeWeChat.error(45009))
    make_due(ww.w.engine, [post_id])
    report = ww.dispatch()
    assert report.rescheduled == [post_id] and report.failed == report.unknown == []
    post = posts_by_id(ww.w.engine)[post_id]
    assert post.state == "pending" and post.due_at == reset
    assert post.receipt["data"]["publish_id"] == publish_id
    assert [kind for kind, _ in ww.open_alerts(account)] == ["quota_exhausted"]

    make_due(ww.w.engine, [post_id])
    assert ww.dispatch().published == [post_id]
    assert ww.wechat.count(SUBMIT) == 1  # submitted once, whatever happened after


def test_a_server_off_the_ip_whitelist_pauses_the_queue_with_an_alert(ww: WeChatWorld) -> None:
    account = ww.account()
    (post_id,) = approved_posts(ww.w, [account], drafts=1, cover=jpeg())
    ww.wechat.ip_whitelist = {"203.0.113.7"}

    report = ww.dispatch()
    assert report.failed == [] and report.paused_accounts == [account]
    post = posts_by_id(ww.w.engine)[post_id]
    assert post.state == "queued" and "IP whitelist" in (post.last_error or "")
    [(kind, message)] = ww.open_alerts(account)
    assert kind == "ip_not_whitelisted" and "IP whitelist" in message
    with session_scope(ww.w.engine) as session:
        paused = session.get(Account, account)
        assert paused is not None and paused.paused
        assert "IP whitelist" in (paused.pause_reason or "")
    make_due(ww.w.engine, [post_id])
    assert ww.dispatch().as_dict() == delivery.BatchReport().as_dict()  # it waits

    ww.wechat.ip_whitelist = None  # the address was added on mp.weixin.qq.com
    with session_scope(ww.w.engine) as session:
        schedule_db.unpause_account(
            session=session, actor=ww.w.users["admin"], account_id=account, reason="白名单已加"
        )
    assert ww.dispatch().published == [post_id]


def test_a_picture_wechat_holds_is_never_uploaded_again_by_any_process(
    ww: WeChatWorld,
) -> None:
    account = ww.account()
    draft_id = ww.w.new_draft(title="关于做好防汛工作的通知", targets=[account], cover=jpeg())
    _attach_picture(ww.w, draft_id)
    assert ww.w.submit(draft_id) == "in_review"
    ww.w.approve_all(draft_id)
    (post_id,) = delivery.plan_posts(ww.w.ctx, draft_id)
    # 429 at draft/add: refused before anything was made, so the post is retried (a 503
    # there could come after WeChat acted: that post would be unknown, not retried).
    ww.wechat.inject(DRAFT, Status(429))

    assert ww.dispatch().retrying == [post_id]
    assert (ww.wechat.count(UPLOADIMG), ww.wechat.count(MATERIAL)) == (1, 1)
    with session_scope(ww.w.engine) as session:
        kept = session.exec(select(PlatformMedia).where(PlatformMedia.account_id == account))
        assert sorted(m.kind for m in kept) == ["wechat.material", "wechat.uploadimg"]

    ww.restart()  # another dispatcher process, with nothing in memory
    make_due(ww.w.engine, [post_id])
    assert ww.dispatch().published == [post_id]
    assert (ww.wechat.count(UPLOADIMG), ww.wechat.count(MATERIAL)) == (1, 1)
    [url] = ww.wechat.body_images
    first, second = (r.json["articles"][0] for r in ww.wechat.calls(DRAFT))
    assert first["content"] == second["content"]
    assert first["thumb_media_id"] == second["thumb_media_id"]
    assert url.split("&")[0] in second["content"]


def _attach_picture(w: World, draft_id: int) -> None:
    """The draft's working copy gets a body picture, as `draft edit --image` gives one."""
    from sqlmodel_db import drafts as drafts_db

    with session_scope(w.engine) as session:
        drafts_db.edit_draft(
            session=session,
            actor=w.users["author"],
            draft_id=draft_id,
            body=BODY_WITH_PICTURE,
            add_images={"map.jpg": drafts_db.Upload(jpeg(900, 600, (10, 120, 60)), "image/jpeg")},
        )


def test_weibos_daily_limit_holds_whatever_the_accounts_policy(ww: WeChatWorld) -> None:
    account = ww.w.add_account("weibo-rules", platform="weibo")
    with session_scope(ww.w.engine) as session:
        row = session.get(Account, account)
        assert row is not None
        assert delivery.policy_for(ww.ctx, row).quotas == (Quota(30, "hour"), Quota(100, "day"))
        schedule_db.set_policy(
            session=session, actor=ww.w.users["admin"], account_id=account, quota="none"
        )
        assert delivery.policy_for(ww.ctx, row).quotas == (Quota(100, "day"),)


def test_a_webhook_without_a_signing_secret_gets_nothing_and_waits_with_an_alert(
    ww: WeChatWorld,
) -> None:
    from flows.secrets import save_secret
    from flows.trigger import connect

    with FakeWebhook(signing_secret="whsec-rules-77") as hook:
        account = ww.w.add_account(
            "hook-signed", platform="webhook", url=hook.endpoint, unsigned=False
        )
        (post_id,) = approved_posts(ww.w, [account], drafts=1)

        report = ww.dispatch()
        assert report.failed == [] and report.paused_accounts == [account]
        assert hook.requests == []
        post = posts_by_id(ww.w.engine)[post_id]
        assert post.state == "queued" and "signing_secret" in (post.last_error or "")
        [(kind, message)] = ww.open_alerts(account)
        assert kind == "webhook_unsigned" and "--unsigned" in message

        connect(ww.ctx.settings)
        block = f"rules-hook-{hook.port}"
        save_secret(block, {"signing_secret": "whsec-rules-77"}, overwrite=True)
        with session_scope(ww.w.engine) as session:
            admin = ww.w.users["admin"]
            accounts_db.set_secret_block(
                session=session, actor=admin, account_id=account, block=block
            )
            schedule_db.unpause_account(
                session=session, actor=admin, account_id=account, reason="密钥已配置"
            )
        assert ww.dispatch().published == [post_id]
        [request] = hook.requests
        assert request.extra["signature_valid"] is True
