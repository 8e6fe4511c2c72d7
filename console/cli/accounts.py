"""``matrixpub account``: the account registry (备案)."""

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from console import actions
from console import output as o
from console.cli.common import Json, Reason, Token, _ws
from console.i18n import N_, _, platform_label, quota_label, request_state_label, role_label, word
from console.startup import Later
from console.stored import stored_text
from domain import credentials
from domain.errors import InvalidInput

governance = Later("console.governance")  # its channels load only when a command uses it

account_app = typer.Typer(help="The account registry (备案).", no_args_is_help=True)

# The fields of an account's record, as register, the requests and change take them.
Platform = Annotated[
    str,
    typer.Option(
        help="wechat_oa, wechat_service, weibo, douyin, xiaohongshu, toutiao, kuaishou, "
        "bilibili, wechat_channels, website, webhook."
    ),
]
Name = Annotated[str, typer.Option(help="The account's name on the platform.")]
Unit = Annotated[str, typer.Option(help="Owning unit (主办单位).")]
NewName = Annotated[str | None, typer.Option("--name", help="The account's name on the platform.")]
NewUnit = Annotated[str | None, typer.Option("--unit", help="Owning unit (主办单位).")]
PlatformId = Annotated[
    str | None, typer.Option(help="ID on the platform (website: the column's folder name).")
]
Url = Annotated[str | None, typer.Option(help="Home page, or the webhook endpoint.")]
Responsible = Annotated[str | None, typer.Option(help="Responsible person (责任人).")]
Contact = Annotated[str | None, typer.Option(help="Contact phone or e-mail.")]
SupervisingUnit = Annotated[str | None, typer.Option(help="Supervising unit (主管单位).")]
Group = Annotated[str | None, typer.Option(help="Group, e.g. culture-tourism.")]
UnitType = Annotated[
    str | None, typer.Option(help="Unit type (单位类型), as the filing form asks.")
]
OperationMode = Annotated[str | None, typer.Option(help="self (自营) or outsourced (委托运营).")]
Operator = Annotated[str | None, typer.Option(help="Who runs it day to day (运维人员).")]
RecordNo = Annotated[str | None, typer.Option(help="Record number (备案编号).")]
DuplicateReason = Annotated[
    str | None, typer.Option(help="Why the unit needs a second account on this platform.")
]
# The fields of the record by their option names, as :func:`_record` hands them on.
RECORD = (
    "platform",
    "name",
    "unit",
    "platform_id",
    "url",
    "responsible",
    "contact",
    "record_no",
    "supervising_unit",
    "verification",
    "credential_holder",
    "unit_type",
    "operation_mode",
    "operator",
    "opened_on",
    "filed_on",
    "group",
    "column_kind",
    "duplicate_reason",
)


def _record(given: dict[str, Any]) -> dict[str, Any]:
    """The record fields among a command's parameters (its ``locals()``), named as the
    registry names them (``--group`` is ``group_name``)."""
    return {("group_name" if k == "group" else k): given[k] for k in RECORD if k in given}


ColumnKind = Annotated[
    str | None,
    typer.Option(
        help="Website columns: news (14 days), notice or policy (six months) — the default "
        "update threshold."
    ),
]


# The record's fields as `account show` names them, in its order.
FIELD_LABELS = {
    "platform": N_("platform"),
    "name": N_("name"),
    "state": N_("state"),
    "unit": N_("owning unit (主办单位)"),
    "supervising_unit": N_("supervising unit (主管单位)"),
    "platform_id": N_("platform id"),
    "url": N_("url"),
    "responsible": N_("responsible person (责任人)"),
    "contact": N_("contact"),
    "credential_holder": N_("credential holder"),
    "unit_type": N_("unit type (单位类型)"),
    "operation_mode": N_("operation (运营方式)"),
    "operator": N_("operator (运维人员)"),
    "record_no": N_("record no (备案号)"),
    "opened_on": N_("opening date"),
    "filed_on": N_("filing date"),
    "verification": N_("verification (认证)"),
    "is_main": N_("main account"),
    "parent_id": N_("parent"),
    "group_name": N_("group"),
    "update_threshold_days": N_("update threshold"),
    "column_kind": N_("column kind"),
    "secret_block": N_("secret block"),
    "credentials_expire_at": N_("credentials expire"),
}


def _signing(a: dict[str, Any]) -> str:
    """How a webhook's posts are signed: so registered, by its secret, or not yet."""
    if a["unsigned"]:
        return _("unsigned (registered so, on record)")
    if a["secret_block"]:
        return _("HMAC with the signing secret in its Secret block")
    return _("no signing secret yet: nothing is sent until its Secret block has one")


def _account_fields(a: dict[str, Any]) -> None:
    shown = ("platform", "name", "state", "unit", "supervising_unit", "platform_id", "url",
             "responsible", "contact", "credential_holder", "unit_type", "operation_mode",
             "operator", "record_no")  # fmt: skip
    values = {**a, "platform": platform_label(a["platform"]), "state": word(a["state"])}
    o.fields(
        _("Account {id}", id=a["id"]),
        [
            *((_(FIELD_LABELS[k]), values[k]) for k in shown),
            (_("opened / filed"), f"{a['opened_on'] or '-'} / {a['filed_on'] or '-'}"),
            (_("main account"), _("yes") if a["is_main"] else _("no")),
            (_("parent"), a["parent_id"]),
            (_("group"), a["group_name"]),
            (_("update threshold"), _("{n} days", n=a["update_threshold_days"])),
            (_("secret block"), a["secret_block"]),
            *([(_("signing"), _signing(a))] if a["platform"] == "webhook" else []),
            *(
                [(_("credentials expire"), a["credentials_expire_at"])]
                if a.get("credentials_expire_at")
                else []
            ),
        ],
    )
    _history(a.get("events", []))
    if a.get("cancelled_posts"):
        posts = ", ".join(map(str, a["cancelled_posts"]))
        o.out.print(_("Cancelled queued posts: {posts}", posts=posts))


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal cells (a Chinese character takes two)."""
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))


def _history(events: list[dict[str, Any]]) -> None:
    """The account's events one a line, in columns that line up in any script: when,
    what, the state after it (with the move, if it moved one), the fields it changed, and
    why."""
    from rich.cells import cell_len

    rows = []
    for event in events:
        before, after = event.get("from_state"), event.get("to_state")
        state = f"{word(before)} → {word(after)}" if before and after and before != after else ""
        state = state or (word(after) if after else "")
        changed = "; ".join(
            f"{_(FIELD_LABELS[k])}: {_change(v)}"
            for k, v in (event.get("changes") or {}).items()
            if k in FIELD_LABELS
        )
        rows.append((o.short_time(event["at"]), word(event["action"]), state, changed,
                     event.get("reason") or ""))  # fmt: skip
    widths = [max((cell_len(row[i]) for row in rows), default=0) for i in range(4)]
    for row in rows:
        cells = [_pad(text, width) for text, width in zip(row, widths, strict=False)]
        o.out.print(
            "  " + "  ".join(c for c in [*cells, row[4]] if c).rstrip(),
            highlight=False,
            markup=False,
        )


def _shown(value: Any) -> str:
    return "-" if value in (None, "") else str(value)


def _change(value: Any) -> str:
    """A field's change as an event keeps it: ``[old, new]``, or the value asked for."""
    if isinstance(value, list) and len(value) == 2:
        return f"{_shown(value[0])} → {_shown(value[1])}"
    return _shown(value)


def _changed(a: dict[str, Any]) -> None:
    """What `account change` changed, that it is on record, and a responsible person who
    is nobody in matrixpub."""
    o.out.print(
        _("Account {id} ({name}) changed, on record:", id=a["id"], name=a["name"]),
        markup=False,
        highlight=False,
    )
    for key, (old, new) in a["changes"].items():
        label = _(FIELD_LABELS.get(key, key))
        o.out.print(f"  {label}: {_shown(old)} → {_shown(new)}", markup=False, highlight=False)
    if a.get("reason"):
        o.out.print(_("Reason: {reason}", reason=a["reason"]), markup=False, highlight=False)
    if "responsible" in a["changes"] and a.get("responsible_is_user") is False:
        o.out.print(
            _(
                "Note: {name} is not a matrixpub user, so they get no reminders and cannot act "
                "as its responsible person (requests, confirming or cancelling its posts) "
                "until an admin adds them: `matrixpub user add {name} --role ROLE`.",
                name=a["responsible"],
            ),
            markup=False,
            highlight=False,
        )
    o.out.print(
        _("The whole record: `matrixpub account show {id}`.", id=a["id"]),
        markup=False,
        highlight=False,
    )


@account_app.command("register")
def account_register(
    platform: Platform,
    name: Name,
    unit: Unit,
    platform_id: PlatformId = None,
    url: Url = None,
    responsible: Responsible = None,
    contact: Contact = None,
    record_no: RecordNo = None,
    supervising_unit: SupervisingUnit = None,
    verification: Annotated[str | None, typer.Option(help="Verification (认证) subject.")] = None,
    credential_holder: Annotated[str | None, typer.Option(help="Who keeps the login.")] = None,
    unit_type: UnitType = None,
    operation_mode: OperationMode = None,
    operator: Operator = None,
    opened_on: Annotated[str | None, typer.Option(help="Opening date, YYYY-MM-DD.")] = None,
    filed_on: Annotated[str | None, typer.Option(help="Filing date, YYYY-MM-DD.")] = None,
    main: Annotated[bool, typer.Option("--main", help="The unit's main account.")] = False,
    parent: Annotated[int | None, typer.Option(help="Parent account id.")] = None,
    group: Group = None,
    update_threshold_days: Annotated[
        int | None, typer.Option(help="Flag after this many days without an update.")
    ] = None,
    duplicate_reason: DuplicateReason = None,
    column_kind: ColumnKind = None,
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
    record = _record(locals())
    if update_threshold_days:
        record["update_threshold_days"] = update_threshold_days
    o.run(
        json_,
        lambda: actions.register_account(
            _ws(token), is_main=main, parent_id=parent, unsigned=unsigned, **record
        ),
        _registered,
    )


def _registered(a: dict[str, Any]) -> None:
    """What `account register` did, the record, and what comes next."""
    from domain.accounts import parse_platform
    from domain.credentials import FIELDS

    o.out.print(
        _(
            "Account {id} “{name}” ({platform}) registered.",
            id=a["id"],
            name=a["name"],
            platform=platform_label(a["platform"]),
        ),
        highlight=False,
    )
    _account_fields(a)
    if FIELDS.get(parse_platform(a["platform"])):
        said = _(
            "Next: store its login with `matrixpub account credentials {id} --secret-block NAME "
            "--from-file FILE --test` (its fields: `matrixpub account credentials --help`); "
            "drafts may target it now (`--target {id}`).",
            id=a["id"],
        )
    else:
        said = _("Next: drafts may target it now (`--target {id}`).", id=a["id"])
    o.out.print(said, highlight=False)


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
            _(
                "Wrote {n} accounts to {path} ({format}).",
                n=r["accounts"],
                path=r["path"],
                format=r["format"],
            ),
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
            _("Accounts"),
            [
                _("id"),
                _("platform"),
                _("name"),
                _("unit"),
                _("state"),
                _("group"),
                _("main"),
                _("record no"),
            ],
            [
                (
                    a["id"],
                    platform_label(a["platform"]),
                    a["name"],
                    a["unit"],
                    word(a["state"]),
                    a["group_name"],
                    "✓" if a["is_main"] else "",
                    a["record_no"],
                )
                for a in rows
            ],
            empty=_("No accounts."),
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
            [_("post"), _("draft"), _("title"), _("due")],
            [(p["id"], p["draft_id"], p["title"], o.short_time(p["due_at"])) for p in posts],
        )


@account_app.command("suspend")
def account_suspend(
    account_id: int, reason: Reason, json_: Json = False, token: Token = None
) -> None:
    """Suspend an account; its queued posts are cancelled, and listed."""

    def human(a: dict[str, Any]) -> None:
        o.out.print(
            _("Account {id} ({name}) is suspended.", id=a["id"], name=a["name"]), highlight=False
        )
        _post_list(_("Cancelled posts"), a["cancelled"])
        if not a["cancelled"]:
            o.out.print(_("No queued post was cancelled."))

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
        o.out.print(
            _("Account {id} ({name}) is active again.", id=a["id"], name=a["name"]),
            highlight=False,
        )
        if a["replanned"]:
            _post_list(_("Queued again"), a["replanned"])
        elif a["offered"]:
            _post_list(
                _("Cancelled by the suspension (queue them again with --replan)"), a["offered"]
            )

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
    line = _(
        "Request {id}: {kind} of account {account} — {state}",
        id=r["id"],
        kind=word(r["kind"]),
        account=r["account_id"],
        state=request_state_label(r["state"]),
    )
    if r.get("filing_due"):
        line += _("; filing due {date}", date=r["filing_due"])
    if r.get("notice_draft_id"):
        line += _("; 停更公告 draft {id}", id=r["notice_draft_id"])
    o.out.print(line, highlight=False)
    if "deciders" in r:
        _who_decides(r)
    if r.get("notice_draft"):
        _notice_drafted(r["notice_draft"])


def _notice_drafted(n: dict[str, Any]) -> None:
    """The 停更公告 an approved close drafted: for whom, and the way it goes on."""
    _plain(
        _(
            "Its 停更公告 is drafted as draft {id} “{title}” for {account}, in the name of "
            "{author}, who asked. Like every draft it passes the six gates (三审三校) before "
            "it is published; the account closes {days} working days after it is.",
            id=n["id"],
            title=n["title"],
            account=n["account"],
            author=n["author"],
            days=n["notice_workdays"],
        )
    )
    _plain(
        _(
            "Next: {author} reads it with `matrixpub draft preview {id}` (changes it with "
            "`matrixpub draft edit {id}`) and sends it to review with "
            "`matrixpub draft submit {id}`.",
            author=n["author"],
            id=n["id"],
        )
    )


def _plain(text: str) -> None:
    o.out.print(text, markup=False, highlight=False)


def _who_decides(r: dict[str, Any]) -> None:
    """Who decides a request just made, and the commands they run."""
    role = role_label(r["decided_by_role"])
    if r["deciders"]:
        said = _(
            "A {role} decides it: {names}, with `matrixpub account approve {id} --opinion …` "
            "or `matrixpub account reject {id} --opinion …`.",
            role=role,
            names=_("、").join(r["deciders"]),
            id=r["id"],
        )
    else:
        said = _(
            "Nobody may decide it yet: an admin gives someone the {role} role "
            "(`matrixpub user roles NAME --role {key}`).",
            role=role,
            key=r["decided_by_role"],
        )
    o.out.print(said, markup=False, highlight=False)


@request_app.command("open")
def request_open(
    platform: Platform,
    name: Name,
    unit: Unit,
    reason: Reason,
    responsible: Responsible = None,
    contact: Contact = None,
    platform_id: PlatformId = None,
    url: Url = None,
    supervising_unit: SupervisingUnit = None,
    group: Group = None,
    column_kind: ColumnKind = None,
    duplicate_reason: DuplicateReason = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Ask for a new account; it is on record as applying until a leader decides."""
    record = _record(locals())
    o.run(
        json_,
        lambda: governance.request_open(_ws(token), reason=reason, **record),
        _request_line,
    )


@request_app.command("change")
def request_change(
    account_id: int,
    reason: Reason,
    name: NewName = None,
    unit: NewUnit = None,
    responsible: Responsible = None,
    contact: Contact = None,
    url: Url = None,
    supervising_unit: SupervisingUnit = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Ask to change an account's record (a name, the unit, the responsible person...)."""
    record = _record(locals())
    o.run(
        json_,
        lambda: governance.request_change(_ws(token), account_id, reason=reason, **record),
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
            _("Account requests"),
            [
                _("id"),
                _("kind"),
                _("account"),
                _("state"),
                _("asked by"),
                _("reason"),
                _("decided by"),
                _("opinion"),
            ],
            [
                (
                    r["id"],
                    word(r["kind"]),
                    f"{r['account_id']} {r['account_name'] or ''}",
                    request_state_label(r["state"]),
                    r["requested_by_name"],
                    r["reason"],
                    r["decided_by_name"] or "",
                    r["opinion"] or "",
                )
                for r in rows
            ],
            empty=_("No account requests."),
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
            _(
                "Account {id}: the {kind} is filed as {record_no}.",
                id=account_id,
                kind=word(r["kind"]),
                record_no=r["record_no"],
            ),
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
            _("Days since the last post"),
            [
                _("id"),
                _("name"),
                _("platform"),
                _("responsible"),
                _("days"),
                _("threshold"),
                _("left"),
                _("state"),
            ],
            [
                (
                    r["id"],
                    r["name"],
                    platform_label(r["platform"]),
                    r["responsible"] or "",
                    r["days_since"],
                    r["threshold"],
                    r["days_left"],
                    word(r["level"]),
                )
                for r in rows
            ],
            empty=_("No active accounts."),
        ),
    )


def _credential_values(from_file: Path | None, value: list[str] | None) -> dict[str, str]:

    values: dict[str, str] = {}
    if from_file is not None:
        text = actions.read_text(from_file, what="credentials file", limit=1_000_000)
        try:
            loaded = json.loads(text)
        except ValueError:
            raise InvalidInput(
                "credentials file {from_file} is not a JSON object", from_file=from_file
            ) from None
        if not isinstance(loaded, dict) or not loaded:
            raise InvalidInput(
                "credentials file {from_file} is not a JSON object", from_file=from_file
            )
        values.update({str(k): str(v) for k, v in loaded.items()})
    for item in value or []:
        key, sep, val = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput("--value takes KEY=VALUE")
        values[key.strip()] = val
    return values


def _credential_fields() -> str:
    """Each platform's credential fields, optional ones in brackets (ids only, so the
    paragraph reads the same in every language)."""
    seen: dict[tuple[credentials.CredentialField, ...], list[str]] = {}
    for platform, fields in credentials.FIELDS.items():
        seen.setdefault(fields, []).append(platform.value)
    return "; ".join(
        " / ".join(platforms)
        + ": "
        + ", ".join(f.name if f.required else f"[{f.name}]" for f in fields)
        for fields, platforms in seen.items()
    )


@account_app.command(
    "credentials",
    help="Name the Prefect Secret block with an account's credentials (admin); optionally "
    "fill it, and with --test ask the platform whether they work. Credentials live only in "
    "Prefect, encrypted; never in matrixpub's tables or logs. Unknown fields are refused. "
    "The fields, by platform (optional ones in brackets):" + f"\n\n{_credential_fields()}",
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
        if stored:
            line = _(
                "Account {id} uses Secret block {block!r} (stored fields: {fields}).",
                id=a["id"],
                block=a["secret_block"],
                fields=stored,
            )
        else:
            line = _(
                "Account {id} uses Secret block {block!r}.", id=a["id"], block=a["secret_block"]
            )
        o.out.print(line)
        if a.get("check"):
            o.out.print(
                _(
                    "Checked with the platform: {detail}.",
                    detail=stored_text(a["check"]["detail"]),
                ),
                highlight=False,
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
            _(
                "Account {id}: windows {windows}, spacing {minutes} min, quota {quota}.",
                id=a["id"],
                windows=a["windows"] or _("always open"),
                minutes=a["spacing_minutes"] or 0,
                quota=quota_label(a["quota"]) if a["quota"] else _("the channel default"),
            )
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
        lambda a: o.out.print(_("Account {id}'s queue runs again.", id=a["id"])),
    )


@account_app.command("change")
def account_change(
    account_id: int,
    reason: Annotated[str | None, typer.Option(help="Why; kept on record.")] = None,
    name: NewName = None,
    unit: NewUnit = None,
    platform_id: PlatformId = None,
    url: Url = None,
    responsible: Responsible = None,
    contact: Contact = None,
    record_no: RecordNo = None,
    group: Group = None,
    unit_type: UnitType = None,
    operation_mode: OperationMode = None,
    operator: Operator = None,
    credentials_expire: Annotated[
        str | None,
        typer.Option(help="When its credentials stop working (a date); alerts warn before."),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Change fields of an account's record; every change is kept as an event."""
    record = _record(locals())
    o.run(
        json_,
        lambda: actions.change_account(
            _ws(token),
            account_id,
            reason=reason,
            credentials_expire_at=credentials_expire,
            **record,
        ),
        _changed,
    )
