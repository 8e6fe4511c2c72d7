"""The accounts pages over HTTP: the registry with states and days since the last post,
an open request approved on the web, the account's 审签单, the credentials form with its
connection test, and the dashboard."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from console import actions, governance
from tests.console.web.conftest import Console
from tests.fakes import FakeWeChat


@pytest.fixture
def wechat(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWeChat]:
    with FakeWeChat() as fake:
        monkeypatch.setenv("MATRIXPUB_API_HOSTS", f"wechat_oa={fake.url}")
        yield fake


def test_request_approve_and_the_sheet(console: Console) -> None:
    admin = console.person("admin")
    page = admin.client.get("/accounts")
    assert page.status_code == 200 and "通知公告" in page.text and "运行" in page.text
    asked = admin.post(
        "/accounts/register",
        {"platform": "weibo", "name": "文旅微博", "unit": "市文化和旅游局",
         "responsible": "author", "reason": "开展文旅宣传", "mode": "request"},
    )  # fmt: skip
    assert asked.status_code == 303
    (request,) = governance.list_requests(console.as_token("admin"))
    listed = admin.client.get("/accounts").text
    assert f'id="request-{request["id"]}"' in listed and "申请中" in listed
    # Only a leader decides; the refusal is said on the page and changes nothing.
    refused = admin.post(f"/accounts/requests/{request['id']}/approve", {"opinion": "同意"})
    assert refused.status_code == 403 and "终审领导" in refused.text
    leader = console.person("leader")
    empty = leader.post(f"/accounts/requests/{request['id']}/approve", {"opinion": " "})
    assert empty.status_code == 400 and "须填写意见" in empty.text
    done = leader.post(f"/accounts/requests/{request['id']}/approve", {"opinion": "同意开设"})
    assert done.status_code == 303
    sheet = admin.client.get(f"/accounts/{request['account_id']}").text
    assert "政务新媒体账号审签单" in sheet and "同意开设" in sheet and "开展文旅宣传" in sheet
    assert "leader" in sheet and "备案期限" in sheet and "待备案" in sheet
    assert "data-print" in sheet


def test_credentials_form_tests_the_connection(wechat: FakeWeChat, console: Console) -> None:
    admin_ws = console.as_token("admin")
    account = actions.register_account(
        admin_ws, platform="wechat_oa", name="文旅公众号", unit="市文化和旅游局"
    )["id"]
    admin = console.person("admin")
    page = admin.client.get(f"/accounts/{account}").text
    assert 'name="field_appid"' in page and 'name="field_appsecret"' in page
    wrong = admin.post(
        f"/accounts/{account}/credentials",
        {"secret_block": "wx-web", "field_appid": wechat.secret["appid"],
         "field_appsecret": "not-it", "test": "1"},
    )  # fmt: skip
    assert wrong.status_code == 403 and "未保存任何内容" in wrong.text
    assert "not-it" not in wrong.text
    assert actions.show_account(admin_ws, account)["secret_block"] is None
    fine = admin.post(
        f"/accounts/{account}/credentials",
        {"secret_block": "wx-web", "field_appid": wechat.secret["appid"],
         "field_appsecret": wechat.secret["appsecret"], "test": "1"},
    )  # fmt: skip
    assert fine.status_code == 200 and "已保存到 Secret 块 wx-web" in fine.text
    assert wechat.secret["appsecret"] not in fine.text
    assert actions.show_account(admin_ws, account)["secret_block"] == "wx-web"
    assert wechat.count("/cgi-bin/get_api_domain_ip") == 1


def test_dashboard_days_since_last_post(console: Console) -> None:
    import sqlite3

    db = sqlite3.connect(console.home / "matrixpub.db")
    db.execute(
        "UPDATE accounts SET created_at = datetime('now', '-9 days') WHERE id = ?",
        (console.accounts["douyin"],),
    )
    db.commit()
    db.close()
    admin = console.person("author")
    page = admin.client.get("/accounts/dashboard").text
    row = re.search(rf'id="fresh-{console.accounts["douyin"]}".*?</tr>', page, re.S)
    assert row and "9 / 14 天" in row.group(0) and "即将超期" in row.group(0)
    fresh = re.search(rf'id="fresh-{console.accounts["web"]}".*?</tr>', page, re.S)
    assert fresh and "0 / 14 天" in fresh.group(0) and "正常" in fresh.group(0)
    assert json.dumps(governance.keepalive_board(console.as_token("admin")))
