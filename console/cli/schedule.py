"""What goes out when: ``matrixpub freeze``, ``matrixpub schedule``, ``alerts`` and
``dispatch``."""

from typing import Annotated, Any

import typer
from rich import box
from rich.cells import cell_len
from rich.table import Table

from console import actions
from console import output as o
from console.cli.common import Json, Reason, Token, _say, _ws
from console.i18n import (
    POST_STATES,
    _,
    alert_kind_label,
    ngettext,
    platform_label,
    post_state_label,
    timezone_label,
    word,
)
from console.stored import alert_text, stored_text

freeze_app = typer.Typer(
    help="Freeze periods: nothing is sent unless a leader releases it.", no_args_is_help=True
)
schedule_app = typer.Typer(help="What goes out when.", no_args_is_help=True)
top_app = typer.Typer()  # merged into matrixpub's own commands (see __init__)


@freeze_app.command("add")
def freeze_add(
    start: Annotated[str, typer.Option("--from", help="Local start, e.g. '2026-12-20 00:00'.")],
    end: Annotated[str, typer.Option("--to", help="Local end.")],
    reason: Reason,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Say which queued posts it would hold; add nothing."),
    ] = False,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Declare a freeze period (admin or leader). Queued posts due within it wait until
    it ends, or until a leader releases them; the command lists them."""

    def human(f: dict[str, Any]) -> None:
        when = f"{o.short_time(f['starts_at'])} → {o.short_time(f['ends_at'])}"
        if f["dry_run"]:
            _say(_("Dry run: a freeze {when} would be added; nothing was changed.", when=when))
        else:
            _say(
                _(
                    "Freeze {id} added: {when} ({reason}).",
                    id=f["id"],
                    when=when,
                    reason=f["reason"],
                )
            )
        held = f["held_posts"]
        if not held:
            _say(_("No queued post is due within it."))
            return
        o.table(
            ngettext(
                "{n} queued post waits until the freeze ends",
                "{n} queued posts wait until the freeze ends",
                len(held),
            ),
            [_("post"), _("draft"), _("account"), _("channel"), _("was due")],
            [
                (p["id"], f"{p['draft_id']} {p['title']}", p["account"],
                 platform_label(p["channel"]),
                 o.short_time(p["due_at"]))
                for p in held
            ],
        )  # fmt: skip

    o.run(
        json_,
        lambda: actions.add_freeze(
            _ws(token), start=start, end=end, reason=reason, dry_run=dry_run
        ),
        human,
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
            _("Freezes"),
            [_("id"), _("from"), _("to"), _("reason"), _("lifted")],
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
            empty=_("No freezes."),
        ),
    )


@freeze_app.command("lift")
def freeze_lift(freeze_id: int, reason: Reason, json_: Json = False, token: Token = None) -> None:
    """End a freeze early (admin or leader)."""
    o.run(
        json_,
        lambda: actions.lift_freeze(_ws(token), freeze_id, reason=reason),
        lambda f: o.out.print(_("Freeze {id} lifted.", id=f["id"])),
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
        zone = timezone_label(grid["timezone"])
        freezes = grid.get("freezes") or []
        for f in freezes:
            _say(
                _(
                    "Freeze {id}: {start} → {end} ({reason}); posts due then wait (▒).",
                    id=f["id"],
                    start=o.short_time(f["starts_at"]),
                    end=o.short_time(f["ends_at"]),
                    reason=f["reason"],
                )
            )
        if not grid["accounts"]:
            _say(_("{day}, {tz}: nothing is due that day.", day=grid["day"], tz=zone))
            return
        frozen = {h for f in freezes for h in f["hours"]}
        names = [f"{row['account_id']} {row['name']}" for row in grid["accounts"]]
        hours = range(24)
        if max(map(cell_len, names)) + 1 + 24 * 3 > o.out.width:  # too narrow for the day
            busy = [h for row in grid["accounts"] for h, n in enumerate(row["hours"]) if n]
            hours = range(min(busy), max(busy) + 1)
        title = _("{day}, {tz}", day=grid["day"], tz=zone)
        if len(hours) == 1:
            title += _(", hour {hour} only (the others have nothing due)", hour=f"{hours[0]:02d}")
        elif len(hours) < 24:
            title += _(
                ", hours {first}–{last} (the others have nothing due)",
                first=f"{hours[0]:02d}",
                last=f"{hours[-1]:02d}",
            )
        table = Table(
            title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=0, pad_edge=False
        )
        table.add_column(_("account"), overflow="fold")
        for hour in hours:
            table.add_column(f"{hour:02d}", justify="right", no_wrap=True)
        if frozen:
            table.add_row(_("freeze"), *("▒" if h in frozen else "" for h in hours))
        for name, row in zip(names, grid["accounts"], strict=True):
            table.add_row(
                o.cell(name),
                *(str(row["hours"][h] or ("▒" if h in frozen else "·")) for h in hours),
            )
        o.out.print(table)

    o.run(json_, lambda: actions.schedule_grid(_ws(token), day=day), human)


@top_app.command()
def alerts(
    all_: Annotated[bool, typer.Option("--all", help="Resolved ones too.")] = False,
    ack: Annotated[
        int | None, typer.Option("--ack", metavar="ID", help="Close this alert (admin).")
    ] = None,
    note: Annotated[
        str | None, typer.Option(help="With --ack: what was done about it; kept on record.")
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """What needs a person: failed posts and sends of unknown outcome, manual packages
    waiting too long, credentials about to expire, paused queues, stale accounts, 集中转载
    running late. ``--ack ID --note ...`` closes one with a note."""
    if ack is not None:
        from console import admin

        o.run(
            json_,
            lambda: admin.acknowledge_alert(_ws(token), ack, note=note or ""),
            lambda a: o.out.print(_("Alert {id} closed.", id=a["id"]), highlight=False),
        )
        return
    o.run(
        json_,
        lambda: actions.list_alerts(_ws(token), all_=all_),
        lambda rows: (
            o.table(
                _("Alerts"),
                [_("id"), _("when"), _("kind"), _("account"), _("message"), _("resolved")],
                [
                    (
                        a["id"],
                        o.short_time(a["at"]),
                        alert_kind_label(a["kind"]),
                        f"{a['account']} (#{a['account_id']})" if a["account"] else a["account_id"],
                        alert_text(a["kind"], a["message"]),
                        o.short_time(a["resolved_at"]),
                    )
                    for a in rows
                ],
            )
            if rows
            else o.out.print(_("No open alerts."))
        ),
    )


@top_app.command()
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
            _("use `matrixpub dispatch --once`, or `matrixpub serve` to dispatch every minute"),
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
            disable=not o.err.is_terminal,  # piped: no bar, and no line left where it was
        ) as bar:
            task = bar.add_task(_("Delivering"), total=total or None)
            return actions.dispatch_once(
                ws,
                status=lambda m: bar.update(task, description=stored_text(m)),
                progress=lambda n: bar.advance(task, n),
            )

    def human(report: dict[str, Any]) -> None:
        counts = {
            k: len(v) for k, v in report.items() if isinstance(v, list) and k != "refused_failed"
        }
        if not any(counts.values()):
            o.out.print(_("Nothing was due."))
            return
        parts = [
            ngettext("{n} account paused", "{n} accounts paused", n)
            if k == "paused_accounts"
            else _("{n} {label}", n=n, label=post_state_label(k) if k in POST_STATES else word(k))
            for k, n in counts.items()
            if n
        ]
        o.out.print(_("、").join(parts))
        manual = {str(post_id) for post_id in report.get("manual", [])}
        failed = {str(post_id) for post_id in report.get("failed", [])}
        for post_id, message in sorted(
            report.get("messages", {}).items(), key=lambda kv: int(kv[0])
        ):
            post = report.get("posts", {}).get(str(post_id))
            if str(post_id) in manual:  # the message is the package's folder
                said = _(
                    "  post {id}: its platform takes no posts through an API, so a package "
                    "to post by hand is ready in {folder} (text cut to the platform's limits, "
                    "pictures, a checklist). Post it on the platform, then record its "
                    "address: `matrixpub post confirm {id} --url URL`",
                    id=post_id,
                    folder=message,
                )
            elif post is None:
                said = _("  post {id}: {message}", id=post_id, message=stored_text(message))
            else:
                said = _(
                    "  post {id} to {account} (#{account_id}): {message}",
                    id=post_id,
                    account=post["account"],
                    account_id=post["account_id"],
                    message=stored_text(message),
                )
            o.out.print(said, highlight=False, markup=False)
            if post is not None and str(post_id) in failed and post["lacks_credentials"]:
                o.out.print(
                    _credentials_hint(post["account_id"], post_id), highlight=False, markup=False
                )

    o.run(json_, body, human)


def _credentials_hint(account_id: int, post_id: Any) -> str:
    return _(
        "    Next: an admin stores the account's credentials with `matrixpub account "
        "credentials {id} --secret-block NAME --from-file FILE --test`, then "
        "`matrixpub post retry {post}` sends the post again.",
        id=account_id,
        post=post_id,
    )
