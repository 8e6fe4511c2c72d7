"""The preview files ``matrixpub draft preview --out DIR`` writes speak the language of
whoever asked for them: each preview.html's lengths and problems below the reader's view,
and index.html around the channels' frames. The reader's view itself is the platform's,
shown as it will be published."""

from __future__ import annotations

import html as markup
import re
from pathlib import Path

import pytest

from tests.console.conftest import Cli
from tests.console.test_cli_language import chinese_left, english_runs
from tests.console.test_cli_schedule import account

TITLE = "关于举办文旅活动的通知"


@pytest.fixture
def weibo_draft(team: Cli, tmp_path: Path) -> str:
    """A draft to a Weibo account with no website beside it: its variant has a problem."""
    body = tmp_path / "body.md"
    body.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    weibo = account(team, "微博号", "weibo")
    draft = team.json(
        "draft", "new", "--title", TITLE, "--body-file", body, "--target", weibo,
        as_user="author",
    )  # fmt: skip
    team.run("draft", "submit", draft["id"], as_user="author", expect=None)
    shown = team.json("draft", "show", draft["id"], as_user="author")
    assert [v for variant in shown["variants"] for v in variant["violations"]], shown
    return str(draft["id"])


def _written(cli: Cli, draft: str, out: Path) -> tuple[str, str]:
    """The part of weibo/preview.html that is not the reader's view, and index.html, as
    text without their markup (what people read of them)."""
    cli.run("draft", "preview", draft, "--out", out, as_user="author")
    page = (out / "weibo" / "preview.html").read_text("utf-8")
    facts = re.search(r"<aside.*</aside>", page, re.S)
    assert facts is not None, page
    index = (out / "index.html").read_text("utf-8")

    def text(html: str) -> str:
        html = re.sub(r"<(style|code)\b.*?</\1>", " ", html, flags=re.S)
        said = markup.unescape(re.sub(r"<[^>]+>", "\n", html))
        return "\n".join(line.strip() for line in said.splitlines() if line.strip())

    # what the index's frames say of themselves, for a screen reader
    titles = "\n".join(re.findall(r'title="([^"]*)"', index))
    return text(facts.group(0)), text(index) + "\n" + titles


def test_in_english_the_preview_files_say_no_chinese_but_what_was_typed(
    team: Cli, weibo_draft: str, tmp_path: Path
) -> None:
    facts, index = _written(team, weibo_draft, tmp_path / "en")
    assert chinese_left(facts) == [], facts
    assert chinese_left(index.replace(TITLE, " ")) == [], index  # the title, as typed
    assert "Sina Weibo" in facts and "Sina Weibo" in index
    assert english_runs(facts)  # the problem, in English words
    assert '<html lang="en">' in (tmp_path / "en" / "index.html").read_text("utf-8")


def test_in_chinese_the_preview_files_say_their_problems_in_chinese(
    team: Cli, weibo_draft: str, tmp_path: Path
) -> None:
    team.lang = None
    facts, index = _written(team, weibo_draft, tmp_path / "zh")
    assert not english_runs(facts), english_runs(facts)
    assert not english_runs(index), english_runs(index)
    assert "新浪微博" in facts and TITLE in index
    assert '<html lang="zh-CN">' in (tmp_path / "zh" / "index.html").read_text("utf-8")
