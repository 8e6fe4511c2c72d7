"""The :class:`channels.base.MediaStore` the dispatcher hands the channels: kept in the
database, so every dispatcher process, and every later attempt, knows what a platform
already holds for an account."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from sqlmodel_db import media as media_db
from sqlmodel_db.engine import session_scope


class StoredMedia:
    """Each lookup and each upload recorded in its own short transaction: an upload is
    kept as soon as the platform answered, even if the send fails a moment later."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, account_id: int, kind: str, sha256: str) -> str | None:
        with session_scope(self.engine) as session:
            return media_db.find_media(
                session=session, account_id=account_id, kind=kind, sha256=sha256
            )

    def put(self, account_id: int, kind: str, sha256: str, value: str) -> None:
        with session_scope(self.engine) as session:
            media_db.remember_media(
                session=session, account_id=account_id, kind=kind, sha256=sha256, value=value
            )

    def forget(self, account_id: int, kind: str, sha256: str) -> None:
        with session_scope(self.engine) as session:
            media_db.forget_media(session=session, account_id=account_id, kind=kind, sha256=sha256)
