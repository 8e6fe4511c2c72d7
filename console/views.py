"""JSON-ready shapes of what the faces show: the same dicts for ``--json`` and the web."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from console.i18n import gate_label
from domain.gates import DEFAULT_WORKFLOW
from sqlmodel_db import accounts as accounts_db
from sqlmodel_db import audit
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import users as users_db
from sqlmodel_db.models import (
    Account,
    AccountEvent,
    AccountPublic,
    Decision,
    Draft,
    DraftVersion,
    Post,
    PostPublic,
    User,
    UserPublic,
    Variant,
)


def user_view(user: User) -> dict[str, Any]:
    return UserPublic.model_validate(user).model_dump(mode="json")


def account_view(account: Account) -> dict[str, Any]:
    return AccountPublic.model_validate(account).model_dump(mode="json")


def account_event_view(event: AccountEvent) -> dict[str, Any]:
    return event.model_dump(mode="json")


def post_view(post: Post) -> dict[str, Any]:
    return PostPublic.model_validate(post).model_dump(mode="json")


def gate_view(draft: Draft) -> dict[str, Any] | None:
    if draft.state != "in_review":
        return None
    gate = DEFAULT_WORKFLOW.gate(draft.gate_index)
    check = DEFAULT_WORKFLOW.by_key(draft.pending_check) if draft.pending_check else None
    return {
        "index": draft.gate_index + 1,
        "key": gate.key,
        "label": gate_label(gate.key),
        "role": gate.role.value,
        # the extra check the draft waits for before this gate, if a reviewer asked for one
        "check": {"key": check.key, "label": gate_label(check.key), "role": check.role.value}
        if check
        else None,
    }


def version_view(version: DraftVersion) -> dict[str, Any]:
    return {
        "id": version.id,
        "number": version.number,
        "title": version.title,
        "summary": version.summary,
        "body_chars": len(version.body),
        "cover_sha256": version.cover_sha256,
        "cover_focus": version.cover_focus,
        "overrides": version.overrides,
        "images": version.images,
        "targets": version.targets,
        "content_hash": version.content_hash,
        "created_at": version.created_at.isoformat(),
    }


def draft_view(
    session: Session, draft: Draft, version: DraftVersion | None = None
) -> dict[str, Any]:
    version = version or drafts_db.current_version(session=session, draft=draft)
    return {
        "id": draft.id,
        "title": draft.title,
        "state": draft.state,
        "gate": gate_view(draft),
        "version": draft.version_number,
        "author_id": draft.author_id,
        "targets": version.targets,
        "content_hash": version.content_hash,
        "created_at": draft.created_at.isoformat(),
        "updated_at": draft.updated_at.isoformat(),
    }


def deciders(session: Session, draft: Draft) -> list[str]:
    """The names of the active people who may decide where the draft waits: the extra
    check it was sent to, else its gate."""
    from domain.errors import Refused
    from domain.gates import authorize_decision
    from sqlmodel_db import org_settings
    from sqlmodel_db.users import list_users, roles_of

    if draft.state != "in_review":
        return []
    approvals = drafts_db.approvals_of_current(session=session, drafts=[draft]).get(
        draft.id or 0, []
    )
    workflow = org_settings.workflow(session=session)  # with the organisation's rules
    names: list[str] = []
    for user in list_users(session=session):
        if not user.active:
            continue
        try:
            authorize_decision(
                workflow,
                gate_index=draft.gate_index,
                actor_id=user.id or 0,
                actor_roles=roles_of(user),
                author_id=draft.author_id,
                approvals=approvals,
                check=draft.pending_check,
            )
        except Refused:
            continue
        names.append(user.name)
    return names


def with_target_names(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drafts' views with their target accounts' names, in one query for all of them."""
    ids = sorted({i for row in rows for i in row["targets"]})
    if not ids:
        return rows
    from sqlmodel import col, select

    accounts = {a.id: a for a in session.exec(select(Account).where(col(Account.id).in_(ids)))}
    for row in rows:
        row["target_accounts"] = [
            {"id": i, "name": accounts[i].name, "platform": accounts[i].platform}
            for i in row["targets"]
            if i in accounts
        ]
    return rows


def named_draft_view(
    session: Session, draft: Draft, version: DraftVersion | None = None
) -> dict[str, Any]:
    """:func:`draft_view` with the target accounts' names and, at a gate, who may decide it:
    what a person needs to read after acting on one draft."""
    version = version or drafts_db.current_version(session=session, draft=draft)
    view = draft_view(session, draft, version)
    view["target_accounts"] = [
        {"id": a.id, "name": a.name, "platform": a.platform}
        for a in drafts_db.target_accounts(session=session, version=version)
    ]
    if view["gate"] is not None:
        view["gate"]["deciders"] = deciders(session, draft)
    return view


def decision_view(decision: Decision, names: dict[int, str]) -> dict[str, Any]:
    gate = DEFAULT_WORKFLOW.by_key(decision.gate)
    return {
        "id": decision.id,
        "gate": decision.gate,
        "label": gate_label(gate.key),
        "verdict": decision.verdict,
        "actor_id": decision.actor_id,
        "actor": names.get(decision.actor_id, str(decision.actor_id)),
        "opinion": decision.opinion,
        "version": decision.version_number,
        "round": decision.round,
        "content_hash": decision.content_hash,
        "variant_hashes": decision.variant_hashes,
        "at": decision.at.isoformat(),
    }


def variant_view(variant: Variant) -> dict[str, Any]:
    payload = drafts_db.variant_payload(variant)
    return {
        "channel": variant.channel,
        "hash": variant.hash,
        "violations": payload.get("violations", []),
        "measures": payload.get("measures", []),
        "images": payload.get("images", []),
    }


def draft_detail(session: Session, draft: Draft) -> dict[str, Any]:
    from sqlmodel_db import posts as posts_db  # the one view here that loads the posts

    view = named_draft_view(session, draft)
    version = drafts_db.current_version(session=session, draft=draft)
    decisions = drafts_db.decisions_for(session=session, draft_id=draft.id or 0)
    ids = {d.actor_id for d in decisions} | {draft.author_id}
    names = {u.id: u.name for u in (session.get(User, i) for i in ids) if u and u.id}
    posts = posts_db.list_posts(session=session, draft_id=draft.id)
    accounts = accounts_db.account_names(session=session, ids=(p.account_id for p in posts))
    view.update(
        {
            "author": names.get(draft.author_id),
            "current_version": version_view(version),
            "body": version.body,
            "decisions": [decision_view(d, names) for d in decisions],
            "variants": [
                variant_view(v)
                for v in drafts_db.variants_for(session=session, version_id=version.id or 0)
            ],
            "check": check_view(session, version),
            "posts": [{**post_view(p), "account": accounts.get(p.account_id)} for p in posts],
        }
    )
    return view


def context_of(text: str, start: int, end: int, width: int = 12) -> str:
    """The finding in its sentence: ``…前文【错字】后文…`` on one line."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    snippet = f"{'…' if start > width else ''}{before}【{text[start:end]}】{after}" + (
        "…" if end + width < len(text) else ""
    )
    return " ".join(snippet.split())


def finding_view(row: Any, override: Any, text: str | None) -> dict[str, Any]:
    from domain.proofread import line_col

    line, column = line_col(text, row.start) if text is not None else (None, None)
    return {
        "id": row.id,
        "field": row.field,
        "category": row.category,
        "severity": row.severity,
        "start": row.start,
        "end": row.end,
        "line": line,
        "column": column,
        "text": row.text,
        "context": context_of(text, row.start, row.end) if text is not None else row.text,
        "suggestion": row.suggestion,
        "message": row.message,
        "rule": row.rule,
        "overridden": None
        if override is None
        else {"by": override.actor_id, "reason": override.reason, "at": override.at.isoformat()},
    }


def check_view(session: Session, version: DraftVersion) -> dict[str, Any] | None:
    """The version's latest check run with its findings, or None before any check."""
    from sqlmodel_db import proofread as proofread_db

    run = proofread_db.latest_run(session=session, version_id=version.id or 0)
    if run is None:
        return None
    texts = drafts_db.content_of(version).texts()
    findings = [
        finding_view(row, override, texts.get(row.field))
        for row, override in proofread_db.findings_of(session=session, run_id=run.id or 0)
    ]
    return {
        "check_run_id": run.id,
        "at": run.at.isoformat(),
        "content_hash": run.content_hash,
        "lexicon_versions": run.lexicon_versions,
        "links_checked": run.links_checked,
        "findings": findings,
        "blocking_open": sum(
            1 for f in findings if f["severity"] == "block" and f["overridden"] is None
        ),
    }


def freeze_view(freeze: Any) -> dict[str, Any]:
    return freeze.model_dump(mode="json")


def audit_rows(session: Session, events: list[Any]) -> list[dict[str, Any]]:
    """Audit events as people read them and ``--json`` gives them: the actor's name (None
    for the system's own events), and the subject's name or title beside its ``type:id``."""
    actors = users_db.user_names(session=session, ids=(e.actor_id for e in events))
    subjects = audit.subject_names(session=session, events=events)
    return [
        {
            "seq": e.seq,
            "at": e.at.isoformat(),
            "actor_id": e.actor_id,
            "actor": actors.get(e.actor_id) if e.actor_id else None,
            "action": e.action,
            "subject": f"{e.subject_type}:{e.subject_id}",
            "subject_name": subjects.get((e.subject_type, e.subject_id)),
            "data": e.data,
            "hash": e.hash,
        }
        for e in events
    ]
