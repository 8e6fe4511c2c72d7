"""The language in a real browser (Playwright driving Debian's chromium): a reviewer
switches the console to English in the header, logs out, and logs in again from a fresh
browser, which has never seen the choice; the pages are in English there, because the
choice is on record, not in a cookie. Back to Chinese the same way.

Screenshots of a few pages in both languages, at desktop and phone widths, are kept with
the test's files (and with ``--screenshots DIR`` written there too): English's longer
words are where a layout breaks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from console import actions
from console.workspace import Workspace
from sqlmodel_db.drafts import Upload
from tests.console.web.conftest import PASSWORD, Site
from tests.console.web.test_browser import (
    NOTICE,
    Person,
)
from tests.console.web.test_language import GLOSSES
from tests.factories import jpeg

pytestmark = pytest.mark.slow

CJK = re.compile(r"[\u3400-\u9fff]+")


def _submitted(admin_ws: Workspace, body: str = NOTICE) -> tuple[int, str]:
    ids = {u["name"]: u["id"] for u in actions.list_users(admin_ws)}
    accounts = [a["id"] for a in actions.list_accounts(admin_ws)]
    author = admin_ws.as_user(ids["王小文"])
    title = "关于举办冬季文化和旅游消费季活动的通知"
    made = actions.create_draft(
        author, title=title, body=body, summary="冬季文旅消费季12月15日开幕",
        cover=Upload(jpeg(1600, 900), "image/jpeg"), targets=accounts,
    )  # fmt: skip
    actions.submit_draft(author, made["id"])
    return int(made["id"]), title


def _login(person: Person, *, user_label: str, password_label: str, button: str) -> None:
    page = person.page
    page.goto(f"{person.site.url}/login")
    page.get_by_label(user_label).fill(person.name)
    page.get_by_label(password_label).fill(PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(f"{person.site.url}/")


def _chinese_left(page: Any, data: list[str]) -> list[str]:
    """Chinese on the page that is neither what people typed nor a term's gloss."""
    text = page.inner_text("body")
    for gloss in GLOSSES:
        text = gloss.sub(" ", text)
    # Bodies are shown in pieces (findings marked in place): a run found inside anything
    # a person typed is theirs.
    return [run for run in CJK.findall(text) if not any(run in item for item in data)]


def test_a_reviewer_chooses_english_and_it_follows_them_to_another_browser(
    site: tuple[Site, Workspace],
    chromium: Any,
    shots: list[Path],
) -> None:
    served, admin_ws = site
    draft_id, title = _submitted(admin_ws)
    # What people typed stays as they typed it, in any language.
    data = [title, "赵编辑", "王小文", "通知公告", "古城文旅", "市文化和旅游局", "admin"]
    data.append("中文")  # the switch back names its language in that language
    data += [line for line in NOTICE.splitlines() if line] + ["冬季文旅消费季12月15日开幕"]

    first = Person(chromium, served, "赵编辑")
    _login(first, user_label="用户名", password_label="密码", button="登录")
    first.page.wait_for_selector("html[lang='zh-CN']")
    first.page.get_by_role("button", name="English").click()
    first.page.wait_for_selector("html[lang='en']")
    assert first.page.get_by_role("heading", name="My work").is_visible()
    first.page.get_by_role("button", name="Log out").click()
    first.page.wait_for_url(re.compile(r".*/login.*"))
    # This browser's login page keeps the language it was last shown in.
    assert first.page.get_by_label("User name").is_visible()
    first.context.close()

    # A fresh browser: no cookie, so the login page is in the default language; once
    # logged in, the person's own choice.
    other = Person(chromium, served, "赵编辑")
    assert not other.context.cookies()
    _login(other, user_label="用户名", password_label="密码", button="登录")
    other.page.wait_for_selector("html[lang='en']")
    for path, heading in (("/", "My work"), ("/drafts", "Drafts"), ("/accounts", None),
                          (f"/drafts/{draft_id}", title), ("/posts", "Posts")):  # fmt: skip
        page = other.open(path)
        if heading:
            assert page.get_by_role("heading", name=heading).first.is_visible(), path
        leftover = _chinese_left(page, data)
        assert not leftover, f"{path}: Chinese left in English: {leftover[:10]}"
    other.wait_for_text(f"/drafts/{draft_id}", "Wording check")
    for path, name in (("/", "home"), (f"/drafts/{draft_id}", "draft"), ("/accounts", "accounts")):
        other.open(path)
        other.shot(shots, f"language-en-{name}")

    # And back to Chinese, from the same header, in the second browser.
    other.page.get_by_role("button", name="中文").click()
    other.page.wait_for_selector("html[lang='zh-CN']")
    for path, name in (("/", "home"), (f"/drafts/{draft_id}", "draft"), ("/accounts", "accounts")):
        other.open(path)
        other.shot(shots, f"language-zh-{name}")
    other.context.close()

    # A phone in English: the narrow layout with the longer words.
    phone = Person(chromium, served, "赵编辑", phone=True)
    _login(phone, user_label="用户名", password_label="密码", button="登录")
    phone.page.get_by_role("button", name="English").click()
    phone.page.wait_for_selector("html[lang='en']")
    for path, name in (("/", "home"), (f"/drafts/{draft_id}", "draft")):
        phone.open(path)
        wide = phone.page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= 390 + 1, f"{path} is {wide}px wide on a 390px phone in English"
        phone.shot(shots, f"language-en-phone-{name}")
    phone.context.close()
    assert not (first.errors or other.errors or phone.errors)
