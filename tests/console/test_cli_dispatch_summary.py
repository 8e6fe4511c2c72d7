"""What one ``dispatch --once`` did, counted in the reader's words: 已发布 1、… in Chinese,
"1 published, 1 account paused" in English (not "1 accounts paused")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console.conftest import Cli
from tests.console.test_cli_schedule import _due_now, account, posts_of, signed


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    from console import output

    monkeypatch.setattr(output.out, "_width", 400)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh_CN", "已发布 1 条、修改发布时间 1 条、暂停账号 1 个"),
        ("en", "1 published, 1 rescheduled, 1 account paused"),
    ],
)
def test_a_dispatch_counts_in_the_readers_words(
    team: Cli, tmp_path: Path, lang: str, said: str
) -> None:
    body = tmp_path / "body.md"
    body.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    team.run("settings", "set", "site_url", "https://www.example.gov.cn", as_user="admin")
    site = account(team, "Notices")
    # no signing secret: its post waits, its queue paused
    hook = account(team, "Hook", "webhook", "--url", "https://media.example.cn/hook")
    draft = signed(team, body, "--target", site, "--target", hook)
    _due_now(team, [p["id"] for p in posts_of(team, draft)])
    team.lang = lang
    first = team.run("dispatch", "--once", as_user="admin").stdout.splitlines()[0]
    assert first == said
