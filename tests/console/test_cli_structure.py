"""The shape of the CLI: every command has help and takes --json; a real process prints
no traceback and none of Prefect's shutdown noise."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from console.cli import app

NOISE = (
    "Traceback",
    "CancelledError",
    "Still processing items",
    "telemetry",
    "Starting temporary server",
    "DeprecationWarning",
    "Beginning flow run",
    "Finished in state",
)


def _commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:
        if hasattr(command, "commands"):  # a group (Typer vendors its own click)
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            found.append((prefix, command))

    walk("", root)
    return found


COMMANDS = _commands()


def test_the_documented_commands_exist() -> None:
    names = {name for name, _ in COMMANDS}
    for expected in [
        "init",
        "user add",
        "account register",
        "account list",
        "account show",
        "account suspend",
        "account request open",
        "account request change",
        "account request close",
        "account approve",
        "account reject",
        "account requests",
        "account filed",
        "account resume",
        "draft new",
        "draft edit",
        "draft submit",
        "draft show",
        "draft list",
        "review queue",
        "review approve",
        "review reject",
        "review escalate",
        "user roles",
        "user token",
        "user deactivate",
        "user activate",
        "roles",
        "post list",
        "dispatch",
        "audit verify",
        "demo",
    ]:
        assert expected in names


def test_the_roles_table_names_real_commands_and_is_what_roles_prints() -> None:
    from typer.testing import CliRunner

    from domain import permissions

    names = {name for name, _ in COMMANDS}
    for row in permissions.rows():
        words = row.command.replace(" / ", "/").split()
        group, *subs = [w for w in words if w.isascii() and not w.startswith("-") and w != "…"]
        if len(subs) > 1 and "/" not in subs[0]:  # a nested group: account request open/…
            group, subs = f"{group} {subs[0]}", subs[1:]
        for sub in subs[0].split("/") if subs else [""]:
            assert f"{group} {sub}".strip() in names, row.command
    printed = CliRunner().invoke(app, ["roles", "--markdown"])
    assert printed.exit_code == 0 and printed.stdout == permissions.markdown()


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_and_json(name: str, command: Any) -> None:
    assert command.help and command.help.strip()
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    assert "--json" in options


def test_a_real_process_prints_no_traceback(prefect_ready: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATRIXPUB_")}
    env["MATRIXPUB_HOME"] = str(tmp_path / "home")
    env["MATRIXPUB_PREFECT_BACKGROUND"] = "0"  # no server outlives the test
    exe = [sys.executable, "-m", "console.entry"]

    def run(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [*exe, *args],
            env={**env, "MATRIXPUB_TOKEN": token or ""},
            capture_output=True,
            text=True,
            timeout=300,
        )
        for noise in NOISE:
            assert noise not in proc.stdout + proc.stderr, (args, proc.stdout, proc.stderr)
        return proc

    admin = json.loads(run("init", "--admin", "admin", "--json").stdout)["token"]
    author = json.loads(run("user", "add", "a", "--role", "author", "--json", token=admin).stdout)[
        "token"
    ]
    account = json.loads(
        run(
            "account",
            "register",
            "--platform",
            "website",
            "--name",
            "n",
            "--unit",
            "u",
            "--json",
            token=admin,
        ).stdout
    )["id"]
    body = tmp_path / "b.md"
    body.write_text("正文。\n", "utf-8")
    draft = json.loads(
        run(
            "draft",
            "new",
            "--title",
            "t",
            "--body-file",
            str(body),
            "--target",
            str(account),
            "--json",
            token=author,
        ).stdout
    )["id"]
    submitted = run("draft", "submit", str(draft), token=author)  # runs a flow in-process
    assert submitted.returncode == 0 and "审校中" in submitted.stdout  # zh-CN by default
    failed = run("draft", "show", "77", token=author)
    assert failed.returncode == 1 and failed.stderr.strip() == "错误：没有草稿 77"


def _help(*words: str, lang: str = "en") -> str:
    from typer.testing import CliRunner

    env = {"COLUMNS": "80", "MATRIXPUB_LANG": lang}
    result = CliRunner().invoke(app, [*words, "--help"], env=env)
    assert result.exit_code == 0, (words, result.output)
    return result.output


GROUPS = sorted({name.rpartition(" ")[0] for name, _ in COMMANDS})


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("group", GROUPS, ids=[g or "matrixpub" for g in GROUPS])
def test_listings_show_whole_sentences(group: str, lang: str) -> None:
    text = _help(*group.split(), lang=lang)
    listing = text.split("Commands:" if lang == "en" else "命令：", 1)[1]
    entries = re.split(r"\n  (?=\S)", "\n" + listing.strip("\n"))
    for entry in filter(None, entries):
        line = " ".join(entry.split())
        assert not line.endswith(("…", "...")), f"cut off in `{group} --help`: {line}"
        assert line[-1] in ".。)）" or line.endswith(("三校 终审.", "三校 终审。")), line


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_help_has_no_raw_markup(name: str) -> None:
    text = _help(*name.split())
    assert "``" not in text, text
    assert "…" not in text.split("Options:")[0], text


CJK = re.compile(r"[\u3400-\u9fff]")
# The term column of a help page's Options and Arguments: the flags, then what the option
# takes; an argument's name.
TERM = re.compile(r"  (?P<flags>-[\w-]+(?:, -[\w-]+)*)(?: (?P<takes>\S+))?(?:  |$)")
ARGUMENT = re.compile(r"  (?P<takes>\S+)(?:  |$)")


def _terms(text: str, lang: str) -> tuple[str, list[str]]:
    """The usage line and what each option and argument is said to take."""
    usage = text.strip().splitlines()[0]
    options, arguments = ("Options:", "Arguments:") if lang == "en" else ("选项：", "参数：")
    takes, section = [], ""
    for line in text.splitlines():
        if line in (options, arguments) or (line and not line.startswith(" ")):
            section = line
            continue
        pattern = TERM if section == options else ARGUMENT if section == arguments else None
        if pattern and (found := pattern.match(line)) and found["takes"]:
            takes.append(found["takes"])
    return usage, takes


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_help_says_what_each_option_takes_in_words(name: str, lang: str) -> None:
    """As a person writes help: `--from TIME`, `ACCOUNT_ID` (in Chinese `--from 时间`,
    `账号编号`), not a type label such as <str> or an argument's name in braces."""
    text = _help(*name.split(), lang=lang)
    usage, takes = _terms(text, lang)
    assert not re.search(r"<\w[^>]*>|\{\w+\}", usage + " ".join(takes)), text
    if lang == "en":
        assert all(re.fullmatch(r"[A-Z][A-Z_=,]*(\.\.\.)?", t) for t in takes), (takes, text)
    else:
        assert all(CJK.search(t) for t in takes), (takes, text)
        assert "[OPTIONS]" not in usage and "[选项]" in usage, usage


def test_help_names_the_arguments_as_the_usage_line_does() -> None:
    text = _help("account", "policy")
    assert text.startswith("Usage: matrixpub account policy [OPTIONS] ACCOUNT_ID\n"), text
    assert "\n  ACCOUNT_ID  " in text and "--windows WINDOWS" in text, text
    said = _help("account", "policy", lang="zh_CN")
    assert said.startswith("用法：matrixpub account policy [选项] 账号编号\n"), said
    assert "\n  账号编号  " in said and "--windows 时段" in said, said


def test_json_may_come_before_the_command(prefect_ready: Path, tmp_path: Path) -> None:
    """``matrixpub --json init`` is ``matrixpub init --json``: every command takes ``--json``,
    and people put it where they put it for other tools."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATRIXPUB_")}
    env["MATRIXPUB_HOME"] = str(tmp_path / "home")
    env["MATRIXPUB_PREFECT_BACKGROUND"] = "0"
    exe = [sys.executable, "-m", "console.entry"]

    def run(*args: str, token: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*exe, *args], env={**env, "MATRIXPUB_TOKEN": token},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    made = run("--json", "init", "--admin", "admin")
    assert made.returncode == 0, made.stderr
    token = json.loads(made.stdout)["token"]
    users = run("--json", "user", "list", token=token)
    assert users.returncode == 0, users.stderr
    assert [u["name"] for u in json.loads(users.stdout)] == ["admin"]


@pytest.mark.parametrize(
    ("lang", "takes"), [("en", "--published URL"), ("zh_CN", "--published 网址")]
)
def test_an_option_is_shown_taking_what_it_takes(lang: str, takes: str) -> None:
    # --published takes the address where the post is live, not a time.
    text = _help("post", "resolve", lang=lang)
    options = text.split("Options:" if lang == "en" else "选项：", 1)[1]
    assert takes in " ".join(options.split())
