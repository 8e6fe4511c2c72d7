"""The index.html ``matrixpub draft preview --out DIR`` writes, opened in a real browser from
the disk (Playwright driving Debian's chromium): each channel's frame shows its pictures,
and a script inside a variant's page never runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import DEADLINE_MS, Cli
from tests.console.test_cli_schedule import account
from tests.factories import jpeg

pytestmark = pytest.mark.slow


def _pictures(frame: Any) -> list[dict[str, Any]]:
    frame.wait_for_load_state("load", timeout=DEADLINE_MS)
    return frame.evaluate(
        "() => Array.from(document.images, i => ({src: i.getAttribute('src'),"
        " complete: i.complete, width: i.naturalWidth}))"
    )


def test_the_preview_index_shows_pictures_and_runs_no_script(
    team: Cli,
    tmp_path: Path,
    chromium: Any,
) -> None:
    cover, map_ = tmp_path / "cover.jpg", tmp_path / "map.jpg"
    cover.write_bytes(jpeg(900, 500))
    map_.write_bytes(jpeg(640, 480))
    body = tmp_path / "body.md"
    body.write_text(
        "各区县文化和旅游局：\n\n现将有关事项通知如下。\n\n![活动地图](map.jpg)\n", "utf-8"
    )
    web = account(team, "通知公告")
    draft = team.json(
        "draft", "new", "--title", "关于举办文旅活动的通知", "--body-file", body,
        "--cover", cover, "--image", map_, "--target", web, as_user="author",
    )  # fmt: skip
    out = tmp_path / "previews"
    team.run("draft", "preview", str(draft["id"]), "--out", out, as_user="author")
    pages = sorted(out.glob("*/preview.html"))
    assert pages, sorted(out.rglob("*"))
    for page in pages:  # a variant whose page carries a script (what no draft can make)
        text = page.read_text("utf-8")
        page.write_text(
            text.replace("</body>", "<script>document.body.dataset.ran = 'yes';"
                         "window.top.document.title = 'ran';</script></body>"),
            "utf-8",
        )  # fmt: skip

    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    try:
        tab = context.new_page()
        tab.set_default_timeout(DEADLINE_MS)
        tab.goto((out / "index.html").as_uri(), wait_until="load")
        frames = [f for f in tab.frames if f != tab.main_frame]
        assert len(frames) == len(pages)
        for frame in frames:
            pictures = _pictures(frame)
            assert pictures, frame.url
            for picture in pictures:
                assert picture["complete"] and picture["width"] > 0, (frame.url, picture)
            assert frame.evaluate("() => document.body.dataset.ran || ''") == ""
        assert tab.title() != "ran"
        tab.screenshot(path=str(tmp_path / "preview-index.png"), full_page=True)
    finally:
        context.close()
