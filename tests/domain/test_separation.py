"""Property: the separation rules, with any of them relaxed, let a person pass a gate
exactly when the approvals that would result still obey every rule that is on, as an
independent reading of the rules says; and the send-time check agrees with the
decision-time one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.delivery import Approval as OnRecord
from domain.delivery import Signed, signed_off
from domain.drafts import DraftState
from domain.errors import Refused
from domain.gates import (
    DEFAULT_WORKFLOW,
    Approval,
    GateKind,
    SeparationRules,
    authorize_decision,
)
from domain.roles import Role

AUTHOR = 1
EVERY_ROLE = frozenset(Role)

rules = st.builds(
    SeparationRules,
    author_may_pass=st.booleans(),
    distinct_reviewers=st.booleans(),
    distinct_proofreaders=st.booleans(),
    one_gate_per_person=st.booleans(),
)
# Candidates for each of the six gates, in turn, from a small crowd that includes the
# author: many collide, so every rule gets exercised.
candidates = st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=4)


def obeys(r: SeparationRules, passed: list[tuple[str, int]]) -> bool:
    """The rules as a person reads them, over a list of (gate, person)."""
    people = [who for _, who in passed]
    reviews = [who for g, who in passed if DEFAULT_WORKFLOW.by_key(g).kind is GateKind.REVIEW]
    proofs = [who for g, who in passed if DEFAULT_WORKFLOW.by_key(g).kind is GateKind.PROOFREAD]
    if not r.author_may_pass and AUTHOR in people:
        return False
    if r.distinct_reviewers and len(set(reviews)) != len(reviews):
        return False
    if r.distinct_proofreaders and len(set(proofs)) != len(proofs):
        return False
    return not (r.one_gate_per_person and len(set(people)) != len(people))


@given(r=rules, tries=st.lists(candidates, min_size=6, max_size=6))
def test_a_gate_is_passed_exactly_when_the_rules_allow_it(
    r: SeparationRules, tries: list[list[int]]
) -> None:
    workflow = DEFAULT_WORKFLOW.with_rules(r)
    passed: list[tuple[str, int]] = []
    for index, people in enumerate(tries):
        gate = workflow.gate(index)
        for who in people:
            approvals = [Approval(g, a) for g, a in passed]
            try:
                authorize_decision(
                    workflow,
                    gate_index=index,
                    actor_id=who,
                    actor_roles=EVERY_ROLE,
                    author_id=AUTHOR,
                    approvals=approvals,
                )
            except Refused:
                assert not obeys(r, [*passed, (gate.key, who)])
                continue
            assert obeys(r, [*passed, (gate.key, who)])
            passed.append((gate.key, who))
            break
        else:
            return  # nobody here may pass this gate: the draft waits
    signed = Signed(
        draft_id=1,
        draft_state=DraftState.APPROVED,
        current_version=1,
        version=1,
        content_hash="h",
        author_id=AUTHOR,
        approvals=tuple(OnRecord(gate=g, actor_id=a, content_hash="h") for g, a in passed),
    )
    assert signed_off(workflow, signed) is None
    assert (signed_off(DEFAULT_WORKFLOW, signed) is None) == obeys(SeparationRules(), passed)


def test_the_defaults_are_the_strict_rules() -> None:
    assert DEFAULT_WORKFLOW.rules == SeparationRules(
        author_may_pass=False,
        distinct_reviewers=True,
        distinct_proofreaders=True,
        one_gate_per_person=True,
    )
