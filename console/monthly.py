"""The monthly report, as inspections read it: posts per account per week, days since
each account's last update, 错敏 findings by category, how long items waited at each
gate (median and p90), 集中转载 completion, and the accounts opened and closed.

:func:`monthly_data` gathers it (one read transaction); :func:`charts` draws it as SVG
with pygal, on the server, with no script in the drawings; :func:`write_report` writes
``report.xlsx`` and ``report.html``; the web console shows the same page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from console.i18n import N_, _, gate_label, use_language
from console.reports import REPOST_LABELS, _write_atomically, repost_labels
from console.workspace import Workspace
from domain.errors import InvalidInput
from domain.gates import DEFAULT_WORKFLOW
from domain.reports import Month, parse_month, percentile
from domain.reposts import RepostStatus, completion
from sqlmodel_db import reposts as reposts_db
from sqlmodel_db.models import (
    Account,
    AccountEvent,
    CheckRun,
    Decision,
    DraftVersion,
    FindingRow,
    Post,
)
from sqlmodel_db.types import utcnow
from sqlmodel_db.users import permit

FILING_STATE_LABELS = {
    "applying": N_("applying"),
    "active": N_("active"),
    "suspended": N_("updates stopped"),  # 停更: the filing form's words
    "closing": N_("stopping updates"),
    "closed": N_("deregistered"),
}


def filing_state_label(state: str) -> str:
    """An account's state in the filing form's words (停更, 注销), in the current language."""
    return _(FILING_STATE_LABELS[state]) if state in FILING_STATE_LABELS else state


def category_label(key: str) -> str:
    from console.i18n import CATEGORY_LABELS

    return _(CATEGORY_LABELS[key]) if key in CATEGORY_LABELS else key


def _zh(label: Callable[[str], str], key: str) -> str:
    """The data's labels are the report file's, which is in Chinese whatever the language
    of the person asking (the console's page shows the keys in its own language)."""
    with use_language("zh_CN"):
        return label(key)


def monthly_data(ws: Workspace, *, month: str, now: datetime | None = None) -> dict[str, Any]:
    """Everything the monthly report shows, as plain data (the JSON of ``--json``)."""
    m = parse_month(month, ws.settings.tz)
    now = now or utcnow()
    with ws.acting() as (_session, actor):
        permit(actor, "report.monthly")
    start, end = m.start, m.end
    as_of = min(end, now)
    weeks = m.weeks()
    with ws.acting() as (session, _actor):
        accounts = [
            a for a in session.exec(select(Account).order_by(col(Account.id))) if a.created_at < end
        ]
        published = list(
            session.exec(
                select(Post)
                .where(Post.state == "published")
                .where(col(Post.sent_at).is_not(None))
                .where(col(Post.sent_at) < as_of)
            )
        )
        # Posts per account per week of the month.
        per_week: dict[int, list[int]] = {a.id or 0: [0] * len(weeks) for a in accounts}
        last: dict[int, datetime] = {}
        for post in published:
            assert post.sent_at is not None
            if post.account_id in per_week and start <= post.sent_at < end:
                index = m.week_of(post.sent_at)
                if index is not None:
                    per_week[post.account_id][index] += 1
            if post.account_id not in last or post.sent_at > last[post.account_id]:
                last[post.account_id] = post.sent_at
        # Accounts opened and closed in the month, from their events.
        opened: list[dict[str, Any]] = []
        closed: list[dict[str, Any]] = []
        names = {a.id: a for a in accounts}
        for event in session.exec(
            select(AccountEvent)
            .where(col(AccountEvent.at) >= start)
            .where(col(AccountEvent.at) < end)
            .order_by(col(AccountEvent.at))
        ):
            account = names.get(event.account_id)
            if account is None:
                continue
            row = {
                "account_id": event.account_id,
                "name": account.name,
                "platform": account.platform,
                "unit": account.unit,
                "at": event.at.isoformat(),
                "reason": event.reason,
            }
            if event.to_state == "active" and event.from_state in (None, "applying"):
                opened.append(row)
            elif event.to_state == "closed" and event.from_state != "closed":
                closed.append(row)
        # 错敏 findings by category, from the checks run in the month.
        by_category: dict[str, int] = {}
        blocking: dict[str, int] = {}
        for finding in session.exec(
            select(FindingRow)
            .join(CheckRun, col(CheckRun.id) == col(FindingRow.check_run_id))
            .where(col(CheckRun.at) >= start)
            .where(col(CheckRun.at) < end)
        ):
            by_category[finding.category] = by_category.get(finding.category, 0) + 1
            if finding.severity == "block":
                blocking[finding.category] = blocking.get(finding.category, 0) + 1
        # The time each decision waited: since the version came to that gate (the
        # previous decision of the same round, or the submission).
        decisions = list(session.exec(select(Decision).order_by(col(Decision.at))))
        submitted = {
            v.id: v.submitted_at
            for v in session.exec(
                select(DraftVersion).where(col(DraftVersion.submitted_at).is_not(None))
            )
        }
        waits: dict[int, list[float]] = {}
        previous: dict[tuple[int, int], datetime] = {}
        for d in decisions:
            key = (d.draft_id, d.round)
            began = previous.get(key) or submitted.get(d.version_id)
            previous[key] = d.at
            if began is None or not (start <= d.at < end):
                continue
            waits.setdefault(d.gate_index, []).append((d.at - began).total_seconds() / 3600)
        reposts = reposts_db.rows(
            session=session,
            now=as_of,
            since=start,
            until=end,
        )
    gates = []
    for index, gate in enumerate(DEFAULT_WORKFLOW.gates):
        values = waits.get(index, [])
        median, p90 = percentile(values, 0.5), percentile(values, 0.9)
        gates.append(
            {
                "gate": gate.key,
                "label": _zh(gate_label, gate.key),
                "decisions": len(values),
                "median_hours": round(median, 2) if median is not None else None,
                "p90_hours": round(p90, 2) if p90 is not None else None,
            }
        )
    fanouts: dict[int, dict[str, Any]] = {}
    for row in reposts:
        f = fanouts.setdefault(
            row.draft_id,
            {
                "draft_id": row.draft_id,
                "title": row.title,
                "group": row.group,
                "deadline": row.deadline.isoformat() if row.deadline else None,
                "statuses": [],
            },
        )
        f["statuses"].append(row.status)
    repost_rows = []
    for f in fanouts.values():
        counts = completion(f.pop("statuses"))
        total = sum(counts.values())
        live = counts[RepostStatus.ON_TIME] + counts[RepostStatus.LATE]
        repost_rows.append(
            {
                **f,
                **counts,
                "accounts": total,
                "completion": round(100 * counts[RepostStatus.ON_TIME] / total, 1)
                if total
                else None,
                "live": live,
            }
        )
    account_rows = []
    for a in accounts:
        since = last.get(a.id or 0)
        days = (as_of - since).days if since else None
        # Quiet since its last post, or since it was registered if it never posted.
        quiet = days if days is not None else max(0, (as_of - a.created_at).days)
        account_rows.append(
            {
                "account_id": a.id,
                "name": a.name,
                "platform": a.platform,
                "state": a.state,
                "state_label": _zh(filing_state_label, a.state),
                "weeks": per_week[a.id or 0],
                "posts": sum(per_week[a.id or 0]),
                "last_post": since.isoformat() if since else None,
                "days_since": days,
                "days_quiet": quiet,
                "threshold": a.update_threshold_days,
                "stale": a.state == "active" and quiet > a.update_threshold_days,
            }
        )
    return {
        "month": m.label,
        "timezone": ws.settings.timezone,
        "as_of": as_of.isoformat(),
        "weeks": [w.label for w in weeks],
        "accounts": account_rows,
        "findings": [
            {
                "category": key,
                "label": _zh(category_label, key),
                "findings": n,
                "blocking": blocking.get(key, 0),
            }
            for key, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "gates": gates,
        "reposts": repost_rows,
        "opened": opened,
        "closed": closed,
        "posts": sum(a["posts"] for a in account_rows),
    }


# -- the drawings ----------------------------------------------------------------------------
FONT = (
    '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif'
)


def _style() -> Any:
    from pygal.style import Style

    return Style(
        font_family=FONT,
        label_font_family=FONT,
        major_label_font_family=FONT,
        value_font_family=FONT,
        title_font_family=FONT,
        legend_font_family=FONT,
        tooltip_font_family=FONT,
        background="white",
        plot_background="white",
        foreground="#1f2933",
        foreground_strong="#1f2933",
        foreground_subtle="#52606d",
        colors=("#1f5f99", "#c2410c", "#15803d", "#a16207", "#7e22ce", "#0e7490", "#be123c"),
        title_font_size=16,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=12,
        value_font_size=11,
        no_data_font_size=20,
    )


def _chart(kind: str, title: str, **options: Any) -> Any:
    import pygal

    chart = getattr(pygal, kind)(
        title=title,
        style=_style(),
        js=[],  # no script: the drawing is a picture, and the console's CSP allows none
        disable_xml_declaration=True,
        width=760,
        height=380,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        print_values=False,
        no_data_text=_("No data this month"),
        truncate_legend=40,
        truncate_label=24,
        **options,
    )
    return chart


def _counts(chart: Any, values: list[int | None]) -> None:
    """Whole numbers on the value axis of a chart of counts (none on an empty chart:
    pygal cannot place labels without a series)."""
    if not chart.raw_series:
        return
    top = max([v or 0 for v in values] or [0])
    step = max(1, -(-top // 8))
    chart.y_labels = list(range(0, top + step + 1, step)) if top else [0, 1]


def _svg(chart: Any) -> str:
    """The drawing as SVG text, without the configuration script pygal always adds (for
    its optional tooltips): the report is a picture, and pages run no inline script."""
    from xml.etree import ElementTree

    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return ElementTree.tostring(tree, encoding="unicode")


def charts(data: dict[str, Any]) -> dict[str, str]:
    """The report's drawings as SVG text, by name."""
    out: dict[str, str] = {}
    posts = _chart("Bar", _("Posts per week (by account)"), y_title=_("posts"))
    posts.x_labels = data["weeks"]
    for a in data["accounts"]:
        if a["posts"]:
            posts.add(a["name"], a["weeks"])
    _counts(posts, [n for a in data["accounts"] for n in a["weeks"]])
    out["posts"] = _svg(posts)

    quiet = _chart(
        "HorizontalBar",
        _("Days since the last post (since it was recorded, if it never posted)"),
        x_title=_("days"),
        show_legend=False,
    )
    quiet.x_labels = [a["name"] for a in data["accounts"]]
    quiet.add(
        _("Since the last post"),
        [
            {"value": a["days_quiet"], "color": "#c2410c" if a["stale"] else "#1f5f99"}
            for a in data["accounts"]
        ],
    )
    if not data["accounts"]:
        quiet = _chart("HorizontalBar", _("Days since the last post"), show_legend=False)
    out["quiet"] = _svg(quiet)

    findings = _chart("Bar", _("Wording findings (by kind)"), y_title=_("findings"))
    findings.x_labels = [category_label(f["category"]) for f in data["findings"]]
    if data["findings"]:
        findings.add(_("all"), [f["findings"] for f in data["findings"]])
        findings.add(_("To fix"), [f["blocking"] for f in data["findings"]])
    _counts(findings, [f["findings"] for f in data["findings"]])
    out["findings"] = _svg(findings)

    gates = _chart("Bar", _("How long each gate waited (hours)"), y_title=_("hours"))
    gates.x_labels = [gate_label(g["gate"]) for g in data["gates"]]
    if any(g["decisions"] for g in data["gates"]):
        gates.add(_("median"), [g["median_hours"] for g in data["gates"]])
        gates.add("P90", [g["p90_hours"] for g in data["gates"]])
    out["gates"] = _svg(gates)

    reposts = _chart(
        "StackedBar", _("How the matrix reposts went (accounts)"), y_title=_("accounts")
    )
    reposts.x_labels = [f"{r['draft_id']} {r['title']}" for r in data["reposts"]]
    if data["reposts"]:
        for status in RepostStatus:
            reposts.add(_(REPOST_LABELS[status.value]), [r[status.value] for r in data["reposts"]])
    _counts(reposts, [r["accounts"] for r in data["reposts"]])
    out["reposts"] = _svg(reposts)

    lifecycle = _chart(
        "Bar", _("Accounts opened and closed"), y_title=_("accounts"), show_legend=False
    )
    lifecycle.x_labels = [_("opened"), _("closed")]
    lifecycle.add(_("accounts"), [len(data["opened"]), len(data["closed"])])
    _counts(lifecycle, [len(data["opened"]), len(data["closed"])])
    out["lifecycle"] = _svg(lifecycle)
    return out


# -- the files ------------------------------------------------------------------------------
def _hours(value: float | None) -> Any:
    return value if value is not None else "-"


def _write_xlsx(data: dict[str, Any], path: Path, tz: Any) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    def local(text: str | None) -> str:
        return (
            datetime.fromisoformat(text).astimezone(tz).strftime("%Y-%m-%d %H:%M") if text else ""
        )

    book = Workbook()
    summary = book.active
    summary.title = "概要"
    for row in [
        ("月份", data["month"]),
        ("统计截至", local(data["as_of"])),
        ("时区", data["timezone"]),
        ("账号数", len(data["accounts"])),
        ("发布条数", data["posts"]),
        ("超过更新期限的账号", sum(1 for a in data["accounts"] if a["stale"])),
        ("错敏问题", sum(f["findings"] for f in data["findings"])),
        ("集中转载", len(data["reposts"])),
        ("开设账号", len(data["opened"])),
        ("注销账号", len(data["closed"])),
    ]:
        summary.append(row)

    def sheet(title: str, headers: list[str], rows: list[list[Any]]) -> Any:
        ws = book.create_sheet(title)
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            width = max([len(str(header)) * 2, *(len(str(r[index - 1] or "")) for r in rows)])
            ws.column_dimensions[ws.cell(1, index).column_letter].width = min(width + 2, 40)
        return ws

    weekly = sheet(
        "每周发布",
        ["账号", *data["weeks"], "合计"],
        [[a["name"], *a["weeks"], a["posts"]] for a in data["accounts"]],
    )
    if data["accounts"]:
        chart = BarChart()
        chart.title = "每周发布条数"
        chart.add_data(
            Reference(
                weekly, min_col=2, max_col=1 + len(data["weeks"]),
                min_row=1, max_row=1 + len(data["accounts"]),
            ),
            titles_from_data=True,
        )  # fmt: skip
        chart.set_categories(
            Reference(weekly, min_col=1, min_row=2, max_row=1 + len(data["accounts"]))
        )
        weekly.add_chart(chart, f"A{len(data['accounts']) + 4}")
    sheet(
        "更新间隔",
        ["账号", "平台", "状态", "最后发布", "距今天数", "期限（天）", "超期"],
        [
            [
                a["name"], a["platform"], a["state_label"], local(a["last_post"]),
                a["days_since"] if a["days_since"] is not None else "从未发布",
                a["threshold"], "是" if a["stale"] else "否",
            ]
            for a in data["accounts"]
        ],
    )  # fmt: skip
    sheet(
        "错敏问题",
        ["类别", "代码", "问题数", "须修改"],
        [[f["label"], f["category"], f["findings"], f["blocking"]] for f in data["findings"]],
    )
    sheet(
        "审核时长",
        ["环节", "代码", "决定数", "中位数（小时）", "P90（小时）"],
        [
            [g["label"], g["gate"], g["decisions"], _hours(g["median_hours"]),
             _hours(g["p90_hours"])]
            for g in data["gates"]
        ],
    )  # fmt: skip
    sheet(
        "集中转载",
        ["稿件", "标题", "分组", "时限", "账号数", *REPOST_LABELS.values(), "按时完成率（%）"],
        [
            [
                r["draft_id"], r["title"], r["group"], local(r["deadline"]), r["accounts"],
                *(r[key] for key in REPOST_LABELS), _hours(r["completion"]),
            ]
            for r in data["reposts"]
        ],
    )  # fmt: skip
    sheet(
        "开设与注销",
        ["变动", "账号", "平台", "主办单位", "时间", "理由"],
        [
            ["开设" if kind == "opened" else "注销", e["name"], e["platform"], e["unit"],
             local(e["at"]), e["reason"] or ""]
            for kind in ("opened", "closed")
            for e in data[kind]
        ],
    )  # fmt: skip
    book.save(path)


def render_html(ws: Workspace, data: dict[str, Any], drawings: dict[str, str]) -> str:
    from console.web.pages import environment

    # The file is a Chinese document, like the workbook, whoever asks for it.
    template = environment(ws.settings.timezone).get_template("report_file.html")
    with use_language("zh_CN"):
        return template.render(r=data, svg=drawings, labels=repost_labels())


def xlsx_bytes(ws: Workspace, *, month: str, now: datetime | None = None) -> bytes:
    """The report's workbook, for the console to hand out."""
    import tempfile

    data = monthly_data(ws, month=month, now=now)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.xlsx"
        _write_xlsx(data, path, ws.settings.tz)
        return path.read_bytes()


def write_report(
    ws: Workspace, *, month: str, out: Path | str, now: datetime | None = None
) -> dict[str, Any]:
    """Write ``report.xlsx`` and ``report.html`` into the folder ``out``."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput("--out {out!r} is a file; give a folder", out=str(out))
    data = monthly_data(ws, month=month, now=now)
    with use_language("zh_CN"):  # the files are Chinese documents (render_html)
        drawings = charts(data)
    html = render_html(ws, data, drawings)
    xlsx, page = folder / "report.xlsx", folder / "report.html"
    try:
        _write_atomically(xlsx, lambda temp: _write_xlsx(data, temp, ws.settings.tz))
        _write_atomically(page, lambda temp: temp.write_text(html, "utf-8"))
    except OSError as exc:
        raise InvalidInput(
            "cannot write to {folder}: {reason}", folder=folder, reason=exc.strerror or exc
        ) from None
    return {
        "month": data["month"],
        "xlsx": str(xlsx),
        "html": str(page),
        "accounts": len(data["accounts"]),
        "posts": data["posts"],
        "data": data,
    }


__all__ = ["Month", "charts", "monthly_data", "render_html", "write_report"]
