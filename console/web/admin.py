"""The admin pages: users, word lists, freezes, settings, the alerts inbox, the audit log
and the calendar. Admins only; every change is a form with the session's CSRF token, and
goes through the same functions as the CLI (console.actions, console.people,
console.admin), so the same rules refuse the same things."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from console import actions, admin, people
from console.i18n import N_, _, error_text, role_label, setting_help
from console.people import Visitor
from console.web.pages import render
from console.web.security import acting_as, csrf_checked
from console.workspace import Workspace
from domain.errors import MatrixpubError
from domain.roles import Role

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

        return page(request, error=error_text(exc), status=status_of(exc))
    return success(result)


def _admin_page(
    path: str, template: str, context: Callable[[Request, Workspace], dict[str, Any]]
) -> Callable[..., Response]:
    """An admin page at ``path`` (GET) that its forms post back to: its own ``context``, the
    error of a refused change (shown with its status), and the ``done`` line of the change
    before. Returns the page, for the form routes to show again."""

    def page(
        request: Request, *, error: str | None = None, status: int = 200, **extra: Any
    ) -> Response:
        ws = acting_as(request, request.state.visitor)
        return render(
            request,
            template,
            {
                **context(request, ws),
                **extra,
                "error": error,
                "done": request.query_params.get("done"),
            },
            status=status,
        )

    def show(request: Request, _ws: Workspace = Depends(_admin_ws)) -> Response:
        return page(request)

    router.add_api_route(path, show, methods=["GET"], name=template)
    return page


# -- index --------------------------------------------------------------------------------
@router.get("")
def index(request: Request, ws: Workspace = Depends(_admin_ws)) -> Response:
    return render(request, "admin/index.html")


# -- users ----------------------------------------------------------------------------------
_users = _admin_page(
    "/users",
    "admin/users.html",
    lambda _request, ws: {
        "users": actions.list_users(ws),
        "roles": [(r.value, role_label(r.value)) for r in Role],
        "made": None,  # a new user's token, shown this once
    },
)


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
        lambda _u: _done(
            "/admin/users",
            _("{name} is active again", name=name) if on else _("{name} deactivated", name=name),
        ),
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
        lambda u: _done(
            "/admin/users",
            _(
                "{name}'s roles are now {roles}",
                name=name,
                roles=_(", ").join(role_label(r) for r in u["roles"]),
            ),
        ),
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
        lambda _u: _done(
            "/admin/users",
            _("{name}'s password was reset; all their logins have ended", name=name),
        ),
    )


# -- word lists -------------------------------------------------------------------------------
LEXICON_PAGE = 200  # entries shown at a time


def _whole(text: str | None) -> int:
    """A page number from a query string; anything else is page 1."""
    return int(text) if text and text.isdigit() and len(text) < 7 else 1


def _lexicon_context(request: Request, ws: Workspace) -> dict[str, Any]:
    category = request.query_params.get("category") or None
    lists = actions.list_lexicons(ws)
    shown = next((x for x in lists if x["category"] == category), None) if category else None
    # A list holds up to tens of thousands of entries: searched, and shown a page at a time.
    q = " ".join((request.query_params.get("q") or "").split())
    entries = shown["entries"] if shown else []
    if q:
        entries = [e for e in entries if q in e["term"] or q in (e["suggest"] or "")]
    pages = max(1, -(-len(entries) // LEXICON_PAGE))
    page = min(_whole(request.query_params.get("page")), pages)
    return {
        "lists": lists,
        "category": category,
        "shown": shown,
        "q": q,
        "matching": len(entries),
        "first": (page - 1) * LEXICON_PAGE + 1,
        "entries": entries[(page - 1) * LEXICON_PAGE : page * LEXICON_PAGE],
        "page": page,
        "pages": pages,
        "page_query": urlencode({"category": category or "", "q": q}),
    }


_lexicon = _admin_page("/lexicon", "admin/lexicon.html", _lexicon_context)


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
            _(
                "Added {term} ({category} version {version})",
                term=term,
                category=r["category"],
                version=r["version"],
            ),
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
        lambda r: _done("/admin/lexicon?category=allow", _("{term} is allowed", term=r["term"])),
    )


# -- freezes ------------------------------------------------------------------------------------
_freezes = _admin_page(
    "/freezes",
    "admin/freezes.html",
    lambda _request, ws: {"freezes": actions.list_freezes(ws, all_=True)},
)


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
        lambda f: _done("/admin/freezes", _("Freeze {id} set", id=f["id"])),
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
        lambda f: _done("/admin/freezes", _("Freeze {id} lifted", id=f["id"])),
    )


# -- settings ------------------------------------------------------------------------------------
def _settings_context(_request: Request, ws: Workspace) -> dict[str, Any]:
    shown = actions.show_settings(ws)
    return {"settings": [{**s, "help": setting_help(s["key"], s["help"])} for s in shown]}


_settings = _admin_page("/settings", "admin/settings.html", _settings_context)


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
def _alerts_context(request: Request, ws: Workspace) -> dict[str, Any]:
    all_ = request.query_params.get("all") == "1"
    return {"alerts": admin.alerts_inbox(ws, all_=all_), "all": all_}


_alerts = _admin_page("/alerts", "admin/alerts.html", _alerts_context)


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
        lambda a: _done("/admin/alerts", _("Alert {id} handled", id=a["id"])),
    )


# -- the audit log ---------------------------------------------------------------------------
# The filter's choices: what an event is about, by the prefix of its action.
AUDIT_GROUPS = [
    ("", N_("Every operation")),
    ("draft.", N_("Drafts")),
    ("gate.", N_("Gate decisions")),
    ("finding.", N_("Check overrides")),
    ("post.", N_("Posts")),
    ("account.", N_("Accounts")),
    ("user.", N_("People")),
    ("alert.", N_("Alerts")),
    ("lexicon.", N_("Word lists")),
    ("freeze.", N_("Freezes")),
    ("settings.", N_("Settings")),
]


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

            raise InvalidInput("the draft number {draft!r} should be a number", draft=draft)
        events = admin.audit_search(
            ws,
            actor=actor or None,
            action=action or None,
            since=since or None,
            until=until or None,
            draft=int(draft) if draft.strip() else None,
        )
    except MatrixpubError as exc:
        error = error_text(exc)
    users = [u["name"] for u in actions.list_users(ws)]
    return render(
        request,
        "admin/audit.html",
        {
            "events": events,
            "filters": filters,
            "error": error,
            "users": users,
            "action_groups": [(prefix, _(label)) for prefix, label in AUDIT_GROUPS],
        },
        status=400 if error else 200,
    )


# -- the calendar ------------------------------------------------------------------------------
@router.get("/calendar")
def calendar_page(
    request: Request, view: str = "week", day: str = "", ws: Workspace = Depends(_admin_ws)
) -> Response:
    cal = admin.calendar(ws, view=view, day=day or None)
    return render(request, "admin/calendar.html", {"cal": cal})
