"""Drafts, their versions, rendered variants and gate decisions.

Every function takes the acting user, checks the rules in ``domain`` and writes
the change together with its audit event in the caller's transaction, so a refused
action changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from domain.accounts import AccountState
from domain.content import (
    ChannelOverride,
    Content,
    clean_image_name,
    clean_summary,
    clean_title,
)
from domain.drafts import (
    DraftState,
    check_author,
    check_decidable,
    check_submit,
    state_after_edit,
)
from domain.errors import InvalidInput, NotFound, Refused, Stale
from domain.gates import (
    Approval,
    Gate,
    GateKind,
    Verdict,
    Workflow,
    authorize_decision,
    authorize_escalation,
)
from domain.hashing import canonical_json, hash_value
from domain.permissions import Party
from sqlmodel_db import audit
from sqlmodel_db.accounts import get_account
from sqlmodel_db.blobs import put_blob
from sqlmodel_db.models import Account, Decision, Draft, DraftVersion, Post, User, Variant
from sqlmodel_db.queue import cancel_queued
from sqlmodel_db.types import utcnow
from sqlmodel_db.users import permit, roles_of

KEEP = object()  # "leave this field as it is" in edits


def _author_of(draft: Draft, actor: User) -> tuple[Party, ...]:
    return (Party.DRAFT_AUTHOR,) if actor.id == draft.author_id else ()


MAX_OPINION_CHARS = 5_000


@dataclass(frozen=True)
class Upload:
    data: bytes
    media_type: str


def content_of(version: DraftVersion) -> Content:
    return Content(
        title=version.title,
        body=version.body,
        summary=version.summary,
        cover_sha256=version.cover_sha256,
        cover_focus=tuple(version.cover_focus) if version.cover_focus else None,  # type: ignore[arg-type]
        overrides={k: ChannelOverride(**v) for k, v in (version.overrides or {}).items()},
        images=dict(version.images or {}),
    )


# -- reading -------------------------------------------------------------------------------
def get_draft(*, session: Session, draft_id: int, lock: bool = False) -> Draft:
    query = select(Draft).where(Draft.id == draft_id)
    if lock:
        query = query.with_for_update()
    draft = session.exec(query).first()
    if draft is None:
        raise NotFound("no draft {id}", id=draft_id)
    return draft


def current_version(*, session: Session, draft: Draft) -> DraftVersion:
    version = session.exec(
        select(DraftVersion)
        .where(DraftVersion.draft_id == draft.id)
        .where(DraftVersion.number == draft.version_number)
    ).one()
    return version


def get_version(*, session: Session, version_id: int) -> DraftVersion:
    version = session.get(DraftVersion, version_id)
    if version is None:
        raise NotFound("no draft version {version_id}", version_id=version_id)
    return version


def list_versions(*, session: Session, draft_id: int) -> list[DraftVersion]:
    return list(
        session.exec(
            select(DraftVersion)
            .where(DraftVersion.draft_id == draft_id)
            .order_by(col(DraftVersion.number))
        )
    )


def _state_filter(query: Any, state: str | None) -> Any:
    if not state:
        return query
    try:
        return query.where(Draft.state == DraftState(state).value)
    except ValueError:
        known = ", ".join(s.value for s in DraftState)
        raise InvalidInput(
            "unknown draft state {state!r}; known: {known}", state=state, known=known
        ) from None


def list_drafts(
    *,
    session: Session,
    state: str | None = None,
    newest_first: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[Draft]:
    order = col(Draft.id).desc() if newest_first else col(Draft.id)
    query = _state_filter(select(Draft).order_by(order), state).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def count_drafts(*, session: Session, state: str | None = None) -> int:
    return int(session.exec(_state_filter(select(func.count()).select_from(Draft), state)).one())


def current_versions(*, session: Session, drafts: Sequence[Draft]) -> dict[int, DraftVersion]:
    """Each draft's current version, in one query."""
    wanted = {(d.id, d.version_number) for d in drafts}
    if not wanted:
        return {}
    rows = session.exec(
        select(DraftVersion).where(col(DraftVersion.draft_id).in_(sorted(i for i, _ in wanted)))
    )
    return {v.draft_id: v for v in rows if (v.draft_id, v.number) in wanted}


def decisions_for(*, session: Session, draft_id: int) -> list[Decision]:
    return list(
        session.exec(
            select(Decision).where(Decision.draft_id == draft_id).order_by(col(Decision.id))
        )
    )


def variants_for(*, session: Session, version_id: int) -> list[Variant]:
    """The version's current variants, one per channel (its newest row), by channel."""
    rows = session.exec(
        select(Variant).where(Variant.version_id == version_id).order_by(col(Variant.id))
    )
    newest = {row.channel: row for row in rows}
    return [newest[channel] for channel in sorted(newest)]


def signed_variants(*, session: Session, draft: Draft) -> dict[str, Variant]:
    """The variants the current round's sign-off (终审) pinned for the current version, by
    channel: what the draft's posts send, whatever was rendered since."""
    version = current_version(session=session, draft=draft)
    approvals = current_approvals(session=session, draft=draft)
    pinned = next(
        (a.variant_hashes for a in reversed(approvals) if a.variant_hashes is not None), None
    )
    if pinned is None:
        return {}
    rows = session.exec(
        select(Variant)
        .where(Variant.version_id == version.id)
        .where(col(Variant.hash).in_(sorted(set(pinned.values()))))
    )
    return {row.channel: row for row in rows if pinned.get(row.channel) == row.hash}


def variant_payload(variant: Variant) -> dict[str, Any]:
    return json.loads(variant.payload)


def target_accounts(*, session: Session, version: DraftVersion) -> list[Account]:
    if not version.targets:
        return []
    rows = {
        a.id: a for a in session.exec(select(Account).where(col(Account.id).in_(version.targets)))
    }
    return [rows[i] for i in version.targets if i in rows]


def target_channels(*, session: Session, version: DraftVersion) -> list[str]:
    return sorted({a.platform for a in target_accounts(session=session, version=version)})


def current_approvals(*, session: Session, draft: Draft) -> list[Decision]:
    """Approvals on the current version in the current round, in gate order."""
    version = current_version(session=session, draft=draft)
    return list(
        session.exec(
            select(Decision)
            .where(Decision.draft_id == draft.id)
            .where(Decision.version_id == version.id)
            .where(Decision.round == draft.round)
            .where(Decision.verdict == Verdict.APPROVE.value)
            .order_by(col(Decision.gate_index))
        )
    )


# -- writing -------------------------------------------------------------------------------
def resolve_targets(
    *, session: Session, account_ids: Iterable[int], group: str | None
) -> list[int]:
    """Explicit accounts plus a group's open accounts, each once, in order; refuses
    accounts that do not exist or cannot receive posts."""
    ids: list[int] = []
    for account_id in account_ids:
        account = get_account(session=session, account_id=account_id)
        if account.state != AccountState.ACTIVE.value:
            raise Refused(
                "account {account_id} ({name}) is {state} and cannot be targeted",
                account_id=account_id,
                name=account.name,
                state=account.state,
            )
        if account_id not in ids:
            ids.append(account_id)
    if group:
        members = list(
            session.exec(
                select(Account)
                .where(Account.group_name == group)
                .order_by(col(Account.is_main).desc(), col(Account.id))
            )
        )
        if not members:
            raise NotFound("no account belongs to group {group!r}", group=group)
        for account in members:
            if account.state == AccountState.ACTIVE.value and account.id not in ids:
                ids.append(account.id)  # type: ignore[arg-type]
    return ids


def create_draft(
    *,
    session: Session,
    actor: User,
    title: str,
    body: str,
    summary: str | None = None,
    cover: Upload | None = None,
    cover_focus: tuple[float, float] | None = None,
    images: Mapping[str, Upload] | None = None,
    targets: Sequence[int] = (),
    group: str | None = None,
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
    priority: int = 0,
    fanout_group: str | None = None,
    overrides: Mapping[str, ChannelOverride] | None = None,
    drafted_for: str | None = None,
) -> tuple[Draft, DraftVersion]:
    """A new draft by ``actor`` (an author). ``drafted_for`` names the record the product
    drafted it for on ``actor``'s behalf (a 停更公告 for an approved close request): then
    the author role is not asked, and the reason is on record."""
    if drafted_for is None:
        permit(actor, "draft.new")
    _check_schedule(not_before, expires_at, priority)
    title = clean_title(title)
    summary = clean_summary(summary)
    target_ids = resolve_targets(session=session, account_ids=targets, group=group)
    cover_sha = (
        put_blob(session=session, data=cover.data, media_type=cover.media_type) if cover else None
    )
    content = Content(
        title=title,
        body=body,
        summary=summary,
        cover_sha256=cover_sha,
        cover_focus=cover_focus,
        images=_store_images(session=session, images=images or {}),
        overrides=_clean_wording(overrides or {}),
    )
    draft = Draft(
        author_id=actor.id or 0,
        title=title,
        state=DraftState.DRAFT.value,
        group_name=group,
        not_before=not_before,
        expires_at=expires_at,
        priority=priority,
        fanout_group=fanout_group,
    )
    session.add(draft)
    session.flush()
    version = _add_version(
        session=session, draft=draft, number=1, content=content, targets=target_ids, actor=actor
    )
    audit.record(
        session=session,
        actor_id=actor.id,
        action="draft.created",
        subject_type="draft",
        subject_id=draft.id or 0,
        data={
            "version": 1,
            "content_hash": version.content_hash,
            "targets": target_ids,
            **({"drafted_for": drafted_for} if drafted_for else {}),
        },
    )
    return draft, version


MAX_PRIORITY = 100


def _check_schedule(
    not_before: datetime | None, expires_at: datetime | None, priority: int
) -> None:
    if not -MAX_PRIORITY <= priority <= MAX_PRIORITY:
        raise InvalidInput(
            "priority must be between -{MAX_PRIORITY} and {MAX_PRIORITY}", MAX_PRIORITY=MAX_PRIORITY
        )
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidInput("the expiry is already past")
    if not_before and expires_at and expires_at <= not_before:
        raise InvalidInput("the item would expire before its embargo ends")


def set_schedule(
    *,
    session: Session,
    actor: User,
    draft_id: int,
    not_before: Any = KEEP,
    expires_at: Any = KEEP,
    priority: Any = KEEP,
) -> tuple[Draft, list[int]]:
    """Change when a draft may go out (embargo, expiry, priority). Not what it says, so no
    new version: its queued posts follow the new times (re-checked when they are sent)."""
    draft = get_draft(session=session, draft_id=draft_id, lock=True)
    permit(actor, "draft.schedule", *_author_of(draft, actor))
    changes: dict[str, Any] = {}
    for name, value in (
        ("not_before", not_before),
        ("expires_at", expires_at),
        ("priority", priority),
    ):
        if value is not KEEP and getattr(draft, name) != value:
            changes[name] = value
    if not changes:
        raise InvalidInput("nothing to change")
    merged = {
        n: changes.get(n, getattr(draft, n)) for n in ("not_before", "expires_at", "priority")
    }
    _check_schedule(merged["not_before"], merged["expires_at"], merged["priority"])
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.updated_at = utcnow()
    session.add(draft)
    moved = []
    for post in session.exec(
        select(Post)
        .where(Post.draft_id == draft_id)
        .where(Post.state == "queued")
        .with_for_update()
    ):
        post.not_before, post.expires_at, post.priority = (
            draft.not_before,
            draft.expires_at,
            draft.priority,
        )
        if draft.not_before and post.due_at < draft.not_before:
            post.due_at = draft.not_before
        post.updated_at = utcnow()
        session.add(post)
        moved.append(post.id or 0)
    audit.record(
        session=session,
        actor_id=actor.id,
        action="draft.scheduled",
        subject_type="draft",
        subject_id=draft_id,
        data={k: v.isoformat() if isinstance(v, datetime) else v for k, v in changes.items()}
        | {"posts": moved},
    )
    return draft, moved


def fan_out(
    *,
    session: Session,
    actor: User,
    draft_id: int,
    group: str,
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> Draft:
    """集中转载: after 终审, repost the approved item to every account of a group, each
    live by ``deadline`` if one is given (see :mod:`sqlmodel_db.reposts`)."""
    draft = get_draft(session=session, draft_id=draft_id, lock=True)
    permit(actor, "draft.schedule", *_author_of(draft, actor))
    if draft.state != DraftState.APPROVED.value:
        raise Refused(
            "draft {draft_id} is {state}; only a signed (终审) draft is reposted across the matrix",
            draft_id=draft_id,
            state=draft.state,
        )
    if not session.exec(select(Account).where(Account.group_name == group)).first():
        raise NotFound("no account belongs to group {group!r}", group=group)
    if deadline is not None and deadline <= (now or utcnow()):
        raise InvalidInput("the 集中转载 deadline must be in the future")
    draft.fanout_group = group
    draft.fanout_deadline = deadline
    draft.updated_at = utcnow()
    session.add(draft)
    audit.record(
        session=session,
        actor_id=actor.id,
        action="draft.fanout",
        subject_type="draft",
        subject_id=draft_id,
        data={"group": group, "deadline": deadline.isoformat() if deadline else None},
    )
    return draft


def _store_images(*, session: Session, images: Mapping[str, Upload]) -> dict[str, str]:
    return {
        clean_image_name(name): put_blob(session=session, data=u.data, media_type=u.media_type)
        for name, u in sorted(images.items())
    }


def _add_version(
    *,
    session: Session,
    draft: Draft,
    number: int,
    content: Content,
    targets: list[int],
    actor: User,
) -> DraftVersion:
    version = DraftVersion(
        draft_id=draft.id or 0,
        number=number,
        title=content.title,
        summary=content.summary,
        body=content.body,
        cover_sha256=content.cover_sha256,
        cover_focus=list(content.cover_focus) if content.cover_focus else None,
        overrides={k: v.as_dict() for k, v in sorted(content.overrides.items())},
        images=dict(sorted(content.images.items())),
        targets=list(targets),
        content_hash=content.content_hash,
        created_by=actor.id or 0,
    )
    session.add(version)
    session.flush()
    return version


def _clean_wording(wording: Mapping[str, ChannelOverride]) -> dict[str, ChannelOverride]:
    """Each channel's own wording, checked like the draft's; empty ones dropped."""
    cleaned: dict[str, ChannelOverride] = {}
    for key, given in sorted(wording.items()):
        override = ChannelOverride(
            title=clean_title(given.title, what=f"{key} title") if given.title else None,
            summary=clean_summary(given.summary) if given.summary else None,
            body=given.body if given.body and given.body.strip() else None,
        )
        if override.as_dict():
            cleaned[key] = override
    return cleaned


def _update_working_copy(
    *, session: Session, version: DraftVersion, content: Content, targets: list[int]
) -> DraftVersion:
    version.title = content.title
    version.summary = content.summary
    version.body = content.body
    version.cover_sha256 = content.cover_sha256
    version.cover_focus = list(content.cover_focus) if content.cover_focus else None
    version.overrides = {k: v.as_dict() for k, v in sorted(content.overrides.items())}
    version.images = dict(sorted(content.images.items()))
    version.targets = list(targets)
    version.content_hash = content.content_hash
    version.created_at = utcnow()
    session.add(version)
    # Every row rendered from the old words, not only each channel's newest: an older one
    # would otherwise stand as the current variant until the next rendering. A working
    # copy's variants were never approved nor posted (the database allows this DELETE only
    # for a version not yet submitted).
    for stale in session.exec(select(Variant).where(Variant.version_id == version.id)):
        session.delete(stale)
    session.flush()
    return version


def edit_draft(
    *,
    session: Session,
    actor: User,
    draft_id: int,
    title: Any = KEEP,
    body: Any = KEEP,
    summary: Any = KEEP,
    cover: Any = KEEP,
    cover_focus: Any = KEEP,
    targets: Sequence[int] | None = None,
    group: str | None = None,
    channel: str | None = None,
    wording: Any = KEEP,
    add_images: Mapping[str, Upload] | None = None,
    remove_images: Sequence[str] = (),
) -> tuple[Draft, DraftVersion, list[int]]:
    """Change what the draft says. Until a version is submitted it is the author's
    working copy and the edit changes it in place; once submitted it never changes, and
    the edit makes a new version. With ``channel``, title/summary/body set that channel's
    override instead of the draft's own wording. A draft in review goes back through
    every gate as a new submission; an approved one also loses its queued posts.
    ``wording`` (channel key → :class:`ChannelOverride`) replaces every channel's own
    wording at once, as the web editor's form sends it.
    Returns the draft, the (new or changed) version and the ids of cancelled posts."""
    draft = get_draft(session=session, draft_id=draft_id, lock=True)
    permit(actor, "draft.edit", *_author_of(draft, actor))
    check_author(actor_id=actor.id or 0, author_id=draft.author_id, action="edit")
    new_state = state_after_edit(DraftState(draft.state))
    old = current_version(session=session, draft=draft)
    content = content_of(old)
    overrides = dict(content.overrides)
    new_targets = list(old.targets)
    if targets is not None or group:
        new_targets = resolve_targets(session=session, account_ids=targets or (), group=group)
    if channel:
        targeted = sorted(
            {
                a.platform
                for a in session.exec(select(Account).where(col(Account.id).in_(new_targets)))
            }
        )
        if channel not in targeted:
            raise Refused(
                "draft {draft_id} targets no {channel} account; its channels: {channels}",
                draft_id=draft_id,
                channel=channel,
                channels=", ".join(targeted) or "-",
            )
    if wording is not KEEP:
        if channel:
            raise InvalidInput("give either one channel's wording or all of them")
        overrides = _clean_wording(wording)
    if channel:
        current = overrides.get(channel, ChannelOverride())
        overrides[channel] = ChannelOverride(
            title=clean_title(title, what=f"{channel} title")
            if title is not KEEP
            else current.title,
            summary=clean_summary(summary) if summary is not KEEP else current.summary,
            body=body if body is not KEEP else current.body,
        )
        if not overrides[channel].as_dict():
            overrides.pop(channel)
        title = summary = body = KEEP
    cover_sha = content.cover_sha256
    if cover is not KEEP:
        cover_sha = (
            put_blob(session=session, data=cover.data, media_type=cover.media_type)
            if cover
            else None
        )
    images = dict(content.images)
    for name in remove_images:
        if images.pop(name, None) is None:
            raise InvalidInput("the draft has no picture named {name!r}", name=name)
    images.update(_store_images(session=session, images=add_images or {}))
    new_content = Content(
        title=clean_title(title) if title is not KEEP else content.title,
        body=body if body is not KEEP else content.body,
        summary=clean_summary(summary) if summary is not KEEP else content.summary,
        cover_sha256=cover_sha,
        cover_focus=cover_focus if cover_focus is not KEEP else content.cover_focus,
        overrides=overrides,
        images=images,
    )
    if new_content.content_hash == old.content_hash and new_targets == list(old.targets):
        raise InvalidInput("nothing to change: the new version would equal the current one")
    before = draft.state
    working_copy = old.submitted_at is None and new_state in (
        DraftState.DRAFT,
        DraftState.RETURNED,
    )
    if working_copy:
        # Nobody has read this version yet: the edit changes it in place.
        version = _update_working_copy(
            session=session, version=old, content=new_content, targets=new_targets
        )
    else:
        version = _add_version(
            session=session,
            draft=draft,
            number=old.number + 1,
            content=new_content,
            targets=new_targets,
            actor=actor,
        )
    draft.version_number = version.number
    draft.title = new_content.title
    draft.state = new_state.value
    draft.gate_index = 0
    draft.pending_check = None
    draft.gate_since = None
    if new_state is DraftState.SUBMITTED:  # an edit in review is a new submission at once
        version.submitted_at = utcnow()
        session.add(version)
        draft.round += 1
    draft.updated_at = utcnow()
    session.add(draft)
    cancelled = cancel_queued(
        session=session,
        draft_id=draft_id,
        actor_id=actor.id,
        reason=f"draft {draft_id} changed to version {version.number}",
    )
    audit.record(
        session=session,
        actor_id=actor.id,
        action="draft.edited",
        subject_type="draft",
        subject_id=draft_id,
        data={
            "version": version.number,
            "working_copy": working_copy,
            "content_hash": version.content_hash,
            "from_state": before,
            "to_state": draft.state,
            "targets": new_targets,
            "channel": channel,
            "cancelled_posts": cancelled,
        },
    )
    return draft, version, cancelled


def submit_draft(*, session: Session, actor: User, draft_id: int) -> Draft:
    draft = get_draft(session=session, draft_id=draft_id, lock=True)
    permit(actor, "draft.edit", *_author_of(draft, actor))
    check_submit(DraftState(draft.state), actor_id=actor.id or 0, author_id=draft.author_id)
    version = current_version(session=session, draft=draft)
    if not version.targets:
        raise Refused("choose at least one target account (--target or --group) before submitting")
    for account in target_accounts(session=session, version=version):
        if account.state != AccountState.ACTIVE.value:
            raise Refused(
                "target account {id} ({name}) is {state}; edit the targets first",
                id=account.id,
                name=account.name,
                state=account.state,
            )
    version.submitted_at = utcnow()  # the version is cut: it never changes again
    session.add(version)
    draft.state = DraftState.SUBMITTED.value
    draft.gate_index = 0
    draft.pending_check = None
    draft.gate_since = None
    draft.round += 1
    draft.updated_at = utcnow()
    session.add(draft)
    audit.record(
        session=session,
        actor_id=actor.id,
        action="draft.submitted",
        subject_type="draft",
        subject_id=draft_id,
        data={"version": version.number, "content_hash": version.content_hash},
    )
    return draft


@dataclass(frozen=True)
class RenderedVariant:
    """A variant as the database keeps it: its canonical payload, hash and pictures."""

    channel: str
    payload: Mapping[str, Any]
    hash: str
    images: Mapping[str, tuple[bytes, str]]  # sha256 -> (bytes, media type)

    @property
    def violations(self) -> list[dict[str, str]]:
        return list(self.payload.get("violations", []))


def store_variants(
    *, session: Session, version_id: int, variants: Sequence[RenderedVariant]
) -> list[Variant]:
    """Keep the rendered variants of a version. Insert-only, identified by hash: a
    rendering equal to the channel's current row reuses it; a different one is a new row,
    which becomes the channel's current variant. A row is never changed, so one that was
    signed or posted stays exactly as it was signed."""
    rows: list[Variant] = []
    for rendered in variants:
        if hash_value(dict(rendered.payload)) != rendered.hash:
            raise ValueError(f"variant {rendered.channel}: hash does not match its payload")
        for sha, (data, media_type) in rendered.images.items():
            stored = put_blob(session=session, data=data, media_type=media_type)
            if stored != sha:
                raise ValueError(f"variant {rendered.channel}: image hash mismatch")
        newest = session.exec(
            select(Variant)
            .where(Variant.version_id == version_id)
            .where(Variant.channel == rendered.channel)
            .order_by(col(Variant.id).desc())
            .limit(1)
        ).first()
        if newest is not None and newest.hash == rendered.hash:
            rows.append(newest)  # the same rendering: nothing to write
            continue
        row = Variant(
            version_id=version_id,
            channel=rendered.channel,
            payload=canonical_json(dict(rendered.payload)).decode("utf-8"),
            hash=rendered.hash,
            violations=len(rendered.violations),
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def finish_preparation(*, session: Session, version_id: int, problems: Sequence[str]) -> Draft:
    """After a submitted version's automatic work: into review at gate 1, or back to
    the author when something blocks it. A version that is no longer current, or a
    draft that is not waiting, is left alone."""
    version = get_version(session=session, version_id=version_id)
    draft = get_draft(session=session, draft_id=version.draft_id, lock=True)
    if draft.version_number != version.number or draft.state != DraftState.SUBMITTED.value:
        return draft
    if problems:
        draft.state = DraftState.RETURNED.value
        action, data = "draft.blocked", {"version": version.number, "problems": list(problems)}
    else:
        draft.state = DraftState.IN_REVIEW.value
        action, data = "draft.in_review", {"version": version.number, "gate": 0}
        draft.gate_since = utcnow()
    draft.gate_index = 0
    draft.pending_check = None
    draft.updated_at = utcnow()
    session.add(draft)
    audit.record(
        session=session,
        actor_id=None,
        action=action,
        subject_type="draft",
        subject_id=draft.id or 0,
        data=data,
    )
    return draft


def _workflow(session: Session, workflow: Workflow | None) -> Workflow:
    if workflow is not None:
        return workflow
    from sqlmodel_db.org_settings import workflow as org_workflow

    return org_workflow(session=session)


def _check_opinion(opinion: str) -> str:
    opinion = (opinion or "").strip()
    if not opinion:
        raise InvalidInput("an opinion is required for every decision")
    if len(opinion) > MAX_OPINION_CHARS:
        raise InvalidInput(
            "the opinion is longer than {MAX_OPINION_CHARS} characters",
            MAX_OPINION_CHARS=MAX_OPINION_CHARS,
        )
    return opinion


def _where(workflow: Workflow, draft: Draft) -> Gate | None:
    """The gate or check the draft waits at, or None when it is not in review."""
    if draft.state != DraftState.IN_REVIEW.value:
        return None
    return workflow.at(draft.gate_index, draft.pending_check)


def _check_meant(
    workflow: Workflow, draft: Draft, meant: Gate, expected_version: int | None
) -> None:
    if expected_version is not None and expected_version != draft.version_number:
        raise Stale(
            "draft {id} is now at version {now}; you read version {read}. "
            "Review the current version first",
            id=draft.id,
            now=draft.version_number,
            read=expected_version,
        )
    here = _where(workflow, draft)
    if here is not None and here.key != meant.key and not _passed(workflow, draft, meant):
        # Nobody moved the draft: the person named another gate than the one it waits at.
        raise Stale(
            "draft {id} is at {where}, not at {title}",
            id=draft.id,
            where=here.title,
            title=meant.title,
        )
    if here is None or here.key != meant.key:
        where = f"at {here.title}" if here is not None else f"{draft.state}"
        raise Stale(
            "draft {id} is {where} now, not at {title}; someone decided it since you read it",
            id=draft.id,
            where=where,
            title=meant.title,
        )


def _passed(workflow: Workflow, draft: Draft, meant: Gate) -> bool:
    """Whether the draft has gone past ``meant`` (a gate of the workflow): someone decided
    it since the person read it there."""
    keys = [gate.key for gate in workflow.gates]
    return meant.key in keys and draft.gate_index > keys.index(meant.key)


def _as_read(
    session: Session,
    workflow: Workflow,
    draft_id: int,
    meant: Gate,
    expected_version: int | None,
) -> tuple[Draft, DraftVersion, list[Decision]]:
    """The draft (locked), its current version and approvals, once it is shown to be where
    and as the person read it."""
    draft = get_draft(session=session, draft_id=draft_id, lock=True)
    check_decidable(DraftState(draft.state))
    _check_meant(workflow, draft, meant, expected_version)
    version = current_version(session=session, draft=draft)
    return draft, version, current_approvals(session=session, draft=draft)


def decide(
    *,
    session: Session,
    actor: User,
    draft_id: int,
    verdict: Verdict,
    opinion: str,
    expected_gate: str | None,
    expected_version: int | None = None,
    workflow: Workflow | None = None,
) -> tuple[Draft, Decision, Gate]:
    """Record a gate decision on the draft's current version.

    Approving the last gate approves the draft; rejecting sends it back to its author.
    A decision names the gate it decides (``expected_gate``: 复审 or review_2) and, to
    approve, the version the reviewer read (``expected_version``): if the draft changed
    or moved on since, the decision is refused rather than applied to content or a gate
    the reviewer never saw. When the draft waits for an extra check (保密审查, 网信), the
    decision is that check's: passing it returns the draft to its gate.
    """
    if verdict is Verdict.ESCALATE:
        raise InvalidInput("send a draft to an extra check with escalate, not decide")
    opinion = _check_opinion(opinion)
    workflow = _workflow(session, workflow)
    if not (expected_gate or "").strip():
        raise Refused(
            "name the gate you decide (--gate 复审 or --gate review_2): a decision is "
            "refused when the draft is at another gate"
        )
    if verdict is Verdict.APPROVE and expected_version is None:
        raise Refused("name the version you read (--version N) to approve it")
    meant = workflow.find(expected_gate or "")
    draft, version, approvals = _as_read(session, workflow, draft_id, meant, expected_version)
    gate = authorize_decision(
        workflow,
        gate_index=draft.gate_index,
        check=draft.pending_check,
        actor_id=actor.id or 0,
        actor_roles=roles_of(actor),
        author_id=draft.author_id,
        approvals=[Approval(gate=a.gate, actor_id=a.actor_id) for a in approvals],
    )
    if verdict is Verdict.APPROVE and gate.kind is not GateKind.CHECK:
        from sqlmodel_db.proofread import open_blocking

        blocking = open_blocking(session=session, version_id=version.id or 0)
        if blocking:
            first = blocking[0]
            raise Refused(
                "{n_blocking} blocking finding(s) stop this draft, e.g. #{id} “{text}” in "
                "{field}: {message_}. Fix them in a new version, or override: matrixpub review "
                "override {draft_id} {id} --reason ...",
                n_blocking=len(blocking),
                id=first.id,
                text=first.text,
                field=first.field,
                message_=first.message,
                draft_id=draft_id,
            )
    variant_hashes: dict[str, str] | None = None
    if gate.pins_variants and verdict is Verdict.APPROVE:
        variant_hashes = _pinnable_variants(session=session, version=version)
    decision = Decision(
        draft_id=draft_id,
        version_id=version.id or 0,
        version_number=version.number,
        round=draft.round,
        gate=gate.key,
        gate_index=draft.gate_index,
        verdict=verdict.value,
        actor_id=actor.id or 0,
        opinion=opinion,
        content_hash=version.content_hash,
        variant_hashes=variant_hashes,
    )
    session.add(decision)
    before = draft.gate_index
    if verdict is Verdict.REJECT:
        draft.state = DraftState.RETURNED.value
        draft.gate_index = 0
        draft.pending_check = None
    elif gate.kind is GateKind.CHECK:
        draft.pending_check = None  # the check passed: back to the gate it was sent from
    elif draft.gate_index == workflow.last_index:
        draft.state = DraftState.APPROVED.value
    else:
        draft.gate_index += 1
    draft.gate_since = utcnow() if draft.state == DraftState.IN_REVIEW else None
    draft.updated_at = utcnow()
    session.add(draft)
    session.flush()
    audit.record(
        session=session,
        sealed=decision,
        actor_id=actor.id,
        action=f"gate.{verdict.value}",
        subject_type="draft",
        subject_id=draft_id,
        data={
            "gate": gate.key,
            "gate_index": before,
            "version": version.number,
            "content_hash": version.content_hash,
            "variant_hashes": variant_hashes,
            "opinion": opinion,
            "decision_id": decision.id,
            "state": draft.state,
        },
    )
    return draft, decision, gate


def escalate(
    *,
    session: Session,
    actor: User,
    draft_id: int,
    check: str,
    opinion: str,
    expected_gate: str,
    expected_version: int,
    workflow: Workflow | None = None,
) -> tuple[Draft, Decision, Gate]:
    """The person who may decide the gate a draft waits at sends it to an extra check
    (保密审查 or 网信) first, with an opinion. The draft waits for the check's role to pass
    it before its gate is decided; on record as a decision (``escalate``) naming the
    check, at the gate it was sent from."""
    opinion = _check_opinion(opinion)
    workflow = _workflow(session, workflow)
    wanted = workflow.find_check(check)
    meant = workflow.find(expected_gate)
    draft, version, approvals = _as_read(session, workflow, draft_id, meant, expected_version)
    gate = authorize_escalation(
        workflow,
        gate_index=draft.gate_index,
        check=draft.pending_check,
        wanted=wanted,
        actor_id=actor.id or 0,
        actor_roles=roles_of(actor),
        author_id=draft.author_id,
        approvals=[Approval(gate=a.gate, actor_id=a.actor_id) for a in approvals],
    )
    decision = Decision(
        draft_id=draft_id,
        version_id=version.id or 0,
        version_number=version.number,
        round=draft.round,
        gate=wanted.key,
        gate_index=draft.gate_index,
        verdict=Verdict.ESCALATE.value,
        actor_id=actor.id or 0,
        opinion=opinion,
        content_hash=version.content_hash,
    )
    session.add(decision)
    draft.pending_check = wanted.key
    draft.gate_since = utcnow()
    draft.updated_at = utcnow()
    session.add(draft)
    session.flush()
    audit.record(
        session=session,
        actor_id=actor.id,
        action="gate.escalate",
        subject_type="draft",
        subject_id=draft_id,
        data={
            "gate": gate.key,
            "check": wanted.key,
            "role": wanted.role.value,
            "gate_index": draft.gate_index,
            "version": version.number,
            "content_hash": version.content_hash,
            "opinion": opinion,
            "decision_id": decision.id,
        },
    )
    return draft, decision, wanted


def _pinnable_variants(*, session: Session, version: DraftVersion) -> dict[str, str]:
    rows = {v.channel: v for v in variants_for(session=session, version_id=version.id or 0)}
    needed = target_channels(session=session, version=version)
    missing = [c for c in needed if c not in rows]
    if missing:
        raise Refused(
            "the rendered variants for {missing} are not ready yet", missing=", ".join(missing)
        )
    hashes: dict[str, str] = {}
    for channel in needed:
        row = rows[channel]
        if hash_value(variant_payload(row)) != row.hash:
            raise Refused(
                "the {channel} variant changed after rendering; re-render it", channel=channel
            )
        if row.violations:
            raise Refused(
                "the {channel} variant has {violations} violation(s) to fix",
                channel=channel,
                violations=row.violations,
            )
        hashes[channel] = row.hash
    return hashes


def review_queue(
    *, session: Session, actor: User, workflow: Workflow | None = None
) -> list[tuple[Draft, Gate]]:
    """The drafts this person may decide now (at a gate, or at an extra check a reviewer
    sent them to), the longest waiting first.

    Two queries whatever the number of drafts: the drafts at a gate or check of one of
    the person's roles, then the approvals of their current versions."""
    workflow = _workflow(session, workflow)
    roles = roles_of(actor)
    indices = [i for i, gate in enumerate(workflow.gates) if gate.role in roles]
    checks = [c.key for c in workflow.checks if c.role in roles]
    if not indices and not checks:
        return []
    waiting = []
    if indices:
        waiting.append(col(Draft.gate_index).in_(indices) & col(Draft.pending_check).is_(None))
    if checks:
        waiting.append(col(Draft.pending_check).in_(checks))
    query = (
        select(Draft)
        .where(Draft.state == DraftState.IN_REVIEW.value)
        .where(or_(*waiting))
        .order_by(func.coalesce(Draft.gate_since, Draft.updated_at), col(Draft.id))
    )
    if not workflow.rules.author_may_pass:
        query = query.where(Draft.author_id != actor.id)
    drafts = list(session.exec(query))
    approvals = approvals_of_current(session=session, drafts=drafts)
    mine: list[tuple[Draft, Gate]] = []
    for draft in drafts:
        try:
            gate = authorize_decision(
                workflow,
                gate_index=draft.gate_index,
                check=draft.pending_check,
                actor_id=actor.id or 0,
                actor_roles=roles,
                author_id=draft.author_id,
                approvals=approvals.get(draft.id or 0, []),
            )
        except Refused:
            continue
        mine.append((draft, gate))
    return mine


def approvals_of_current(*, session: Session, drafts: Sequence[Draft]) -> dict[int, list[Approval]]:
    """Each draft's approvals on its current version in its current round, in one query."""
    by_id = {d.id: d for d in drafts if d.id is not None}
    found: dict[int, list[Approval]] = {i: [] for i in by_id}
    if not by_id:
        return found
    for draft_id, number, round_, gate, actor_id in session.exec(
        select(
            Decision.draft_id, Decision.version_number, Decision.round, Decision.gate,
            Decision.actor_id,
        )
        .where(col(Decision.draft_id).in_(sorted(by_id)))
        .where(Decision.verdict == Verdict.APPROVE.value)
        .order_by(col(Decision.gate_index))
    ):  # fmt: skip
        draft = by_id[draft_id]
        if number == draft.version_number and round_ == draft.round:
            found[draft_id].append(Approval(gate=gate, actor_id=actor_id))
    return found
