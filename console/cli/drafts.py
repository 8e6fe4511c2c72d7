"""``matrixpub draft``: write, edit and submit drafts."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from console import actions
from console import output as o
from console.cli.common import (
    DRAFT_COLUMNS,
    Json,
    Token,
    _columns,
    _created,
    _draft_line,
    _draft_summary,
    _edited,
    _findings_table,
    _posts_table,
    _say,
    _submitted,
    _targets,
    _ws,
)
from console.i18n import (
    MEASURE_LABELS,
    N_,
    UNIT_LABELS,
    _,
    account_label,
    gate_label,
    labelled,
    ngettext,
    platform_label,
    role_label,
    state_label,
    verdict_label,
)
from console.stored import stored_text

draft_app = typer.Typer(help="Write, edit and submit drafts.", no_args_is_help=True)


def _blocked(d: dict[str, Any]) -> bool:
    result = (d.get("prepare") or {}).get("result") or {}
    return bool(result.get("problems")) and d["state"] == "returned"


Targets = Annotated[
    list[int] | None,
    typer.Option("--target", metavar="ACCOUNT_ID", help="Account id; repeat for more."),
]
Group = Annotated[str | None, typer.Option("--group", help="Every active account of this group.")]
NotBefore = Annotated[
    str | None,
    typer.Option(help="Embargo: not before this local time, e.g. '2026-12-15 09:00'."),
]
Expires = Annotated[
    str | None,
    typer.Option(
        help="After this local time queued posts are cancelled and the website withdraws the item."
    ),
]
Images = Annotated[
    list[Path] | None,
    typer.Option(
        "--image",
        metavar="FILE",
        help="A body picture; the Markdown shows it with ![说明](its-file-name). Repeat for more.",
    ),
]


@draft_app.command("new")
def draft_new(
    title: Annotated[str, typer.Option(help="One-line title.")],
    body_file: Annotated[Path, typer.Option(help="Markdown file with the body.")],
    summary: Annotated[str | None, typer.Option(help="Summary (摘要).")] = None,
    cover: Annotated[
        Path | None, typer.Option(help="Cover picture (JPEG, PNG, GIF, WebP).")
    ] = None,
    focus: Annotated[
        str | None, typer.Option(help="Cover focus point as x,y fractions, e.g. 0.5,0.3.")
    ] = None,
    image: Images = None,
    target: Targets = None,
    group: Group = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Target every active account of the matrix.")
    ] = False,
    fanout: Annotated[
        str | None,
        typer.Option(
            help="Matrix repost (集中转载): target this group, main account first, "
            "the others staggered within their windows."
        ),
    ] = None,
    not_before: NotBefore = None,
    expires: Expires = None,
    priority: Annotated[int, typer.Option(help="Higher goes first (-100..100).")] = 0,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Write a new draft. Times are in the organisation's time zone (MATRIXPUB_TIMEZONE)."""
    o.run(
        json_,
        lambda: actions.new_draft(
            _ws(token),
            title=title,
            body_file=body_file,
            summary=summary,
            cover=cover,
            focus=focus,
            targets=target or [],
            group=group,
            images=image or [],
            not_before=not_before,
            expires=expires,
            priority=priority,
            fanout=fanout,
            whole_matrix=all_,
        ),
        _created,
    )


@draft_app.command("schedule")
def draft_schedule(
    draft_id: int,
    not_before: NotBefore = None,
    expires: Expires = None,
    priority: Annotated[int | None, typer.Option(help="Higher goes first (-100..100).")] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Change when a draft may go out; its queued posts follow ("none" clears a time)."""
    o.run(
        json_,
        lambda: actions.schedule_draft(
            _ws(token), draft_id, not_before=not_before, expires=expires, priority=priority
        ),
        lambda d: _say(
            ngettext(
                "Draft {id} rescheduled; {n} queued post follows.",
                "Draft {id} rescheduled; {n} queued posts follow.",
                len(d["moved_posts"]),
                id=d["id"],
            )
        ),
    )


@draft_app.command("fanout")
def draft_fanout(
    draft_id: int,
    group: Annotated[str, typer.Option(help="Repost to every active account of this group.")],
    deadline: Annotated[
        str | None,
        typer.Option(
            help="Local time by which every account must have it live, e.g. "
            "'2026-12-15 18:00'; `matrixpub report reposts` shows who is late."
        ),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Matrix repost (集中转载) of a signed draft: one post per account of the group, main
    account first, the others staggered within their windows."""

    def body() -> dict[str, Any]:
        with o.status(not json_) as say:
            return actions.fan_out(_ws(token), draft_id, group=group, deadline=deadline, status=say)

    o.run(json_, body, _draft_summary)


@draft_app.command("edit")
def draft_edit(
    draft_id: int,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    body_file: Annotated[Path | None, typer.Option(help="New Markdown body.")] = None,
    summary: Annotated[str | None, typer.Option(help="New summary.")] = None,
    cover: Annotated[Path | None, typer.Option(help="New cover picture.")] = None,
    focus: Annotated[str | None, typer.Option(help="New cover focus x,y.")] = None,
    target: Targets = None,
    group: Group = None,
    channel: Annotated[
        str | None,
        typer.Option(help="Set this channel's own title, summary or body instead of the draft's."),
    ] = None,
    image: Images = None,
    remove_image: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-image", metavar="NAME", help="Drop the body picture with this name."
        ),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Make a new version. A draft in review starts again at gate 1."""
    with o.status(not json_) as say:
        o.run(
            json_,
            lambda: actions.edit_draft(
                _ws(token),
                draft_id,
                title=title,
                body_file=body_file,
                summary=summary,
                cover=cover,
                focus=focus,
                targets=target,
                group=group,
                channel=channel,
                images=image or [],
                remove_images=remove_image or [],
                status=say,
            ),
            _edited,
        )


@draft_app.command("submit")
def draft_submit(draft_id: int, json_: Json = False, token: Token = None) -> None:
    """Submit for review: variants are rendered and checked, then gate 1 (一校) opens."""
    result: dict[str, Any] = {}

    def body() -> dict[str, Any]:
        with o.status(not json_) as say:
            result.update(actions.submit_draft(_ws(token), draft_id, status=say))
        return result

    o.run(json_, body, _submitted)
    if _blocked(result):
        raise typer.Exit(1)


def _draft_detail(d: dict[str, Any]) -> None:
    gate = d.get("gate")
    version = d["current_version"]
    o.fields(
        _("Draft {id}: {title}", id=d["id"], title=d["title"]),
        [
            (
                _("state"),
                state_label(d["state"])
                + (
                    " — "
                    + _("gate {index}/6, {gate}", index=gate["index"], gate=gate_label(gate["key"]))
                    + f" ({role_label(gate['role'])})"
                    if gate
                    else ""
                ),
            ),
            (_("author"), d["author"]),
            (_("version"), d["version"]),
            (_("content hash"), d["content_hash"]),
            (_("summary"), version["summary"]),
            (_("cover"), version["cover_sha256"]),
            (_("targets"), _targets(d)),
        ],
    )
    o.out.print(Text(_("Body of version {n}:", n=d["version"]), style="bold"))
    o.out.print(Text(d["body"].rstrip("\n")), soft_wrap=True)
    if d["variants"]:
        o.table(
            _("Variants"),
            _columns([N_("channel"), N_("hash"), N_("violations")]),
            [
                (
                    platform_label(v["channel"]),
                    v["hash"][:16],
                    "; ".join(stored_text(x["message"]) for x in v["violations"]) or _("none"),
                )
                for v in d["variants"]
            ],
        )
    if d["decisions"]:
        o.table(
            _("Decisions"),
            _columns(
                [N_("when"), N_("gate"), N_("verdict"), N_("by"), N_("version"), N_("opinion")]
            ),
            [
                (
                    o.short_time(x["at"]),
                    gate_label(x["gate"]),
                    verdict_label(x["verdict"], x["gate"]),
                    x["actor"],
                    x["version"],
                    x["opinion"],
                )
                for x in d["decisions"]
            ],
        )
    check = d.get("check")
    if check:
        _findings_table(_("Checks of version {n}", n=d["version"]), check["findings"])
    if d["posts"]:
        _posts_table(d["posts"])


@draft_app.command("show")
def draft_show(draft_id: int, json_: Json = False, token: Token = None) -> None:
    """A draft with its variants, decisions and posts."""
    o.run(json_, lambda: actions.show_draft(_ws(token), draft_id), _draft_detail)


@draft_app.command("list")
def draft_list(
    state: Annotated[
        str | None, typer.Option(help="draft, submitted, in_review, returned, approved, withdrawn.")
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """All drafts, or those in one state."""
    o.run(
        json_,
        lambda: actions.list_drafts(_ws(token), state=state),
        lambda rows: o.table(
            _("Drafts"),
            _columns(DRAFT_COLUMNS),
            [_draft_line(d) for d in rows],
            empty=_("No drafts."),
        ),
    )


@draft_app.command("diff")
def draft_diff(
    draft_id: int,
    old: Annotated[
        int | None,
        typer.Option(
            "--from",
            help="Older version [default: the one you last decided, else the previous one].",
        ),
    ] = None,
    new: Annotated[
        int | None, typer.Option("--to", help="Newer version [default: the current one].")
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """What changed between two versions, as readers meet them: the texts character by
    character, each channel's rendered text, links and pictures, and the targets."""

    def spans(parts: list[dict[str, str]]) -> Text:
        line = Text()
        for part in parts:
            if part["op"] == "insert":
                line.append(f"{{+{part['text']}+}}", style="bold green")
            elif part["op"] == "delete":
                line.append(f"[-{part['text']}-]", style="bold red strike")
            else:
                line.append(part["text"])
        return line

    def human(r: dict[str, Any]) -> None:
        if r["from"] == r["to"] == 1:
            _say(
                _(
                    "Draft {id} has only version 1: there is nothing to compare it with.",
                    id=r["draft_id"],
                )
            )
            return
        if r["from"] == r["to"]:
            _say(_("Version {n} is the same version: nothing to compare.", n=r["to"]))
            return
        _say(_("Draft {id}: version {old} → {new}", id=r["draft_id"], old=r["from"], new=r["to"]))
        if not r["changed"]:
            _say(
                _(
                    "Versions {old} and {new} read the same, go to the same "
                    "accounts and carry the same pictures and links.",
                    old=r["from"],
                    new=r["to"],
                )
            )
            return
        for field in r["texts"]:
            o.out.print(Text(_("{what}:", what=field["label"]), style="bold"))
            o.out.print(spans(field["spans"]))
        for picture in r["pictures"]:
            role = picture["label"]
            if not picture["old"]:
                said = _("{role}: picture added", role=role)
            elif not picture["new"]:
                said = _("{role}: picture removed", role=role)
            else:
                said = _("{role}: picture replaced", role=role)
            o.out.print(Text(said, style="bold"))
        for message, accounts in (
            (N_("accounts added: {accounts}"), r["targets"]["added"]),
            (N_("accounts removed: {accounts}"), r["targets"]["removed"]),
        ):
            if accounts:
                named = _("、").join(account_label(a) for a in accounts)
                o.out.print(Text(_(message, accounts=named), style="bold"))
        for variant in r["variants"]:
            if not variant["changed"]:
                continue
            o.out.print(
                Text(
                    _(
                        "{label}: rendered {old} → {new}",
                        label=variant["label"],
                        old=(variant["old_hash"] or "-")[:12],
                        new=(variant["new_hash"] or "-")[:12],
                    ),
                    style="bold",
                )
            )
            for field in variant["fields"]:
                if field["said"]:
                    o.out.print(Text(f"  {field['said']}"))
                    continue
                label = _("{what}:", what=field["label"])
                o.out.print(Text(f"  {label} ", style="bold") + spans(field["spans"]))
            for link in variant["links"]["added"]:
                o.out.print(Text("  + " + _("link {link}", link=link), style="green"))
            for link in variant["links"]["removed"]:
                o.out.print(Text("  - " + _("link {link}", link=link), style="red"))
            for picture in variant["pictures"]:
                o.out.print(Text("  " + _("{what} changed", what=picture["label"])))

    from console import reading  # the previews' imports, only for this command

    o.run(json_, lambda: reading.diff_versions(_ws(token), draft_id, old=old, new=new), human)


@draft_app.command("preview")
def draft_preview(
    draft_id: int,
    channel: Annotated[
        str | None, typer.Option(help="Only this channel, e.g. weibo or xiaohongshu.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write DIR/<channel>/ folders here [default: under MATRIXPUB_HOME]."),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Write what each platform will get (variant.json, pictures, preview.html) and show
    each variant's lengths against the platform's limits."""

    def body() -> dict[str, Any]:
        with o.status(not json_) as say:
            return actions.preview_draft(_ws(token), draft_id, channel=channel, out=out, status=say)

    def human(r: dict[str, Any]) -> None:
        o.table(
            _(
                "Draft {id} version {version}: lengths against limits",
                id=r["draft_id"],
                version=r["version"],
            ),
            [*_columns([N_("channel"), N_("field"), N_("measured"), N_("limit"), N_("unit")]), ""],
            [
                (
                    platform_label(row["channel"]),
                    labelled(MEASURE_LABELS, row["field"]),
                    "" if row["value"] is None else row["value"],
                    "" if row["limit"] is None else row["limit"],
                    # a problem's row holds its code there; its message says it in words
                    "" if row["value"] is None else labelled(UNIT_LABELS, row["unit"]),
                    ("✗ " + stored_text(row["message"])) if row["over"] else "✓",
                )
                for row in r["rows"]
            ],
        )
        _say(
            _(
                "Previews written to {out}/<channel>/ (variant.json, pictures, preview.html).",
                out=r["out"],
            )
        )
        _say(_("Every channel side by side: {url}", url=Path(r["index"]).as_uri()))

    o.run(json_, body, human)


@draft_app.command("check")
def draft_check(draft_id: int, json_: Json = False, token: Token = None) -> None:
    """Run the 错敏 checks on the current version again and show every finding."""

    def body() -> dict[str, Any]:
        with o.status(not json_) as say:
            return actions.check_draft(_ws(token), draft_id, status=say)

    def human(r: dict[str, Any]) -> None:
        _findings_table(
            _("Draft {id} version {version}", id=r["draft_id"], version=r["version"]),
            r["findings"],
        )
        lists = ", ".join(f"{k} {v}" for k, v in sorted(r["lexicon_versions"].items()))
        _say(
            ngettext(
                "{n} blocking finding open. Word lists: {lists}.",
                "{n} blocking findings open. Word lists: {lists}.",
                r["blocking_open"],
                lists=lists,
            )
        )

    o.run(json_, body, human)
