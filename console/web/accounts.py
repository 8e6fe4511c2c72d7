"""The accounts pages: the registry with each account's state and days since its last
post against its threshold (the dashboard), registering, requests and a leader's
approvals, an account's 审签单 (print), and a credentials form per platform with a
connection test — the same functions the CLI calls, allowed to the same people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from console import actions, governance
from console.i18n import N_, REQUEST_STATES, _, error_text
from console.people import Visitor
from console.stored import stored_text
from console.web.pages import render
from console.web.security import acting_as, csrf_checked
from console.workspace import Workspace
from domain import credentials
from domain.accounts import Platform
from domain.errors import InvalidInput, MatrixpubError
from domain.keepalive import ColumnKind

router = APIRouter()

ACCOUNT_STATE_LABELS = {
    "applying": N_("applying"),
    "active": N_("active"),
    "suspended": N_("suspended"),
    "closing": N_("closing (notice period)"),
    "closed": N_("closed"),
}
REQUEST_LABELS = {"open": N_("opening"), "change": N_("change"), "close": N_("closing")}
EVENT_LABELS = {
    "registered": N_("recorded"),
    "requested": N_("requested opening"),
    "request_open": N_("requested opening"),
    "request_change": N_("requested a change"),
    "request_close": N_("requested closing"),
    "approve": N_("request approved"),
    "reject": N_("request not approved"),
    "notice_published": N_("closing notice published"),
    "close": N_("account closed"),
    "suspend": N_("account suspended"),
    "resume": N_("resumed"),
    "changed": N_("changed"),
    "credentials": N_("credentials"),
    "filed": N_("filed"),
    "unpaused": N_("queue resumed"),
}
LEVEL_LABELS = {"ok": N_("ok"), "warning": N_("soon overdue"), "stale": N_("overdue")}


COLUMN_LABELS = {
    "news": N_("news"),  # 动态要闻
    "notice": N_("notices"),  # 通知公告
    "policy": N_("policy documents"),  # 政策文件
}


def _words(labels: dict[str, str]) -> dict[str, str]:
    return {key: _(label) for key, label in labels.items()}


def _labels() -> dict[str, Any]:
    return {
        "account_states": _words(ACCOUNT_STATE_LABELS),
        "request_labels": _words(REQUEST_LABELS),
        "request_states": _words(REQUEST_STATES),
        "levels": _words(LEVEL_LABELS),
        "event_labels": _words(EVENT_LABELS),
        "column_labels": _words(COLUMN_LABELS),
        "platforms": [p.value for p in Platform],
        "column_kinds": [k.value for k in ColumnKind],
    }


def _list_page(
    request: Request, ws: Workspace, *, error: str | None = None, status: int = 200
) -> Response:
    accounts = actions.list_accounts(ws)
    board = {row["id"]: row for row in governance.keepalive_board(ws)}
    requests = governance.list_requests(ws)
    return render(
        request,
        "accounts.html",
        {
            "accounts": accounts,
            "board": board,
            "pending": [r for r in requests if r["state"] == "pending"],
            "error": error,
            **_labels(),
        },
        status=status,
    )


@router.get("/accounts")
def account_list(request: Request, ws: Workspace = Depends(acting_as)) -> Response:
    return _list_page(request, ws)


@router.get("/accounts/dashboard")
def dashboard(request: Request, ws: Workspace = Depends(acting_as)) -> Response:
    rows = governance.keepalive_board(ws)
    rows.sort(key=lambda r: (r["days_left"], r["id"]))
    return render(request, "keepalive.html", {"rows": rows, **_labels()})


def _act(
    request: Request, ws: Workspace, work: Callable[[], Any], back: str = "/accounts"
) -> Response:
    try:
        work()
    except MatrixpubError as exc:
        from console.web.app import status_of

        return _list_page(request, ws, error=error_text(exc), status=status_of(exc))
    return RedirectResponse(back, status_code=303)


def _opt(value: str) -> str | None:
    return value.strip() or None


@router.post("/accounts/register")
def register(
    request: Request,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    platform: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    platform_id: Annotated[str, Form()] = "",
    responsible: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
    column_kind: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "request",
) -> Response:
    fields = {
        "platform": platform,
        "name": name,
        "unit": unit,
        "platform_id": _opt(platform_id),
        "responsible": _opt(responsible),
        "contact": _opt(contact),
        "column_kind": _opt(column_kind),
    }
    if mode == "record":  # an account that already exists, put on record (admin)
        return _act(request, ws, lambda: actions.register_account(ws, **fields))
    return _act(request, ws, lambda: governance.request_open(ws, reason=reason, **fields))


@router.post("/accounts/{account_id}/request-close")
def request_close(
    request: Request,
    account_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    reason: Annotated[str, Form()] = "",
    successor: Annotated[str, Form()] = "",
    successor_contact: Annotated[str, Form()] = "",
) -> Response:
    def work() -> None:
        if successor.strip() and not successor.strip().isdigit():
            raise InvalidInput("the successor is an account number")
        governance.request_close(
            ws,
            account_id,
            reason=reason,
            successor=int(successor) if successor.strip() else None,
            successor_contact=_opt(successor_contact),
        )

    return _act(request, ws, work, f"/accounts/{account_id}")


@router.post("/accounts/{account_id}/request-change")
def request_change(
    request: Request,
    account_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    reason: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    responsible: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
) -> Response:
    return _act(
        request,
        ws,
        lambda: governance.request_change(
            ws,
            account_id,
            reason=reason,
            name=_opt(name),
            responsible=_opt(responsible),
            contact=_opt(contact),
        ),
        f"/accounts/{account_id}",
    )


@router.post("/accounts/requests/{request_id}/{verdict}")
def decide(
    request: Request,
    request_id: int,
    verdict: str,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    opinion: Annotated[str, Form()] = "",
) -> Response:
    def work() -> None:
        if verdict not in ("approve", "reject"):
            raise InvalidInput("approve or reject")
        governance.decide(ws, request_id, approve=verdict == "approve", opinion=opinion)

    return _act(request, ws, work)


def _sheet_page(
    request: Request,
    ws: Workspace,
    account_id: int,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    sheet = governance.sheet(ws, account_id)
    platform = sheet["account"]["platform"]
    try:
        fields = credentials.fields_of(platform)
    except InvalidInput:
        fields = ()
    return render(
        request,
        "account.html",
        {
            "s": sheet,
            "fields": fields,
            "message": message,
            "error": error,
            "notice_days": ws.settings.notice_workdays,
            **_labels(),
        },
        status=status,
    )


@router.get("/accounts/{account_id}")
def account_sheet(
    request: Request, account_id: int, ws: Workspace = Depends(acting_as)
) -> Response:
    return _sheet_page(request, ws, account_id)


@router.post("/accounts/{account_id}/credentials")
def set_credentials(
    request: Request,
    account_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    secret_block: Annotated[str, Form()] = "",
    test: Annotated[str, Form()] = "",
    field_appid: Annotated[str, Form()] = "",
    field_appsecret: Annotated[str, Form()] = "",
    field_access_token: Annotated[str, Form()] = "",
    field_rip: Annotated[str, Form()] = "",
    field_signing_secret: Annotated[str, Form()] = "",
) -> Response:
    """Store an account's credentials in its Prefect Secret block after asking the platform
    (the same check as ``account credentials --test``); nothing is stored if it refuses.
    The values are never echoed back. The fields are every platform's (domain.credentials);
    the platform's own check refuses one it does not take."""
    given = {
        "appid": field_appid,
        "appsecret": field_appsecret,
        "access_token": field_access_token,
        "rip": field_rip,
        "signing_secret": field_signing_secret,
    }
    values = {k: v for k, v in given.items() if v.strip()}
    try:
        if not secret_block.strip():
            raise InvalidInput("name the Prefect Secret block")
        result = actions.set_credentials(
            ws, account_id, block=secret_block.strip(), values=values or None, test=bool(test)
        )
    except MatrixpubError as exc:
        from console.web.app import status_of

        return _sheet_page(request, ws, account_id, error=error_text(exc), status=status_of(exc))
    check = result.get("check")
    message = _("Saved in the Secret block {block}", block=result["secret_block"])
    if check:
        message += _("; the platform's check: {detail}", detail=stored_text(check["detail"]))
    return _sheet_page(request, ws, account_id, message=message)


@router.post("/accounts/{account_id}/{move}")
def move(
    request: Request,
    account_id: int,
    move: str,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    reason: Annotated[str, Form()] = "",
    replan: Annotated[str, Form()] = "",
) -> Response:
    def work() -> None:
        if move == "suspend":
            governance.suspend(ws, account_id, reason=reason)
        elif move == "resume":
            governance.resume(ws, account_id, reason=reason, replan=bool(replan))
        else:
            raise InvalidInput("unknown action {move!r}", move=move)

    return _act(request, ws, work, f"/accounts/{account_id}")
