"""Small builders for tests: people with roles, accounts, drafts at a given gate."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import text
from sqlalchemy.engine import Engine

from channels.registry import build
from domain.gates import DEFAULT_WORKFLOW, Verdict
from domain.settings import load
from flows import steps
from flows.context import FlowContext, channel_config
from sqlmodel_db import accounts as accounts_db
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import users as users_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import User

BODY = "各区县文化和旅游局：\n\n现将有关事项通知如下。\n\n## 一、时间\n\n2026年12月15日。\n"

ROLE_OF_GATE = [g.role.value for g in DEFAULT_WORKFLOW.gates]


def jpeg(
    width: int = 1200, height: int = 800, color: tuple[int, int, int] = (40, 90, 160)
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@dataclass
class World:
    """A migrated database with an admin, an author, six reviewers and accounts."""

    engine: Engine
    home: Path
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, int] = field(default_factory=dict)
    environ: dict[str, str] = field(default_factory=dict)  # more MATRIXPUB_* settings

    def add_user(self, name: str, *roles: str) -> User:
        with session_scope(self.engine) as session:
            admin = self.users.get("admin")
            user, token = users_db.create_user(
                session=session, name=name, roles=list(roles), actor=admin
            )
        self.users[name] = user
        self.tokens[name] = token
        return user

    def add_account(self, key: str, platform: str = "website", **fields: Any) -> int:
        values = {"name": key, "unit": f"{key} 单位", "platform_id": key, **fields}
        if platform == "webhook":
            # The fake receivers of these tests check no signature: registered --unsigned,
            # unless a test says otherwise.
            values.setdefault("unsigned", True)
        with session_scope(self.engine) as session:
            account = accounts_db.register_account(
                session=session, actor=self.users["admin"], platform=platform, **values
            )
        self.accounts[key] = account.id or 0
        return account.id or 0

    def new_draft(
        self,
        *,
        title: str = "关于举办文旅消费季活动的通知",
        targets: list[int] | None = None,
        cover: bytes | None = None,
        author: str = "author",
    ) -> int:
        upload = drafts_db.Upload(cover, "image/jpeg") if cover else None
        with session_scope(self.engine) as session:
            draft, _ = drafts_db.create_draft(
                session=session,
                actor=self.users[author],
                title=title,
                body=BODY,
                cover=upload,
                targets=targets if targets is not None else [self.accounts["web"]],
            )
        return draft.id or 0

    @property
    def ctx(self) -> FlowContext:
        settings = load({"MATRIXPUB_HOME": str(self.home), **self.environ})
        return FlowContext(
            settings=settings, engine=self.engine, channels=build(channel_config(settings))
        )

    def submit(self, draft_id: int, *, author: str = "author") -> str:
        """Submit and run the automatic work the flow would run; returns the new state."""
        with session_scope(self.engine) as session:
            drafts_db.submit_draft(session=session, actor=self.users[author], draft_id=draft_id)
            draft = drafts_db.get_draft(session=session, draft_id=draft_id)
            version_id = drafts_db.current_version(session=session, draft=draft).id or 0
        return self.prepare(version_id)

    def prepare(self, version_id: int) -> str:
        outcome = steps.render_version(self.ctx, version_id)
        return steps.finish_preparation(self.ctx, version_id, outcome.problems)

    def approve_all(self, draft_id: int, people: list[str] | None = None) -> None:
        for who in people or GATE_PEOPLE:
            self.decide(draft_id, who)

    def decide(
        self,
        draft_id: int,
        who: str,
        verdict: Verdict = Verdict.APPROVE,
        version: int | None = None,
        gate: str | None = None,
    ) -> Any:
        """Decide as a person who read the draft as it is now: its current version and
        the gate (or check) it waits at, unless ``version`` or ``gate`` say otherwise."""
        with session_scope(self.engine) as session:
            draft = drafts_db.get_draft(session=session, draft_id=draft_id)
            if gate is None:
                gate = DEFAULT_WORKFLOW.at(draft.gate_index, draft.pending_check).key
            return drafts_db.decide(
                session=session,
                actor=self.users[who],
                draft_id=draft_id,
                verdict=verdict,
                opinion=f"{who}: {verdict.value}",
                expected_version=version if version is not None else draft.version_number,
                expected_gate=gate,
            )


GUARDED = ("blobs", "variants", "delivery_attempts", "delivery_results")


def tamper(engine: Engine, sql: str, **params: Any) -> None:
    """Run ``sql`` as someone with write access to the database would, past the triggers
    that keep blobs, variants and delivery records insert-only (they are dropped first):
    what the send-time checks must still catch."""
    with engine.begin() as conn:
        for table in GUARDED:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}"))
            else:
                for verb in ("update", "delete"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))
        conn.execute(text(sql), params)


def world(engine: Engine, home: Path) -> World:
    w = World(engine=engine, home=home)
    w.add_user("admin", "admin")
    w.add_user("author", "author")
    w.add_user("p1", "proofreader")
    w.add_user("editor", "editor")
    w.add_user("p2", "proofreader")
    w.add_user("chief", "chief")
    w.add_user("p3", "proofreader")
    w.add_user("leader", "leader")
    w.add_account("web", is_main=True, group_name="culture")
    return w


GATE_PEOPLE = ["p1", "editor", "p2", "chief", "p3", "leader"]
