"""What a person sees lines up (Playwright driving Debian's chromium, boxes measured): the
审签单's signature table has its header cells over its body cells, on screen and printed,
in both languages; on the login page the language button starts where the 登录 button does.

Screenshots are kept with the test's files (and with ``--screenshots DIR`` written there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from console import actions
from console.workspace import Workspace
from domain.gates import Verdict
from tests.console.web.conftest import Site
from tests.console.web.test_browser import (
    Person,
)
from tests.console.web.test_language_browser import _submitted

pytestmark = pytest.mark.slow

# Each table of the sheet: the left and right edges of its header cells and of the cells
# of each of its body rows, and the table's own box.
EDGES = """(table) => {
    const box = (el) => { const r = el.getBoundingClientRect();
                          return [Math.round(r.left), Math.round(r.right)]; };
    return {
        table: box(table),
        head: [...table.tHead.rows[0].cells].map(box),
        rows: [...table.tBodies[0].rows].map((row) =>
            [...row.cells].map((cell) => [...box(cell), cell.colSpan])),
    };
}"""


def _lined_up(page: Any, where: str) -> None:
    tables = page.locator("article.sheet table:has(thead)").all()
    assert len(tables) == 2, where  # the signatures and the special reviews
    for table in tables:
        edges = table.evaluate(EDGES)
        assert edges["rows"], where
        head = edges["head"]
        for row in edges["rows"]:
            first = 0
            for left, right, span in row:  # a cell spanning columns spans their headers
                assert [left, right] == [head[first][0], head[first + span - 1][1]], (where, edges)
                first += span
            assert first == len(head), (where, edges)
        # the header spans the table (give or take its collapsed border)
        assert abs(edges["head"][0][0] - edges["table"][0]) <= 2, (where, edges)
        assert abs(edges["head"][-1][1] - edges["table"][1]) <= 2, (where, edges)


def test_the_sheet_s_signature_table_lines_up_on_screen_and_printed(
    site: tuple[Site, Workspace],
    chromium: Any,
    shots: list[Path],
) -> None:
    served, admin_ws = site
    draft_id, _title = _submitted(admin_ws)
    served.server.config.app.state.flows.join()
    ids = {u["name"]: u["id"] for u in actions.list_users(admin_ws)}
    proofreader = admin_ws.as_user(ids["陈校对"])
    version = actions.show_draft(proofreader, draft_id)["version"]
    actions.decide(proofreader, draft_id, verdict=Verdict.APPROVE, opinion="文字规范，同意",
                   version=version, gate="proofread_1")  # fmt: skip
    editor = admin_ws.as_user(ids["赵编辑"])
    actions.escalate(
        editor,
        draft_id,
        check="check_secrecy",
        opinion="涉及内部数据",
        version=version,
        gate="review_1",
    )  # fmt: skip (the special reviews table)

    person = Person(chromium, served, "赵编辑").login()
    for language, switch in (("zh", None), ("en", "English")):
        if switch:
            person.page.get_by_role("button", name=switch).click()
            person.page.wait_for_load_state("load")
        page = person.open(f"/drafts/{draft_id}/sheet")
        person.shot(shots, f"sheet-{language}")
        _lined_up(page, f"screen, {language}")
        page.emulate_media(media="print")
        person.shot(shots, f"sheet-{language}-print")
        _lined_up(page, f"print, {language}")
        page.emulate_media(media="screen")
    assert person.errors == [], person.errors


LEFT_OF_TEXT = """(el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return Math.round(range.getBoundingClientRect().left);
}"""


def test_on_the_login_page_the_language_button_lines_up_with_log_in(
    site: tuple[Site, Workspace],
    chromium: Any,
    shots: list[Path],
) -> None:
    served, _admin_ws = site
    person = Person(chromium, served, "陈校对")
    for language, other, log_in in (("zh", "English", "登录"), ("en", "中文", "Log in")):
        page = person.open("/login")
        button = page.get_by_role("button", name=log_in, exact=True)
        switch = page.get_by_role("button", name=other, exact=True)
        left = round(button.bounding_box()["x"])
        person.shot(shots, f"login-{language}", full=False)
        assert switch.evaluate(LEFT_OF_TEXT) == left, (language, left)
        switch.click()
        page.wait_for_load_state("load")
    assert person.errors == [], person.errors
