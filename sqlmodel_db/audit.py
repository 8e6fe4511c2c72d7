"""The audit log: every state change, hash-chained and verifiable.

Each event's hash is SHA-256 over its sequence number, time, actor, action, subject,
data and the previous event's hash. Changing, deleting or re-ordering any event breaks
the chain after it. Appends are serialised: on PostgreSQL by a transaction-level
advisory lock, on SQLite by the write lock every transaction takes (BEGIN IMMEDIATE).
Removing events from the end leaves a shorter valid chain; ``verify(expect_head=...)``
catches that when the head hash was recorded elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session, col, select

from domain.hashing import canonical_json, hash_value
from sqlmodel_db.models import AuditEvent
from sqlmodel_db.types import utcnow

GENESIS = "0" * 64
_ADVISORY_KEY = 0x6D707562  # "mpub"
# Built once: an audit event is written with every change, thousands in a dispatch run.
_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_HEAD = select(AuditEvent.seq, AuditEvent.hash).order_by(col(AuditEvent.seq).desc()).limit(1)
_INSERT = insert(AuditEvent.__table__)


def _event_hash(event: AuditEvent | dict[str, Any]) -> str:
    row = event if isinstance(event, dict) else event.model_dump()
    return hash_value(
        {
            "seq": row["seq"],
            "at": row["at"].isoformat(timespec="microseconds"),
            "actor_id": row["actor_id"],
            "action": row["action"],
            "subject_type": row["subject_type"],
            "subject_id": row["subject_id"],
            "data": row["data"],
            "prev_hash": row["prev_hash"],
        }
    )


def record(
    *,
    session: Session,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | str,
    data: Mapping[str, Any] | None = None,
) -> None:
    """Append one event to the chain, inside the caller's transaction."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK, {"k": _ADVISORY_KEY})
    last = connection.execute(_HEAD).first()
    row: dict[str, Any] = {
        "seq": (last[0] + 1) if last else 1,
        "at": utcnow(),
        "actor_id": actor_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "data": canonical_json(dict(data or {})).decode("utf-8"),
        "prev_hash": last[1] if last else GENESIS,
    }
    row["hash"] = _event_hash(row)
    connection.execute(_INSERT, row)


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head: str
    problem: str | None = None
    at_seq: int | None = None


def verify(*, session: Session, expect_head: str | None = None) -> Verification:
    """Walk the chain from the first event; report the first break found."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).yield_per(1000)
    for event in rows:
        if event.seq != expected_seq:
            return Verification(False, count, prev, f"event {expected_seq} is missing", event.seq)
        if event.prev_hash != prev:
            return Verification(
                False,
                count,
                prev,
                f"event {event.seq} does not follow event {event.seq - 1}",
                event.seq,
            )
        if _event_hash(event) != event.hash:
            return Verification(
                False,
                count,
                prev,
                f"event {event.seq} was changed after it was written",
                event.seq,
            )
        prev = event.hash
        expected_seq += 1
        count += 1
    if expect_head and expect_head != prev:
        return Verification(False, count, prev, "the chain does not end at the expected head")
    return Verification(True, count, prev)


def events_for(*, session: Session, subject_type: str, subject_id: int | str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.subject_type == subject_type)
            .where(AuditEvent.subject_id == str(subject_id))
            .order_by(col(AuditEvent.seq))
        )
    )


def recent(*, session: Session, limit: int = 50) -> list[AuditEvent]:
    rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(limit))
    return list(reversed(list(rows)))


def search(
    *,
    session: Session,
    actor_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    draft_id: int | None = None,
    limit: int = 200,
) -> list[AuditEvent]:
    """Events matching every filter given, newest first: by who acted, by action (a
    prefix: ``draft`` finds ``draft.created`` and ``draft.fanout``), in a period, about
    one draft."""
    query = select(AuditEvent)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action:
        query = query.where(col(AuditEvent.action).startswith(action.strip()))
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    if until is not None:
        query = query.where(col(AuditEvent.at) < until)
    if draft_id is not None:
        query = query.where(AuditEvent.subject_type == "draft").where(
            AuditEvent.subject_id == str(draft_id)
        )
    return list(session.exec(query.order_by(col(AuditEvent.seq).desc()).limit(limit)))
