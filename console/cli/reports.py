"""``matrixpub report``: 集中转载 compliance and the monthly report."""

from pathlib import Path
from typing import Annotated, Any

import typer

from console import output as o
from console import reports
from console.cli.common import Json, Token, _ws
from console.i18n import _, word

report_app = typer.Typer(help="Reports as inspections read them.", no_args_is_help=True)


@report_app.command("reposts")
def report_reposts(
    draft: Annotated[int | None, typer.Option(help="Only this draft's fan-out.")] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """集中转载 compliance: each fan-out's accounts, on time, late, missing, at risk (the
    deadline near and not live yet) or pending. Late and missing ones are raised as
    alerts."""

    def human(fanouts: list[dict[str, Any]]) -> None:
        if not fanouts:
            o.out.print(_("No draft was fanned out (集中转载)."))
            return
        for f in fanouts:
            counts = f["counts"]
            done = counts["on_time"] + counts["late"]
            deadline = o.short_time(f["deadline"]) or _("none")
            o.table(
                _(
                    "Draft {id} {title} → group {group}, deadline {deadline}: "
                    "{done}/{n} live, {on_time} on time",
                    id=f["draft_id"],
                    title=f["title"],
                    group=f["group"],
                    deadline=deadline,
                    done=done,
                    n=len(f["accounts"]),
                    on_time=counts["on_time"],
                ),
                [_("account"), _("name"), _("post"), _("due"), _("published"), _("status")],
                [
                    (
                        a["account_id"],
                        a["account"],
                        a["post_id"] or "-",
                        o.short_time(a["due_at"]),
                        o.short_time(a["published_at"]),
                        word(a["status"]),
                    )
                    for a in f["accounts"]
                ],
            )

    o.run(json_, lambda: reports.repost_compliance(_ws(token), draft_id=draft), human)


@report_app.command("monthly")
def report_monthly(
    month: Annotated[str, typer.Option(help="The month, YYYY-MM.")],
    out: Annotated[Path, typer.Option(help="Folder to write report.xlsx and report.html to.")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """The monthly report: posts per account per week, days since the last update, 错敏
    findings by category, time at each gate, 集中转载 completion, accounts opened and
    closed; as report.xlsx and report.html (charts as SVG)."""
    from console import monthly

    o.run(
        json_,
        lambda: monthly.write_report(_ws(token), month=month, out=out),
        lambda r: o.out.print(
            _(
                "Wrote {xlsx} and {html} ({accounts} accounts, {posts} posts published in "
                "{month}).",
                xlsx=r["xlsx"],
                html=r["html"],
                accounts=r["accounts"],
                posts=r["posts"],
                month=r["month"],
            ),
            highlight=False,
            markup=False,
        ),
    )
