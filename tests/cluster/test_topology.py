"""matrixpub on Prefect's scale-out topology (``deploy/local-cluster.sh``): the flows
registered to a process work pool by ``matrixpub deploy``, run by two workers through a
balancer in front of two API processes, with Prefect on PostgreSQL and Redis messaging.

2,000 posts over 100 webhook accounts go to a local receiver while one worker — the
worker and every flow run it started, as when its machine dies — is killed with SIGKILL
in the middle of a batch; then the same while one API process is killed. Afterwards
every post was delivered exactly once, or is ``unknown`` and reached the receiver at most
once, and none is lost.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from flows.trigger import DEPLOYMENTS
from sqlmodel_db.types import utcnow
from tests.cluster.conftest import (
    LEASE,
    Cluster,
    Connections,
    Frozen,
    alive,
    freeze,
    tree,
    wait_until,
)
from tests.dispatch.helpers import (
    ControlledWebhook,
    approved_posts,
    attempts_by_post,
    migrated_world,
    posts_by_id,
    sent_per_key,
    webhook_accounts,
)
from tests.factories import World
from tests.fakes import FakeWebhook

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ACCOUNTS = 100
DRAFTS = 20  # x 100 accounts = 2,000 posts
WORKERS = ("worker-1", "worker-2")
HOST = socket.gethostname()


@pytest.fixture(scope="module")
def world(cluster: Cluster) -> Iterator[World]:
    """People and matrixpub's records in the cluster's database (migrated by the script)."""
    from sqlmodel_db import audit

    audit.use_key_source(cluster.audit_key)  # the tests' own fixture sets it per test
    w = migrated_world(cluster.database_url, cluster.home)
    yield w
    w.engine.dispose()


class Phases:
    """How long each step took (printed with -s; the README's figures come from it)."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.start = self.last = time.monotonic()
        self.lines: list[str] = []

    def __call__(self, what: str) -> None:
        now = time.monotonic()
        self.lines.append(f"{what} {now - self.last:.0f} s")
        self.last = now

    def report(self, extra: str) -> None:
        total = time.monotonic() - self.start
        print(f"\n{self.title}: {extra}; {', '.join(self.lines)}; total {total:.0f} s")


def names(pids: list[int]) -> set[str]:
    """What a dispatcher in each of these processes records as its worker name."""
    return {f"{HOST}:{pid}" for pid in pids}


def build(w: World, fake: FakeWebhook, prefix: str) -> list[int]:
    accounts = webhook_accounts(w, ACCOUNTS, fake.endpoint, prefix=prefix)
    posts = approved_posts(w, accounts, drafts=DRAFTS, title=f"关于{prefix}的通知")
    assert len(posts) == ACCOUNTS * DRAFTS
    return posts


def pause_schedule(cluster: Cluster) -> str:
    """Only the runs a test hands over dispatch (no minute tick in the middle of it)."""
    deployment = cluster.deployment("dispatch", DEPLOYMENTS["dispatch"])
    cluster.call("PATCH", f"/deployments/{deployment['id']}", {"paused": True})
    return str(deployment["id"])


def hand_over(cluster: Cluster, deployment_id: str, count: int, max_posts: int) -> list[str]:
    return [
        cluster.call(
            "POST",
            f"/deployments/{deployment_id}/create_flow_run",
            {"parameters": {"max_posts": max_posts, "batch_size": 50}},
        )["id"]
        for _ in range(count)
    ]


def senders(w: World, posts: list[int]) -> set[str]:
    """The dispatchers that have started at least one of ``posts``."""
    attempts = attempts_by_post(w.engine)
    return {a.worker for i in posts for a in attempts.get(i, [])}


def claims(w: World, posts: list[int], owners: set[str]) -> set[int]:
    return {
        i
        for i, p in posts_by_id(w.engine, posts).items()
        if p.state in ("sending", "checking") and p.lease_owner in owners
    }


def freeze_mid_batch(
    cluster: Cluster, w: World, posts: list[int]
) -> tuple[str, Frozen, set[int], set[int]]:
    """Once both workers have sent posts, stop (SIGSTOP) a worker's whole process tree
    while it holds claims, some of them with a request in flight (an attempt started and
    no result); returns which worker, the frozen tree, its claims and those in flight."""
    deadline = time.monotonic() + 300
    while True:
        assert time.monotonic() < deadline, "no worker was ever caught holding claims"
        wait_until(
            lambda: all(senders(w, posts) & names(cluster.worker_processes(n)) for n in WORKERS),
            timeout=300,
            what="both workers to send posts",
            every=0.5,
        )
        for name in WORKERS:
            frozen = freeze(cluster.pid(name))
            held = claims(w, posts, names(frozen.pids))
            attempts = attempts_by_post(w.engine)
            in_flight = {i for i in held if attempts.get(i) and attempts[i][-1].finished_at is None}
            if held - in_flight and in_flight:
                return name, frozen, held, in_flight
            frozen.thaw()
        time.sleep(0.1)


def finish(cluster: Cluster, w: World, deployment_id: str, posts: list[int]) -> None:
    """Wait until every post is published or unknown, handing over one more dispatch run
    whenever nothing has moved for a while (a claim the killed worker left is taken back
    by the first run after its lease ran out)."""
    deadline = time.monotonic() + 420
    done, moved = -1, time.monotonic()
    while True:
        states = [p.state for p in posts_by_id(w.engine, posts).values()]
        finished = sum(s in ("published", "unknown") for s in states)
        if finished == len(posts):
            return
        if finished != done:
            done, moved = finished, time.monotonic()
        elif time.monotonic() - moved > 15:
            hand_over(cluster, deployment_id, 1, 10_000)
            moved = time.monotonic()
        assert time.monotonic() < deadline, (
            f"{len(posts) - finished} posts still not delivered: "
            f"{ {s: states.count(s) for s in set(states)} }"
        )
        time.sleep(1)


def check_delivered_once(
    w: World, fake: FakeWebhook, posts: list[int], *, killed: set[str] = frozenset()
) -> dict[str, Any]:
    """Every post delivered exactly once, or unknown and received at most once; none lost.
    Unknown only where a process in ``killed`` had started the request."""
    rows = posts_by_id(w.engine, posts)
    attempts = attempts_by_post(w.engine)
    sent = sent_per_key(fake)
    assert set(rows) == set(posts), "posts are missing"
    assert {p.state for p in rows.values()} <= {"published", "unknown"}
    published = {i for i, p in rows.items() if p.state == "published"}
    unknown = {i for i, p in rows.items() if p.state == "unknown"}
    for post_id in published:
        key = rows[post_id].idempotency_key
        assert sent[key] == 1 and fake.received[key] == 1, (post_id, sent[key])
        assert [a.outcome for a in attempts[post_id]] == ["published"], attempts[post_id]
    for post_id in unknown:
        key = rows[post_id].idempotency_key
        assert sent[key] <= 1 and fake.received[key] <= 1, (post_id, sent[key])
        (attempt,) = attempts[post_id]
        assert attempt.worker in killed and attempt.outcome == "unknown", attempt
    assert len(fake.payloads) == len(published) + sum(
        fake.received[rows[i].idempotency_key] for i in unknown
    )
    return {"published": published, "unknown": unknown, "attempts": attempts, "rows": rows}


def test_deploy_registers_the_flows_to_the_pool_and_the_services_schedule_them(
    cluster: Cluster,
) -> None:
    pool = cluster.env["CLUSTER_POOL"]
    for flow, name in DEPLOYMENTS.items():
        deployment = cluster.deployment(flow, name)
        assert deployment["work_pool_name"] == pool
        assert deployment["entrypoint"].startswith("flows.") and not deployment["pull_steps"]
        assert len(deployment["schedules"]) == 1
    (work_pool,) = cluster.call(
        "POST", "/work_pools/filter", {"work_pools": {"name": {"any_": [pool]}}}
    )
    assert work_pool["type"] == "process"
    # The scheduler (in the services process) puts the dispatcher's runs in the pool, a
    # minute apart; either API process answers for the same database. (The workers run
    # handed-over runs in the tests below.)
    dispatch = cluster.deployment("dispatch", DEPLOYMENTS["dispatch"])
    scheduled = wait_until(
        lambda: sorted(
            r["expected_start_time"]
            for r in cluster.flow_runs(dispatch["id"])
            if r["auto_scheduled"] and r["work_pool_name"] == pool
        ),
        timeout=120,
        what="the scheduler to schedule dispatch runs",
        every=1,
    )
    assert len(scheduled) >= 3
    for n in (1, 2):
        direct = f"http://127.0.0.1:{cluster.api_port(n)}/api"
        assert len(cluster.flow_runs(dispatch["id"], via=direct)) >= len(scheduled)
    # `matrixpub deploy` again: the same deployments, updated, not doubled; a pool of
    # another type is refused with one line.
    env = {**cluster.env, **cluster.settings}
    again = subprocess.run(
        [sys.executable, "-m", "console.entry", "deploy", "--pool", pool, "--json"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert len(cluster.deployment("dispatch", DEPLOYMENTS["dispatch"])["schedules"]) == 1
    cluster.call("POST", "/work_pools/", {"name": f"{pool}-docker", "type": "docker"})
    refused = subprocess.run(
        [sys.executable, "-m", "console.entry", "deploy", "--pool", f"{pool}-docker"],
        env={**env, "MATRIXPUB_LANG": "en"}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"error: work pool '{pool}-docker' is a 'docker' pool; matrixpub's flows run in a "
        "'process' pool: choose another name"
    ]


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    cluster: Cluster, world: World
) -> None:
    w = world
    phase = Phases("worker kill")
    deployment_id = pause_schedule(cluster)
    with ControlledWebhook() as fake:
        posts = build(w, fake, "worker")
        phase("2,000 posts built")
        # A slow platform: each post is delivered 0.2 s before it is answered, so a worker
        # caught sending has requests in flight, delivered and not yet recorded.
        fake.delay = 0.2
        connections = Connections(cluster).start()
        hand_over(cluster, deployment_id, 2, ACCOUNTS * DRAFTS // 2)
        wait_until(lambda: len(fake.payloads) >= 200, timeout=300, what="200 posts received")
        phase("first 200 received")
        victim, frozen, held, in_flight = freeze_mid_batch(cluster, w, posts)
        phase("caught mid-batch")
        killed = names(frozen.pids)
        frozen.kill()  # the worker and its flow runs, as when its machine goes down
        wait_until(lambda: not any(alive(p) for p in frozen.pids), timeout=30, what="the kill")
        fake.delay = 0.0
        survivor = next(n for n in WORKERS if n != victim)
        # Its claims are taken back by the first dispatch after their lease runs out.
        leases = [p.lease_until for p in posts_by_id(w.engine, held).values()]
        wait_until(
            lambda: utcnow() > max(x for x in leases if x),
            timeout=LEASE + 30,
            what="the killed worker's leases to run out",
        )
        hand_over(cluster, deployment_id, 1, 10_000)

        finish(cluster, w, deployment_id, posts)
        phase("the rest delivered")
        connections.stop()
        seen = check_delivered_once(w, fake, posts, killed=killed)

    # Unknown exactly where the dead worker had a request out; never sent again.
    assert seen["unknown"] == in_flight
    # What the killed worker had claimed but not sent went out once, from the other one.
    for post_id in held - in_flight:
        assert post_id in seen["published"]
        (attempt,) = seen["attempts"][post_id]
        assert attempt.worker not in killed
    workers = {a.worker for i in posts for a in seen["attempts"].get(i, [])}
    # Both workers sent: the killed one before it died, the other after (its flow runs are
    # processes of their own that have ended by now, so they are told by not being killed).
    assert workers & killed and workers - killed
    assert alive(cluster.pid(survivor))
    phase.report(
        f"{victim} killed holding {len(held)} claims ({len(in_flight)} with a request in "
        f"flight); {len(seen['published'])} published, {len(seen['unknown'])} unknown; "
        f"{connections}"
    )


def test_an_api_process_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    cluster: Cluster, world: World
) -> None:
    w = world
    phase = Phases("API kill")
    cluster.start()  # whatever an earlier test killed runs again
    phase("cluster restarted")
    assert all(alive(cluster.pid(n)) for n in WORKERS)
    deployment_id = pause_schedule(cluster)
    with FakeWebhook() as fake:
        posts = build(w, fake, "api")
        phase("2,000 posts built")
        connections = Connections(cluster).start()
        runs = hand_over(cluster, deployment_id, 2, ACCOUNTS * DRAFTS // 2)
        wait_until(
            lambda: (
                len(fake.payloads) >= 200
                and all(senders(w, posts) & names(cluster.worker_processes(n)) for n in WORKERS)
            ),
            timeout=300,
            what="200 posts received, from both workers",
            every=0.5,
        )
        api = tree(cluster.pid("api-1"))
        Frozen(api).kill()
        wait_until(lambda: not any(alive(p) for p in api), timeout=30, what="the kill")
        at_kill = len(fake.payloads)
        assert at_kill < len(posts), "everything was delivered before the kill"
        phase(f"api-1 killed after {at_kill} received")

        finish(cluster, w, deployment_id, posts)
        phase("the rest delivered")
        connections.stop()
        seen = check_delivered_once(w, fake, posts)

    assert not seen["unknown"]  # no dispatcher died: nothing of unknown outcome
    # The runs in flight when the API process died went on through the other one.
    for run_id in runs:
        run = wait_until(
            lambda run_id=run_id: (
                (r := cluster.call("GET", f"/flow_runs/{run_id}"))["state"]["type"]
                in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")
                and r
            ),
            timeout=120,
            what=f"flow run {run_id} to end",
        )
        assert run["state_type"] == "COMPLETED", run["state"]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", cluster.api_port(1)), timeout=2).close()
    phase.report(f"{at_kill} received before the kill, {len(posts) - at_kill} after; {connections}")


def test_stop_ends_everything_it_started_and_only_that(cluster: Cluster) -> None:
    components = ["api-1", "api-2", "services", "balancer", *WORKERS]
    started = [p for name in components for p in tree(cluster.pid(name)) if alive(p)]
    bystander = subprocess.Popen(  # looks like a worker; the script did not start it
        [sys.executable, "-c", "import time; time.sleep(600)", "prefect", "worker", "start"]
    )
    conf = (cluster.dir / "cluster.conf").read_text("utf-8")
    redis_db = next(x for x in conf.splitlines() if x.startswith("CLUSTER_REDIS_DB="))
    try:
        cluster.script("stop", "--drop")
        assert not [p for p in started if alive(p)]
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
    number = redis_db.split("=", 1)[1]
    assert (
        number
        and subprocess.run(
            ["redis-cli", "-n", number, "dbsize"], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "0"
    )
    listed = subprocess.run(
        ["psql", "-h", cluster.env["CLUSTER_PG_HOST"], "-U", cluster.env["CLUSTER_PG_USER"],
         "-d", "postgres", "-Atc", "select datname from pg_database"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert cluster.prefect_db not in listed and cluster.matrixpub_db not in listed
