"""The JSON API under ``/api/v1``, for an organisation's own systems.

Authenticated with a person's token (the one ``matrixpub user add`` printed) as a Bearer
token; every call acts as that person under the same rules as the CLI and the pages, and
answers with the same JSON the CLI prints with ``--json``. A refused call answers 4xx
with ``{"error": "..."}`` holding the CLI's message. No cookies are read here, so no
CSRF token is needed. The OpenAPI document is at ``/api/v1/openapi.json``.
"""

import base64
import binascii
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from console import actions, people, reading
from console.i18n import N_, _, error_text, use_language
from console.workspace import Workspace
from domain.errors import InvalidInput, MatrixpubError, Refused
from domain.gates import Verdict
from domain.media import sniff_image
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db.users import user_by_token

bearer = HTTPBearer(auto_error=False, description="A personal token: mpt_…")
Json = dict[str, Any]


class Wording(BaseModel):
    title: str | None = None
    summary: str | None = None
    body: str | None = None


class DraftIn(BaseModel):
    title: str = Field(description="One line, at most 200 characters.")
    body: str = Field(description="Markdown. Body pictures are referred to as ![说明](name.jpg).")
    summary: str | None = None
    targets: list[int] = Field(default_factory=list, description="Account ids.")
    group: str | None = Field(default=None, description="Every open account of this group.")
    cover_base64: str | None = Field(default=None, description="The cover picture, base64.")
    pictures_base64: dict[str, str] = Field(
        default_factory=dict, description="Body pictures by the name the Markdown uses, base64."
    )
    wording: dict[str, Wording] = Field(
        default_factory=dict, description="A channel's own wording, by channel key."
    )
    submit: bool = Field(default=False, description="Submit for review at once.")


class DraftPatch(BaseModel):
    title: str | None = None
    body: str | None = None
    summary: str | None = None
    targets: list[int] | None = None
    group: str | None = None
    cover_base64: str | None = None
    pictures_base64: dict[str, str] = Field(default_factory=dict)
    remove_pictures: list[str] = Field(default_factory=list)
    wording: dict[str, Wording] | None = None


class DecisionIn(BaseModel):
    verdict: Verdict
    opinion: str
    version: int = Field(description="The version you read.")
    gate: str = Field(description="The gate you decide, e.g. review_2 or 复审.")


class EscalationIn(BaseModel):
    check: str = Field(description="保密审查 (check_secrecy) or 网信 (check_netinfo).")
    opinion: str
    version: int = Field(description="The version you read.")
    gate: str = Field(description="The gate the draft waits at, which you may decide.")


class ConfirmIn(BaseModel):
    url: str


class CancelIn(BaseModel):
    reason: str


class ResolveIn(BaseModel):
    published_url: str | None = None
    not_published: bool = False


def _picture(text: str, what: str) -> drafts_db.Upload:
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("{what} is not valid base64", what=what) from None
    return drafts_db.Upload(data=data, media_type=sniff_image(data, name=what))


def _language(request: Request) -> str | None:
    """The token owner's language, once the token was read (else the default)."""
    return getattr(request.state, "language", None)


def acting(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Workspace:
    """The workspace acting as the token's owner, or 401."""
    base: Workspace = request.app.state.workspace
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, N_("a personal token is required: Authorization: Bearer mpt_…"))
    base.require_initialised()
    with base.session() as session:
        try:
            user = user_by_token(session=session, token=credentials.credentials)
        except Refused:
            raise HTTPException(401, N_("the token is not valid")) from None
    # Error texts follow the token owner's language (keys stay English identifiers).
    request.state.language = user.language
    return base.as_user(user.id or 0)


Acting = Annotated[Workspace, Depends(acting)]


def create_api(base: Workspace) -> FastAPI:
    api = FastAPI(
        title="matrixpub API",
        version="1",
        description=__doc__,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    api.state.workspace = base

    @api.exception_handler(MatrixpubError)
    def refused(request: Request, exc: MatrixpubError) -> JSONResponse:
        from console.web.app import status_of

        with use_language(_language(request)):
            return JSONResponse({"error": error_text(exc)}, status_code=status_of(exc))

    @api.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        with use_language(_language(request)):
            detail = _(exc.detail) if isinstance(exc.detail, str) else exc.detail
        return JSONResponse(
            {"error": detail},
            status_code=exc.status_code,
            headers={"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None,
        )

    @api.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        from console.web.app import _problem

        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "body"
        with use_language(_language(request)):
            # The field's name stays the identifier a program sends; the rest is words.
            message = _("{field}: {problem}", field=where, problem=_problem(first))
        return JSONResponse({"error": message}, status_code=400)

    @api.get("/me", summary="Who the token belongs to")
    def me(ws: Acting) -> Json:
        return actions.whoami(ws)

    @api.get("/work", summary="What waits for this person (我的待办)")
    def work(ws: Acting) -> Json:
        return people.my_work(ws)

    @api.get("/drafts", summary="Drafts, optionally by state")
    def drafts(ws: Acting, state: str | None = None) -> list[Json]:
        return actions.list_drafts(ws, state=state)

    @api.post("/drafts", status_code=201, summary="Write a draft (and submit it)")
    def create_draft(ws: Acting, given: DraftIn) -> Json:
        view = actions.create_draft(
            ws,
            title=given.title,
            body=actions.clean_text_body(given.body),
            summary=given.summary,
            cover=_picture(given.cover_base64, "cover") if given.cover_base64 else None,
            targets=given.targets,
            group=given.group,
            images={n: _picture(t, f"picture {n}") for n, t in given.pictures_base64.items()},
        )
        draft_id = int(view["id"])
        if given.wording:
            view = actions.change_draft(
                ws, draft_id, wording={k: w.model_dump() for k, w in given.wording.items()}
            )
        if given.submit:
            view = actions.submit_draft(ws, draft_id)
        return view

    @api.get("/drafts/{draft_id}", summary="A draft with its versions, decisions and posts")
    def draft(ws: Acting, draft_id: int) -> Json:
        return actions.show_draft(ws, draft_id)

    @api.patch("/drafts/{draft_id}", summary="Change a draft (its working copy, or a new version)")
    def change(ws: Acting, draft_id: int, given: DraftPatch) -> Json:
        keep = drafts_db.KEEP
        return actions.change_draft(
            ws,
            draft_id,
            title=given.title if given.title is not None else keep,
            body=given.body if given.body is not None else keep,
            summary=given.summary if given.summary is not None else keep,
            cover=_picture(given.cover_base64, "cover") if given.cover_base64 else keep,
            targets=given.targets,
            group=given.group,
            wording={k: w.model_dump() for k, w in given.wording.items()}
            if given.wording is not None
            else None,
            images={n: _picture(t, f"picture {n}") for n, t in given.pictures_base64.items()},
            remove_images=given.remove_pictures,
        )

    @api.post("/drafts/{draft_id}/submit", summary="Submit for review")
    def submit(ws: Acting, draft_id: int) -> Json:
        return actions.submit_draft(ws, draft_id)

    @api.post("/drafts/{draft_id}/decision", summary="Decide the gate the draft waits at")
    def decide(ws: Acting, draft_id: int, given: DecisionIn) -> Json:
        return actions.decide(
            ws,
            draft_id,
            verdict=given.verdict,
            opinion=given.opinion,
            version=given.version,
            gate=given.gate,
        )

    @api.post("/drafts/{draft_id}/escalate", summary="Send the draft to an extra check first")
    def escalate(ws: Acting, draft_id: int, given: EscalationIn) -> Json:
        return actions.escalate(
            ws,
            draft_id,
            check=given.check,
            opinion=given.opinion,
            version=given.version,
            gate=given.gate,
        )

    @api.get("/drafts/{draft_id}/diff", summary="What changed between two versions")
    def diff(ws: Acting, draft_id: int, old: int | None = None, new: int | None = None) -> Json:
        return reading.diff_versions(ws, draft_id, old=old, new=new)

    @api.get("/posts", summary="Posts, optionally by draft or state")
    def posts(ws: Acting, draft_id: int | None = None, state: str | None = None) -> list[Json]:
        return actions.list_posts(ws, draft_id=draft_id, state=state)

    @api.post("/posts/{post_id}/confirm", summary="Record the live URL of a manual post")
    def confirm(ws: Acting, post_id: int, given: ConfirmIn) -> Json:
        return actions.confirm_post(ws, post_id, url=given.url)

    @api.post("/posts/{post_id}/cancel", summary="Cancel a queued post")
    def cancel(ws: Acting, post_id: int, given: CancelIn) -> Json:
        return actions.cancel_post(ws, post_id, reason=given.reason)

    @api.post("/posts/{post_id}/retry", summary="Try a failed post again")
    def retry(ws: Acting, post_id: int) -> Json:
        return actions.retry_post(ws, post_id)

    @api.post("/posts/{post_id}/resolve", summary="Settle a post whose outcome is unknown")
    def resolve(ws: Acting, post_id: int, given: ResolveIn) -> Json:
        return actions.resolve_post(
            ws, post_id, published=given.published_url, not_published=given.not_published
        )

    @api.get("/accounts", summary="The account registry")
    def accounts(
        ws: Acting, platform: str | None = None, state: str | None = None, group: str | None = None
    ) -> list[Json]:
        return actions.list_accounts(ws, platform=platform, state=state, group=group)

    @api.get("/accounts/{account_id}", summary="One account with its events")
    def account(ws: Acting, account_id: int) -> Json:
        return actions.show_account(ws, account_id)

    return api
