"""Benchmark the command line as a person meets it: each command a fresh process.

    .venv/bin/python bench/cli.py [--runs 7]
    .venv/bin/python bench/cli.py --smoke   # 2 runs, 1 own server: does it work at all

In a fresh MATRIXPUB_HOME (SQLite), with the team of the tests and drafts waiting at 一校:

1. A gate decision that runs no flow: ``matrixpub review approve ID --gate 一校``, a fresh
   process each time, from its start to its exit (median of ``--runs``). Beside it, in
   the same run: the bare interpreter (``python -c pass``) and the interpreter importing
   SQLModel (what any command that reads the database loads), the floor under any
   command. Target: < 0.5 s.
2. A command that runs a flow without ``serve``: ``matrixpub dispatch --once``, a fresh
   process each time. (a) with the background Prefect server (the default): the first
   command starts it, the later ones reuse it; (b) with it off
   (``MATRIXPUB_PREFECT_BACKGROUND=0``): every command boots a server of its own, as
   before. Target for (a) from the second command on: < 3 s. The background server is
   stopped at the end.

Not a timed test: the figures are sizes on a shared, noisy machine; the load average is
printed with them.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dispatch import machine, say  # noqa: E402

CPU: list[float] = []  # the CPU time (user + system) of each timed process, in order


def timed(args: list[str], env: dict[str, str]) -> float:
    """Wall time of a command from its start to its exit (its CPU time goes to ``CPU``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return wall


def cpu_of(count: int) -> float:
    """Median CPU time of the last ``count`` timed commands."""
    return statistics.median(CPU[-count:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--smoke", action="store_true", help="2 runs, and 1 command that boots its own server"
    )
    args = parser.parse_args()
    if args.smoke:
        args.runs = 2
    args.runs = max(2, args.runs)  # the flow command's first run starts the server

    home = Path(tempfile.mkdtemp(prefix="matrixpub-bench-cli-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MATRIXPUB_", "PREFECT_")) or k == "PREFECT_HOME"
    }
    env.pop("PREFECT_HOME", None)
    env["MATRIXPUB_HOME"] = str(home)
    os.environ["MATRIXPUB_HOME"] = str(home)
    say(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    # As on a person's machine from their second command on: Python keeps our modules'
    # compiled bytecode (the libraries' is compiled when they are installed). Where the
    # environment forbids writing it (PYTHONDONTWRITEBYTECODE), every command would
    # compile our code again (about 0.1 s more); it is compiled once here instead.
    for package in ("domain", "channels", "sqlmodel_db", "flows", "console"):
        assert compileall.compile_dir(ROOT / package, quiet=1), package

    from domain.settings import load
    from flows.audit_key import source_for
    from sqlmodel_db import audit
    from sqlmodel_db.engine import make_engine
    from sqlmodel_db.migrate import upgrade
    from tests.factories import world

    settings = load({"MATRIXPUB_HOME": str(home)})
    engine = make_engine(settings.database_url)
    upgrade(engine)
    # Every write is sealed with the audit key, read through Prefect's API as the CLI does
    # (this starts the background server, as a person's first writing command would).
    audit.use_key_source(source_for(settings))
    w = world(engine, home)
    waiting = []
    for n in range(args.runs + 1):
        draft_id = w.new_draft(title=f"关于举办文旅活动的通知{n}")
        assert w.submit(draft_id) == "in_review"
        waiting.append(draft_id)
    engine.dispose()
    py = [sys.executable]
    cli = [*py, "-m", "console.entry"]  # as the `matrixpub` script starts
    try:
        bare = [timed([*py, "-c", "pass"], env) for _ in range(args.runs)]
        bare_cpu = cpu_of(args.runs)
        floor = [timed([*py, "-c", "import sqlmodel"], env) for _ in range(args.runs)]
        floor_cpu = cpu_of(args.runs)
        decision_env = {**env, "MATRIXPUB_TOKEN": w.tokens["p1"]}
        approve = [*cli, "review", "approve", "--opinion", "同意", "--gate", "一校"]
        decisions = [
            timed([*approve, "--version", "1", str(d)], decision_env) for d in waiting[: args.runs]
        ]
        decision_cpu = cpu_of(args.runs)
        med = statistics.median
        say("")
        say(f"1. a gate decision that runs no flow (一校), a fresh process, median of {args.runs}:")
        say("                                          wall     CPU")
        say(f"   python -c pass                       {med(bare):5.2f} s  {bare_cpu:5.2f} s")
        say(f"   python -c 'import sqlmodel'          {med(floor):5.2f} s  {floor_cpu:5.2f} s")
        say(
            f"   matrixpub review approve (一校)      {med(decisions):5.2f} s  "
            f"{decision_cpu:5.2f} s"
        )

        flow_env = {**env, "MATRIXPUB_TOKEN": w.tokens["admin"]}
        dispatch = [*cli, "dispatch", "--once"]
        background = [timed(dispatch, flow_env) for _ in range(args.runs)]
        background_cpu = cpu_of(args.runs - 1)
        own_runs = 1 if args.smoke else max(3, args.runs // 2)
        own = [
            timed(dispatch, {**flow_env, "MATRIXPUB_PREFECT_BACKGROUND": "0"})
            for _ in range(own_runs)
        ]
        status = subprocess.run(
            [*cli, "server", "status", "--json"], env=flow_env, capture_output=True, text=True
        )
        running = json.loads(status.stdout)
        later = med(background[1:])
        say("")
        say("2. a command that runs a flow without serve (matrixpub dispatch --once):")
        say(
            f"   (a) background server: first {background[0]:5.2f} s (starts it), then median "
            f"{later:5.2f} s (CPU {background_cpu:4.2f} s), max {max(background[1:]):5.2f} s"
        )
        say(
            f"   (b) a server of its own each time: median {med(own):5.2f} s (the command's own "
            "CPU; the server's is not counted)"
        )
        say(f"   background server still running afterwards: {running['running']}")
        say(f"load average now {os.getloadavg()[0]:.1f}")
        say(
            f"cli: decision {med(decisions):.2f} s, CPU {decision_cpu:.2f} s (target < 0.5 s; "
            f"python + sqlmodel {med(floor):.2f} s); flow command {later:.2f} s from the "
            f"second on (target < 3 s) = {med(own) / later:.1f} x faster than booting a "
            f"server each time ({med(own):.2f} s)"
        )
    finally:
        subprocess.run([*cli, "server", "stop"], env=env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
