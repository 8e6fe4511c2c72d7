"""Logging in: passwords, sessions in the database, cookies, CSRF, and the brake on
guessing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from console import people
from domain.errors import Refused
from sqlmodel_db.models import AuditEvent, User, WebSession
from sqlmodel_db.types import utcnow
from sqlmodel_db.web_sessions import LOCK_AFTER, SLOW_AFTER
from tests.console.web.conftest import PASSWORD, Console, csrf_of


def test_the_login_form_is_the_contract(console: Console) -> None:
    page = console.person("p1", login=False).client.get("/login")
    assert page.status_code == 200
    for field in ('name="username"', 'name="password"', 'name="csrf_token"', 'type="hidden"'):
        assert field in page.text
    assert 'lang="zh-CN"' in page.text


def test_a_right_password_logs_in_and_sets_a_safe_cookie(console: Console) -> None:
    who = console.person("p1", login=False)
    answer = who.login()
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"].lower()
    assert "mp_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http on this machine
    home = who.client.get("/")
    assert home.status_code == 200 and "我的待办" in home.text and "p1" in home.text


def test_the_cookie_is_secure_over_https(console: Console) -> None:
    answer = console.person("p1", login=False, https=True).login()
    assert answer.status_code == 303
    assert "secure" in answer.headers["set-cookie"].lower()


def test_a_wrong_password_is_refused_and_starts_no_session(console: Console) -> None:
    who = console.person("p1", login=False)
    answer = who.login("not-the-password")
    assert answer.status_code == 401 and "用户名或密码不正确" in answer.text
    assert "mp_session" not in answer.headers.get("set-cookie", "")
    assert who.client.get("/", follow_redirects=False).status_code == 303
    unknown = console.person("nobody", login=False).login()
    assert unknown.status_code == 401 and "用户名或密码不正确" in unknown.text  # same words


def test_a_login_without_its_csrf_token_is_refused(console: Console) -> None:
    who = console.person("p1", login=False)
    who.client.get("/login")
    answer = who.client.post(
        "/login", data={"username": "p1", "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 403
    forged = who.client.post(
        "/login",
        data={"username": "p1", "password": PASSWORD, "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    with console.ws.session() as session:
        assert session.exec(select(WebSession)).first() is None


def test_pages_need_a_login(console: Console) -> None:
    client = console.person("p1", login=False).client
    for path in ("/", "/drafts", "/drafts/new", "/posts", "/me/password"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=")


def test_after_login_the_person_lands_where_they_were_going(console: Console) -> None:
    who = console.person("p1", login=False)
    page = who.client.get("/login?next=/posts")
    answer = who.client.post(
        "/login",
        data={"username": "p1", "password": PASSWORD, "csrf_token": csrf_of(page.text),
              "next": "/posts"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.headers["location"] == "/posts"
    other = console.person("p2", login=False)
    page = other.client.get("/login")
    answer = other.client.post(
        "/login",
        data={"username": "p2", "password": PASSWORD, "csrf_token": csrf_of(page.text),
              "next": "https://evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.headers["location"] == "/"  # never to another site


def test_logging_out_ends_the_session(console: Console) -> None:
    who = console.person("p1")
    assert who.post("/logout").status_code == 303
    assert who.client.get("/", follow_redirects=False).status_code == 303
    with console.ws.session() as session:
        (row,) = session.exec(select(WebSession)).all()
        assert row.ended_at is not None and row.ended_reason == "logout"


def test_changing_a_password_ends_every_session_of_that_person(console: Console) -> None:
    phone, desk = console.person("p1"), console.person("p1")
    changed = desk.post("/me/password", {"password": "a-new-secret-9", "again": "a-new-secret-9"})
    assert changed.status_code == 303 and changed.headers["location"] == "/login?changed=1"
    for who in (phone, desk):
        assert who.client.get("/", follow_redirects=False).status_code == 303
    assert console.person("p1", login=False).login(PASSWORD).status_code == 401
    assert console.person("p1", login=False).login("a-new-secret-9").status_code == 303


def test_an_admin_sets_a_password_and_the_users_sessions_end(console: Console) -> None:
    p1 = console.person("p1")
    people.set_password(console.as_token("admin"), "p1", password="reset-by-admin-1")
    assert p1.client.get("/", follow_redirects=False).status_code == 303
    with pytest.raises(Refused, match="needs the admin role or the person themselves"):
        people.set_password(console.as_token("p2"), "p1", password="taken-over-123")


def test_deactivating_a_user_ends_their_sessions_at_once(console: Console) -> None:
    p1 = console.person("p1")
    assert p1.client.get("/").status_code == 200
    people.set_active(console.as_token("admin"), "p1", active=False, reason="调离岗位")
    assert p1.client.get("/", follow_redirects=False).status_code == 303
    assert console.person("p1", login=False).login().status_code == 401
    people.set_active(console.as_token("admin"), "p1", active=True, reason="返岗")
    assert console.person("p1", login=False).login().status_code == 303


def test_weak_passwords_are_refused_with_a_reason(console: Console) -> None:
    who = console.person("p1")
    assert who.post("/me/language", {"language": "en"}).status_code == 303  # reasons in English
    for bad, words in (("short", "at least 8"), ("aaaaaaaaaa", "too easy"), ("p1", "at least 8")):
        answer = who.post("/me/password", {"password": bad, "again": bad})
        assert answer.status_code == 400 and words in answer.text
    differ = who.post("/me/password", {"password": "one-secret-1", "again": "two-secret-2"})
    assert differ.status_code == 400 and "The two passwords differ" in differ.text
    assert who.client.get("/").status_code == 200  # still logged in: nothing changed


def test_repeated_failures_slow_the_next_try_down(console: Console) -> None:
    for _ in range(SLOW_AFTER):
        assert console.person("p1", login=False).login("wrong-guess").status_code == 401
    with console.ws.session() as session:
        user = session.exec(select(User).where(User.name == "p1")).one()
        assert user.failed_logins == SLOW_AFTER and user.last_failed_login is not None
        # The pause after these failures is one second, which a loaded machine may spend
        # before the next request arrives; five more failures just now make it 32 s (the
        # pause doubles with each), so the right password surely comes too soon.
        user.failed_logins, user.last_failed_login = SLOW_AFTER + 5, utcnow()
        session.add(user)
        session.commit()
    right_but_too_soon = console.person("p1", login=False).login(PASSWORD)
    assert right_but_too_soon.status_code == 401
    assert "秒后再试" in right_but_too_soon.text


def test_ten_failures_lock_the_login_for_a_while_on_record(console: Console) -> None:
    now = utcnow()
    for i in range(LOCK_AFTER):
        with pytest.raises(Refused):  # each try after the pause of the one before
            people.log_in(console.ws, name="p1", password="wrong", now=now + timedelta(minutes=i))
    locked_at = now + timedelta(minutes=LOCK_AFTER)
    with pytest.raises(Refused, match="locked"):
        people.log_in(console.ws, name="p1", password=PASSWORD, now=locked_at)
    later = people.log_in(
        console.ws, name="p1", password=PASSWORD, now=locked_at + timedelta(minutes=16)
    )
    assert later.name == "p1"
    with console.ws.session() as session:
        actions = [e.action for e in session.exec(select(AuditEvent))]
        assert "user.login_locked" in actions
        user = session.exec(select(User).where(User.name == "p1")).one()
        assert user.failed_logins == 0 and user.locked_until is None


def test_a_person_chooses_the_consoles_language(console: Console) -> None:
    p1 = console.person("p1")
    assert "我的待办" in p1.client.get("/").text  # zh-CN by default
    answer = p1.post("/me/language", {"language": "en", "back": "/drafts"})
    assert answer.status_code == 303 and answer.headers["location"] == "/drafts"
    page = p1.client.get("/drafts").text
    assert "My work" in page and "我的待办" not in page and '<html lang="en">' in page
    refused = p1.client.get("/drafts/99")
    assert refused.status_code == 404 and "no draft 99" in refused.text
    p1.post("/me/language", {"language": "zh-CN"})
    assert "没有草稿 99" in p1.client.get("/drafts/99").text
    assert p1.post("/me/language", {"language": "en", "back": "//evil.example"}).headers[
        "location"
    ] == "/"  # fmt: skip
