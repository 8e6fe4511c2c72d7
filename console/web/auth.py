"""Logging in and out, and changing one's own password."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from console import people
from console.i18n import LANGUAGE_COOKIE, _, error_text, normalise
from console.people import Visitor
from console.web.pages import render
from console.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    acting_as,
    clear_cookie,
    client_of,
    csrf_checked,
    login_csrf_checked,
    new_login_token,
    optional_visitor,
    set_cookie,
    workspace,
)
from console.workspace import Workspace
from domain.errors import MatrixpubError

router = APIRouter()


def _next(value: str | None) -> str:
    """Only a path on this site, never another host."""
    if not value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    return value


def _login_page(
    request: Request, *, error: str | None = None, name: str = "", status: int = 200
) -> Response:
    token = new_login_token()
    response = render(
        request,
        "login.html",
        {
            "csrf_token": token,
            "error": error,
            "name": name,
            "next": _next(request.query_params.get("next")),
        },
        status=status,
    )
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token)
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    if optional_visitor(request) is not None:
        return RedirectResponse("/", status_code=303)
    return _login_page(request)


@router.post("/login", dependencies=[Depends(login_csrf_checked)])
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        done = people.log_in(
            workspace(request), name=username, password=password, client=client_of(request)
        )
    except MatrixpubError as exc:
        return _login_page(request, error=error_text(exc), name=username, status=401)
    response = RedirectResponse(_next(next), status_code=303)
    set_cookie(response, request, SESSION_COOKIE, done.token)
    clear_cookie(response, request, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, _who: Visitor = Depends(csrf_checked)) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        people.log_out(workspace(request), token)
    response = RedirectResponse("/login", status_code=303)
    clear_cookie(response, request, SESSION_COOKIE)
    return response


@router.post("/me/language")
def choose_language(
    request: Request,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    language: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/",
) -> Response:
    """The language the console speaks to this person, on record: it holds on every device
    they log in from. This browser's login page keeps it too (a cookie)."""
    chosen = people.set_language(ws, language)
    response = RedirectResponse(_next(back), status_code=303)
    set_cookie(response, request, LANGUAGE_COOKIE, chosen)
    return response


@router.post("/language", dependencies=[Depends(login_csrf_checked)])
def choose_login_language(
    request: Request,
    language: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Before logging in: the language of this browser's login page (a cookie)."""
    chosen = normalise(language)
    response = RedirectResponse(f"/login?next={quote(_next(next))}", status_code=303)
    if chosen:
        set_cookie(response, request, LANGUAGE_COOKIE, chosen)
    return response


@router.get("/me/password")
def password_form(request: Request, _ws: Workspace = Depends(acting_as)) -> Response:
    return render(request, "password.html", {"error": None, "done": False})


@router.post("/me/password")
def change_password(
    request: Request,
    who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    password: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
) -> Response:
    if password != again:
        return render(
            request,
            "password.html",
            {"error": _("The two passwords differ"), "done": False},
            status=400,
        )
    try:
        people.set_password(ws, who.name, password=password)
    except MatrixpubError as exc:
        return render(
            request, "password.html", {"error": error_text(exc), "done": False}, status=400
        )
    # Every session of this person ended with the change, this one too: log in again.
    response = RedirectResponse("/login?changed=1", status_code=303)
    clear_cookie(response, request, SESSION_COOKIE)
    return response
