"""Files, times and signals: one clear line for every bad path, a bounded read of every
file, and a command stopped by SIGTERM that leaves nothing half done."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import Cli
from tests.console.test_cli_proofread import GOOD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(team: Cli) -> int:
    return team.json(
        "account", "register", "--platform", "website", "--name", "通知公告",
        "--unit", "市文化和旅游局", "--platform-id", "notices", as_user="admin",
    )["id"]  # fmt: skip


def _one_line(result: Any) -> str:
    err = result.stderr.strip()
    assert "unexpected" not in err and "Traceback" not in err, err
    assert len(err.splitlines()) == 1, err
    return err


def test_lexicon_files_and_folders_give_one_clear_line(cli: Cli, tmp_path: Path) -> None:
    cli.init()
    latin = tmp_path / "list.toml"
    latin.write_bytes('category = "usage"\nversion = "2099.1.1"\n# caf\xe9\n'.encode("latin-1"))
    assert "is not UTF-8 text" in _one_line(
        cli.run("lexicon", "import", latin, as_user="admin", expect=2)
    )
    assert "is not UTF-8 text" in _one_line(
        cli.run("lexicon", "import", latin, "--category", "usage", as_user="admin", expect=2)
    )
    assert "is a folder, not a file" in _one_line(
        cli.run("lexicon", "import", tmp_path, as_user="admin", expect=2)
    )
    a_file = tmp_path / "exists.txt"
    a_file.write_text("x", "utf-8")
    assert "is a file, not a folder" in _one_line(
        cli.run("lexicon", "export", a_file, as_user="admin", expect=2)
    )
    assert f"cannot be made: {a_file} is a file" in _one_line(
        cli.run("lexicon", "export", a_file / "sub", as_user="admin", expect=2)
    )
    assert a_file.read_text("utf-8") == "x"


def test_check_names_a_folder_as_a_folder_and_blocks_nul_and_bidi(cli: Cli, tmp_path: Path) -> None:
    assert "is a folder, not a file" in _one_line(cli.run("check", tmp_path, expect=2))
    nul = tmp_path / "nul.md"
    nul.write_text(GOOD + "附件\x00\n", "utf-8")
    assert "control" in cli.run("check", nul, expect=1).stdout
    bidi = tmp_path / "bidi.md"
    bidi.write_text(GOOD + "附件\u202etxt.exe\n", "utf-8")
    result = cli.run("check", bidi, expect=1)
    assert "\u202e" not in result.stdout and "\\u202e" in result.stdout


def test_a_huge_file_is_refused_by_its_size_without_being_read(cli: Cli, tmp_path: Path) -> None:
    """A sparse 1 GiB file: refused from its size alone (a whole read would take 1 GiB of
    memory; the limit below is far under that)."""
    import resource

    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(1 << 30)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert "1,073,741,824 bytes" in _one_line(cli.run("check", huge, expect=2))
    cli.init()
    assert "1,073,741,824 bytes" in _one_line(
        cli.run("lexicon", "import", huge, as_user="admin", expect=2)
    )
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 200 * 1024


def test_preview_under_a_file_and_an_embargo_in_9999_are_refused(
    team: Cli, site: int, tmp_path: Path
) -> None:
    body = tmp_path / "body.md"
    body.write_text(GOOD, "utf-8")
    draft = team.json(
        "draft", "new", "--title", "通知", "--body-file", body, "--target", site,
        as_user="author",
    )["id"]  # fmt: skip
    assert f"cannot be made: {body} is a file" in _one_line(
        team.run("draft", "preview", draft, "--out", body / "out", as_user="author", expect=2)
    )
    assert "is a folder, not a file" in _one_line(
        team.run(
            "draft",
            "new",
            "--title",
            "通知",
            "--body-file",
            tmp_path,
            "--target",
            site,
            as_user="author",
            expect=2,
        )
    )
    assert "years 2000–2099" in _one_line(
        team.run(
            "draft",
            "schedule",
            draft,
            "--not-before",
            "9999-12-31 23:00",
            as_user="author",
            expect=2,
        )
    )


class _Held(ThreadingHTTPServer):
    """A page that holds every request until released: the command is mid-work while
    a request waits here."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _HeldPage)
        self.reached = threading.Event()
        self.release = threading.Event()


class _HeldPage(BaseHTTPRequestHandler):
    server: _Held

    def do_HEAD(self) -> None:
        self.server.reached.set()
        self.server.release.wait(120)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def held() -> Iterator[_Held]:
    server = _Held()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def _prefect_copy(prefect_home: Path, into: Path) -> Path:
    """A consistent copy of the session's migrated Prefect database (with the audit key
    block in it), for a process of its own."""
    into.mkdir(parents=True)
    src, dst = sqlite3.connect(prefect_home / "prefect.db"), sqlite3.connect(into / "prefect.db")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    for stamp in prefect_home.glob(".matrixpub-*"):
        shutil.copy(stamp, into / stamp.name)
    return into


def test_sigterm_mid_work_exits_promptly_and_leaves_a_consistent_state(
    team: Cli, site: int, tmp_path: Path, held: _Held, prefect_ready: Path
) -> None:
    from domain.settings import load
    from flows.trigger import run_flow

    link = f"http://127.0.0.1:{held.server_address[1]}/page"
    body = tmp_path / "body.md"
    body.write_text(GOOD + f"详见 {link} 。\n", "utf-8")
    draft = team.json(
        "draft", "new", "--title", "通知", "--body-file", body, "--target", site,
        as_user="author",
    )["id"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["MATRIXPUB_LANG"] = "en"  # the lines asserted are the English ones
    env.pop("PREFECT_LOGGING_SETTINGS_PATH", None)
    env.update(
        MATRIXPUB_HOME=str(team.home),
        MATRIXPUB_TOKEN=team.tokens["author"],
        MATRIXPUB_LINK_CHECK_ALLOW=f"127.0.0.1:{held.server_address[1]}",
        PREFECT_HOME=str(_prefect_copy(prefect_ready, tmp_path / "prefect")),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "console.entry", "draft", "submit", str(draft)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert held.reached.wait(180), process.stderr.read() if process.poll() else "no request"
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        took = time.monotonic() - signalled
    finally:
        held.release.set()
        if process.poll() is None:
            process.kill()
            process.wait()
    print(f"exited {took:.1f} s after SIGTERM")
    assert process.returncode == 143, (process.returncode, out, err)
    assert "Traceback" not in err and err.strip().splitlines() == ["error: interrupted"], err
    # Consistent: the chain verifies, the submission stands and the sweep finishes it.
    assert team.json("audit", "verify", as_user="admin")["ok"]
    shown = team.json("draft", "show", draft, as_user="author")
    assert shown["state"] == "submitted"
    os.environ["MATRIXPUB_LINK_CHECK_ALLOW"] = env["MATRIXPUB_LINK_CHECK_ALLOW"]
    try:
        run_flow("prepare-versions", {}, settings=load(os.environ), wait=True)
    finally:
        del os.environ["MATRIXPUB_LINK_CHECK_ALLOW"]
    assert team.json("draft", "show", draft, as_user="author")["state"] == "in_review"
