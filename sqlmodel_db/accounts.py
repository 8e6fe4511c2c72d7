"""The account registry (备案): register, change, suspend, resume and close, on record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from domain.accounts import AccountState, Platform, next_state, parse_platform
from domain.content import refuse_controls
from domain.errors import InvalidInput, NotFound, Refused
from domain.keepalive import COLUMN_THRESHOLDS, ColumnKind, parse_column_kind
from sqlmodel_db import audit
from sqlmodel_db.models import Account, AccountEvent, User
from sqlmodel_db.queue import cancel_queued
from sqlmodel_db.types import utcnow
from sqlmodel_db.users import permit

OPEN_STATES = (
    AccountState.APPLYING.value,
    AccountState.ACTIVE.value,
    AccountState.SUSPENDED.value,
    AccountState.CLOSING.value,
)
CHANGEABLE = (
    "name", "unit", "supervising_unit", "platform_id", "url", "verification", "responsible",
    "contact", "credential_holder", "record_no", "opened_on", "filed_on", "is_main",
    "parent_id", "group_name", "update_threshold_days", "credentials_expire_at", "column_kind",
    "unit_type", "operation_mode", "operator",
)  # fmt: skip
OPERATION_MODES = ("self", "outsourced")  # 自营, 委托运营


def _text(value: Any, field: str, limit: int) -> str | None:
    if value is None:
        return None
    value = " ".join(refuse_controls(str(value), field, allow="\t\n\r").split())
    if not value:
        return None
    if len(value) > limit:
        raise InvalidInput("{field} is longer than {limit} characters", field=field, limit=limit)
    return value


def _iso_date(value: str | None, field: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InvalidInput(
            "{field} {value!r} is not a date like 2026-01-31", field=field, value=value
        ) from None


def _clean(fields: dict[str, Any], *, session: Session) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key in ("name", "unit"):
            cleaned = _text(value, key, 200)
            if cleaned is None:
                raise InvalidInput("the account {key} is empty", key=key)
            out[key] = cleaned
        elif key in ("opened_on", "filed_on"):
            out[key] = _iso_date(value, key.replace("_", " "))
        elif key == "url":
            url = _text(value, "url", 1000)
            if url and not url.startswith(("http://", "https://")):
                raise InvalidInput("url {url!r} must start with http:// or https://", url=url)
            out[key] = url
        elif key == "parent_id":
            if value is not None and session.get(Account, value) is None:
                raise NotFound("no parent account {parent}", parent=value)
            out[key] = value
        elif key == "update_threshold_days":
            if value is not None and not 1 <= int(value) <= 365:
                raise InvalidInput("the update threshold must be between 1 and 365 days")
            out[key] = value
        elif key == "column_kind":
            out[key] = parse_column_kind(value).value if value else None
        elif key == "is_main":
            out[key] = bool(value)
        elif key == "group_name":
            out[key] = _text(value, "group", 100)
        elif key == "operation_mode":
            mode = _text(value, "operation mode", 20)
            if mode is not None and mode.lower() not in OPERATION_MODES:
                raise InvalidInput(
                    "operation mode {mode!r} is self (自营) or outsourced (委托运营)", mode=mode
                )
            out[key] = mode.lower() if mode else None
        elif key in ("unit_type", "operator"):
            out[key] = _text(value, key.replace("_", " "), 100)
        elif key == "credentials_expire_at":
            if not isinstance(value, datetime):
                raise InvalidInput("the credentials' expiry must be a date")
            out[key] = value
        else:
            out[key] = _text(value, key.replace("_", " "), 200)
    return out


def register_account(
    *,
    session: Session,
    actor: User,
    platform: str,
    name: str,
    unit: str,
    duplicate_reason: str | None = None,
    unsigned: bool = False,
    applying: bool = False,
    **fields: Any,
) -> Account:
    """Record a new account (备案). One open account per unit per platform, unless
    ``duplicate_reason`` records why a second one exists. ``unsigned`` (webhooks only)
    records that the endpoint takes posts without a signature; any other webhook without a
    signing secret gets nothing sent. ``applying``: a new account asked for through an open
    request (its requester was checked there); it stays ``applying`` until approved."""
    if not applying:
        permit(actor, "account.register")
    unknown = set(fields) - set(CHANGEABLE)
    if unknown:
        raise InvalidInput("unknown account fields: {unknown}", unknown=", ".join(sorted(unknown)))
    plat: Platform = parse_platform(platform)
    if unsigned and plat is not Platform.WEBHOOK:
        raise InvalidInput("only a webhook account can be registered --unsigned")
    values = _clean({"name": name, "unit": unit, **fields}, session=session)
    if values.get("column_kind"):
        if plat is not Platform.WEBSITE:
            raise InvalidInput("only a website column has a column kind")
        if values.get("update_threshold_days") is None:
            kind = ColumnKind(values["column_kind"])
            values["update_threshold_days"] = COLUMN_THRESHOLDS[kind]
    same = session.exec(
        select(Account)
        .where(Account.platform == plat.value)
        .where(Account.unit == values["unit"])
        .where(col(Account.state).in_(OPEN_STATES))
    ).first()
    reason = _text(duplicate_reason, "duplicate reason", 1000)
    if same is not None and not reason:
        raise Refused(
            "{unit} already has {platform} account {id} ({name}); one account per unit per "
            "platform unless --duplicate-reason says why",
            unit=values["unit"],
            platform=plat.value,
            id=same.id,
            name=same.name,
        )
    account = Account(
        platform=plat.value,
        state=(AccountState.APPLYING if applying else AccountState.ACTIVE).value,
        duplicate_reason=reason,
        unsigned=bool(unsigned),
        **values,
    )
    session.add(account)
    session.flush()
    assert account.id is not None
    snapshot = account.model_dump(mode="json", exclude={"created_at", "updated_at"})
    event = AccountEvent(
        account_id=account.id,
        action="requested" if applying else "registered",
        to_state=account.state,
        actor_id=actor.id or 0,
        reason=reason,
        changes=snapshot,
    )
    audit.record(
        session=session,
        sealed=event,
        actor_id=actor.id,
        action="account.registered",
        subject_type="account",
        subject_id=account.id,
        data=snapshot,
    )
    return account


def get_account(*, session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("no account {account_id}", account_id=account_id)
    return account


def account_names(*, session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Names by id, for showing accounts instead of numbers."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Account.id, Account.name).where(col(Account.id).in_(sorted(wanted))))
    return {ident: name for ident, name in rows}


def list_accounts(
    *,
    session: Session,
    platform: str | None = None,
    state: str | None = None,
    group: str | None = None,
) -> list[Account]:
    query = select(Account).order_by(col(Account.id))
    if platform:
        query = query.where(Account.platform == parse_platform(platform).value)
    if state:
        query = query.where(Account.state == AccountState(state).value)
    if group:
        query = query.where(Account.group_name == group)
    return list(session.exec(query))


def accounts_in_group(*, session: Session, group: str) -> list[Account]:
    accounts = list_accounts(session=session, group=group)
    if not accounts:
        raise NotFound("no account belongs to group {group!r}", group=group)
    return accounts


def _recorded(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def change_account(
    *, session: Session, actor: User, account_id: int, reason: str | None, **fields: Any
) -> Account:
    permit(actor, "account.change")
    account = get_account(session=session, account_id=account_id)
    if account.state == AccountState.CLOSED.value:
        raise Refused(
            "account {account_id} is closed; its record no longer changes", account_id=account_id
        )
    unknown = set(fields) - set(CHANGEABLE)
    if unknown:
        raise InvalidInput("unknown account fields: {unknown}", unknown=", ".join(sorted(unknown)))
    values = _clean({k: v for k, v in fields.items() if v is not None}, session=session)
    if values.get("parent_id") == account_id:
        raise InvalidInput("an account cannot be its own parent")
    changes = {k: [getattr(account, k), v] for k, v in values.items() if getattr(account, k) != v}
    if not changes:
        raise InvalidInput("nothing to change")
    for key, (_, new) in changes.items():
        setattr(account, key, new)
    changes = {k: [_recorded(old), _recorded(new)] for k, (old, new) in changes.items()}
    account.updated_at = utcnow()
    session.add(account)
    event = AccountEvent(
        account_id=account_id,
        action="changed",
        actor_id=actor.id or 0,
        reason=reason,
        changes=changes,
    )
    audit.record(
        session=session,
        sealed=event,
        actor_id=actor.id,
        action="account.changed",
        subject_type="account",
        subject_id=account_id,
        data={"changes": changes, "reason": reason},
    )
    return account


def move_account(
    *, session: Session, actor: User, account_id: int, move: str, reason: str
) -> tuple[Account, list[int]]:
    """Suspend, resume, activate or close an account; suspending and closing cancel its
    queued posts. Returns the account and the ids of the posts cancelled."""
    permit(actor, "account.move")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a reason is required")
    account = get_account(session=session, account_id=account_id)
    before = AccountState(account.state)
    after = next_state(before, move)
    account.state = after.value
    account.updated_at = utcnow()
    session.add(account)
    event = AccountEvent(
        account_id=account_id,
        action=move,
        from_state=before.value,
        to_state=after.value,
        actor_id=actor.id or 0,
        reason=reason,
    )
    audit.record(
        session=session,
        sealed=event,
        actor_id=actor.id,
        action=f"account.{move}",
        subject_type="account",
        subject_id=account_id,
        data={"from": before.value, "to": after.value, "reason": reason},
    )
    cancelled: list[int] = []
    if after in (AccountState.SUSPENDED, AccountState.CLOSED):
        cancelled = cancel_queued(
            session=session,
            account_id=account_id,
            actor_id=actor.id,
            reason=f"account {account_id} {after.value}: {reason}",
        )
    return account, cancelled


def account_events(*, session: Session, account_id: int) -> list[AccountEvent]:
    return list(
        session.exec(
            select(AccountEvent)
            .where(AccountEvent.account_id == account_id)
            .order_by(col(AccountEvent.id))
        )
    )


def set_secret_block(
    *,
    session: Session,
    actor: User,
    account_id: int,
    block: str | None,
    fields: Sequence[str] = (),
    renewed: bool = False,
    expires_at: datetime | None = None,
    check: str | None = None,
) -> Account:
    """Name the Prefect Secret block holding an account's credentials (the name only:
    credentials never enter our tables). ``renewed``: new values were stored or the
    platform was asked about them, so what is known of their expiry is ``expires_at``
    (None: not known) and any warning about the old ones is settled. ``fields`` (names
    only) and ``check`` (what the platform said) go on record."""
    from sqlmodel_db.schedule import CREDENTIALS_EXPIRING, resolve_alerts

    permit(actor, "account.credentials")
    account = get_account(session=session, account_id=account_id)
    if account.state == AccountState.CLOSED.value:
        raise Refused("account {account_id} is closed", account_id=account_id)
    before = account.secret_block
    account.secret_block = block
    changes: dict[str, Any] = {"secret_block": [before, block]}
    if fields:
        changes["fields"] = sorted(fields)
    if check:
        changes["check"] = check
    if renewed:
        old = account.credentials_expire_at
        account.credentials_expire_at = expires_at
        changes["credentials_expire_at"] = [
            old.isoformat() if old else None,
            expires_at.isoformat() if expires_at else None,
        ]
        resolve_alerts(
            session=session, account_id=account_id, kind=CREDENTIALS_EXPIRING, actor=actor
        )
    account.updated_at = utcnow()
    session.add(account)
    event = AccountEvent(
        account_id=account_id,
        action="credentials",
        actor_id=actor.id or 0,
        changes=changes,
    )
    audit.record(
        session=session,
        sealed=event,
        actor_id=actor.id,
        action="account.credentials",
        subject_type="account",
        subject_id=account_id,
        data={"secret_block": block, "previous": before, **changes},
    )
    return account
