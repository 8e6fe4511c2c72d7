"""Benchmark the backbone: drafts through all six gates to many website accounts.

    .venv/bin/python bench/backbone.py [--drafts 200] [--accounts 20]

Runs in one process on the embedded default (SQLite + Prefect's embedded server), through
the same functions the CLI calls. Prints drafts/s (new → submit → six gates → posts
queued), posts delivered/s (the dispatch flow), and the share of wall time spent in
Prefect orchestration versus our own work (the step functions each task wraps).
Not a timed test: the figures are for the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OWN_WORK: dict[str, float] = defaultdict(float)


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            OWN_WORK[name] += time.perf_counter() - t0

    return wrapper


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--drafts", type=int, default=200)
    parser.add_argument("--accounts", type=int, default=20)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="matrixpub-bench-"))
    os.environ["MATRIXPUB_HOME"] = str(home)
    for name in ("MATRIXPUB_DATABASE_URL", "MATRIXPUB_TOKEN", "PREFECT_API_URL"):
        os.environ.pop(name, None)
    # Reuse the demo's Prefect database if there is one, to skip its one-off creation.
    demo_prefect = ROOT / ".demo" / "prefect"
    if demo_prefect.exists():
        shutil.copytree(demo_prefect, home / "prefect")

    from console import actions
    from console.workspace import Workspace
    from domain.gates import Verdict
    from flows import steps

    for name in ("render_version", "finish_preparation", "plan_posts", "claim_batch",
                 "deliver_batch"):
        setattr(steps, name, timed(name, getattr(steps, name)))

    from domain.settings import load
    from flows.runtime import start_embedded

    t_start = time.perf_counter()
    server = start_embedded(load(os.environ))
    assert server is not None
    server.wait()
    startup = time.perf_counter() - t_start

    admin = actions.init(Workspace.from_env(), admin="admin")
    ws = {"admin": Workspace.from_env(token=admin["token"])}
    people = [("author", "author"), ("p1", "proofreader"), ("editor", "editor"),
              ("p2", "proofreader"), ("chief", "chief"), ("p3", "proofreader"),
              ("leader", "leader")]
    for name, role in people:
        ws[name] = Workspace.from_env(token=actions.add_user(ws["admin"], name=name,
                                                             roles=[role])["token"])
    for i in range(args.accounts):
        actions.register_account(ws["admin"], platform="website", name=f"栏目{i:02d}",
                                 unit=f"单位{i:02d}", platform_id=f"col{i:02d}",
                                 group_name="bench")
    body = ROOT / "console" / "sample" / "notice.md"
    cover = ROOT / "console" / "sample" / "cover.jpg"

    decided = 0.0
    t0 = time.perf_counter()
    for n in range(args.drafts):
        draft = actions.new_draft(ws["author"], title=f"关于举办文旅活动的通知（第{n + 1}号）",
                                  body_file=body, cover=cover, group="bench")
        actions.submit_draft(ws["author"], draft["id"])
        t_gates = time.perf_counter()
        for who in ("p1", "editor", "p2", "chief", "p3"):
            actions.decide(ws[who], draft["id"], verdict=Verdict.APPROVE, opinion="同意")
        decided += time.perf_counter() - t_gates
        actions.decide(ws["leader"], draft["id"], verdict=Verdict.APPROVE, opinion="同意发布")
        print(f"\r  drafts {n + 1}/{args.drafts}", end="", file=sys.stderr, flush=True)
    drafts_wall = time.perf_counter() - t0
    print(file=sys.stderr)

    t1 = time.perf_counter()
    report = actions.dispatch_once(ws["admin"])
    dispatch_wall = time.perf_counter() - t1
    delivered = len(report["published"])

    total_flows_wall = drafts_wall - decided + dispatch_wall
    own = sum(OWN_WORK.values())
    # Draft creation, submission and the gate decisions outside flows are our own work too.
    print(f"matrixpub backbone benchmark — {machine()}")
    print(f"  embedded Prefect server start:  {startup:6.1f} s")
    print(f"  {args.drafts} drafts × {args.accounts} website accounts")
    print(f"  drafts through all gates:       {args.drafts / drafts_wall:8.2f} drafts/s "
          f"({drafts_wall:.1f} s; the five plain gate decisions took {decided:.1f} s)")
    print(f"  posts delivered:                {delivered / dispatch_wall:8.1f} posts/s "
          f"({delivered} posts in {dispatch_wall:.1f} s)")
    print(f"  wall time in flow-driven work:  {total_flows_wall:.1f} s, of which our own "
          f"steps {own:.1f} s")
    print(f"  share in Prefect orchestration: {max(0.0, 1 - own / total_flows_wall):6.1%}"
          "  (flow and task runs, state tracking, API calls)")
    for name, seconds in sorted(OWN_WORK.items(), key=lambda kv: -kv[1]):
        print(f"    {name:<20} {seconds:7.2f} s")
    if delivered != args.drafts * args.accounts:
        print(f"  WARNING: expected {args.drafts * args.accounts} posts, delivered {delivered}")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
