"""A command that runs a flow in its own process says only matrixpub's words, in the
user's language: none of Prefect's log lines reach the terminal ("Beginning flow run",
"Finished in state Completed()"), unless ``MATRIXPUB_PREFECT_LOGS`` asks for them; a flow
that fails still ends in one translated line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREFECT_WORDS = (
    "flow run",
    "Finished in state",
    "Completed(",
    "Failed(",
    "View at http",
    "Encountered exception",
    "Traceback",
    "prefect",
    "Prefect",
)
# A dispatch flow that fails the way a flow does: through Prefect's engine, which logs
# the failure and its traceback, then raises it to the command.
FAILING = """
from prefect import flow
from domain.errors import Refused

@flow(name="dispatch")
def dispatch():
    raise Refused("account {account_id} is not open for posts", account_id=7)
"""
LAUNCH = """
import sys
from flows import trigger
if sys.argv[1] == "fail":
    trigger.FLOWS["dispatch"] = ("failing_flow", "dispatch")
sys.argv = ["matrixpub", *sys.argv[2:]]
from console.entry import main
main()
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, prefect_ready: Path) -> dict[str, str]:
    """A home with an admin; the environment of a user's shell (no test settings)."""
    where = tmp_path_factory.mktemp("quiet")
    (where / "failing_flow.py").write_text(FAILING, "utf-8")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("MATRIXPUB_", "PREFECT_LOGGING"))
    }
    env.update(
        MATRIXPUB_HOME=str(where / "home"),
        MATRIXPUB_PREFECT_BACKGROUND="0",  # the flow runs in the command's own process
        PYTHONPATH=os.pathsep.join([str(where), str(ROOT)]),
    )
    made = subprocess.run(
        [sys.executable, "-m", "console.entry", "init", "--admin", "admin", "--json"],
        env=env, capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    env["MATRIXPUB_TOKEN"] = json.loads(made.stdout)["token"]
    return env


def _run(env: dict[str, str], mode: str, *args: str, **more: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", LAUNCH, mode, *args],
        env={**env, **more}, capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_flow_run_by_a_command_leaves_no_prefect_lines(home: dict[str, str], lang: str) -> None:
    done = _run(home, "ok", "dispatch", "--once", MATRIXPUB_LANG=lang)
    assert done.returncode == 0, done.stderr
    said = done.stdout + done.stderr
    for words in PREFECT_WORDS:
        assert words not in said, (words, said)
    assert done.stderr == "", done.stderr
    assert done.stdout == ("没有到期的发布。" if lang == "zh_CN" else "Nothing was due.") + "\n"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_failed_flow_says_one_translated_line(home: dict[str, str], lang: str) -> None:
    done = _run(home, "fail", "dispatch", "--once", MATRIXPUB_LANG=lang)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout.strip() == "", done.stdout
    expected = (
        "错误：账号 7 未开放发布" if lang == "zh_CN" else "error: account 7 is not open for posts"
    )
    assert done.stderr == expected + "\n", done.stderr


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_spinner_names_the_work_not_the_flow(lang: str) -> None:
    """What a command's spinner says while a flow runs (flows.trigger's status lines)."""
    from console.i18n import use_language
    from console.stored import stored_text
    from flows.trigger import FLOWS

    with use_language(lang):
        for name in FLOWS:
            said = stored_text(f"Running {name}")
            if lang == "zh_CN":
                assert said.startswith("正在") and not re.search("[A-Za-z]", said), said
            else:
                assert said.startswith("Running the ") and "-" not in said, said


def test_prefect_lines_are_shown_when_asked_for(home: dict[str, str]) -> None:
    """``MATRIXPUB_PREFECT_LOGS=1``: Prefect's lines on stderr too, for debugging; the
    command's own words and its error line stay as they are."""
    done = _run(home, "fail", "dispatch", "--once", MATRIXPUB_LANG="en", MATRIXPUB_PREFECT_LOGS="1")
    assert done.returncode == 1
    assert "Beginning flow run" in done.stderr and "Encountered exception" in done.stderr
    assert done.stderr.strip().splitlines()[-1] == "error: account 7 is not open for posts"
    assert "Finished in state" not in done.stdout
