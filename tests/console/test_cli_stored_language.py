"""What the code keeps in English as data — an alert, a post's delivery error, a variant's
problem, a word list's error — reads in the person's language where the CLI shows it, and
``--json`` keeps it as stored. The channel and platform of a post or an account are named,
and the settings and the demo speak the chosen language too."""

from __future__ import annotations

import re
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import Cli
from tests.console.test_cli_language import english_runs
from tests.console.test_cli_schedule import account, posts_of, signed


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    from console import output

    monkeypatch.setattr(output.out, "_width", 400)


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.md"
    path.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    return path


def unreachable_send() -> str:
    """The error a real send to a platform that is not listening leaves on a post."""
    import requests

    from channels.http import Step, exchange
    from domain.errors import DeliveryError

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        exchange(
            requests.Session(),
            "POST",
            f"http://127.0.0.1:{port}/2/statuses/share.json",
            step=Step("Weibo", "statuses/share", idempotent=False),
            timeout=5,
        )
    except DeliveryError as exc:
        return str(exc)
    raise AssertionError("the send reached a platform")


def _said(cli: Cli, *args: Any, expect: int = 0) -> str:
    result = cli.run(*map(str, args), as_user="admin", expect=expect)
    return result.stdout + result.stderr


def test_alerts_and_delivery_errors_read_in_chinese(team: Cli, body: Path) -> None:
    from console.workspace import Workspace
    from sqlmodel_db import alerts as alerts_db
    from sqlmodel_db import schedule as schedule_db
    from sqlmodel_db.posts import raise_unknown_alert

    cli = team
    column = account(cli, "Column")
    (failed,) = posts_of(cli, signed(cli, body, "--target", column))
    (lost,) = posts_of(cli, signed(cli, body, "--target", column, title="第二份通知"))
    error = unreachable_send()
    db = sqlite3.connect(cli.home / "matrixpub.db")
    db.execute(
        "UPDATE posts SET state = 'failed', last_error = ? WHERE id = ?", (error, failed["id"])
    )
    db.execute("UPDATE posts SET state = 'unknown' WHERE id = ?", (lost["id"],))
    db.commit()
    db.close()
    with Workspace.from_env().session() as session:
        alerts_db.post_failed(
            session=session, post_id=failed["id"], account_id=column, detail=error
        )
        raise_unknown_alert(session=session, post_id=lost["id"], account_id=column)
        for _ in range(3):
            schedule_db.record_failure(session=session, account_id=column, detail=error)

    stored = [a["message"] for a in cli.json("alerts", as_user="admin")]
    assert len(stored) == 3 and all(english_runs(m) for m in stored), stored
    cli.lang = None
    for args in (("alerts",), ("post", "list")):
        said = _said(cli, *args)
        assert not english_runs(said), (args, english_runs(said))
    assert "门户网站" in _said(cli, "post", "list")
    assert {"发送失败", "队列已暂停"} <= set(_said(cli, "alerts").split())
    # --json keeps what was stored, in English, whatever the language
    assert [a["message"] for a in cli.json("alerts", as_user="admin")] == stored
    cli.lang = "en"
    assert all(m in _said(cli, "alerts") for m in stored)


def test_a_variants_problems_read_in_chinese(team: Cli, body: Path) -> None:
    cli = team
    weibo = account(cli, "微博号", "weibo")
    draft = cli.json(
        "draft", "new", "--title", "关于举办文旅活动的通知", "--body-file", body,
        "--target", weibo, as_user="author",
    )  # fmt: skip
    cli.run("draft", "submit", draft["id"], as_user="author", expect=None)
    shown = cli.json("draft", "show", draft["id"], as_user="author")
    problems = [v["message"] for variant in shown["variants"] for v in variant["violations"]]
    assert problems and all(english_runs(p) for p in problems), problems
    cli.lang = None
    for args in (("draft", "show", draft["id"]), ("draft", "preview", draft["id"])):
        result = cli.run(*map(str, args), as_user="author")
        said = result.stdout + result.stderr
        assert not english_runs(said), (args, english_runs(said))
        assert "新浪微博" in said


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("broken.toml", 'category = "usage"\nversion = "2099.1"\n[[entry]]\nterm = " 空格"\n'),
        ("keys.toml", 'category = "usage"\nversion = "2099.1"\ncolour = 1\n'),
        (
            "entry.toml",
            'category = "usage"\nversion = "2099.1"\n[[entry]]\nterm = "甲"\nseverity = "loud"\n',
        ),
        # what tomllib finds wrong, and where: at a line and column, at the end of the file
        ("value.toml", 'category = "usage"\nversion = \n'),
        ("twice.toml", 'category = "usage"\ncategory = "usage"\n'),
        ("string.toml", 'category = "usage\nversion = "2099.1"\n'),
        ("table.toml", 'category = "usage"\nversion = "2099.1"\n[[entry]\n'),
        ("end.toml", 'category = "usage"\nversion = "2099.1"\nallow = ['),
        ("list.txt", "# 上级下发的词表\n\n   \n"),
        ("bad.txt", "敏感词\n控制\x07字符\n"),
    ],
)
def test_word_list_file_errors_read_in_chinese(
    cli: Cli, tmp_path: Path, name: str, text: str
) -> None:
    cli.init()
    path = tmp_path / name
    path.write_text(text, "utf-8")
    extra = ["--category", "usage"] if name.endswith(".txt") else []
    english = cli.run("lexicon", "import", path, *extra, as_user="admin", expect=2).stderr
    assert english_runs(english), english
    cli.lang = None
    said = cli.run("lexicon", "import", path, *extra, as_user="admin", expect=2)
    assert said.stdout == "" and len(said.stderr.strip().splitlines()) == 1, said.stderr
    assert not english_runs(said.stderr), said.stderr
    assert "Traceback" not in said.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("account", "policy", "{id}", "--windows", "25:00-26:00"),
        ("account", "policy", "{id}", "--windows", "8点到10点"),
        ("account", "policy", "{id}", "--windows", "08:00-08:00"),
        ("account", "policy", "{id}", "--quota", "0/day"),
        ("account", "policy", "{id}", "--quota", "often"),
        ("freeze", "add", "--from", "tomorrow", "--to", "2026-12-02", "--reason", "春节"),
        ("freeze", "add", "--from", "9999-01-01", "--to", "9999-01-02", "--reason", "春节"),
    ],
    ids=lambda args: " ".join(args[:2] + args[-2:]),
)
def test_schedule_refusals_read_in_chinese(team: Cli, args: tuple[str, ...]) -> None:
    """What the scheduling rules refuse (domain.scheduling) is said in the CLI's language."""
    cli = team
    weibo = str(account(cli, "微博号", "weibo"))
    args = tuple(a.replace("{id}", weibo) for a in args)
    english = cli.run(*args, as_user="admin", expect=2).stderr
    assert english_runs(english), english
    cli.lang = None
    said = cli.run(*args, as_user="admin", expect=2)
    assert said.stdout == "" and len(said.stderr.strip().splitlines()) == 1, said.stderr
    assert not english_runs(said.stderr), said.stderr


def test_settings_and_accounts_speak_chinese(team: Cli) -> None:
    cli = team
    account(cli, "微博号", "weibo")
    cli.lang = None
    settings = _said(cli, "settings", "show")
    assert not english_runs(settings), english_runs(settings)
    accounts = _said(cli, "account", "list")
    assert "新浪微博" in accounts and not re.search(r"\bweibo\b", accounts), accounts


def test_the_demo_steps_are_in_the_catalog() -> None:
    """Each label the demo's progress bar shows has a translation."""
    import ast

    from console import demo
    from console.i18n import _, use_language

    tree = ast.parse(Path(demo.__file__).read_text("utf-8"))
    labels = [
        node.args[0].args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "step"
        and isinstance(node.args[0], ast.Call)
        and getattr(node.args[0].func, "id", "") == "N_"
    ]
    assert len(labels) == 13
    with use_language("zh_CN"):
        said = [_(label) for label in labels]
    assert not [s for s in said if english_runs(s)], said


def test_what_a_send_did_reads_in_chinese(team: Cli, body: Path) -> None:
    """`dispatch --once` says what each send did in the reader's language: the website's
    "written to PATH" was printed in English inside the Chinese report."""
    cli = team
    column = account(cli, "Column")
    (post,) = posts_of(cli, signed(cli, body, "--target", column))
    cli.lang = None
    said = _said(cli, "dispatch", "--once")
    assert post["state"] == "queued" and "written to" not in said, said
    assert f"已写入 {cli.home / 'site'}" in said, said


@pytest.mark.parametrize(
    "detail",
    [
        "delivered (HTTP 200)",
        "submitted; WeChat is publishing",
        "WeChat is publishing",
        "found among the published articles (freepublish/batchget)",
        "published",
        "shared",
        "the webhook account has no endpoint URL",
        "the webhook account has no signing_secret",
        "the endpoint accepted a signed ping (HTTP 204)",
        "the endpoint accepted a ping (unsigned, as registered) (HTTP 200)",
        "the endpoint answered a signed ping with HTTP 500",
        "the endpoint answered a signed ping with HTTP 500 (upstream down)",
        "the endpoint answered a signed ping with HTTP 401: it does not accept this signing secret",
        "the endpoint answered a signed ping with HTTP 401 (bad signature): it does not accept "
        "this signing secret",
        "WeChat issued an access token and answered get_api_domain_ip: the appid and appsecret "
        "work from this server's address",
        "the Weibo account has no access token",
    ],
)
def test_each_channels_own_account_of_a_send_or_check_is_translated(detail: str) -> None:
    """What channels say a send or a credential check did (channels/*.py ``detail=``) is
    a template of console.stored, so it reads in Chinese."""
    from console.i18n import use_language
    from console.stored import stored_text

    with use_language("zh_CN"):
        shown = stored_text(detail)
    assert shown != detail and not english_runs(shown), shown
