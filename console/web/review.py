"""Read and decide: one page per draft with everything a reviewer needs, the channel
previews in sandboxed frames, the decision form, the record and the 审签单.

A preview frame shows a stored variant through the channels' preview functions. It is
served with a Content-Security-Policy that forbids every script and is framed with the
``sandbox`` attribute, so a draft's own HTML never runs in the console.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import actions, reading
from console.i18n import error_text
from console.nextstep import next_gate_text
from console.people import Visitor
from console.web.home import changed
from console.web.pages import render
from console.web.security import acting_as, csrf_checked
from console.workspace import Workspace
from domain.errors import InvalidInput, MatrixpubError
from domain.gates import Verdict

router = APIRouter()

# A preview is the platform's page, not ours: no script of any kind, pictures only from
# this console, styles inline (the platforms' pages carry their own).
PREVIEW_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
PREVIEW_HEADERS = {
    "Content-Security-Policy": PREVIEW_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, max-age=300",
}


def _page(
    request: Request, ws: Workspace, draft_id: int, *, error: str | None = None,
    form: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    page = reading.draft_page(ws, draft_id)
    decided = request.query_params.get("decided")
    return render(
        request,
        "draft.html",
        {
            "d": page,
            "error": error,
            "form": form or {},
            "decided": decided,
            "decided_check": request.query_params.get("check"),
            # what comes next, as the CLI says it after a decision
            "next_gate": next_gate_text(page["gate"]) if decided else None,
        },
        status=status,
    )


@router.get("/drafts/{draft_id}")
def draft_page(request: Request, draft_id: int, ws: Workspace = Depends(acting_as)) -> Response:
    return _page(request, ws, draft_id)


@router.post("/drafts/{draft_id}/decision")
def decide(
    request: Request,
    draft_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    verdict: Annotated[str, Form()] = "",
    opinion: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    gate: Annotated[str, Form()] = "",
) -> Response:
    """Approve or reject, pinned to the version and gate the page showed: if the draft
    was edited or decided by someone else since, the decision is refused and the page
    says why, with the opinion kept."""
    typed = {"verdict": verdict, "opinion": opinion}
    try:
        try:
            chosen = Verdict(verdict)
        except ValueError:
            raise InvalidInput("choose approve or reject") from None
        if not version.isdigit() or not gate:
            raise InvalidInput("the form names no version or gate; reload the page")
        actions.decide(
            ws, draft_id, verdict=chosen, opinion=opinion, version=int(version), gate=gate
        )
    except MatrixpubError as exc:
        from console.web.app import status_of

        return _page(
            request, ws, draft_id, error=error_text(exc), form=typed, status=status_of(exc)
        )
    changed(request)
    return RedirectResponse(f"/drafts/{draft_id}?decided={quote(chosen.value)}", status_code=303)


@router.post("/drafts/{draft_id}/escalate")
def escalate(
    request: Request,
    draft_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    check: Annotated[str, Form()] = "",
    opinion: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    gate: Annotated[str, Form()] = "",
) -> Response:
    """Send the draft to an extra check (保密审查, 网信) before its gate is decided, pinned
    to the version and gate the page showed."""
    try:
        if not version.isdigit() or not gate or not check:
            raise InvalidInput("the form names no version, gate or check; reload the page")
        sent = actions.escalate(
            ws, draft_id, check=check, opinion=opinion, version=int(version), gate=gate
        )
    except MatrixpubError as exc:
        from console.web.app import status_of

        return _page(request, ws, draft_id, error=error_text(exc), status=status_of(exc))
    changed(request)
    to = quote(sent["decision"]["gate"])
    return RedirectResponse(f"/drafts/{draft_id}?decided=escalate&check={to}", status_code=303)


@router.post("/drafts/{draft_id}/findings/{finding_id}/override")
def override(
    request: Request,
    draft_id: int,
    finding_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        actions.override_finding(ws, draft_id, finding_id, reason=reason)
    except MatrixpubError as exc:
        from console.web.app import status_of

        return _page(request, ws, draft_id, error=error_text(exc), status=status_of(exc))
    changed(request)
    return RedirectResponse(f"/drafts/{draft_id}#findings", status_code=303)


@router.get("/drafts/{draft_id}/versions/{number}/preview/{channel}/")
async def preview(
    draft_id: int, number: int, channel: str, ws: Workspace = Depends(acting_as)
) -> Response:
    html = await run_in_threadpool(reading.preview_page, ws, draft_id, number, channel)
    return HTMLResponse(html, headers=PREVIEW_HEADERS)


@router.get("/drafts/{draft_id}/versions/{number}/preview/{channel}/{filename}")
def preview_picture(
    draft_id: int, number: int, channel: str, filename: str, ws: Workspace = Depends(acting_as)
) -> Response:
    data, media_type = reading.preview_picture(ws, draft_id, number, channel, filename)
    return Response(data, media_type=media_type, headers=PREVIEW_HEADERS)


@router.get("/drafts/{draft_id}/diff")
def diff(
    request: Request,
    draft_id: int,
    old: int | None = None,
    new: int | None = None,
    ws: Workspace = Depends(acting_as),
) -> Response:
    found = reading.diff_versions(ws, draft_id, old=old, new=new)
    return render(request, "diff.html", {"diff": found, "draft_id": draft_id})


@router.get("/drafts/{draft_id}/record")
def record(request: Request, draft_id: int, ws: Workspace = Depends(acting_as)) -> Response:
    return render(request, "record.html", {"r": reading.draft_record(ws, draft_id)})


@router.get("/drafts/{draft_id}/sheet")
def sheet(request: Request, draft_id: int, ws: Workspace = Depends(acting_as)) -> Response:
    context: dict[str, Any] = {"s": reading.sign_off_sheet(ws, draft_id)}
    return render(request, "sheet.html", context)
