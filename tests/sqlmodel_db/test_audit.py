"""The hash-chained audit log detects a changed, deleted or re-ordered event."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from sqlmodel_db import audit
from sqlmodel_db.engine import session_scope


def _fill(engine: Any, n: int = 5) -> str:
    with session_scope(engine) as session:
        for i in range(n):
            audit.record(
                session=session,
                actor_id=None,
                action="test.event",
                subject_type="test",
                subject_id=i,
                data={"i": i, "text": "文旅"},
            )
        return audit.verify(session=session).head


def _verify(engine: Any, **kwargs: Any) -> audit.Verification:
    with session_scope(engine) as session:
        return audit.verify(session=session, **kwargs)


def test_intact_chain_verifies(engine: Any) -> None:
    head = _fill(engine)
    result = _verify(engine, expect_head=head)
    assert result.ok and result.events == 5 and result.head == head


def test_changed_event_is_detected(engine: Any) -> None:
    _fill(engine)
    with session_scope(engine) as session:
        session.exec(text("UPDATE audit_events SET data = :d WHERE seq = 3").bindparams(d="{}"))
    result = _verify(engine)
    assert not result.ok and result.at_seq == 3 and "changed" in (result.problem or "")


def test_changed_actor_is_detected(engine: Any) -> None:
    _fill(engine)
    with session_scope(engine) as session:
        session.exec(text("UPDATE audit_events SET action = 'other' WHERE seq = 2"))
    assert not _verify(engine).ok


def test_deleted_event_is_detected(engine: Any) -> None:
    _fill(engine)
    with session_scope(engine) as session:
        session.exec(text("DELETE FROM audit_events WHERE seq = 2"))
    result = _verify(engine)
    assert not result.ok and "missing" in (result.problem or "")


def test_reordered_events_are_detected(engine: Any) -> None:
    _fill(engine)
    with session_scope(engine) as session:
        session.exec(text("UPDATE audit_events SET seq = 100 WHERE seq = 2"))
        session.exec(text("UPDATE audit_events SET seq = 2 WHERE seq = 3"))
        session.exec(text("UPDATE audit_events SET seq = 3 WHERE seq = 100"))
    result = _verify(engine)
    assert not result.ok and result.at_seq == 2


def test_cut_tail_is_detected_against_a_recorded_head(engine: Any) -> None:
    head = _fill(engine)
    with session_scope(engine) as session:
        session.exec(text("DELETE FROM audit_events WHERE seq = 5"))
    assert _verify(engine).ok  # a shorter chain is still a chain...
    assert not _verify(engine, expect_head=head).ok  # ...but not the one recorded


def test_concurrent_appends_keep_one_chain(engine: Any) -> None:
    import threading

    errors: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            for i in range(10):
                with session_scope(engine) as session:
                    audit.record(
                        session=session,
                        actor_id=None,
                        action="w",
                        subject_type="t",
                        subject_id=f"{k}-{i}",
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = _verify(engine)
    assert result.ok and result.events == 40


@pytest.mark.parametrize("n", [0])
def test_empty_chain_is_intact(engine: Any, n: int) -> None:
    assert _verify(engine).ok
