"""The admin pages over HTTP: admins only, every change a form with the session's CSRF
token, through the same functions as the CLI; the reports as pages."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from console import actions
from console.workspace import Workspace
from tests.console.web.conftest import PASSWORD, Console


def _db(console: Console, sql: str, *args: object) -> None:
    db = sqlite3.connect(console.home / "matrixpub.db")
    db.execute(sql, args)
    db.commit()
    db.close()


PAGES = ["/admin", "/admin/users", "/admin/lexicon", "/admin/freezes", "/admin/settings",
         "/admin/alerts", "/admin/audit", "/admin/calendar"]  # fmt: skip


def test_admin_pages_are_for_admins_only(console: Console) -> None:
    author = console.person("author")
    for path in PAGES:
        page = author.client.get(path)
        assert page.status_code == 403, path
    assert "管理" not in author.client.get("/").text.split("<main")[0]
    refused = author.post("/admin/users", {"name": "x", "roles": "author"})
    assert refused.status_code == 403
    admin = console.person("admin")
    assert 'href="/admin"' in admin.client.get("/").text
    for path in PAGES:
        assert admin.client.get(path).status_code == 200, path


def test_users_are_added_deactivated_and_given_a_new_password(console: Console) -> None:
    admin = console.person("admin")
    no_csrf = admin.client.post("/admin/users", data={"name": "新人", "roles": ["author"]})
    assert no_csrf.status_code == 403
    made = admin.post("/admin/users", {"name": "新人", "roles": ["author", "proofreader"]})
    assert made.status_code == 200 and "命令行令牌只显示这一次" in made.text
    token = made.text.split('<code class="token">')[1].split("<")[0]
    assert actions.whoami(Workspace.from_env(token=token))["roles"] == ["author", "proofreader"]
    twice = admin.post("/admin/users", {"name": "新人", "roles": ["author"]})
    assert twice.status_code == 403 and "新人" in twice.text

    roles = admin.post("/admin/users/新人/roles", {"roles": ["editor"]})
    assert roles.status_code == 303 and "初审" in unquote(roles.headers["location"])
    assert actions.whoami(Workspace.from_env(token=token))["roles"] == ["editor"]
    none = admin.post("/admin/users/新人/roles", {})
    assert none.status_code == 400
    again = admin.post("/admin/users/新人/token")
    assert again.status_code == 200 and "旧令牌已失效" in again.text
    fresh = again.text.split('<code class="token">')[1].split("<")[0]
    assert fresh != token and actions.whoami(Workspace.from_env(token=fresh))["name"] == "新人"
    reset = admin.post("/admin/users/p1/password", {"password": "another-pass-9"})
    assert reset.status_code == 303 and "已重设" in unquote(reset.headers["location"])
    assert console.person("p1", login=False).login("another-pass-9").status_code == 303
    short = admin.post("/admin/users/p1/password", {"password": "short"})
    assert short.status_code == 400

    p2 = console.person("p2")
    off = admin.post("/admin/users/p2/active", {"active": "0", "reason": "调岗"})
    assert off.status_code == 303
    assert p2.client.get("/", follow_redirects=False).status_code == 303  # logged out
    assert console.person("p2", login=False).login(PASSWORD).status_code == 401
    page = admin.client.get("/admin/users").text
    assert "已停用" in page
    on = admin.post("/admin/users/p2/active", {"active": "1", "reason": "回岗"})
    assert on.status_code == 303
    assert console.person("p2", login=False).login(PASSWORD).status_code == 303


def test_word_lists_freezes_and_settings(console: Console) -> None:
    admin = console.person("admin")
    added = admin.post(
        "/admin/lexicon/term",
        {"category": "confusable", "term": "部署安按", "suggest": "部署安排", "severity": ""},
    )
    assert added.status_code == 303, added.text.split("notice bad")[-1][:300]
    page = admin.client.get("/admin/lexicon?category=confusable&q=部署").text
    assert "部署安按" in page and "部署安排" in page
    allowed = admin.post("/admin/lexicon/allow", {"term": "国家级", "reason": "正式评定的称号"})
    assert allowed.status_code == 303
    assert "国家级" in admin.client.get("/admin/lexicon?category=allow").text
    no_reason = admin.post("/admin/lexicon/allow", {"term": "世界级", "reason": ""})
    assert no_reason.status_code == 400

    made = admin.post(
        "/admin/freezes",
        {"start": "2030-02-01T00:00", "end": "2030-02-03T00:00", "reason": "重要会议"},
    )
    assert made.status_code == 303
    (freeze,) = actions.list_freezes(console.as_token("admin"))
    assert freeze["reason"] == "重要会议"
    backwards = admin.post(
        "/admin/freezes", {"start": "2030-03-02T00:00", "end": "2030-03-01T00:00", "reason": "x"}
    )
    assert backwards.status_code == 400
    lifted = admin.post(f"/admin/freezes/{freeze['id']}/lift", {"reason": "会议改期"})
    assert lifted.status_code == 303
    assert "已于" in admin.client.get("/admin/freezes").text

    saved = admin.post("/admin/settings", {"key": "manual_wait_hours", "value": "12"})
    assert saved.status_code == 303
    shown = {s["key"]: s for s in actions.show_settings(console.as_token("admin"))}
    assert shown["manual_wait_hours"]["value"] == "12"
    bad = admin.post("/admin/settings", {"key": "manual_wait_hours", "value": "lots"})
    assert bad.status_code == 400 and "之间的整数" in bad.text


def test_alerts_are_acknowledged_with_a_note_and_the_audit_log_names_people(
    console: Console,
) -> None:
    admin = console.person("admin")
    month_ago = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
    _db(console, "UPDATE accounts SET created_at = ?", month_ago)  # nothing posted for 30 days
    inbox = admin.client.get("/admin/alerts").text
    assert "账号未更新" in inbox and "通知公告" in inbox
    alert = next(a for a in actions.list_alerts(console.as_token("admin")) if a["account_id"])
    empty = admin.post(f"/admin/alerts/{alert['id']}/ack", {"note": "  "})
    assert empty.status_code == 400
    done = admin.post(f"/admin/alerts/{alert['id']}/ack", {"note": "已安排本周发布"})
    assert done.status_code == 303
    again = admin.post(f"/admin/alerts/{alert['id']}/ack", {"note": "again"})
    assert again.status_code == 403
    history = admin.client.get("/admin/alerts?all=1").text
    assert "由 admin 处理：已安排本周发布" in history

    draft = console.draft()
    log = admin.client.get("/admin/audit", params={"action": "alert.acknowledged"}).text
    assert "alert.acknowledged" in log and "<td>admin</td>" in log and "draft.created" not in log
    by_author = admin.client.get("/admin/audit", params={"actor": "author"}).text
    assert "<td>author</td>" in by_author and "<td>admin</td>" not in by_author
    about = admin.client.get("/admin/audit", params={"draft": str(draft)}).text
    assert f"draft:{draft}" in about and "<code>alert." not in about
    today = datetime.now(console.ws.settings.tz).date()
    future = admin.client.get("/admin/audit", params={"since": str(today + timedelta(days=1))})
    assert "没有符合条件的事件" in future.text
    span = admin.client.get("/admin/audit", params={"since": str(today), "until": str(today)})
    assert "alert.acknowledged" in span.text
    bad = admin.client.get("/admin/audit", params={"since": "yesterday"})
    assert bad.status_code == 400 and "的日期" in bad.text
    nobody = admin.client.get("/admin/audit", params={"actor": "nobody"})
    assert nobody.status_code == 400


def test_calendar_shows_scheduled_posts_per_account_and_freezes(console: Console) -> None:
    admin = console.person("admin")
    draft = console.draft()
    console.pass_gates(draft, 6)
    console.wait_flows()
    posts = actions.list_posts(console.as_token("admin"))
    assert posts
    tz = console.ws.settings.tz
    due = datetime.fromisoformat(posts[0]["due_at"]).astimezone(tz)
    day = due.date()
    actions.add_freeze(
        console.as_token("admin"),
        start=f"{day + timedelta(days=1)} 00:00",
        end=f"{day + timedelta(days=1)} 23:00",
        reason="封网测试",
    )
    week = admin.client.get("/admin/calendar", params={"day": str(day)}).text
    assert "通知公告" in week
    # The frozen day's own week: on a Sunday the next day is in the week after.
    frozen = admin.client.get("/admin/calendar", params={"day": str(day + timedelta(days=1))}).text
    assert "封网测试" in frozen and "冻结</span>" in frozen
    month = admin.client.get("/admin/calendar", params={"view": "month", "day": str(day)}).text
    assert f"{day:%m-%d}" in month and "通知公告" in month
    later = admin.client.get("/admin/calendar", params={"day": str(day + timedelta(days=70))})
    assert "这段时间没有安排发布" in later.text
    assert admin.client.get("/admin/calendar", params={"view": "year"}).status_code == 400


def test_reports_are_pages_too(console: Console) -> None:
    admin = console.person("admin")
    page = admin.client.get("/reports/monthly")
    assert page.status_code == 200 and page.text.count("<svg") == 6
    assert "<script type" not in page.text.split("</head>")[1]
    book = admin.client.get("/reports/monthly/report.xlsx", params={"month": "2026-11"})
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert admin.client.get("/reports/monthly", params={"month": "13"}).status_code == 400
    author = console.person("author")
    assert author.client.get("/reports/monthly").status_code == 403
    reposts = author.client.get("/reports/reposts")
    assert reposts.status_code == 200 and "还没有集中转载" in reposts.text


def test_a_long_word_list_is_searched_and_shown_a_page_at_a_time(console: Console) -> None:
    admin = console.person("admin")
    added = admin.post(
        "/admin/lexicon/term",
        {"category": "confusable", "term": "部署安按", "suggest": "部署安排", "severity": ""},
    )
    assert added.status_code == 303
    first = admin.client.get("/admin/lexicon?category=confusable")
    rows = first.text.split("<tbody>")[-1].count("<tr>")
    assert first.status_code == 200 and rows == 200  # thousands of entries, one page of them
    assert 'rel="next"' in first.text and "page=2" in first.text
    assert "category=confusable" in first.text.split('rel="next"')[0].rsplit("href=", 1)[-1]
    second = admin.client.get("/admin/lexicon?category=confusable&page=2")
    assert second.status_code == 200 and 'rel="prev"' in second.text
    found = admin.client.get("/admin/lexicon", params={"category": "confusable", "q": "署安按"})
    table = found.text.split("<tbody>")[-1].split("</tbody>")[0]
    assert "部署安按" in table and "部署安排" in table and table.count("<tr>") == 1
    by_suggestion = admin.client.get(
        "/admin/lexicon", params={"category": "confusable", "q": "部署安排"}
    )
    assert "部署安按" in by_suggestion.text
    for hostile in ("abc", "-1", "99999999999", "1e9"):
        page = admin.client.get(
            "/admin/lexicon", params={"category": "confusable", "page": hostile}
        )
        assert page.status_code == 200 and page.text.split("<tbody>")[-1].count("<tr>") >= 1
    last = admin.client.get("/admin/lexicon", params={"category": "confusable", "page": "99999"})
    assert 'rel="next"' not in last.text and 'rel="prev"' in last.text
