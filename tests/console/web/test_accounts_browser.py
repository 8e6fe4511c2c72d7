"""The accounts pages in a real browser: a request to open an account filed on the
registry page, a leader approving it in another browser, the account's 审签单, and the
kept-alive dashboard; screenshots kept, and an axe-core check of each page."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from console.workspace import Workspace
from tests.console.web.conftest import Site
from tests.console.web.test_browser import Person, _axe

pytestmark = pytest.mark.slow


def test_accounts_request_approval_sheet_and_dashboard(
    site: tuple[Site, Workspace],
    chromium: Any,
    shots: list[Path],
) -> None:
    served, admin_ws = site
    # One column quiet for a while: 11 of its 14 days gone.
    db = sqlite3.connect(admin_ws.settings.home / "matrixpub.db")
    db.execute("UPDATE accounts SET created_at = datetime('now', '-11 days') WHERE id = 2")
    db.commit()
    db.close()

    admin = Person(chromium, served, "admin").login()
    page = admin.open("/accounts")
    page.get_by_label("平台", exact=True).select_option("weibo")
    page.get_by_label("账号名称", exact=True).fill("古城文旅微博")
    page.get_by_label("主办单位", exact=True).fill("市文化和旅游局")
    page.get_by_label("责任人", exact=True).fill("admin")
    page.get_by_label("开设理由", exact=True).fill("拓展文旅宣传渠道")
    page.get_by_role("button", name="提交开设申请").click()
    page.wait_for_url(f"{served.url}/accounts")
    assert page.locator("#account-3").get_by_text("申请中").is_visible()

    leader = Person(chromium, served, "郑局长").login()
    page = leader.open("/accounts")
    card = page.locator("#request-1")
    card.get_by_label("审批意见").fill("同意开设，按期备案")
    card.get_by_role("button", name="批准", exact=True).click()
    page.wait_for_url(f"{served.url}/accounts")
    assert page.locator("#account-3").get_by_text("运行").is_visible()
    leader.shot(shots, "accounts")
    checked = {"accounts": _axe(page)}

    page = admin.open("/accounts/3")
    sheet = page.locator("#request-1")
    assert sheet.get_by_text("同意开设，按期备案").is_visible()
    assert sheet.get_by_text("拓展文旅宣传渠道").is_visible()
    assert sheet.get_by_text("待备案").is_visible()
    admin.shot(shots, "account-sheet")
    checked["account-sheet"] = _axe(page)

    page = admin.open("/accounts/dashboard")
    row = page.locator("#fresh-2")
    assert row.get_by_text("11 / 14 天").is_visible()
    assert row.get_by_text("即将超期").is_visible()
    admin.shot(shots, "accounts-dashboard")
    checked["accounts-dashboard"] = _axe(page)

    assert {name: found for name, found in checked.items() if found} == {}
    assert admin.errors == [] and leader.errors == []
    admin.context.close()
    leader.context.close()
