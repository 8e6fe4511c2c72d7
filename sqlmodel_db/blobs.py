"""Content-addressed bytes (pictures) kept in the database, so every machine sees them.
Insert-only: a blob is added once under its SHA-256 and never changed (the database
refuses an UPDATE or DELETE)."""

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
        raise NotFound("no stored file {file}", file=sha256[:12])
    return blob


def get_blobs(*, session: Session, hashes: Iterable[str], strict: bool = True) -> dict[str, bytes]:
    """The stored bytes of each hash; a missing one raises NotFound unless not ``strict``
    (then it is left out). The bytes are as stored: whether they still hash to their key
    is for the caller to check where it matters (the dispatcher does, before a send)."""
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    rows = session.exec(select(Blob.sha256, Blob.data).where(col(Blob.sha256).in_(wanted)))
    found = {sha: data for sha, data in rows}
    missing = set(wanted) - set(found)
    if missing and strict:
        raise NotFound(
            "stored files missing: {files}", files=", ".join(sorted(m[:12] for m in missing))
        )
    return found
