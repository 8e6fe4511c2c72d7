"""The CLI speaks one language at a time: with MATRIXPUB_LANG unset (zh-CN) a
representative walk through the commands and their refusals prints no English sentence,
and with MATRIXPUB_LANG=en no Chinese but what people typed (and the few field terms the
English keeps beside its own words, such as 主办单位)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.console.conftest import Cli
from tests.factories import jpeg

# What people typed in this walk: it is shown as typed, in either language.
TYPED = [
    "关于举办冬季文旅消费季活动的通知", "市文化和旅游局", "通知公告", "古城文旅", "王小文",
    "陈校对", "孙科长", "同意", "文字规范", "岗位调整", "春节", "各区县文化和旅游局",
    "集中转载测试", "[bold]古城[/bold]", "各区县文化和旅游局：", "现将有关事项通知如下。",
]  # fmt: skip
# Field terms the English keeps beside its own words (STYLE.md: the Chinese term where a
# reader from the field would look for it), and the gates' and roles' own names there.
TERMS = [
    "主办单位", "主管单位", "责任人", "单位类型", "运营方式", "运维人员", "备案号", "备案",
    "集中转载", "停更公告", "保密审查", "网信", "初审", "复审", "终审", "一校", "二校",
    "三校", "自营", "委托运营", "三审三校", "错敏", "全国政务新媒体信息报送系统", "摘要",
    "认证", "审签意见", "备案编号", "![说明]",
]  # fmt: skip
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Not words of a sentence: `commands`, --options, paths, URLs, ids, hashes, tokens,
# NAME=value, and the program's own name (each cut out, so the words around it do not join).
NOT_WORDS = re.compile(r"`[^`]*`|--[\w-]+|\S*(?:[/_=:@#\\\d]|\.\w)\S*|\bmatrixpub\b")
# Words joined by spaces (a list of ids the user may type, "a, b, c", is not a sentence).
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ '’()-]+[A-Za-z]+){2,}")


def english_runs(text: str) -> list[str]:
    """Runs of three or more English words left once ids, paths and commands are out."""
    return ENGLISH_RUN.findall(NOT_WORDS.sub("|", text))


def chinese_left(text: str) -> list[str]:
    """Chinese characters left once what people typed and the kept terms are out."""
    for said in sorted(TYPED + TERMS, key=len, reverse=True):
        text = text.replace(said, " ")
    return [line for line in text.splitlines() if CJK.search(line)]


def test_the_checks_tell_english_from_ids_and_chinese_from_typed_text() -> None:
    assert english_runs("账号 3 已暂停。") == []
    assert english_runs("下一步：用 `matrixpub draft submit 1` 提交，--replan 见 /tmp/a_b") == []
    assert english_runs("Account 3 is suspended now.") == ["is suspended now"]
    assert english_runs("词表：allow 2026.1, confusable 3") == []
    assert english_runs("错误：no such account 999") == ["no such account"]
    assert english_runs("已知角色：admin, author, proofreader") == []
    assert chinese_left("Account 3 (古城文旅), unit (主办单位) 市文化和旅游局") == []
    assert chinese_left("Account 3 已暂停") == ["Account 3 已暂停"]


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no table cell is folded (a folded cell would cut what
    people typed in two)."""
    from console import output

    monkeypatch.setattr(output.out, "_width", 400)


@pytest.fixture
def world(cli: Cli, tmp_path: Path) -> Cli:
    cli.init()
    cli.run("settings", "set", "site_url", "https://www.example.gov.cn", as_user="admin")
    cli.add_user("王小文", "author")
    cli.add_user("陈校对", "proofreader")
    cli.add_user("孙科长", "chief")
    for name, platform, ident in (("通知公告", "website", "notices"), ("古城文旅", "douyin", "gc")):
        cli.json(
            "account", "register", "--platform", platform, "--name", name, "--unit",
            "市文化和旅游局", "--platform-id", ident, "--group", "culture", as_user="admin",
        )  # fmt: skip
    (tmp_path / "notice.md").write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    (tmp_path / "cover.jpg").write_bytes(jpeg(1600, 900))
    return cli


def _walk(cli: Cli, tmp_path: Path) -> dict[str, str]:
    """Each command as typed → everything it printed (stdout and stderr)."""
    shown: dict[str, str] = {}
    notice, cover = tmp_path / "notice.md", tmp_path / "cover.jpg"

    def run(who: str | None, *args: object, expect: int | None = 0) -> None:
        result = cli.run(*map(str, args), as_user=who, expect=expect)
        shown[" ".join(map(str, args))] = result.stdout + result.stderr

    for page in ([], ["account"], ["user", "add"], ["draft", "new"], ["review", "approve"]):
        run(None, *page, "--help")
    run("admin", "whoami")
    run("admin", "user", "list")
    run("admin", "user", "roles", "孙科长", "--role", "chief", "--role", "editor")
    run("admin", "user", "deactivate", "孙科长", "--reason", "岗位调整")
    run("admin", "user", "activate", "孙科长", "--reason", "岗位调整")
    run("admin", "user", "token", "孙科长")
    run("admin", "account", "list")
    run("admin", "account", "show", 2)
    run("admin", "account", "policy", 2, "--windows", "08:00-20:00", "--spacing", "30m")
    run("admin", "account", "suspend", 2, "--reason", "岗位调整")
    run("admin", "account", "resume", 2, "--reason", "岗位调整")
    run("admin", "account", "requests")
    run("admin", "account", "freshness")
    run("admin", "account", "request", "open", "--platform", "weibo", "--name", "集中转载测试",
        "--unit", "市文化和旅游局", "--reason", "岗位调整")  # fmt: skip
    run("王小文", "draft", "new", "--title", "关于举办冬季文旅消费季活动的通知",
        "--body-file", notice, "--cover", cover, "--group", "culture")  # fmt: skip
    run("王小文", "draft", "list")
    run("王小文", "draft", "submit", 1)
    run("王小文", "draft", "show", 1)
    run("陈校对", "review", "queue")
    run("陈校对", "draft", "check", 1)
    run("admin", "post", "list")
    run("admin", "schedule", "show", "--day", "2030-02-01")
    run("admin", "review", "gates")
    run("admin", "check", notice)
    run("admin", "freeze", "add", "--from", "2030-02-01 00:00", "--to", "2030-02-03 00:00",
        "--reason", "春节")  # fmt: skip
    run("admin", "freeze", "list")
    run("admin", "alerts")
    run("admin", "lexicon", "list")
    run("admin", "settings", "show")
    (tmp_path / "words.toml").write_text('category = "usage"\nversion = "2099.1"\nextra = 1\n')
    run("admin", "lexicon", "import", tmp_path / "words.toml", expect=2)
    (tmp_path / "words.txt").write_text("# 上级下发的词表\n")
    run("admin", "lexicon", "import", tmp_path / "words.txt", "--category", "usage", expect=2)
    run("admin", "audit", "verify")
    run("admin", "audit", "log", "--actor", "admin")
    # refusals and bad input, each one line
    run("王小文", "review", "approve", 1, "--opinion", "同意", "--gate", "一校", "--version", 1,
        expect=1)  # fmt: skip
    run("admin", "user", "add", "某人", "--role", "astronaut", expect=2)
    # click's own words for bad usage
    run("王小文", "draft", "new", expect=2)
    run("admin", "user", "adde", "某人", expect=2)
    run("admin", "user", "add", "某人", "--rolez", "author", expect=2)
    run("admin", "draft", "show", "abc", expect=2)
    run("admin", "draft", "list", "extra", expect=2)
    run("admin", "user", "add", "某人", "--role", expect=2)
    run("admin", "user", "activate", "孙科长", expect=1)
    run("admin", "account", "show", 999, expect=1)
    run("admin", "account", "register", "--platform", "myspace", "--name", "古城文旅",
        "--unit", "市文化和旅游局", expect=2)  # fmt: skip
    run("admin", "account", "register", "--platform", "douyin", "--name", "古城文旅",
        "--unit", "市文化和旅游局", "--platform-id", "gc2", expect=1)  # fmt: skip
    run("admin", "account", "credentials", 1, "--secret-block", "site-1", expect=2)
    run("王小文", "draft", "new", "--title", "关于举办冬季文旅消费季活动的通知",
        "--body-file", tmp_path / "missing.md", "--group", "culture", expect=2)  # fmt: skip
    run("admin", "freeze", "lift", 999, "--reason", "春节", expect=1)
    run("admin", "deploy", "--pool", "prefect-pool", expect=2)
    return shown


def test_unset_the_cli_speaks_chinese_only(world: Cli, tmp_path: Path) -> None:
    world.lang = None
    shown = _walk(world, tmp_path)
    english = {args: english_runs(said) for args, said in shown.items() if english_runs(said)}
    assert not english, english
    assert "Traceback" not in "".join(shown.values())


def test_in_english_the_cli_says_no_chinese_but_what_people_typed(
    world: Cli, tmp_path: Path
) -> None:
    world.lang = "en"
    shown = _walk(world, tmp_path)
    chinese = {args: chinese_left(said) for args, said in shown.items() if chinese_left(said)}
    assert not chinese, chinese


def test_every_action_of_the_walk_is_named_in_words(world: Cli, tmp_path: Path) -> None:
    """`audit log` names each action as a person says it, not by its identifier."""
    from console.i18n import action_label, use_language

    world.lang = None
    _walk(world, tmp_path)
    actions = {e["action"] for e in world.json("audit", "log", "--limit", "1000", as_user="admin")}
    with use_language("zh_CN"):
        unnamed = sorted(a for a in actions if action_label(a) == a)
    assert len(actions) > 15 and not unnamed, unnamed


def test_typed_text_stays_text_in_either_language(world: Cli) -> None:
    """A name with rich markup is printed as typed in the translated lines too."""
    for lang, name in ((None, "[bold]古城[/bold]"), ("en", "[red]古城[/]")):
        world.lang = lang
        result = world.run(
            "account", "change", 2, "--name", name, "--reason", "岗位调整", as_user="admin"
        )  # fmt: skip
        assert name in result.stdout
        suspended = world.run("account", "suspend", 2, "--reason", "岗位调整", as_user="admin")
        assert name in suspended.stdout
        world.run("account", "resume", 2, "--reason", "岗位调整", as_user="admin")


def test_the_roles_tables_notes_speak_the_chosen_language() -> None:
    # `matrixpub roles` shows commands in its first column (English by nature); what it says
    # of each, the last column, is read here.
    from console.cli.users import _also
    from console.i18n import use_language
    from domain.permissions import rows

    notes = [r.also for r in rows() if r.also]
    assert len(notes) > 15
    with use_language("zh_CN"):
        said = [_also(note) for note in notes]
    assert not [english_runs(x) for x in said if english_runs(x)], said
    with use_language("en"):
        assert [_also(note) for note in notes] == notes
