"""Property: for random sequences of submit / approve / reject / edit by random people
with random roles, a draft is approved only with six approvals on its final content hash,
one per gate in order, by people holding each gate's role, never the author, with
three different reviewers, three different proofreaders and six different people (the
default separation rules). Refused actions change nothing. Runs on the real database
functions (SQLite)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from domain.errors import InvalidInput, Refused
from domain.gates import DEFAULT_WORKFLOW, GateKind, Verdict
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db.engine import make_engine, session_scope
from sqlmodel_db.migrate import upgrade
from tests.factories import world

ROLES = ["author", "proofreader", "editor", "chief", "leader", "secrecy", "netinfo"]

people = st.lists(
    st.sets(st.sampled_from(ROLES), min_size=1, max_size=3).map(sorted),
    min_size=1,
    max_size=6,
)
# Mostly approvals, so that many sequences get far; submit and edit are usually (not
# always) by the author, so that drafts get into review often.
action = st.tuples(
    st.sampled_from(["submit"] * 3 + ["approve"] * 30 + ["reject", "edit", "escalate"]),
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=0, max_value=3).map(bool),
)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gate-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def check_invariants(w: Any, draft_id: int, roles: dict[int, set[str]]) -> None:
    with session_scope(w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        if draft.state != "approved":
            return
        version = drafts_db.current_version(session=session, draft=draft)
        approvals = drafts_db.current_approvals(session=session, draft=draft)
    assert draft.pending_check is None
    keys = [g.key for g in DEFAULT_WORKFLOW.gates]
    assert [a.gate for a in approvals if a.gate in keys] == keys
    assert {a.content_hash for a in approvals} == {version.content_hash}
    reviewers, proofreaders = [], []
    for approval in approvals:
        gate = DEFAULT_WORKFLOW.by_key(approval.gate)
        assert gate.role.value in roles[approval.actor_id]
        assert approval.actor_id != draft.author_id
        if gate.kind is GateKind.REVIEW:
            reviewers.append(approval.actor_id)
        elif gate.kind is GateKind.PROOFREAD:
            proofreaders.append(approval.actor_id)
    assert len(set(reviewers)) == 3
    assert len(set(proofreaders)) == 3
    # nobody passed two gates (extra checks included) of the signed version
    assert len({a.actor_id for a in approvals}) == len(approvals)


def count_rows(w: Any) -> tuple[int, ...]:
    with session_scope(w.engine) as session:
        return tuple(
            session.exec(text(f"SELECT count(*) FROM {t}")).one()[0]
            for t in ("decisions", "draft_versions", "audit_events")
        )


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(team=people, actions=st.lists(action, min_size=1, max_size=80))
@example(
    team=[["author"]], actions=[("submit", 0, True)] + [("approve", i, True) for i in range(6)]
)
@example(  # a rejection, an edit, then every gate: only the final round's approvals count
    team=[["author", "proofreader"], ["editor", "chief", "leader"]],
    actions=[
        ("submit", 0, True),
        ("approve", 0, True),
        ("reject", 1, True),
        ("edit", 0, True),
        ("submit", 0, True),
    ]
    + [("approve", i, True) for i in range(8)]
    + [("approve", 8, False), ("approve", 8, True), ("approve", 9, True)],
)
@example(  # 初审 sends the draft to 保密审查 first; the check passes, then every gate
    team=[],
    actions=[
        ("approve", 0, True),
        ("escalate", 0, True),
        ("approve", 0, True),
        ("approve", 0, True),
        ("approve", 1, True),
        ("approve", 0, True),
        ("approve", 2, True),
        ("approve", 0, True),
    ],
)
def test_random_sequences_never_approve_without_six_valid_approvals(
    template_db: Path, tmp_path: Path, team: list[list[str]], actions: list[tuple[str, int, bool]]
) -> None:
    db = tmp_path / f"gate-{abs(hash((str(team), str(actions))))}.db"
    shutil.copy(template_db, db)
    engine = make_engine(f"sqlite:///{db}")
    try:
        w = world(engine, tmp_path / "home")
        # The standing team of the fixture world (an author and one person per gate) plus
        # random people with random roles.
        ids = ["author", "p1", "editor", "p2", "chief", "p3", "leader"]
        roles = {w.users[n].id: set(w.users[n].roles) for n in ids}
        for name, role in (("sec", "secrecy"), ("cac", "netinfo")):
            ids.append(name)
            roles[w.add_user(name, role).id] = {role}
        for index, person_roles in enumerate(team):
            name = f"u{index}"
            user = w.add_user(name, *person_roles)
            ids.append(name)
            roles[user.id] = set(person_roles)
        authors = ["author"] + [n for n, r in zip(ids[9:], team, strict=True) if "author" in r]
        draft_id = w.new_draft(author=authors[-1])
        edits = 0
        for kind, who_index, by_author in [("submit", 0, True), *actions]:
            who = ids[who_index % len(ids)]
            if kind in ("submit", "edit") and by_author:
                who = authors[-1]
            elif kind in ("approve", "reject", "escalate") and by_author:
                # An informed pick: someone who holds the role of the gate (or extra check)
                # the draft waits at (who may still be refused: the author, or someone who
                # passed an earlier gate).
                with session_scope(w.engine) as session:
                    found = drafts_db.get_draft(session=session, draft_id=draft_id)
                    gate = DEFAULT_WORKFLOW.at(found.gate_index, found.pending_check)
                holders = [n for n in ids if gate.role.value in w.users[n].roles]
                who = holders[who_index % len(holders)] if holders else who
            before = count_rows(w)
            try:
                if kind == "submit":
                    w.submit(draft_id, author=who)
                elif kind == "edit":
                    edits += 1
                    with session_scope(w.engine) as session:
                        draft, version, _ = drafts_db.edit_draft(
                            session=session,
                            actor=w.users[who],
                            draft_id=draft_id,
                            title=f"第{edits}版 关于举办文旅消费季活动的通知",
                        )
                        state, version_id = draft.state, version.id
                    if state == "submitted":
                        w.prepare(version_id)
                elif kind == "escalate":
                    with session_scope(w.engine) as session:
                        found = drafts_db.get_draft(session=session, draft_id=draft_id)
                        drafts_db.escalate(
                            session=session,
                            actor=w.users[who],
                            draft_id=draft_id,
                            check=DEFAULT_WORKFLOW.checks[who_index % 2].key,
                            opinion="请专项审查",
                            expected_gate=DEFAULT_WORKFLOW.gate(found.gate_index).key,
                            expected_version=found.version_number,
                        )
                else:
                    w.decide(draft_id, who, Verdict(kind))
            except (Refused, InvalidInput):
                assert count_rows(w) == before, f"refused {kind} by {who} changed rows"
            check_invariants(w, draft_id, roles)
        with session_scope(w.engine) as session:
            event(f"final state: {drafts_db.get_draft(session=session, draft_id=draft_id).state}")
            checks = session.exec(text("SELECT count(*) FROM decisions WHERE gate LIKE 'check_%'"))
            event(f"extra checks on record: {min(checks.one()[0], 2)}")
    finally:
        engine.dispose()
