"""Reports in the console: 集中转载 compliance and the monthly report (the same data and
drawings as ``matrixpub report``)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from console import monthly, reports
from console.web.pages import render
from console.web.security import acting_as
from console.workspace import Workspace

router = APIRouter()


@router.get("/reports/reposts")
def repost_page(
    request: Request, draft: int | None = None, ws: Workspace = Depends(acting_as)
) -> Response:
    fanouts = reports.repost_compliance(ws, draft_id=draft)
    return render(
        request,
        "reposts.html",
        {"fanouts": fanouts, "labels": reports.repost_labels(), "draft": draft},
    )


def _month(ws: Workspace, month: str | None) -> str:
    return month or datetime.now(ws.settings.tz).strftime("%Y-%m")


@router.get("/reports/monthly")
async def monthly_page(
    request: Request, month: str | None = None, ws: Workspace = Depends(acting_as)
) -> Response:
    data = await run_in_threadpool(monthly.monthly_data, ws, month=_month(ws, month))
    drawings = await run_in_threadpool(monthly.charts, data)
    return render(
        request, "report.html", {"r": data, "svg": drawings, "labels": reports.repost_labels()}
    )


@router.get("/reports/monthly/report.xlsx")
async def monthly_xlsx(month: str | None = None, ws: Workspace = Depends(acting_as)) -> Response:
    label = _month(ws, month)
    data = await run_in_threadpool(monthly.xlsx_bytes, ws, month=label)
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="report-{label}.xlsx"'},
    )
