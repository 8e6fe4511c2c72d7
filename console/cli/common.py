"""What the command groups share: the common options, the workspace, and the tables
and summaries of drafts, findings and posts that more than one group prints."""

from typing import Annotated, Any

import typer
from rich.cells import cell_len
from rich.text import Text

from console import output as o
from console.i18n import (
    CATEGORY_LABELS,
    N_,
    _,
    gate_label,
    labelled,
    ngettext,
    platform_label,
    post_state_label,
    state_label,
    word,
)
from console.nextstep import next_gate_text
from console.stored import problem_text, stored_text
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


def _targets(d: dict[str, Any]) -> str:
    """Target accounts by name where the view carries them, else by id."""
    if "target_accounts" in d:
        return _("、").join(
            _(
                "{name} ({platform}) #{id}",
                name=a["name"],
                platform=platform_label(a["platform"]),
                id=a["id"],
            )
            if a.get("platform")
            else f"{a['name']} (#{a['id']})"
            for a in d["target_accounts"]
        )
    return ", ".join(map(str, d["targets"]))


def _draft_line(d: dict[str, Any]) -> tuple[Any, ...]:
    gate = d.get("gate")
    where = f"{gate['index']}/6 {gate_label(gate['key'])}" if gate else ""
    if gate and gate.get("check"):
        where += f" → {gate_label(gate['check']['key'])}"
    return (
        d["id"],
        d["title"],
        state_label(d["state"]),
        where,
        d["version"],
        _targets(d),
        o.short_time(d["updated_at"]),
    )


DRAFT_COLUMNS = [N_("id"), N_("title"), N_("state"), N_("gate"), N_("version"), N_("targets"),
                 N_("updated")]  # fmt: skip


def _columns(names: list[str]) -> list[str]:
    return [_(name) for name in names]


def _say(text: str) -> None:
    o.out.print(text, markup=False, highlight=False)


def _next_gate(d: dict[str, Any]) -> None:
    """Where the draft waits now, and who may decide it."""
    said = next_gate_text(d.get("gate"))
    if said:
        _say(said)


def _created(d: dict[str, Any]) -> None:
    _say(_("Draft {id} created: a working copy, not yet submitted.", id=d["id"]))
    _draft_summary(d)
    _say(
        _(
            "Next: look at every channel's rendering with `matrixpub draft preview {id}`, "
            "then send it to review with `matrixpub draft submit {id}`.",
            id=d["id"],
        )
    )


def _edited(d: dict[str, Any]) -> None:
    if d["state"] == "returned":
        _say(
            _(
                "Draft {id} changed, but not yet resubmitted: the reviewers see the change "
                "only after `matrixpub draft submit {id}`.",
                id=d["id"],
            )
        )
    elif d.get("working_copy"):
        _say(_("Draft {id} changed (its working copy, not yet submitted).", id=d["id"]))
    else:
        _say(
            _(
                "Draft {id} changed: version {version} starts again at the first gate.",
                id=d["id"],
                version=d["version"],
            )
        )
    _draft_summary(d)
    if d.get("working_copy") and d["state"] == "draft":
        _say(_("Next: `matrixpub draft submit {id}` sends it to review.", id=d["id"]))
    _next_gate(d)


def _submitted(d: dict[str, Any]) -> None:
    if d["state"] == "in_review":
        _say(_("Draft {id} submitted as version {version}.", id=d["id"], version=d["version"]))
    elif d["state"] == "returned":
        _say(_("Draft {id} was checked and sent back to you.", id=d["id"]))
    else:
        _say(_("Draft {id} submitted; its checks are running.", id=d["id"]))
    _draft_summary(d)
    _next_gate(d)
    if d["state"] == "returned":
        _say(
            _(
                "Next: fix it with `matrixpub draft edit {id}`, "
                "then `matrixpub draft submit {id}`.",
                id=d["id"],
            )
        )


def _draft_summary(d: dict[str, Any]) -> None:
    o.table(None, _columns(DRAFT_COLUMNS), [_draft_line(d)])
    prepare = d.get("prepare") or {}
    result = prepare.get("result") or {}
    if prepare.get("mode") == "server":
        _say(_("Rendering and checks handed to the Prefect server: {url}", url=prepare.get("url")))
    elif result.get("problems"):
        o.out.print(Text(_("Blocked"), style="bold red"), "— " + _("fix these in a new version:"))
        for problem in result["problems"]:
            o.out.print(f"  • {problem_text(problem)}", highlight=False)
    if result.get("findings"):
        _say(
            ngettext(
                "错敏 checks: {findings} finding, {blocking} blocking — "
                "see `matrixpub draft show {id}`.",
                "错敏 checks: {findings} findings, {blocking} blocking — "
                "see `matrixpub draft show {id}`.",
                result["findings"],
                findings=result["findings"],
                blocking=result["blocking"],
                id=d["id"],
            )
        )
    plan = d.get("plan") or {}
    if plan.get("mode") == "in-process":
        posts = (plan.get("result") or {}).get("posts", [])
        if posts and d.get("planned_posts"):
            _say(
                ngettext(
                    "Signed off (签发). Queued {n} post:",
                    "Signed off (签发). Queued {n} posts:",
                    len(posts),
                )
            )
            _planned_table(d["planned_posts"])
            _say(
                _(
                    "Next: `matrixpub serve` sends each post at its planned time; "
                    "`matrixpub dispatch --once` sends those due now."
                )
            )
            for account in d.get("lacking_credentials") or []:
                _say(
                    _(
                        "Warning: {name} ({platform}) has no credentials on record, so "
                        "nothing is sent to it: its posts wait, its queue paused, until an "
                        "admin stores them with `matrixpub account credentials {id} "
                        "--secret-block NAME --from-file FILE --test` and lets the queue run "
                        "again (`matrixpub account unpause {id}`).",
                        name=account["name"],
                        platform=platform_label(account["platform"]),
                        id=account["id"],
                    )
                )
        elif posts:
            ids = ", ".join(map(str, posts))
            _say(
                ngettext(
                    "Signed off (签发). Queued {n} post: {ids}",
                    "Signed off (签发). Queued {n} posts: {ids}",
                    len(posts),
                    ids=ids,
                )
            )
        else:
            _say(_("Signed off (签发). No new posts: every target already has one."))
    elif plan.get("mode") == "server":
        _say(
            _(
                "Signed off (签发). Planning handed to the Prefect server: {url}",
                url=plan.get("url"),
            )
        )
    if d.get("cancelled_posts"):
        _say(_("Cancelled queued posts of the old version: {ids}", ids=d["cancelled_posts"]))


def _planned_table(rows: list[dict[str, Any]]) -> None:
    o.table(
        ngettext("{n} post planned", "{n} posts planned", len(rows)),
        [_("post"), _("account"), _("channel"), _("planned time")],
        [
            (p["id"], p["account"], platform_label(p["channel"]), o.short_time(p["due_at"]))
            for p in rows
        ],
    )


def _findings_table(title: str, findings: list[dict[str, Any]]) -> None:
    """Findings one by one: where, the text in its context, the fix and why."""
    if not findings:
        _say(_("{title}: no findings.", title=title))
        return
    count = ngettext("{n} finding", "{n} findings", len(findings))
    o.out.print(Text.assemble((title, "bold"), _(": {count}", count=count)))
    colours = {"block": "red", "warn": "yellow", "info": "blue"}
    rows = [
        (
            word(f["severity"]),
            labelled(CATEGORY_LABELS, f["category"]),
            f"{f.get('field') or ''} {f['line']}:{f['column']}".strip(),
        )
        for f in findings
    ]
    # Each column as wide as its widest cell on screen (a Chinese character takes two).
    widths = [max(cell_len(row[k]) for row in rows) for k in range(3)]

    def pad(cell: str, k: int) -> str:
        return cell + " " * (widths[k] - cell_len(cell))

    for i, (f, (severity, category, where)) in enumerate(zip(findings, rows, strict=True), 1):
        done = (" (" + _("overridden") + ")", "green") if f.get("overridden") else ""
        fix = f"  → {f['suggestion']}" if f["suggestion"] else ""
        o.out.print(
            Text.assemble(
                f"{f.get('id', i):>4}  ",
                (pad(severity, 0), colours.get(f["severity"], "white")),
                f" {pad(category, 1)} {pad(where, 2)} {f['context']}{fix}",
                done,
            ),
            highlight=False,
        )
        o.out.print(f"      {f['message']}", highlight=False, style="dim")


# States in which how many times a post was tried says something (a retry, a give-up).
_TRIED_STATES = ("queued", "sending", "failed", "unknown")


def _post_account(p: dict[str, Any]) -> str:
    """The account a post goes to with its platform, in one column: the table of posts
    keeps each word whole on an 80-column terminal."""
    if not p.get("account"):
        return f"#{p['account_id']} · {platform_label(p['channel'])}"
    return f"{p['account']} (#{p['account_id']}) · {platform_label(p['channel'])}"


def _post_state(p: dict[str, Any]) -> str:
    state = post_state_label(p["state"])
    if p["state"] in _TRIED_STATES and p.get("attempts"):
        return ngettext("{state}, tried {n} time", "{state}, tried {n} times", p["attempts"],
                        state=state)  # fmt: skip
    return state


def _posts_table(rows: list[dict[str, Any]]) -> None:
    o.table(
        _("Posts"),
        _columns([N_("id"), N_("draft"), N_("account"), N_("state"), N_("due"), N_("url / error")]),
        [
            (
                p["id"],
                p["draft_id"],
                _post_account(p),
                _post_state(p),
                o.short_time(p["due_at"]),
                p["url"] or stored_text(p["last_error"]),
            )
            for p in rows
        ],
        empty=_("No posts."),
    )
