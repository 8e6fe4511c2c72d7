"""The organisation's settings an admin keeps in the database (``domain.settings``:
site URL, time zone, link checks, notification address, thresholds); every change is on
record in the audit log."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from domain.gates import DEFAULT_WORKFLOW, SEPARATION_SETTINGS, Workflow, rules_from
from domain.settings import parse_org_setting
from sqlmodel_db import audit
from sqlmodel_db.models import OrgSetting, User
from sqlmodel_db.types import utcnow
from sqlmodel_db.users import permit


def stored(*, session: Session) -> dict[str, str]:
    return {row.key: row.value for row in session.exec(select(OrgSetting))}


def set_setting(*, session: Session, actor: User, key: str, value: str) -> OrgSetting:
    """Set an organisation setting (admin), after checking its value."""
    permit(actor, "settings.set")
    key = key.strip().lower()
    value = value.strip()
    parse_org_setting(key, value)
    row = session.get(OrgSetting, key)
    before = row.value if row is not None else None
    if row is None:
        row = OrgSetting(key=key, value=value)
    row.value, row.updated_by, row.updated_at = value, actor.id, utcnow()
    session.add(row)
    audit.record(
        session=session,
        actor_id=actor.id,
        action="settings.set",
        subject_type="setting",
        subject_id=key,
        data={"from": before, "to": value},
    )
    return row


_SETTINGS = OrgSetting.__table__  # type: ignore[attr-defined]
# Built once: the dispatcher reads the separation rules in every transaction that sends.
_SEPARATION = sa_select(_SETTINGS.c.key, _SETTINGS.c.value).where(
    _SETTINGS.c.key.in_(sorted(SEPARATION_SETTINGS))
)


@lru_cache(maxsize=64)
def _workflow_of(rows: tuple[tuple[str, str], ...]) -> Workflow:
    flags = {key: parse_org_setting(key, value) for key, value in rows if value.strip()}
    return DEFAULT_WORKFLOW.with_rules(rules_from(flags))


def workflow(*, session: Session) -> Workflow:
    """The gates with the organisation's separation rules, as stored. Read from the
    database only: no person's environment relaxes the rules their decisions obey."""
    if session.new or session.dirty:  # a setting changed in this session counts
        session.flush()
    rows = session.connection().execute(_SEPARATION).all()
    return _workflow_of(tuple(sorted((str(k), str(v)) for k, v in rows)))
