"""The keyed, hash-chained audit log detects a changed, deleted, re-ordered, re-linked,
cut or rewritten event, and a decision or account event changed behind its back."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from sqlmodel_db import audit
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import AuditEvent
from tests.conftest import TEST_AUDIT_KEY

N = 5  # events written by _fill, after the one that begins the keyed chain


def _fill(engine: Any, n: int = N) -> str:
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


def _row(engine: Any, seq: int) -> dict[str, Any]:
    with session_scope(engine) as session:
        return session.get(AuditEvent, seq).model_dump()


def _write(engine: Any, row: dict[str, Any]) -> None:
    """Store ``row`` as it is (an insider with write access to the table)."""
    with session_scope(engine) as session:
        event = session.get(AuditEvent, row["seq"])
        for name, value in row.items():
            setattr(event, name, value)
        session.add(event)


def _anchor(engine: Any, directory: Path) -> audit.Anchor:
    with session_scope(engine) as session:
        anchor, _ = audit.write_anchor(session=session, directory=directory)
    return anchor


def test_intact_chain_verifies(engine: Any) -> None:
    head = _fill(engine)
    result = _verify(engine, expect_head=head)
    assert result.ok and result.events == N + 1 and result.head == head
    assert result.keyed_from == 1 and _row(engine, 1)["action"] == audit.KEYED_ACTION


def test_events_are_hmacs_under_the_key_not_plain_hashes(engine: Any) -> None:
    _fill(engine)
    row = _row(engine, 3)
    assert row["keyed"] and row["hash"] == audit.event_hash(row, TEST_AUDIT_KEY)
    assert row["hash"] != hashlib.sha256(audit._material(row)).hexdigest()
    assert row["hash"] != audit.event_hash(row, b"another key of thirty-two bytes!")


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


def test_an_event_that_does_not_follow_its_predecessor_is_detected(engine: Any) -> None:
    """The link itself is checked: an event re-hashed (even with the key) over another
    predecessor's hash is found, though its own hash is right for what it holds."""
    _fill(engine)
    row = _row(engine, 4)
    row["prev_hash"] = _row(engine, 2)["hash"]
    row["hash"] = audit.event_hash(row, TEST_AUDIT_KEY)
    _write(engine, row)
    result = _verify(engine)
    assert not result.ok and result.at_seq == 4 and "does not follow" in (result.problem or "")


def test_each_hash_covers_the_previous_hash(engine: Any) -> None:
    """An event replaced by another one, validly hashed, and its successor re-linked to it:
    the successor's own hash covers the link, so the splice is found there."""
    _fill(engine)
    forged = _row(engine, 3)
    forged["data"] = '{"i":99,"text":"改过"}'
    forged["hash"] = audit.event_hash(forged, TEST_AUDIT_KEY)
    _write(engine, forged)
    successor = _row(engine, 4)
    successor["prev_hash"] = forged["hash"]
    _write(engine, successor)
    result = _verify(engine)
    assert not result.ok and result.at_seq == 4 and "changed" in (result.problem or "")


def test_a_chain_rehashed_with_the_project_function_but_not_the_key_is_found(
    engine: Any,
) -> None:
    _fill(engine)
    with session_scope(engine) as session:
        rows = [e.model_dump() for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq))]
    prev = audit.GENESIS
    rows[2]["data"] = '{"i":1,"text":"改过"}'
    for row in rows:  # every hash recomputed, with a guessed key
        row["prev_hash"] = prev
        row["hash"] = prev = audit.event_hash(row, b"a guess at the key, 32 bytes....")
        _write(engine, row)
    result = _verify(engine)
    assert not result.ok and result.at_seq == 1


def test_cut_tail_is_detected_against_a_recorded_head(engine: Any) -> None:
    head = _fill(engine)
    with session_scope(engine) as session:
        session.exec(text(f"DELETE FROM audit_events WHERE seq = {N + 1}"))
    assert _verify(engine).ok  # a shorter chain is still a chain...
    assert not _verify(engine, expect_head=head).ok  # ...but not the one recorded


@pytest.mark.parametrize("where", ["last", "all"])
def test_deleted_events_are_found_against_the_anchor(
    engine: Any, tmp_path: Path, where: str
) -> None:
    _fill(engine)
    anchor = _anchor(engine, tmp_path)
    assert anchor.events == N + 1 and _verify(engine, anchor=anchor).ok
    cut = f"WHERE seq > {N - 1}" if where == "last" else ""
    with session_scope(engine) as session:
        session.exec(text(f"DELETE FROM audit_events {cut}"))
    result = _verify(engine, anchor=anchor)
    assert not result.ok and "deleted from its end" in (result.problem or "")


def test_a_wholesale_rewrite_as_an_unkeyed_chain_is_found_against_the_anchor(
    engine: Any, tmp_path: Path
) -> None:
    """Every event rewritten as if written before the key, with the project's own
    SHA-256: a valid unkeyed chain, but not the anchored one."""
    _fill(engine)
    anchor = _anchor(engine, tmp_path)
    with session_scope(engine) as session:
        rows = [e.model_dump() for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq))]
    prev = audit.GENESIS
    for row in rows:
        row["keyed"] = False
        row["prev_hash"] = prev
        row["hash"] = prev = audit.event_hash(row, None)
        _write(engine, row)
    assert _verify(engine).ok  # alone, indistinguishable from an old chain...
    result = _verify(engine, anchor=anchor)
    assert not result.ok and "rewritten" in (result.problem or "")  # ...not with the anchor


def test_events_written_after_the_anchor_verify_and_an_altered_anchor_does_not(
    engine: Any, tmp_path: Path
) -> None:
    _fill(engine)
    _anchor(engine, tmp_path)
    _fill(engine, 2)
    latest, path = audit.latest_anchor(tmp_path)
    assert latest.events == N + 1 and _verify(engine, anchor=latest).ok
    forged = audit.Anchor(**{**latest.body(), "events": 2}, mac=latest.mac)
    path.write_text(forged.to_json(), "utf-8")
    latest, _ = audit.latest_anchor(tmp_path)
    result = _verify(engine, anchor=latest)
    assert not result.ok and "altered" in (result.problem or "")


def test_a_chain_from_before_the_key_verifies_and_is_keyed_from_then_on(engine: Any) -> None:
    """Rows written before the chain was keyed (plain SHA-256) stay as they are; the next
    event begins the keyed part; an unkeyed event after it is a break."""
    with session_scope(engine) as session:
        prev = audit.GENESIS
        for seq in (1, 2):
            row = {
                "seq": seq,
                "at": audit.utcnow(),
                "actor_id": None,
                "action": "old.event",
                "subject_type": "test",
                "subject_id": str(seq),
                "data": "{}",
                "prev_hash": prev,
                "keyed": False,
            }
            row["hash"] = prev = hashlib.sha256(audit._material(row)).hexdigest()
            session.add(AuditEvent(**row))
    assert _verify(engine).ok and _verify(engine).keyed_from is None
    _fill(engine, 2)
    result = _verify(engine)
    assert result.ok and result.events == 5 and result.keyed_from == 3
    row = _row(engine, 5)
    row["keyed"] = False
    row["hash"] = audit.event_hash(row, None)
    _write(engine, row)
    result = _verify(engine)
    assert not result.ok and result.at_seq == 5 and "not keyed" in (result.problem or "")


def test_without_the_key_nothing_is_written(engine: Any) -> None:
    _fill(engine, 1)

    def unreachable(create: bool) -> bytes:
        raise audit.AuditKeyUnavailable("the audit key cannot be read")

    audit.use_key_source(unreachable)
    with pytest.raises(audit.AuditKeyUnavailable), session_scope(engine) as session:
        audit.record(session=session, actor_id=None, action="x", subject_type="t", subject_id=1)
    audit.use_key_source(lambda create: TEST_AUDIT_KEY)
    assert _verify(engine).events == 2


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
    assert result.ok and result.events == 41


def test_empty_chain_is_intact(engine: Any) -> None:
    assert _verify(engine).ok
