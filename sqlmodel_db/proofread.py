"""Proofreading on record: the word lists, every check run with the lists' versions, its
findings, and the reviewers' overrides of blocking findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from domain.errors import InvalidInput, NotFound, Refused
from sqlmodel_db import audit
from sqlmodel_db.models import (
    CheckRun,
    DraftVersion,
    FindingOverride,
    FindingRow,
    LexiconRow,
    User,
)
from sqlmodel_db.types import utcnow
from sqlmodel_db.users import permit

if TYPE_CHECKING:
    from domain.proofread import Lexicon

# The word lists' code (``domain.proofread``) is imported in the functions that use it:
# commands that only read findings, such as a gate decision, never load it.


# -- word lists ----------------------------------------------------------------------------
def _invalid(exc: ValueError) -> InvalidInput:
    """A word list refused: the domain's own problem as it is (it carries its message and
    values for the faces to translate), anything else as its one line."""
    return exc if isinstance(exc, InvalidInput) else InvalidInput(str(exc))


def lexicon_texts(*, session: Session) -> dict[str, str]:
    """Every category's TOML text; the shipped lists fill categories never stored."""
    from domain.proofread import default_lexicon_texts

    texts = dict(default_lexicon_texts())
    for row in session.exec(select(LexiconRow)):
        texts[row.category] = row.text
    return texts


def lexicons(*, session: Session) -> list[Lexicon]:
    from domain.proofread import parse_lexicon

    return [parse_lexicon(text) for _, text in sorted(lexicon_texts(session=session).items())]


def _save(
    *, session: Session, actor: User, lexicon: Lexicon, action: str, detail: Mapping[str, Any]
) -> Lexicon:
    from domain.proofread import dump_lexicon

    text = dump_lexicon(lexicon)
    row = session.get(LexiconRow, lexicon.category) or LexiconRow(
        category=lexicon.category, version=lexicon.version, text=text
    )
    row.version, row.text, row.updated_by, row.updated_at = (
        lexicon.version,
        text,
        actor.id,
        utcnow(),
    )
    session.add(row)
    audit.record(
        session=session,
        actor_id=actor.id,
        action=f"lexicon.{action}",
        subject_type="lexicon",
        subject_id=lexicon.category,
        data={"version": lexicon.version, **detail},
    )
    return lexicon


def _get(*, session: Session, category: str) -> Lexicon:
    from domain.proofread import parse_lexicon

    texts = lexicon_texts(session=session)
    if category not in texts:
        raise NotFound(
            "no word list {category!r}; known: {texts}",
            category=category,
            texts=", ".join(sorted(texts)),
        )
    return parse_lexicon(texts[category])


def add_term(
    *,
    session: Session,
    actor: User,
    category: str,
    term: str,
    suggest: str | None,
    severity: str | None,
    today: date,
) -> Lexicon:
    from domain.proofread import add_entry

    permit(actor, "lexicon.change")
    try:
        updated = add_entry(
            _get(session=session, category=category),
            term,
            suggest=suggest,
            severity=severity,
            today=today,
        )
    except ValueError as exc:
        raise _invalid(exc) from None
    return _save(
        session=session,
        actor=actor,
        lexicon=updated,
        action="added",
        detail={"term": term, "suggest": suggest, "severity": severity},
    )


def remove_term(*, session: Session, actor: User, category: str, term: str, today: date) -> Lexicon:
    from domain.proofread import remove_entry

    permit(actor, "lexicon.change")
    try:
        updated = remove_entry(_get(session=session, category=category), term, today=today)
    except ValueError as exc:
        raise _invalid(exc) from None
    return _save(
        session=session, actor=actor, lexicon=updated, action="removed", detail={"term": term}
    )


def import_lexicon(*, session: Session, actor: User, text: str) -> Lexicon:
    """Replace one category's list with a TOML data file; its version must move forward."""
    from domain.proofread import parse_lexicon
    from domain.proofread.lexicon import version_key

    permit(actor, "lexicon.change")
    try:
        lexicon = parse_lexicon(text)
    except ValueError as exc:
        raise InvalidInput("the word list file is not valid: {exc}", exc=exc) from None
    current = lexicon_texts(session=session).get(lexicon.category)
    if current is not None:
        before = parse_lexicon(current).version
        if version_key(lexicon.version) <= version_key(before):
            raise Refused(
                "{category} is at version {before}; the imported file has {version}. Give it a "
                "newer version",
                category=lexicon.category,
                before=before,
                version=lexicon.version,
            )
    return _save(
        session=session,
        actor=actor,
        lexicon=lexicon,
        action="imported",
        detail={"entries": len(lexicon.entries)},
    )


def allow_term(*, session: Session, actor: User, term: str, reason: str, today: date) -> Lexicon:
    """Add ``term`` to the organisation's allow list (no finding of any category inside
    it); the reason is kept with the entry and in the audit log."""
    from domain.proofread import add_entry
    from domain.proofread.lexicon import ALLOW

    permit(actor, "lexicon.change")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a reason is required to allow a term")
    try:
        updated = add_entry(
            _get(session=session, category=ALLOW), term.strip(), note=reason, today=today
        )
    except ValueError as exc:
        raise _invalid(exc) from None
    return _save(
        session=session,
        actor=actor,
        lexicon=updated,
        action="allowed",
        detail={"term": term.strip(), "reason": reason},
    )


def import_term_list(
    *, session: Session, actor: User, category: str, text: str, note: str | None, today: date
) -> tuple[Lexicon, tuple[str, ...]]:
    """Add the terms of a plain one-term-a-line list to an existing category's list.

    Terms the list already holds keep their entries; the version moves forward once,
    and only if something was added. Returns the list and the terms added.
    """
    from domain.proofread.lexicon import merge_terms, parse_term_list

    permit(actor, "lexicon.change")
    try:
        terms = parse_term_list(text)
    except ValueError as exc:
        raise InvalidInput("the word list file is not valid: {exc}", exc=exc) from None
    lexicon = _get(session=session, category=category)
    if lexicon.is_name_title:
        raise InvalidInput("name_title entries need a title: import them as a TOML file")
    try:
        updated, added = merge_terms(lexicon, terms, today=today, note=note)
    except ValueError as exc:
        raise _invalid(exc) from None
    if added:
        _save(
            session=session,
            actor=actor,
            lexicon=updated,
            action="imported",
            detail={"format": "plain", "added": len(added), "terms": list(added)},
        )
    return updated, added


# -- check runs ----------------------------------------------------------------------------
def store_check_run(
    *,
    session: Session,
    version_id: int,
    content_hash: str,
    lexicon_versions: Mapping[str, str],
    findings: Sequence[tuple[str, Mapping[str, Any]]],
    links_checked: int = 0,
) -> CheckRun:
    """Keep one check run; ``findings`` are (field, finding dict) pairs."""
    run = CheckRun(
        version_id=version_id,
        content_hash=content_hash,
        lexicon_versions=dict(lexicon_versions),
        findings=len(findings),
        blocking=sum(1 for _, f in findings if f["severity"] == "block"),
        links_checked=links_checked,
    )
    session.add(run)
    session.flush()
    for field, f in findings:
        session.add(
            FindingRow(
                check_run_id=run.id or 0,
                field=field,
                category=f["category"],
                severity=f["severity"],
                start=f["start"],
                end=f["end"],
                text=f["text"],
                suggestion=f.get("suggestion"),
                message=f["message"],
                rule=f["rule"],
            )
        )
    session.flush()
    version = session.get(DraftVersion, version_id)
    audit.record(
        session=session,
        actor_id=None,
        action="draft.checked",
        subject_type="draft",
        subject_id=version.draft_id if version else 0,
        data={
            "version_id": version_id,
            "check_run_id": run.id,
            "findings": run.findings,
            "blocking": run.blocking,
            "lexicons": dict(lexicon_versions),
        },
    )
    return run


def latest_run(*, session: Session, version_id: int) -> CheckRun | None:
    return session.exec(
        select(CheckRun)
        .where(CheckRun.version_id == version_id)
        .order_by(col(CheckRun.id).desc())
        .limit(1)
    ).first()


def findings_of(
    *, session: Session, run_id: int
) -> list[tuple[FindingRow, FindingOverride | None]]:
    rows = list(
        session.exec(
            select(FindingRow).where(FindingRow.check_run_id == run_id).order_by(col(FindingRow.id))
        )
    )
    overrides = {
        o.finding_id: o
        for o in session.exec(
            select(FindingOverride).where(col(FindingOverride.finding_id).in_([r.id for r in rows]))
        )
    }
    return [(row, overrides.get(row.id or 0)) for row in rows]


def open_blocking(*, session: Session, version_id: int) -> list[FindingRow]:
    """Blocking findings of the version's latest check run that nobody has overridden."""
    run = latest_run(session=session, version_id=version_id)
    if run is None:
        return []
    return [
        row
        for row, override in findings_of(session=session, run_id=run.id or 0)
        if row.severity == "block" and override is None
    ]


def override_finding(
    *, session: Session, actor: User, draft_id: int, finding_id: int, reason: str
) -> FindingOverride:
    from sqlmodel_db.drafts import current_version, get_draft

    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a reason is required to override a finding")
    permit(actor, "finding.override")
    draft = get_draft(session=session, draft_id=draft_id, lock=True)
    if draft.author_id == actor.id:
        raise Refused("the author cannot override findings on their own draft")
    version = current_version(session=session, draft=draft)
    run = latest_run(session=session, version_id=version.id or 0)
    finding = session.get(FindingRow, finding_id)
    if finding is None or run is None or finding.check_run_id != run.id:
        raise NotFound(
            "no finding {finding_id} in the latest check of draft {draft_id}",
            finding_id=finding_id,
            draft_id=draft_id,
        )
    if finding.severity != "block":
        raise Refused(
            "finding {finding_id} is a {severity}, not blocking",
            finding_id=finding_id,
            severity=finding.severity,
        )
    if session.exec(
        select(FindingOverride).where(FindingOverride.finding_id == finding_id)
    ).first():
        raise Refused("finding {finding_id} is already overridden", finding_id=finding_id)
    override = FindingOverride(finding_id=finding_id, actor_id=actor.id or 0, reason=reason)
    session.add(override)
    session.flush()
    audit.record(
        session=session,
        actor_id=actor.id,
        action="finding.overridden",
        subject_type="draft",
        subject_id=draft_id,
        data={
            "finding_id": finding_id,
            "rule": finding.rule,
            "text": finding.text,
            "reason": reason,
            "version": version.number,
        },
    )
    return override
