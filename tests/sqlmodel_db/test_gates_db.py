"""三审三校 on the real database, SQLite and PostgreSQL: decisions, refusals that change
nothing, versions voiding approvals, pinned variant hashes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from domain.errors import InvalidInput, Refused
from domain.gates import Verdict
from sqlmodel_db import audit
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import Decision, Draft, DraftVersion
from tests.factories import BODY, GATE_PEOPLE, World, jpeg, tamper, world

TABLES = [
    "users",
    "accounts",
    "account_events",
    "blobs",
    "drafts",
    "draft_versions",
    "variants",
    "decisions",
    "posts",
    "delivery_attempts",
    "audit_events",
]


@pytest.fixture
def w(engine: Any, tmp_path: Any) -> World:
    return world(engine, tmp_path / "home")


def snapshot(w: World) -> dict[str, Any]:
    with session_scope(w.engine) as session:
        counts = {t: session.exec(text(f"SELECT count(*) FROM {t}")).one()[0] for t in TABLES}
        drafts = [
            (d.id, d.state, d.gate_index, d.version_number, d.round)
            for d in session.exec(select(Draft))
        ]
        head = audit.verify(session=session).head
    return {"counts": counts, "drafts": drafts, "head": head}


def test_six_gates_by_six_people_approve_the_draft(w: World) -> None:
    draft_id = w.new_draft(cover=jpeg())
    assert w.submit(draft_id) == "in_review"
    for index, who in enumerate(GATE_PEOPLE):
        draft, decision, gate = w.decide(draft_id, who)
        assert decision.gate == gate.key
        assert decision.gate_index == index
    with session_scope(w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        assert draft.state == "approved"
        version = drafts_db.current_version(session=session, draft=draft)
        decisions = drafts_db.decisions_for(session=session, draft_id=draft_id)
        assert [d.gate for d in decisions] == [
            "proofread_1",
            "review_1",
            "proofread_2",
            "review_2",
            "proofread_3",
            "review_3",
        ]
        assert {d.content_hash for d in decisions} == {version.content_hash}
        pinned = [d for d in decisions if d.variant_hashes]
        assert [d.gate for d in pinned] == ["proofread_3", "review_3"]
        variants = drafts_db.variants_for(session=session, version_id=version.id)
        assert pinned[0].variant_hashes == {v.channel: v.hash for v in variants}
        assert audit.verify(session=session).ok


@pytest.mark.parametrize(
    ("setup", "who", "message"),
    [
        ([], "author", "proofreader role"),
        ([], "editor", "proofreader role"),  # a reviewer cannot take a proofread gate
        (["p1"], "p2", "editor role"),  # a proofreader approving a review gate
        (["p1", "editor", "p2"], "editor", "chief role"),
    ],
)
def test_wrong_role_is_refused_and_changes_nothing(
    w: World, setup: list[str], who: str, message: str
) -> None:
    draft_id = w.new_draft()
    w.submit(draft_id)
    for person in setup:
        w.decide(draft_id, person)
    before = snapshot(w)
    with pytest.raises(Refused, match=message):
        w.decide(draft_id, who)
    assert snapshot(w) == before


def test_author_passes_no_gate_on_their_own_draft(w: World) -> None:
    w.add_user("writer-proofreader", "author", "proofreader")
    draft_id = w.new_draft(author="writer-proofreader")
    w.submit(draft_id, author="writer-proofreader")
    before = snapshot(w)
    with pytest.raises(Refused, match="author passes no gate"):
        w.decide(draft_id, "writer-proofreader")
    assert snapshot(w) == before


def test_no_one_passes_two_review_gates(w: World) -> None:
    w.add_user("both", "editor", "chief", "leader")
    draft_id = w.new_draft()
    w.submit(draft_id)
    w.decide(draft_id, "p1")
    w.decide(draft_id, "both")  # 初审
    w.decide(draft_id, "p2")
    before = snapshot(w)
    with pytest.raises(Refused, match="three different people"):
        w.decide(draft_id, "both")  # 复审 by the same person
    assert snapshot(w) == before
    w.decide(draft_id, "chief")
    w.decide(draft_id, "p3")
    with pytest.raises(Refused, match="three different people"):
        w.decide(draft_id, "both")  # 终审 by the 初审 person


def test_reject_returns_to_author_and_a_new_version_restarts_at_gate_one(w: World) -> None:
    draft_id = w.new_draft()
    w.submit(draft_id)
    w.approve_all(draft_id, GATE_PEOPLE[:3])
    draft, decision, _ = w.decide(draft_id, "chief", Verdict.REJECT)
    assert draft.state == "returned" and decision.verdict == "reject"
    with session_scope(w.engine) as session:
        drafts_db.edit_draft(
            session=session,
            actor=w.users["author"],
            draft_id=draft_id,
            title="关于举办文旅消费季活动的通知（修订）",
        )
    assert w.submit(draft_id) == "in_review"
    with session_scope(w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        assert (draft.gate_index, draft.version_number) == (0, 2)
        assert drafts_db.current_approvals(session=session, draft=draft) == []
    w.approve_all(draft_id)
    with session_scope(w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        assert draft.state == "approved"
        approvals = drafts_db.current_approvals(session=session, draft=draft)
        version = drafts_db.current_version(session=session, draft=draft)
        assert len(approvals) == 6
        assert {a.content_hash for a in approvals} == {version.content_hash}


def test_an_edit_in_review_voids_approvals(w: World) -> None:
    draft_id = w.new_draft()
    w.submit(draft_id)
    w.approve_all(draft_id, GATE_PEOPLE[:4])
    with session_scope(w.engine) as session:
        draft, version, _ = drafts_db.edit_draft(
            session=session, actor=w.users["author"], draft_id=draft_id, summary="新增摘要"
        )
        assert draft.state == "submitted" and draft.gate_index == 0
        version_id = version.id
    assert w.prepare(version_id) == "in_review"
    before = snapshot(w)
    with pytest.raises(Refused, match="version 2; you read version 1"):
        w.decide(draft_id, "p1", version=1)
    assert snapshot(w) == before
    with pytest.raises(Refused, match="proofread_1 is decided by the proofreader role"):
        w.decide(draft_id, "editor")  # gate 1 again, not gate 5
    w.approve_all(draft_id)
    with session_scope(w.engine) as session:
        assert drafts_db.get_draft(session=session, draft_id=draft_id).state == "approved"


def test_decisions_wait_for_the_automatic_checks(w: World) -> None:
    draft_id = w.new_draft()
    with session_scope(w.engine) as session:
        drafts_db.submit_draft(session=session, actor=w.users["author"], draft_id=draft_id)
    with pytest.raises(Refused, match="automatic checks"):
        w.decide(draft_id, "p1")


def test_a_changed_variant_cannot_be_signed(w: World) -> None:
    draft_id = w.new_draft()
    w.submit(draft_id)
    w.approve_all(draft_id, GATE_PEOPLE[:4])
    tamper(w.engine, "UPDATE variants SET payload = replace(payload, '通知', '通告')")
    with pytest.raises(Refused, match="changed after rendering"):
        w.decide(draft_id, "p3")


def test_submit_needs_targets_and_only_the_author_submits(w: World) -> None:
    draft_id = w.new_draft(targets=[])
    with session_scope(w.engine) as session, pytest.raises(Refused, match="target"):
        drafts_db.submit_draft(session=session, actor=w.users["author"], draft_id=draft_id)
    draft_id = w.new_draft()
    with session_scope(w.engine) as session, pytest.raises(Refused, match="author"):
        drafts_db.submit_draft(session=session, actor=w.users["p1"], draft_id=draft_id)


def test_an_edit_that_changes_nothing_is_refused(w: World) -> None:
    draft_id = w.new_draft()
    with session_scope(w.engine) as session, pytest.raises(InvalidInput, match="nothing"):
        drafts_db.edit_draft(
            session=session,
            actor=w.users["author"],
            draft_id=draft_id,
            title="关于举办文旅消费季活动的通知",
        )
    with session_scope(w.engine) as session:
        versions = session.exec(select(DraftVersion)).all()
        assert len(versions) == 1


def test_closed_and_suspended_accounts_cannot_be_targeted(w: World) -> None:
    from sqlmodel_db import accounts as accounts_db

    closed = w.add_account("old")
    with session_scope(w.engine) as session:
        account = accounts_db.get_account(session=session, account_id=closed)
        account.state = "closed"  # as the daily flow leaves it after the notice period
        session.add(account)
    before = snapshot(w)
    with pytest.raises(Refused, match="closed"):
        w.new_draft(targets=[closed])
    assert snapshot(w) == before


def test_decisions_are_kept_with_actor_opinion_and_time(w: World) -> None:
    draft_id = w.new_draft()
    w.submit(draft_id)
    w.decide(draft_id, "p1", Verdict.REJECT)
    with session_scope(w.engine) as session:
        (decision,) = session.exec(select(Decision)).all()
        assert decision.actor_id == w.users["p1"].id
        assert decision.opinion == "p1: reject"
        assert decision.at.tzinfo is not None
        assert (
            decision.content_hash
            == drafts_db.current_version(
                session=session, draft=drafts_db.get_draft(session=session, draft_id=draft_id)
            ).content_hash
        )


def test_body_text_is_kept_exactly(w: World) -> None:
    draft_id = w.new_draft()
    with session_scope(w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        assert drafts_db.current_version(session=session, draft=draft).body == BODY


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE decisions SET actor_id = (SELECT id FROM users WHERE name = 'p1') "
        "WHERE gate = 'review_3'",
        "UPDATE decisions SET opinion = '同意' WHERE gate = 'review_1'",
        "DELETE FROM decisions WHERE gate = 'review_3'",
        "UPDATE account_events SET actor_id = (SELECT id FROM users WHERE name = 'leader')",
        "UPDATE account_events SET reason = 'backdated'",
    ],
)
def test_decisions_and_account_events_are_checked_against_the_audit_log(
    w: World, change: str
) -> None:
    """A 终审 decision's actor changed in the decisions table (or any sealed row changed
    or deleted) no longer passes audit verify, though the chain itself is untouched."""
    draft_id = w.new_draft(cover=jpeg())
    w.submit(draft_id)
    for who in GATE_PEOPLE:
        w.decide(draft_id, who)
    with session_scope(w.engine) as session:
        assert audit.verify(session=session).ok
        session.exec(text(change))
    with session_scope(w.engine) as session:
        result = audit.verify(session=session)
    assert not result.ok
    assert ("decision" in result.problem) or ("account event" in result.problem)
