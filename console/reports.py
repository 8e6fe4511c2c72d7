"""Reports both faces show: 集中转载 compliance, the registry export in the national
reporting system's filing form, and the monthly report (see :mod:`console.monthly`)."""

from __future__ import annotations

import csv
import os
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from console.workspace import Workspace
from domain.errors import InvalidInput
from domain.reposts import RepostStatus, completion
from sqlmodel_db import accounts as accounts_db
from sqlmodel_db import reposts as reposts_db

REPOST_LABELS = {
    RepostStatus.ON_TIME.value: "按时",
    RepostStatus.LATE.value: "逾期",
    RepostStatus.MISSING.value: "未转载",
    RepostStatus.AT_RISK.value: "将逾期",
    RepostStatus.PENDING.value: "待发布",
}


# -- 集中转载 compliance ----------------------------------------------------------------------
def repost_compliance(
    ws: Workspace, *, draft_id: int | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Each fan-out with each account's post on time, late, missing, at risk or pending,
    as of ``now``; the alerts late and missing ones call for are raised on the way."""
    warn = timedelta(hours=ws.settings.repost_warn_hours)
    with ws.acting() as (session, _actor):
        reposts_db.flag(session=session, now=now, warn=warn, tz=ws.settings.tz)
        rows = reposts_db.rows(session=session, now=now, warn=warn, draft_id=draft_id)
    if draft_id is not None and not rows:
        from domain.errors import NotFound

        raise NotFound("draft {draft_id} was not fanned out (集中转载)", draft_id=draft_id)
    fanouts: dict[int, dict[str, Any]] = {}
    for row in rows:
        f = fanouts.setdefault(
            row.draft_id,
            {
                "draft_id": row.draft_id,
                "title": row.title,
                "group": row.group,
                "deadline": row.deadline.isoformat() if row.deadline else None,
                "accounts": [],
            },
        )
        f["accounts"].append(
            {
                "account_id": row.account_id,
                "account": row.account,
                "platform": row.platform,
                "responsible": row.responsible,
                "post_id": row.post_id,
                "post_state": row.post_state,
                "due_at": row.due_at.isoformat() if row.due_at else None,
                "published_at": row.published_at.isoformat() if row.published_at else None,
                "url": row.url,
                "status": row.status.value,
            }
        )
    for f in fanouts.values():
        f["counts"] = completion([RepostStatus(a["status"]) for a in f["accounts"]])
    return list(fanouts.values())


# -- the registry in the filing form ---------------------------------------------------------
# The columns of the national reporting system's filing form (全国政务新媒体信息报送系统, as
# local notices list them), then our own.
FILING_COLUMNS: list[tuple[str, str]] = [
    ("账号名称", "name"),
    ("平台", "platform_label"),
    ("账号ID", "platform_id"),
    ("账号链接", "url"),
    ("主办单位", "unit"),
    ("主管单位", "supervising_unit"),
    ("单位类型", "unit_type"),
    ("认证情况", "verification"),
    ("开设日期", "opened_on"),
    ("运营方式", "operation_mode"),
    ("责任人", "responsible"),
    ("联系电话", "contact"),
    ("运维人员", "operator"),
    ("状态", "filing_state"),
    ("系统编号", "id"),
    ("系统状态", "state"),
    ("备案编号", "record_no"),
    ("备案日期", "filed_on"),
    ("分组", "group_name"),
    ("主账号", "is_main"),
]
# Our states as the filing form names them (运行/停更/注销); an account still applying
# has not been opened and has none.
FILING_STATES = {"active": "运行", "suspended": "停更", "closing": "停更", "closed": "注销"}
OPERATION_MODES = {"self": "自营", "outsourced": "委托运营"}


def filing_rows(ws: Workspace) -> list[dict[str, Any]]:
    from channels.registry import SPECS

    with ws.acting() as (session, _actor):
        accounts = accounts_db.list_accounts(session=session)
        out = []
        for a in accounts:
            row = a.model_dump()
            row["platform_label"] = SPECS[a.platform].label if a.platform in SPECS else a.platform
            row["filing_state"] = FILING_STATES.get(a.state, "")
            row["is_main"] = "是" if a.is_main else "否"
            mode = row.get("operation_mode")
            row["operation_mode"] = OPERATION_MODES.get(mode, mode) if mode else None
            out.append({title: row.get(key) for title, key in FILING_COLUMNS})
        return out


def _write_atomically(path: Path, write: Any) -> None:
    """Write through a temporary file beside ``path``: a failure leaves nothing behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    try:
        write(Path(temp))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def export_accounts(ws: Workspace, out: Path | str) -> dict[str, Any]:
    """The registry as XLSX or CSV (by the file's suffix), in the filing form's columns."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InvalidInput("--out {out!r}: the file must end in .xlsx or .csv", out=str(out))
    if path.is_dir():
        raise InvalidInput("--out {out!r} is a folder; give a file name", out=str(out))
    rows = filing_rows(ws)
    headers = [title for title, _key in FILING_COLUMNS]

    def write_csv(temp: Path) -> None:
        # UTF-8 with a byte-order mark, so that Excel opens the Chinese headings right.
        with temp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(["" if row[h] is None else row[h] for h in headers])

    def write_xlsx(temp: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = "政务新媒体账号"
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row[h] for h in headers])
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            width = max([len(header) * 2, *(len(str(r[header] or "")) for r in rows)])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 50)
        book.save(temp)

    try:
        _write_atomically(path, write_xlsx if suffix == ".xlsx" else write_csv)
    except OSError as exc:
        raise InvalidInput(
            "cannot write {path}: {reason}", path=path, reason=exc.strerror or exc
        ) from None
    return {"path": str(path), "format": suffix[1:], "accounts": len(rows), "columns": headers}
