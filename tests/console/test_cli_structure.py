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
