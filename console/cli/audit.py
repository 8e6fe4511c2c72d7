"""``matrixpub audit``: the hash-chained audit log."""

from typing import Annotated, Any

import typer

from console import actions
from console import output as o
from console.cli.common import Json, Token, _ws
from console.i18n import _, action_label, audit_details, subject_label

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(
    expect_head: Annotated[
        str | None,
        typer.Option(help="The head hash recorded earlier; catches events cut from the end."),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Check the hash chain; exits 1 if it is broken."""
    result: dict[str, Any] = {}

    def body() -> dict[str, Any]:
        result.update(actions.audit_verify(_ws(token), expect_head=expect_head))
        return result

    def human(r: dict[str, Any]) -> None:
        if r["ok"]:
            if r["keyed_from"]:
                line = _(
                    "Audit chain intact: {n} events, head {head}, keyed from event {first}.",
                    n=r["events"],
                    head=r["head"],
                    first=r["keyed_from"],
                )
            else:
                line = _(
                    "Audit chain intact: {n} events, head {head}, not keyed.",
                    n=r["events"],
                    head=r["head"],
                )
            o.out.print(line, markup=False)
            anchor = r["anchor"]
            o.out.print(
                _(
                    "Checked against the anchor of {at} ({n} events).",
                    at=anchor["at"],
                    n=anchor["events"],
                )
                if anchor
                else _("No anchor yet: run `matrixpub audit anchor` to pin the head."),
                markup=False,
            )
        else:
            o.err.print(
                _("Audit chain broken: {problem}.", problem=r["problem"]),
                markup=False,
                style="bold red",
            )

    o.run(json_, body, human)
    if not result.get("ok"):
        raise typer.Exit(1)


@audit_app.command("anchor")
def audit_anchor(json_: Json = False, token: Token = None) -> None:
    """Write the chain's head, count and time to a file under MATRIXPUB_HOME/anchors/."""
    o.run(
        json_,
        lambda: actions.audit_anchor(_ws(token)),
        lambda r: o.out.print(
            _(
                "Anchored {n} events, head {head}, in {file}.",
                n=r["events"],
                head=r["head"],
                file=r["file"],
            ),
            markup=False,
        ),
    )


@audit_app.command("log")
def audit_log(
    subject: Annotated[str | None, typer.Option(help="e.g. draft:3 or account:2.")] = None,
    limit: Annotated[int, typer.Option(help="How many recent events.")] = 50,
    actor: Annotated[str | None, typer.Option(help="Only this person's (a name).")] = None,
    action: Annotated[
        str | None, typer.Option(help="Only actions starting so, e.g. draft or alert.")
    ] = None,
    since: Annotated[str | None, typer.Option("--from", help="From this local day.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="To this local day, included.")] = None,
    draft: Annotated[int | None, typer.Option(help="Only about this draft.")] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Recent audit events, or every event about one subject; with --actor, --action,
    --from, --to or --draft, the events that match (newest first, names for people)."""
    if any(v is not None for v in (actor, action, since, until, draft)):
        from console import admin

        o.run(
            json_,
            lambda: admin.audit_search(
                _ws(token),
                actor=actor,
                action=action,
                since=since,
                until=until,
                draft=draft,
                limit=limit,
            ),
            _audit_table,
        )
        return
    o.run(
        json_,
        lambda: actions.audit_log(_ws(token), subject=subject, limit=limit),
        _audit_table,
    )


def _audit_table(rows: list[dict[str, Any]]) -> None:
    """Who acted, what they did, on what (by its name), with the gate, version and opinion."""
    o.table(
        _("Audit log"),
        [_("seq"), _("when"), _("who"), _("action"), _("subject"), _("details")],
        [
            (
                r["seq"],
                o.short_time(r["at"]),
                r["actor"] or _("the system"),
                action_label(r["action"]),
                subject_label(r["subject"], r.get("subject_name")),
                audit_details(r["data"]),
            )
            for r in rows
        ],
        empty=_("Nothing on record."),
    )
