"""Pictures a platform already holds for an account (``platform_media``): what an upload
returned, by the picture's SHA-256, so a retried or later post never uploads it again."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from sqlmodel_db.models import PlatformMedia


def find_media(*, session: Session, account_id: int, kind: str, sha256: str) -> str | None:
    return session.exec(
        select(PlatformMedia.value)
        .where(PlatformMedia.account_id == account_id)
        .where(PlatformMedia.kind == kind)
        .where(PlatformMedia.sha256 == sha256)
    ).first()


def remember_media(
    *, session: Session, account_id: int, kind: str, sha256: str, value: str
) -> None:
    """Keep what the platform returned; the first kept value wins (two processes may
    upload the same picture at once, and either answer is good)."""
    try:
        with session.begin_nested():
            session.add(PlatformMedia(account_id=account_id, kind=kind, sha256=sha256, value=value))
    except IntegrityError:
        pass


def forget_media(*, session: Session, account_id: int, kind: str, sha256: str) -> None:
    """The platform no longer holds it (a material deleted on the platform's own site)."""
    session.exec(
        delete(PlatformMedia)
        .where(PlatformMedia.account_id == account_id)  # type: ignore[arg-type]
        .where(PlatformMedia.kind == kind)  # type: ignore[arg-type]
        .where(PlatformMedia.sha256 == sha256)  # type: ignore[arg-type]
    )
