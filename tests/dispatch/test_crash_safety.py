"""A dispatcher that dies, or outlives its lease: nothing is lost, nothing is sent twice,
and what may or may not have reached the platform waits for a person.

- A ``matrixpub dispatch --once --json`` process on PostgreSQL is killed with SIGKILL in
  the middle of a batch, and again while the platform holds one of its requests; a new
  process finishes the work and a person settles the sends of unknown outcome with
  ``matrixpub post resolve``.
- A claim's lease is stamped by the process that claims (``lease_until = now + its
  MATRIXPUB_DISPATCH_LEASE_SECONDS``), so the process that is going to be killed runs
  with the short lease. It is alone while it runs, and a process never recovers its own
  claims in the middle of a batch, so nothing is taken from a live dispatcher; a third
  test runs a new dispatcher with a one-second lease beside a live one to show it.
- The last test is the case a lease is for: a live dispatcher whose lease ran out as it
  started a send, and another dispatcher recovering expired claims at that instant.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import event, text
from sqlalchemy.orm import Session
from sqlmodel import select

from flows import delivery
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import AuditEvent
from sqlmodel_db.types import utcnow
from tests.dispatch.helpers import (
    ControlledWebhook,
    Dispatcher,
    approved_posts,
    attempts_by_post,
    cli_json,
    database_url,
    posts_by_id,
    sent_per_key,
    states,
    wait_until,
    webhook_accounts,
    workers_sending,
)
from tests.factories import World

LEASE = 3.0  # seconds, for the process that is killed and the ones after it


def wait_past_leases(w: World) -> None:
    """Sleep until every claim left behind has run out."""
    leases = [p.lease_until for p in posts_by_id(w.engine).values() if p.lease_until]
    if leases:
        time.sleep(max(0.0, (max(leases) - utcnow()).total_seconds()) + 0.5)


def test_sigkill_mid_batch_loses_nothing_and_sends_nothing_twice(
    pg_world: World,
    fake: ControlledWebhook,
    spawn: Callable[..., Dispatcher],
    prefect_api: str,
) -> None:
    w = pg_world
    accounts = webhook_accounts(w, 10, fake.endpoint)
    posts = approved_posts(w, accounts, drafts=12)
    url, token = database_url(w), w.tokens["admin"]
    fake.delay = 0.3  # a slow platform: each send is delivered 0.3 s before it is answered

    killed = spawn("killed", database_url=url, token=token, api_url=prefect_api, lease=LEASE)
    wait_until(lambda: states(w.engine)["published"] >= 10, timeout=120, what="10 posts published")
    killed.kill()

    # What the dead process left behind: claims whose request had started, and claims
    # it had not got to yet.
    rows = posts_by_id(w.engine)
    attempts = attempts_by_post(w.engine)
    sending = {i for i, p in rows.items() if p.state == "sending"}
    started = {i for i in sending if attempts.get(i) and attempts[i][-1].finished_at is None}
    not_started = sending - started
    published_before = {i for i, p in rows.items() if p.state == "published"}
    assert {p.lease_owner for i, p in rows.items() if i in sending} == {killed.worker}
    assert started, "the kill came when no request was in flight; the test proved nothing"
    assert not_started, "the kill came when the batch had no unsent claims left"
    assert len(published_before) < len(posts)

    fake.delay = 0.0
    wait_past_leases(w)
    restarted = spawn("restarted", database_url=url, token=token, api_url=prefect_api, lease=LEASE)
    report = restarted.finish(timeout=180)

    rows = posts_by_id(w.engine)
    attempts = attempts_by_post(w.engine)
    # Nothing lost: every post published, or unknown for a person to settle.
    assert set(rows) == set(posts)
    assert {p.state for p in rows.values()} <= {"published", "unknown"}
    unknown = {i for i, p in rows.items() if p.state == "unknown"}
    # Unknown exactly where the dead process had started a request, never re-sent.
    assert unknown == started
    for post_id in unknown:
        (attempt,) = attempts[post_id]
        assert (attempt.worker, attempt.outcome) == (killed.worker, "unknown")
        assert "in flight" in (attempt.detail or "")
        assert "whether the platform received it is unknown" in (rows[post_id].last_error or "")
    # Claimed but never started: released and sent by the next process, once.
    assert not_started <= set(report["published"])
    assert set(report["published"]) == set(posts) - published_before - unknown
    for post_id in set(posts) - unknown:
        (attempt,) = attempts[post_id]
        assert attempt.outcome == "published"
    # Nothing twice at the platform; every published post's key arrived exactly once.
    sent = sent_per_key(fake)
    assert max(sent.values()) == 1
    assert all(sent[rows[i].idempotency_key] == 1 for i in set(posts) - unknown)
    with session_scope(w.engine) as session:
        expired = {
            int(e.subject_id)
            for e in session.exec(
                select(AuditEvent).where(AuditEvent.action == "post.lease_expired")
            )
        }
    assert expired == sending


def test_sigkill_while_a_request_is_held_then_a_person_resolves(
    pg_world: World,
    fake: ControlledWebhook,
    spawn: Callable[..., Dispatcher],
    prefect_api: str,
) -> None:
    w = pg_world
    a1, a2, a3, a4 = webhook_accounts(w, 4, fake.endpoint)
    first = approved_posts(w, [a1, a2, a3, a4], drafts=1, title="第一批通知")
    second = approved_posts(w, [a1, a2, a3, a4], drafts=1, title="第二批通知")
    rows = posts_by_id(w.engine)
    by_account = {rows[i].account_id: i for i in first}
    delivered, not_taken = by_account[a1], by_account[a2]
    url, token = database_url(w), w.tokens["admin"]
    cli = {"home": w.home, "database_url": url, "token": token}
    # The platform takes `delivered` and its answer never comes back; it holds
    # `not_taken` without ever acting on it. Both are in flight when the process dies.
    held_delivered = fake.hold(rows[delivered].idempotency_key, act=True)
    held_not_taken = fake.hold(rows[not_taken].idempotency_key, act=False)

    killed = spawn("killed", database_url=url, token=token, api_url=prefect_api, lease=LEASE)
    assert held_delivered.arrived.wait(120) and held_not_taken.arrived.wait(120)
    others = [i for i in first + second if rows[i].account_id in (a3, a4)]
    wait_until(
        lambda: {p.state for p in posts_by_id(w.engine, others).values()} == {"published"},
        timeout=60,
        what="the other accounts' posts to be published",
    )
    killed.kill()
    fake.release_all()
    queued_behind = {i for i in second if rows[i].account_id in (a1, a2)}
    left = posts_by_id(w.engine, [delivered, not_taken, *queued_behind])
    assert {i: p.state for i, p in left.items()} == dict.fromkeys(left, "sending")

    wait_past_leases(w)
    report = spawn(
        "restarted", database_url=url, token=token, api_url=prefect_api, lease=LEASE
    ).finish(timeout=120)
    assert set(report["published"]) == queued_behind
    after = posts_by_id(w.engine)
    assert after[delivered].state == after[not_taken].state == "unknown"
    sent = sent_per_key(fake)
    key_delivered, key_not_taken = rows[delivered].idempotency_key, rows[not_taken].idempotency_key
    assert sent[key_delivered] == 1 and sent[key_not_taken] == 1  # never re-sent
    assert fake.received[key_delivered] == 1 and fake.received[key_not_taken] == 0
    assert all(sent[rows[i].idempotency_key] == 1 for i in set(first + second))

    # A person looked at the platform: one is live, the other never arrived.
    live = "https://media.example.cn/items/live-1"
    resolved = cli_json("post", "resolve", delivered, "--published", live, **cli)
    assert (resolved["state"], resolved["url"]) == ("published", live)
    again = cli_json("post", "resolve", not_taken, "--not-published", **cli)
    assert again["state"] == "queued"

    report = spawn("after-resolve", database_url=url, token=token, api_url=prefect_api).finish(
        timeout=120
    )
    assert report["published"] == [not_taken]
    final = posts_by_id(w.engine)
    assert {p.state for p in final.values()} == {"published"}
    assert final[delivered].url == live
    sent = sent_per_key(fake)
    assert sent[key_delivered] == 1  # settled by a person, never sent again
    assert sent[key_not_taken] == 2 and fake.received[key_not_taken] == 1  # delivered once
    assert [a.outcome for a in attempts_by_post(w.engine)[not_taken]] == ["unknown", "published"]


def test_a_short_lease_in_a_new_dispatcher_takes_nothing_from_a_live_one(
    pg_world: World,
    fake: ControlledWebhook,
    spawn: Callable[..., Dispatcher],
    prefect_api: str,
) -> None:
    """A live dispatcher (the normal lease) has claimed every post and holds them in
    flight while a new one with MATRIXPUB_DISPATCH_LEASE_SECONDS=1 runs from start to end:
    the new one recovers nothing and claims nothing; the live one sends each post once."""
    w = pg_world
    accounts = webhook_accounts(w, 10, fake.endpoint)
    posts = approved_posts(w, accounts, drafts=4)  # 40 posts: one batch
    url, token = database_url(w), w.tokens["admin"]
    fake.close_gate()
    try:
        live = spawn("live", database_url=url, token=token, api_url=prefect_api)
        wait_until(
            lambda: live.worker in workers_sending(w.engine), timeout=120, what="the live one"
        )
        held = {i for i, p in posts_by_id(w.engine).items() if p.lease_owner == live.worker}
        assert held == set(posts)
        newcomer = spawn("short-lease", database_url=url, token=token, api_url=prefect_api, lease=1)
        late = newcomer.finish(timeout=120)  # while the live one still waits on the platform
        assert live.process.poll() is None
    finally:
        fake.open_gate()
    report = live.finish(timeout=120)

    assert {k: v for k, v in late.items() if v} == {}, late
    assert sorted(report["published"]) == sorted(posts)
    rows = posts_by_id(w.engine)
    assert {p.state for p in rows.values()} == {"published"}
    attempts = attempts_by_post(w.engine)
    assert {(a.worker, a.outcome) for i in posts for a in attempts[i]} == {
        (live.worker, "published")
    }
    assert all(len(attempts[i]) == 1 for i in posts)
    assert sent_per_key(fake) == {p.idempotency_key: 1 for p in rows.values()}
    with session_scope(w.engine) as session:
        assert not session.exec(
            select(AuditEvent).where(AuditEvent.action == "post.lease_expired")
        ).first()


@pytest.mark.parametrize("db", ["sqlite", "postgres"])
def test_a_send_started_as_its_lease_ran_out_is_not_released_to_another_dispatcher(
    db: str,
    request: pytest.FixtureRequest,
    fake: ControlledWebhook,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two dispatchers in threads, through the real ``claim_batch`` and ``deliver_batch``.
    The first claims a post with a one-second lease and records its attempt; exactly then
    (its transaction not yet committed) the lease has run out and a second dispatcher
    recovers expired claims and claims. The first commits and its request leaves.

    The second must not send the post again: recovery has to see that a send started
    (``unknown``) or leave the row alone while the first holds it. The first dispatcher is
    held at that instant by a SQLAlchemy ``before_commit`` hook, and its request is held
    by the fake until the second dispatcher is done, so the interleaving is exact."""
    w: World = request.getfixturevalue(f"{'pg' if db == 'postgres' else 'sqlite'}_world")
    (account,) = webhook_accounts(w, 1, fake.endpoint)
    (post_id,) = approved_posts(w, [account], drafts=1)
    key = posts_by_id(w.engine)[post_id].idempotency_key
    ctx = w.ctx
    monkeypatch.setenv("MATRIXPUB_DISPATCH_LEASE_SECONDS", "1")
    assert delivery.claim_batch(ctx, worker="first", limit=10) == [post_id]
    monkeypatch.delenv("MATRIXPUB_DISPATCH_LEASE_SECONDS")

    paused, go = threading.Event(), threading.Event()
    backend: list[int] = []

    attempted = threading.Event()

    def note_attempt(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        # The hot path writes attempts as Core inserts, so the statement itself is watched.
        if threading.current_thread().name == "first" and statement.lstrip().upper().startswith(
            "INSERT INTO DELIVERY_ATTEMPTS"
        ):
            attempted.set()

    def hold_commit(session: Session) -> None:
        if (
            threading.current_thread().name == "first"
            and attempted.is_set()
            and not paused.is_set()
        ):
            if db == "postgres":
                backend.append(
                    session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
                )
            paused.set()
            go.wait(60)

    held_request = fake.hold(key, act=True)
    results: dict[str, Any] = {}

    def first() -> None:
        with requests.Session() as http:
            results["first"] = delivery.deliver_batch(ctx, [post_id], worker="first", http=http)

    def second() -> None:
        later = utcnow() + timedelta(seconds=5)  # the first one's lease has run out
        claimed = delivery.claim_batch(ctx, worker="second", limit=10, now=later)
        results["second"] = delivery.BatchReport()
        if claimed:
            with requests.Session() as http:
                results["second"] = delivery.deliver_batch(ctx, claimed, worker="second", http=http)

    event.listen(w.engine, "before_cursor_execute", note_attempt)
    event.listen(Session, "before_commit", hold_commit)
    threads = [threading.Thread(target=first, name="first"), threading.Thread(target=second)]
    try:
        threads[0].start()
        assert paused.wait(30), "the first dispatcher never recorded its attempt"
        threads[1].start()
        if db == "postgres":  # the second is blocked on the first's row lock, or done
            wait_until(
                lambda: not threads[1].is_alive() or _blocked_by(w, backend[0]),
                timeout=30,
                what="the second dispatcher to wait on the first's lock",
            )
        else:
            time.sleep(1.0)  # the second waits for SQLite's write lock (BEGIN IMMEDIATE)
        go.set()  # the first commits its attempt; its request leaves
        assert held_request.arrived.wait(30)
        threads[1].join(60)
        assert not threads[1].is_alive()
    finally:
        go.set()
        fake.release_all()
        for thread in threads:
            if thread.is_alive():
                thread.join(60)
        event.remove(w.engine, "before_cursor_execute", note_attempt)
        event.remove(Session, "before_commit", hold_commit)

    assert results["first"].published == [post_id]
    assert results["second"].published == [], "the second dispatcher sent the post again"
    assert sent_per_key(fake)[key] == 1, f"the platform received {key} twice"
    attempts = attempts_by_post(w.engine)[post_id]
    assert [a.worker for a in attempts] == ["first"]
    assert posts_by_id(w.engine)[post_id].state == "published"


def _blocked_by(w: World, pid: int) -> bool:
    with session_scope(w.engine) as session:
        waiting = session.exec(
            text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
            params={"pid": pid},
        ).one()
        return bool(waiting[0])
