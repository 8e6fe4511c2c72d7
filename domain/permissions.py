"""Who may do what: one table, which the checks themselves use and the README shows.

Each :class:`Permission` names an action (``post.cancel``), the command people type for it,
the roles that may do it, and the people who may do it whatever their roles because of
where they stand to the thing acted on (:class:`Party`: the draft's author, the account's
responsible person, the person themselves). :func:`check` is what the actions call; the
table in the README is :func:`markdown` of the same data (``matrixpub roles --markdown``),
and a test fails when the two differ.

Deciding a gate is not in this table: the workflow (``domain.gates``) names each gate's
role and the separation rules, and :func:`markdown` adds its rows from there.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import Refused
from domain.gates import DEFAULT_WORKFLOW, SEPARATION_SETTINGS, GateKind, Workflow
from domain.roles import ROLE_LABELS, Role


class Party(StrEnum):
    """Someone who may act because of where they stand to the thing, not their role."""

    DRAFT_AUTHOR = "the draft's author"
    RESPONSIBLE = "the account's responsible person (责任人)"
    SELF = "the person themselves"


@dataclass(frozen=True)
class Permission:
    action: str  # the key the checks use
    command: str  # what people type (CLI); the web console and API offer the same
    roles: frozenset[Role]
    parties: frozenset[Party] = frozenset()
    note: str = ""

    def allows(self, roles: Collection[Role], parties: Collection[Party] = ()) -> bool:
        return bool(self.roles & set(roles)) or bool(self.parties & set(parties))

    @property
    def who(self) -> str:
        named = [f"the {r.value} role" for r in Role if r in self.roles]
        named += [p.value for p in Party if p in self.parties]
        return " or ".join(named) if named else "nobody"


def _p(action: str, command: str, *who: Role | Party, note: str = "") -> Permission:
    return Permission(
        action,
        command,
        frozenset(w for w in who if isinstance(w, Role)),
        frozenset(w for w in who if isinstance(w, Party)),
        note,
    )


A, AU, L = Role.ADMIN, Role.AUTHOR, Role.LEADER
PERMISSIONS: tuple[Permission, ...] = (
    # people and settings
    _p("user.add", "user add", A),
    _p("user.deactivate", "user deactivate", A, note="their token and web sessions stop at once"),
    _p("user.activate", "user activate", A),
    _p("user.roles", "user roles", A),
    _p("user.token", "user token", A, note="reissues; the old token stops working"),
    _p("user.password", "user password", A, Party.SELF),
    _p("settings.set", "settings set", A, note="separation rules included, on record"),
    # accounts (备案) and word lists
    _p("account.register", "account register", A),
    _p("account.change", "account change", A),
    _p("account.move", "account suspend / resume", A),
    _p(
        "account.request",
        "account request open / change / close",
        A,
        Party.RESPONSIBLE,
        note="the leader decides",
    ),
    _p("account.decide", "account approve / reject", L, note="not a request of their own"),
    _p("account.filed", "account filed", A, note="the national filing's record number"),
    _p("account.credentials", "account credentials", A),
    _p("account.policy", "account policy", A),
    _p("account.unpause", "account unpause", A),
    _p("lexicon.change", "lexicon add / remove / import / allow", A),
    # drafts
    _p("draft.new", "draft new", AU),
    _p("draft.edit", "draft edit / submit", Party.DRAFT_AUTHOR),
    _p("draft.schedule", "draft schedule / fanout", A, Party.DRAFT_AUTHOR),
    _p(
        "finding.override",
        "review override",
        Role.PROOFREADER,
        Role.EDITOR,
        Role.CHIEF,
        Role.LEADER,
        note="not on their own draft",
    ),
    # posts and sending
    _p("dispatch", "dispatch --once", A, AU),
    _p("post.confirm", "post confirm", A, Party.DRAFT_AUTHOR, Party.RESPONSIBLE),
    _p("post.cancel", "post cancel", A, Party.DRAFT_AUTHOR, Party.RESPONSIBLE),
    _p("post.resolve", "post resolve", A, L),
    _p("post.retry", "post retry", A),
    _p("post.release", "post release", L, note="through a freeze"),
    _p("freeze.change", "freeze add / lift", A, L),
    # alerts and reports
    _p("alert.ack", "alerts --ack", A, note="with a note of what was done, on record"),
    _p("report.monthly", "report monthly", A, L),
)
BY_ACTION: dict[str, Permission] = {p.action: p for p in PERMISSIONS}


def check(
    action: str, *, name: str, roles: Collection[Role], parties: Collection[Party] = ()
) -> None:
    """Raise :class:`Refused` unless a person with ``roles`` standing as ``parties`` may do
    ``action``."""
    permission = BY_ACTION[action]  # KeyError: an action missing from the table
    if not permission.allows(roles, parties):
        raise Refused(
            "{command} needs {who}; {name} does not qualify",
            command=permission.command,
            who=permission.who,
            name=name,
        )


@dataclass(frozen=True)
class Row:
    """One line of the roles × actions table."""

    command: str
    roles: frozenset[Role]
    also: str


def rows(workflow: Workflow = DEFAULT_WORKFLOW) -> list[Row]:
    """Every action and who may do it: this table, then the gates and checks of the
    workflow."""
    found = []
    for p in PERMISSIONS:
        parties = " or ".join(q.value for q in Party if q in p.parties)
        found.append(Row(p.command, p.roles, "; ".join(x for x in (parties, p.note) if x)))
    for index, gate in enumerate(workflow.gates):
        found.append(
            Row(
                f"review approve/reject --gate {gate.label}",
                frozenset({gate.role}),
                f"gate {index + 1} ({gate.key}); see the separation rules",
            )
        )
    found.append(
        Row(
            "review escalate --check …",
            frozenset(g.role for g in workflow.gates),
            "whoever may decide the gate the draft waits at",
        )
    )
    for check_ in workflow.checks:
        if check_.kind is GateKind.CHECK:
            found.append(
                Row(
                    f"review approve/reject --gate {check_.label}",
                    frozenset({check_.role}),
                    f"the extra check {check_.key}, when a reviewer asked for it",
                )
            )
    return found


def markdown(workflow: Workflow = DEFAULT_WORKFLOW) -> str:
    """The roles × actions table of the README (``matrixpub roles --markdown``)."""
    roles = list(Role)
    lines = [
        "| action | " + " | ".join(f"{r.value} {ROLE_LABELS[r]}" for r in roles) + " | also |",
        "|---|" + "---|" * len(roles) + "---|",
    ]
    for row in rows(workflow):
        cells = ["✓" if r in row.roles else "" for r in roles]
        lines.append(f"| `{row.command}` | " + " | ".join(cells) + f" | {row.also} |")
    lines += [
        "",
        "Separation of duties (the defaults; an admin may relax each with "
        "`matrixpub settings set KEY VALUE`, on record):",
        "",
    ]
    lines += [f"- `{key}`: {meaning}" for key, meaning in SEPARATION_SETTINGS.items()]
    return "\n".join(lines) + "\n"
