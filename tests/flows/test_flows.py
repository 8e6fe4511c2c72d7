"""The flows on Prefect's embedded server: rendering after submit, planning after 终审,
delivery, and a refused delivery when content changed after sign-off."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from flows.trigger import run_flow
from sqlmodel_db import drafts as drafts_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import AuditEvent, Post
from tests.factories import GATE_PEOPLE, World, jpeg, tamper


def _submit(w: World, draft_id: int) -> dict[str, Any]:
    with session_scope(w.engine) as session:
        draft = drafts_db.submit_draft(session=session, actor=w.users["author"], draft_id=draft_id)
        version_id = drafts_db.current_version(session=session, draft=draft).id
    result = run_flow("prepare-versions", {"version_ids": [version_id]}, settings=w.ctx.settings)
    (outcome,) = result.result["versions"]
    return outcome


def test_prepare_renders_and_opens_gate_one(w: World) -> None:
    draft_id = w.new_draft(cover=jpeg())
    result = _submit(w, draft_id)
    assert result["state"] == "in_review" and result["problems"] == []
    assert result["channels"] == ["website"]
    with session_scope(w.engine) as session:
        draft = drafts_db.get_draft(session=session, draft_id=draft_id)
        version = drafts_db.current_version(session=session, draft=draft)
        (variant,) = drafts_db.variants_for(session=session, version_id=version.id)
        payload = drafts_db.variant_payload(variant)
        assert payload["fields"]["title"] == "关于举办文旅消费季活动的通知"
        assert payload["images"][0]["role"] == "cover"


def test_prepare_returns_a_draft_whose_variant_breaks_a_limit(w: World) -> None:
    draft_id = w.new_draft(title="长" * 81)  # the website allows 80
    result = _submit(w, draft_id)
    assert result["state"] == "returned"
    assert any("title has 81 characters" in p for p in result["problems"])


def test_plan_and_dispatch_publish_to_the_site(w: World) -> None:
    draft_id = w.new_draft(cover=jpeg())
    _submit(w, draft_id)
    w.approve_all(draft_id)
    planned = run_flow("plan-posts", {"draft_ids": [draft_id]}, settings=w.ctx.settings).result
    assert len(planned["posts"]) == 1
    report = run_flow("dispatch", {}, settings=w.ctx.settings, wait=True).result
    assert report["published"] == planned["posts"]
    page = w.ctx.settings.site_dir / "web" / str(draft_id) / "index.html"
    html = page.read_text("utf-8")
    assert "关于举办文旅消费季活动的通知" in html and "<script" not in html
    assert (page.parent / "cover.jpg").exists()
    with session_scope(w.engine) as session:
        post = session.exec(select(Post)).one()
        assert post.state == "published" and post.url and post.url.endswith("/index.html")
    again = run_flow("dispatch", {}, settings=w.ctx.settings, wait=True).result
    assert again["published"] == []


def test_dispatch_refuses_and_records_a_mismatch(w: World) -> None:
    draft_id = w.new_draft()
    _submit(w, draft_id)
    w.approve_all(draft_id)
    run_flow("plan-posts", {"draft_ids": [draft_id]}, settings=w.ctx.settings)
    tamper(w.engine, "UPDATE variants SET payload = replace(payload, '通知', '通告')")
    report = run_flow("dispatch", {}, settings=w.ctx.settings, wait=True).result
    assert report["published"] == [] and len(report["refused"]) == 1
    with session_scope(w.engine) as session:
        post = session.exec(select(Post)).one()
        assert post.state == "failed" and "altered after sign-off" in (post.last_error or "")
        actions = [e.action for e in session.exec(select(AuditEvent))]
        assert "post.failed" in actions
    assert not (w.ctx.settings.site_dir / "web" / str(draft_id)).exists()


def test_closed_account_never_receives_a_post(w: World) -> None:
    from sqlmodel_db import accounts as accounts_db

    other = w.add_account("other")
    draft_id = w.new_draft(targets=[w.accounts["web"], other])
    _submit(w, draft_id)
    w.approve_all(draft_id, GATE_PEOPLE)
    run_flow("plan-posts", {"draft_ids": [draft_id]}, settings=w.ctx.settings)
    with session_scope(w.engine) as session:
        # Closed after its posts were planned (by the daily flow, its notice period over),
        # before the dispatcher claimed them.
        account = accounts_db.get_account(session=session, account_id=other)
        account.state = "closed"
        session.add(account)
    report = run_flow("dispatch", {}, settings=w.ctx.settings, wait=True).result
    assert len(report["published"]) == 1
    assert not (w.ctx.settings.site_dir / "other").exists()


def test_sweeps_pick_up_everything_pending(w: World) -> None:
    """Without ids the flows sweep: every submitted draft is prepared, every approved
    draft without posts is planned, in one run each."""
    drafts = [w.new_draft(title=f"通知{i}") for i in range(3)]
    for draft_id in drafts:
        with session_scope(w.engine) as session:
            drafts_db.submit_draft(session=session, actor=w.users["author"], draft_id=draft_id)
    prepared = run_flow("prepare-versions", {"batch_size": 2}, settings=w.ctx.settings).result
    assert [v["state"] for v in prepared["versions"]] == ["in_review"] * 3
    for draft_id in drafts[:2]:
        w.approve_all(draft_id)
    planned = run_flow("plan-posts", {}, settings=w.ctx.settings).result
    assert [d["draft_id"] for d in planned["drafts"]] == drafts[:2]
    assert len(planned["posts"]) == 2
    assert run_flow("plan-posts", {}, settings=w.ctx.settings).result["posts"] == []
