"""The tables. Decisions, account events, delivery attempts and results, and audit events
are append-only: rows are inserted, never updated or deleted. Stored pictures (blobs) and
rendered variants are insert-only and keyed by their hash; the database itself refuses an
UPDATE of a blob, a variant, an attempt or a result (triggers, see migration 0005), and
the DELETE of a variant of a submitted version.

Public shapes (what the CLI prints with ``--json`` and the web console returns) are
the ``*Public`` classes beside each table.
"""

# No ``from __future__ import annotations`` here: pydantic and SQLAlchemy would compile and
# evaluate every annotation of every class as a string when this module is imported.
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

from sqlmodel_db.types import UTCDateTime, utcnow


class Model(SQLModel):
    """The base of every class here. Pydantic builds a class's validator and serializer the
    first time it is used rather than at import: most commands use few or none of them (a
    gate decision none), and building them all took a tenth of this module's import time."""

    model_config = SQLModelConfig(defer_build=True)


def _when(*, index: bool = False, nullable: bool = False) -> Any:
    return Field(
        default_factory=utcnow if not nullable else None,
        sa_column=Column(UTCDateTime(), nullable=nullable, index=index),
    )


def _maybe_when(*, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=True, index=index))


def _json(default: Any) -> Any:
    return Field(
        default_factory=lambda: default() if callable(default) else default,
        sa_column=Column(JSON, nullable=False),
    )


def _text(*, nullable: bool = False, default: str | None = None) -> Any:
    return Field(default=default, sa_column=Column(Text, nullable=nullable))


# -- people -------------------------------------------------------------------------------
class UserBase(Model):
    name: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    roles: list[str] = _json(list)
    active: bool = True


class User(UserBase, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = _when()
    # The web console's password (Argon2, never the password itself), and the brake on
    # guessing it: failures in a row, and until when the login is locked.
    password_hash: str | None = _text(nullable=True)
    password_set_at: datetime | None = _maybe_when()
    failed_logins: int = 0
    last_failed_login: datetime | None = _maybe_when()
    locked_until: datetime | None = _maybe_when()
    # The language the web console speaks to this person (``zh_CN``, ``en``; None: the
    # default), on record so that it follows them to every device.
    language: str | None = Field(default=None, max_length=10, nullable=True)


class WebSession(Model, table=True):
    """A person logged in to the web console. Kept here, not in a signed cookie, so that
    deactivating a user or changing their password ends their sessions at once."""

    __tablename__ = "web_sessions"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    user_id: int = Field(foreign_key="users.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = _when()
    last_seen_at: datetime = _when()
    expires_at: datetime = _when()
    ended_at: datetime | None = _maybe_when()
    ended_reason: str | None = Field(default=None, max_length=40)
    client: str | None = Field(default=None, max_length=300)  # address and browser, for the record


class UserPublic(UserBase):
    id: int
    created_at: datetime


# -- accounts (备案) -------------------------------------------------------------------------
class AccountBase(Model):
    platform: str = Field(max_length=40, index=True)
    name: str = Field(max_length=200)
    unit: str = Field(max_length=200)  # 主办单位
    supervising_unit: str | None = Field(default=None, max_length=200)  # 主管单位
    platform_id: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=1000)
    verification: str | None = Field(default=None, max_length=200)  # 认证主体/认证类型
    responsible: str | None = Field(default=None, max_length=100)  # 责任人
    contact: str | None = Field(default=None, max_length=200)
    credential_holder: str | None = Field(default=None, max_length=100)  # 账号密码保管人
    # The filing form's (全国政务新媒体信息报送系统) own fields: 单位类型, 运营方式 (self or
    # outsourced: 自营 / 委托运营), 运维人员.
    unit_type: str | None = Field(default=None, max_length=100)
    operation_mode: str | None = Field(default=None, max_length=20)
    operator: str | None = Field(default=None, max_length=100)
    record_no: str | None = Field(default=None, max_length=100)  # 备案编号
    opened_on: str | None = Field(default=None, max_length=10)  # ISO date
    filed_on: str | None = Field(default=None, max_length=10)
    is_main: bool = False
    parent_id: int | None = Field(default=None, foreign_key="accounts.id")
    group_name: str | None = Field(default=None, max_length=100, index=True)
    update_threshold_days: int = 14
    state: str = Field(default="active", max_length=20, index=True)
    secret_block: str | None = Field(default=None, max_length=200)  # Prefect Secret block name
    duplicate_reason: str | None = _text(nullable=True)
    # Posting policy; None takes the channel's default (see channels' specs).
    windows: str | None = Field(default=None, max_length=200)  # "07:30-22:00,..." local time
    spacing_minutes: int | None = None
    quota: str | None = Field(default=None, max_length=20)  # "1/day", "30/hour", "none"
    # A run of failed deliveries pauses the account's queue until an admin looks at it.
    paused: bool = False
    pause_reason: str | None = _text(nullable=True)
    failures: int = 0  # consecutive failed deliveries
    # A webhook registered to be sent without a signature (``--unsigned``), on record; any
    # other webhook without a signing secret gets nothing sent.
    unsigned: bool = False
    # When the credentials in its secret block stop working (a Weibo token expires after
    # 1 to 30 days), if known: as the platform said when they were tested (`account
    # credentials --test`), or as an admin recorded it (`account change
    # --credentials-expire`). Alerts warn `credentials_warn_days` (7) before then.
    credentials_expire_at: datetime | None = _maybe_when()
    # A website column's kind (news, notice, policy): its default update threshold.
    column_kind: str | None = Field(default=None, max_length=20)


class Account(AccountBase, table=True):
    __tablename__ = "accounts"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _when()
    updated_at: datetime = _when()


class AccountPublic(AccountBase):
    id: int
    created_at: datetime
    updated_at: datetime


class AccountEvent(Model, table=True):
    __tablename__ = "account_events"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id", index=True)
    action: str = Field(max_length=40)
    from_state: str | None = Field(default=None, max_length=20)
    to_state: str | None = Field(default=None, max_length=20)
    actor_id: int = Field(foreign_key="users.id")
    reason: str | None = _text(nullable=True)
    changes: dict[str, Any] = _json(dict)
    at: datetime = _when()


# -- content -------------------------------------------------------------------------------
class AccountRequest(Model, table=True):
    """A request to open, change or close an account, and a leader's decision on it; for a
    close, the 停更公告 drafted on approval, its publication, the closing and the filing;
    for an open, the filing clock."""

    __tablename__ = "account_requests"
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id", index=True)
    kind: str = Field(max_length=10)  # open, change, close
    state: str = Field(default="pending", max_length=10)  # pending, approved, rejected
    reason: str = _text()
    changes: dict[str, Any] = _json(dict)  # change: the fields asked for
    successor_id: int | None = Field(default=None, foreign_key="accounts.id")
    successor_contact: str | None = _text(nullable=True)
    requested_by: int = Field(foreign_key="users.id")
    requested_at: datetime = _when()
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    opinion: str | None = _text(nullable=True)
    decided_at: datetime | None = _maybe_when()
    notice_draft_id: int | None = Field(default=None, foreign_key="drafts.id")
    notice_published_on: str | None = Field(default=None, max_length=10)  # ISO local date
    closed_on: str | None = Field(default=None, max_length=10)
    filing_due: str | None = Field(default=None, max_length=10)  # ISO local date
    filed_on: str | None = Field(default=None, max_length=10)
    record_no: str | None = Field(default=None, max_length=100)


class PlatformMedia(Model, table=True):
    """A picture a platform already holds for an account: what an upload returned (a
    WeChat body picture's URL, a cover's permanent ``media_id``), by the picture's SHA-256,
    so a retried or later post never uploads it again."""

    __tablename__ = "platform_media"
    __table_args__ = (UniqueConstraint("account_id", "kind", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id", index=True)
    kind: str = Field(max_length=40)  # "wechat.uploadimg", "wechat.material"
    sha256: str = Field(max_length=64)
    value: str = _text()
    created_at: datetime = _when()


class Blob(Model, table=True):
    """Pictures and other bytes, addressed by their SHA-256."""

    __tablename__ = "blobs"
    sha256: str = Field(primary_key=True, max_length=64)
    media_type: str = Field(max_length=100)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = _when()


class Draft(Model, table=True):
    __tablename__ = "drafts"
    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="users.id", index=True)
    title: str = Field(max_length=200)  # the current version's title
    state: str = Field(default="draft", max_length=20, index=True)
    gate_index: int = 0  # the gate the current version waits at, while in review
    # The extra check (保密审查, 网信) a reviewer sent the current version to, which it waits
    # for before its gate is decided; None when it waits at the gate itself.
    pending_check: str | None = Field(default=None, max_length=40)
    version_number: int = 1  # the current version
    round: int = 0  # bumped at every submission; only this round's approvals count
    group_name: str | None = Field(default=None, max_length=100)
    # When it may go out: not before (embargo), not after (expiry), and in which order.
    not_before: datetime | None = _maybe_when()
    expires_at: datetime | None = _maybe_when()
    priority: int = 0
    fanout_group: str | None = Field(default=None, max_length=100)  # 集中转载 to this group
    fanout_deadline: datetime | None = _maybe_when()  # every account live by then
    gate_since: datetime | None = _maybe_when()  # when the current version reached its gate
    created_at: datetime = _when()
    updated_at: datetime = _when()


class DraftVersion(Model, table=True):
    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="drafts.id", index=True)
    number: int
    title: str = Field(max_length=200)
    summary: str | None = _text(nullable=True)
    body: str = _text()
    cover_sha256: str | None = Field(default=None, foreign_key="blobs.sha256", max_length=64)
    cover_focus: list[float] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    overrides: dict[str, Any] = _json(dict)
    images: dict[str, str] = _json(dict)  # body pictures: Markdown name -> blob SHA-256
    targets: list[int] = _json(list)  # account ids, in the order given
    content_hash: str = Field(max_length=64)
    created_by: int = Field(foreign_key="users.id")
    created_at: datetime = _when()
    # None while this is the author's working copy: edits change it in place until it is
    # submitted, when the version is cut and never changes again.
    submitted_at: datetime | None = _maybe_when()


class Variant(Model, table=True):
    """One channel's rendered payload for one version, stored as canonical JSON.

    Insert-only, identified by its hash: rendering a version again adds a row when the
    result differs and never changes one that was signed or posted. A version's current
    variant of a channel is its newest row; a post keeps the row it was made from."""

    __tablename__ = "variants"
    __table_args__ = (Index("ix_variants_version_channel", "version_id", "channel"),)
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="draft_versions.id", index=True)
    channel: str = Field(max_length=40)
    payload: str = _text()
    hash: str = Field(max_length=64)
    violations: int = 0
    created_at: datetime = _when()


class Decision(Model, table=True):
    """A gate decision: who decided what, on which exact content. Append-only."""

    __tablename__ = "decisions"
    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="drafts.id", index=True)
    version_id: int = Field(foreign_key="draft_versions.id", index=True)
    version_number: int
    round: int
    gate: str = Field(max_length=40)
    gate_index: int
    verdict: str = Field(max_length=10)
    actor_id: int = Field(foreign_key="users.id")
    opinion: str = _text()
    content_hash: str = Field(max_length=64)
    variant_hashes: dict[str, str] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    at: datetime = _when()


# -- delivery ------------------------------------------------------------------------------
class Post(Model, table=True):
    """One approved variant going to one account at a due time."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_due", "state", "due_at"),  # the dispatcher's due-posts query
        Index("ix_posts_account_sent", "account_id", "sent_at"),  # quota and spacing checks
    )
    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="drafts.id", index=True)
    version_id: int = Field(foreign_key="draft_versions.id")
    variant_id: int = Field(foreign_key="variants.id")
    account_id: int = Field(foreign_key="accounts.id", index=True)
    channel: str = Field(max_length=40)
    state: str = Field(default="queued", max_length=20)
    priority: int = 0
    due_at: datetime = _when()
    not_before: datetime | None = _maybe_when()
    expires_at: datetime | None = _maybe_when()
    released_by: int | None = Field(default=None, foreign_key="users.id")  # through freezes
    sent_at: datetime | None = _maybe_when()  # when the last attempt left
    attempts: int = 0
    idempotency_key: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = _maybe_when()
    external_id: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=1000)
    receipt: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    last_error: str | None = _text(nullable=True)
    created_at: datetime = _when()
    updated_at: datetime = _when()


class PostPublic(Model):
    id: int
    draft_id: int
    version_id: int
    account_id: int
    channel: str
    state: str
    priority: int
    due_at: datetime
    not_before: datetime | None
    expires_at: datetime | None
    released_by: int | None
    sent_at: datetime | None
    attempts: int
    external_id: str | None
    url: str | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime


class DeliveryAttempt(Model, table=True):
    """One try at sending a post, written before the request leaves. Its outcome is a
    :class:`DeliveryResult`; an attempt without one was in flight when its dispatcher
    stopped."""

    __tablename__ = "delivery_attempts"
    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="posts.id", index=True)
    number: int
    worker: str = Field(max_length=100)
    started_at: datetime = _when()


class DeliveryResult(Model, table=True):
    """What came of an attempt. An attempt may have several: ``unknown`` when its
    dispatcher was given up on, then the platform's answer if it still came. ``applied``
    is False for an answer that came after the post had moved on (a person had settled
    it): kept on record, and raised as an alert, but it changed nothing."""

    __tablename__ = "delivery_results"
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="delivery_attempts.id", index=True)
    post_id: int = Field(foreign_key="posts.id", index=True)
    at: datetime = _when()
    outcome: str = Field(max_length=20)
    detail: str | None = _text(nullable=True)
    receipt: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    applied: bool = True


class Freeze(Model, table=True):
    """A period in which nothing is sent unless a leader releases a post by name."""

    __tablename__ = "freezes"
    id: int | None = Field(default=None, primary_key=True)
    starts_at: datetime = _when()
    ends_at: datetime = _when()
    reason: str = _text()
    created_by: int = Field(foreign_key="users.id")
    created_at: datetime = _when()
    lifted_at: datetime | None = _maybe_when()
    lifted_by: int | None = Field(default=None, foreign_key="users.id")


class Alert(Model, table=True):
    """Something a person must look at: a paused queue, a stale account, an unknown send."""

    __tablename__ = "alerts"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    account_id: int | None = Field(default=None, foreign_key="accounts.id", index=True)
    post_id: int | None = Field(default=None, foreign_key="posts.id")
    draft_id: int | None = Field(default=None, index=True)  # a 集中转载 running late
    message: str = _text()
    at: datetime = _when()
    resolved_at: datetime | None = _maybe_when()
    resolved_by: int | None = Field(default=None, foreign_key="users.id")
    notified_at: datetime | None = _maybe_when()  # sent to the organisation's webhook
    note: str | None = _text(nullable=True)  # what the person who acknowledged it wrote


# -- organisation settings ---------------------------------------------------------------
class OrgSetting(Model, table=True):
    """An organisation setting an admin set (site URL, time zone, thresholds, ...); the
    environment's ``MATRIXPUB_*`` variable of the same name overrides it for a process.
    Every change is on record in the audit log."""

    __tablename__ = "org_settings"
    key: str = Field(primary_key=True, max_length=60)
    value: str = _text()
    updated_by: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = _when()


# -- audit ---------------------------------------------------------------------------------
class AuditEvent(Model, table=True):
    """The hash-chained audit log: each row's hash covers the previous row's hash
    (see :mod:`sqlmodel_db.audit`)."""

    __tablename__ = "audit_events"
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = _when()
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=60)
    subject_type: str = Field(max_length=40)
    subject_id: str = Field(max_length=60)
    data: str = _text()  # canonical JSON
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    # HMAC-SHA256 under the audit key (False: written before the chain was keyed, SHA-256)
    keyed: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})


# -- proofreading (错敏检查) ------------------------------------------------------------------
class LexiconRow(Model, table=True):
    """One category's word list, kept as its TOML data file (the version is inside)."""

    __tablename__ = "lexicons"
    category: str = Field(primary_key=True, max_length=60)
    version: str = Field(max_length=40)
    text: str = _text()
    updated_by: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = _when()


class CheckRun(Model, table=True):
    """One run of the automatic checks over one version, with the word lists it used."""

    __tablename__ = "check_runs"
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="draft_versions.id", index=True)
    content_hash: str = Field(max_length=64)
    lexicon_versions: dict[str, str] = _json(dict)
    findings: int = 0
    blocking: int = 0
    links_checked: int = 0
    at: datetime = _when()


class FindingRow(Model, table=True):
    """One finding: which field of the version, exact character offsets into it."""

    __tablename__ = "findings"
    id: int | None = Field(default=None, primary_key=True)
    check_run_id: int = Field(foreign_key="check_runs.id", index=True)
    field: str = Field(max_length=80)  # title, summary, body, or <channel>.<field>
    category: str = Field(max_length=40)
    severity: str = Field(max_length=10)
    start: int
    end: int
    text: str = _text()
    suggestion: str | None = _text(nullable=True)
    message: str = _text()
    rule: str = Field(max_length=200)


class FindingOverride(Model, table=True):
    """A named reviewer lets a blocking finding pass, with a reason. Append-only."""

    __tablename__ = "finding_overrides"
    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="findings.id", index=True)
    actor_id: int = Field(foreign_key="users.id")
    reason: str = _text()
    at: datetime = _when()
