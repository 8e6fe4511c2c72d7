"""The admin pages and the reports in a real browser: an admin adds a user, lets a word
pass, sets a freeze, acknowledges an alert, filters the audit log and reads the calendar;
the monthly report as a console page and as the report.html file. Each page passes an
axe-core check with no serious or critical violation; the screenshots are kept with the
test's files (and with ``--screenshots DIR`` written there too)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from console import actions, monthly
from console.workspace import Workspace
from domain.gates import Verdict
from sqlmodel_db.drafts import Upload
from tests.console.web.conftest import Site
from tests.console.web.test_browser import (
    DECIDERS,
    NOTICE,
    Person,
    _axe,
)
from tests.factories import jpeg

pytestmark = pytest.mark.slow


def _signed(admin_ws: Workspace, title: str) -> int:
    """A notice through all six gates, decided by the people whose names the gates ask."""
    ids = {u["name"]: u["id"] for u in actions.list_users(admin_ws)}
    accounts = {a["name"]: a["id"] for a in actions.list_accounts(admin_ws)}
    author = admin_ws.as_user(ids["王小文"])
    made = actions.create_draft(
        author, title=title, body=NOTICE, summary="冬季文旅消费季12月15日开幕",
        cover=Upload(jpeg(1600, 900), "image/jpeg"), targets=[accounts["通知公告"]],
    )  # fmt: skip
    actions.submit_draft(author, made["id"])
    for name in DECIDERS:
        who = admin_ws.as_user(ids[name])
        shown = actions.show_draft(who, made["id"])
        actions.decide(
            who, made["id"], verdict=Verdict.APPROVE, opinion="同意",
            version=shown["version"], gate=shown["gate"]["key"],
        )  # fmt: skip
    return int(made["id"])


def test_admin_pages_and_the_monthly_report_in_a_browser(
    site: tuple[Site, Workspace],
    chromium: Any,
    tmp_path: Path,
    shots: list[Path],
) -> None:
    served, admin_ws = site
    checked: dict[str, list[dict[str, Any]]] = {}
    home = Path(admin_ws.settings.home)

    # A month's worth in small: a notice signed and fanned out with a deadline, the main
    # account's post published, the other not yet; an account quiet for a month.
    draft = _signed(admin_ws, "关于举办冬季文化和旅游消费季活动的通知")
    tz = admin_ws.settings.tz
    deadline = datetime.now(tz) + timedelta(hours=1)
    actions.fan_out(admin_ws, draft, group="culture-tourism",
                    deadline=deadline.strftime("%Y-%m-%d %H:%M"))  # fmt: skip
    db = sqlite3.connect(home / "matrixpub.db")
    db.execute(
        "UPDATE posts SET due_at = ? WHERE channel = 'website'",
        ((datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S"),),
    )
    db.commit()
    actions.dispatch_once(admin_ws)
    db.execute(
        "UPDATE accounts SET created_at = ? WHERE platform = 'douyin'",
        ((datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S"),),
    )
    db.commit()
    db.close()
    today = datetime.now(tz).date()
    frozen_day = today + timedelta(days=2)
    actions.add_freeze(admin_ws, start=f"{frozen_day} 00:00",
                       end=f"{frozen_day} 23:59", reason="重要会议期间")  # fmt: skip

    admin = Person(chromium, served, "admin").login()
    page = admin.open("/admin")
    checked["admin"] = _axe(page)

    page = admin.open("/admin/users")
    page.get_by_label("姓名").fill("李运营")
    page.get_by_label("作者（author）").check()
    page.get_by_role("button", name="添加").click()
    page.get_by_text("命令行令牌只显示这一次").wait_for()
    page.locator("#user-9").get_by_placeholder("理由").fill("借调结束")
    page.locator("#user-9").get_by_role("button", name="停用").click()
    page.get_by_text("李运营 已停用").wait_for()
    admin.shot(shots, "admin-users")
    checked["admin-users"] = _axe(page)

    page = admin.open("/admin/lexicon?category=absolute_term")
    page.get_by_label("词语", exact=True).nth(1).fill("国家级")
    page.get_by_label("理由").fill("正式评定的国家级景区称号")
    page.get_by_role("button", name="放行").click()
    page.get_by_text("已放行 国家级").wait_for()
    admin.shot(shots, "admin-lexicon", full=False)
    checked["admin-lexicon"] = _axe(page)

    page = admin.open("/admin/freezes")
    assert "重要会议期间" in page.inner_text("main")
    admin.shot(shots, "admin-freezes")
    checked["admin-freezes"] = _axe(page)

    page = admin.open("/admin/settings")
    page.locator("#v-repost_warn_hours").fill("3")
    page.locator("#setting-repost_warn_hours").get_by_role("button", name="保存").click()
    page.get_by_text("repost_warn_hours = 3").wait_for()
    admin.shot(shots, "admin-settings")
    checked["admin-settings"] = _axe(page)

    page = admin.open("/admin/alerts")
    text = page.inner_text("main")
    assert "账号未更新" in text and "集中转载可能逾期" in text
    card = page.locator("li.card", has_text="集中转载可能逾期").first
    card.get_by_placeholder("做了什么").fill("已通知古城文旅责任人，抖音单独制作短视频转发")
    card.get_by_role("button", name="已处理").click()
    page.locator(".notice.ok", has_text="已处理").wait_for()
    assert "集中转载可能逾期" not in page.inner_text("main")
    page = admin.open("/admin/alerts?all=1")
    assert "由 admin 处理：已通知古城文旅责任人" in page.inner_text("main")
    admin.shot(shots, "admin-alerts")
    checked["admin-alerts"] = _axe(page)

    page = admin.open("/admin/audit")
    page.get_by_label("操作人").select_option("admin")
    page.get_by_label("操作", exact=True).select_option(label="提醒")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("cell", name="提醒已处理").first.wait_for()
    assert "郑局长" not in page.inner_text("tbody")
    admin.shot(shots, "admin-audit")
    checked["admin-audit"] = _axe(page)

    page = admin.open("/admin/calendar")
    assert "通知公告" in page.inner_text("main")
    # The frozen day's own week (from Saturday on, two days later is in the week after);
    # Monday to Friday that is this week, and the picture shows both.
    page = admin.open(f"/admin/calendar?day={frozen_day}")
    assert "冻结" in page.inner_text("thead")
    admin.shot(shots, "admin-calendar")
    checked["admin-calendar"] = _axe(page)
    page = admin.open(f"/admin/calendar?view=month&day={today}")
    admin.shot(shots, "admin-calendar-month")

    page = admin.open("/reports/reposts")
    assert "将逾期" in page.inner_text("main") and "按时" in page.inner_text("main")
    admin.shot(shots, "reposts")
    checked["reposts"] = _axe(page)

    page = admin.open("/reports/monthly")
    assert page.locator("figure.chart svg").count() == 6
    admin.shot(shots, "report-page")
    checked["report-page"] = _axe(page)

    # The report.html file, as a person opens it from a folder.
    made = monthly.write_report(admin_ws, month=f"{today:%Y-%m}", out=tmp_path / "report")
    page = admin.page
    page.goto(Path(made["html"]).as_uri())
    page.wait_for_load_state("load")
    assert page.locator("figure.chart svg").count() == 6
    box = page.locator("figure.chart svg").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert "每周发布条数" in page.inner_text("body")
    admin.shot(shots, "report-file")
    checked["report-file"] = _axe(page)

    assert not admin.errors, admin.errors
    bad = {name: found for name, found in checked.items() if found}
    assert bad == {}, f"axe-core found serious or critical violations: {bad}"
