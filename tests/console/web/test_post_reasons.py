"""The console's 发布 page says why a post waits in the reader's language, as the CLI does
(``console/stored.py``); the JSON API keeps the stored English."""

from __future__ import annotations

import html

from console import actions
from domain.reasons import reason
from tests.console.web.conftest import Console
from tests.factories import tamper


def test_the_posts_page_says_why_a_post_waits_in_the_readers_language(
    console: Console,
) -> None:
    draft = console.draft(targets=["web"])
    console.wait_flows()
    console.pass_gates(draft, 6)
    console.wait_flows()
    (post,) = actions.list_posts(console.as_token("admin"), draft_id=draft)
    why = reason("rescheduled", reason=reason("quota_day", count=1, period="2026-12-03"))
    assert why == "rescheduled: quota of 1 a day used up for 2026-12-03"
    tamper(
        console.ws.engine,
        "UPDATE posts SET state = 'queued', last_error = :why WHERE id = :id",
        why=why,
        id=post["id"],
    )
    admin = console.person("admin")
    page = html.unescape(admin.client.get("/posts").text)
    assert "已改期：每天 1 条的限额在 2026-12-03 已用完" in page and why not in page
    assert admin.post("/me/language", {"language": "en"}).status_code == 303
    assert why in html.unescape(admin.client.get("/posts").text)
    (post,) = actions.list_posts(console.as_token("admin"), draft_id=draft)
    assert post["last_error"] == why
