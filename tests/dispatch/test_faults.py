"""Faults at the platform, through the dispatcher (``claim_batch`` + ``deliver_batch``, and
the ``dispatch`` flow): transient errors back off and give up after MAX_ATTEMPTS,
permanent ones fail at once with the platform's words, a send whose answer was lost is
never repeated, and three failures in a row pause an account's queue until a person lets
it run again. Every post is built through the gates and the planner; the platforms are
the local fakes; the assertions are the stored rows, the requests the fake received, and
what the CLI shows.
"""

from __future__ import annotations

import contextvars
import itertools
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlmodel import select

from channels.registry import build
from domain.settings import load
from flows import delivery
from flows.context import FlowContext, channel_config
from flows.runtime import free_port
from sqlmodel_db import accounts as accounts_db
from sqlmodel_db import posts as posts_db
from sqlmodel_db import schedule as schedule_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import Account, DeliveryResult
from sqlmodel_db.types import utcnow
from tests.dispatch.helpers import (
    approved_posts,
    attempts_by_post,
    cli_json,
    database_url,
    make_due,
    posts_by_id,
    sent_per_key,
)
from tests.factories import World, jpeg
from tests.fakes import (
    Acted,
    Drop,
    FakeWebhook,
    FakeWeChat,
    FakeWeibo,
    Fault,
    Held,
    Slow,
    Status,
)

WORKER = "faults-test:1"
TIMEOUT = 1.5  # the channels' HTTP timeout here (10 s by default), so timeouts are quick
TOKEN = "/cgi-bin/stable_token"
MATERIAL = "/cgi-bin/material/add_material"
DRAFT = "/cgi-bin/draft/add"
SUBMIT = "/cgi-bin/freepublish/submit"
GET = "/cgi-bin/freepublish/get"
BATCHGET = "/cgi-bin/freepublish/batchget"
HOOK = "/hooks/matrixpub"
SHARE = "/2/statuses/share.json"
SITE_URL = "https://www.example.gov.cn"
_names = itertools.count(1)


@dataclass
class Platforms:
    w: World
    ctx: FlowContext
    webhook: FakeWebhook
    wechat: FakeWeChat
    weibo: FakeWeibo
    http: requests.Session = field(default_factory=requests.Session)

    def webhook_post(self, *, url: str | None = None) -> tuple[int, int]:
        """(post id, account id): one approved post to a new webhook account."""
        account = self.w.add_account(
            f"hook{next(_names)}", platform="webhook", url=url or self.webhook.endpoint
        )
        (post,) = approved_posts(self.w, [account], drafts=1)
        return post, account

    def wechat_post(self, *, title: str = "关于做好防汛工作的通知") -> tuple[int, int]:
        """(post id, account id): one approved post to a new 订阅号 whose credentials are
        in a Prefect Secret block, as `matrixpub account credentials` stores them."""
        from flows.secrets import save_secret
        from flows.trigger import connect

        name = f"wx{next(_names)}"
        account = self.w.add_account(name, platform="wechat_oa")
        connect(self.ctx.settings)
        block = f"faults-{name}-{self.wechat.port}"
        save_secret(block, self.wechat.secret, overwrite=True)
        with session_scope(self.w.engine) as session:
            accounts_db.set_secret_block(
                session=session, actor=self.w.users["admin"], account_id=account, block=block
            )
        (post,) = approved_posts(self.w, [account], drafts=1, title=title, cover=jpeg())
        return post, account

    def weibo_post(self, *, title: str = "关于做好防汛工作的通知") -> tuple[int, int]:
        """(post id, account id): one approved post to a new Weibo account; the draft also
        goes to the website, whose article link Weibo's share needs."""
        name = f"wb{next(_names)}"
        account = self.w.add_account(name, platform="weibo")
        # With the rip Weibo now requires: the account's own credential field.
        self.store_secret(account, {**self.weibo.secret, "rip": "203.0.113.10"})
        posts = approved_posts(self.w, [self.w.accounts["web"], account], drafts=1, title=title)
        rows = posts_by_id(self.w.engine, posts)
        (post,) = [i for i in posts if rows[i].account_id == account]
        return post, account

    def store_secret(self, account: int, value: dict[str, str]) -> None:
        from flows.secrets import save_secret
        from flows.trigger import connect

        connect(self.ctx.settings)
        block = f"faults-{account}-{next(_names)}"
        save_secret(block, value, overwrite=True)
        with session_scope(self.w.engine) as session:
            accounts_db.set_secret_block(
                session=session, actor=self.w.users["admin"], account_id=account, block=block
            )

    def dispatch(self) -> delivery.BatchReport:
        """What one dispatcher pass does: look up the posts of unknown outcome the platform
        can be asked about, then claim due posts and deliver them, until none."""
        delivery.reconcile_unknown(self.ctx, http=self.http)
        report = delivery.BatchReport()
        for _ in range(20):
            ids = delivery.claim_batch(self.ctx, worker=WORKER, limit=50)
            if not ids:
                return report
            report.merge(delivery.deliver_batch(self.ctx, ids, worker=WORKER, http=self.http))
        raise AssertionError("the dispatcher kept finding due posts")

    def paused(self, account_id: int) -> bool:
        with session_scope(self.w.engine) as session:
            account = session.get(Account, account_id)
            assert account is not None
            return account.paused

    def cli(self, *args: Any, expect: int = 0) -> Any:
        return cli_json(
            *args,
            home=self.w.home,
            database_url=database_url(self.w),
            token=self.w.tokens["admin"],
            expect=expect,
        )


@pytest.fixture
def p(prefect_ready: Path, sqlite_world: World) -> Iterator[Platforms]:
    sqlite_world.environ["MATRIXPUB_SITE_URL"] = SITE_URL
    with FakeWebhook() as webhook, FakeWeChat() as wechat, FakeWeibo() as weibo:
        settings = load(
            {
                "MATRIXPUB_HOME": str(sqlite_world.home),
                "MATRIXPUB_API_HOSTS": f"wechat_oa={wechat.url},weibo={weibo.url}",
                "MATRIXPUB_SITE_URL": SITE_URL,
            }
        )
        config = replace(channel_config(settings), http_timeout=TIMEOUT)
        ctx = FlowContext(settings=settings, engine=sqlite_world.engine, channels=build(config))
        platforms = Platforms(w=sqlite_world, ctx=ctx, webhook=webhook, wechat=wechat, weibo=weibo)
        yield platforms
        platforms.http.close()


# -- transient errors ----------------------------------------------------------------------
def _http_500(p: Platforms) -> tuple[int, int, Callable[[], int]]:
    post, account = p.webhook_post()
    p.webhook.inject(HOOK, Status(500), times=10)
    return post, account, lambda: p.webhook.count(HOOK)


def _http_429(p: Platforms) -> tuple[int, int, Callable[[], int]]:
    post, account = p.webhook_post()
    p.webhook.inject(HOOK, Status(429, b"slow down"), times=10)
    return post, account, lambda: p.webhook.count(HOOK)


def _refused(p: Platforms) -> tuple[int, int, Callable[[], int]]:
    post, account = p.webhook_post(url=f"http://127.0.0.1:{free_port()}/hooks")
    return post, account, lambda: 0  # nothing listens: no request can arrive anywhere


TRANSIENT = {
    "http-500": (_http_500, "webhook POST: the platform answered HTTP 500; try again later"),
    "http-429": (_http_429, "webhook POST: the platform answered HTTP 429; try again later"),
    "connection-refused": (_refused, "webhook POST: could not connect to the platform"),
}


def test_the_backoff_jitter_leaves_the_global_random_state_alone() -> None:
    # The dispatcher's threads draw their jitter while other code (a seeded simulation,
    # a property test drawing its examples) relies on the random module's state.
    state = random.getstate()
    waits = {delivery.backoff(3).total_seconds() for _ in range(50)}
    assert random.getstate() == state
    ceiling = min(delivery.BACKOFF_CAP, delivery.BACKOFF_BASE * 4).total_seconds()
    assert len(waits) > 1 and all(ceiling / 2 <= w <= ceiling for w in waits), waits


@pytest.mark.parametrize("fault", list(TRANSIENT))
def test_transient_errors_back_off_and_give_up_after_max_attempts(p: Platforms, fault: str) -> None:
    make, message = TRANSIENT[fault]
    post_id, account, requests_seen = make(p)
    delays: list[float] = []
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        report = p.dispatch()
        post = posts_by_id(p.w.engine)[post_id]
        last = attempts_by_post(p.w.engine)[post_id][-1]
        assert post.attempts == attempt and last.number == attempt
        assert message in (post.last_error or ""), post.last_error
        if fault != "connection-refused":
            assert requests_seen() == attempt  # one request per attempt, no hidden retries
        if attempt == delivery.MAX_ATTEMPTS:
            break
        assert (post.state, report.retrying, last.outcome) == ("queued", [post_id], "queued")
        # Exponential backoff with jitter: between half and all of 30 s·2^(n-1).
        assert last.finished_at is not None
        delay = (post.due_at - last.finished_at).total_seconds()
        ceiling = min(
            delivery.BACKOFF_CAP, delivery.BACKOFF_BASE * 2 ** (attempt - 1)
        ).total_seconds()
        assert ceiling / 2 - 1 <= delay <= ceiling, (attempt, delay, ceiling)
        delays.append(delay)
        assert p.dispatch().retrying == []  # not due yet: nothing is claimed
        if attempt == schedule_db.PAUSE_AFTER_FAILURES:
            # Three failures in a row pause the account; a person lets it run again.
            assert p.paused(account) and report.paused_accounts == [account]
            p.cli("account", "unpause", account, "--reason", "平台已恢复")
        make_due(p.w.engine, [post_id])
    assert delays == sorted(delays) and delays[-1] > delays[0]
    assert (post.state, report.failed, last.outcome) == ("failed", [post_id], "failed")
    assert post.last_error is not None and post.last_error.startswith(
        f"gave up after {delivery.MAX_ATTEMPTS} attempts; last error: "
    )
    make_due(p.w.engine, [post_id])
    assert p.dispatch().as_dict() == delivery.BatchReport().as_dict()  # failed stays failed


def test_a_retry_after_from_the_platform_is_respected(p: Platforms) -> None:
    post_id, _ = p.webhook_post()
    p.webhook.inject(HOOK, Status(429, headers=(("Retry-After", "3600"),)))
    assert p.dispatch().retrying == [post_id]
    post = posts_by_id(p.w.engine)[post_id]
    (attempt,) = attempts_by_post(p.w.engine)[post_id]
    assert attempt.finished_at is not None
    assert post.due_at - attempt.finished_at >= timedelta(seconds=3599)


# -- permanent errors ----------------------------------------------------------------------
def _webhook_400(p: Platforms) -> tuple[int, Callable[[], dict[str, int]]]:
    post, _ = p.webhook_post()
    p.webhook.inject(HOOK, FakeWebhook.reply(400, {"error": "字段 article.title 不合法"}))
    return post, lambda: {HOOK: p.webhook.count(HOOK)}


def _wechat_submit(errcode: int) -> Callable[[Platforms], tuple[int, Callable[[], Any]]]:
    def make(p: Platforms) -> tuple[int, Callable[[], dict[str, int]]]:
        post, _ = p.wechat_post()
        p.wechat.inject(SUBMIT, FakeWeChat.error(errcode))
        return post, lambda: {path: p.wechat.count(path) for path in (TOKEN, DRAFT, SUBMIT)}

    return make


def _wechat_bad_credentials(p: Platforms) -> tuple[int, Callable[[], dict[str, int]]]:
    post, _ = p.wechat_post()
    p.wechat.inject(MATERIAL, FakeWeChat.error(40001), times=2)
    return post, lambda: {path: p.wechat.count(path) for path in (TOKEN, MATERIAL, DRAFT)}


PERMANENT: dict[str, tuple[Any, list[str], dict[str, int]]] = {
    "webhook-400": (
        _webhook_400,
        ["the webhook endpoint refused the post: HTTP 400", "字段 article.title 不合法"],
        {HOOK: 1},
    ),
    "wechat-45028": (
        _wechat_submit(45028),
        ["WeChat refused freepublish/submit: 45028 no publish quota left", "has no publish quota"],
        {TOKEN: 1, DRAFT: 1, SUBMIT: 1},
    ),
    "wechat-53503": (
        _wechat_submit(53503),
        ["53503 the draft did not pass the publish check", "该草稿未通过发布检查"],
        {TOKEN: 1, DRAFT: 1, SUBMIT: 1},
    ),
    # The first refusal drops the token and fetches one more; the second is final.
    "wechat-bad-credentials": (
        _wechat_bad_credentials,
        ["WeChat rejected the credentials: 40001", "even with a fresh access token"],
        {TOKEN: 2, MATERIAL: 2, DRAFT: 0},
    ),
}


@pytest.mark.parametrize("fault", list(PERMANENT))
def test_permanent_errors_fail_at_once_with_the_platforms_message(p: Platforms, fault: str) -> None:
    make, messages, expected_requests = PERMANENT[fault]
    post_id, requests_seen = make(p)
    report = p.dispatch()
    assert report.failed == [post_id] and report.retrying == []
    post = posts_by_id(p.w.engine)[post_id]
    (attempt,) = attempts_by_post(p.w.engine)[post_id]
    assert (post.state, post.attempts, attempt.outcome) == ("failed", 1, "failed")
    for message in messages:
        assert message in (post.last_error or ""), post.last_error
        assert message in report.messages[post_id]
    assert requests_seen() == expected_requests
    make_due(p.w.engine, [post_id])
    p.dispatch()
    assert requests_seen() == expected_requests  # never tried again
    if fault.startswith("wechat"):
        assert p.wechat.delivery_count("关于做好防汛工作的通知") == 0
        assert p.wechat.appsecret not in (post.last_error or "")


# -- an answer lost after a non-idempotent step --------------------------------------------
LOST: dict[str, tuple[str, Fault, int]] = {
    # (step, fault, articles the platform published)
    "submit-timeout": (SUBMIT, Slow(TIMEOUT + 1.5), 1),
    "submit-dropped": (SUBMIT, Drop(), 1),
    "submit-acted-then-502": (SUBMIT, Acted(502), 1),
    "submit-busy": (SUBMIT, FakeWeChat.error(-1), 0),
    "draft-add-timeout": (DRAFT, Slow(TIMEOUT + 1.5), 0),
    "draft-add-acted-then-504": (DRAFT, Acted(504), 0),
}


@pytest.mark.parametrize("fault", list(LOST))
def test_a_lost_answer_after_a_non_idempotent_step_is_unknown_and_never_resent(
    p: Platforms, fault: str
) -> None:
    path, injected, published = LOST[fault]
    title = "关于做好防汛工作的通知"
    post_id, _ = p.wechat_post(title=title)
    p.wechat.inject(path, injected)
    report = p.dispatch()
    assert report.unknown == [post_id] and report.retrying == report.failed == []
    post = posts_by_id(p.w.engine)[post_id]
    (attempt,) = attempts_by_post(p.w.engine)[post_id]
    assert (post.state, attempt.outcome) == ("unknown", "unknown")
    step = "freepublish/submit" if path == SUBMIT else "draft/add"
    assert f"WeChat {step}" in (post.last_error or "")
    assert "may have acted on it" in (post.last_error or "")
    assert "not sent again" in (post.last_error or "")
    if path == SUBMIT:  # what a person or a reconciler needs to look it up
        assert (post.receipt or {}).get("data", {}).get("media_id", "").startswith("DRAFT_")
    assert p.wechat.delivery_count(title) == published
    make_due(p.w.engine, [post_id])
    again = p.dispatch()
    assert again.as_dict() == delivery.BatchReport().as_dict()
    assert p.wechat.count(path) == 1 and p.wechat.delivery_count(title) == published
    post = posts_by_id(p.w.engine)[post_id]
    if published:  # found among the published articles by the time it was submitted
        assert p.wechat.count(BATCHGET) >= 1
        assert post.state == "published" and (post.url or "").startswith("https://mp.weixin")
        assert "freepublish/batchget" in post.receipt["detail"]
        assert p.cli("alerts") == []
    else:  # nothing to find: it waits for a person
        assert post.state == "unknown"
        assert [a["kind"] for a in p.cli("alerts")] == ["unknown_send"]


def _pending_wechat_post(p: Platforms) -> int:
    """A WeChat post submitted and still publishing (its publish_id on record)."""
    p.wechat.publishing_polls = 1
    post_id, _ = p.wechat_post()
    assert p.dispatch().pending == [post_id]
    make_due(p.w.engine, [post_id])
    return post_id


@pytest.mark.parametrize(
    "fault",
    [FakeWeChat.error(48001), Status(403, b"forbidden"), Status(404, b"not found")],
    ids=["errcode-48001", "http-403", "http-404"],
)
def test_a_failed_status_query_never_fails_a_submitted_post(p: Platforms, fault: Fault) -> None:
    """A permanent error of freepublish/get says nothing about the article, which WeChat
    took: the post goes to unknown with its publish_id kept, `post retry` refuses it, and
    the next pass looks it up again and finds it published. It is submitted once."""
    post_id = _pending_wechat_post(p)
    publish_id = posts_by_id(p.w.engine)[post_id].receipt["data"]["publish_id"]
    p.wechat.inject(GET, fault)
    report = p.dispatch()
    assert report.unknown == [post_id] and report.failed == [], report.messages
    post = posts_by_id(p.w.engine)[post_id]
    assert post.state == "unknown" and "the status query failed" in (post.last_error or "")
    assert post.receipt["data"]["publish_id"] == publish_id
    refusal = p.cli("post", "retry", post_id, expect=1)
    assert "only a failed post is retried" in refusal["error"]
    make_due(p.w.engine, [post_id])
    p.dispatch()
    post = posts_by_id(p.w.engine)[post_id]
    assert post.state == "published" and (post.url or "").startswith("https://mp.weixin")
    assert p.wechat.count(SUBMIT) == 1 and p.wechat.delivery_count("关于做好防汛工作的通知") == 1


def test_retry_refuses_a_post_the_platform_took(p: Platforms) -> None:
    """WeChat took the article and then reported it did not publish it (publish_status 3):
    the post failed, but its receipt holds the publish_id, so `post retry` — which would
    submit the article again — is refused; a person resolves or cancels it."""
    p.wechat.final_status = 3
    post_id = _pending_wechat_post(p)
    assert p.dispatch().failed == [post_id]
    post = posts_by_id(p.w.engine)[post_id]
    assert post.state == "failed" and post.receipt["data"]["publish_id"]
    refusal = p.cli("post", "retry", post_id, expect=1)
    assert "the platform accepted post" in refusal["error"]
    assert "publish_id" in refusal["error"]
    assert posts_by_id(p.w.engine)[post_id].state == "failed"
    assert p.wechat.count(SUBMIT) == 1


def test_unknown_with_a_publish_id_is_reconciled_with_freepublish_get(p: Platforms) -> None:
    post_id = _pending_wechat_post(p)
    p.wechat.inject(GET, Drop(act=False), times=1)  # the status query's answer is lost
    p.wechat.inject(GET, FakeWeChat.error(48001), times=1)
    p.dispatch()  # the lost answer: still pending, asked again later
    make_due(p.w.engine, [post_id])
    assert p.dispatch().unknown == [post_id]  # 48001: unknown
    make_due(p.w.engine, [post_id])
    gets = p.wechat.count(GET)
    p.dispatch()
    assert p.wechat.count(GET) == gets + 1 and p.wechat.count(BATCHGET) == 0
    assert posts_by_id(p.w.engine)[post_id].state == "published"
    assert p.cli("alerts") == []


@pytest.mark.parametrize(
    "fault",
    [Acted(502), Acted(500), Acted(408), FakeWeibo.error(10001, status=503), Drop()],
    ids=["acted-502", "acted-500", "acted-408", "busy-10001", "dropped"],
)
def test_a_weibo_share_that_may_have_gone_out_is_unknown_and_never_resent(
    p: Platforms, fault: Fault
) -> None:
    post_id, _ = p.weibo_post()
    p.weibo.inject(SHARE, fault)
    report = p.dispatch()
    assert report.unknown == [post_id] and report.retrying == [], report.messages
    post = posts_by_id(p.w.engine)[post_id]
    assert post.state == "unknown" and "not sent again" in (post.last_error or "")
    make_due(p.w.engine, [post_id])
    assert p.dispatch().as_dict() == delivery.BatchReport().as_dict()
    assert p.weibo.count(SHARE) == 1
    assert len(p.weibo.statuses) == (0 if "error" in str(fault) else 1)


# -- an answer that comes after a person settled the post -----------------------------------
def _late_answer(p: Platforms, settle: list[str]) -> tuple[int, dict[str, Any]]:
    """A Weibo share whose answer is held at the platform (which did post it) while its
    dispatcher's lease runs out, another dispatcher gives the send up as unknown, and a
    person settles it with ``matrixpub post resolve POST_ID *settle``; then the answer
    comes. Returns the post id and the report of the dispatcher that waited."""
    post_id, _ = p.weibo_post()
    held = Held()
    p.weibo.inject(SHARE, held)
    patient = FlowContext(
        settings=p.ctx.settings,
        engine=p.ctx.engine,
        channels=build(replace(channel_config(p.ctx.settings), http_timeout=60)),
    )
    ids = delivery.claim_batch(patient, worker="slow:1", limit=50)
    assert post_id in ids
    out: dict[str, Any] = {}
    context = contextvars.copy_context()  # this thread's Prefect settings (its API URL)
    sender = threading.Thread(
        target=lambda: context.run(
            lambda: out.update(
                report=delivery.deliver_batch(patient, ids, worker="slow:1", http=p.http)
            )
        )
    )
    sender.start()
    try:
        assert held.arrived.wait(30), "the share never reached the platform"
        with session_scope(p.w.engine) as session:  # another dispatcher, an hour later
            moved = posts_db.recover_expired(session=session, now=utcnow() + timedelta(hours=1))
        assert moved["unknown"] == [post_id]
        settled = p.cli("post", "resolve", post_id, *settle)
        assert settled["state"] == ("queued" if settle == ["--not-published"] else "published")
    finally:
        held.release.set()
        sender.join(60)
    return post_id, out["report"].as_dict()


def test_a_late_answer_after_a_person_requeued_the_post_is_kept_and_never_resent(
    p: Platforms,
) -> None:
    post_id, report = _late_answer(p, ["--not-published"])
    assert report["late"] == [post_id] and post_id not in report["published"]
    post = posts_by_id(p.w.engine)[post_id]
    assert post.state == "published" and (post.url or "").startswith("https://weibo.com/")
    (attempt,) = attempts_by_post(p.w.engine)[post_id]
    assert attempt.outcomes == ("unknown", "published")  # both facts, in order
    alerts = {a["kind"]: a for a in p.cli("alerts")}
    assert set(alerts) == {"late_outcome"}, alerts
    assert (
        "was queued when the platform's late answer: published" in alerts["late_outcome"]["message"]
    )
    assert "it is not sent again" in alerts["late_outcome"]["message"]
    make_due(p.w.engine, [post_id])
    p.dispatch()
    assert p.weibo.count(SHARE) == 1 and len(p.weibo.statuses) == 1
    actions = [e["action"] for e in p.cli("audit", "log", "--subject", f"post:{post_id}")]
    assert "post.queued" in actions and "post.late_outcome" in actions


def test_a_late_answer_after_a_person_recorded_the_post_live_is_kept_beside_it(
    p: Platforms,
) -> None:
    post_id, report = _late_answer(p, ["--published", "https://weibo.com/1/by-hand"])
    assert report["late"] == [post_id]
    post = posts_by_id(p.w.engine)[post_id]
    assert (post.state, post.url) == ("published", "https://weibo.com/1/by-hand")
    with session_scope(p.w.engine) as session:
        results = session.exec(
            select(DeliveryResult).where(DeliveryResult.post_id == post_id)
        ).all()
    assert [(r.outcome, r.applied) for r in results] == [("unknown", True), ("published", False)]
    (alert,) = p.cli("alerts")
    assert alert["kind"] == "late_outcome" and "nothing was changed" in alert["message"]


def test_a_send_of_unknown_outcome_is_listed_by_matrixpub_alerts(p: Platforms) -> None:
    """`matrixpub alerts` is "what needs a person: paused queues, stale accounts, sends of
    unknown outcome" (its help); a post in unknown waits for `matrixpub post resolve`."""
    post_id, account = p.wechat_post()
    p.wechat.inject(SUBMIT, Drop())
    assert p.dispatch().unknown == [post_id]
    alerts = p.cli("alerts")
    assert [(a["post_id"], a["account_id"]) for a in alerts] == [(post_id, account)], alerts
    resolved = p.cli("post", "resolve", post_id, "--published", "https://mp.weixin.qq.com/s/x")
    assert resolved["state"] == "published"
    assert p.cli("alerts") == []


# -- three failures in a row pause the account ---------------------------------------------
def test_three_failures_in_a_row_pause_the_account_until_a_person_unpauses_it(
    p: Platforms, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.trigger import run_flow

    w = p.w
    failing = w.add_account("failing", platform="webhook", url=f"{p.webhook.url}/hooks/a")
    healthy = w.add_account("healthy", platform="webhook", url=f"{p.webhook.url}/hooks/b")
    posts = approved_posts(w, [failing, healthy], drafts=5)
    rows = posts_by_id(w.engine)
    of_failing = [i for i in posts if rows[i].account_id == failing]
    of_healthy = [i for i in posts if rows[i].account_id == healthy]
    p.webhook.inject("/hooks/a", Status(503, b"upstream unavailable"), times=3)
    monkeypatch.setenv("MATRIXPUB_HOME", str(w.home))
    monkeypatch.setenv("MATRIXPUB_DATABASE_URL", database_url(w))

    report = run_flow("dispatch", {}, settings=p.ctx.settings, wait=True).result
    assert report["paused_accounts"] == [failing]
    assert sorted(report["published"]) == sorted(of_healthy)  # other accounts keep flowing
    assert report["retrying"] == of_failing[:3]
    assert sorted(report["rescheduled"]) == sorted(of_failing[3:])
    assert p.webhook.count("/hooks/a") == 3  # the rest of its queue was not attempted
    assert p.paused(failing)

    (alert,) = p.cli("alerts")
    assert (alert["kind"], alert["account_id"], alert["resolved_at"]) == (
        "queue_paused",
        failing,
        None,
    )
    assert "3 deliveries failed in a row" in alert["message"]
    assert "HTTP 503" in alert["message"]

    make_due(w.engine, of_failing)  # even when due, a paused queue waits
    report = run_flow("dispatch", {}, settings=p.ctx.settings, wait=True).result
    assert report["published"] == [] and report["retrying"] == []
    assert p.webhook.count("/hooks/a") == 3
    assert {posts_by_id(w.engine)[i].state for i in of_failing} == {"queued"}

    unpaused = p.cli("account", "unpause", failing, "--reason", "接口已恢复")
    assert unpaused["id"] == failing
    assert p.cli("alerts") == []
    report = run_flow("dispatch", {}, settings=p.ctx.settings, wait=True).result
    assert sorted(report["published"]) == sorted(of_failing)
    rows = posts_by_id(w.engine)
    assert {rows[i].state for i in posts} == {"published"}
    sent = sent_per_key(p.webhook)
    assert [sent[rows[i].idempotency_key] for i in of_failing] == [2, 2, 2, 1, 1]
    assert all(p.webhook.received[rows[i].idempotency_key] == 1 for i in posts)


# -- credentials, read where the sends happen -----------------------------------------------
def test_accounts_served_side_by_side_read_their_credentials_from_the_same_server(
    p: Platforms, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accounts are served in worker threads, which do not inherit Prefect's settings
    context: each must still reach this process's Prefect server for its Secret block
    (Prefect is never left to start a server of its own), once per account and batch."""
    from flows import secrets

    first, _ = p.wechat_post(title="关于做好防汛工作的通知")
    second, _ = p.wechat_post(title="关于开展文明旅游宣传的通知")
    loads: list[str] = []
    real = secrets.load_secret
    monkeypatch.setattr(secrets, "load_secret", lambda name: loads.append(name) or real(name))
    report = p.dispatch()
    assert sorted(report.published) == sorted([first, second]), report.messages
    assert len(loads) == 2 and len(set(loads)) == 2, loads
