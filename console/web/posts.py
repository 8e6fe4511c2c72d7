"""Posts: each one's state and time; manual packages to download and confirm; unknown
posts to resolve; failed ones to retry or cancel — each allowed to the same people as in
the CLI, through the same actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from console import actions, reading
from console.i18n import _, error_text
from console.people import Visitor
from console.web.home import changed
from console.web.pages import render
from console.web.security import acting_as, csrf_checked
from console.workspace import Workspace
from domain.errors import InvalidInput, MatrixpubError

router = APIRouter()


def _back(request: Request, post_id: int, fallback: str = "/posts") -> str:
    target = request.headers.get("referer") or ""
    path = target.split("://", 1)[-1].split("/", 1)[-1] if "://" in target else ""
    return f"/{path}#post-{post_id}" if path else f"{fallback}#post-{post_id}"


@router.get("/posts")
def post_list(
    request: Request, state: str | None = None, page: int = 1, ws: Workspace = Depends(acting_as)
) -> Response:
    found = actions.page_of_posts(ws, state=state or None, page=page)
    return render(request, "posts.html", {**found, "state": state, "error": None})


def _act(request: Request, ws: Workspace, post_id: int, work) -> Response:  # type: ignore[no-untyped-def]
    try:
        work()
    except MatrixpubError as exc:
        from console.web.app import status_of

        found = actions.page_of_posts(ws)
        return render(
            request,
            "posts.html",
            {
                **found,
                "state": None,
                "error": _("Post {id}: {problem}", id=post_id, problem=error_text(exc)),
            },
            status=status_of(exc),
        )
    changed(request)
    return RedirectResponse(_back(request, post_id), status_code=303)


@router.post("/posts/{post_id}/confirm")
def confirm(
    request: Request,
    post_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    url: Annotated[str, Form()] = "",
) -> Response:
    return _act(request, ws, post_id, lambda: actions.confirm_post(ws, post_id, url=url.strip()))


@router.post("/posts/{post_id}/cancel")
def cancel(
    request: Request,
    post_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    reason: Annotated[str, Form()] = "",
) -> Response:
    def work() -> None:
        if not reason.strip():
            raise InvalidInput("a reason is required")
        actions.cancel_post(ws, post_id, reason=reason.strip())

    return _act(request, ws, post_id, work)


@router.post("/posts/{post_id}/retry")
def retry(
    request: Request,
    post_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
) -> Response:
    return _act(request, ws, post_id, lambda: actions.retry_post(ws, post_id))


@router.post("/posts/{post_id}/resolve")
def resolve(
    request: Request,
    post_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
    outcome: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
) -> Response:
    def work() -> None:
        if outcome == "published":
            actions.resolve_post(ws, post_id, published=url.strip(), not_published=False)
        elif outcome == "not_published":
            actions.resolve_post(ws, post_id, published=None, not_published=True)
        else:
            raise InvalidInput("say whether it was published")

    return _act(request, ws, post_id, work)


@router.get("/posts/{post_id}/package.zip")
def package(post_id: int, ws: Workspace = Depends(acting_as)) -> Response:
    name, data = reading.package_zip(ws, post_id)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
