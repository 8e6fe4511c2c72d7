"""The console in a real browser (Playwright driving Debian's chromium): an author writes
and submits, six people decide in six more browsers, one rejection and re-edit with the
diff shown, sign-off, dispatch and the website page live; the header count updates live;
the main pages pass an axe-core check with no serious or critical violation.

Screenshots of every main page are kept with the test's files; with
``--screenshots docs/screenshots`` they are written there too (the README's).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from console import actions
from console.workspace import Workspace
from tests.console.conftest import DEADLINE_MS
from tests.console.web.conftest import PASSWORD, SITE_URL, Site
from tests.factories import jpeg

pytestmark = pytest.mark.slow

NOTICE = (
    "各区县文化和旅游局，各有关单位：\n\n"
    "为丰富群众冬季文化生活，市文化和旅游局决定于2026年12月至2027年2月举办冬季文化和旅游消费季活动。"
    "现将有关事项通知如下。\n\n"
    "## 一、活动时间\n\n2026年12月15日（星期二）至2027年2月28日（星期日）。\n\n"
    "## 二、活动内容\n\n发放文化和旅游消费券，组织全市A级旅游景区推出门票优惠。\n\n"
    "特此通知。\n"
)
DECIDERS = ["陈校对", "赵编辑", "孙校对", "周科长", "吴校对", "郑局长"]


class Person:
    def __init__(self, browser: Any, site: Site, name: str, *, phone: bool = False) -> None:
        size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
        self.context = browser.new_context(viewport=size, locale="zh-CN", is_mobile=phone)
        self.context.set_default_timeout(DEADLINE_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.site = site
        self.name = name

    def login(self) -> Person:
        page = self.page
        page.goto(f"{self.site.url}/login")
        page.get_by_label("用户名").fill(self.name)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{self.site.url}/")
        return self

    def open(self, path: str) -> Any:
        self.page.goto(f"{self.site.url}{path}")
        self.page.wait_for_load_state("load")
        return self.page

    def wait_for_text(self, path: str, text: str) -> None:
        """Reload until the page shows ``text`` (the automatic work runs meanwhile)."""
        self.page.goto(f"{self.site.url}{path}")
        self.page.wait_for_function(
            """([text]) => {
                if (document.body.innerText.includes(text)) return true;
                if (!window.__reloading) {
                    window.__reloading = true;
                    setTimeout(() => location.reload(), 500);
                }
                return false;
            }""",
            arg=[text],
            polling=250,
            timeout=DEADLINE_MS,
        )

    def shot(self, folders: list[Path], name: str, *, full: bool = True) -> None:
        for folder in folders:
            self.page.screenshot(path=str(folder / f"{name}.png"), full_page=full)


def _axe(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page (WCAG 2.1 A and AA rules)."""
    import axe_playwright_python

    script = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")
    page.evaluate(script)
    results = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _serve_site(page: Any, site_dir: Path) -> None:
    """The browser reaches the organisation's public address, answered from the folder
    the website channel writes (what a web server in front of it would serve)."""

    def answer(route: Any) -> None:
        path = route.request.url.removeprefix(SITE_URL).split("?")[0].lstrip("/")
        file = (site_dir / path).resolve()
        if site_dir.resolve() in file.parents and file.is_file():
            route.fulfill(path=str(file))
        else:
            route.fulfill(status=404, body="not found")

    page.route(f"{SITE_URL}/**", answer)


def _drop_picture(page: Any, selector: str, name: str, data: bytes) -> None:
    """Drop a file on a drop zone the way a person drags one from their desktop."""
    page.evaluate(
        """([selector, name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: 'image/jpeg'}));
            const zone = document.querySelector(selector);
            for (const type of ['dragenter', 'dragover', 'drop']) {
                zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true,
                                                        dataTransfer: transfer}));
            }
        }""",
        [selector, name, base64.b64encode(data).decode()],
    )


def test_a_notice_from_draft_to_live_page_in_seven_browsers(
    site: tuple[Site, Workspace],
    chromium: Any,
    shots: list[Path],
) -> None:
    served, admin_ws = site
    checked: dict[str, list[dict[str, Any]]] = {}

    login = Person(chromium, served, "王小文")
    login.open("/login")
    login.shot(shots, "login", full=False)
    checked["login"] = _axe(login.page)
    login.context.close()

    # A proofreader keeps 我的待办 open: the count must change without a reload.
    first = Person(chromium, served, "陈校对").login()
    badge = first.page.locator("#work-count")
    first.page.wait_for_function(
        "() => document.getElementById('work-count').dataset.count === '0'"
    )

    # The author writes in the editor: live checks, a cover chosen, a picture dropped.
    author = Person(chromium, served, "王小文").login()
    page = author.open("/drafts/new")
    page.get_by_label("标题", exact=True).fill("关于举办2026年冬季文化和旅游消费季活动的通知")
    page.get_by_label("摘要 （可选；微博、抖音等短文渠道用它）", exact=True).fill(
        "冬季文旅消费季12月15日开幕，发放文旅消费券。"
    )
    page.locator("#body").fill(NOTICE)
    page.locator("#cover").set_input_files(
        files=[{"name": "cover.jpg", "mimeType": "image/jpeg", "buffer": jpeg(1600, 900)}]
    )
    page.locator("#body").press("End")
    _drop_picture(page, '[data-drop="pictures"]', "map.jpg", jpeg(800, 600, (160, 40, 40)))
    assert "![图片说明](map.jpg)" in page.locator("#body").input_value()
    page.get_by_label("通知公告").check()
    page.get_by_label("古城文旅").check()
    page.locator("#live").get_by_text("各渠道字数与限制").wait_for()
    # Douyin takes 20 characters of title: the live panel says so, and the author gives
    # Douyin its own wording.
    page.locator("#live").get_by_text("（超出 4）").wait_for()
    page.get_by_text("各渠道的单独措辞（可选）").click()
    page.get_by_label("抖音标题", exact=True).fill("冬游古城｜文旅消费季开幕")
    page.locator("#live").get_by_text("12 / 20 字").wait_for()
    page.locator("#live img[src^='blob:']").wait_for()  # the dropped picture, before upload
    author.shot(shots, "editor")
    checked["editor"] = _axe(page)
    page.get_by_role("button", name="提交审校").click()
    page.wait_for_url(re.compile(r"/drafts/\d+$"))
    draft_id = int(page.url.rsplit("/", 1)[1])

    # The proofreader's count went up by itself; the draft waits at 一校.
    first.page.wait_for_function(
        "() => document.getElementById('work-count').dataset.count === '1'", timeout=DEADLINE_MS
    )
    assert badge.inner_text() == "1"
    first.wait_for_text("/", "关于举办2026年冬季文化和旅游消费季活动的通知")
    first.shot(shots, "my-work")
    checked["my-work"] = _axe(first.page)

    # 一校 reads every channel and sends it back.
    page = first.open(f"/drafts/{draft_id}")
    first.wait_for_text(f"/drafts/{draft_id}", "你现在决定 一校")
    frames = page.locator("iframe")
    assert frames.count() == 2
    website = page.frame_locator("#variant-website iframe")
    website.locator("h1").wait_for()
    assert website.locator("img[src='cover.jpg']").evaluate("img => img.naturalWidth") > 0
    douyin = page.frame_locator("#variant-douyin iframe")
    assert douyin.locator("img").first.evaluate("img => img.naturalWidth") > 0
    first.shot(shots, "draft-page")
    checked["draft-page"] = _axe(page)
    page.get_by_label("意见", exact=True).fill("标题“2026年”与正文重复，请删去")
    page.get_by_role("button", name="退回作者").click()
    page.get_by_text("已记录你的决定").wait_for()

    # The author sees why, fixes the title, resubmits.
    author.wait_for_text("/", "标题“2026年”与正文重复，请删去")
    page = author.open(f"/drafts/{draft_id}/edit")
    page.get_by_label("标题", exact=True).fill("关于举办冬季文化和旅游消费季活动的通知")
    page.get_by_role("button", name="提交审校").click()
    page.wait_for_url(f"{served.url}/drafts/{draft_id}")

    # Six people, six gates; the first sees what changed since the version they rejected.
    for index, name in enumerate(DECIDERS):
        person = Person(chromium, served, name, phone=(name == "郑局长")).login()
        person.wait_for_text(f"/drafts/{draft_id}", "你现在决定")
        page = person.page
        if index == 0:
            changes = page.locator("#changes")
            assert "第 1 版 → 第 2 版" in changes.inner_text()
            assert changes.locator("del.d").first.inner_text() == "2026年"
            changes.scroll_into_view_if_needed()
            for folder in shots:
                changes.screenshot(path=str(folder / "diff.png"))
        if name == "郑局长":
            person.shot(shots, "draft-page-phone")
        page.get_by_label("意见", exact=True).fill(f"{name}：同意")
        page.get_by_role("button", name="通过").click()
        page.get_by_text("已记录你的决定").wait_for()
        assert person.errors == [], person.errors
        person.context.close()

    # Signed: the posts are planned; dispatch delivers the website page.
    author.wait_for_text(f"/drafts/{draft_id}", "已签发")
    served.server.config.app.state.flows.join()
    delivered = actions.dispatch_once(admin_ws)
    assert delivered is not None
    page = author.open(f"/drafts/{draft_id}/sheet")
    for name in DECIDERS:
        assert f"{name}：同意" in page.inner_text("article.sheet")
    author.shot(shots, "sheet")
    checked["sheet"] = _axe(page)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 1
    assert b"/MediaBox [0 0 595" in pdf or b"/MediaBox [0 0 594" in pdf  # A4 width in points
    page.emulate_media(media="screen")

    posts = author.open("/posts")
    assert "已发布" in posts.inner_text("main")
    assert "待人工发布" in posts.inner_text("main")  # the Douyin package waits for a person
    author.shot(shots, "posts")
    checked["posts"] = _axe(posts)
    live = [p for p in actions.list_posts(admin_ws, draft_id=draft_id) if p["channel"] == "website"]
    assert live and live[0]["state"] == "published"
    page = author.page
    assert live[0]["url"].startswith(f"{SITE_URL}/")
    _serve_site(page, admin_ws.settings.site_dir)  # the site as deployed at its address
    page.goto(live[0]["url"])
    assert page.locator("h1").inner_text() == "关于举办冬季文化和旅游消费季活动的通知"
    author.shot(shots, "website-page")

    assert author.errors == [] and first.errors == []
    bad = {name: found for name, found in checked.items() if found}
    assert bad == {}, f"axe-core found serious or critical violations: {bad}"
