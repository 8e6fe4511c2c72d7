"""A reviewer reads the website page of a draft in the draft page's own flow (Playwright
driving Debian's chromium): the website frame is as tall as the article, so its last
lines — the 落款 — are on the page without scrolling inside a 720-pixel window, at a
desktop's width and at a phone's. The phone-shaped frames keep a phone's height.

Screenshots are kept with the test's files (``--screenshots DIR`` writes them there too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.console.web.conftest import Site
from tests.console.web.test_browser import (
    NOTICE,
    Person,
)
from tests.console.web.test_language_browser import _submitted

pytestmark = pytest.mark.slow

ENDING = "\n市文化和旅游局\n2026年11月26日\n"
# How tall the framed page is, and where the 落款's date line is in the frame's view.
MEASURE = """frame => {
    const doc = frame.contentDocument;
    const walk = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    let date = null;
    while (walk.nextNode()) {
        if (walk.currentNode.textContent.includes('2026年11月26日')) date = walk.currentNode;
    }
    const range = doc.createRange();
    if (date) range.selectNodeContents(date);
    return {
        page: doc.documentElement.scrollHeight,
        date: date ? range.getBoundingClientRect().bottom : null,
        inner: frame.contentWindow.innerHeight,
    };
}"""


def _long_notice(admin_ws: Any) -> int:
    from console import actions

    paragraphs = "\n\n".join("活动期间，各单位要加强安全管理。" * 6 for _ in range(12))
    draft_id, _title = _submitted(admin_ws, NOTICE + "\n" + paragraphs + "\n" + ENDING)
    assert actions.show_draft(admin_ws, draft_id)["state"] == "in_review"
    return draft_id


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_website_frame_shows_the_whole_article(
    site: tuple[Site, Any],
    chromium: Any,
    phone: bool,
    shots: list[Path],
) -> None:
    served, admin_ws = site
    draft_id = _long_notice(admin_ws)
    reader = Person(chromium, served, "陈校对", phone=phone).login()
    page = reader.open(f"/drafts/{draft_id}")
    frame = page.locator("#variant-website iframe")
    page.frame_locator("#variant-website iframe").get_by_text("2026年11月26日").wait_for()
    # The frame grows to its page once that page has loaded (pictures and all).
    page.wait_for_function(
        """() => {
            const f = document.querySelector('#variant-website iframe');
            const d = f.contentDocument;
            return d && d.readyState === 'complete'
                && f.getBoundingClientRect().height >= d.documentElement.scrollHeight - 1;
        }""",
        timeout=90_000,
    )
    seen = frame.evaluate(MEASURE)
    assert seen["page"] > 720, seen  # a long notice: more than the old fixed window
    assert seen["date"] is not None and seen["date"] <= seen["inner"], seen
    phone_frame = page.locator("#variant-douyin iframe")
    assert phone_frame.evaluate("f => f.getBoundingClientRect().height") < 700
    reader.shot(shots, "draft-page-website-" + ("phone" if phone else "desktop"))
    assert not reader.errors, reader.errors
    reader.context.close()
