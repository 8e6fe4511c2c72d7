"""What people read before they decide: one draft with every channel as its readers will
see it, the 错敏 findings in place, what changed since the version this person last
decided, every decision so far, and the record and sign-off sheet (审签单).

The previews are the stored variants shown through the channels' pure preview functions,
never a re-rendering: what a reviewer reads is byte for byte what was rendered and what
their decision pins.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from channels.base import Variant
from channels.preview import reader_html
from channels.registry import SPECS
from console import views
from console.i18n import (
    MEASURE_LABELS,
    N_,
    SETTING_FIELDS,
    _,
    error_text,
    gate_label,
    labelled,
    picture_label,
    platform_label,
)
from console.previews import frame_words
from console.workspace import Workspace
from domain import diff as diffs
from domain.drafts import DraftState
from domain.errors import NotFound, Refused
from domain.gates import DEFAULT_WORKFLOW, Approval, GateKind, Verdict, authorize_decision
from domain.permissions import BY_ACTION
from domain.roles import Role
from flows.steps import target_of
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import org_settings
from sqlmodel_db import posts as posts_db
from sqlmodel_db import proofread as proofread_db
from sqlmodel_db.blobs import get_blob
from sqlmodel_db.models import (
    Account,
    AuditEvent,
    CheckRun,
    Decision,
    Draft,
    DraftVersion,
    FindingOverride,
    FindingRow,
    User,
)
from sqlmodel_db.users import roles_of, user_names

FIELD_LABELS = {"title": N_("title"), "summary": N_("summary"), "body": N_("body")}


def field_label(name: str) -> str:
    """``title`` → 标题; ``weibo.body`` → 微博 正文."""
    channel, _dot, field = name.rpartition(".")
    label = _(FIELD_LABELS[field]) if field in FIELD_LABELS else field
    if channel:
        return f"{platform_label(channel)} {label}"
    return label


# -- the draft page ---------------------------------------------------------------------------
def draft_page(ws: Workspace, draft_id: int) -> dict[str, Any]:
    """Everything the read-and-decide page shows, for the person asking."""
    with ws.acting() as (session, actor):
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        version = drafts_db.current_version(session=session, draft=draft)
        decisions = drafts_db.decisions_for(session=session, draft_id=draft_id)
        names = user_names(session=session, ids=[draft.author_id, *(d.actor_id for d in decisions)])
        accounts = drafts_db.target_accounts(session=session, version=version)
        check = views.check_view(session, version)
        if check is not None:
            for finding in check["findings"]:
                finding["field_label"] = field_label(finding["field"])
                if finding["overridden"]:
                    finding["overridden"]["by_name"] = user_names(
                        session=session, ids=[finding["overridden"]["by"]]
                    ).get(finding["overridden"]["by"])
        texts = drafts_db.content_of(version).texts()
        page = {
            **views.draft_view(session, draft),
            "author": names.get(draft.author_id),
            "is_author": actor.id == draft.author_id,
            "current_version": views.version_view(version),
            "submitted": version.submitted_at is not None,
            "texts": [
                {
                    "field": name,
                    "label": field_label(name),
                    "segments": highlight(text, _findings_in(check, name)),
                }
                for name, text in texts.items()
            ],
            "accounts": [_account_brief(a) for a in accounts],
            "variants": _variants(session, draft, version, accounts),
            "check": check,
            "progress": _progress(session, draft, version, decisions, names),
            "decisions": [views.decision_view(d, names) for d in reversed(decisions)],
            "decide": _may_decide(session, draft, actor),
            "may_override": BY_ACTION["finding.override"].allows(roles_of(actor))
            and actor.id != draft.author_id,
            "posts": _posts(session, draft_id),
            "diff": None,
        }
        if page["gate"] is not None:
            page["gate"]["deciders"] = views.deciders(session, draft)
        base = _base_version(decisions, actor, version)
        if base is not None:
            page["diff"] = compare_versions(
                session=session, draft=draft, old=base, new=version.number
            )
        return page


def _findings_in(check: Mapping[str, Any] | None, field: str) -> list[Mapping[str, Any]]:
    return [f for f in (check or {}).get("findings", []) if f["field"] == field]


def highlight(text: str, findings: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The text cut into plain pieces and pieces a finding covers, at the findings' exact
    character offsets. Overlapping findings: the first one marks the stretch."""
    segments: list[dict[str, Any]] = []
    at = 0
    for finding in sorted(findings, key=lambda f: (f["start"], -f["end"])):
        start, end = max(finding["start"], at), finding["end"]
        if end <= start or start > len(text):
            continue
        if start > at:
            segments.append({"text": text[at:start], "finding": None})
        segments.append({"text": text[start:end], "finding": finding})
        at = end
    if at < len(text):
        segments.append({"text": text[at:], "finding": None})
    return segments


def _account_brief(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "name": account.name,
        "platform": account.platform,
        "platform_label": platform_label(account.platform),
        "state": account.state,
    }


def _variants(
    session: Session, draft: Draft, version: DraftVersion, accounts: Sequence[Account]
) -> list[dict[str, Any]]:
    rows = shown_variants(session, draft, version)
    by_platform: dict[str, list[str]] = {}
    for account in accounts:
        by_platform.setdefault(account.platform, []).append(account.name)
    out = []
    for row in sorted(rows, key=lambda r: (r.channel == "website", r.channel)):
        payload = drafts_db.variant_payload(row)
        spec = SPECS.get(row.channel)
        out.append(
            {
                "channel": row.channel,
                "label": platform_label(row.channel),
                "form": spec.form.value if spec else "article",
                "hash": row.hash,
                "accounts": by_platform.get(row.channel, []),
                "measures": [
                    {**m, "over": m["limit"] is not None and m["value"] > m["limit"]}
                    for m in payload.get("measures", [])
                ],
                "violations": payload.get("violations", []),
                "images": payload.get("images", []),
                "fields": payload.get("fields", {}),
                "href": f"/drafts/{draft.id}/versions/{version.number}/preview/{row.channel}/",
            }
        )
    return out


def _progress(
    session: Session,
    draft: Draft,
    version: DraftVersion,
    decisions: Sequence[Decision],
    names: Mapping[int, str],
) -> list[dict[str, Any]]:
    """Each gate of the workflow for the current version: passed (by whom, when), the
    one it waits at, or still ahead."""
    passed = {
        d.gate: d
        for d in decisions
        if d.version_id == version.id and d.round == draft.round and d.verdict == "approve"
    }
    steps = []
    for index, gate in enumerate(DEFAULT_WORKFLOW.gates):
        decision = passed.get(gate.key)
        if decision is not None:
            status = "passed"
        elif draft.state == DraftState.IN_REVIEW.value and index == draft.gate_index:
            status = "check" if draft.pending_check else "current"
        else:
            status = "ahead"
        steps.append(
            {
                "key": gate.key,
                "label": gate_label(gate.key),
                "role": gate.role.value,
                "status": status,
                "by": names.get(decision.actor_id) if decision else None,
                "at": decision.at.isoformat() if decision else None,
                "check": gate_label(draft.pending_check)
                if status == "check" and draft.pending_check
                else None,
            }
        )
    return steps


def _may_decide(session: Session, draft: Draft, actor: User) -> dict[str, Any]:
    """Whether this person may decide the draft now, and if not, why not (in the rules'
    own words)."""
    if draft.state != DraftState.IN_REVIEW.value:
        reasons = {
            DraftState.DRAFT.value: N_("the draft is not submitted yet"),
            DraftState.SUBMITTED.value: N_(
                "the automatic checks and rendering are not done yet: refresh in a moment"
            ),
            DraftState.RETURNED.value: N_("returned to the author to fix"),
            DraftState.APPROVED.value: N_("signed off"),
            DraftState.WITHDRAWN.value: N_("withdrawn"),
        }
        return {
            "allowed": False,
            "gate": None,
            "reason": _(reasons[draft.state]) if draft.state in reasons else draft.state,
        }
    workflow = org_settings.workflow(session=session)
    gate = workflow.at(draft.gate_index, draft.pending_check)
    approvals = [
        Approval(gate=a.gate, actor_id=a.actor_id)
        for a in drafts_db.current_approvals(session=session, draft=draft)
    ]
    try:
        authorize_decision(
            workflow,
            gate_index=draft.gate_index,
            check=draft.pending_check,
            actor_id=actor.id or 0,
            actor_roles=roles_of(actor),
            author_id=draft.author_id,
            approvals=approvals,
        )
    except Refused as exc:
        reason = error_text(exc)
        return {"allowed": False, "gate": _gate(gate), "reason": reason, "checks": []}
    blocking = proofread_db.open_blocking(
        session=session, version_id=drafts_db.current_version(session=session, draft=draft).id or 0
    )
    passed = {a.gate for a in approvals}
    return {
        "allowed": True,
        "gate": _gate(gate),
        "reason": None,
        "blocking": len(blocking) if gate.kind is not GateKind.CHECK else 0,
        "pins_variants": gate.pins_variants,
        # the extra checks this person may send the draft to before deciding its gate
        "checks": []
        if draft.pending_check
        else [_gate(c) for c in workflow.checks if c.key not in passed],
    }


def _gate(gate: Any) -> dict[str, Any]:
    return {"key": gate.key, "label": gate_label(gate.key), "role": gate.role.value}


def _posts(session: Session, draft_id: int) -> list[dict[str, Any]]:
    posts = posts_db.list_posts(session=session, draft_id=draft_id)
    accounts = {
        a.id: a
        for a in session.exec(
            select(Account).where(col(Account.id).in_(sorted({p.account_id for p in posts})))
        )
    }
    return [
        {
            **views.post_view(p),
            "account": accounts[p.account_id].name if p.account_id in accounts else "",
            "platform_label": platform_label(p.channel),
        }
        for p in posts
    ]


def _base_version(decisions: Sequence[Decision], actor: User, version: DraftVersion) -> int | None:
    """The version to compare the current one with: the one this person last decided,
    else the one before it."""
    mine = [
        d.version_number
        for d in decisions
        if d.actor_id == actor.id and d.version_number < version.number
    ]
    if mine:
        return max(mine)
    return version.number - 1 if version.number > 1 else None


# -- what changed -------------------------------------------------------------------------------
def compare_versions(*, session: Session, draft: Draft, old: int, new: int) -> dict[str, Any]:
    """Two versions of a draft compared as readers meet them: the texts character by
    character, each channel's rendered variant (visible text, links, pictures), the
    pictures, and the target accounts."""
    versions = {
        v.number: v for v in drafts_db.list_versions(session=session, draft_id=draft.id or 0)
    }
    for number in (old, new):
        if number not in versions:
            raise NotFound("draft {id} has no version {number}", id=draft.id, number=number)
    a, b = versions[old], versions[new]
    ca, cb = drafts_db.content_of(a), drafts_db.content_of(b)
    texts = diffs.compare_texts(ca.texts(), cb.texts())
    pictures = diffs.compare_pictures(_pictures(ca), _pictures(cb))
    accounts = {
        acc.id: acc
        for acc in session.exec(
            select(Account).where(col(Account.id).in_(sorted({*a.targets, *b.targets})))
        )
    }

    def named(account_id: str) -> dict[str, Any]:
        """An account as --json names it (stable identifiers); the faces say it in words."""
        acc = accounts.get(int(account_id))
        return {
            "id": int(account_id),
            "name": acc.name if acc else None,
            "platform": acc.platform if acc else None,
        }

    targets = diffs.set_diff([str(i) for i in a.targets], [str(i) for i in b.targets])
    old_rows = {r.channel: r for r in drafts_db.variants_for(session=session, version_id=a.id or 0)}
    new_rows = {r.channel: r for r in drafts_db.variants_for(session=session, version_id=b.id or 0)}
    variants = []
    # A version not rendered yet (its checks run) is compared by its text alone: its
    # channels are not dropped, they are being prepared.
    for channel in sorted({*old_rows, *new_rows}) if new_rows else ():
        o, n = old_rows.get(channel), new_rows.get(channel)
        variant = diffs.compare_variants(
            drafts_db.variant_payload(o) if o else None,
            drafts_db.variant_payload(n) if n else None,
            old_hash=o.hash if o else None,
            new_hash=n.hash if n else None,
        )
        variants.append(
            {
                **variant.as_dict(),
                "label": platform_label(channel),
                "fields": [_variant_field(f) for f in variant.fields if f.changed],
                "pictures": [
                    {**p, "label": picture_label(p["role"])} for p in variant.as_dict()["pictures"]
                ],
            }
        )
    changed_texts = [t for t in texts if t.changed]
    return {
        "from": old,
        "to": new,
        "texts": [{**t.as_dict(), "label": field_label(t.name)} for t in changed_texts],
        "pictures": [{**p.as_dict(), "label": picture_label(p.role)} for p in pictures],
        "targets": {
            "added": [named(i) for i in targets.added],
            "removed": [named(i) for i in targets.removed],
        },
        "variants": variants,
        "changed": bool(changed_texts or pictures or targets.changed)
        or any(v["changed"] for v in variants),
        "rendered": bool(old_rows) and bool(new_rows),
        "preparing": not new_rows
        and draft.state == DraftState.SUBMITTED.value
        and new == draft.version_number,
    }


def _variant_field(field: diffs.FieldDiff) -> dict[str, Any]:
    """A channel's changed field, named in words; a setting (a crop) said in a sentence,
    without its raw values."""
    shown = {**field.as_dict(), "label": labelled(MEASURE_LABELS, field.name), "said": None}
    if field.name in SETTING_FIELDS:
        shown["said"] = _("{what} changed", what=shown["label"])
    return shown


def _pictures(content: Any) -> dict[str, str]:
    pictures = {f"image-{name}": sha for name, sha in content.images.items()}
    if content.cover_sha256:
        pictures = {"cover": content.cover_sha256, **pictures}
    return pictures


def diff_versions(
    ws: Workspace, draft_id: int, *, old: int | None = None, new: int | None = None
) -> dict[str, Any]:
    """What changed between two versions; by default between the version this person
    last decided (or the one before) and the current one."""
    with ws.acting() as (session, actor):
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        new = new or draft.version_number
        if old is None:
            decisions = drafts_db.decisions_for(session=session, draft_id=draft_id)
            mine = [
                d.version_number
                for d in decisions
                if d.actor_id == actor.id and d.version_number < new
            ]
            old = max(mine) if mine else max(new - 1, 1)
        return {
            "draft_id": draft_id,
            **compare_versions(session=session, draft=draft, old=old, new=new),
        }


# -- previews -----------------------------------------------------------------------------------
def _version(session: Session, draft_id: int, number: int) -> DraftVersion:
    version = session.exec(
        select(DraftVersion)
        .where(DraftVersion.draft_id == draft_id)
        .where(DraftVersion.number == number)
    ).first()
    if version is None:
        raise NotFound("draft {draft_id} has no version {number}", draft_id=draft_id, number=number)
    return version


def shown_variants(session: Session, draft: Draft, version: DraftVersion) -> list[Any]:
    """The variants people are shown for a version: once the draft is signed, the ones its
    sign-off pinned (what its posts send, whatever was rendered since); before, each
    channel's newest rendering (what the next pinning gate will pin)."""
    if draft.state == DraftState.APPROVED.value and version.number == draft.version_number:
        signed = drafts_db.signed_variants(session=session, draft=draft)
        if signed:
            return [signed[channel] for channel in sorted(signed)]
    return drafts_db.variants_for(session=session, version_id=version.id or 0)


def _stored_variant(session: Session, version: DraftVersion, channel: str) -> dict[str, Any]:
    draft = drafts_db.get_draft(session=session, draft_id=version.draft_id)
    for row in shown_variants(session, draft, version):
        if row.channel == channel:
            return drafts_db.variant_payload(row)
    raise NotFound(
        "version {number} has no rendered {channel} variant", number=version.number, channel=channel
    )


def preview_page(ws: Workspace, draft_id: int, number: int, channel: str) -> str:
    """One channel's stored variant of one version, as its readers will see it."""
    with ws.acting() as (session, _actor):
        version = _version(session, draft_id, number)
        payload = _stored_variant(session, version, channel)
        account = next(
            (
                a
                for a in drafts_db.target_accounts(session=session, version=version)
                if a.platform == channel
            ),
            None,
        )
    spec = SPECS.get(channel)
    if spec is None:
        raise NotFound("no channel {channel}", channel=channel)
    variant = Variant.from_payload(payload, _NoBytes())
    target = target_of(account) if account else None
    return reader_html(
        variant,
        spec,
        account=target,
        published=datetime.now(ws.settings.tz),
        words=frame_words(channel),
    )


class _NoBytes(dict):  # type: ignore[type-arg]
    """Picture bytes for a preview page that only names its pictures."""

    def __missing__(self, key: str) -> bytes:
        return b""


def preview_picture(
    ws: Workspace, draft_id: int, number: int, channel: str, filename: str
) -> tuple[bytes, str]:
    """A picture of a stored variant, by the file name its preview refers to."""
    with ws.acting() as (session, _actor):
        version = _version(session, draft_id, number)
        payload = _stored_variant(session, version, channel)
        for ref in payload.get("images", []):
            if ref["filename"] == filename:
                blob = get_blob(session=session, sha256=ref["sha256"])
                return blob.data, blob.media_type
    raise NotFound(
        "the {channel} variant has no picture {filename}", channel=channel, filename=filename
    )


def draft_picture(ws: Workspace, draft_id: int, sha256: str) -> tuple[bytes, str]:
    """A picture the draft's author attached (cover or body picture), for the editor."""
    with ws.acting() as (session, _actor):
        for version in drafts_db.list_versions(session=session, draft_id=draft_id):
            if sha256 == version.cover_sha256 or sha256 in (version.images or {}).values():
                blob = get_blob(session=session, sha256=sha256)
                return blob.data, blob.media_type
    raise NotFound(
        "draft {draft_id} has no picture {picture}", draft_id=draft_id, picture=sha256[:12]
    )


# -- the record and the sign-off sheet (审签单) ----------------------------------------------------
def draft_record(ws: Workspace, draft_id: int) -> dict[str, Any]:
    """The draft's whole history: versions, decisions, check runs with their findings and
    overrides, posts with their live URLs, and the audit events about it."""
    with ws.acting() as (session, _actor):
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        versions = drafts_db.list_versions(session=session, draft_id=draft_id)
        decisions = drafts_db.decisions_for(session=session, draft_id=draft_id)
        runs = list(
            session.exec(
                select(CheckRun)
                .where(col(CheckRun.version_id).in_([v.id for v in versions]))
                .order_by(col(CheckRun.id))
            )
        )
        findings = list(
            session.exec(
                select(FindingRow)
                .where(col(FindingRow.check_run_id).in_([r.id for r in runs]))
                .order_by(col(FindingRow.id))
            )
        )
        overrides = {
            o.finding_id: o
            for o in session.exec(
                select(FindingOverride).where(
                    col(FindingOverride.finding_id).in_([f.id for f in findings])
                )
            )
        }
        events = list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.subject_type == "draft")
                .where(AuditEvent.subject_id == str(draft_id))
                .order_by(col(AuditEvent.seq))
            )
        )
        names = user_names(
            session=session,
            ids=[
                draft.author_id,
                *(v.created_by for v in versions),
                *(d.actor_id for d in decisions),
                *(o.actor_id for o in overrides.values()),
                *(e.actor_id for e in events),
            ],
        )
        number_of = {v.id: v.number for v in versions}
        return {
            **views.draft_view(session, draft),
            "author": names.get(draft.author_id),
            "versions": [
                {
                    "number": v.number,
                    "title": v.title,
                    "content_hash": v.content_hash,
                    "by": names.get(v.created_by),
                    "created_at": v.created_at.isoformat(),
                    "submitted_at": v.submitted_at.isoformat() if v.submitted_at else None,
                }
                for v in versions
            ],
            "decisions": [views.decision_view(d, names) for d in decisions],
            "checks": [
                {
                    "id": r.id,
                    "version": number_of.get(r.version_id),
                    "at": r.at.isoformat(),
                    "lexicons": r.lexicon_versions,
                    "findings": [
                        {
                            "id": f.id,
                            "field": field_label(f.field),
                            "category": f.category,
                            "severity": f.severity,
                            "text": f.text,
                            "suggestion": f.suggestion,
                            "message": f.message,
                            "override": {
                                "by": names.get(overrides[f.id].actor_id),
                                "reason": overrides[f.id].reason,
                                "at": overrides[f.id].at.isoformat(),
                            }
                            if f.id in overrides
                            else None,
                        }
                        for f in findings
                        if f.check_run_id == r.id
                    ],
                }
                for r in runs
            ],
            "posts": _posts(session, draft_id),
            "events": [
                {
                    "seq": e.seq,
                    "at": e.at.isoformat(),
                    "actor": names.get(e.actor_id) if e.actor_id else _("the system"),
                    "action": e.action,
                    "hash": e.hash,
                }
                for e in events
            ],
        }


def sign_off_sheet(ws: Workspace, draft_id: int) -> dict[str, Any]:
    """审签单: the item, and for each gate of the version that went (or goes) out the
    person, time, opinion and the hashes they approved."""
    with ws.acting() as (session, _actor):
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        version = drafts_db.current_version(session=session, draft=draft)
        decisions = [
            d
            for d in drafts_db.decisions_for(session=session, draft_id=draft_id)
            if d.version_id == version.id and d.round == draft.round
        ]
        accounts = drafts_db.target_accounts(session=session, version=version)
        names = user_names(session=session, ids=[draft.author_id, *(d.actor_id for d in decisions)])
        by_gate = {d.gate: d for d in decisions if d.verdict == Verdict.APPROVE.value}
        overridden = []
        run = proofread_db.latest_run(session=session, version_id=version.id or 0)
        if run is not None:
            for row, override in proofread_db.findings_of(session=session, run_id=run.id or 0):
                if override is not None:
                    overridden.append(
                        {
                            "text": row.text,
                            "message": row.message,
                            "by": user_names(session=session, ids=[override.actor_id]).get(
                                override.actor_id
                            ),
                            "reason": override.reason,
                        }
                    )
        return {
            "id": draft.id,
            "title": version.title,
            "summary": version.summary,
            "state": draft.state,
            "version": version.number,
            "content_hash": version.content_hash,
            "author": names.get(draft.author_id),
            "created_at": draft.created_at.isoformat(),
            "submitted_at": version.submitted_at.isoformat() if version.submitted_at else None,
            "accounts": [_account_brief(a) for a in accounts],
            "variants": [
                {
                    "channel": r.channel,
                    "label": platform_label(r.channel),
                    "hash": r.hash,
                }
                for r in shown_variants(session, draft, version)
            ],
            "gates": [
                {
                    "label": gate_label(gate.key),
                    "key": gate.key,
                    "role": gate.role.value,
                    "by": names.get(by_gate[gate.key].actor_id) if gate.key in by_gate else None,
                    "at": by_gate[gate.key].at.isoformat() if gate.key in by_gate else None,
                    "opinion": by_gate[gate.key].opinion if gate.key in by_gate else None,
                    "content_hash": by_gate[gate.key].content_hash if gate.key in by_gate else None,
                    "variant_hashes": by_gate[gate.key].variant_hashes
                    if gate.key in by_gate
                    else None,
                }
                for gate in DEFAULT_WORKFLOW.gates
            ],
            "checks": _checks(decisions, names),
            "overridden": overridden,
            "complete": draft.state == DraftState.APPROVED.value,
        }


def _checks(decisions: Sequence[Decision], names: Mapping[int, str]) -> list[dict[str, Any]]:
    """The extra checks (保密审查, 网信) asked for on this version: who asked at which gate
    and why, and the check's decision (None while it waits)."""
    found: list[dict[str, Any]] = []
    for d in decisions:
        check = DEFAULT_WORKFLOW.by_key(d.gate)
        if d.verdict == Verdict.ESCALATE.value:
            found.append(
                {
                    "key": check.key,
                    "label": gate_label(check.key),
                    "role": check.role.value,
                    "from_gate": gate_label(DEFAULT_WORKFLOW.gate(d.gate_index).key),
                    "asked_by": names.get(d.actor_id),
                    "asked_at": d.at.isoformat(),
                    "reason": d.opinion,
                    "decision": None,
                }
            )
        elif check.kind is GateKind.CHECK:
            for item in reversed(found):
                if item["key"] == d.gate and item["decision"] is None:
                    item["decision"] = {
                        "verdict": d.verdict,
                        "by": names.get(d.actor_id),
                        "at": d.at.isoformat(),
                        "opinion": d.opinion,
                        "content_hash": d.content_hash,
                    }
                    break
    return found


# -- manual packages -----------------------------------------------------------------------------
def package_zip(ws: Workspace, post_id: int) -> tuple[str, bytes]:
    """The zip of a manual post's package (its text, pictures and checklist), for the
    person who will post it."""
    with ws.acting() as (session, actor):
        post = posts_db.get_post(session=session, post_id=post_id)
        draft = drafts_db.get_draft(session=session, draft_id=post.draft_id)
        if actor.id != draft.author_id and not (roles_of(actor) & {Role.ADMIN, Role.AUTHOR}):
            raise Refused("the package is for the draft's author or an admin")
        receipt = post.receipt or {}
    archive = (receipt.get("data") or {}).get("zip")
    if not archive:
        raise NotFound("post {post_id} has no manual package", post_id=post_id)
    path = Path(archive).resolve()
    packages = (ws.settings.home / "packages").resolve()
    if packages not in path.parents or not path.is_file():
        raise NotFound("the package of post {post_id} is no longer on disk", post_id=post_id)
    return path.name, path.read_bytes()


# -- the editor's live check -----------------------------------------------------------------------
_checker_lock = threading.Lock()
_checkers: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}


def _checker(ws: Workspace, session: Session) -> Any:
    from domain.proofread import Checker

    lists = proofread_db.lexicons(session=session)
    key = (ws.settings.database_url, tuple(sorted((lex.category, lex.version) for lex in lists)))
    with _checker_lock:
        checker = _checkers.get(key)
        if checker is None:
            _checkers.clear()
            checker = _checkers[key] = Checker(lists)
        return checker


_channel_sets: dict[Any, Any] = {}


def _channels(ws: Workspace) -> Mapping[str, Any]:
    from channels.registry import build
    from flows.context import channel_config

    config = channel_config(ws.settings)
    with _checker_lock:
        found = _channel_sets.get(config)
        if found is None:
            found = _channel_sets[config] = build(config)
        return found


IMAGE_CODES = frozenset({"missing_image", "bad_image"})


def live_check(
    ws: Workspace,
    *,
    title: str,
    summary: str | None,
    body: str,
    targets: Sequence[int] = (),
    group: str | None = None,
    overrides: Mapping[str, Mapping[str, str]] | None = None,
    draft_id: int | None = None,
    has_cover: bool = False,
) -> dict[str, Any]:
    """What the editor shows as the author types: the 错敏 findings at their exact
    offsets, and each targeted channel's lengths in the platform's own unit. Nothing is
    stored; pictures are left out (they are checked when the draft is submitted)."""
    from channels.base import RenderInput
    from channels.markup import markdown_to_html
    from domain.content import ChannelOverride, Content

    content = Content(
        title=title or "",
        body=body or "",
        summary=summary or None,
        overrides={
            k: ChannelOverride(**{f: v for f, v in o.items() if v})
            for k, o in (overrides or {}).items()
            if any(o.values())
        },
    )
    from channels.website import article_url

    with ws.acting() as (session, actor):
        checker = _checker(ws, session)
        rows = [a for a in _target_rows(session, targets, group) if a.state == "active"]
        platforms = sorted({a.platform for a in rows})
        websites = sorted(
            (a for a in rows if a.platform == "website"), key=lambda a: (not a.is_main, a.id)
        )
        author = actor.name
        if draft_id:
            draft = drafts_db.get_draft(session=session, draft_id=draft_id)
            author = user_names(session=session, ids=[draft.author_id]).get(draft.author_id, author)
            has_cover = has_cover or bool(
                drafts_db.current_version(session=session, draft=draft).cover_sha256
            )
        link = (
            article_url(ws.settings.site_url, target_of(websites[0]), draft_id or 0)
            if websites
            else None
        )
    texts = content.texts()
    findings = []
    for field, text in texts.items():
        for finding in checker.check(text):
            findings.append(
                {**finding.to_dict(), "field": field, "field_label": field_label(field)}
            )
    source = RenderInput(draft_id=draft_id or 0, content=content, website_url=link, author=author)
    channels = _channels(ws)
    limits = []
    for key in platforms:
        channel = channels.get(key)
        if channel is None:
            continue
        try:
            variant = channel.render(source)
        except Exception as exc:  # an input the renderer refuses: say so, never crash
            limits.append(
                {
                    "channel": key,
                    "label": platform_label(key),
                    "measures": [],
                    "violations": [{"field": "content", "code": "invalid", "message": str(exc)}],
                }
            )
            continue
        limits.append(
            {
                "channel": key,
                "label": platform_label(channel.spec.key),
                "measures": [{**m.as_dict(), "over": m.over} for m in variant.measures],
                "violations": [
                    v.as_dict()
                    for v in variant.violations
                    if v.code not in IMAGE_CODES
                    and not (has_cover and (v.field, v.code) == ("cover", "missing"))
                ],
            }
        )
    return {
        "findings": findings,
        "texts": [
            {
                "field": f,
                "label": field_label(f),
                "segments": highlight(t, [x for x in findings if x["field"] == f]),
            }
            for f, t in texts.items()
            if any(x["field"] == f for x in findings)
        ],
        "limits": limits,
        "body_html": markdown_to_html(body) if body.strip() else "",
        "blocking": sum(1 for f in findings if f["severity"] == "block"),
    }


def _target_rows(session: Session, targets: Sequence[int], group: str | None) -> list[Account]:
    rows = (
        list(session.exec(select(Account).where(col(Account.id).in_(list(targets)))))
        if targets
        else []
    )
    if group:
        rows += list(session.exec(select(Account).where(Account.group_name == group)))
    return rows


def local_time(ws: Workspace, value: str | datetime | None) -> str:
    if value is None:
        return ""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.astimezone(ws.settings.tz).strftime("%Y-%m-%d %H:%M")
