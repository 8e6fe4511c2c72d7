"""Benchmark the web console: page and decision times with a full database.

    .venv/bin/python bench/web.py [--drafts 1000] [--posts 10000] [--rounds 40] [--cli 5]
    .venv/bin/python bench/web.py --smoke    # the smallest run: does it work at all

Builds a fresh MATRIXPUB_HOME on the embedded default (SQLite) with 1,000 drafts (most
in review at every gate, a fifth signed) and 10,000 posts over 100 accounts, through the
same functions the CLI and the console call. Then, with FastAPI's test client in this
process, it times the console's main pages as a proofreader and an author see them, and
a decision POST on a different draft each time. The time is the server's own, read from
the ``Server-Timing`` header every response carries. Beside it: the same decision
through the CLI (`matrixpub review approve`, a fresh process each time, as a person would
type it).

Targets on the development machine: page p95 < 150 ms, decision p95 < 300 ms.
Not a timed test: the figures go into the README.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-1"
TEAM = [
    ("admin", "admin"), ("author", "author"), ("p1", "proofreader"), ("editor", "editor"),
    ("p2", "proofreader"), ("chief", "chief"), ("p3", "proofreader"), ("leader", "leader"),
]  # fmt: skip
GATE_PEOPLE = ["p1", "editor", "p2", "chief", "p3", "leader"]
BODY = (
    "各区县文化和旅游局，各有关单位：\n\n为丰富群众节假日文化生活，市文化和旅游局决定举办"
    "冬季文化和旅游消费季活动。现将有关事项通知如下。\n\n## 一、活动时间\n\n"
    "2026年12月15日至2027年2月28日。\n\n## 二、活动内容\n\n发放文化和旅游消费券，"
    "组织全市A级旅游景区推出门票优惠、联票套餐、夜间专场等惠民措施。\n\n特此通知。\n"
)


def machine() -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from backbone import machine as describe

    return describe()


def pad(label: str, width: int = 38) -> str:
    """``label`` padded to ``width`` terminal cells (a Chinese character takes two)."""
    from rich.cells import cell_len

    return label + " " * max(1, width - cell_len(label))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def seed(home: Path, drafts: int, posts: int) -> dict[str, Any]:
    """The database: the team, 100 accounts, ``drafts`` drafts, ``posts`` posts."""
    from sqlmodel import select

    from console import actions, people
    from console.workspace import Workspace
    from domain.gates import DEFAULT_WORKFLOW, Verdict
    from flows import steps
    from flows.context import get_context
    from sqlmodel_db import drafts as drafts_db
    from sqlmodel_db import posts as posts_db
    from sqlmodel_db.engine import session_scope
    from sqlmodel_db.models import User
    from sqlmodel_db.types import utcnow

    admin = actions.init(Workspace.from_env(), admin="admin")
    tokens = {"admin": admin["token"]}
    admin_ws = Workspace.from_env(token=tokens["admin"])
    for name, role in TEAM[1:]:
        tokens[name] = actions.add_user(admin_ws, name=name, roles=[role])["token"]
    for name in ("p1", "author"):
        people.set_password(admin_ws, name, password=PASSWORD)
    accounts = []
    for i in range(98):
        accounts.append(
            actions.register_account(
                admin_ws, platform="website", name=f"栏目{i:02d}", unit=f"单位{i:02d}",
                platform_id=f"col{i:02d}", group_name="matrix", is_main=i == 0,
            )["id"]
        )  # fmt: skip
    for platform in ("douyin", "weibo"):
        accounts.append(
            actions.register_account(
                admin_ws, platform=platform, name="古城文旅", unit="单位00", group_name="matrix",
            )["id"]
        )  # fmt: skip
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (60, 90, 150)).save(buffer, "JPEG", quality=85)
    cover = drafts_db.Upload(buffer.getvalue(), "image/jpeg")
    ctx = get_context()
    signed_count = max(1, posts // len(accounts))
    with session_scope(ctx.engine) as session:
        users = {u.name: u for u in session.exec(select(User))}
    made: list[int] = []
    started = time.perf_counter()
    for i in range(drafts):
        signed = i < signed_count
        targets = accounts if signed else [accounts[i % 98], accounts[-2], accounts[-1]]
        with session_scope(ctx.engine) as session:
            draft, version = drafts_db.create_draft(
                session=session, actor=users["author"], title=f"关于文旅活动的通知（第{i}号）",
                body=BODY, summary="冬季文旅消费季12月15日开幕", targets=targets, cover=cover,
            )  # fmt: skip
            drafts_db.submit_draft(session=session, actor=users["author"], draft_id=draft.id)
            version_id, draft_id = version.id, draft.id
        outcome = steps.render_version(ctx, version_id)
        assert not outcome.problems, outcome.problems
        steps.finish_preparation(ctx, version_id, outcome.problems)
        gates = 6 if signed else i % 6  # the rest wait at every gate, evenly
        with session_scope(ctx.engine) as session:
            for index, who in enumerate(GATE_PEOPLE[:gates]):
                drafts_db.decide(
                    session=session, actor=users[who], draft_id=draft_id,
                    verdict=Verdict.APPROVE, opinion=f"{who} 同意", expected_version=1,
                    expected_gate=DEFAULT_WORKFLOW.gate(index).key,
                )  # fmt: skip
        if signed:
            with session_scope(ctx.engine) as session:
                now = utcnow()
                posts_db.create_posts(
                    session=session, draft_id=draft_id, actor_id=None,
                    plans=[posts_db.PlannedPost(account_id=a, due_at=now + timedelta(days=30))
                           for a in accounts],
                )  # fmt: skip
        made.append(draft_id)
        if (i + 1) % 100 == 0:
            rate = (i + 1) / (time.perf_counter() - started)
            print(f"  seeded {i + 1}/{drafts} drafts ({rate:.0f}/s)", file=sys.stderr)
    return {"tokens": tokens, "drafts": made, "signed": made[:signed_count], "users": users}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=40, help="requests per page")
    parser.add_argument("--cli", type=int, default=5, help="decisions through the CLI")
    parser.add_argument(
        "--smoke", action="store_true", help="20 drafts, 100 posts, 2 rounds, 1 CLI decision"
    )
    args = parser.parse_args()
    if args.smoke:
        args.drafts, args.posts, args.rounds, args.cli = 20, 100, 2, 1

    home = Path(tempfile.mkdtemp(prefix="matrixpub-bench-web-"))
    os.environ["MATRIXPUB_HOME"] = str(home)
    os.environ.pop("MATRIXPUB_DATABASE_URL", None)
    os.environ.pop("PREFECT_API_URL", None)
    # The manual channels link to the article on the public site, which must have an address.
    os.environ.setdefault("MATRIXPUB_SITE_URL", "https://wlj.example.gov.cn")
    try:
        run(args, home)
    finally:
        # Writes read the audit key through Prefect: the first one started the background
        # Prefect server of this home (the CLI decisions used it too); stop it.
        from domain.settings import load
        from flows import background

        background.stop(load({"MATRIXPUB_HOME": str(home)}))
        shutil.rmtree(home, ignore_errors=True)


def run(args: argparse.Namespace, home: Path) -> None:
    from fastapi.testclient import TestClient
    from sqlmodel import func, select

    from console import actions
    from console.web import create_app
    from console.workspace import Workspace
    from sqlmodel_db.models import Post

    print(f"Seeding {args.drafts} drafts and {args.posts} posts in {home} ...", file=sys.stderr)
    t0 = time.perf_counter()
    world = seed(home, args.drafts, args.posts)
    ws = Workspace.from_env()
    with ws.session() as session:
        post_count = session.exec(select(func.count()).select_from(Post)).one()
    print(f"  seeded in {time.perf_counter() - t0:.0f} s: {post_count} posts", file=sys.stderr)

    app = create_app(ws)
    clients: dict[str, TestClient] = {}
    for name in ("p1", "author"):
        client = TestClient(app)
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
        clients[name] = client

    waiting = actions.review_queue(Workspace.from_env(token=world["tokens"]["p1"]))
    p1_queue = [d["id"] for d in waiting if d["gate"]["key"] == "proofread_1"]
    sample = world["drafts"][len(world["signed"]) + 7]
    signed = world["signed"][0]
    pages = [
        (f"我的待办 (p1, {len(waiting)} waiting)", "p1", "/"),
        ("draft page (3 channels)", "p1", f"/drafts/{sample}"),
        ("draft page (signed, 100 posts)", "author", f"/drafts/{signed}"),
        ("channel preview frame", "p1", f"/drafts/{sample}/versions/1/preview/weibo/"),
        ("drafts list", "p1", "/drafts"),
        ("posts list", "author", "/posts"),
        ("审签单", "author", f"/drafts/{signed}/sheet"),
        ("draft record", "author", f"/drafts/{signed}/record"),
        ("editor", "author", f"/drafts/{sample}/edit"),
    ]
    rows: list[tuple[str, float, float]] = []
    worst_page = 0.0
    for label, who, path in pages:
        client = clients[who]
        client.get(path)  # warm
        times = []
        for _ in range(args.rounds):
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            times.append(float(answer.headers["server-timing"].split("dur=")[1]))
        p95 = percentile(times, 0.95)
        worst_page = max(worst_page, p95)
        rows.append((label, statistics.median(times), p95))

    # Decisions: p1 approves 一校 on a different draft each time.
    decisions: list[float] = []
    client = clients["p1"]
    for draft_id in p1_queue[: args.rounds]:
        page = client.get(f"/drafts/{draft_id}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        answer = client.post(
            f"/drafts/{draft_id}/decision",
            data={"verdict": "approve", "opinion": "同意", "version": "1",
                  "gate": "proofread_1", "csrf_token": token},
            follow_redirects=False,
        )  # fmt: skip
        assert answer.status_code == 303, answer.text[:300]
        decisions.append(float(answer.headers["server-timing"].split("dur=")[1]))

    cli: list[float] = []
    env = {**os.environ, "MATRIXPUB_TOKEN": world["tokens"]["p1"]}
    for draft_id in p1_queue[args.rounds : args.rounds + args.cli]:
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "console.entry", "review", "approve", str(draft_id),
             "--opinion", "同意", "--version", "1", "--gate", "一校", "--json"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        cli.append((time.perf_counter() - t) * 1000)

    print(f"\nweb console with {args.drafts} drafts and {post_count} posts; {machine()}")
    print(f"{pad('')} {'median':>9} {'p95':>9}")
    for label, median, p95 in rows:
        print(f"{pad(label)} {median:7.1f}ms {p95:7.1f}ms")
    print(f"{pad('decision POST (一校, no flow)')} {statistics.median(decisions):7.1f}ms "
          f"{percentile(decisions, 0.95):7.1f}ms")  # fmt: skip
    print(f"{pad('the same decision through the CLI')} {statistics.median(cli):7.1f}ms "
          f"{percentile(cli, 0.95):7.1f}ms   (a fresh process each time)")  # fmt: skip
    decision_p95 = percentile(decisions, 0.95)
    print(
        f"web: page p95 {worst_page:.0f} ms (target < 150), decision p95 {decision_p95:.0f} ms "
        f"(target < 300), CLI decision median {statistics.median(cli):.0f} ms = "
        f"{statistics.median(cli) / statistics.median(decisions):.0f} x the web's"
    )
    for client in clients.values():
        client.close()
    app.state.flows.close()


if __name__ == "__main__":
    main()
