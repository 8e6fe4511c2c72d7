"""``matrixpub review``: decide the gates of 三审三校."""

from typing import Annotated, Any

import typer

from console import actions
from console import output as o
from console.cli.common import (
    DRAFT_COLUMNS,
    Json,
    Token,
    _columns,
    _draft_line,
    _draft_summary,
    _next_gate,
    _say,
    _ws,
)
from console.i18n import _, gate_label, role_label, verdict_label
from domain.gates import DEFAULT_WORKFLOW, Verdict

review_app = typer.Typer(help="Decide gates: 一校 初审 二校 复审 三校 终审.", no_args_is_help=True)


@review_app.command("queue")
def review_queue(json_: Json = False, token: Token = None) -> None:
    """What you may decide now."""
    o.run(
        json_,
        lambda: actions.review_queue(_ws(token)),
        lambda rows: (
            o.table(_("Waiting for you"), _columns(DRAFT_COLUMNS), [_draft_line(d) for d in rows])
            if rows
            else _say(_("Nothing waits for you."))
        ),
    )


Opinion = Annotated[str, typer.Option("--opinion", help="Your opinion; kept on record.")]
Version = Annotated[
    int | None,
    typer.Option(
        "--version",
        help="The version you read (required to approve); refused if the draft changed since.",
    ),
]


Gate = Annotated[
    str | None,
    typer.Option(
        "--gate",
        help="The gate you decide (一校 or proofread_1, ..., or the check 保密审查 / 网信 the "
        "draft waits for); required, and refused if the draft is at another.",
    ),
]


def _decided(d: dict[str, Any]) -> None:
    decision = d["decision"]
    if decision["verdict"] == "escalate":
        _say(
            _(
                "{actor} sent draft {id} version {version} to {check}. Opinion: {opinion}",
                actor=decision["actor"],
                id=d["id"],
                version=decision["version"],
                check=gate_label(decision["gate"]),
                opinion=decision["opinion"],
            )
        )
        _next_gate(d)
        _draft_summary({**d, "prepare": None})
        return
    _say(
        _(
            "{actor} decided {gate} of draft {id} version {version}: {verdict}. Opinion: {opinion}",
            actor=decision["actor"],
            gate=gate_label(decision["gate"]),
            id=d["id"],
            version=decision["version"],
            verdict=verdict_label(decision["verdict"]),
            opinion=decision["opinion"],
        )
    )
    if d["state"] == "in_review":
        _next_gate(d)
    elif d["state"] == "returned":
        _say(
            _(
                "Returned to the author, who edits it and submits it again "
                "(`matrixpub draft edit {id}`, then `matrixpub draft submit {id}`).",
                id=d["id"],
            )
        )
    _draft_summary({**d, "prepare": None})


def _decide(
    verdict: Verdict,
    draft_id: int,
    opinion: str,
    version: int | None,
    gate: str | None,
    json_: bool,
    token: str | None,
) -> None:
    def body() -> dict[str, Any]:
        with o.status(not json_) as say:
            return actions.decide(
                _ws(token),
                draft_id,
                verdict=verdict,
                opinion=opinion,
                version=version,
                gate=gate,
                status=say,
            )

    o.run(json_, body, _decided)


@review_app.command("approve")
def review_approve(
    draft_id: int,
    opinion: Opinion,
    version: Version = None,
    gate: Gate = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Pass the draft's current gate."""
    _decide(Verdict.APPROVE, draft_id, opinion, version, gate, json_, token)


@review_app.command("reject")
def review_reject(
    draft_id: int,
    opinion: Opinion,
    version: Version = None,
    gate: Gate = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Send the draft back to its author."""
    _decide(Verdict.REJECT, draft_id, opinion, version, gate, json_, token)


@review_app.command("escalate")
def review_escalate(
    draft_id: int,
    check: Annotated[
        str,
        typer.Option(
            "--check", help="The extra check: 保密审查 (check_secrecy) or 网信 (check_netinfo)."
        ),
    ],
    opinion: Opinion,
    version: Annotated[int, typer.Option("--version", help="The version you read.")],
    gate: Annotated[str, typer.Option("--gate", help="The gate the draft waits at (yours).")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Send the draft to an extra check before you decide its gate; the check's role
    (secrecy for 保密审查, netinfo for 网信) decides it with `review approve/reject --gate`."""
    o.run(
        json_,
        lambda: actions.escalate(
            _ws(token), draft_id, check=check, opinion=opinion, version=version, gate=gate
        ),
        _decided,
    )


@review_app.command("override")
def review_override(
    draft_id: int,
    finding_id: int,
    reason: Annotated[str, typer.Option("--reason", help="Why it may pass; kept on record.")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Let a blocking finding pass, with a reason, on record (proofreaders and reviewers)."""
    o.run(
        json_,
        lambda: actions.override_finding(_ws(token), draft_id, finding_id, reason=reason),
        lambda r: _say(
            _(
                "Finding {finding} of draft {id} overridden by {by}: {reason}",
                finding=r["finding_id"],
                id=r["draft_id"],
                by=r["by"],
                reason=r["reason"],
            )
        ),
    )


def _gate_with_term(key: str, term: str) -> str:
    """A gate in words, with the field's own term beside it where the words are others
    (1st proofread (一校)): the term a reader from the field looks for."""
    label = gate_label(key)
    return label if term in label else _("{gate} ({term})", gate=label, term=term)


@review_app.command("gates")
def review_gates(json_: Json = False) -> None:
    """The gates in order and who decides each."""
    rows = [
        {
            "index": i + 1,
            "key": g.key,
            "label": g.label,
            "kind": g.kind.value,
            "role": g.role.value,
            "pins_variants": g.pins_variants,
        }
        for i, g in enumerate(DEFAULT_WORKFLOW.gates)
    ] + [
        {
            "index": None,
            "key": c.key,
            "label": c.label,
            "kind": c.kind.value,
            "role": c.role.value,
            "pins_variants": False,
        }
        for c in DEFAULT_WORKFLOW.checks
    ]
    o.run(
        json_,
        lambda: rows,
        lambda rs: o.table(
            _("The gates (三审三校)"),
            ["#", _("gate"), _("key"), _("decided by"), _("signs the platform versions")],
            [
                (
                    r["index"] or _("extra check"),
                    _gate_with_term(r["key"], r["label"]),
                    r["key"],
                    role_label(r["role"]),
                    "✓" if r["pins_variants"] else "",
                )
                for r in rs
            ],
        ),
    )
