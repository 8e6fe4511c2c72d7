"""Benchmark website delivery: lists rebuilt once per batch and column, against a rebuild
after every article; into an empty site, and into a site with a year's history.

    .venv/bin/python bench/website.py [--drafts 50] [--columns 20] [--rounds 2] [--history 100]

In one process on the default set-up (SQLite in a temporary MATRIXPUB_HOME):

1. Builds the posts through the real functions: ``--columns`` website accounts, drafts
   through the six gates, the planner (``--drafts`` x ``--columns`` posts).
2. Writes the history: ``--history`` earlier articles in each column (100 by default:
   about a year of a city bureau's column, two a week), through the website channel
   itself: each rendered and published in a batch as the dispatcher publishes, then dated
   over the past year in the column's manifest (``articles.json``, the channel's own record
   of what it lists) and the lists rebuilt from it by the channel's ``flush``. A real
   column already holds hundreds of articles, and what a rebuild costs grows with them:
   the column's index lists every live article, and the front page reads every other
   column's manifest. The history is in the site only; the database holds the day's
   posts, and a post's database work does not read the site.
3. Delivers the day's posts the way the dispatch flow's tasks do (claim a batch of
   ``flows.dispatch.BATCH_SIZE`` under a lease,
   deliver it: every send-time re-check, attempt, result and audit record), without
   Prefect's per-task cost, which is the same for both:
   (a) as the dispatcher does: each column's index and feed and the site's front page
       rebuilt once when the batch ends;
   (b) the baseline: the same channel rebuilding the lists after every article (what it
       does outside a batch).
   First into an empty site folder, then (with ``--history``) into a copy of the site
   with its history. Each round runs (a) and (b) in turns on the same posts, reset to
   queued, into a fresh site; the best of each is kept. Checks that both left the same
   articles listed: each column's index (the history's and the day's) and its feed.

It prints the empty site's figures, then the history's; its last line,
``website: N posts/s = R x per-publish rebuild``, is the site with its history (the empty
site's own line comes just before it).

No Prefect runs here, so the audit key every write is sealed with is a fixed key in
memory (as the tests' ``audit_key`` fixture gives the database layer): reading the key
from its Prefect Secret block happens once per process and is not what this measures.

Not a timed test: the figures are sizes on a shared, noisy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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


def listed(site: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Each column's articles as the site lists them: its index's links, its feed's entries."""
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    out = {}
    for feed in sorted(site.glob("*/feed.xml")):
        root = ET.fromstring(feed.read_bytes())
        index = (feed.parent / "index.html").read_text("utf-8")
        out[feed.parent.name] = (
            sorted(INDEX_LINK.findall(index)),
            sorted(e.findtext(f"{atom}id") or "" for e in root.iter(f"{atom}entry")),
        )
    return out


INDEX_LINK = re.compile(r'<li><a href="([^"/]+)/index\.html">')
HISTORY_FIRST_ID = 1_000_001  # the history's articles are numbered apart from the day's drafts
HISTORY_BODY = (
    "各区县文化和旅游局，各有关单位：\n\n"
    + "为做好本季度文化和旅游工作，现将有关事项通知如下。请结合实际，认真抓好落实。\n\n" * 12
    + "## 一、工作安排\n\n按季度开展检查，及时报送情况。\n"
)


def write_history(config: Any, targets: list[Any], per_column: int) -> int:
    """A year of the columns' earlier articles, written into ``config.site_dir`` by the
    website channel itself: each article rendered and published in a batch, as the
    dispatcher publishes; then dated over the past year in each column's manifest (the
    channel's own record of what it lists) and the lists rebuilt from it by the channel.
    Returns the number of articles."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from channels.base import RenderInput
    from channels.website import WebsiteChannel, column_slug
    from domain.content import Content

    channel = WebsiteChannel(config)
    now = datetime.now(ZoneInfo(config.timezone)).replace(microsecond=0)
    dates: dict[str, str] = {}
    n = 0
    with channel.batch():
        for k in range(per_column):
            # The oldest first, one about every (365 / per_column) days, up to yesterday.
            when = now - timedelta(days=1) - timedelta(days=365) * (per_column - 1 - k) / per_column
            for target in targets:
                draft_id = HISTORY_FIRST_ID + n
                n += 1
                variant = channel.render(
                    RenderInput(
                        draft_id=draft_id,
                        content=Content(
                            title=f"关于做好{target.name}第{k + 1}期工作的通知",
                            summary="现将有关事项通知如下。",
                            body=HISTORY_BODY,
                        ),
                    )
                )
                assert not variant.violations, variant.violations
                channel.publish(variant, target, key=f"history-{draft_id}")
                dates[f"{column_slug(target)}/{draft_id}"] = when.isoformat()
    for target in targets:
        column = column_slug(target)
        manifest_path = config.site_dir / column / "articles.json"
        manifest = json.loads(manifest_path.read_text("utf-8"))
        for article in manifest["articles"]:
            article["published"] = dates[f"{column}/{article['slug']}"]
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    channel.flush({column_slug(t) for t in targets})
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=50)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--history",
        type=int,
        default=100,
        help="earlier articles already in each column (a year of a bureau's columns); 0: none",
    )
    args = parser.parse_args()
    total = args.drafts * args.columns

    home = Path(tempfile.mkdtemp(prefix="matrixpub-bench-website-"))
    os.environ["MATRIXPUB_HOME"] = str(home)
    for name in ("MATRIXPUB_DATABASE_URL", "MATRIXPUB_TOKEN", "MATRIXPUB_SITE_DIR"):
        os.environ.pop(name, None)
    say(f"machine: {machine()}, load average {os.getloadavg()[0]:.1f}")

    from dataclasses import replace

    from sqlalchemy import text

    from channels.website import WebsiteChannel
    from flows.context import FlowContext
    from flows.dispatch import BATCH_SIZE  # (imports Prefect: before anything is timed)
    from flows.steps import target_of
    from sqlmodel_db.engine import make_engine, session_scope
    from sqlmodel_db.migrate import upgrade
    from sqlmodel_db.models import Account
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
        history_site = home / "history-site"
        if args.history:
            t = time.perf_counter()
            with session_scope(engine) as session:
                targets = [target_of(session.get(Account, a)) for a in columns]
            config = replace(channels["website"].config, site_dir=history_site)
            written = write_history(config, targets, args.history)
            say(
                f"history: {written} earlier articles ({args.history} per column, over the "
                f"past year) written through the website channel in "
                f"{time.perf_counter() - t:.1f} s"
            )

        def reset(history: bool) -> None:
            shutil.rmtree(site, ignore_errors=True)
            if history:
                shutil.copytree(history_site, site)
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "UPDATE posts SET state = 'queued', attempts = 0, url = NULL, "
                        "external_id = NULL, receipt = NULL, sent_at = NULL, "
                        "lease_owner = NULL, lease_until = NULL"
                    )
                )

        def measure(history: bool) -> tuple[float, float, dict[str, Any]]:
            """(a) and (b) in turns, ``args.rounds`` times each: their best rates and what
            (a) left listed (the same as (b) left)."""
            best: dict[str, float] = {}
            seen: dict[str, Any] = {}
            for round_ in range(args.rounds):
                order = [("a", batched), ("b", per_publish)]
                for name, ctx in order if round_ % 2 == 0 else order[::-1]:
                    reset(history)
                    t, cpu = time.perf_counter(), time.process_time()
                    assert deliver_all(ctx, BATCH_SIZE) == total
                    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
                    best[name] = min(best.get(name, wall), wall)
                    seen[name] = listed(site)
                    say(
                        f"  round {round_ + 1} ({name}): {total / wall:7.1f} posts/s, "
                        f"CPU {cpu / total * 1000:.2f} ms per post (the process's, all "
                        f"threads), load average {os.getloadavg()[0]:.1f}"
                    )
            assert seen["a"] == seen["b"], "(a) and (b) left different articles listed"
            return total / best["a"], total / best["b"], seen["a"]

        say(f"into an empty site (best of {args.rounds}):")
        e_rate, e_base, found = measure(history=False)
        assert sum(len(index) for index, _ in found.values()) == total
        assert sum(len(feed) for _, feed in found.values()) == total
        say("")
        say(f"website delivery into an empty site, {total} posts over {args.columns} columns:")
        say(f"  (a) lists rebuilt once per batch and column  {e_rate:8.1f} posts/s")
        say(f"  (b) lists rebuilt after every article        {e_base:8.1f} posts/s")
        say(f"  both left the same {total} articles listed in the feeds")
        figures: dict[str, Any] = {"empty": {"a": round(e_rate, 1), "b": round(e_base, 1)}}
        a_rate, b_rate = e_rate, e_base
        if args.history:
            earlier = args.history * args.columns
            say("")
            say(f"into a site with {args.history} earlier articles per column:")
            a_rate, b_rate, found = measure(history=True)
            assert sum(len(index) for index, _ in found.values()) == total + earlier
            say("")
            say(
                f"website delivery into a site with {args.history} earlier articles per column "
                f"({earlier} in all), {total} posts over {args.columns} columns:"
            )
            say(f"  (a) lists rebuilt once per batch and column  {a_rate:8.1f} posts/s")
            say(f"  (b) lists rebuilt after every article        {b_rate:8.1f} posts/s")
            say(
                f"  both left the same {total + earlier} articles listed in the column indexes "
                f"(the day's {total} and {earlier} earlier ones) and in the feeds"
            )
        figures.update({"a": round(a_rate, 1), "b": round(b_rate, 1), "history": args.history})
        say(json.dumps(figures))
        say(
            f"website, empty site: {e_rate:.0f} posts/s = {e_rate / e_base:.1f} x "
            "per-publish rebuild"
        )
        say(f"website: {a_rate:.0f} posts/s = {a_rate / b_rate:.1f} x per-publish rebuild")
    finally:
        from flows.context import dispose

        dispose()
        engine.dispose()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
