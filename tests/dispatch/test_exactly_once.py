"""Several dispatcher processes at once, one database, one platform: every post is
delivered exactly once.

Each dispatcher is a real ``matrixpub dispatch --once --json`` process. They share one
Prefect server (``prefect server start``, as ``matrixpub serve`` runs it). The fake
platform keeps its door shut until every process has claimed a batch and started a send
(the attempts they record say so), so the processes provably overlap; then it lets
everything through. What is checked is what a user would see: the posts' stored states
and attempts, every request the platform received, and each process's own report.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel_db import audit
from sqlmodel_db.engine import session_scope
from tests.dispatch.helpers import (
    ControlledWebhook,
    Dispatcher,
    approved_posts,
    attempts_by_post,
    database_url,
    posts_by_id,
    sent_per_key,
    wait_until,
    webhook_accounts,
    workers_sending,
)
from tests.factories import World


def deliver_concurrently(
    w: World,
    fake: ControlledWebhook,
    spawn: Callable[..., Dispatcher],
    api_url: str,
    posts: list[int],
    *,
    processes: int,
) -> None:
    url = database_url(w)
    fake.close_gate()
    dispatchers = [
        spawn(f"d{n}", database_url=url, token=w.tokens["admin"], api_url=api_url)
        for n in range(processes)
    ]
    try:
        wait_until(
            lambda: {d.worker for d in dispatchers} <= workers_sending(w.engine),
            timeout=120,
            what=f"all {processes} dispatchers to start sending",
        )
    finally:
        fake.open_gate()
    reports = {d.worker: d.finish(timeout=240) for d in dispatchers}

    # Each process reports what it did: no failures, and disjoint shares of all posts.
    for worker, report in reports.items():
        problems = {k: report[k] for k in ("failed", "unknown", "retrying", "refused")}
        assert problems == {k: [] for k in problems}, (worker, report["messages"])
    shares = [set(r["published"]) for r in reports.values()]
    assert sum(len(s) for s in shares) == len(set().union(*shares)), "a post reported twice"
    assert set().union(*shares) == set(posts)
    busy = [len(s) for s in shares if s]
    assert len(busy) == processes >= 2, f"published per process: {[len(s) for s in shares]}"

    # The stored rows: published, one attempt each, by the process that reported it.
    rows = posts_by_id(w.engine)
    assert {p.state for p in rows.values()} == {"published"} and set(rows) == set(posts)
    attempts = attempts_by_post(w.engine)
    for worker, report in reports.items():
        for post_id in report["published"]:
            (attempt,) = attempts[post_id]
            assert (attempt.worker, attempt.outcome) == (worker, "published")
            assert rows[post_id].attempts == 1 and rows[post_id].lease_owner is None

    # The platform: every key exactly once, none missing, nothing else.
    keys = {p.idempotency_key for p in rows.values()}
    assert len(keys) == len(posts)
    assert sent_per_key(fake) == dict.fromkeys(keys, 1)
    assert fake.deliveries == dict.fromkeys(keys, 1)
    assert {p["key"] for p in fake.payloads} == keys

    # Four writers appending to the hash-chained audit log left it intact.
    with session_scope(w.engine) as session:
        assert audit.verify(session=session).ok


def test_four_dispatchers_on_postgres_send_2000_posts_once_each(
    pg_world: World,
    fake: ControlledWebhook,
    spawn: Callable[..., Dispatcher],
    prefect_api: str,
) -> None:
    accounts = webhook_accounts(pg_world, 50, fake.endpoint)
    posts = approved_posts(pg_world, accounts, drafts=40)
    assert len(posts) == 2000
    deliver_concurrently(pg_world, fake, spawn, prefect_api, posts, processes=4)


def test_two_dispatchers_on_sqlite_send_200_posts_once_each(
    sqlite_world: World,
    fake: ControlledWebhook,
    spawn: Callable[..., Dispatcher],
    prefect_api: str,
) -> None:
    accounts = webhook_accounts(sqlite_world, 20, fake.endpoint)
    posts = approved_posts(sqlite_world, accounts, drafts=10)
    deliver_concurrently(sqlite_world, fake, spawn, prefect_api, posts, processes=2)
