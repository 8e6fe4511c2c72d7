"""The life of a draft: who may do what to it in which state.

    draft ──submit──▶ submitted ──checks pass──▶ in_review (gate 1 … 6) ──终审──▶ approved
      ▲                   │                        │      │
      │              checks block             reject   edit (new version: approvals void,
      │                   ▼                        ▼            back to submitted)
      └──── edit ───── returned ◀─────────────────┘

``submitted`` means a version waits for its automatic work (rendering, checks);
no person decides it until that work moved it on.
"""

from __future__ import annotations

from enum import StrEnum

from domain.errors import Refused


class DraftState(StrEnum):
    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 已提交, automatic work running
    IN_REVIEW = "in_review"  # 审校中
    RETURNED = "returned"  # 退回
    APPROVED = "approved"  # 已签发
    WITHDRAWN = "withdrawn"  # 已撤回


EDITABLE = frozenset(
    {
        DraftState.DRAFT,
        DraftState.RETURNED,
        DraftState.SUBMITTED,
        DraftState.IN_REVIEW,
        DraftState.APPROVED,
    }
)


def check_author(*, actor_id: int, author_id: int, action: str) -> None:
    if actor_id != author_id:
        raise Refused("only the draft's author may {action} it", action=action)


def check_submit(state: DraftState, *, actor_id: int, author_id: int) -> None:
    check_author(actor_id=actor_id, author_id=author_id, action="submit")
    if state not in (DraftState.DRAFT, DraftState.RETURNED):
        raise Refused(
            "the draft is {state}; only a draft or a returned draft is submitted",
            state=state.value,
        )


def state_after_edit(state: DraftState) -> DraftState:
    """A new version keeps an unsubmitted draft as it is and sends a submitted one back
    through every gate (its earlier approvals are void)."""
    if state not in EDITABLE:
        raise Refused("the draft is {state} and can no longer be edited", state=state.value)
    if state in (DraftState.DRAFT, DraftState.RETURNED):
        return state
    return DraftState.SUBMITTED


def check_decidable(state: DraftState) -> None:
    if state is DraftState.SUBMITTED:
        raise Refused("the draft's automatic checks have not finished yet; try again shortly")
    if state is not DraftState.IN_REVIEW:
        raise Refused("the draft is {state}, not in review", state=state.value)
