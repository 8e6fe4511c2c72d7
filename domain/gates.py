"""三审三校: the gates a draft passes before release, as data, and who may pass them.

The default workflow has six gates in this order::

    1 一校 proofread_1   proofreader
    2 初审 review_1      editor
    3 二校 proofread_2   proofreader
    4 复审 review_2      chief
    5 三校 proofread_3   proofreader   pinned to the rendered variants
    6 终审 review_3      leader        签发, pinned to the rendered variants

Separation of duties (defaults): the author passes no gate on their own draft, and
no person passes two review gates of the same version, so the three reviews are
by three different people.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from domain.errors import InvalidInput, Refused
from domain.roles import Role


class GateKind(StrEnum):
    PROOFREAD = "proofread"  # 校
    REVIEW = "review"  # 审


class Verdict(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True)
class Gate:
    key: str
    label: str
    kind: GateKind
    role: Role
    pins_variants: bool = False  # the decision also pins the hashes of the rendered variants

    @property
    def title(self) -> str:
        return f"{self.label} {self.key}"


@dataclass(frozen=True)
class SeparationRules:
    author_may_pass: bool = False
    distinct_reviewers: bool = True


@dataclass(frozen=True)
class Workflow:
    gates: tuple[Gate, ...]
    rules: SeparationRules = SeparationRules()

    def __post_init__(self) -> None:
        keys = [g.key for g in self.gates]
        if not keys or len(set(keys)) != len(keys):
            raise ValueError("a workflow needs at least one gate and unique gate keys")

    def gate(self, index: int) -> Gate:
        return self.gates[index]

    @cached_property
    def _by_key(self) -> dict[str, Gate]:
        return {gate.key: gate for gate in self.gates}

    def by_key(self, key: str) -> Gate:
        return self._by_key[key]  # KeyError for a gate the workflow does not have

    def find(self, name: str) -> Gate:
        """A gate by its key (``review_2``) or its label (``复审``), for people to name."""
        wanted = name.strip()
        for gate in self.gates:
            if wanted in (gate.key, gate.label, gate.title):
                return gate
        known = ", ".join(f"{g.label} ({g.key})" for g in self.gates)
        raise InvalidInput(f"no gate {name!r}; the gates are {known}")

    @property
    def last_index(self) -> int:
        return len(self.gates) - 1


DEFAULT_WORKFLOW = Workflow(
    gates=(
        Gate("proofread_1", "一校", GateKind.PROOFREAD, Role.PROOFREADER),
        Gate("review_1", "初审", GateKind.REVIEW, Role.EDITOR),
        Gate("proofread_2", "二校", GateKind.PROOFREAD, Role.PROOFREADER),
        Gate("review_2", "复审", GateKind.REVIEW, Role.CHIEF),
        Gate("proofread_3", "三校", GateKind.PROOFREAD, Role.PROOFREADER, pins_variants=True),
        Gate("review_3", "终审", GateKind.REVIEW, Role.LEADER, pins_variants=True),  # 签发
    )
)


@dataclass(frozen=True)
class Approval:
    """An approval already recorded on the version now under review."""

    gate: str
    actor_id: int


def authorize_decision(
    workflow: Workflow,
    *,
    gate_index: int,
    actor_id: int,
    actor_roles: Collection[Role],
    author_id: int,
    approvals: Sequence[Approval],
) -> Gate:
    """Return the gate the actor may decide now, or raise :class:`Refused` saying why not.

    ``approvals`` are the approvals on the current version only: a new version voids
    every earlier one. The same rules hold for approving and for rejecting, so a
    person who may not pass a gate cannot send the draft back from it either.
    """
    gate = workflow.gate(gate_index)
    if gate.role not in actor_roles:
        held = ", ".join(sorted(r.value for r in actor_roles)) or "none"
        raise Refused(
            "{gate} is decided by the {role} role; your roles: {held}",
            gate=gate.title,
            role=gate.role.value,
            held=held,
        )
    if actor_id == author_id and not workflow.rules.author_may_pass:
        raise Refused("the author passes no gate on their own draft")
    if gate.kind is GateKind.REVIEW and workflow.rules.distinct_reviewers:
        for approval in approvals:
            passed = workflow.by_key(approval.gate)
            if approval.actor_id == actor_id and passed.kind is GateKind.REVIEW:
                raise Refused(
                    "you already passed {gate} of this version; "
                    "the three reviews need three different people",
                    gate=passed.title,
                )
    return gate


def approvals_complete(workflow: Workflow, approvals: Sequence[Approval]) -> bool:
    """True when every gate of the workflow has an approval, in order."""
    return [a.gate for a in approvals] == [g.key for g in workflow.gates]
