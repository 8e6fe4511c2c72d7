"""The audit log: every state change, hash-chained, keyed and verifiable.

Each event's hash covers its sequence number, time, actor, action, subject, data and
the previous event's hash, so changing, deleting or re-ordering any event breaks the
chain after it. Since the chain is *keyed*, the hash is an HMAC-SHA256 whose key lives
in a Prefect Secret block (:mod:`flows.audit_key`), never in our database: someone who
can write the tables but not read the key cannot re-hash a changed chain. Events
written before the key existed (``keyed`` false) keep their plain SHA-256 and are
verified as before; the first keyed event, ``audit.keyed``, marks where keying began,
and after it every event must be keyed.

What a chain alone cannot show, events cut from its end or the whole chain rewritten,
an *anchor* shows: the head, its count and time, written outside the database (a file
under ``MATRIXPUB_HOME/anchors/``) and sealed with the same key; ``verify`` checks the
chain against the latest one.

Decisions and account events are *sealed*: the audit event that records one carries
the digest of its row, and ``verify`` checks every row of those tables against it (rows
written before keying began are not sealed and are checked by the chain alone).

Appends are serialised: on PostgreSQL by a transaction-level advisory lock, on SQLite
by the write lock every transaction takes (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, text
from sqlmodel import Session, SQLModel, col, select

from domain.errors import MatrixpubError
from domain.hashing import canonical_json, hash_value
from sqlmodel_db.models import Account, AccountEvent, AuditEvent, Decision, Draft, Post, User
from sqlmodel_db.types import utcnow

GENESIS = "0" * 64
KEYED_ACTION = "audit.keyed"
_ADVISORY_KEY = 0x6D707562  # "mpub"
# Built once: an audit event is written with every change, thousands in a dispatch run.
_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_HEAD = (
    select(AuditEvent.seq, AuditEvent.hash, AuditEvent.keyed)
    .order_by(col(AuditEvent.seq).desc())
    .limit(1)
)
_INSERT = insert(AuditEvent.__table__)
# The tables whose rows the audit log seals (their rows must match what it recorded).
SEALED: tuple[type[SQLModel], ...] = (Decision, AccountEvent)


class AuditKeyUnavailable(MatrixpubError):
    """The audit key could not be read (or was never configured); nothing was written."""


# -- the key ----------------------------------------------------------------------------------
KeySource = Callable[[bool], bytes]  # create: may a new key be made (no keyed event yet)?


class _Key:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.source: KeySource | None = None
        self.value: bytes | None = None


_key = _Key()


def use_key_source(source: KeySource | None) -> None:
    """Where this process gets the audit key (read once, then kept in memory)."""
    with _key.lock:
        if source is not _key.source:
            _key.source, _key.value = source, None


def key_source() -> KeySource | None:
    return _key.source


def current_key(*, create: bool = False) -> bytes:
    with _key.lock:
        if _key.value is None:
            if _key.source is None:
                raise AuditKeyUnavailable("no audit key is configured in this process")
            _key.value = _key.source(create)
        return _key.value


# -- hashing ----------------------------------------------------------------------------------
def _material(row: Mapping[str, Any]) -> bytes:
    fields = {
        "seq": row["seq"],
        "at": row["at"].isoformat(timespec="microseconds"),
        "actor_id": row["actor_id"],
        "action": row["action"],
        "subject_type": row["subject_type"],
        "subject_id": row["subject_id"],
        "data": row["data"],
        "prev_hash": row["prev_hash"],
    }
    if row.get("keyed"):
        fields["keyed"] = True
    return canonical_json(fields)


def event_hash(event: AuditEvent | Mapping[str, Any], key: bytes | None) -> str:
    """The hash an event must carry: HMAC-SHA256 with ``key`` for a keyed event, plain
    SHA-256 for one written before the chain was keyed."""
    row = event.model_dump() if isinstance(event, AuditEvent) else event
    if row.get("keyed"):
        if key is None:
            raise AuditKeyUnavailable("a keyed event needs the audit key")
        return hmac.new(key, _material(row), hashlib.sha256).hexdigest()
    return hashlib.sha256(_material(row)).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def seal(row: SQLModel) -> dict[str, Any]:
    """What the audit log keeps of a sealed row: its table, id and digest."""
    values = {name: _plain(getattr(row, name)) for name in type(row).model_fields}
    return {"table": type(row).__tablename__, "id": values["id"], "digest": hash_value(values)}


# -- writing ----------------------------------------------------------------------------------
def _chain(last: Any, row: dict[str, Any], key: bytes) -> Any:
    """Fill in ``row``'s place in the chain after ``last``; returns the new head."""
    row.update(
        seq=(last[0] + 1) if last else 1,
        at=utcnow(),
        prev_hash=last[1] if last else GENESIS,
        keyed=True,
    )
    row["hash"] = event_hash(row, key)
    return (row["seq"], row["hash"], True)


def _append(connection: Any, last: Any, row: dict[str, Any], key: bytes) -> Any:
    last = _chain(last, row, key)
    connection.execute(_INSERT, row)
    return last


def record(
    *,
    session: Session,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | str,
    data: Mapping[str, Any] | None = None,
    sealed: SQLModel | None = None,
) -> None:
    """Append one event to the chain, inside the caller's transaction.

    ``sealed``: the row (a decision, an account event) this event records; it is
    flushed and its digest kept in the event, so a later change of the row is found."""
    payload = dict(data or {})
    if sealed is not None:
        session.add(sealed)
        session.flush()
        payload["sealed"] = seal(sealed)
    record_many(
        session=session,
        events=[
            Event(
                actor_id=actor_id,
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                data=payload,
            )
        ],
    )


@dataclass(frozen=True)
class Event:
    """One event to append (see :func:`record_many`)."""

    actor_id: int | None
    action: str
    subject_type: str
    subject_id: int | str
    data: Mapping[str, Any]


def record_many(*, session: Session, events: list[Event]) -> None:
    """Append ``events`` to the chain in this order, inside the caller's transaction:
    the chain's head is read once (under the append lock) and the events inserted in
    one statement, each hashed over the one before it exactly as :func:`record` does.
    The dispatcher records a batch's outcomes this way."""
    if not events:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK, {"k": _ADVISORY_KEY})
    last = connection.execute(_HEAD).first()
    first_keyed = last is None or not last[2]
    key = current_key(create=first_keyed)
    if first_keyed:
        # Where keying begins: the sealed tables' rows up to here were written unsealed.
        before = {
            model.__tablename__: connection.execute(select(func.max(model.id))).scalar() or 0
            for model in SEALED
        }
        last = _append(
            connection,
            last,
            {
                "actor_id": None,
                "action": KEYED_ACTION,
                "subject_type": "audit",
                "subject_id": "key",
                "data": canonical_json({"unsealed_up_to": before}).decode("utf-8"),
            },
            key,
        )
    rows = []
    for event in events:
        row = {
            "actor_id": event.actor_id,
            "action": event.action,
            "subject_type": event.subject_type,
            "subject_id": str(event.subject_id),
            "data": canonical_json(dict(event.data)).decode("utf-8"),
        }
        last = _chain(last, row, key)
        rows.append(row)
    connection.execute(_INSERT, rows if len(rows) > 1 else rows[0])


# -- anchors ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Anchor:
    """The chain's head at a moment, kept outside the database, sealed with the key."""

    head: str
    events: int
    at: str
    keyed_from: int | None
    mac: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "head": self.head,
            "events": self.events,
            "at": self.at,
            "keyed_from": self.keyed_from,
        }

    def sealed(self, key: bytes) -> Anchor:
        mac = hmac.new(key, canonical_json(self.body()), hashlib.sha256).hexdigest()
        return Anchor(**self.body(), mac=mac)

    def genuine(self, key: bytes) -> bool:
        return hmac.compare_digest(self.sealed(key).mac, self.mac)

    def to_json(self) -> str:
        return json.dumps({**self.body(), "mac": self.mac}, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text_: str) -> Anchor:
        value = json.loads(text_)
        return cls(
            head=str(value["head"]),
            events=int(value["events"]),
            at=str(value["at"]),
            keyed_from=None if value.get("keyed_from") is None else int(value["keyed_from"]),
            mac=str(value["mac"]),
        )


# -- verifying --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head: str
    problem: str | None = None
    at_seq: int | None = None
    keyed_from: int | None = None
    anchored: Anchor | None = None


def verify(
    *,
    session: Session,
    expect_head: str | None = None,
    anchor: Anchor | None = None,
) -> Verification:
    """Walk the chain from the first event; report the first break found. With
    ``anchor`` (see :class:`Anchor`), the chain must pass through the anchored head at
    the anchored count, and the anchor itself must be sealed with the key."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    keyed_from: int | None = None
    key: bytes | None = None
    seals: dict[tuple[str, int], tuple[str, int]] = {}
    unsealed_up_to: dict[str, int] = {}

    def broken(problem: str, at_seq: int | None = None) -> Verification:
        return Verification(False, count, prev, problem, at_seq, keyed_from, anchor)

    if anchor is not None:
        key = current_key()
        if not anchor.genuine(key):
            return broken(f"the anchor of {anchor.at} was altered (its seal does not match)")
    rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).yield_per(1000)
    for event in rows:
        if event.seq != expected_seq:
            return broken(f"event {expected_seq} is missing", event.seq)
        if event.prev_hash != prev:
            return broken(f"event {event.seq} does not follow event {event.seq - 1}", event.seq)
        if event.keyed:
            if keyed_from is None:
                keyed_from = event.seq
                if event.action != KEYED_ACTION:
                    return broken(f"event {event.seq} begins the keyed chain unmarked", event.seq)
            if key is None:
                key = current_key()
        elif keyed_from is not None:
            return broken(
                f"event {event.seq} is not keyed, though the chain is keyed from event "
                f"{keyed_from}",
                event.seq,
            )
        if not hmac.compare_digest(event_hash(event, key), event.hash):
            return broken(f"event {event.seq} was changed after it was written", event.seq)
        if event.keyed:
            data = json.loads(event.data)
            if event.action == KEYED_ACTION and event.seq == keyed_from:
                unsealed_up_to = dict(data.get("unsealed_up_to") or {})
            found = data.get("sealed") if isinstance(data, dict) else None
            if isinstance(found, dict):
                seals[(str(found.get("table")), int(found.get("id") or 0))] = (
                    str(found.get("digest")),
                    event.seq,
                )
        prev = event.hash
        expected_seq += 1
        count += 1
        if anchor is not None and count == anchor.events and prev != anchor.head:
            return broken(
                f"events 1–{count} are not the ones anchored at {anchor.at}: the chain was "
                "rewritten",
                event.seq,
            )
    if anchor is not None:
        if count < anchor.events:
            return broken(
                f"the chain has {count} events but {anchor.events} were anchored at "
                f"{anchor.at}: events were deleted from its end"
            )
        if anchor.keyed_from != keyed_from and anchor.keyed_from is not None:
            return broken(
                f"the anchor of {anchor.at} has the chain keyed from event "
                f"{anchor.keyed_from}, the database from {keyed_from}"
            )
    if expect_head and expect_head != prev:
        return broken("the chain does not end at the expected head")
    problem = _check_sealed(session, seals, unsealed_up_to, keyed=keyed_from is not None)
    if problem:
        return broken(problem)
    return Verification(True, count, prev, None, None, keyed_from, anchor)


_NAMES = {"decisions": "decision", "account_events": "account event"}


def _check_sealed(
    session: Session,
    seals: dict[tuple[str, int], tuple[str, int]],
    unsealed_up_to: Mapping[str, int],
    *,
    keyed: bool,
) -> str | None:
    """The first sealed-table row that differs from, or is missing in, the audit log."""
    for model in SEALED:
        table = model.__tablename__
        name = _NAMES.get(table, table)
        seen: set[int] = set()
        for row in session.exec(select(model).order_by(col(model.id))).yield_per(1000):
            row_id = int(row.id or 0)
            seen.add(row_id)
            recorded = seals.get((table, row_id))
            if recorded is None:
                if keyed and row_id > int(unsealed_up_to.get(table, 0)):
                    return f"{name} {row_id} is not in the audit log"
                continue
            if seal(row)["digest"] != recorded[0]:
                return (
                    f"{name} {row_id} differs from what the audit log recorded "
                    f"(event {recorded[1]})"
                )
        for (sealed_table, row_id), (_, seq) in seals.items():
            if sealed_table == table and row_id not in seen:
                return f"{name} {row_id}, recorded in event {seq}, was deleted"
    return None


def events_for(*, session: Session, subject_type: str, subject_id: int | str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.subject_type == subject_type)
            .where(AuditEvent.subject_id == str(subject_id))
            .order_by(col(AuditEvent.seq))
        )
    )


def subject_names(*, session: Session, events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """What people call each event's subject: a user's or an account's name, a draft's
    title, the account a post goes to; keyed by (subject type, subject id). Subjects
    without a name are left out."""
    tables = {
        "user": (User, User.name),
        "account": (Account, Account.name),
        "draft": (Draft, Draft.title),
    }
    names: dict[tuple[str, str], str] = {}
    for kind, (table, column) in tables.items():
        ids = {
            int(e.subject_id) for e in events if e.subject_type == kind and e.subject_id.isdigit()
        }
        if ids:
            rows = session.exec(select(table.id, column).where(col(table.id).in_(sorted(ids))))
            names.update({(kind, str(ident)): name for ident, name in rows})
    posts = {
        int(e.subject_id) for e in events if e.subject_type == "post" and e.subject_id.isdigit()
    }
    if posts:  # a post by the account it goes to
        rows = session.exec(
            select(Post.id, Account.name)
            .join(Account, col(Account.id) == col(Post.account_id))
            .where(col(Post.id).in_(sorted(posts)))
        )
        names.update({("post", str(ident)): name for ident, name in rows})
    return names


def recent(*, session: Session, limit: int = 50) -> list[AuditEvent]:
    rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(limit))
    return list(reversed(list(rows)))


def head(*, session: Session) -> tuple[int, str, int | None]:
    """(events, head hash, first keyed event) of the chain as it stands."""
    last = session.exec(
        select(AuditEvent.seq, AuditEvent.hash).order_by(col(AuditEvent.seq).desc()).limit(1)
    ).first()
    first = session.exec(
        select(func.min(AuditEvent.seq)).where(col(AuditEvent.keyed).is_(True))
    ).first()
    if last is None:
        return 0, GENESIS, None
    return int(last[0]), str(last[1]), first


# -- anchor files -----------------------------------------------------------------------------
ANCHOR_GLOB = "anchor-*.json"


def write_anchor(*, session: Session, directory: Path) -> tuple[Anchor, Path]:
    """Write the chain's head, count and time to a new file in ``directory``, sealed with
    the key. The file is written whole under a temporary name and then renamed."""
    events, head_hash, keyed_from = head(session=session)
    at = utcnow()
    anchor = Anchor(
        head=head_hash,
        events=events,
        at=at.isoformat(timespec="microseconds"),
        keyed_from=keyed_from,
    ).sealed(current_key(create=False))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"anchor-{at.strftime('%Y%m%dT%H%M%S%fZ')}-{events:010d}.json"
    partial = path.with_suffix(".part")
    partial.write_text(anchor.to_json(), "utf-8")
    os.replace(partial, path)
    return anchor, path


def latest_anchor(directory: Path) -> tuple[Anchor, Path] | None:
    """The newest anchor in ``directory`` (by the count it recorded, then its time)."""
    found: list[tuple[int, str, Anchor, Path]] = []
    for path in directory.glob(ANCHOR_GLOB) if directory.is_dir() else ():
        try:
            anchor = Anchor.from_json(path.read_text("utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            raise AuditKeyUnavailable("the anchor file {path} cannot be read", path=path) from None
        found.append((anchor.events, anchor.at, anchor, path))
    if not found:
        return None
    _, _, anchor, path = max(found, key=lambda item: (item[0], item[1]))
    return anchor, path


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
