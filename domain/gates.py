"""三审三校: the gates a draft passes before release, as data, and who may pass them.

The default workflow has six gates in this order::

    1 一校 proofread_1   proofreader
    2 初审 review_1      editor
    3 二校 proofread_2   proofreader
    4 复审 review_2      chief
    5 三校 proofread_3   proofreader   pinned to the rendered variants
    6 终审 review_3      leader        签发, pinned to the rendered variants

Extra checks (escalation): the person who may decide the gate a draft waits at may
send it to an extra check first, decided by the check's own role::

    保密审查 check_secrecy  secrecy    secrecy review (保密审查)
    网信     check_netinfo  netinfo    the cyberspace office's check (网信)

The draft stays at its gate until the check is passed; a check that is rejected
returns the draft to its author like any gate.

Separation of duties (defaults, :class:`SeparationRules`; an organisation may relax
them in its settings, on record): the author passes no gate on their own draft; the
three reviews are by three different people; the three proofreads are by three
different people (三校: 由不同校对人员进行三次校对); nobody passes two gates (checks
included) of the same version. :func:`separation_breach` is the one place these
rules are checked, both when a decision is made and before a post is sent.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property

from domain.errors import InvalidInput, Refused
from domain.roles import Role


class GateKind(StrEnum):
    PROOFREAD = "proofread"  # 校
    REVIEW = "review"  # 审
    CHECK = "check"  # an extra check a reviewer asked for: 保密审查, 网信


class Verdict(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    ESCALATE = "escalate"  # the gate's decider sends the draft to an extra check first


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
    """Who may not pass which gates, as data. The defaults are the strict rules; each
    one an organisation relaxes is a setting of the same name (``matrixpub settings``)."""

    author_may_pass: bool = False  # the author may pass gates of their own draft
    distinct_reviewers: bool = True  # 初审, 复审, 终审 by three different people
    distinct_proofreaders: bool = True  # 一校, 二校, 三校 by three different people
    one_gate_per_person: bool = True  # nobody passes two gates of one version


# The organisation setting for each rule, and its meaning, for `matrixpub settings`.
SEPARATION_SETTINGS: dict[str, str] = {
    "author_may_pass": "the author may pass gates of their own draft (false)",
    "distinct_reviewers": "初审, 复审 and 终审 are passed by three different people (true)",
    "distinct_proofreaders": "一校, 二校 and 三校 are passed by three different people (true)",
    "one_gate_per_person": "nobody passes two gates of the same version (true)",
}


def rules_from(values: Mapping[str, bool]) -> SeparationRules:
    """The separation rules with the given settings applied over the defaults."""
    known = {k: bool(v) for k, v in values.items() if k in SEPARATION_SETTINGS}
    return replace(SeparationRules(), **known)


@dataclass(frozen=True)
class Workflow:
    gates: tuple[Gate, ...]
    rules: SeparationRules = SeparationRules()
    checks: tuple[Gate, ...] = ()  # extra checks a gate's decider may ask for

    def __post_init__(self) -> None:
        keys = [g.key for g in self.gates]
        if not keys or len(set(keys)) != len(keys):
            raise ValueError("a workflow needs at least one gate and unique gate keys")
        every = keys + [c.key for c in self.checks]
        if len(set(every)) != len(every) or any(c.kind is not GateKind.CHECK for c in self.checks):
            raise ValueError("checks need unique keys and the check kind")

    def gate(self, index: int) -> Gate:
        return self.gates[index]

    def at(self, index: int, check: str | None = None) -> Gate:
        """Where a draft waits: the check it was sent to, else its gate."""
        return self.by_key(check) if check else self.gates[index]

    def with_rules(self, rules: SeparationRules) -> Workflow:
        return replace(self, rules=rules)

    @cached_property
    def _by_key(self) -> dict[str, Gate]:
        return {gate.key: gate for gate in self.gates + self.checks}

    def by_key(self, key: str) -> Gate:
        return self._by_key[key]  # KeyError for a gate the workflow does not have

    def find(self, name: str) -> Gate:
        """A gate or check by its key (``review_2``) or its label (``复审``), for people
        to name."""
        wanted = name.strip()
        for gate in self.gates + self.checks:
            if wanted in (gate.key, gate.label, gate.title):
                return gate
        known = ", ".join(f"{g.label} ({g.key})" for g in self.gates + self.checks)
        # ``typed``: what the person gave, quoted, echoed as it is (never read as a word)
        raise InvalidInput("no gate {typed}; the gates are {known}", typed=repr(name), known=known)

    def find_check(self, name: str) -> Gate:
        """A check by its key, its label, or the role that decides it (``netinfo``)."""
        wanted = name.strip()
        for check in self.checks:
            if wanted in (check.key, check.label, check.title, check.role.value):
                return check
        known = ", ".join(f"{c.label} ({c.key}, {c.role.value})" for c in self.checks)
        raise InvalidInput(
            "no check {typed}; the checks are {known}", typed=repr(name), known=known
        )

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
    ),
    checks=(
        Gate("check_secrecy", "保密审查", GateKind.CHECK, Role.SECRECY),
        Gate("check_netinfo", "网信", GateKind.CHECK, Role.NETINFO),
    ),
)


@dataclass(frozen=True)
class Approval:
    """An approval already recorded on the version now under review."""

    gate: str
    actor_id: int


class Breach(StrEnum):
    """Which separation rule passing a gate would break."""

    AUTHOR = "author"  # the author passes no gate on their own draft
    REVIEWS = "reviews"  # the three reviews need three different people
    PROOFREADS = "proofreads"  # the three proofreads need three different people (三校)
    ONE_GATE = "one_gate"  # nobody passes two gates of the same version


def separation_breach(
    workflow: Workflow,
    *,
    gate: Gate,
    actor_id: int,
    author_id: int,
    approvals: Sequence[Approval],
) -> tuple[Breach, Gate | None] | None:
    """Which separation rule forbids ``actor_id`` to pass ``gate`` after ``approvals``
    (the approvals already on the same version), with the gate of this version they passed
    already (None for the author's rule); None when none does. The one home of these
    rules: deciding a gate (:func:`separation_problem`) and checking a post before it is
    sent (``domain.delivery``) both ask here."""
    rules = workflow.rules
    if actor_id == author_id and not rules.author_may_pass:
        return Breach.AUTHOR, None
    for approval in approvals:
        if approval.actor_id != actor_id or approval.gate == gate.key:
            continue
        passed = workflow.by_key(approval.gate)
        if rules.distinct_reviewers and gate.kind is passed.kind is GateKind.REVIEW:
            return Breach.REVIEWS, passed
        if rules.distinct_proofreaders and gate.kind is passed.kind is GateKind.PROOFREAD:
            return Breach.PROOFREADS, passed
        if rules.one_gate_per_person:
            return Breach.ONE_GATE, passed
    return None


def separation_problem(
    workflow: Workflow,
    *,
    gate: Gate,
    actor_id: int,
    author_id: int,
    approvals: Sequence[Approval],
) -> Refused | None:
    """The refusal to raise when the separation rules forbid ``actor_id`` to decide
    ``gate`` (:func:`separation_breach`), or None; its message a template with its values
    (for the catalogs), said to the person deciding."""
    found = separation_breach(
        workflow, gate=gate, actor_id=actor_id, author_id=author_id, approvals=approvals
    )
    if found is None:
        return None
    breach, passed = found
    title = passed.title if passed else ""
    if breach is Breach.AUTHOR:
        return Refused("the author passes no gate on their own draft")
    if breach is Breach.REVIEWS:
        return Refused(
            "you already passed {gate} of this version; "
            "the three reviews need three different people",
            gate=title,
        )
    if breach is Breach.PROOFREADS:
        return Refused(
            "you already passed {gate} of this version; "
            "the three proofreads need three different people (三校)",
            gate=title,
        )
    return Refused(
        "you already passed {gate} of this version; nobody passes two gates of the same version",
        gate=title,
    )


def authorize_decision(
    workflow: Workflow,
    *,
    gate_index: int,
    actor_id: int,
    actor_roles: Collection[Role],
    author_id: int,
    approvals: Sequence[Approval],
    check: str | None = None,
) -> Gate:
    """Return the gate the actor may decide now, or raise :class:`Refused` saying why not.

    ``check`` is the extra check the draft waits at, if it was sent to one. ``approvals``
    are the approvals on the current version only: a new version voids every earlier one.
    The same rules hold for approving and for rejecting, so a person who may not pass a
    gate cannot send the draft back from it either.
    """
    gate = workflow.at(gate_index, check)
    if gate.role not in actor_roles:
        held = ", ".join(sorted(r.value for r in actor_roles)) or "none"
        raise Refused(
            "{gate} is decided by the {role} role; your roles: {held}",
            gate=gate.title,
            role=gate.role.value,
            held=held,
        )
    problem = separation_problem(
        workflow, gate=gate, actor_id=actor_id, author_id=author_id, approvals=approvals
    )
    if problem:
        raise problem
    return gate


def authorize_escalation(
    workflow: Workflow,
    *,
    gate_index: int,
    check: str | None,
    wanted: Gate,
    actor_id: int,
    actor_roles: Collection[Role],
    author_id: int,
    approvals: Sequence[Approval],
) -> Gate:
    """The gate from which the actor may send the draft to the extra check ``wanted``:
    only the person who may decide the gate now, only while no check is pending, and
    each check once per version."""
    if check:
        raise Refused("the draft already waits for {check}", check=workflow.by_key(check).title)
    if wanted.kind is not GateKind.CHECK:
        raise InvalidInput("{check} is not an extra check", check=wanted.title)
    if any(a.gate == wanted.key for a in approvals):
        raise Refused("this version already passed {check}", check=wanted.title)
    return authorize_decision(
        workflow,
        gate_index=gate_index,
        actor_id=actor_id,
        actor_roles=actor_roles,
        author_id=author_id,
        approvals=approvals,
    )


def approvals_complete(workflow: Workflow, approvals: Sequence[Approval]) -> bool:
    """True when every gate of the workflow has an approval, in order (extra checks a
    reviewer asked for are not gates of their own)."""
    keys = [g.key for g in workflow.gates]
    return [a.gate for a in approvals if a.gate in keys] == keys
