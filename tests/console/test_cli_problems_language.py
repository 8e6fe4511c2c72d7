"""A draft sent back by its checks: each problem is said in the reader's language, with the
platform by its name, not as the channel's identifier and the stored English text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console.conftest import Cli


@pytest.mark.parametrize(
    ("lang", "said", "unsaid"),
    [
        ("zh_CN", "微信订阅号：微信文章须有封面图", "a WeChat article needs a cover picture"),
        ("en", "WeChat subscription account: a WeChat article needs a cover picture", "微信"),
    ],
)
def test_a_returned_drafts_problems_are_in_the_readers_words(
    team: Cli, tmp_path: Path, lang: str, said: str, unsaid: str
) -> None:
    team.lang = lang
    account = team.json(
        "account", "register", "--platform", "wechat_oa", "--name", "古城文旅",
        "--unit", "市文化和旅游局", "--platform-id", "gh_1", as_user="admin",
    )["id"]  # fmt: skip
    body = tmp_path / "body.md"
    body.write_text("正文。\n", "utf-8")
    team.run("draft", "new", "--title", "通知", "--body-file", body, "--target", str(account),
             as_user="author")  # fmt: skip
    out = team.run("draft", "submit", "1", as_user="author", expect=1).stdout
    line = next(line for line in out.splitlines() if said in line)
    assert unsaid not in line
    assert "wechat_oa" not in out


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_platforms_name_has_no_brackets_of_its_own(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An account is shown with its platform in brackets (古城文旅（微信订阅号）#2): a
    platform's name with brackets of its own would nest them."""
    from channels.registry import SPECS
    from console.i18n import PLATFORMS, platform_label

    monkeypatch.setenv("MATRIXPUB_LANG", lang)
    names = [platform_label(key) for key in PLATFORMS] + [s.label for s in SPECS.values()]
    assert not [n for n in names if set(n) & set("()（）")]
