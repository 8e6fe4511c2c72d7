"""Who is asking, and whether a state change really comes from our own page.

- The session cookie (``mp_session``) holds a random token; the session lives in the
  database (:mod:`sqlmodel_db.web_sessions`). It is HttpOnly, SameSite=Lax, and Secure
  when the console is reached over https.
- Every state-changing request carries a CSRF token: the session's own token, in a form
  field ``csrf_token`` or the ``X-CSRF-Token`` header (htmx sends it from the page).
  Before logging in there is no session, so the login form uses a double-submit token:
  a random ``mp_csrf`` cookie that the form must repeat.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Depends, HTTPException, Request, Response

from console import people
from console.i18n import _
from console.people import Visitor
from console.workspace import Workspace

SESSION_COOKIE = "mp_session"
LOGIN_CSRF_COOKIE = "mp_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """A page needs a logged-in person; the app answers with a redirect to /login."""


def workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=is_https(request))


def optional_visitor(request: Request) -> Visitor | None:
    cached = getattr(request.state, "visitor", False)
    if cached is not False:
        return cached
    found = people.visitor(workspace(request), request.cookies.get(SESSION_COOKIE))
    request.state.visitor = found
    return found


def visitor(request: Request) -> Visitor:
    """The logged-in person, or a redirect to the login page."""
    found = optional_visitor(request)
    if found is None:
        raise LoginRequired
    return found


def acting_as(request: Request, who: Visitor = Depends(visitor)) -> Workspace:
    """The workspace acting as the logged-in person."""
    return workspace(request).as_user(who.user_id)


async def _submitted_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


async def csrf_checked(request: Request, who: Visitor = Depends(visitor)) -> Visitor:
    """A state change by the logged-in person, with their session's CSRF token."""
    if not _same(await _submitted_token(request), who.csrf_token):
        raise HTTPException(
            status_code=403,
            detail=_("The request lacks a valid CSRF token: reload the page and try again"),
        )
    return who


async def login_csrf_checked(request: Request) -> None:
    """The login form: its token must repeat the ``mp_csrf`` cookie."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not _same(await _submitted_token(request), cookie):
        raise HTTPException(
            status_code=403, detail=_("The login form has expired: reload the page and try again")
        )


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def client_of(request: Request) -> str:
    host = request.client.host if request.client else "?"
    agent = request.headers.get("user-agent", "")[:200]
    return f"{host} {agent}".strip()
