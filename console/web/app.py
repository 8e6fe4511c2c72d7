"""The console application: routers, static files, and how errors reach people.

A refused action answers 4xx with the same message the CLI prints (403 for a rule, 409
when the draft changed or moved on, 400 for bad input, 404 for something missing); an
unexpected error answers 500 with a short note, its details in the log file, never a
traceback on the page.
"""

from __future__ import annotations

import logging
import time
import traceback
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from console.i18n import LANGUAGE_COOKIE, N_, _, error_text, use_language
from console.web import accounts, admin, api, auth, drafts, home, posts, reports, review
from console.web.flows import FlowStarter
from console.web.home import Changes
from console.web.pages import render
from console.web.security import LoginRequired, optional_visitor
from console.workspace import Workspace
from domain.errors import InvalidInput, MatrixpubError, NotFound, Refused, Stale

STATIC = Path(__file__).resolve().parent / "static"
# The console's own pages: scripts only from the console itself (no inline script), frames
# only of its own previews, never framed by another site.
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' blob: data:; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
log = logging.getLogger("matrixpub.web")


def status_of(exc: MatrixpubError) -> int:
    if isinstance(exc, InvalidInput):
        return 400
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Stale):
        return 409
    if isinstance(exc, Refused):
        return 403
    return 409


def language_of(request: Request) -> str | None:
    """The language of a page: the logged-in person's choice on record, which holds on every
    device; before logging in (or until they choose) this browser's cookie."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if request.url.path.startswith(("/static/", "/api/")):
        return chosen  # the API speaks its token owner's language (console.web.api)
    try:
        who = optional_visitor(request)
    except MatrixpubError:
        return chosen  # not initialised yet: the page that says so is shown in any case
    return (who.language if who else None) or chosen


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(workspace: Workspace, *, flows: FlowStarter | None = None) -> FastAPI:
    """The console for one matrixpub home (its settings and database)."""
    app = FastAPI(
        title="matrixpub 控制台",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # the JSON API documents itself under /api/v1
    )
    starter = flows or FlowStarter(workspace.settings)
    workspace.trigger = starter
    app.state.workspace = workspace
    app.state.flows = starter
    app.state.changes = Changes()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, home, drafts, review, posts, accounts, reports, admin):
        app.include_router(module.router)
    app.mount("/api/v1", api.create_api(workspace))

    @app.middleware("http")
    async def headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        with use_language(await run_in_threadpool(language_of, request)):
            response = await call_next(request)
        # How long the console took, for the browser's developer tools and the benchmark.
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        response.headers.setdefault("Content-Security-Policy", CONSOLE_CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        if request.method != "GET":
            return render(
                request,
                "error.html",
                {"message": _("Please log in first"), "code": 401},
                status=401,
            )
        return RedirectResponse(f"/login?next={_safe_next(target)}", status_code=303)

    @app.exception_handler(MatrixpubError)
    def refused(request: Request, exc: MatrixpubError) -> Response:
        code = status_of(exc)
        if request.headers.get("HX-Request"):
            return render(request, "_error.html", {"message": error_text(exc)}, status=code)
        return render(
            request, "error.html", {"message": error_text(exc), "code": code}, status=code
        )

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else _("The request is not valid")
        if exc.status_code == 404 and message == "Not Found":
            message = _("There is no such page")
        elif exc.status_code == 405 and message == "Method Not Allowed":
            message = _("This address does not take that kind of request")
        if request.headers.get("HX-Request"):
            return render(request, "_error.html", {"message": message}, status=exc.status_code)
        return render(
            request, "error.html", {"message": message, "code": exc.status_code},
            status=exc.status_code,
        )  # fmt: skip

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or _("the request")
        message = _("{field}: {problem}", field=where, problem=_problem(first))
        return render(request, "error.html", {"message": message, "code": 400}, status=400)

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> Response:
        path = _log_exception(workspace, request, exc)
        message = _(
            "An unexpected error ({kind}); the details are in {path}",
            kind=type(exc).__name__,
            path=path,
        )
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=500)
        return render(request, "error.html", {"message": message, "code": 500}, status=500)

    return app


# What pydantic says of a form field, by its error type, in the person's language.
PROBLEMS = {
    "missing": N_("required"),
    "int_parsing": N_("not a whole number"),
    "float_parsing": N_("not a number"),
    "bool_parsing": N_("not yes or no"),
    "string_too_long": N_("too long"),
    "string_too_short": N_("too short"),
    "enum": N_("not one of the choices"),
    "literal_error": N_("not one of the choices"),
    "json_invalid": N_("not valid JSON"),
}


def _problem(error: dict[str, object]) -> str:
    kind = str(error.get("type", ""))
    return _(PROBLEMS[kind]) if kind in PROBLEMS else str(error.get("msg", _("not valid")))


def _safe_next(target: str) -> str:
    from urllib.parse import quote

    return quote(target if target.startswith("/") and not target.startswith("//") else "/")


def _log_exception(workspace: Workspace, request: Request, exc: BaseException) -> Path:
    path = workspace.settings.log_dir / "matrixpub.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(
                f"--- {datetime.now().isoformat()} web {request.method} {request.url.path}\n"
            )
            handle.write("".join(traceback.format_exception(exc)))
    except OSError:
        log.exception("could not write the log")
    return path
