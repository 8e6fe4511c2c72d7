"""``matrixpub account``: the account registry (备案)."""

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from console import actions
from console import output as o
from console.cli.common import Json, Reason, Token, _ws
from console.lazy import lazy_module
from domain import credentials
from domain.errors import InvalidInput

governance = lazy_module("console.governance")  # its channels load only when a command uses it

account_app = typer.Typer(help="The account registry (备案).", no_args_is_help=True)


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
            ("unit type 单位类型", a["unit_type"]),
            ("operation 运营方式", a["operation_mode"]),
            ("operator 运维人员", a["operator"]),
            ("record no 备案号", a["record_no"]),
            ("opened / filed", f"{a['opened_on'] or '-'} / {a['filed_on'] or '-'}"),
            ("main account", a["is_main"]),
            ("parent", a["parent_id"]),
            ("group", a["group_name"]),
            ("update threshold", f"{a['update_threshold_days']} days"),
            ("secret block", a["secret_block"]),
            *(
                [("signing", "unsigned (registered so, on record)" if a["unsigned"] else "signed")]
                if a["platform"] == "webhook"
                else []
            ),
            *(
                [("credentials expire", a["credentials_expire_at"])]
                if a.get("credentials_expire_at")
                else []
            ),
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
    unit_type: Annotated[
        str | None, typer.Option(help="Unit type (单位类型), as the filing form asks.")
    ] = None,
    operation_mode: Annotated[
        str | None, typer.Option(help="self (自营) or outsourced (委托运营).")
    ] = None,
    operator: Annotated[str | None, typer.Option(help="Who runs it day to day (运维人员).")] = None,
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
    column_kind: Annotated[
        str | None,
        typer.Option(
            help="Website columns: news (14 days), notice or policy (six months) — the "
            "default update threshold."
        ),
    ] = None,
    unsigned: Annotated[
        bool,
        typer.Option(
            "--unsigned",
            help="Webhook only: the endpoint takes posts without a signature (on record). "
            "Any other webhook gets nothing sent until it has a signing_secret.",
        ),
    ] = False,
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
            unit_type=unit_type,
            operation_mode=operation_mode,
            operator=operator,
            opened_on=opened_on,
            filed_on=filed_on,
            is_main=main,
            parent_id=parent,
            group_name=group,
            duplicate_reason=duplicate_reason,
            unsigned=unsigned,
            column_kind=column_kind,
            **extra,
        ),
        _account_fields,
    )


@account_app.command("export")
def account_export(
    out: Annotated[
        Path, typer.Option(help="The file to write: .xlsx (Excel) or .csv (UTF-8), by suffix.")
    ],
    json_: Json = False,
    token: Token = None,
) -> None:
    """The registry in the columns of the national reporting system's filing form
    (全国政务新媒体信息报送系统), with our own state, number and record."""
    from console import reports

    o.run(
        json_,
        lambda: reports.export_accounts(_ws(token), out),
        lambda r: o.out.print(
            f"Wrote {r['accounts']} accounts to {r['path']} ({r['format']}).",
            highlight=False,
            markup=False,
        ),
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


def _post_list(title: str, posts: list[dict[str, Any]]) -> None:
    if posts:
        o.table(
            title,
            ["post", "draft", "title", "due"],
            [(p["id"], p["draft_id"], p["title"], o.short_time(p["due_at"])) for p in posts],
        )


@account_app.command("suspend")
def account_suspend(
    account_id: int, reason: Reason, json_: Json = False, token: Token = None
) -> None:
    """Suspend an account; its queued posts are cancelled, and listed."""

    def human(a: dict[str, Any]) -> None:
        o.out.print(f"Account {a['id']} ({a['name']}) is suspended.", highlight=False)
        _post_list("Cancelled posts", a["cancelled"])
        if not a["cancelled"]:
            o.out.print("No queued post was cancelled.")

    o.run(json_, lambda: governance.suspend(_ws(token), account_id, reason=reason), human)


@account_app.command("resume")
def account_resume(
    account_id: int,
    reason: Reason,
    replan: Annotated[
        bool,
        typer.Option(
            "--replan", help="Queue again the posts the suspension cancelled (on record)."
        ),
    ] = False,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Resume a suspended account; lists the posts its suspension cancelled, and with
    --replan queues them again."""

    def human(a: dict[str, Any]) -> None:
        o.out.print(f"Account {a['id']} ({a['name']}) is active again.", highlight=False)
        if a["replanned"]:
            _post_list("Queued again", a["replanned"])
        elif a["offered"]:
            _post_list("Cancelled by the suspension (queue them again with --replan)", a["offered"])

    o.run(
        json_,
        lambda: governance.resume(_ws(token), account_id, reason=reason, replan=replan),
        human,
    )


request_app = typer.Typer(
    help="Ask for an account to be opened, changed or closed (admin or the unit's "
    "responsible person); a leader approves or rejects.",
    no_args_is_help=True,
)
account_app.add_typer(request_app, name="request")


def _request_line(r: dict[str, Any]) -> None:
    o.out.print(
        f"Request {r['id']}: {r['kind']} account {r['account_id']} — {r['state']}"
        + (f"; filing due {r['filing_due']}" if r.get("filing_due") else "")
        + (f"; 停更公告 draft {r['notice_draft_id']}" if r.get("notice_draft_id") else ""),
        highlight=False,
    )


@request_app.command("open")
def request_open(
    platform: Annotated[str, typer.Option(help="The platform, as for `account register`.")],
    name: Annotated[str, typer.Option(help="The account's name on the platform.")],
    unit: Annotated[str, typer.Option(help="Owning unit (主办单位).")],
    reason: Reason,
    responsible: Annotated[str | None, typer.Option(help="Responsible person (责任人).")] = None,
    contact: Annotated[str | None, typer.Option(help="Contact phone or e-mail.")] = None,
    platform_id: Annotated[str | None, typer.Option(help="ID on the platform.")] = None,
    url: Annotated[str | None, typer.Option(help="Home page.")] = None,
    supervising_unit: Annotated[str | None, typer.Option(help="主管单位.")] = None,
    group: Annotated[str | None, typer.Option(help="Group.")] = None,
    column_kind: Annotated[
        str | None, typer.Option(help="Website columns: news, notice or policy.")
    ] = None,
    duplicate_reason: Annotated[
        str | None, typer.Option(help="Why the unit needs a second account on this platform.")
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Ask for a new account; it is on record as applying until a leader decides."""
    o.run(
        json_,
        lambda: governance.request_open(
            _ws(token),
            reason=reason,
            platform=platform,
            name=name,
            unit=unit,
            responsible=responsible,
            contact=contact,
            platform_id=platform_id,
            url=url,
            supervising_unit=supervising_unit,
            group_name=group,
            column_kind=column_kind,
            duplicate_reason=duplicate_reason,
        ),
        _request_line,
    )


@request_app.command("change")
def request_change(
    account_id: int,
    reason: Reason,
    name: Annotated[str | None, typer.Option()] = None,
    unit: Annotated[str | None, typer.Option()] = None,
    responsible: Annotated[str | None, typer.Option()] = None,
    contact: Annotated[str | None, typer.Option()] = None,
    url: Annotated[str | None, typer.Option()] = None,
    supervising_unit: Annotated[str | None, typer.Option()] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Ask to change an account's record (a name, the unit, the responsible person...)."""
    o.run(
        json_,
        lambda: governance.request_change(
            _ws(token),
            account_id,
            reason=reason,
            name=name,
            unit=unit,
            responsible=responsible,
            contact=contact,
            url=url,
            supervising_unit=supervising_unit,
        ),
        _request_line,
    )


@request_app.command("close")
def request_close(
    account_id: int,
    reason: Reason,
    successor: Annotated[
        int | None, typer.Option(help="The account that takes over (named in the notice).")
    ] = None,
    successor_contact: Annotated[
        str | None, typer.Option(help="How to reach it or the unit, for the notice.")
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Ask to close an account. On approval its 停更公告 is drafted; after the notice
    period (working days) from the notice's publication the account closes."""
    o.run(
        json_,
        lambda: governance.request_close(
            _ws(token),
            account_id,
            reason=reason,
            successor=successor,
            successor_contact=successor_contact,
        ),
        _request_line,
    )


Opinion = Annotated[str, typer.Option("--opinion", help="The leader's opinion (审签意见).")]


@account_app.command("approve")
def account_approve(
    request_id: int, opinion: Opinion, json_: Json = False, token: Token = None
) -> None:
    """Approve an account request (leader)."""
    o.run(
        json_,
        lambda: governance.decide(_ws(token), request_id, approve=True, opinion=opinion),
        _request_line,
    )


@account_app.command("reject")
def account_reject(
    request_id: int, opinion: Opinion, json_: Json = False, token: Token = None
) -> None:
    """Reject an account request (leader)."""
    o.run(
        json_,
        lambda: governance.decide(_ws(token), request_id, approve=False, opinion=opinion),
        _request_line,
    )


@account_app.command("requests")
def account_requests(
    state: Annotated[str | None, typer.Option(help="pending, approved or rejected.")] = None,
    account: Annotated[int | None, typer.Option(help="Only this account's.")] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Account requests, newest first."""
    o.run(
        json_,
        lambda: governance.list_requests(_ws(token), state=state, account_id=account),
        lambda rows: o.table(
            "Account requests",
            ["id", "kind", "account", "state", "asked by", "reason", "decided by", "opinion"],
            [
                (
                    r["id"],
                    r["kind"],
                    f"{r['account_id']} {r['account_name'] or ''}",
                    r["state"],
                    r["requested_by_name"],
                    r["reason"],
                    r["decided_by_name"] or "",
                    r["opinion"] or "",
                )
                for r in rows
            ],
        ),
    )


@account_app.command("filed")
def account_filed(
    account_id: int,
    record_no: Annotated[
        str, typer.Option("--record-no", help="The national reporting system's number.")
    ],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Record the filing (备案) of an opening, change or closing in the national system."""
    o.run(
        json_,
        lambda: governance.filed(_ws(token), account_id, record_no=record_no),
        lambda r: o.out.print(
            f"Account {account_id}: the {r['kind']} is filed as {r['record_no']}.",
            highlight=False,
        ),
    )


@account_app.command("freshness")
def account_freshness(json_: Json = False, token: Token = None) -> None:
    """Every active account's days since its last post against its update threshold."""
    o.run(
        json_,
        lambda: governance.keepalive_board(_ws(token)),
        lambda rows: o.table(
            "Days since the last post",
            ["id", "name", "platform", "responsible", "days", "threshold", "left", "state"],
            [
                (
                    r["id"],
                    r["name"],
                    r["platform"],
                    r["responsible"] or "",
                    r["days_since"],
                    r["threshold"],
                    r["days_left"],
                    r["level"],
                )
                for r in rows
            ],
        ),
    )


def _credential_values(from_file: Path | None, value: list[str] | None) -> dict[str, str]:

    values: dict[str, str] = {}
    if from_file is not None:
        text = actions.read_text(from_file, what="credentials file", limit=1_000_000)
        try:
            loaded = json.loads(text)
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


@account_app.command(
    "credentials",
    help="Name the Prefect Secret block with an account's credentials (admin); optionally "
    "fill it, and with --test ask the platform whether they work. Credentials live only in "
    "Prefect, encrypted; never in matrixpub's tables or logs. The fields, by platform: "
    f"{credentials.describe()}. Unknown fields are refused.",
)
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
    test: Annotated[
        bool,
        typer.Option(
            "--test",
            help="Ask the platform first with its cheapest authenticated call (nothing is "
            "published); store nothing if it refuses. Records when a Weibo token expires.",
        ),
    ] = False,
    json_: Json = False,
    token: Token = None,
) -> None:
    def body() -> dict[str, Any]:
        values = _credential_values(from_file, value)
        with o.status(not json_) as say:
            return actions.set_credentials(
                _ws(token),
                account_id,
                block=secret_block,
                values=values or None,
                test=test,
                status=say,
            )

    def human(a: dict[str, Any]) -> None:
        stored = ", ".join(a["stored_fields"])
        o.out.print(
            f"Account {a['id']} uses Secret block {a['secret_block']!r}"
            + (f" (stored fields: {stored})." if stored else ".")
        )
        if a.get("check"):
            o.out.print(f"Checked with the platform: {a['check']['detail']}.", highlight=False)

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
    unit_type: Annotated[str | None, typer.Option(help="单位类型.")] = None,
    operation_mode: Annotated[
        str | None, typer.Option(help="self (自营) or outsourced (委托运营).")
    ] = None,
    operator: Annotated[str | None, typer.Option(help="运维人员.")] = None,
    credentials_expire: Annotated[
        str | None,
        typer.Option(help="When its credentials stop working (a date); alerts warn before."),
    ] = None,
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
            unit_type=unit_type,
            operation_mode=operation_mode,
            operator=operator,
            credentials_expire_at=credentials_expire,
        ),
        _account_fields,
    )
