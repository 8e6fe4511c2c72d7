"""Drive the real CLI in-process (Typer's CliRunner) against a fresh home and database; and
the real browser the browser tests share (Playwright driving Debian's chromium)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from console.cli import app


@dataclass
class Cli:
    home: Path
    runner: CliRunner = field(default_factory=CliRunner)
    tokens: dict[str, str] = field(default_factory=dict)
    # The language the CLI speaks here; the tests that read its words in Chinese set zh_CN
    # (None: MATRIXPUB_LANG unset).
    lang: str | None = "en"

    def run(self, *args: str, as_user: str | None = None, expect: int | None = 0) -> Any:
        env: dict[str, str | None] = {"MATRIXPUB_TOKEN": self.tokens[as_user] if as_user else ""}
        env["MATRIXPUB_LANG"] = self.lang
        result = self.runner.invoke(app, [str(a) for a in args], env=env)
        if expect is not None:
            assert result.exit_code == expect, (
                f"{args} exited {result.exit_code}, expected {expect}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}"
            )
        return result

    def json(self, *args: str, as_user: str | None = None) -> Any:
        return json.loads(self.run(*args, "--json", as_user=as_user).stdout)

    def reading(self, draft: Any, as_user: str) -> list[str]:
        """``--version N --gate G``: what a person who read the draft now would name."""
        shown = self.json("draft", "show", draft, as_user=as_user)
        gate = shown["gate"] or {}
        key = (gate.get("check") or {}).get("key") or gate.get("key") or "proofread_1"
        return ["--version", str(shown["version"]), "--gate", key]

    def approve(self, draft: Any, who: str, opinion: str = "同意") -> Any:
        """Approve the gate the draft waits at, as a person who read it now."""
        return self.json(
            "review", "approve", draft, "--opinion", opinion, *self.reading(draft, who), as_user=who
        )

    def init(self) -> None:
        admin = self.json("init", "--admin", "admin")
        self.tokens["admin"] = admin["token"]

    def add_user(self, name: str, *roles: str) -> int:
        args = ["user", "add", name]
        for role in roles:
            args += ["--role", role]
        user = self.json(*args, as_user="admin")
        self.tokens[name] = user["token"]
        return int(user["id"])


@pytest.fixture
def cli(prefect_ready: Path, home: Path) -> Cli:
    from flows.context import dispose

    yield Cli(home=home)
    dispose()


TEAM = [
    ("author", "author"),
    ("p1", "proofreader"),
    ("editor", "editor"),
    ("p2", "proofreader"),
    ("chief", "chief"),
    ("p3", "proofreader"),
    ("leader", "leader"),
]
GATES = ["p1", "editor", "p2", "chief", "p3", "leader"]


@pytest.fixture
def team(cli: Cli) -> Cli:
    cli.init()
    for name, role in TEAM:
        cli.add_user(name, role)
    return cli


@pytest.fixture
def site(team: Cli, tmp_path: Path) -> dict[str, Any]:
    account = team.json(
        "account",
        "register",
        "--platform",
        "website",
        "--name",
        "通知公告",
        "--unit",
        "市文化和旅游局",
        "--platform-id",
        "notices",
        as_user="admin",
    )
    body = tmp_path / "body.md"
    body.write_text("正文第一段。\n\n正文第二段。\n", "utf-8")
    draft = team.json(
        "draft",
        "new",
        "--title",
        "关于开展安全检查的通知",
        "--body-file",
        body,
        "--target",
        account["id"],
        as_user="author",
    )
    team.json("draft", "submit", draft["id"], as_user="author")
    return {"account": account["id"], "draft": str(draft["id"]), "body": body}


# -- the browser tests' chromium ----------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEADLINE_MS = 90_000  # generous: CI runs on a loaded 2-core machine


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
