"""What people do, as functions: each checks, records and triggers the automatic work
that follows. The CLI and the web console are thin faces over these."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console import views
from console.startup import Later
from console.workspace import Workspace
from domain import credentials
from domain.accounts import parse_platform
from domain.content import MAX_BODY_BYTES, clean_body, parse_focus
from domain.errors import InvalidInput, NotFound, Refused
from domain.gates import Verdict
from domain.media import MAX_UPLOAD_BYTES, sniff_image
from domain.permissions import BY_ACTION
from flows import hooks
from flows.trigger import Triggered, run_flow
from sqlmodel_db import accounts as accounts_db
from sqlmodel_db import audit, org_settings
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db import proofread as proofread_db
from sqlmodel_db import users as users_db
from sqlmodel_db.migrate import upgrade

if TYPE_CHECKING:
    from sqlmodel_db import posts as posts_db
    from sqlmodel_db import schedule as schedule_db
else:
    # The posts and the schedule, with the delivery and scheduling rules they bring
    # (about a twentieth of a gate decision's time), load when an action first uses them.
    posts_db = Later("sqlmodel_db.posts")
    schedule_db = Later("sqlmodel_db.schedule")

Status = Callable[[str], None] | None


# -- files ---------------------------------------------------------------------------------
MAX_CHECK_BYTES = 20_000_000  # `matrixpub check` of any text file
MAX_LEXICON_BYTES = 5_000_000


def _unreadable(what: str, path: Path, exc: OSError) -> InvalidInput:
    return InvalidInput(
        "{what} {path} cannot be read: {reason}", what=what, path=path, reason=exc.strerror or exc
    )


def read_file(path: Path | str, *, what: str, limit: int) -> bytes:
    """The bytes of a file a person named, at most ``limit`` of them. The size is looked at
    before reading and the read is bounded, so a huge file is refused without being read;
    a folder, a missing or an unreadable file is one clear line."""
    import stat as stat_mod

    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput("{what} {path} does not exist", what=what, path=path) from None
    except OSError as exc:
        raise _unreadable(what, path, exc) from None
    if stat_mod.S_ISDIR(info.st_mode):
        raise InvalidInput("{what} {path} is a folder, not a file", what=what, path=path)
    if not stat_mod.S_ISREG(info.st_mode):
        raise InvalidInput("{what} {path} is not a regular file", what=what, path=path)
    if info.st_size > limit:
        raise InvalidInput(
            "{what} {path} is {st_size:,} bytes; at most {limit:,} bytes",
            what=what,
            path=path,
            st_size=info.st_size,
            limit=limit,
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _unreadable(what, path, exc) from None
    if len(data) > limit:  # it grew while we looked
        raise InvalidInput(
            "{what} {path} is more than {limit:,} bytes", what=what, path=path, limit=limit
        )
    return data


def read_text(path: Path | str, *, what: str, limit: int) -> str:
    data = read_file(path, what=what, limit=limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "{what} {path} is not UTF-8 text (byte {start})", what=what, path=path, start=exc.start
        ) from None


def writable_folder(path: Path | str, *, what: str) -> Path:
    """A folder to write into, made when missing; a file in the way is one clear line."""
    path = Path(path)
    for place in (path, *path.parents):
        if place.exists():
            if not place.is_dir():
                if place == path:
                    raise InvalidInput(
                        "{what} {path} is a file, not a folder", what=what, path=path
                    )
                raise InvalidInput(
                    "{what} {path} cannot be made: {place} is a file",
                    what=what,
                    path=path,
                    place=place,
                )
            break
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(
            "{what} {path} cannot be made: {reason}",
            what=what,
            path=path,
            reason=exc.strerror or exc,
        ) from None
    return path


def read_body(path: Path | str) -> str:
    return clean_body(
        read_file(path, what="body file", limit=MAX_BODY_BYTES),
        source=f"body file {Path(path).name}",
    )


def read_cover(path: Path | str, *, what: str = "cover") -> drafts_db.Upload:
    data = read_file(path, what=f"{what} file", limit=MAX_UPLOAD_BYTES)
    return drafts_db.Upload(
        data=data, media_type=sniff_image(data, name=f"{what} {Path(path).name}")
    )


def read_images(paths: Sequence[Path | str]) -> dict[str, drafts_db.Upload]:
    """Body pictures, named by their file name: the Markdown refers to ``![](name.jpg)``."""
    images: dict[str, drafts_db.Upload] = {}
    for path in paths:
        name = Path(path).name
        if name in images:
            raise InvalidInput("two pictures are named {name}", name=name)
        images[name] = read_cover(path, what="picture")
    return images


# -- set-up and people ---------------------------------------------------------------------
def init(ws: Workspace, *, admin: str) -> dict[str, Any]:
    """Create or upgrade the database (Alembic), then the first admin."""
    ws.settings.home.mkdir(parents=True, exist_ok=True)
    upgrade(ws.engine)
    with ws.session() as session:
        user, token = users_db.create_user(session=session, name=admin, roles=["admin"], actor=None)
        return {
            **views.user_view(user),
            "token": token,
            "database": ws.describe_database(),
            "home": str(ws.settings.home),
        }


def add_user(ws: Workspace, *, name: str, roles: Sequence[str]) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        user, token = users_db.create_user(
            session=session, name=name, roles=list(roles), actor=actor
        )
        return {**views.user_view(user), "token": token}


def list_users(ws: Workspace) -> list[dict[str, Any]]:
    with ws.acting() as (session, _actor):
        return [views.user_view(u) for u in users_db.list_users(session=session)]


def whoami(ws: Workspace) -> dict[str, Any]:
    with ws.acting() as (_session, actor):
        return views.user_view(actor)


# -- accounts ------------------------------------------------------------------------------
def register_account(ws: Workspace, **fields: Any) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        account = accounts_db.register_account(session=session, actor=actor, **fields)
        return views.account_view(account)


def list_accounts(
    ws: Workspace,
    *,
    platform: str | None = None,
    state: str | None = None,
    group: str | None = None,
) -> list[dict[str, Any]]:
    with ws.acting() as (session, _actor):
        return [
            views.account_view(a)
            for a in accounts_db.list_accounts(
                session=session, platform=platform, state=state, group=group
            )
        ]


def show_account(ws: Workspace, account_id: int) -> dict[str, Any]:
    with ws.acting() as (session, _actor):
        account = accounts_db.get_account(session=session, account_id=account_id)
        events = accounts_db.account_events(session=session, account_id=account_id)
        return {
            **views.account_view(account),
            "events": [views.account_event_view(e) for e in events],
        }


def change_account(
    ws: Workspace, account_id: int, *, reason: str | None, **fields: Any
) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        if fields.get("credentials_expire_at") is not None:  # a date in the org's zone
            fields["credentials_expire_at"] = _time(ws, fields["credentials_expire_at"])
        before = views.account_view(accounts_db.get_account(session=session, account_id=account_id))
        account = accounts_db.change_account(
            session=session, actor=actor, account_id=account_id, reason=reason, **fields
        )
        after = views.account_view(account)
        people = {u.name for u in users_db.list_users(session=session) if u.active}
        return {
            **after,
            "changes": {
                k: [before[k], v]
                for k, v in after.items()
                if k != "updated_at" and before.get(k) != v
            },
            "reason": reason,
            # 责任人 is the filing form's free name; it grants the responsible person's
            # rights only when a user of matrixpub has that name
            "responsible_is_user": account.responsible in people if account.responsible else None,
        }


def set_credentials(
    ws: Workspace,
    account_id: int,
    *,
    block: str,
    values: dict[str, str] | None = None,
    test: bool = False,
    status: Status = None,
) -> dict[str, Any]:
    """Name the Prefect Secret block with the account's credentials; with ``values``, also
    write them into that block. The field names must be the platform's own
    (:mod:`domain.credentials`); with ``test``, the platform is asked first (its cheapest
    authenticated call) and nothing is stored if it refuses. The values are never stored,
    printed or logged here."""
    from flows import secrets
    from flows.trigger import connect

    name = secrets.check_block_name(block)
    with ws.acting() as (session, actor):
        users_db.permit(actor, "account.credentials")
        account = accounts_db.get_account(session=session, account_id=account_id)
    platform = account.platform
    credentials.fields_of(platform)  # a platform that takes none is refused here
    if values:
        values = credentials.check_credentials(platform, values)
    connect(ws.settings, on_status=status)
    if values:
        secret = values
    elif secrets.secret_exists(name):
        secret = secrets.load_secret(name)
        credentials.check_credentials(platform, secret)  # its field names, never its values
    else:
        raise NotFound(
            "Prefect has no Secret block named {name!r}; give the credentials with --from-file or "
            "--value, or create the block in the Prefect UI",
            name=name,
        )
    check = None
    if test:
        from flows.credentials import check_credentials

        if status is not None:
            status(f"Asking {platform} whether the credentials work…")
        check = check_credentials(ws.settings, account, secret)
        if not check.tested and values:
            raise Refused(
                "{platform} could not be reached, so the credentials are untested: {detail}; "
                "nothing was stored; try again later",
                platform=platform,
                detail=check.detail,
            )
        if not check.tested:
            raise Refused(
                "{platform} could not be reached, so the credentials are untested: {detail}; "
                "try again later",
                platform=platform,
                detail=check.detail,
            )
        if not check.ok:
            if values:
                raise Refused(
                    "{platform} did not accept the credentials: {detail}; nothing was stored",
                    platform=platform,
                    detail=check.detail,
                )
            raise Refused(
                "{platform} did not accept the credentials: {detail}",
                platform=platform,
                detail=check.detail,
            )
    if values:
        secrets.save_secret(name, values, overwrite=True)
    with ws.acting() as (session, actor):
        account = accounts_db.set_secret_block(
            session=session,
            actor=actor,
            account_id=account_id,
            block=name,
            fields=sorted(values or {}),
            renewed=bool(values) or test or name != account.secret_block,
            expires_at=check.expires_at if check else None,
            check=check.detail if check else None,
        )
        return {
            **views.account_view(account),
            "stored_fields": sorted(values or {}),
            "check": None
            if check is None
            else {
                "ok": check.ok,
                "detail": check.detail,
                "expires_at": check.expires_at.isoformat() if check.expires_at else None,
            },
        }


def move_account(ws: Workspace, account_id: int, *, move: str, reason: str) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        account, cancelled = accounts_db.move_account(
            session=session, actor=actor, account_id=account_id, move=move, reason=reason
        )
        view = {**views.account_view(account), "cancelled_posts": cancelled}
    _void_packages(ws, cancelled)
    return view


def _void_packages(ws: Workspace, post_ids: Sequence[int]) -> None:
    """Mark void the folders of the manual packages among cancelled posts."""
    if not post_ids:
        return
    from flows.context import context_for
    from flows.delivery import void_packages

    void_packages(context_for(ws.settings, ws.engine), post_ids)


# -- drafts --------------------------------------------------------------------------------
def new_draft(
    ws: Workspace,
    *,
    title: str,
    body_file: Path | str,
    summary: str | None = None,
    cover: Path | str | None = None,
    focus: str | None = None,
    targets: Sequence[int] = (),
    group: str | None = None,
    images: Sequence[Path | str] = (),
    not_before: str | None = None,
    expires: str | None = None,
    priority: int = 0,
    fanout: str | None = None,
    whole_matrix: bool = False,
) -> dict[str, Any]:
    return create_draft(
        ws,
        title=title,
        body=read_body(body_file),
        summary=summary,
        cover=read_cover(cover) if cover else None,
        focus=focus,
        targets=targets,
        group=group,
        images=read_images(images),
        not_before=not_before,
        expires=expires,
        priority=priority,
        fanout=fanout,
        whole_matrix=whole_matrix,
    )


def create_draft(
    ws: Workspace,
    *,
    title: str,
    body: str,
    summary: str | None = None,
    cover: drafts_db.Upload | None = None,
    focus: str | None = None,
    targets: Sequence[int] = (),
    group: str | None = None,
    images: Mapping[str, drafts_db.Upload] | None = None,
    not_before: str | None = None,
    expires: str | None = None,
    priority: int = 0,
    fanout: str | None = None,
    whole_matrix: bool = False,
    wording: Mapping[str, Mapping[str, str | None]] | None = None,
) -> dict[str, Any]:
    """A new draft: its working copy, which edits change until it is submitted.
    ``wording`` is each channel's own title, summary or body."""
    upload, pictures = cover, dict(images or {})
    if fanout and group and fanout != group:
        raise InvalidInput("--fanout already targets its group; give one group")
    group = group or fanout
    with ws.acting() as (session, actor):
        if whole_matrix:  # every active account of the matrix
            targets = [
                *targets,
                *(
                    a.id
                    for a in accounts_db.list_accounts(session=session, state="active")
                    if a.id is not None
                ),
            ]
        draft, _version = drafts_db.create_draft(
            session=session,
            actor=actor,
            title=title,
            body=body,
            summary=summary,
            cover=upload,
            cover_focus=parse_focus(focus),
            targets=targets,
            group=group,
            images=pictures,
            not_before=_time(ws, not_before),
            expires_at=_time(ws, expires),
            priority=priority,
            fanout_group=fanout,
            overrides=_wording(wording) if wording else None,
        )
        return views.named_draft_view(session, draft)


def edit_draft(
    ws: Workspace,
    draft_id: int,
    *,
    title: str | None = None,
    body_file: Path | str | None = None,
    summary: str | None = None,
    cover: Path | str | None = None,
    focus: str | None = None,
    targets: Sequence[int] | None = None,
    group: str | None = None,
    channel: str | None = None,
    images: Sequence[Path | str] = (),
    remove_images: Sequence[str] = (),
    status: Status = None,
) -> dict[str, Any]:
    """The CLI's edit: the changed fields, read from files where they are files."""
    keep = drafts_db.KEEP
    return change_draft(
        ws,
        draft_id,
        title=title if title is not None else keep,
        body=read_body(body_file) if body_file else keep,
        summary=summary if summary is not None else keep,
        cover=read_cover(cover) if cover else keep,
        focus=focus if focus else keep,
        targets=targets,
        group=group,
        channel=channel,
        images=read_images(images),
        remove_images=remove_images,
        status=status,
    )


def change_draft(
    ws: Workspace,
    draft_id: int,
    *,
    title: Any = drafts_db.KEEP,
    body: Any = drafts_db.KEEP,
    summary: Any = drafts_db.KEEP,
    cover: Any = drafts_db.KEEP,
    focus: Any = drafts_db.KEEP,
    targets: Sequence[int] | None = None,
    group: str | None = None,
    channel: str | None = None,
    wording: Mapping[str, Mapping[str, str | None]] | None = None,
    images: Mapping[str, drafts_db.Upload] | None = None,
    remove_images: Sequence[str] = (),
    status: Status = None,
) -> dict[str, Any]:
    """Change what a draft says (``KEEP`` leaves a field as it is). A working copy is
    changed in place; a submitted version is never changed: the edit makes a new one,
    and a draft in review goes back through every gate, its automatic work started."""

    keep = drafts_db.KEEP
    changes: dict[str, Any] = {
        "title": title,
        "body": clean_text_body(body) if body is not keep else keep,
        "summary": summary,
        "cover": cover,
        "cover_focus": parse_focus(focus) if focus is not keep and focus else keep,
    }
    if channel:
        channel = parse_platform(channel).value
    given_wording: Any = keep if wording is None else _wording(wording)
    with ws.acting() as (session, actor):
        draft, version, cancelled = drafts_db.edit_draft(
            session=session,
            actor=actor,
            draft_id=draft_id,
            targets=targets,
            group=group,
            channel=channel,
            wording=given_wording,
            add_images=dict(images or {}),
            remove_images=remove_images,
            **changes,
        )
        view = views.named_draft_view(session, draft)
        version_id = version.id
        submitted = draft.state == "submitted"
    view["cancelled_posts"] = cancelled
    view["working_copy"] = not submitted
    _void_packages(ws, cancelled)
    if submitted:  # an edit in review: the new version's automatic work starts now
        view["prepare"] = _prepare(ws, version_id or 0, status)
        view.update(_refresh(ws, draft_id))
    return view


def _wording(wording: Mapping[str, Mapping[str, str | None]]) -> dict[str, Any]:
    """Each channel's own wording from a form or a request, checked."""
    from domain.content import ChannelOverride

    return {
        parse_platform(key).value: ChannelOverride(
            title=(w.get("title") or None),
            summary=(w.get("summary") or None),
            body=clean_text_body(w.get("body") or "") if (w.get("body") or "").strip() else None,
        )
        for key, w in wording.items()
    }


def clean_text_body(text: str) -> str:
    """A body typed in a form or sent through the API, checked like a body file."""
    return clean_body(text.encode("utf-8"), source="the body")


def start_flow(
    ws: Workspace, flow: str, parameters: dict[str, Any], *, status: Status = None
) -> dict[str, Any]:
    """Start the automatic work that follows an action: through the face's own trigger
    when it has one (the web console never waits), else handed to a Prefect server or
    run here."""
    if ws.trigger is not None:
        return ws.trigger(flow, parameters)
    return run_flow(flow, parameters, settings=ws.settings, on_status=status).as_dict()


def _prepare(ws: Workspace, version_id: int, status: Status) -> dict[str, Any]:
    triggered = start_flow(ws, "prepare-versions", {"version_ids": [version_id]}, status=status)
    if triggered.get("result") is not None:  # ran here: this version's outcome
        (triggered["result"],) = triggered["result"]["versions"]
    return triggered


def _refresh(ws: Workspace, draft_id: int) -> dict[str, Any]:
    with ws.session() as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        return views.named_draft_view(session, draft)


def submit_draft(ws: Workspace, draft_id: int, *, status: Status = None) -> dict[str, Any]:
    """Submit for review. The automatic work (rendering, checks) then moves the draft to
    gate 1, or returns it with the problems found. Submitting a draft whose automatic work
    was interrupted starts that work again."""
    with ws.acting() as (session, actor):
        draft = drafts_db.get_draft(session=session, draft_id=draft_id, lock=True)
        if draft.state == "submitted" and draft.author_id == actor.id:
            version = drafts_db.current_version(session=session, draft=draft)
        else:
            draft = drafts_db.submit_draft(session=session, actor=actor, draft_id=draft_id)
            version = drafts_db.current_version(session=session, draft=draft)
        version_id = version.id or 0
    prepared = _prepare(ws, version_id, status)
    view = _refresh(ws, draft_id)
    view["prepare"] = prepared
    return view


def show_draft(ws: Workspace, draft_id: int) -> dict[str, Any]:
    with ws.acting() as (session, _actor):
        return views.draft_detail(session, drafts_db.get_draft(session=session, draft_id=draft_id))


def list_drafts(ws: Workspace, *, state: str | None = None) -> list[dict[str, Any]]:
    with ws.acting() as (session, _actor):
        drafts = drafts_db.list_drafts(session=session, state=state)
        versions = drafts_db.current_versions(session=session, drafts=drafts)
        return views.with_target_names(
            session, [views.draft_view(session, d, versions[d.id or 0]) for d in drafts]
        )


def page_of_drafts(
    ws: Workspace, *, state: str | None = None, page: int = 1, per_page: int = 50
) -> dict[str, Any]:
    """One page of drafts, the newest first, with how many there are in all."""
    page = max(1, page)
    with ws.acting() as (session, _actor):
        total = drafts_db.count_drafts(session=session, state=state)
        drafts = drafts_db.list_drafts(
            session=session,
            state=state,
            newest_first=True,
            offset=(page - 1) * per_page,
            limit=per_page,
        )
        versions = drafts_db.current_versions(session=session, drafts=drafts)
        return {
            "drafts": [views.draft_view(session, d, versions[d.id or 0]) for d in drafts],
            "total": total,
            "page": page,
            "pages": max(1, -(-total // per_page)),
        }


def preview_draft(
    ws: Workspace,
    draft_id: int,
    *,
    channel: str | None = None,
    out: Path | str | None = None,
    status: Status = None,
) -> dict[str, Any]:
    """Write what each platform will get for the current version, one folder per channel."""
    key = parse_platform(channel).value if channel else None
    from datetime import datetime

    from console.previews import write_pages
    from flows.steps import target_of

    with ws.acting() as (session, _actor):
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        version = drafts_db.current_version(session=session, draft=draft)
        version_id, number, title = version.id or 0, version.number, version.title
        accounts = {}
        for account in drafts_db.target_accounts(session=session, version=version):
            accounts.setdefault(account.platform, target_of(account))
    folder = Path(out) if out else ws.settings.home / "previews" / f"draft-{draft_id}-v{number}"
    folder = writable_folder(folder, what="preview folder")
    triggered = run_flow(
        "preview-version",
        {"version_id": version_id, "out_dir": str(folder.absolute()), "channel": key},
        settings=ws.settings,
        wait=True,
        on_status=status,
    )
    written = triggered.result
    index = write_pages(
        written,
        draft_id=draft_id,
        number=number,
        title=title,
        accounts=accounts,
        now=datetime.now(ws.settings.tz),
    )
    return {"draft_id": draft_id, "version": number, **written, "index": index}


# -- review --------------------------------------------------------------------------------
def review_queue(ws: Workspace) -> list[dict[str, Any]]:
    with ws.acting() as (session, actor):
        return views.with_target_names(
            session,
            [
                views.draft_view(session, draft)
                for draft, _gate in drafts_db.review_queue(session=session, actor=actor)
            ],
        )


def decide(
    ws: Workspace,
    draft_id: int,
    *,
    verdict: Verdict,
    opinion: str,
    version: int | None = None,
    gate: str | None = None,
    status: Status = None,
) -> dict[str, Any]:
    """Decide the gate the draft waits at. ``gate`` and (to approve) ``version`` are what
    the person read and means to decide: without them, or if the draft changed or moved on
    since, it is refused."""
    with ws.acting() as (session, actor):
        draft, decision, _gate = drafts_db.decide(
            session=session,
            actor=actor,
            draft_id=draft_id,
            verdict=verdict,
            opinion=opinion,
            expected_version=version,
            expected_gate=gate,
        )
        view = views.named_draft_view(session, draft)
        view["decision"] = views.decision_view(decision, {actor.id or 0: actor.name})
        approved = draft.state == "approved"
    if approved:
        view["plan"] = start_flow(ws, "plan-posts", {"draft_ids": [draft_id]}, status=status)
        planned = set((view["plan"].get("result") or {}).get("posts") or [])
        with ws.session() as session:
            view["planned_posts"] = [
                {**views.post_view(post), "account": account}
                for post, _title, account, _author in posts_db.list_posts_with_names(
                    session=session, draft_id=draft_id, limit=1000
                )
                if post.id in planned
            ]
            view["planned_posts"].sort(key=lambda p: (p["due_at"], p["id"]))
            view["lacking_credentials"] = _lacking_credentials(session, view["targets"])
    return view


def _lacking_credentials(session: Any, account_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The accounts among ``account_ids`` whose posts cannot be sent for want of
    credentials (:func:`domain.credentials.lacks_credentials`), by name."""
    found = []
    for account_id in dict.fromkeys(account_ids):
        account = accounts_db.get_account(session=session, account_id=account_id)
        if credentials.lacks_credentials(
            account.platform, secret_block=account.secret_block, unsigned=account.unsigned
        ):
            found.append({"id": account.id, "name": account.name, "platform": account.platform})
    return found


def escalate(
    ws: Workspace, draft_id: int, *, check: str, opinion: str, version: int, gate: str
) -> dict[str, Any]:
    """Send the draft to an extra check (保密审查 or 网信) before its gate is decided."""
    with ws.acting() as (session, actor):
        draft, decision, _check = drafts_db.escalate(
            session=session,
            actor=actor,
            draft_id=draft_id,
            check=check,
            opinion=opinion,
            expected_gate=gate,
            expected_version=version,
        )
        view = views.named_draft_view(session, draft)
        view["decision"] = views.decision_view(decision, {actor.id or 0: actor.name})
        return view


# -- posts ---------------------------------------------------------------------------------
def list_posts(
    ws: Workspace, *, draft_id: int | None = None, state: str | None = None
) -> list[dict[str, Any]]:
    with ws.acting() as (session, _actor):
        posts = posts_db.list_posts(session=session, draft_id=draft_id, state=state)
        names = accounts_db.account_names(session=session, ids=(p.account_id for p in posts))
        return [{**views.post_view(p), "account": names.get(p.account_id)} for p in posts]


def page_of_posts(
    ws: Workspace,
    *,
    draft_id: int | None = None,
    state: str | None = None,
    page: int = 1,
    per_page: int = 100,
) -> dict[str, Any]:
    """One page of posts with their draft's title and their account's name, the latest
    change first, with how many there are in all."""
    page = max(1, page)
    with ws.acting() as (session, actor):
        total = posts_db.count_posts(session=session, draft_id=draft_id, state=state)
        rows = posts_db.list_posts_with_names(
            session=session,
            draft_id=draft_id,
            state=state,
            offset=(page - 1) * per_page,
            limit=per_page,
        )
        roles = users_db.roles_of(actor)
        posts = []
        for post, title, account, author_id in rows:
            parties = posts_db.parties_to(session=session, post=post, actor=actor)
            posts.append(
                {
                    **views.post_view(post),
                    "title": title,
                    "account": account,
                    "author_id": author_id,
                    "mine": author_id == actor.id,
                    "package": bool(((post.receipt or {}).get("data") or {}).get("zip")),
                    # what this person may do to it, so the page offers only that
                    "may": {
                        verb: BY_ACTION[f"post.{verb}"].allows(roles, parties)
                        for verb in ("confirm", "cancel", "resolve", "retry")
                    },
                }
            )
    return {"posts": posts, "total": total, "page": page, "pages": max(1, -(-total // per_page))}


def confirm_post(ws: Workspace, post_id: int, *, url: str) -> dict[str, Any]:
    """A person posted a manual package; record the live URL, which completes the post."""
    with ws.acting() as (session, actor):
        return views.post_view(
            posts_db.confirm_manual(session=session, actor=actor, post_id=post_id, url=url)
        )


def due_posts(ws: Workspace) -> int:
    from sqlmodel_db.types import utcnow

    with ws.session() as session:
        return sum(
            1
            for p in posts_db.list_posts(session=session)
            if p.state in ("queued", "pending") and p.due_at <= utcnow()
        )


def dispatch_once(
    ws: Workspace, *, status: Status = None, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    with ws.acting() as (_session, actor):
        users_db.permit(actor, "dispatch")
    with hooks.listening(progress):
        triggered: Triggered = run_flow(
            "dispatch", {}, settings=ws.settings, wait=True, on_status=status
        )
    report = triggered.result
    if isinstance(report, dict) and report.get("messages"):
        # each message's post with its account by name, and whether it lacks credentials
        with ws.session() as session:
            posts = {}
            for post_id in report["messages"]:
                post = posts_db.get_post(session=session, post_id=int(post_id))
                account = accounts_db.get_account(session=session, account_id=post.account_id)
                posts[str(post_id)] = {
                    "account_id": account.id,
                    "account": account.name,
                    "lacks_credentials": credentials.lacks_credentials(
                        account.platform,
                        secret_block=account.secret_block,
                        unsigned=account.unsigned,
                    ),
                }
        report = {**report, "posts": posts}
    return report


# -- organisation settings -------------------------------------------------------------
def show_settings(ws: Workspace) -> list[dict[str, Any]]:
    """Each organisation setting: its value now, and where it comes from (the environment,
    which overrides, the database, or the default)."""
    from domain.settings import ORG_SETTINGS, org_setting_text

    with ws.acting() as (session, _actor):
        stored = org_settings.stored(session=session)
    settings = ws.settings
    return [
        {
            "key": key,
            "value": org_setting_text(settings, key),
            "source": "environment"
            if key in settings.from_env
            else ("database" if key in settings.from_store else "default"),
            "stored": stored.get(key),
            "env": setting.env,
            "help": setting.help,
        }
        for key, setting in ORG_SETTINGS.items()
    ]


def set_setting(ws: Workspace, key: str, value: str) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        row = org_settings.set_setting(session=session, actor=actor, key=key, value=value)
        key = row.key
    ws.apply_org_settings()
    (shown,) = [s for s in show_settings(ws) if s["key"] == key]
    return shown


# -- audit ---------------------------------------------------------------------------------
def anchor_dir(ws: Workspace) -> Path:
    return ws.settings.home / "anchors"


def audit_verify(ws: Workspace, *, expect_head: str | None = None) -> dict[str, Any]:
    """Verify the chain, the sealed decisions and account events, and the chain against
    the latest anchor under MATRIXPUB_HOME/anchors/ (when there is one)."""
    latest = audit.latest_anchor(anchor_dir(ws))
    with ws.acting() as (session, _actor):
        result = audit.verify(
            session=session, expect_head=expect_head, anchor=latest[0] if latest else None
        )
        return {
            "ok": result.ok,
            "events": result.events,
            "head": result.head,
            "problem": result.problem,
            "at_seq": result.at_seq,
            "keyed_from": result.keyed_from,
            "anchor": (
                {"file": str(latest[1]), "events": latest[0].events, "at": latest[0].at}
                if latest
                else None
            ),
        }


def audit_anchor(ws: Workspace) -> dict[str, Any]:
    """Write the chain's head, count and time to a new anchor file (see audit_verify)."""
    with ws.acting() as (session, _actor):
        anchor, path = audit.write_anchor(session=session, directory=anchor_dir(ws))
    return {**anchor.body(), "file": str(path)}


def audit_log(
    ws: Workspace, *, subject: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    with ws.acting() as (session, _actor):
        if subject:
            kind, _, ident = subject.partition(":")
            if not ident:
                raise InvalidInput("--subject looks like draft:3 or account:2")
            events = audit.events_for(session=session, subject_type=kind, subject_id=ident)
        else:
            events = audit.recent(session=session, limit=limit)
        if subject and not events:
            raise NotFound("no audit events for {subject}", subject=subject)
        return views.audit_rows(session, events)


# -- proofreading (错敏检查) ------------------------------------------------------------------
def check_draft(ws: Workspace, draft_id: int, *, status: Status = None) -> dict[str, Any]:
    """Check the current version again, on record, and show every finding."""
    with ws.acting() as (session, _actor):
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        version_id = drafts_db.current_version(session=session, draft=draft).id or 0
    run_flow(
        "check-version",
        {"version_id": version_id},
        settings=ws.settings,
        wait=True,
        on_status=status,
    )
    with ws.session() as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        version = drafts_db.current_version(session=session, draft=draft)
        return {
            "draft_id": draft_id,
            "version": version.number,
            **(views.check_view(session, version) or {}),
        }


def check_file(ws: Workspace, path: Path | str) -> list[dict[str, Any]]:
    """Check any text file with the organisation's word lists (the shipped ones before
    `matrixpub init`). Links are not fetched here."""
    from domain.proofread import Checker, line_col, parse_lexicon

    path = Path(path)
    text = read_text(path, what="file", limit=MAX_CHECK_BYTES)
    try:
        ws.require_initialised()
        with ws.session() as session:
            lists = [parse_lexicon(t) for t in proofread_db.lexicon_texts(session=session).values()]
        checker = Checker(lists)
    except Refused:
        checker = Checker.default()
    found = []
    for finding in checker.check(text):
        line, column = line_col(text, finding.start)
        found.append(
            {
                **finding.to_dict(),
                "line": line,
                "column": column,
                "context": views.context_of(text, finding.start, finding.end),
            }
        )
    return found


def override_finding(
    ws: Workspace, draft_id: int, finding_id: int, *, reason: str
) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        override = proofread_db.override_finding(
            session=session, actor=actor, draft_id=draft_id, finding_id=finding_id, reason=reason
        )
        return {
            "draft_id": draft_id,
            "finding_id": finding_id,
            "by": actor.name,
            "reason": override.reason,
            "at": override.at.isoformat(),
        }


def list_lexicons(ws: Workspace, *, category: str | None = None) -> list[dict[str, Any]]:
    from domain.proofread import parse_lexicon

    with ws.acting() as (session, _actor):
        texts = proofread_db.lexicon_texts(session=session)
    if category and category not in texts:
        raise NotFound(
            "no word list {category!r}; known: {texts}",
            category=category,
            texts=", ".join(sorted(texts)),
        )
    out = []
    for name, text in sorted(texts.items()):
        if category and name != category:
            continue
        lexicon = parse_lexicon(text)
        out.append(
            {
                "category": lexicon.category,
                "version": lexicon.version,
                "severity": lexicon.default_severity,
                "whitelist": list(lexicon.whitelist),
                "entries": [
                    {"term": e.term, "suggest": e.suggest, "severity": lexicon.severity_of(e)}
                    for e in lexicon.entries
                ],
            }
        )
    return out


def _lexicon_view(lexicon: Any) -> dict[str, Any]:
    return {
        "category": lexicon.category,
        "version": lexicon.version,
        "entries": len(lexicon.entries),
    }


def add_lexicon_term(
    ws: Workspace, category: str, term: str, *, suggest: str | None, severity: str | None
) -> dict[str, Any]:
    from datetime import datetime

    with ws.acting() as (session, actor):
        return _lexicon_view(
            proofread_db.add_term(
                session=session,
                actor=actor,
                category=category,
                term=term,
                suggest=suggest,
                severity=severity,
                today=datetime.now(ws.settings.tz).date(),
            )
        )


def remove_lexicon_term(ws: Workspace, category: str, term: str) -> dict[str, Any]:
    from datetime import datetime

    with ws.acting() as (session, actor):
        return _lexicon_view(
            proofread_db.remove_term(
                session=session,
                actor=actor,
                category=category,
                term=term,
                today=datetime.now(ws.settings.tz).date(),
            )
        )


def import_lexicon(
    ws: Workspace, path: Path | str, *, category: str | None = None
) -> dict[str, Any]:
    """Replace a list with a TOML data file, or, with ``category``, add the terms of a
    plain one-term-a-line text file (a list handed down by a superior office) to it."""
    from datetime import datetime

    path = Path(path)
    text = read_text(path, what="word list", limit=MAX_LEXICON_BYTES)
    with ws.acting() as (session, actor):
        if category is None:
            return _lexicon_view(
                proofread_db.import_lexicon(session=session, actor=actor, text=text)
            )
        lexicon, added = proofread_db.import_term_list(
            session=session,
            actor=actor,
            category=category,
            text=text,
            note=f"imported from {path.name}",
            today=datetime.now(ws.settings.tz).date(),
        )
        return {**_lexicon_view(lexicon), "added": len(added)}


def allow_lexicon_term(ws: Workspace, term: str, *, reason: str) -> dict[str, Any]:
    """Put a term on the organisation's allow list: no finding of any category inside it."""
    from datetime import datetime

    with ws.acting() as (session, actor):
        view = _lexicon_view(
            proofread_db.allow_term(
                session=session,
                actor=actor,
                term=term,
                reason=reason,
                today=datetime.now(ws.settings.tz).date(),
            )
        )
        return {**view, "term": term.strip(), "reason": reason.strip()}


def export_lexicons(ws: Workspace, folder: Path | str) -> dict[str, Any]:
    with ws.acting() as (session, _actor):
        texts = proofread_db.lexicon_texts(session=session)
    folder = writable_folder(folder, what="export folder")
    for name, text in texts.items():
        try:
            (folder / f"{name}.toml").write_text(text, "utf-8")
        except OSError as exc:
            raise InvalidInput(
                "cannot write {path}: {reason}",
                path=folder / (name + ".toml"),
                reason=exc.strerror or exc,
            ) from None
    return {"folder": str(folder), "files": sorted(f"{n}.toml" for n in texts)}


# -- scheduling ----------------------------------------------------------------------------
def _time(ws: Workspace, text: str | None) -> Any:
    from domain.scheduling import parse_local_datetime

    return parse_local_datetime(text, ws.settings.tz) if text and text.strip() else None


def _when(ws: Workspace, text: str | None) -> Any:
    from domain.scheduling import parse_local_datetime

    if text is None:
        return drafts_db.KEEP
    if not text.strip() or text.strip().lower() == "none":
        return None
    return parse_local_datetime(text, ws.settings.tz)


def schedule_draft(
    ws: Workspace,
    draft_id: int,
    *,
    not_before: str | None = None,
    expires: str | None = None,
    priority: int | None = None,
) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        draft, moved = drafts_db.set_schedule(
            session=session,
            actor=actor,
            draft_id=draft_id,
            not_before=_when(ws, not_before),
            expires_at=_when(ws, expires),
            priority=drafts_db.KEEP if priority is None else priority,
        )
        return {**views.draft_view(session, draft), "moved_posts": moved}


def fan_out(
    ws: Workspace,
    draft_id: int,
    *,
    group: str,
    deadline: str | None = None,
    status: Status = None,
) -> dict[str, Any]:
    """集中转载 to every account of ``group``, each live by ``deadline`` (local time)."""
    with ws.acting() as (session, actor):
        drafts_db.fan_out(
            session=session,
            actor=actor,
            draft_id=draft_id,
            group=group,
            deadline=_time(ws, deadline),
        )
    plan = start_flow(ws, "plan-posts", {"draft_ids": [draft_id]}, status=status)
    return {**_refresh(ws, draft_id), "plan": plan}


def set_policy(
    ws: Workspace,
    account_id: int,
    *,
    windows: str | None = None,
    spacing: str | None = None,
    quota: str | None = None,
    reset: bool = False,
) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        account = schedule_db.set_policy(
            session=session,
            actor=actor,
            account_id=account_id,
            windows=windows,
            spacing=spacing,
            quota=quota,
            reset=reset,
        )
        return views.account_view(account)


def unpause_account(ws: Workspace, account_id: int, *, reason: str) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        return views.account_view(
            schedule_db.unpause_account(
                session=session, actor=actor, account_id=account_id, reason=reason
            )
        )


def add_freeze(
    ws: Workspace, *, start: str, end: str, reason: str, dry_run: bool = False
) -> dict[str, Any]:
    """Declare a freeze; ``held_posts`` are the queued posts due within it, which wait
    until it ends (or a leader releases them). ``dry_run`` only says so."""
    from domain.scheduling import parse_local_datetime

    with ws.acting() as (session, actor):
        starts = parse_local_datetime(start, ws.settings.tz)
        ends = parse_local_datetime(end, ws.settings.tz)
        held = [
            {**views.post_view(post), "account": account, "title": title}
            for post, title, account, _author in posts_db.list_posts_with_names(
                session=session, limit=100_000
            )
            if post.state in ("queued", "pending") and starts <= post.due_at < ends
        ]
        held.sort(key=lambda p: (p["due_at"], p["id"]))
        if dry_run:
            reason = schedule_db.check_freeze(
                actor=actor, starts_at=starts, ends_at=ends, reason=reason
            )
            return {
                "dry_run": True,
                "starts_at": starts.isoformat(),
                "ends_at": ends.isoformat(),
                "reason": reason,
                "held_posts": held,
            }
        view = views.freeze_view(
            schedule_db.add_freeze(
                session=session, actor=actor, starts_at=starts, ends_at=ends, reason=reason
            )
        )
        return {**view, "dry_run": False, "held_posts": held}


def list_freezes(ws: Workspace, *, all_: bool = False) -> list[dict[str, Any]]:
    with ws.acting() as (session, _actor):
        return [
            views.freeze_view(f)
            for f in schedule_db.list_freezes(session=session, current=not all_)
        ]


def lift_freeze(ws: Workspace, freeze_id: int, *, reason: str) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        return views.freeze_view(
            schedule_db.lift_freeze(
                session=session, actor=actor, freeze_id=freeze_id, reason=reason
            )
        )


def release_post(ws: Workspace, post_id: int, *, reason: str) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        return views.post_view(
            schedule_db.release_post(session=session, actor=actor, post_id=post_id, reason=reason)
        )


def cancel_post(ws: Workspace, post_id: int, *, reason: str) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        posts_db.cancel_post(session=session, actor=actor, post_id=post_id, reason=reason)
    _void_packages(ws, [post_id])
    with ws.session() as session:
        return views.post_view(posts_db.get_post(session=session, post_id=post_id))


def retry_post(ws: Workspace, post_id: int) -> dict[str, Any]:
    with ws.acting() as (session, actor):
        return views.post_view(posts_db.retry_post(session=session, actor=actor, post_id=post_id))


def resolve_post(
    ws: Workspace, post_id: int, *, published: str | None, not_published: bool
) -> dict[str, Any]:
    if bool(published) == bool(not_published):
        raise InvalidInput("give either --published URL or --not-published")
    with ws.acting() as (session, actor):
        return views.post_view(
            posts_db.resolve_post(
                session=session,
                actor=actor,
                post_id=post_id,
                url=published,
                published=bool(published),
            )
        )


def list_alerts(ws: Workspace, *, all_: bool = False) -> list[dict[str, Any]]:
    """What needs a person now: the state of things is looked at first, so a failed post
    or a package waiting too long is listed even before the daily housekeeping ran."""
    from datetime import timedelta

    from channels.notify import is_webhook
    from sqlmodel_db import alerts as alerts_db
    from sqlmodel_db.calendar import china_calendar

    with ws.acting() as (session, _actor):
        moved = alerts_db.refresh(
            session=session,
            manual_wait=timedelta(hours=ws.settings.manual_wait_hours),
            credentials_warning=timedelta(days=ws.settings.credentials_warn_days),
            repost_warning=timedelta(hours=ws.settings.repost_warn_hours),
            tz=ws.settings.tz,
            warn_days=ws.settings.warn_days,
            calendar=china_calendar(),
            notice_days=ws.settings.notice_workdays,
        )
    _void_packages(ws, moved.get("cancelled_posts", []))  # an account closed just now
    if is_webhook(ws.settings.notify):  # new alerts go to the organisation's webhook
        from flows.context import context_for
        from flows.delivery import notify_alerts

        notify_alerts(context_for(ws.settings, ws.engine))
    with ws.session() as session:
        rows = schedule_db.list_alerts(session=session, open_only=not all_)
        accounts = accounts_db.account_names(
            session=session, ids={a.account_id for a in rows if a.account_id}
        )
        return [
            {**a.model_dump(mode="json"), "account": accounts.get(a.account_id or 0)} for a in rows
        ]


def schedule_grid(ws: Workspace, *, day: str | None = None) -> dict[str, Any]:
    """Posts due on one local day: one row per account, one column per hour."""
    from datetime import date, datetime, time, timedelta

    tz = ws.settings.tz
    try:
        the_day = date.fromisoformat(day) if day else datetime.now(tz).date()
    except ValueError:
        raise InvalidInput("--day {day!r} should look like 2026-12-01", day=day) from None
    start = datetime.combine(the_day, time(0), tz)
    end = start + timedelta(days=1)
    with ws.acting() as (session, _actor):
        accounts = {a.id: a for a in accounts_db.list_accounts(session=session)}
        rows: dict[int, list[int]] = {}
        for post in posts_db.list_posts(session=session):
            if post.state == "cancelled" or not (start <= post.due_at < end):
                continue
            hour = post.due_at.astimezone(tz).hour
            rows.setdefault(post.account_id, [0] * 24)[hour] += 1
        freezes = [
            {
                **views.freeze_view(f),
                "hours": [
                    h
                    for h in range(24)
                    if f.starts_at < start + timedelta(hours=h + 1)
                    and f.ends_at > start + timedelta(hours=h)
                ],
            }
            for f in schedule_db.list_freezes(session=session, current=False)
            if f.lifted_at is None and f.starts_at < end and f.ends_at > start
        ]
        return {
            "day": the_day.isoformat(),
            "timezone": ws.settings.timezone,
            "freezes": freezes,
            "accounts": [
                {
                    "account_id": account_id,
                    "name": accounts[account_id].name,
                    "platform": accounts[account_id].platform,
                    "windows": accounts[account_id].windows,
                    "hours": hours,
                }
                for account_id, hours in sorted(rows.items())
            ],
        }
