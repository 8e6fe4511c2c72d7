"""People in the web console and the JSON API: who may confirm, cancel and resolve a post
(the same function behind every face); the work a deactivated person leaves shows up for
others; a reviewer sends a draft to an extra check, which the draft page and the 审签单
show."""

from __future__ import annotations

import html
import json

import pytest
from sqlmodel import select

from console import actions, people
from domain.errors import Refused
from sqlmodel_db.engine import session_scope
from sqlmodel_db.models import AuditEvent, Post, User
from tests.console.web.conftest import PASSWORD, Console, shown


def _signed_and_dispatched(console: Console, targets: list[str]) -> int:
    draft = console.draft(targets=targets)
    console.wait_flows()
    console.pass_gates(draft, 6)
    console.wait_flows()
    actions.dispatch_once(console.as_token("admin"))
    return draft


def _join(console: Console, name: str, *roles: str) -> None:
    admin = console.as_token("admin")
    console.tokens[name] = actions.add_user(admin, name=name, roles=list(roles))["token"]
    people.set_password(admin, name, password=PASSWORD)


def _api(console: Console, who: str, path: str, body: dict[str, object]) -> object:
    client = console.person(who, login=False).client
    return client.post(
        f"/api/v1{path}", json=body, headers={"Authorization": f"Bearer {console.tokens[who]}"}
    )


def _events(console: Console, action: str, subject: str) -> list[AuditEvent]:
    with session_scope(console.ws.engine) as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.action == action)
                .where(AuditEvent.subject_id == subject)
            )
        )


def _user_id(console: Console, name: str) -> int:
    with session_scope(console.ws.engine) as session:
        return session.exec(select(User).where(User.name == name)).one().id or 0


def test_another_author_may_not_confirm_or_cancel_a_post(console: Console) -> None:
    """The reported case: any author recorded a fake live URL for another's post."""
    _join(console, "author2", "author")
    draft = _signed_and_dispatched(console, ["douyin"])
    (post,) = actions.list_posts(console.as_token("author"), draft_id=draft)
    assert post["state"] == "manual"
    stranger = console.person("author2")
    page = stranger.client.get("/posts").text
    assert f'action="/posts/{post["id"]}/confirm"' not in page  # not offered
    confirm = stranger.post(f"/posts/{post['id']}/confirm", {"url": "https://fake.example/1"})
    with pytest.raises(Refused) as cli:
        actions.confirm_post(console.as_token("author2"), post["id"], url="https://f.example/1")
    assert confirm.status_code == 403 and shown(cli.value) in html.unescape(confirm.text)
    assert "post confirm needs" in cli.value.message
    api = _api(console, "author2", f"/posts/{post['id']}/confirm", {"url": "https://f.example"})
    assert api.status_code == 403 and api.json() == {"error": shown(cli.value)}
    cancel = stranger.post(f"/posts/{post['id']}/cancel", {"reason": "不要了"})
    assert cancel.status_code == 403
    (post,) = actions.list_posts(console.as_token("author"), draft_id=draft)
    assert post["state"] == "manual" and post["url"] is None


def test_the_accounts_responsible_person_confirms_on_record(console: Console) -> None:
    _join(console, "张责任", "proofreader")
    admin = console.as_token("admin")
    actions.change_account(
        admin, console.accounts["douyin"], reason="明确责任人", responsible="张责任"
    )
    draft = _signed_and_dispatched(console, ["douyin"])
    (post,) = actions.list_posts(console.as_token("author"), draft_id=draft)
    page = console.person("张责任").client.get("/posts").text
    assert f'action="/posts/{post["id"]}/confirm"' in page  # offered to the responsible person
    done = _api(console, "张责任", f"/posts/{post['id']}/confirm", {"url": "https://dy.example/9"})
    assert done.status_code == 200 and done.json()["state"] == "published"
    (event,) = _events(console, "post.published", str(post["id"]))
    assert event.actor_id == _user_id(console, "张责任")


def test_resolving_an_unknown_post_is_for_an_admin_or_the_leader(console: Console) -> None:
    """The reported case: an author's `post resolve --not-published` sent a post twice."""
    draft = _signed_and_dispatched(console, ["web"])
    (post,) = actions.list_posts(console.as_token("author"), draft_id=draft)
    with session_scope(console.ws.engine) as session:  # a send whose outcome is unknown
        row = session.get(Post, post["id"])
        row.state = "unknown"
        session.add(row)
    author = console.person("author")
    assert author.post("/me/language", {"language": "en"}).status_code == 303  # as the CLI
    assert f'action="/posts/{post["id"]}/resolve"' not in author.client.get("/posts").text
    refused = author.post(f"/posts/{post['id']}/resolve", {"outcome": "not_published"})
    assert refused.status_code == 403 and "post resolve needs" in html.unescape(refused.text)
    with pytest.raises(Refused, match="the admin role or the leader role"):
        actions.resolve_post(console.as_token("author"), post["id"], published=None,
                             not_published=True)  # fmt: skip
    assert actions.list_posts(console.as_token("author"), draft_id=draft)[0]["state"] == "unknown"
    leader = console.person("leader")
    done = leader.post(
        f"/posts/{post['id']}/resolve", {"outcome": "published", "url": "https://site.example/1"}
    )
    assert done.status_code == 303
    event = _events(console, "post.published", str(post["id"]))[-1]  # after the dispatcher's
    assert event.actor_id == _user_id(console, "leader")


def test_a_deactivated_persons_work_shows_up_for_others(console: Console) -> None:
    _join(console, "张责任", "proofreader")
    actions.change_account(
        console.as_token("admin"), console.accounts["douyin"], reason="责任人",
        responsible="张责任",
    )  # fmt: skip
    signed = _signed_and_dispatched(console, ["douyin"])
    returned = console.draft(title="关于冬季旅游安全提示的通知")
    console.wait_flows()
    actions.decide(console.as_token("p1"), returned, verdict=actions.Verdict.REJECT,
                   opinion="请补充日期", gate="一校")  # fmt: skip
    author = console.person("author")
    assert author.client.get("/").status_code == 200
    before = console.person("admin").client.get("/").text
    assert "停用人员留下的工作" not in before
    people.set_active(console.as_token("admin"), "author", active=False, reason="离职")
    # Their session and token stop at once.
    assert author.client.get("/", follow_redirects=False).status_code in (303, 401)
    gone = console.person("author", login=False).client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {console.tokens['author']}"}
    )
    assert gone.status_code == 401
    work = people.my_work(console.as_token("admin"))
    (post,) = work["left"]["posts"]
    assert post["draft_id"] == signed and post["author"] == "author"
    assert [d["id"] for d in work["left"]["drafts"]] == [returned]
    assert work["count"] >= 2
    page = console.person("admin").client.get("/").text
    assert "停用人员留下的工作" in page and "关于冬季旅游安全提示的通知" in page
    mine = people.my_work(console.as_token("张责任"))
    assert [p["id"] for p in mine["left"]["posts"]] == [post["id"]] and not mine["left"]["drafts"]
    assert people.my_work(console.as_token("editor"))["left"]["count"] == 0
    # The responsible person takes it over: the package is confirmed by them.
    actions.confirm_post(console.as_token("张责任"), post["id"], url="https://dy.example/3")
    assert people.my_work(console.as_token("张责任"))["left"]["count"] == 0


def test_a_reviewer_escalates_from_the_draft_page_and_the_sheet_shows_the_check(
    console: Console,
) -> None:
    _join(console, "保密员", "secrecy")
    draft = console.draft()
    console.wait_flows()
    console.pass_gates(draft, 3)
    chief = console.person("chief")
    page = chief.client.get(f"/drafts/{draft}").text
    assert f'action="/drafts/{draft}/escalate"' in page and "送保密审查" in page
    sent = chief.post(
        f"/drafts/{draft}/escalate",
        {"check": "check_secrecy", "opinion": "涉及内部安排", "version": "1", "gate": "review_2"},
    )
    assert sent.status_code == 303
    page = chief.client.get(f"/drafts/{draft}").text
    assert "送保密审查" in page and f'action="/drafts/{draft}/decision"' not in page
    checker = console.person("保密员")
    page = checker.client.get(f"/drafts/{draft}").text
    assert 'name="gate" value="check_secrecy"' in page
    decided = checker.post(
        f"/drafts/{draft}/decision",
        {"verdict": "approve", "opinion": "不涉密", "version": "1", "gate": "check_secrecy"},
    )
    assert decided.status_code == 303
    sheet = chief.client.get(f"/drafts/{draft}/sheet").text
    assert "专项审查" in sheet and "保密审查" in sheet
    assert "涉及内部安排" in sheet and "保密员" in sheet and "不涉密" in sheet
    (event,) = _events(console, "gate.escalate", str(draft))
    assert json.loads(event.data)["check"] == "check_secrecy"
    assert event.actor_id == _user_id(console, "chief")


def test_a_gate_nobody_active_may_decide_is_shown_to_the_admins(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    console.pass_gates(draft, 5)  # waits at 终审, and there is one leader
    admin = console.as_token("admin")
    assert people.my_work(admin)["left"]["stuck"] == []
    people.set_active(admin, "leader", active=False, reason="外出学习")
    (stuck,) = people.my_work(admin)["left"]["stuck"]
    assert (stuck["id"], stuck["gate"], stuck["role"]) == (draft, "终审", "leader")
    assert "没有在职人员担任" in console.person("admin").client.get("/").text
    assert people.my_work(console.as_token("chief"))["left"]["stuck"] == []
    _join(console, "新领导", "leader")
    assert people.my_work(admin)["left"]["stuck"] == []
    (waiting,) = people.my_work(console.as_token("新领导"))["to_decide"]
    assert waiting["id"] == draft
