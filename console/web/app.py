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

from console.i18n import LANGUAGE_COOKIE, error_text, use_language
from console.web import accounts, admin, api, auth, drafts, home, posts, reports, review
from console.web.flows import FlowStarter
from console.web.home import Changes
from console.web.pages import render
from console.web.security import LoginRequired
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
        with use_language(request.cookies.get(LANGUAGE_COOKIE)):
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
            return render(request, "error.html", {"message": "请先登录", "code": 401}, status=401)
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
        message = exc.detail if isinstance(exc.detail, str) else "请求无效"
        if exc.status_code == 404 and message == "Not Found":
            message = "页面不存在"
        if request.headers.get("HX-Request"):
            return render(request, "_error.html", {"message": message}, status=exc.status_code)
        return render(
            request, "error.html", {"message": message, "code": exc.status_code},
            status=exc.status_code,
        )  # fmt: skip

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "请求"
        message = f"{where}：{first.get('msg', '无效')}"
        return render(request, "error.html", {"message": message, "code": 400}, status=400)

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> Response:
        path = _log_exception(workspace, request, exc)
        message = f"出现意外错误（{type(exc).__name__}），详情已记入 {path}"
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=500)
        return render(request, "error.html", {"message": message, "code": 500}, status=500)

    return app


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
