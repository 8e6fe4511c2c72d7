"""A manual package lives only as long as its approval: a new version, a suspended or
closed account, or the item's expiry voids the waiting package (the post is cancelled and
its folder marked void), and ``matrixpub post confirm`` takes nothing but a package of the
version signed now."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from flows import delivery
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import Account, AccountRequest, Post
from sqlmodel_db.types import utcnow
from tests.dispatch.helpers import approved_posts, cli_json, database_url, posts_by_id
from tests.factories import World, jpeg


@dataclass
class Waiting:
    w: World
    post_id: int
    account: int
    draft_id: int
    folder: Path

    def cli(self, *args: Any, expect: int = 0, who: str = "admin") -> Any:
        return cli_json(
            *args,
            home=self.w.home,
            database_url=database_url(self.w),
            token=self.w.tokens[who],
            expect=expect,
        )

    def post(self) -> Post:
        return posts_by_id(self.w.engine, [self.post_id])[self.post_id]


@pytest.fixture
def waiting(prefect_ready: Path, sqlite_world: World) -> Iterator[Waiting]:
    """A Douyin package written by the dispatcher, waiting for a person to post it."""
    w = sqlite_world
    account = w.add_account("clips", platform="douyin")
    (post_id,) = approved_posts(w, [account], drafts=1, cover=jpeg(1080, 1920))
    ids = delivery.claim_batch(w.ctx, worker="t:1", limit=10)
    assert delivery.deliver_batch(w.ctx, ids, worker="t:1").manual == [post_id]
    post = posts_by_id(w.engine, [post_id])[post_id]
    folder = Path(post.receipt["data"]["package"])
    assert (folder / "text.txt").exists() and not (folder / "VOID.txt").exists()
    yield Waiting(w=w, post_id=post_id, account=account, draft_id=post.draft_id, folder=folder)


def assert_void(waiting: Waiting, because: str) -> None:
    post = waiting.post()
    assert post.state == "cancelled" and because in (post.last_error or ""), post.last_error
    note = (waiting.folder / "VOID.txt").read_text("utf-8")
    assert "作废" in note and because in note
    assert not Path(str(waiting.folder) + ".zip").exists()
    refusal = waiting.cli(
        "post", "confirm", waiting.post_id, "--url", "https://v.douyin.com/x", expect=1
    )
    assert "is cancelled" in refusal["error"]
    assert waiting.post().state == "cancelled"


def test_a_new_version_voids_the_waiting_package(waiting: Waiting) -> None:
    body = waiting.w.home / "v2.md"
    body.write_text("更正后的正文。\n", "utf-8")
    edited = waiting.cli("draft", "edit", waiting.draft_id, "--body-file", body, who="author")
    assert waiting.post_id in edited["cancelled_posts"]
    assert_void(waiting, "changed to version 2")


def test_a_suspended_account_voids_the_waiting_package(waiting: Waiting) -> None:
    moved = waiting.cli("account", "suspend", waiting.account, "--reason", "账号整改")
    assert moved["cancelled_posts"] == [waiting.post_id]
    assert_void(waiting, "账号整改")


def test_a_closed_account_voids_the_waiting_package(waiting: Waiting) -> None:
    """The account closes when its notice period is over (the daily housekeeping, or
    anyone looking at the alerts): the package still waiting is void then."""
    asked = waiting.cli("account", "request", "close", waiting.account, "--reason", "账号整改")
    waiting.cli("account", "approve", asked["id"], "--opinion", "同意", who="leader")
    with session_scope(waiting.w.engine) as session:
        # Its 停更公告 went out long ago (as the daily flow records it when published).
        request = session.get(AccountRequest, asked["id"])
        account = session.get(Account, waiting.account)
        assert request is not None and account is not None
        request.notice_published_on = "2026-01-05"
        account.state = "closing"
        session.add(request)
        session.add(account)
    moved = delivery.refresh_alerts(waiting.w.ctx)
    assert moved["closed"] == [waiting.account]
    assert moved["cancelled_posts"] == [waiting.post_id]
    assert_void(waiting, "账号整改")


def test_expiry_voids_the_waiting_package(waiting: Waiting) -> None:
    with session_scope(waiting.w.engine) as session:
        post = session.get(Post, waiting.post_id)
        assert post is not None
        post.expires_at = utcnow() - timedelta(minutes=1)
        session.add(post)
    expired = delivery.expire(waiting.w.ctx)
    assert expired["cancelled"] == [waiting.post_id]
    assert_void(waiting, "expired")


def test_confirm_takes_only_a_package_of_the_signed_version(waiting: Waiting) -> None:
    """The draft moved on behind the package's back (its posts not cancelled yet): the
    package is no longer what is signed, and is not confirmed."""
    with session_scope(waiting.w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=waiting.draft_id)
        draft.version_number += 1
        session.add(draft)
    refusal = waiting.cli(
        "post", "confirm", waiting.post_id, "--url", "https://v.douyin.com/x", expect=1
    )
    assert "no longer signed" in refusal["error"] and "void" in refusal["error"]
    assert waiting.post().state == "manual"


def test_a_cancelled_package_is_void(waiting: Waiting) -> None:
    cancelled = waiting.cli("post", "cancel", waiting.post_id, "--reason", "不再发布", who="author")
    assert cancelled["state"] == "cancelled"
    assert_void(waiting, "不再发布")


def test_the_signed_package_is_confirmed(waiting: Waiting) -> None:
    done = waiting.cli(
        "post", "confirm", waiting.post_id, "--url", "https://v.douyin.com/ok", who="author"
    )
    assert (done["state"], done["url"]) == ("published", "https://v.douyin.com/ok")
