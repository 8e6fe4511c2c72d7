"""CLI tables never split what a person copies or reads as one: a web address, a date or
a time. Into a file or a pipe a table is as wide as it needs, unless ``COLUMNS`` gives the
width; on a narrow terminal (or at the width given) an address becomes a reference ([1])
printed whole below the table, and the other text columns wrap instead of the times.
Whatever a user typed reaches the terminal as text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from console import output
from tests.console.conftest import GATES, Cli
from tests.console.test_cli_alerts import db_exec
from tests.factories import jpeg

URL = (
    "https://wlj.example.gov.cn/news/2026/12/03/"
    "guanyu-juban-wenlv-huodong-de-tongzhi-2026-nian-di-san-ji-du.html?from=matrixpub"
)
HOSTILE = "古城文旅\x1b[2J\x1b[31m" + "区文化和旅游局" * 3 + " " + "W" * 70
ROWS = [
    (1, 2, HOSTILE, "Portal website", "published", "2026-12-03 04:39", 1, URL),
    (2, 2, "文旅微博", "Sina Weibo", "failed", "2026-12-04 10:00", 3, "HTTP 500: busy " * 6),
]
COLUMNS = ["id", "draft", "account", "channel", "state", "due", "attempts", "url / error"]


def printed(monkeypatch: pytest.MonkeyPatch, *, terminal: bool, columns: bool = True) -> str:
    """What the table prints on an 80-column terminal, or into a file (with COLUMNS=80, or
    with no width given)."""
    if columns:
        monkeypatch.setenv("COLUMNS", "80")
    else:
        monkeypatch.delenv("COLUMNS", raising=False)
    screen = io.StringIO()
    console = output.SafeConsole(
        soft_wrap=True, file=screen, force_terminal=terminal or None, color_system=None
    )
    monkeypatch.setattr(output, "out", console)
    output.table("Posts", COLUMNS, ROWS)
    output.fields("Post 1", [("url", URL), ("due", "2026-12-03 04:39")])
    return screen.getvalue()


def whole(text: str) -> None:
    """Every address and every time is on one line; nothing typed reaches it raw."""
    lines = text.splitlines()
    assert any(URL in line for line in lines), text
    for time in ("2026-12-03 04:39", "2026-12-04 10:00"):
        assert any(time in line for line in lines), (time, text)
    assert "\x1b[2J" not in text and "\x1b[31m" not in text  # shown, not obeyed


def test_into_a_file_a_table_is_as_wide_as_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = printed(monkeypatch, terminal=False, columns=False)
    whole(shown)
    assert "[1]" not in shown
    (row,) = [line for line in shown.splitlines() if URL in line and "2026-12-03" in line]
    assert "W" * 70 in row and "区文化和旅游局" * 3 in row  # a row is one line
    assert "\\x1b[2J\\x1b[31m" in row and "\x1b" not in shown


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "file-with-COLUMNS"])
def test_on_a_narrow_terminal_an_address_is_a_reference_printed_whole_below(
    monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    """On an 80-column terminal, and into a pipe or a file when COLUMNS=80 is given."""
    shown = printed(monkeypatch, terminal=terminal)
    whole(shown)
    lines = shown.splitlines()
    assert f"[1] {URL}" in lines, shown
    assert all(cell_len(line) <= 80 for line in lines if URL not in line), shown
    table_lines = [line for line in lines if line.startswith(("│", "┃"))]
    assert any("[1]" in line for line in table_lines), shown


def test_an_address_in_words_is_referenced_and_the_words_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    screen = io.StringIO()
    console = output.SafeConsole(soft_wrap=True, file=screen, force_terminal=True)
    monkeypatch.setattr(output, "out", console)
    output.table(None, ["what"], [(f"live at {URL} since 2026-12-03",)])
    said = screen.getvalue()
    assert f"[1] {URL}" in said.splitlines() and "live at" in said, said


# -- through the real CLI ------------------------------------------------------------------


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(output.out, "_width", None)


def test_post_list_at_80_columns_keeps_addresses_and_times_whole(
    team: Cli, site: dict, narrow: None, tmp_path: Path
) -> None:
    for who in GATES:
        team.approve(site["draft"], who)
    (post,) = team.json("post", "list", as_user="author")
    db_exec(team, "UPDATE posts SET url = ?, state = 'published' WHERE id = ?", URL, post["id"])
    db_exec(team, "UPDATE accounts SET name = ? WHERE id = ?", HOSTILE, site["account"])
    for lang in ("en", "zh_CN"):
        team.lang = lang
        shown = team.run("post", "list", as_user="author").stdout
        lines = shown.splitlines()
        assert any(URL in line for line in lines), shown
        due = output.short_time(post["due_at"])
        assert any(due in line for line in lines), (due, shown)
        assert "\x1b" not in shown and shown.count("W") >= 70
        assert all(cell_len(line) <= 80 for line in lines if URL not in line), shown


def test_settings_show_at_80_columns_keeps_the_addresses_whole(team: Cli, narrow: None) -> None:
    hook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + "0a1b2c3d-" * 5
    team.json("settings", "set", "notify", hook, as_user="admin")
    shown = team.run("settings", "show", as_user="admin").stdout
    assert any(hook in line for line in shown.splitlines()), shown


# -- wrapping on a narrow terminal -------------------------------------------------------------
ALERT = (
    "发往账号 3 的帖子 2 发送失败：refused by the platform。用 `matrixpub post retry 2` "
    "重新发送；若其实已经上线，用 `matrixpub post resolve 2 --published 网址`；用 "
    "`matrixpub post cancel 2 --reason ...` 关闭它"
)
UNKNOWN = (
    "帖子 3 的结果不明：平台可能有也可能没有；到平台上查看后处理（`matrixpub post resolve 3`）"
)
FAILED = "wechat: appsecret is wrong or expired (errcode 40125): set the account credentials again"


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, columns: list[str], rows: list) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    screen = io.StringIO()
    console = output.SafeConsole(
        soft_wrap=True, file=screen, force_terminal=True, color_system=None
    )
    monkeypatch.setattr(output, "out", console)
    output.table(None, columns, rows)
    return screen.getvalue()


def cells(line: str) -> list[str]:
    return [c.strip() for c in re.split("[│┃]", line)[1:-1]]


def test_an_empty_column_takes_its_header_and_commands_stay_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    columns = ["编号", "时间", "类型", "账号", "内容", "处理于"]
    shown = on_a_terminal(monkeypatch, columns, [
        (1, "2026-12-03 16:30", "发布失败", "文旅资讯 (#2)", ALERT, ""),
        (2, "2026-12-03 16:31", "结果不明", "古城文旅 (#3)", UNKNOWN, ""),
    ])  # fmt: skip
    lines = shown.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), shown
    (head,) = [line for line in lines if "处理于" in line]
    last = re.split("[│┃]", head)[-2]
    assert cell_len(last) == cell_len(" 处理于 "), shown  # no wider than its header
    for command in re.findall(r"`[^`]+`", ALERT + UNKNOWN):
        assert any(command in line for line in lines), (command, shown)
    for word in ("refused", "platform"):
        assert any(word in line for line in lines), (word, shown)


def test_words_and_chinese_headers_are_not_split(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = ["编号", "稿件", "账号", "渠道", "状态", "计划时间", "尝试次数", "网址 / 错误"]
    shown = on_a_terminal(monkeypatch, columns, [
        (1, 2, "古城文旅 (#3)", "微信订阅号", "失败", "2026-12-03 16:30", 3, FAILED),
    ])  # fmt: skip
    lines = shown.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), shown
    words = [w for w in re.split(r"[\s()]+", FAILED) if w]
    words += [c for c in columns if " " not in c]
    for word in words:
        assert any(word in cell for line in lines for cell in cells(line)), (word, shown)
    # Eight English columns cannot all keep their words at 80: only the widest are cut.
    shown = on_a_terminal(monkeypatch, COLUMNS, [
        (1, 2, "古城文旅 (#3)", "WeChat subscription account", "failed",
         "2026-12-03 16:30", 3, FAILED),
    ])  # fmt: skip
    lines = shown.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), shown
    assert any("2026-12-03 16:30" in line for line in lines), shown


def _words_of_cells(shown: str) -> list[str]:
    """The words of each table cell as printed wide (one cell a line), without the commands
    and addresses a narrow table refers to below it; Chinese may break between characters,
    so only words in Latin letters and digits are counted."""
    words = []
    for line in shown.splitlines():
        for cell in cells(line):
            cell = re.sub(r"`[^`]*`|(?:https?|file)://\S+", " ", cell)
            words += [w for w in cell.split() if not re.search(r"[\u3000-\u9fff\uff00-\uffef]", w)]
    return words


def test_post_list_at_80_columns_splits_no_word(
    team: Cli, site: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The English table of posts at 80 columns keeps each word whole (and the Chinese
    one), the longest platform names and delivery errors included."""
    from tests.console.test_cli_schedule import account, signed

    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(900, 500))
    team.run("settings", "set", "site_url", "https://www.example.gov.cn", as_user="admin")
    for name, platform in (("古城文旅公众号", "wechat_oa"), ("融媒体中心推送", "webhook")):
        extra = ("--url", "https://hub.example.gov.cn/in") if platform == "webhook" else ()
        account(team, name, platform, *extra)
    for who in GATES:
        team.approve(site["draft"], who)
    signed(team, site["body"], "--cover", cover, "--target", "2", "--target", "3")
    db_exec(team, "UPDATE posts SET due_at = datetime('now', '-1 minute')")
    team.run("dispatch", "--once", as_user="admin")
    db_exec(team, "UPDATE posts SET state = 'failed', attempts = 5, last_error = ? WHERE id = 1",
            f"gave up after 5 attempts; last error: {FAILED}")  # fmt: skip
    for lang in ("en", "zh_CN"):
        team.lang = lang
        monkeypatch.setenv("COLUMNS", "400")
        monkeypatch.setattr(output.out, "_width", None)
        words = _words_of_cells(team.run("post", "list", as_user="admin").stdout)
        monkeypatch.setenv("COLUMNS", "80")
        narrow = team.run("post", "list", as_user="admin").stdout
        lines = narrow.splitlines()
        # what the table refers to below it is printed whole, however long
        assert all(cell_len(line) <= 80 for line in lines if line[:1] != "["), narrow
        printed = [c for line in lines for c in cells(line)]
        split = [w for w in words if not any(w in c for c in printed)]
        assert not split, (lang, split, narrow)
