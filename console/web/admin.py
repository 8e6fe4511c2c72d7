"""The admin pages: users, word lists, freezes, settings, the alerts inbox, the audit log
and the calendar. Admins only; every change is a form with the session's CSRF token, and
goes through the same functions as the CLI (console.actions, console.people,
console.admin), so the same rules refuse the same things."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from console import actions, admin, people
from console.people import Visitor
from console.web.pages import render
from console.web.security import acting_as, csrf_checked
from console.workspace import Workspace
from domain.errors import MatrixpubError
from domain.roles import ROLE_LABELS, Role

router = APIRouter(prefix="/admin")


def _admin_ws(ws: Workspace = Depends(acting_as)) -> Workspace:
    admin.require_admin(ws)
    return ws


def _done(path: str, message: str) -> Response:
    sep = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{sep}done={quote(message)}", status_code=303)


def _try(
    request: Request,
    work: Callable[[], Any],
    page: Callable[..., Response],
    success: Callable[[Any], Response],
) -> Response:
    try:
        result = work()
    except MatrixpubError as exc:
        from console.web.app import status_of

        return page(request, error=exc.message, status=status_of(exc))
    return success(result)


# -- index --------------------------------------------------------------------------------
@router.get("")
def index(request: Request, ws: Workspace = Depends(_admin_ws)) -> Response:
    return render(request, "admin/index.html")


# -- users ----------------------------------------------------------------------------------
def _users(
    request: Request, *, error: str | None = None, status: int = 200,
    made: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    ws = acting_as(request, request.state.visitor)
    return render(
        request,
        "admin/users.html",
        {
            "users": actions.list_users(ws),
            "roles": [(r.value, ROLE_LABELS[r]) for r in Role],
            "error": error,
            "made": made,
            "done": request.query_params.get("done"),
        },
        status=status,
    )


@router.get("/users")
def users_page(request: Request, _ws: Workspace = Depends(_admin_ws)) -> Response:
    return _users(request)


@router.post("/users")
def user_add(
    request: Request,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    name: Annotated[str, Form()] = "",
    roles: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies form defaults)
) -> Response:
    return _try(
        request,
        lambda: actions.add_user(ws, name=name, roles=roles),
        _users,
        lambda made: _users(request, made=made),  # the token is shown this once
    )


@router.post("/users/{name}/active")
def user_active(
    request: Request,
    name: str,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    active: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    on = active == "1"
    return _try(
        request,
        lambda: people.set_active(ws, name, active=on, reason=reason),
        _users,
        lambda _u: _done("/admin/users", f"{name} 已{'启用' if on else '停用'}"),
    )


@router.post("/users/{name}/roles")
def user_roles(
    request: Request,
    name: str,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    roles: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies form defaults)
) -> Response:
    return _try(
        request,
        lambda: people.set_roles(ws, name, roles=roles),
        _users,
        lambda u: _done("/admin/users", f"{name} 的角色已改为 {'、'.join(u['roles'])}"),
    )


@router.post("/users/{name}/token")
def user_token(
    request: Request,
    name: str,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
) -> Response:
    return _try(
        request,
        lambda: people.reissue_token(ws, name),
        _users,
        lambda made: _users(request, made={**made, "reissued": True}),
    )


@router.post("/users/{name}/password")
def user_password(
    request: Request,
    name: str,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    password: Annotated[str, Form()] = "",
) -> Response:
    return _try(
        request,
        lambda: people.set_password(ws, name, password=password),
        _users,
        lambda _u: _done("/admin/users", f"{name} 的密码已重设，其登录已全部结束"),
    )


# -- word lists -------------------------------------------------------------------------------
def _lexicon(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    ws = acting_as(request, request.state.visitor)
    category = request.query_params.get("category") or None
    lists = actions.list_lexicons(ws)
    shown = [x for x in lists if x["category"] == category] if category else []
    return render(
        request,
        "admin/lexicon.html",
        {
            "lists": lists,
            "category": category,
            "shown": shown[0] if shown else None,
            "error": error,
            "done": request.query_params.get("done"),
        },
        status=status,
    )


@router.get("/lexicon")
def lexicon_page(request: Request, _ws: Workspace = Depends(_admin_ws)) -> Response:
    return _lexicon(request)


@router.post("/lexicon/term")
def lexicon_add(
    request: Request,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    category: Annotated[str, Form()] = "",
    term: Annotated[str, Form()] = "",
    suggest: Annotated[str, Form()] = "",
    severity: Annotated[str, Form()] = "",
) -> Response:
    return _try(
        request,
        lambda: actions.add_lexicon_term(
            ws, category, term, suggest=suggest or None, severity=severity or None
        ),
        _lexicon,
        lambda r: _done(
            f"/admin/lexicon?category={quote(category)}",
            f"已加入 {term}（{r['category']} 版本 {r['version']}）",
        ),
    )


@router.post("/lexicon/allow")
def lexicon_allow(
    request: Request,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    term: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    return _try(
        request,
        lambda: actions.allow_lexicon_term(ws, term, reason=reason),
        _lexicon,
        lambda r: _done("/admin/lexicon?category=allow", f"已放行 {r['term']}"),
    )


# -- freezes ------------------------------------------------------------------------------------
def _freezes(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    ws = acting_as(request, request.state.visitor)
    return render(
        request,
        "admin/freezes.html",
        {
            "freezes": actions.list_freezes(ws, all_=True),
            "error": error,
            "done": request.query_params.get("done"),
        },
        status=status,
    )


@router.get("/freezes")
def freezes_page(request: Request, _ws: Workspace = Depends(_admin_ws)) -> Response:
    return _freezes(request)


@router.post("/freezes")
def freeze_add(
    request: Request,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    return _try(
        request,
        lambda: actions.add_freeze(
            ws, start=start.replace("T", " "), end=end.replace("T", " "), reason=reason
        ),
        _freezes,
        lambda f: _done("/admin/freezes", f"已设封网期 {f['id']}"),
    )


@router.post("/freezes/{freeze_id}/lift")
def freeze_lift(
    request: Request,
    freeze_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    reason: Annotated[str, Form()] = "",
) -> Response:
    return _try(
        request,
        lambda: actions.lift_freeze(ws, freeze_id, reason=reason),
        _freezes,
        lambda f: _done("/admin/freezes", f"封网期 {f['id']} 已解除"),
    )


# -- settings ------------------------------------------------------------------------------------
def _settings(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    ws = acting_as(request, request.state.visitor)
    return render(
        request,
        "admin/settings.html",
        {
            "settings": actions.show_settings(ws),
            "error": error,
            "done": request.query_params.get("done"),
        },
        status=status,
    )


@router.get("/settings")
def settings_page(request: Request, _ws: Workspace = Depends(_admin_ws)) -> Response:
    return _settings(request)


@router.post("/settings")
def setting_set(
    request: Request,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    key: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
) -> Response:
    return _try(
        request,
        lambda: actions.set_setting(ws, key, value),
        _settings,
        lambda s: _done("/admin/settings", f"{s['key']} = {s['value']}"),
    )


# -- alerts ---------------------------------------------------------------------------------------
def _alerts(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    ws = acting_as(request, request.state.visitor)
    all_ = request.query_params.get("all") == "1"
    return render(
        request,
        "admin/alerts.html",
        {
            "alerts": admin.alerts_inbox(ws, all_=all_),
            "all": all_,
            "error": error,
            "done": request.query_params.get("done"),
        },
        status=status,
    )


@router.get("/alerts")
def alerts_page(request: Request, _ws: Workspace = Depends(_admin_ws)) -> Response:
    return _alerts(request)


@router.post("/alerts/{alert_id}/ack")
def alert_ack(
    request: Request,
    alert_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(_admin_ws),
    note: Annotated[str, Form()] = "",
) -> Response:
    return _try(
        request,
        lambda: admin.acknowledge_alert(ws, alert_id, note=note),
        _alerts,
        lambda a: _done("/admin/alerts", f"提醒 {a['id']} 已处理"),
    )


# -- the audit log ---------------------------------------------------------------------------
@router.get("/audit")
def audit_page(
    request: Request,
    actor: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
    draft: str = "",
    ws: Workspace = Depends(_admin_ws),
) -> Response:
    filters = {"actor": actor, "action": action, "since": since, "until": until, "draft": draft}
    error, events = None, []
    try:
        if draft.strip() and not draft.strip().isdigit():
            from domain.errors import InvalidInput

            raise InvalidInput(f"稿件编号 {draft!r} 应为数字")
        events = admin.audit_search(
            ws,
            actor=actor or None,
            action=action or None,
            since=since or None,
            until=until or None,
            draft=int(draft) if draft.strip() else None,
        )
    except MatrixpubError as exc:
        error = exc.message
    users = [u["name"] for u in actions.list_users(ws)]
    return render(
        request,
        "admin/audit.html",
        {"events": events, "filters": filters, "error": error, "users": users},
        status=400 if error else 200,
    )


# -- the calendar ------------------------------------------------------------------------------
@router.get("/calendar")
def calendar_page(
    request: Request, view: str = "week", day: str = "", ws: Workspace = Depends(_admin_ws)
) -> Response:
    cal = admin.calendar(ws, view=view, day=day or None)
    return render(request, "admin/calendar.html", {"cal": cal})
