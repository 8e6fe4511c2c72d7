"""Write: the draft editor, saving the working copy, and submitting.

One form carries everything the author sets — title, summary, the Markdown body, the
cover and body pictures (uploaded with the form; dropping files on the page puts them
in it), the target accounts or a group, and each channel's own wording. Before the
draft is first submitted, and while it is back with its author, saving changes the
working copy; submitting cuts the version the reviewers read.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from channels.registry import SPECS
from console import actions, reading
from console.i18n import error_text
from console.people import Visitor
from console.web.home import changed
from console.web.pages import render
from console.web.security import acting_as, csrf_checked, visitor
from console.workspace import Workspace
from domain.content import clean_image_name
from domain.errors import InvalidInput, MatrixpubError, Refused
from domain.hashing import sha256_hex
from domain.media import MAX_UPLOAD_BYTES, sniff_image
from domain.permissions import check
from sqlmodel_db import drafts as drafts_db

router = APIRouter()

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def picture_name(filename: str | None, data: bytes, media_type: str) -> str:
    """The name the Markdown refers to a body picture by: the uploaded file's own name
    when it is a plain one (``map.jpg``), else one made from its bytes."""
    name = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    try:
        return clean_image_name(name)
    except InvalidInput:
        stem = _UNSAFE.sub("-", name.rsplit(".", 1)[0]).strip("-._")[:40]
        return f"{stem or 'pic'}-{sha256_hex(data)[:8]}.{_EXTENSIONS.get(media_type, 'bin')}"


async def _upload(file: UploadFile, what: str) -> drafts_db.Upload:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    return drafts_db.Upload(data=data, media_type=sniff_image(data, name=f"{what} {file.filename}"))


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _ints(form: FormData, name: str) -> list[int]:
    out = []
    for value in form.getlist(name):
        if isinstance(value, str) and value.strip():
            try:
                out.append(int(value))
            except ValueError:
                raise InvalidInput(
                    "{name} {value!r} is not a number", name=name, value=value
                ) from None
    return out


async def _read_editor(form: FormData) -> dict[str, Any]:
    """The editor's form as the actions' arguments; pictures read and recognised."""
    cover_file = form.get("cover")
    cover = None
    if isinstance(cover_file, UploadFile) and cover_file.filename:
        cover = await _upload(cover_file, "cover")
    pictures: dict[str, drafts_db.Upload] = {}
    for item in form.getlist("pictures"):
        if isinstance(item, UploadFile) and item.filename:
            upload = await _upload(item, "picture")
            pictures[picture_name(item.filename, upload.data, upload.media_type)] = upload
    wording: dict[str, dict[str, str]] = {}
    for key in SPECS:
        fields = {f: _text(form, f"w.{key}.{f}").strip() for f in ("title", "summary", "body")}
        if any(fields.values()) or f"w.{key}.title" in form:
            wording[key] = fields
    return {
        "title": _text(form, "title"),
        "summary": _text(form, "summary"),
        "body": _text(form, "body"),
        "cover": cover,
        "remove_cover": _text(form, "remove_cover") == "1",
        "pictures": pictures,
        "remove_pictures": [v for v in form.getlist("remove_pictures") if isinstance(v, str)],
        "targets": _ints(form, "targets"),
        "group": _text(form, "group").strip() or None,
        "wording": wording,
        "action": _text(form, "action") or "save",
    }


def _editor_context(ws: Workspace, draft_id: int | None) -> dict[str, Any]:
    accounts = actions.list_accounts(ws, state="active")
    groups = sorted({a["group_name"] for a in accounts if a["group_name"]})
    return {
        "accounts": accounts,
        "groups": groups,
        "specs": SPECS,
        "draft": actions.show_draft(ws, draft_id) if draft_id else None,
    }


@router.get("/drafts")
def draft_list(
    request: Request, state: str | None = None, page: int = 1, ws: Workspace = Depends(acting_as)
) -> Response:
    found = actions.page_of_drafts(ws, state=state or None, page=page)
    return render(request, "drafts.html", {**found, "state": state})


@router.get("/drafts/new")
def new_form(
    request: Request, who: Visitor = Depends(visitor), ws: Workspace = Depends(acting_as)
) -> Response:
    # The same refusal as saving would give, before anything is typed.
    check("draft.new", name=who.name, roles=who.roles)
    return render(
        request,
        "editor.html",
        {**_editor_context(ws, None), "form": None, "error": None, "saved": None},
    )


def _editor_error(
    request: Request,
    ws: Workspace,
    draft_id: int | None,
    form: dict[str, Any] | None,
    exc: MatrixpubError,
) -> Response:
    from console.web.app import status_of

    context = {
        **_editor_context(ws, draft_id),
        "form": form,
        "error": error_text(exc),
        "saved": None,
    }
    return render(request, "editor.html", context, status=status_of(exc))


@router.post("/drafts")
async def create(
    request: Request, _who: Visitor = Depends(csrf_checked), ws: Workspace = Depends(acting_as)
) -> Response:
    form = await _read_editor(await request.form())
    try:
        created = await run_in_threadpool(
            lambda: actions.create_draft(
                ws,
                title=form["title"],
                body=actions.clean_text_body(form["body"]),
                summary=form["summary"] or None,
                cover=form["cover"],
                targets=form["targets"],
                group=form["group"],
                images=form["pictures"],
                wording=form["wording"],
            )
        )
    except InvalidInput as exc:  # shown in the editor, with what was typed kept
        return await run_in_threadpool(_editor_error, request, ws, None, _echo(form), exc)
    changed(request)
    return await _saved(request, ws, int(created["id"]), form, unchanged=False)


async def _saved(
    request: Request, ws: Workspace, draft_id: int, form: dict[str, Any], *, unchanged: bool
) -> Response:
    """After a save: submit when asked. The words are kept in the working copy either way,
    so a refused submission (no target yet, say) shows the editor with the reason."""
    if form["action"] == "submit":
        try:
            await run_in_threadpool(actions.submit_draft, ws, draft_id)
        except MatrixpubError as exc:
            return await run_in_threadpool(_editor_error, request, ws, draft_id, None, exc)
        changed(request)
        return RedirectResponse(f"/drafts/{draft_id}", status_code=303)
    return RedirectResponse(
        f"/drafts/{draft_id}/edit?saved={0 if unchanged else 1}", status_code=303
    )


def _echo(form: dict[str, Any]) -> dict[str, Any]:
    """What the person typed, to show again with the error (files must be chosen again)."""
    return {k: v for k, v in form.items() if k not in ("cover", "pictures")}


@router.get("/drafts/{draft_id}/edit")
def edit_form(
    request: Request, draft_id: int, saved: int | None = None, ws: Workspace = Depends(acting_as)
) -> Response:
    context = _editor_context(ws, draft_id)
    draft = context["draft"]
    if draft["author_id"] != ws.user_id:
        return RedirectResponse(f"/drafts/{draft_id}", status_code=303)
    if draft["state"] == "withdrawn":
        raise Refused("the draft is withdrawn and can no longer be edited")
    return render(request, "editor.html", {**context, "form": None, "error": None, "saved": saved})


@router.post("/drafts/{draft_id}/edit")
async def save(
    request: Request,
    draft_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
) -> Response:
    form = await _read_editor(await request.form())
    keep = drafts_db.KEEP

    def work() -> bool:
        cover: Any = form["cover"] if form["cover"] else (None if form["remove_cover"] else keep)
        try:
            actions.change_draft(
                ws,
                draft_id,
                title=form["title"],
                body=form["body"],
                summary=form["summary"] or None,
                cover=cover,
                targets=form["targets"],
                group=form["group"],
                wording=form["wording"],
                images=form["pictures"],
                remove_images=form["remove_pictures"],
            )
        except InvalidInput as exc:
            if not exc.message.startswith("nothing to change"):
                raise
            return True
        return False

    try:
        unchanged = await run_in_threadpool(work)
    except InvalidInput as exc:  # shown in the editor, with what was typed kept
        return await run_in_threadpool(_editor_error, request, ws, draft_id, _echo(form), exc)
    if not unchanged:
        changed(request)
    return await _saved(request, ws, draft_id, form, unchanged=unchanged)


@router.post("/drafts/{draft_id}/submit")
def submit(
    request: Request,
    draft_id: int,
    _who: Visitor = Depends(csrf_checked),
    ws: Workspace = Depends(acting_as),
) -> Response:
    actions.submit_draft(ws, draft_id)
    changed(request)
    return RedirectResponse(f"/drafts/{draft_id}", status_code=303)


@router.post("/drafts/live")
async def live(
    request: Request, _who: Visitor = Depends(csrf_checked), ws: Workspace = Depends(acting_as)
) -> Response:
    """The editor's live panel: 错敏 findings and each channel's limits as the author
    types. Nothing is stored."""
    form = await request.form()
    wording = {
        key: {f: _text(form, f"w.{key}.{f}") for f in ("title", "summary", "body")}
        for key in SPECS
        if f"w.{key}.title" in form
    }
    draft_id = _text(form, "draft_id")
    result = await run_in_threadpool(
        lambda: reading.live_check(
            ws,
            title=_text(form, "title"),
            summary=_text(form, "summary"),
            body=_text(form, "body"),
            targets=_ints(form, "targets"),
            group=_text(form, "group").strip() or None,
            overrides=wording,
            draft_id=int(draft_id) if draft_id.isdigit() else None,
            has_cover=_text(form, "pending_cover") == "1",
        )
    )
    if draft_id.isdigit() and result["body_html"]:
        pictures = await run_in_threadpool(
            lambda: actions.show_draft(ws, int(draft_id))["current_version"]["images"]
        )
        result["body_html"] = _IMG_SRC.sub(
            lambda m: (
                m.group(1)
                + (
                    f"/drafts/{draft_id}/pictures/{pictures[m.group(2)]}"
                    if m.group(2) in pictures
                    else m.group(2)
                )
                + m.group(3)
            ),
            result["body_html"],
        )
    return render(request, "_live.html", {"live": result, "draft_id": draft_id})


_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')


@router.get("/drafts/{draft_id}/pictures/{sha256}")
def picture(draft_id: int, sha256: str, ws: Workspace = Depends(acting_as)) -> Response:
    data, media_type = reading.draft_picture(ws, draft_id, sha256)
    return Response(
        data, media_type=media_type, headers={"Cache-Control": "private, max-age=86400"}
    )
