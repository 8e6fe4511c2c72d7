"""The send-time checks of a batch of many posts over many accounts, served side by side:
the accounts' checks run together, an account's last outcome is recorded in the step that
checks its next post, and still every post is checked on what is stored right then."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import event, exc, text

from flows import delivery
from sqlmodel_db import posts as posts_db
from sqlmodel_db import sending
from sqlmodel_db.engine import session_scope
from sqlmodel_db.types import utcnow
from tests.dispatch.helpers import (
    approved_posts,
    attempts_by_post,
    posts_by_id,
    webhook_accounts,
)
from tests.factories import World, tamper
from tests.fakes import FakeWebhook, RequestRecord, Response

DEADLINE_S = 60.0  # for the alteration's commit: generous, never reached when all is well


class _AlteredOnFirstRequest(FakeWebhook):
    """Before answering the batch's first request, someone alters a signed variant's
    stored bytes: every post checked from then on must see it. The server answers
    requests side by side, so the others wait until the alteration is committed: no
    account gets past its first send before it, whatever the machine's load."""

    def __init__(self, alter: Any) -> None:
        super().__init__()
        self.alter = alter
        self._first = threading.Lock()
        self._altered = threading.Event()

    def handle(self, request: RequestRecord) -> Response:
        with self._first:
            alter, self.alter = self.alter, None
        if alter is not None:
            try:
                alter()
            finally:
                self._altered.set()
        elif not self._altered.wait(DEADLINE_S):
            raise AssertionError("the alteration was never committed")
        return super().handle(request)


def test_a_batch_of_many_refuses_each_post_that_may_not_go_and_sends_the_rest_once(
    sqlite_world: World,
) -> None:
    w = sqlite_world
    rows: dict[int, Any] = {}

    def alter_the_third_draft() -> None:
        tamper(
            w.engine,
            "UPDATE variants SET payload = replace(payload, '通知', '通告') WHERE id = :id",
            id=third_variant,
        )

    with _AlteredOnFirstRequest(alter_the_third_draft) as hook, requests.Session() as http:
        accounts = webhook_accounts(w, 6, hook.endpoint)
        posts = approved_posts(w, accounts, drafts=3)
        rows = posts_by_id(w.engine, posts)
        drafts = sorted({r.draft_id for r in rows.values()})
        third_variant = next(r.variant_id for r in rows.values() if r.draft_id == drafts[2])
        suspended = accounts[1]
        with session_scope(w.engine) as session:  # behind the dispatcher's back
            session.connection().execute(
                text("UPDATE accounts SET state = 'suspended' WHERE id = :id"),
                {"id": suspended},
            )
        ids = delivery.claim_batch(w.ctx, worker="t:1", limit=100)
        assert sorted(ids) == sorted(posts)
        report = delivery.deliver_batch(w.ctx, ids, worker="t:1", http=http)
        sent = hook.calls("/hooks/matrixpub")

    of_suspended = {i for i, r in rows.items() if r.account_id == suspended}
    altered = {i for i, r in rows.items() if r.draft_id == drafts[2]} - of_suspended
    may_go = set(posts) - of_suspended - altered
    assert len(may_go) == 10 and len(altered) == 5
    assert sorted(report.published) == sorted(may_go), report.messages
    assert sorted(report.refused) == sorted(of_suspended | altered)
    assert sorted(report.refused_failed) == sorted(altered)
    after = posts_by_id(w.engine, posts)
    for i in altered:
        assert after[i].state == "failed"
        assert "altered after sign-off (hash mismatch)" in (after[i].last_error or "")
    for i in of_suspended:
        assert after[i].state == "cancelled" and "is suspended" in (after[i].last_error or "")
    keys = [r.headers.get("Idempotency-Key") for r in sent]
    assert sorted(keys) == sorted(after[i].idempotency_key for i in may_go)  # each once


def test_an_outcome_that_cannot_be_recorded_stops_its_account_alone(
    sqlite_world: World,
) -> None:
    """The database refuses one post's result: that post is left to become unknown (its
    attempt began, no result), its account's next post is neither checked nor sent, and
    the other accounts' posts, some in the same transaction, are delivered and recorded."""
    w = sqlite_world
    with FakeWebhook() as hook, requests.Session() as http:
        accounts = webhook_accounts(w, 4, hook.endpoint)
        posts = approved_posts(w, accounts, drafts=2)
        rows = posts_by_id(w.engine, posts)
        first, second = sorted(i for i, r in rows.items() if r.account_id == accounts[0])
        with w.engine.begin() as conn:  # as a full disk would, for this post's result alone
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_result BEFORE INSERT ON delivery_results "
                    f"WHEN NEW.post_id = {first} BEGIN SELECT RAISE(ABORT, 'disk full'); END"
                )
            )
        ids = delivery.claim_batch(w.ctx, worker="t:1", limit=100)
        with pytest.raises(exc.IntegrityError, match="disk full"):
            delivery.deliver_batch(w.ctx, ids, worker="t:1", http=http)
        sent = [r.headers.get("Idempotency-Key") for r in hook.calls("/hooks/matrixpub")]

    others = set(posts) - {first, second}
    after = posts_by_id(w.engine, posts)
    assert {after[i].state for i in others} == {"published"}
    assert sorted(sent) == sorted(after[i].idempotency_key for i in [*others, first])
    assert (after[first].state, after[second].state) == ("sending", "sending")
    attempts = attempts_by_post(w.engine)
    assert [a.outcomes for a in attempts[first]] == [()]  # began, and no result
    assert second not in attempts
    with w.engine.begin() as conn:  # the disk has room again
        conn.execute(text("DROP TRIGGER refuse_result"))
    later = utcnow() + timedelta(hours=1)
    with session_scope(w.engine) as session:
        moved = posts_db.recover_expired(session=session, now=later)
    assert moved == {"queued": [second], "pending": [], "unknown": [first]}


@pytest.mark.parametrize("db", ["sqlite", "pg"])
def test_the_attempts_of_a_run_are_one_insert_each_with_its_own_post(
    db: str, request: pytest.FixtureRequest
) -> None:
    """The attempts a run starts are written in one statement (not one per post), and
    each post is told the id of its own attempt."""
    w: World = request.getfixturevalue(f"{db}_world")
    accounts = webhook_accounts(w, 5, "http://127.0.0.1:9/never-sent")
    posts = approved_posts(w, accounts, drafts=2)
    ids = delivery.claim_batch(w.ctx, worker="t:1", limit=100)
    assert sorted(ids) == sorted(posts)
    inserts: list[int] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DELIVERY_ATTEMPTS"):
            inserts.append(1)

    with session_scope(w.engine) as session:
        claims = sending.load_claims(session=session, post_ids=ids)
        # in an order of their own, neither the posts' nor the rows'
        ordered = sorted(claims.values(), key=lambda c: (c.post_id * 7919) % 101)
        event.listen(w.engine, "before_cursor_execute", note)
        try:
            attempt_ids = sending.start_attempts(
                session=session, claims=ordered, worker="t:1", lease=timedelta(minutes=5)
            )
        finally:
            event.remove(w.engine, "before_cursor_execute", note)
    assert len(inserts) == 1
    with w.engine.connect() as conn:
        rows = dict(
            conn.execute(
                text("SELECT id, post_id FROM delivery_attempts WHERE worker = 't:1'")
            ).all()
        )
    assert len(rows) == len(ordered) == len(set(attempt_ids))
    assert [rows[a] for a in attempt_ids] == [c.post_id for c in ordered]


def test_the_threads_that_serve_accounts_side_by_side_serve_every_batch(
    sqlite_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Starting threads costs more than a batch's posts to a platform answering at once
    (each new thread waits for its turn at the interpreter): the threads are started once
    and serve batch after batch."""
    w = sqlite_world
    served: list[list[threading.Thread]] = [[], []]
    batch = [0]
    deliver_one = delivery._deliver_one

    def noting(*args: Any, **kwargs: Any) -> Any:
        served[batch[0]].append(threading.current_thread())
        return deliver_one(*args, **kwargs)

    monkeypatch.setattr(delivery, "_deliver_one", noting)
    with FakeWebhook() as hook, requests.Session() as http:
        accounts = webhook_accounts(w, 6, hook.endpoint)
        posts = approved_posts(w, accounts, drafts=2)
        first = delivery.claim_batch(w.ctx, worker="t:1", limit=6)
        report = delivery.deliver_batch(w.ctx, first, worker="t:1", http=http, concurrency=4)
        batch[0] = 1
        second = delivery.claim_batch(w.ctx, worker="t:1", limit=100)
        report.merge(delivery.deliver_batch(w.ctx, second, worker="t:1", http=http, concurrency=4))
    assert sorted(report.published) == sorted(posts)
    before, after = ({id(t) for t in threads} for threads in served)
    assert threading.main_thread() not in served[0] + served[1]
    assert 1 < len(before) <= 4 and after <= before
