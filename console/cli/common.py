"""What the command groups share: the common options, the workspace, and the tables
and summaries of drafts, findings and posts that more than one group prints."""

from typing import Annotated, Any

import typer

from console import output as o
from console.workspace import Workspace

Json = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]
Token = Annotated[
    str | None,
    typer.Option(
        "--token", help="Act as this token's user [default: $MATRIXPUB_TOKEN].", show_default=False
    ),
]


def _ws(token: str | None = None) -> Workspace:
    return Workspace.from_env(token=token)


Reason = Annotated[str, typer.Option("--reason", help="Why; kept on record.")]


def _draft_line(d: dict[str, Any]) -> tuple[Any, ...]:
    gate = d.get("gate")
    where = f"{gate['index']}/6 {gate['label']}" if gate else ""
    if gate and gate.get("check"):
        where += f" → {gate['check']['label']}"
    return (
        d["id"],
        d["title"],
        d["state"],
        where,
        d["version"],
        ", ".join(map(str, d["targets"])),
        o.short_time(d["updated_at"]),
    )


DRAFT_COLUMNS = ["id", "title", "state", "gate", "version", "targets", "updated"]


def _draft_summary(d: dict[str, Any]) -> None:
    o.table(None, DRAFT_COLUMNS, [_draft_line(d)])
    prepare = d.get("prepare") or {}
    result = prepare.get("result") or {}
    if prepare.get("mode") == "server":
        o.out.print(f"Rendering and checks handed to the Prefect server: {prepare.get('url')}")
    elif result.get("problems"):
        o.out.print("[bold red]Blocked[/] — fix these in a new version:")
        for problem in result["problems"]:
            o.out.print(f"  • {problem}", highlight=False)
    if result.get("findings"):
        o.out.print(
            f"错敏 checks: {result['findings']} finding(s), {result['blocking']} blocking — "
            f"see `matrixpub draft show {d['id']}`."
        )
    plan = d.get("plan") or {}
    if plan.get("mode") == "in-process":
        posts = (plan.get("result") or {}).get("posts", [])
        if posts:
            ids = ", ".join(map(str, posts))
            o.out.print(f"Approved (签发). Queued {len(posts)} post(s): {ids}")
        else:
            o.out.print("Approved (签发). No new posts: every target already has one.")
    elif plan.get("mode") == "server":
        o.out.print(f"Approved (签发). Planning handed to the Prefect server: {plan.get('url')}")
    if d.get("cancelled_posts"):
        o.out.print(f"Cancelled queued posts of the old version: {d['cancelled_posts']}")


def _findings_table(title: str, findings: list[dict[str, Any]]) -> None:
    """Findings one by one: where, the text in its context, the fix and why."""
    if not findings:
        o.out.print(f"{title}: no findings.")
        return
    o.out.print(f"[bold]{title}[/]: {len(findings)} finding(s)")
    colours = {"block": "red", "warn": "yellow", "info": "blue"}
    for i, f in enumerate(findings, 1):
        where = f"{f.get('field') or ''} {f['line']}:{f['column']}".strip()
        done = " [green](overridden)[/]" if f.get("overridden") else ""
        fix = f"  → {f['suggestion']}" if f["suggestion"] else ""
        o.out.print(
            f"{f.get('id', i):>4}  [{colours.get(f['severity'], 'white')}]{f['severity']:<5}[/] "
            f"{f['category']:<14} {where:<12} {f['context']}{fix}{done}",
            highlight=False,
        )
        o.out.print(f"      {f['message']}", highlight=False, style="dim")


def _posts_table(rows: list[dict[str, Any]]) -> None:
    o.table(
        "Posts",
        ["id", "draft", "account", "channel", "state", "due", "attempts", "url / error"],
        [
            (
                p["id"],
                p["draft_id"],
                p["account_id"],
                p["channel"],
                p["state"],
                o.short_time(p["due_at"]),
                p["attempts"],
                p["url"] or p["last_error"] or "",
            )
            for p in rows
        ],
    )
