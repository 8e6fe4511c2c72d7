"""Benchmark website delivery: lists rebuilt once per batch and column, against a rebuild
after every article.

    .venv/bin/python bench/website.py [--drafts 50] [--columns 20] [--rounds 2]

In one process on the default set-up (SQLite in a temporary MATRIXPUB_HOME):

1. Builds the posts through the real functions: ``--columns`` website accounts, drafts
   through the six gates, the planner (``--drafts`` x ``--columns`` posts).
2. Delivers them the way the dispatch flow's tasks do (claim a batch of
   ``flows.dispatch.BATCH_SIZE`` under a lease,
   deliver it: every send-time re-check, attempt, result and audit record), without
   Prefect's per-task cost, which is the same for both:
   (a) as the dispatcher does: each column's index and feed and the site's front page
       rebuilt once when the batch ends;
   (b) the baseline: the same channel rebuilding the lists after every article (what it
       does outside a batch).
   Each round runs (a) and (b) in turns on the same posts, reset to queued, into an empty
   site folder; the best of each is kept. Checks that both left the same articles listed.

No Prefect runs here, so the audit key every write is sealed with is a fixed key in
memory (as the tests' ``audit_key`` fixture gives the database layer): reading the key
from its Prefect Secret block happens once per process and is not what this measures.

Not a timed test: the figures are sizes on a shared, noisy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dispatch import machine, progress, say  # noqa: E402

BENCH_AUDIT_KEY = b"bench-audit-key-0123456789abcdef0123456789abcdef"


def deliver_all(ctx: Any, batch: int) -> int:
    from flows import delivery

    worker = delivery.worker_name()
    done = 0
    while True:
        ids = delivery.claim_batch(ctx, worker=worker, limit=batch)
        if not ids:
            return done
        report = delivery.deliver_batch(ctx, ids, worker=worker)
        assert sorted(report.published) == sorted(ids), report.as_dict()
        done += len(ids)


def listed(site: Path) -> dict[str, list[str]]:
    """Each column's feed entries, as the site lists them."""
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    out = {}
    for feed in sorted(site.glob("*/feed.xml")):
        root = ET.fromstring(feed.read_bytes())
        out[feed.parent.name] = sorted(
            e.findtext(f"{atom}id") or "" for e in root.iter(f"{atom}entry")
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=50)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    total = args.drafts * args.columns

    home = Path(tempfile.mkdtemp(prefix="matrixpub-bench-website-"))
    os.environ["MATRIXPUB_HOME"] = str(home)
    for name in ("MATRIXPUB_DATABASE_URL", "MATRIXPUB_TOKEN", "MATRIXPUB_SITE_DIR"):
        os.environ.pop(name, None)
    say(f"machine: {machine()}, load average {os.getloadavg()[0]:.1f}")

    from sqlalchemy import text

    from channels.website import WebsiteChannel
    from flows.context import FlowContext
    from flows.dispatch import BATCH_SIZE  # (imports Prefect: before anything is timed)
    from sqlmodel_db.engine import make_engine
    from sqlmodel_db.migrate import upgrade
    from tests.dispatch.helpers import approved_posts
    from tests.factories import world

    class PerPublish(WebsiteChannel):
        """The same channel, never in a batch: it rebuilds the lists after each article."""

        batch = None  # type: ignore[assignment]

    from domain.settings import load
    from sqlmodel_db import audit

    audit.use_key_source(lambda create: BENCH_AUDIT_KEY)
    settings = load(os.environ)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    w = world(engine, home)
    try:
        columns = [w.add_account(f"col{i:03d}") for i in range(args.columns)]
        t = time.perf_counter()
        posts: list[int] = []
        for n in range(args.drafts):
            posts += approved_posts(w, columns, drafts=1, title=f"关于举办文旅活动的通知{n}")
            progress(f"posts built {len(posts)}/{total}")
        print(file=sys.stderr)
        say(
            f"built {total} posts ({args.drafts} drafts x {args.columns} website columns, "
            f"six gates, planned) in {time.perf_counter() - t:.1f} s"
        )
        batched = w.ctx
        channels = dict(batched.channels)
        channels["website"] = PerPublish(channels["website"].config)
        per_publish = FlowContext(settings=batched.settings, engine=engine, channels=channels)
        site = settings.site_dir

        def reset() -> None:
            shutil.rmtree(site, ignore_errors=True)
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "UPDATE posts SET state = 'queued', attempts = 0, url = NULL, "
                        "external_id = NULL, receipt = NULL, sent_at = NULL, "
                        "lease_owner = NULL, lease_until = NULL"
                    )
                )

        best: dict[str, float] = {}
        seen: dict[str, Any] = {}
        for round_ in range(args.rounds):
            order = [("a", batched), ("b", per_publish)]
            for name, ctx in order if round_ % 2 == 0 else order[::-1]:
                reset()
                t = time.perf_counter()
                assert deliver_all(ctx, BATCH_SIZE) == total
                wall = time.perf_counter() - t
                best[name] = min(best.get(name, wall), wall)
                seen[name] = listed(site)
                say(f"  round {round_ + 1} ({name}): {total / wall:7.1f} posts/s")
        assert seen["a"] == seen["b"] and sum(map(len, seen["a"].values())) == total
        a_rate, b_rate = total / best["a"], total / best["b"]
        say("")
        say(f"website delivery, {total} posts over {args.columns} columns (best of {args.rounds}):")
        say(f"  (a) lists rebuilt once per batch and column  {a_rate:8.1f} posts/s")
        say(f"  (b) lists rebuilt after every article        {b_rate:8.1f} posts/s")
        say(f"  both left the same {total} articles listed in the feeds")
        say(json.dumps({"a": round(a_rate, 1), "b": round(b_rate, 1)}))
        say(f"website: {a_rate:.0f} posts/s = {a_rate / b_rate:.1f} x per-publish rebuild")
    finally:
        from flows.context import dispose

        dispose()
        engine.dispose()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
