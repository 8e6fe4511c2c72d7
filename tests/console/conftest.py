"""Drive the real CLI in-process (Typer's CliRunner) against a fresh home and database."""

from __future__ import annotations

import json
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
    # The language the CLI speaks here; the tests that read its words in Chinese set zh_CN.
    lang: str = "en"

    def run(self, *args: str, as_user: str | None = None, expect: int | None = 0) -> Any:
        env = {"MATRIXPUB_TOKEN": self.tokens[as_user]} if as_user else {"MATRIXPUB_TOKEN": ""}
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
