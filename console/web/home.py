"""我的待办 (my work), the home page, and the live count in the page header.

The count is pushed with server-sent events: the stream sends the number of things that
wait for the person whenever it changes — at once after an action in this process, and
within a few seconds after one elsewhere (another console, the CLI, a flow).
"""

from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sse_starlette.sse import EventSourceResponse

from console import people
from console.people import Visitor
from console.web.pages import render
from console.web.security import SESSION_COOKIE, acting_as, visitor, workspace
from console.workspace import Workspace

router = APIRouter()

CHECK_EVERY_S = 0.5  # how often the stream looks for a change made in this process
RECOUNT_EVERY_S = 5.0  # how often it counts again anyway (changes from elsewhere)


class Changes:
    """A counter bumped by every state change in this process; the live streams watch
    it to recount at once."""

    def __init__(self) -> None:
        self.generation = 0

    def bump(self) -> None:
        self.generation += 1


def changed(request: Request) -> None:
    request.app.state.changes.bump()


@router.get("/")
def my_work(request: Request, ws: Workspace = Depends(acting_as)) -> Response:
    work = people.my_work(ws)
    request.state.work_count = work["count"]
    return render(request, "home.html", {"work": work})


@router.get("/events")
async def events(request: Request, who: Visitor = Depends(visitor)) -> Response:
    base = workspace(request)
    ws = base.as_user(who.user_id)
    token = request.cookies.get(SESSION_COOKIE)
    changes: Changes = request.app.state.changes

    async def stream():  # type: ignore[no-untyped-def]
        last_count: int | None = None
        seen = -1
        counted_at = 0.0
        while not await request.is_disconnected():
            now = time.monotonic()
            if changes.generation != seen or now - counted_at >= RECOUNT_EVERY_S:
                seen, counted_at = changes.generation, now
                if await run_in_threadpool(people.visitor, base, token) is None:
                    yield {"event": "logout", "data": "session ended"}
                    return
                count = await run_in_threadpool(people.work_count, ws)
                if count != last_count:
                    last_count = count
                    yield {"event": "count", "data": str(count)}
            await asyncio.sleep(CHECK_EVERY_S)

    return EventSourceResponse(stream(), ping=15)
