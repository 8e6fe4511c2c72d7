"""Content-addressed bytes (pictures) kept in the database, so every machine sees them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from domain.errors import NotFound
from domain.hashing import sha256_hex
from sqlmodel_db.models import Blob


def put_blob(*, session: Session, data: bytes, media_type: str) -> str:
    sha = sha256_hex(data)
    if session.get(Blob, sha) is None:
        session.add(Blob(sha256=sha, media_type=media_type, size=len(data), data=data))
        session.flush()
    return sha


def get_blob(*, session: Session, sha256: str) -> Blob:
    blob = session.get(Blob, sha256)
    if blob is None:
        raise NotFound(f"no stored file {sha256[:12]}")
    return blob


def get_blobs(*, session: Session, hashes: Iterable[str]) -> dict[str, bytes]:
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    rows = session.exec(select(Blob).where(col(Blob.sha256).in_(wanted)))
    found = {row.sha256: row.data for row in rows}
    missing = set(wanted) - set(found)
    if missing:
        raise NotFound(f"stored files missing: {', '.join(sorted(m[:12] for m in missing))}")
    return found
