"""Benchmark the backbone: drafts through all six gates to many website accounts.

    .venv/bin/python bench/backbone.py [--drafts 200] [--accounts 20] [--interactive 10]
                                       [--no-latency]
    .venv/bin/python bench/backbone.py --smoke   # 2 drafts, 2 accounts, 1 interactive

All on the embedded default (SQLite + Prefect's embedded server), through the functions
the CLI calls. Three parts:

1. Batched, as `matrixpub serve` runs it: the drafts are written, submitted and decided by
   people one by one; the automatic work runs as sweeps (one prepare run, one plan run,
   one dispatch run). Prints drafts/s, posts delivered/s, and the share of wall time in
   Prefect orchestration versus our own work (the step functions each task wraps).
2. Interactive, as `matrixpub` commands run it without a server: every submission and every
   sign-off runs its flow in the command's process. Same figures, per draft.
3. Command latency, as a person sees it: a decision command in a fresh process with no
   Prefect server (the embedded one starts), and with `matrixpub serve` running (the flow
   is handed over). Median of three.

Not a timed test: the figures go into the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OWN: dict[str, float] = defaultdict(float)
PEOPLE = [
    ("author", "author"),
    ("p1", "proofreader"),
    ("editor", "editor"),
    ("p2", "proofreader"),
    ("chief", "chief"),
    ("p3", "proofreader"),
    ("leader", "leader"),
]
GATES = ["p1", "editor", "p2", "chief", "p3", "leader"]


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            OWN[name] += time.perf_counter() - t0

    return wrapper


def machine() -> str:
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


class World:
    """A fresh MATRIXPUB_HOME with the demo team and N website columns."""

    def __init__(self, accounts: int, home: Path) -> None:
        from console import actions
        from console.workspace import Workspace

        self.home = home
        os.environ["MATRIXPUB_HOME"] = str(self.home)
        admin = actions.init(Workspace.from_env(), admin="admin")
        self.tokens = {"admin": admin["token"]}
        self.ws = {"admin": Workspace.from_env(token=admin["token"])}
        for name, role in PEOPLE:
            token = actions.add_user(self.ws["admin"], name=name, roles=[role])["token"]
            self.tokens[name] = token
            self.ws[name] = Workspace.from_env(token=token)
        for i in range(accounts):
            actions.register_account(
                self.ws["admin"],
                platform="website",
                name=f"栏目{i:02d}",
                unit=f"单位{i:02d}",
                platform_id=f"col{i:02d}",
                group_name="bench",
            )

    def new_draft(self, n: int) -> int:
        from console import actions

        draft = actions.new_draft(
            self.ws["author"],
            title=f"关于举办文旅活动的通知（第{n}号）",
            body_file=ROOT / "console" / "sample" / "notice.md",
            cover=ROOT / "console" / "sample" / "cover.jpg",
            group="bench",
        )
        return int(draft["id"])


def batched(world: World, drafts: int, accounts: int) -> dict[str, float]:
    """People act one by one; the automatic work runs as three sweeps."""
    from domain.gates import DEFAULT_WORKFLOW, Verdict
    from flows.trigger import run_flow
    from sqlmodel_db import drafts as drafts_db
    from sqlmodel_db.users import user_by_token

    OWN.clear()
    settings = world.ws["admin"].settings
    people_time = flows_time = 0.0
    t0 = time.perf_counter()
    ids = [world.new_draft(n) for n in range(1, drafts + 1)]
    engine = world.ws["admin"].engine
    from sqlmodel_db.engine import session_scope

    with session_scope(engine) as session:
        author = user_by_token(session=session, token=world.tokens["author"])
        for draft_id in ids:
            drafts_db.submit_draft(session=session, actor=author, draft_id=draft_id)
    people_time += time.perf_counter() - t0
    t = time.perf_counter()
    prepared = run_flow("prepare-versions", {}, settings=settings).result
    flows_time += time.perf_counter() - t
    assert all(v["state"] == "in_review" for v in prepared["versions"]), prepared
    t = time.perf_counter()
    for index, who in enumerate(GATES):
        with session_scope(engine) as session:
            actor = user_by_token(session=session, token=world.tokens[who])
            for draft_id in ids:
                drafts_db.decide(
                    session=session,
                    actor=actor,
                    draft_id=draft_id,
                    verdict=Verdict.APPROVE,
                    opinion="同意",
                    expected_version=1,
                    expected_gate=DEFAULT_WORKFLOW.gate(index).key,
                )
    people_time += time.perf_counter() - t
    t = time.perf_counter()
    planned = run_flow("plan-posts", {}, settings=settings).result
    flows_time += time.perf_counter() - t
    drafts_wall = time.perf_counter() - t0
    t = time.perf_counter()
    report = run_flow("dispatch", {}, settings=settings, wait=True).result
    dispatch_wall = time.perf_counter() - t
    flows_time += dispatch_wall
    delivered = len(report["published"])
    own = sum(OWN.values())
    assert len(planned["posts"]) == drafts * accounts == delivered, (
        len(planned["posts"]),
        delivered,
    )
    return {
        "drafts_per_s": drafts / drafts_wall,
        "drafts_wall": drafts_wall,
        "people": people_time,
        "posts_per_s": delivered / dispatch_wall,
        "delivered": delivered,
        "dispatch_wall": dispatch_wall,
        "flows": flows_time,
        "own": own,
        "orchestration": max(0.0, 1 - own / flows_time),
    }


def interactive(world: World, drafts: int) -> dict[str, float]:
    """Every submission and sign-off runs its flow here, as CLI commands do."""
    from console import actions
    from domain.gates import DEFAULT_WORKFLOW, Verdict

    OWN.clear()
    flows_time = 0.0
    t0 = time.perf_counter()
    for n in range(drafts):
        draft_id = world.new_draft(1000 + n)
        t = time.perf_counter()
        actions.submit_draft(world.ws["author"], draft_id)
        flows_time += time.perf_counter() - t
        for index, who in enumerate(GATES[:-1]):
            actions.decide(
                world.ws[who], draft_id, verdict=Verdict.APPROVE, opinion="同意", version=1,
                gate=DEFAULT_WORKFLOW.gate(index).key,
            )  # fmt: skip
        t = time.perf_counter()
        actions.decide(
            world.ws["leader"], draft_id, verdict=Verdict.APPROVE, opinion="同意", version=1,
            gate="review_3",
        )  # fmt: skip
        flows_time += time.perf_counter() - t
    wall = time.perf_counter() - t0
    own = sum(OWN.values())
    return {
        "drafts_per_s": drafts / wall,
        "wall": wall,
        "flows": flows_time,
        "own": own,
        "orchestration": max(0.0, 1 - own / flows_time),
        "per_flow": flows_time / (2 * drafts),
    }


def latency(world: World, runs: int = 3) -> dict[str, float]:
    """Decision commands in fresh processes, without and with `matrixpub serve`."""
    exe = [sys.executable, "-m", "console.entry"]  # as the `matrixpub` script starts
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}

    def cli(*args: str, who: str) -> float:
        t = time.perf_counter()
        subprocess.run(
            [*exe, *args],
            env={**env, "MATRIXPUB_TOKEN": world.tokens[who]},
            check=True,
            capture_output=True,
            timeout=300,
        )
        return time.perf_counter() - t

    def ready_draft() -> int:
        from console import actions
        from domain.gates import DEFAULT_WORKFLOW, Verdict

        draft_id = world.new_draft(5000 + int(time.time() * 1000) % 100000)
        actions.submit_draft(world.ws["author"], draft_id)
        for index, who in enumerate(GATES[:-1]):
            actions.decide(
                world.ws[who], draft_id, verdict=Verdict.APPROVE, opinion="同意", version=1,
                gate=DEFAULT_WORKFLOW.gate(index).key,
            )  # fmt: skip
        return draft_id

    def final_gate(draft_id: int | None = None) -> float:
        draft = str(draft_id or ready_draft())
        return cli(
            "review", "approve", draft, "--opinion", "同意发布", "--version", "1",
            "--gate", "终审", who="leader",
        )  # fmt: skip

    def middle_gate() -> float:
        from console import actions

        draft_id = world.new_draft(7000 + int(time.time() * 1000) % 100000)
        actions.submit_draft(world.ws["author"], draft_id)
        return cli(
            "review", "approve", str(draft_id), "--opinion", "同意", "--version", "1",
            "--gate", "一校", who="p1",
        )  # fmt: skip

    out = {
        "embedded_final": statistics.median(final_gate() for _ in range(runs)),
        "middle": statistics.median(middle_gate() for _ in range(runs)),
    }
    waiting = [ready_draft() for _ in range(runs)]  # prepared here, before the server runs
    serve = subprocess.Popen(
        [*exe, "serve", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        json.loads(serve.stdout.readline())  # ready
        time.sleep(2)
        out["served_final"] = statistics.median(final_gate(d) for d in waiting)
    finally:
        serve.terminate()
        serve.wait(timeout=60)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--drafts", type=int, default=200)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--interactive", type=int, default=10)
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument(
        "--smoke", action="store_true", help="2 drafts, 2 accounts, 1 interactive, no latency"
    )
    args = parser.parse_args()
    if args.smoke:
        args.drafts, args.accounts, args.interactive, args.no_latency = 2, 2, 1, True
    for name in ("MATRIXPUB_DATABASE_URL", "MATRIXPUB_TOKEN", "PREFECT_API_URL"):
        os.environ.pop(name, None)
    os.environ["MATRIXPUB_CHECK_LINKS"] = "false"  # the sample has no links; no network
    # Flows run in this process against a server of its own, as without `serve` before the
    # background server; commands started here leave nothing running.
    os.environ["MATRIXPUB_PREFECT_BACKGROUND"] = "0"
    home = Path(tempfile.mkdtemp(prefix="matrixpub-bench-"))
    demo_prefect = ROOT / ".demo" / "prefect"
    if demo_prefect.exists():  # skip the one-off creation of Prefect's database
        # Before anything writes: the first write makes the audit key in this database.
        shutil.copytree(demo_prefect, home / "prefect", dirs_exist_ok=True)
    world = World(args.accounts, home)

    from flows import delivery, steps

    for module, names in (
        (steps, ("prepare_batch", "pending_versions", "variant_payloads", "version_label")),
        (delivery, ("plan_batch", "unplanned_drafts", "claim_batch", "deliver_batch", "expire")),
    ):
        for name in names:
            setattr(module, name, timed(name, getattr(module, name)))
    from domain.settings import load
    from flows.runtime import start_embedded

    t = time.perf_counter()
    server = start_embedded(load(os.environ))
    assert server is not None
    server.wait()
    startup = time.perf_counter() - t

    print(f"matrixpub backbone benchmark — {machine()}")
    print(f"  embedded Prefect server start: {startup:.1f} s")
    b = batched(world, args.drafts, args.accounts)
    print(f"\n1. batched: {args.drafts} drafts × {args.accounts} website accounts")
    print(
        f"   drafts through all gates, posts queued: {b['drafts_per_s']:7.2f} drafts/s "
        f"({b['drafts_wall']:.1f} s, of which people's actions {b['people']:.1f} s)"
    )
    print(
        f"   posts delivered:                        {b['posts_per_s']:7.1f} posts/s "
        f"({b['delivered']} in {b['dispatch_wall']:.1f} s)"
    )
    print(
        f"   flows {b['flows']:.1f} s, our own work in them {b['own']:.1f} s: "
        f"orchestration {b['orchestration']:.0%} of flow time"
    )
    i: dict[str, float] = {}
    if args.interactive:
        i = interactive(world, args.interactive)
        print(f"\n2. interactive: {args.interactive} drafts, a flow per submission and sign-off")
        print(
            f"   {i['drafts_per_s']:.2f} drafts/s; {i['per_flow']:.2f} s per in-process flow; "
            f"orchestration {i['orchestration']:.0%} of flow time"
        )
    if not args.no_latency:
        lat = latency(world)
        print("\n3. command latency (fresh process, median of 3)")
        print(f"   a gate decision that runs no flow:              {lat['middle']:5.2f} s")
        print(
            f"   终审 sign-off, no server (embedded starts):      {lat['embedded_final']:5.2f} s"
            "   target < 8 s"
        )
        print(
            f"   终审 sign-off, `matrixpub serve` running:        {lat['served_final']:5.2f} s"
            "   target < 2 s"
        )
    print(
        f"backbone: {b['drafts_per_s']:.2f} drafts/s and {b['posts_per_s']:.1f} posts/s "
        f"batched, orchestration {b['orchestration']:.0%} of flow time"
        + (f"; {i['per_flow']:.2f} s per in-process flow" if i else "")
    )
    shutil.rmtree(world.home, ignore_errors=True)


if __name__ == "__main__":
    main()
