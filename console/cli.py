"""The ``matrixpub`` command line: a thin face over :mod:`console.actions`.

Every acting command runs as the user whose personal token is in ``MATRIXPUB_TOKEN``
(or ``--token``). Every command takes ``--json``. Refused actions exit 1 with one line
on stderr; bad usage exits 2.
"""

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.cells import cell_len
from rich.table import Table

from console import actions
from console import output as o
from console.workspace import Workspace
from domain.errors import InvalidInput
from domain.gates import DEFAULT_WORKFLOW, Verdict

app = typer.Typer(
    name="matrixpub",
    help="Publishing pipeline for a matrix of new-media accounts: 三审三校, per-platform "
    "formatting, scheduled delivery, everything on record.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
user_app = typer.Typer(help="People and their roles (admin).", no_args_is_help=True)
account_app = typer.Typer(help="The account registry (备案).", no_args_is_help=True)
draft_app = typer.Typer(help="Write, edit and submit drafts.", no_args_is_help=True)
review_app = typer.Typer(help="Decide gates: 一校 初审 二校 复审 三校 终审.", no_args_is_help=True)
post_app = typer.Typer(help="Posts: one approved item to one account.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
freeze_app = typer.Typer(
    help="Freeze periods: nothing is sent unless a leader releases it.", no_args_is_help=True
)
schedule_app = typer.Typer(help="What goes out when.", no_args_is_help=True)
lexicon_app = typer.Typer(help="Word lists for the 错敏 checks (admin).", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(account_app, name="account")
app.add_typer(draft_app, name="draft")
app.add_typer(review_app, name="review")
app.add_typer(post_app, name="post")
app.add_typer(audit_app, name="audit")
app.add_typer(freeze_app, name="freeze")
app.add_typer(schedule_app, name="schedule")
app.add_typer(lexicon_app, name="lexicon")

Json = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]
Token = Annotated[
    str | None,
    typer.Option(
        "--token", help="Act as this token's user [default: $MATRIXPUB_TOKEN].", show_default=False
    ),
]


def _ws(token: str | None = None) -> Workspace:
    return Workspace.from_env(token=token)


# -- set-up and people ---------------------------------------------------------------------
@app.command()
def init(
    admin: Annotated[str, typer.Option("--admin", help="Name of the first admin.")],
    json_: Json = False,
) -> None:
    """Create the database (Alembic migrations) and the first admin; prints its token."""

    def human(user: dict[str, Any]) -> None:
        o.out.print(f"Initialised matrixpub in {user['home']} (database {user['database']}).")
        o.out.print(f"Admin [bold]{user['name']}[/] created. Token (shown once, keep it safe):")
        o.out.print(f"  export MATRIXPUB_TOKEN={user['token']}", highlight=False)

    o.run(json_, lambda: actions.init(_ws(), admin=admin), human)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            metavar="ROLE",
            help="admin, author, proofreader, editor (初审), chief (复审), leader (终审).",
        ),
    ],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Add a user with one or more roles; prints the user's token once."""

    def human(user: dict[str, Any]) -> None:
        o.out.print(f"User [bold]{user['name']}[/] ({', '.join(user['roles'])}) is {user['id']}.")
        o.out.print(f"Token (shown once): {user['token']}", highlight=False)

    o.run(json_, lambda: actions.add_user(_ws(token), name=name, roles=role), human)


@user_app.command("list")
def user_list(json_: Json = False, token: Token = None) -> None:
    """Everyone and their roles."""
    o.run(
        json_,
        lambda: actions.list_users(_ws(token)),
        lambda users: o.table(
            "Users",
            ["id", "name", "roles", "active"],
            [(u["id"], u["name"], ", ".join(u["roles"]), u["active"]) for u in users],
        ),
    )


@app.command()
def whoami(json_: Json = False, token: Token = None) -> None:
    """Who the token belongs to."""
    o.run(
        json_,
        lambda: actions.whoami(_ws(token)),
        lambda u: o.out.print(f"{u['name']} ({', '.join(u['roles'])})"),
    )


# -- accounts ------------------------------------------------------------------------------
def _account_fields(a: dict[str, Any]) -> None:
    o.fields(
        f"Account {a['id']}",
        [
            ("platform", a["platform"]),
            ("name", a["name"]),
            ("state", a["state"]),
            ("unit 主办单位", a["unit"]),
            ("supervising unit 主管单位", a["supervising_unit"]),
            ("platform id", a["platform_id"]),
            ("url", a["url"]),
            ("responsible 责任人", a["responsible"]),
            ("contact", a["contact"]),
            ("credential holder", a["credential_holder"]),
            ("record no 备案号", a["record_no"]),
            ("opened / filed", f"{a['opened_on'] or '-'} / {a['filed_on'] or '-'}"),
            ("main account", a["is_main"]),
            ("parent", a["parent_id"]),
            ("group", a["group_name"]),
            ("update threshold", f"{a['update_threshold_days']} days"),
            ("secret block", a["secret_block"]),
        ],
    )
    for event in a.get("events", []):
        o.out.print(
            f"  {o.short_time(event['at'])}  {event['action']:<10} "
            f"{event.get('from_state') or ''}→{event.get('to_state') or ''}  "
            f"{event.get('reason') or ''}",
            highlight=False,
        )
    if a.get("cancelled_posts"):
        o.out.print(f"Cancelled queued posts: {', '.join(map(str, a['cancelled_posts']))}")


@account_app.command("register")
def account_register(
    platform: Annotated[
        str,
        typer.Option(
            help="wechat_oa, wechat_service, weibo, douyin, "
            "xiaohongshu, toutiao, kuaishou, bilibili, "
            "wechat_channels, website, webhook."
        ),
    ],
    name: Annotated[str, typer.Option(help="The account's name on the platform.")],
    unit: Annotated[str, typer.Option(help="Owning unit (主办单位).")],
    platform_id: Annotated[
        str | None, typer.Option(help="ID on the platform (website: the column's folder name).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Home page, or the webhook endpoint.")] = None,
    responsible: Annotated[str | None, typer.Option(help="Responsible person (责任人).")] = None,
    contact: Annotated[str | None, typer.Option(help="Contact phone or e-mail.")] = None,
    record_no: Annotated[str | None, typer.Option(help="Record number (备案编号).")] = None,
    supervising_unit: Annotated[
        str | None, typer.Option(help="Supervising unit (主管单位).")
    ] = None,
    verification: Annotated[str | None, typer.Option(help="Verification (认证) subject.")] = None,
    credential_holder: Annotated[str | None, typer.Option(help="Who keeps the login.")] = None,
    opened_on: Annotated[str | None, typer.Option(help="Opening date, YYYY-MM-DD.")] = None,
    filed_on: Annotated[str | None, typer.Option(help="Filing date, YYYY-MM-DD.")] = None,
    main: Annotated[bool, typer.Option("--main", help="The unit's main account.")] = False,
    parent: Annotated[int | None, typer.Option(help="Parent account id.")] = None,
    group: Annotated[str | None, typer.Option(help="Group, e.g. culture-tourism.")] = None,
    update_threshold_days: Annotated[
        int | None, typer.Option(help="Flag after this many days without an update.")
    ] = None,
    duplicate_reason: Annotated[
        str | None, typer.Option(help="Why the unit needs a second account on this platform.")
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Register (备案) an account; admin only."""
    extra = {"update_threshold_days": update_threshold_days} if update_threshold_days else {}
    o.run(
        json_,
        lambda: actions.register_account(
            _ws(token),
            platform=platform,
            name=name,
            unit=unit,
            platform_id=platform_id,
            url=url,
            responsible=responsible,
            contact=contact,
            record_no=record_no,
            supervising_unit=supervising_unit,
            verification=verification,
            credential_holder=credential_holder,
            opened_on=opened_on,
            filed_on=filed_on,
            is_main=main,
            parent_id=parent,
            group_name=group,
            duplicate_reason=duplicate_reason,
            **extra,
        ),
        _account_fields,
    )


@account_app.command("list")
def account_list(
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    state: Annotated[str | None, typer.Option(help="Only this state.")] = None,
    group: Annotated[str | None, typer.Option(help="Only this group.")] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """The registry."""
    o.run(
        json_,
        lambda: actions.list_accounts(_ws(token), platform=platform, state=state, group=group),
        lambda rows: o.table(
            "Accounts",
            ["id", "platform", "name", "unit", "state", "group", "main", "record no"],
            [
                (
                    a["id"],
                    a["platform"],
                    a["name"],
                    a["unit"],
                    a["state"],
                    a["group_name"],
                    "✓" if a["is_main"] else "",
                    a["record_no"],
                )
                for a in rows
            ],
        ),
    )


@account_app.command("show")
def account_show(account_id: int, json_: Json = False, token: Token = None) -> None:
    """One account's record and its history."""
    o.run(json_, lambda: actions.show_account(_ws(token), account_id), _account_fields)


def _move(move: str, account_id: int, reason: str, json_: bool, token: str | None) -> None:
    o.run(
        json_,
        lambda: actions.move_account(_ws(token), account_id, move=move, reason=reason),
        _account_fields,
    )


Reason = Annotated[str, typer.Option("--reason", help="Why; kept on record.")]


@account_app.command("suspend")
def account_suspend(
    account_id: int, reason: Reason, json_: Json = False, token: Token = None
) -> None:
    """Suspend an account; its queued posts are cancelled."""
    _move("suspend", account_id, reason, json_, token)


@account_app.command("resume")
def account_resume(
    account_id: int, reason: Reason, json_: Json = False, token: Token = None
) -> None:
    """Resume a suspended account."""
    _move("resume", account_id, reason, json_, token)


@account_app.command("close")
def account_close(
    account_id: int, reason: Reason, json_: Json = False, token: Token = None
) -> None:
    """Close an account for good; its queued posts are cancelled."""
    _move("close", account_id, reason, json_, token)


def _credential_values(from_file: Path | None, value: list[str] | None) -> dict[str, str]:

    values: dict[str, str] = {}
    if from_file is not None:
        if not from_file.is_file():
            raise InvalidInput(f"credentials file {from_file} does not exist")
        try:
            loaded = json.loads(from_file.read_text("utf-8"))
        except ValueError:
            raise InvalidInput(f"credentials file {from_file} is not a JSON object") from None
        if not isinstance(loaded, dict) or not loaded:
            raise InvalidInput(f"credentials file {from_file} is not a JSON object")
        values.update({str(k): str(v) for k, v in loaded.items()})
    for item in value or []:
        key, sep, val = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput("--value takes KEY=VALUE")
        values[key.strip()] = val
    return values


@account_app.command("credentials")
def account_credentials(
    account_id: int,
    secret_block: Annotated[
        str, typer.Option(help="Name of the Prefect Secret block holding the credentials.")
    ],
    from_file: Annotated[
        Path | None,
        typer.Option(
            help="A JSON object of credential fields to store in that block, e.g. "
            '{"appid": "...", "appsecret": "..."}.'
        ),
    ] = None,
    value: Annotated[
        list[str] | None,
        typer.Option(
            "--value",
            metavar="KEY=VALUE",
            help="A credential field to store (it "
            "stays in your shell history: prefer --from-file).",
        ),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Name the Secret block with an account's credentials (admin); optionally fill it.
    Credentials live only in Prefect, encrypted; never in matrixpub's tables or logs."""

    def body() -> dict[str, Any]:
        values = _credential_values(from_file, value)
        with o.status(not json_) as say:
            return actions.set_credentials(
                _ws(token), account_id, block=secret_block, values=values or None, status=say
            )

    def human(a: dict[str, Any]) -> None:
        stored = ", ".join(a["stored_fields"])
        o.out.print(
            f"Account {a['id']} uses Secret block {a['secret_block']!r}"
            + (f" (stored fields: {stored})." if stored else ".")
        )

    o.run(json_, body, human)


@account_app.command("policy")
def account_policy(
    account_id: int,
    windows: Annotated[
        str | None,
        typer.Option(
            help="Posting windows in local time, e.g. 07:30-22:00 or "
            "07:30-12:00,14:00-22:00; empty for always open."
        ),
    ] = None,
    spacing: Annotated[
        str | None, typer.Option(help="At least this long between posts, e.g. 30m or 2h.")
    ] = None,
    quota: Annotated[
        str | None, typer.Option(help="At most N per hour, day or month, e.g. 1/day; none.")
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Back to the channel's defaults.")] = False,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Set an account's posting windows, minimum spacing and quota (admin)."""
    o.run(
        json_,
        lambda: actions.set_policy(
            _ws(token), account_id, windows=windows, spacing=spacing, quota=quota, reset=reset
        ),
        lambda a: o.out.print(
            f"Account {a['id']}: windows {a['windows'] or 'always open'}, spacing "
            f"{a['spacing_minutes'] or 0} min, quota {a['quota'] or 'the channel default'}."
        ),
    )


@account_app.command("unpause")
def account_unpause(
    account_id: int, reason: Reason, json_: Json = False, token: Token = None
) -> None:
    """Let a paused queue run again after repeated failures were looked at (admin)."""
    o.run(
        json_,
        lambda: actions.unpause_account(_ws(token), account_id, reason=reason),
        lambda a: o.out.print(f"Account {a['id']}'s queue runs again."),
    )


@account_app.command("change")
def account_change(
    account_id: int,
    reason: Annotated[str | None, typer.Option(help="Why; kept on record.")] = None,
    name: Annotated[str | None, typer.Option()] = None,
    unit: Annotated[str | None, typer.Option()] = None,
    platform_id: Annotated[str | None, typer.Option()] = None,
    url: Annotated[str | None, typer.Option()] = None,
    responsible: Annotated[str | None, typer.Option()] = None,
    contact: Annotated[str | None, typer.Option()] = None,
    record_no: Annotated[str | None, typer.Option()] = None,
    group: Annotated[str | None, typer.Option()] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Change fields of an account's record; every change is kept as an event."""
    o.run(
        json_,
        lambda: actions.change_account(
            _ws(token),
            account_id,
            reason=reason,
            name=name,
            unit=unit,
            platform_id=platform_id,
            url=url,
            responsible=responsible,
            contact=contact,
            record_no=record_no,
            group_name=group,
        ),
        _account_fields,
    )


# -- drafts --------------------------------------------------------------------------------
def _draft_line(d: dict[str, Any]) -> tuple[Any, ...]:
    gate = d.get("gate")
    where = f"{gate['index']}/6 {gate['label']}" if gate else ""
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
        _draft_summary,
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
        lambda d: o.out.print(
            f"Draft {d['id']} rescheduled; {len(d['moved_posts'])} queued post(s) follow."
        ),
    )


@draft_app.command("fanout")
def draft_fanout(
    draft_id: int,
    group: Annotated[str, typer.Option(help="Repost to every active account of this group.")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Matrix repost (集中转载) of a signed draft: one post per account of the group, main
    account first, the others staggered within their windows."""

    def body() -> dict[str, Any]:
        with o.status(not json_) as say:
            return actions.fan_out(_ws(token), draft_id, group=group, status=say)

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
            _draft_summary,
        )


@draft_app.command("submit")
def draft_submit(draft_id: int, json_: Json = False, token: Token = None) -> None:
    """Submit for review: variants are rendered and checked, then gate 1 (一校) opens."""
    result: dict[str, Any] = {}

    def body() -> dict[str, Any]:
        with o.status(not json_) as say:
            result.update(actions.submit_draft(_ws(token), draft_id, status=say))
        return result

    o.run(json_, body, _draft_summary)
    if _blocked(result):
        raise typer.Exit(1)


def _draft_detail(d: dict[str, Any]) -> None:
    gate = d.get("gate")
    version = d["current_version"]
    o.fields(
        f"Draft {d['id']}: {d['title']}",
        [
            (
                "state",
                d["state"]
                + (
                    f" — at {gate['index']}/6 {gate['label']} {gate['key']} ({gate['role']})"
                    if gate
                    else ""
                ),
            ),
            ("author", d["author"]),
            ("version", d["version"]),
            ("content hash", d["content_hash"]),
            ("summary", version["summary"]),
            ("cover", version["cover_sha256"]),
            ("targets", ", ".join(map(str, d["targets"]))),
        ],
    )
    if d["variants"]:
        o.table(
            "Variants",
            ["channel", "hash", "violations"],
            [
                (
                    v["channel"],
                    v["hash"][:16],
                    "; ".join(x["message"] for x in v["violations"]) or "none",
                )
                for v in d["variants"]
            ],
        )
    if d["decisions"]:
        o.table(
            "Decisions",
            ["when", "gate", "verdict", "by", "version", "opinion"],
            [
                (
                    o.short_time(x["at"]),
                    f"{x['label']} {x['gate']}",
                    x["verdict"],
                    x["actor"],
                    x["version"],
                    x["opinion"],
                )
                for x in d["decisions"]
            ],
        )
    check = d.get("check")
    if check:
        _findings_table(f"Checks of version {d['version']}", check["findings"])
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
        lambda rows: o.table("Drafts", DRAFT_COLUMNS, [_draft_line(d) for d in rows]),
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
    """What changed between two versions of a draft (title, summary, body, overrides)."""

    def human(r: dict[str, Any]) -> None:
        if not r["changed"]:
            o.out.print(f"Versions {r['from']} and {r['to']} read the same.")
        for line in r["diff"]:
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else ""
            o.out.print(line, style=style or None, highlight=False, markup=False)

    o.run(json_, lambda: actions.diff_draft(_ws(token), draft_id, old=old, new=new), human)


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
            f"Draft {r['draft_id']} version {r['version']}: lengths against limits",
            ["channel", "field", "measured", "limit", "unit", ""],
            [
                (
                    row["channel"],
                    row["field"],
                    "" if row["value"] is None else row["value"],
                    "" if row["limit"] is None else row["limit"],
                    row["unit"],
                    ("✗ " + row["message"]) if row["over"] else "✓",
                )
                for row in r["rows"]
            ],
        )
        o.out.print(
            f"Previews written to {r['out']}/<channel>/ (variant.json, pictures, preview.html)."
        )

    o.run(json_, body, human)


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


@draft_app.command("check")
def draft_check(draft_id: int, json_: Json = False, token: Token = None) -> None:
    """Run the 错敏 checks on the current version again and show every finding."""

    def body() -> dict[str, Any]:
        with o.status(not json_) as say:
            return actions.check_draft(_ws(token), draft_id, status=say)

    def human(r: dict[str, Any]) -> None:
        _findings_table(f"Draft {r['draft_id']} version {r['version']}", r["findings"])
        lists = ", ".join(f"{k} {v}" for k, v in sorted(r["lexicon_versions"].items()))
        o.out.print(f"{r['blocking_open']} blocking finding(s) open. Word lists: {lists}.")

    o.run(json_, body, human)


# -- review --------------------------------------------------------------------------------
@review_app.command("queue")
def review_queue(json_: Json = False, token: Token = None) -> None:
    """What you may decide now."""
    o.run(
        json_,
        lambda: actions.review_queue(_ws(token)),
        lambda rows: (
            o.table("Waiting for you", DRAFT_COLUMNS, [_draft_line(d) for d in rows])
            if rows
            else o.out.print("Nothing waits for you.")
        ),
    )


Opinion = Annotated[str, typer.Option("--opinion", help="Your opinion; kept on record.")]
Version = Annotated[
    int | None,
    typer.Option("--version", help="The version you read; refused if the draft changed since."),
]


def _decided(d: dict[str, Any]) -> None:
    decision = d["decision"]
    o.out.print(
        f"{decision['label']} {decision['gate']}: {decision['verdict']} by "
        f"{decision['actor']} on version {decision['version']}."
    )
    if d["state"] == "in_review":
        gate = d["gate"]
        o.out.print(f"Next: {gate['index']}/6 {gate['label']} {gate['key']} ({gate['role']}).")
    elif d["state"] == "returned":
        o.out.print("Returned to the author.")
    _draft_summary({**d, "prepare": None})


def _decide(
    verdict: Verdict,
    draft_id: int,
    opinion: str,
    version: int | None,
    json_: bool,
    token: str | None,
) -> None:
    def body() -> dict[str, Any]:
        with o.status(not json_) as say:
            return actions.decide(
                _ws(token), draft_id, verdict=verdict, opinion=opinion, version=version, status=say
            )

    o.run(json_, body, _decided)


@review_app.command("approve")
def review_approve(
    draft_id: int,
    opinion: Opinion,
    version: Version = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Pass the draft's current gate."""
    _decide(Verdict.APPROVE, draft_id, opinion, version, json_, token)


@review_app.command("reject")
def review_reject(
    draft_id: int,
    opinion: Opinion,
    version: Version = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Send the draft back to its author."""
    _decide(Verdict.REJECT, draft_id, opinion, version, json_, token)


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
        lambda r: o.out.print(
            f"Finding {r['finding_id']} of draft {r['draft_id']} overridden "
            f"by {r['by']}: {r['reason']}"
        ),
    )


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
    ]
    o.run(
        json_,
        lambda: rows,
        lambda rs: o.table(
            "三审三校",
            ["#", "gate", "", "role", "pins variants"],
            [
                (r["index"], r["key"], r["label"], r["role"], "✓" if r["pins_variants"] else "")
                for r in rs
            ],
        ),
    )


# -- posts and delivery --------------------------------------------------------------------
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


@post_app.command("list")
def post_list(
    draft: Annotated[int | None, typer.Option(help="Only this draft's posts.")] = None,
    state: Annotated[
        str | None,
        typer.Option(
            help="queued, sending, pending, manual, published, failed, unknown, cancelled."
        ),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Posts, soonest first."""
    o.run(json_, lambda: actions.list_posts(_ws(token), draft_id=draft, state=state), _posts_table)


@post_app.command("confirm")
def post_confirm(
    post_id: int,
    url: Annotated[str, typer.Option(help="Where the post is live on the platform.")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Complete a manual package: record the live URL after posting it by hand."""
    o.run(
        json_,
        lambda: actions.confirm_post(_ws(token), post_id, url=url),
        lambda p: o.out.print(f"Post {p['id']} is {p['state']}: {p['url']}"),
    )


def _post_line(p: dict[str, Any]) -> None:
    o.out.print(f"Post {p['id']} is {p['state']}" + (f": {p['url']}" if p["url"] else "."))


@post_app.command("cancel")
def post_cancel(post_id: int, reason: Reason, json_: Json = False, token: Token = None) -> None:
    """Cancel a queued post (its author or an admin)."""
    o.run(json_, lambda: actions.cancel_post(_ws(token), post_id, reason=reason), _post_line)


@post_app.command("retry")
def post_retry(post_id: int, json_: Json = False, token: Token = None) -> None:
    """Queue a failed post again (admin)."""
    o.run(json_, lambda: actions.retry_post(_ws(token), post_id), _post_line)


@post_app.command("release")
def post_release(post_id: int, reason: Reason, json_: Json = False, token: Token = None) -> None:
    """Let one queued post out through freeze periods (leader), on record."""
    o.run(json_, lambda: actions.release_post(_ws(token), post_id, reason=reason), _post_line)


@post_app.command("resolve")
def post_resolve(
    post_id: int,
    published: Annotated[str | None, typer.Option(help="It did go out: where it is live.")] = None,
    not_published: Annotated[
        bool, typer.Option("--not-published", help="It did not go out: send it again.")
    ] = False,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Settle a post whose send may have reached the platform (state unknown)."""
    o.run(
        json_,
        lambda: actions.resolve_post(
            _ws(token), post_id, published=published, not_published=not_published
        ),
        _post_line,
    )


@freeze_app.command("add")
def freeze_add(
    start: Annotated[str, typer.Option("--from", help="Local start, e.g. '2026-12-20 00:00'.")],
    end: Annotated[str, typer.Option("--to", help="Local end.")],
    reason: Reason,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Declare a freeze period (admin or leader)."""
    o.run(
        json_,
        lambda: actions.add_freeze(_ws(token), start=start, end=end, reason=reason),
        lambda f: o.out.print(
            f"Freeze {f['id']}: {o.short_time(f['starts_at'])} → "
            f"{o.short_time(f['ends_at'])} ({f['reason']})."
        ),
    )


@freeze_app.command("list")
def freeze_list(
    all_: Annotated[bool, typer.Option("--all", help="Past and lifted ones too.")] = False,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Freeze periods now and to come."""
    o.run(
        json_,
        lambda: actions.list_freezes(_ws(token), all_=all_),
        lambda rows: o.table(
            "Freezes",
            ["id", "from", "to", "reason", "lifted"],
            [
                (
                    f["id"],
                    o.short_time(f["starts_at"]),
                    o.short_time(f["ends_at"]),
                    f["reason"],
                    o.short_time(f["lifted_at"]),
                )
                for f in rows
            ],
        ),
    )


@freeze_app.command("lift")
def freeze_lift(freeze_id: int, reason: Reason, json_: Json = False, token: Token = None) -> None:
    """End a freeze early (admin or leader)."""
    o.run(
        json_,
        lambda: actions.lift_freeze(_ws(token), freeze_id, reason=reason),
        lambda f: o.out.print(f"Freeze {f['id']} lifted."),
    )


@schedule_app.command("show")
def schedule_show(
    day: Annotated[
        str | None, typer.Option(help="A local day, e.g. 2026-12-15 [default: today].")
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Posts due on one day: a row per account, a column per hour."""

    def human(grid: dict[str, Any]) -> None:
        if not grid["accounts"]:
            o.out.print(f"{grid['day']} ({grid['timezone']}): nothing is due that day.")
            return
        names = [f"{row['account_id']} {row['name']}" for row in grid["accounts"]]
        hours = range(24)
        if max(map(cell_len, names)) + 1 + 24 * 3 > o.out.width:  # too narrow for the day
            busy = [h for row in grid["accounts"] for h, n in enumerate(row["hours"]) if n]
            hours = range(min(busy), max(busy) + 1)
        title = f"{grid['day']} ({grid['timezone']})"
        if len(hours) == 1:
            title += f", hour {hours[0]:02d} only (the others have nothing due)"
        elif len(hours) < 24:
            title += f", hours {hours[0]:02d}–{hours[-1]:02d} (the others have nothing due)"
        table = Table(
            title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=0, pad_edge=False
        )
        table.add_column("account", overflow="fold")
        for hour in hours:
            table.add_column(f"{hour:02d}", justify="right", no_wrap=True)
        for name, row in zip(names, grid["accounts"], strict=True):
            table.add_row(name, *(str(row["hours"][h] or "·") for h in hours))
        o.out.print(table)

    o.run(json_, lambda: actions.schedule_grid(_ws(token), day=day), human)


@app.command()
def alerts(
    all_: Annotated[bool, typer.Option("--all", help="Resolved ones too.")] = False,
    json_: Json = False,
    token: Token = None,
) -> None:
    """What needs a person: paused queues, stale accounts, sends of unknown outcome."""
    o.run(
        json_,
        lambda: actions.list_alerts(_ws(token), all_=all_),
        lambda rows: (
            o.table(
                "Alerts",
                ["id", "when", "kind", "account", "message", "resolved"],
                [
                    (
                        a["id"],
                        o.short_time(a["at"]),
                        a["kind"],
                        a["account_id"],
                        a["message"],
                        o.short_time(a["resolved_at"]),
                    )
                    for a in rows
                ],
            )
            if rows
            else o.out.print("No open alerts.")
        ),
    )


@app.command()
def dispatch(
    once: Annotated[
        bool, typer.Option("--once", help="Deliver every post that is due now, then exit.")
    ] = False,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Deliver due posts (``--once``: one pass, for cron or a test)."""
    if not once:
        o.fail(
            "use `matrixpub dispatch --once`, or `matrixpub serve` to dispatch every minute",
            2,
            as_json=json_,
        )

    def body() -> dict[str, Any]:
        ws = _ws(token)
        if json_:
            return actions.dispatch_once(ws)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        total = actions.due_posts(ws) if ws.settings else 0
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=o.err,
            transient=True,
        ) as bar:
            task = bar.add_task("Delivering", total=total or None)
            return actions.dispatch_once(
                ws,
                status=lambda m: bar.update(task, description=m),
                progress=lambda n: bar.advance(task, n),
            )

    def human(report: dict[str, Any]) -> None:
        counts = {k: len(v) for k, v in report.items() if isinstance(v, list)}
        if not any(counts.values()):
            o.out.print("Nothing was due.")
            return
        o.out.print(", ".join(f"{n} {k}" for k, n in counts.items() if n))
        for post_id, message in sorted(
            report.get("messages", {}).items(), key=lambda kv: int(kv[0])
        ):
            o.out.print(f"  post {post_id}: {message}", highlight=False)

    o.run(json_, body, human)


# -- audit ---------------------------------------------------------------------------------
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
            o.out.print(f"Audit chain intact: {r['events']} events, head {r['head']}.")
        else:
            o.err.print(f"[bold red]Audit chain broken:[/] {r['problem']}.")

    o.run(json_, body, human)
    if not result.get("ok"):
        raise typer.Exit(1)


@audit_app.command("log")
def audit_log(
    subject: Annotated[str | None, typer.Option(help="e.g. draft:3 or account:2.")] = None,
    limit: Annotated[int, typer.Option(help="How many recent events.")] = 50,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Recent audit events, or every event about one subject."""
    o.run(
        json_,
        lambda: actions.audit_log(_ws(token), subject=subject, limit=limit),
        lambda rows: o.table(
            "Audit log",
            ["seq", "when", "actor", "action", "subject"],
            [
                (r["seq"], o.short_time(r["at"]), r["actor_id"], r["action"], r["subject"])
                for r in rows
            ],
        ),
    )


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="A UTF-8 text or Markdown file.")],
    json_: Json = False,
) -> None:
    """Run the 错敏 checks on any text file; exits 1 when something blocking is found."""
    found: list[dict[str, Any]] = []

    def body() -> list[dict[str, Any]]:
        found.extend(actions.check_file(_ws(), file))
        return [
            {
                k: f[k]
                for k in (
                    "category",
                    "severity",
                    "start",
                    "end",
                    "text",
                    "suggestion",
                    "message",
                    "rule",
                    "line",
                    "column",
                )
            }
            for f in found
        ]

    o.run(json_, body, lambda _rows: _findings_table(str(file), found))
    if any(f["severity"] == "block" for f in found):
        raise typer.Exit(1)


@lexicon_app.command("list")
def lexicon_list(
    category: Annotated[str | None, typer.Argument(help="Show this list's terms.")] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """The word lists and their versions, or one list's terms."""

    def human(rows: list[dict[str, Any]]) -> None:
        if category:
            lex = rows[0]
            o.table(
                f"{lex['category']} {lex['version']}",
                ["term", "suggest", "severity"],
                [(e["term"], e["suggest"] or "", e["severity"]) for e in lex["entries"]],
            )
            if lex["whitelist"]:
                o.out.print("Allowed (whitelist): " + "、".join(lex["whitelist"]))
        else:
            o.table(
                "Word lists",
                ["category", "version", "severity", "terms", "allowed"],
                [
                    (
                        r["category"],
                        r["version"],
                        r["severity"],
                        len(r["entries"]),
                        len(r["whitelist"]),
                    )
                    for r in rows
                ],
            )

    o.run(json_, lambda: actions.list_lexicons(_ws(token), category=category), human)


@lexicon_app.command("add")
def lexicon_add(
    category: str,
    term: str,
    suggest: Annotated[str | None, typer.Option(help="What to write instead.")] = None,
    severity: Annotated[
        str | None, typer.Option(help="block or warn [default: the list's].")
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Add a term to a word list; the list's version moves forward."""
    o.run(
        json_,
        lambda: actions.add_lexicon_term(
            _ws(token), category, term, suggest=suggest, severity=severity
        ),
        lambda r: o.out.print(
            f"{r['category']} is now version {r['version']} ({r['entries']} terms)."
        ),
    )


@lexicon_app.command("remove")
def lexicon_remove(category: str, term: str, json_: Json = False, token: Token = None) -> None:
    """Remove a term from a word list; the list's version moves forward."""
    o.run(
        json_,
        lambda: actions.remove_lexicon_term(_ws(token), category, term),
        lambda r: o.out.print(
            f"{r['category']} is now version {r['version']} ({r['entries']} terms)."
        ),
    )


@lexicon_app.command("import")
def lexicon_import(
    file: Annotated[Path, typer.Argument(help="A word list TOML file, or a plain text file.")],
    category: Annotated[
        str | None,
        typer.Option(help="Read FILE as plain text, one term a line, and add it to this list."),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Replace a word list with a TOML data file (its version must be newer), or add the
    terms of a plain one-term-a-line file to a list with --category."""

    def human(r: dict[str, Any]) -> None:
        if "added" in r:
            o.out.print(
                f"{r['added']} new term(s) added to {r['category']}, now version "
                f"{r['version']} ({r['entries']} terms)."
            )
        else:
            o.out.print(f"{r['category']} {r['version']} imported ({r['entries']} terms).")

    o.run(json_, lambda: actions.import_lexicon(_ws(token), file, category=category), human)


@lexicon_app.command("allow")
def lexicon_allow(
    term: str,
    reason: Annotated[str, typer.Option(help="Why the term is allowed (on record).")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Allow a term of the organisation's own (a place name, a title): no check finds
    anything inside it. The allow list is versioned like the other lists."""
    o.run(
        json_,
        lambda: actions.allow_lexicon_term(_ws(token), term, reason=reason),
        lambda r: o.out.print(
            f"Allowed {r['term']}; {r['category']} is now version {r['version']}."
        ),
    )


@lexicon_app.command("export")
def lexicon_export(
    folder: Annotated[Path, typer.Argument(help="Where to write <category>.toml files.")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Write every word list as a TOML data file, to edit and import again."""
    o.run(
        json_,
        lambda: actions.export_lexicons(_ws(token), folder),
        lambda r: o.out.print(f"Wrote {', '.join(r['files'])} to {r['folder']}."),
    )


@app.command()
def serve(
    port: Annotated[
        int | None, typer.Option(help="Port for the local Prefect server [default: a free one].")
    ] = None,
    limit: Annotated[int, typer.Option(help="Flow runs at most at once.")] = 4,
    json_: Json = False,
) -> None:
    """Run the dispatcher every minute and the other scheduled flows, until Ctrl-C.
    Starts a local Prefect server (with its UI) unless PREFECT_API_URL names one."""
    from flows.serve import serve as run_serve

    def ready(api_url: str, ui_url: str | None) -> None:
        if json_:  # one line, so a supervising program can read it as soon as it appears
            print(
                json.dumps({"api_url": api_url, "ui_url": ui_url, "pid": os.getpid()}), flush=True
            )
        else:
            o.out.print(f"Serving matrixpub's flows. Prefect UI: {ui_url}  (API {api_url})")
            o.out.print("Dispatch runs every minute. Press Ctrl-C to stop.")

    def say(message: str) -> None:
        if not json_:
            o.err.print(f"{message}…")

    def body() -> None:
        run_serve(_ws().settings, port=port, limit=limit, on_ready=ready, on_status=say)

    o.run(False, body, None)


@app.command()
def demo(json_: Json = False) -> None:
    """Run the whole pipeline once on sample data, in a fresh demo folder."""
    from console.demo import run_demo

    o.run(json_, lambda: run_demo(quiet=json_), None)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
