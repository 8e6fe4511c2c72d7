"""`matrixpub serve`: starts a local Prefect server, records it so commands hand their
flows to it, runs the dispatcher on schedule, and stops without leaving a process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from domain.gates import DEFAULT_WORKFLOW
from tests.console.conftest import GATES, Cli
from tests.processes import children_of


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def test_serve_hands_flows_over_and_stops_cleanly(team: Cli, tmp_path: Path) -> None:
    cli = team
    column = cli.json(
        "account",
        "register",
        "--platform",
        "website",
        "--name",
        "栏目",
        "--unit",
        "市文化和旅游局",
        "--platform-id",
        "served",
        as_user="admin",
    )
    body = tmp_path / "b.md"
    body.write_text("正文。\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.pop("PREFECT_LOGGING_SETTINGS_PATH", None)
    from flows.runtime import free_port

    web_port = free_port()
    password = subprocess.run(
        [sys.executable, "-m", "console.entry", "user", "password", "p1"],
        env={**env, "MATRIXPUB_TOKEN": cli.tokens["admin"]},
        input="served-secret-1\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert password.returncode == 0, password.stderr
    serve = subprocess.Popen(
        [sys.executable, "-m", "console.entry", "serve", "--json", "--web-port", str(web_port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert serve.stdout is not None
        ready = json.loads(serve.stdout.readline())
        record = json.loads((cli.home / "prefect-server.json").read_text())
        assert record["api_url"] == ready["api_url"] and record["pid"] == serve.pid
        servers = children_of(serve.pid)
        assert len(servers) >= 2, "serve started no Prefect server or no web console"
        assert ready["web_url"] == f"http://127.0.0.1:{web_port}/"

        def command(*args: str, who: str) -> subprocess.CompletedProcess[str]:
            done = subprocess.run(
                [sys.executable, "-m", "console.entry", *args, "--json"],
                env={**env, "MATRIXPUB_TOKEN": cli.tokens[who]},
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, f"{args}: {done.stderr}"
            return done

        draft = json.loads(
            command(
                "draft",
                "new",
                "--title",
                "服务器模式",
                "--body-file",
                str(body),
                "--target",
                str(column["id"]),
                who="author",
            ).stdout
        )
        handed = json.loads(command("draft", "submit", str(draft["id"]), who="author").stdout)
        assert handed["prepare"]["mode"] == "server", handed["prepare"]
        assert handed["prepare"]["url"].startswith(ready["ui_url"])
        deadline = time.monotonic() + 120
        while cli.json("draft", "show", draft["id"], as_user="author")["state"] != "in_review":
            assert time.monotonic() < deadline, "the served flow never prepared the draft"
            time.sleep(1)
        # 一校 in the web console served beside the flows.
        import re

        import httpx

        with httpx.Client(base_url=ready["web_url"], timeout=30, follow_redirects=True) as web:
            form = web.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            logged_in = web.post(
                "/login",
                data={"username": "p1", "password": "served-secret-1", "csrf_token": token},
            )
            page = web.get(f"/drafts/{draft['id']}")
            assert logged_in.status_code == 200 and "你现在决定" in page.text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            decided = web.post(
                f"/drafts/{draft['id']}/decision",
                data={"verdict": "approve", "opinion": "同意", "version": "1",
                      "gate": "proofread_1", "csrf_token": token},
                follow_redirects=False,
            )  # fmt: skip
            assert decided.status_code == 303
        for index, who in enumerate(GATES[1:], 1):
            command(
                "review", "approve", str(draft["id"]), "--opinion", "同意", "--version", "1",
                "--gate", DEFAULT_WORKFLOW.gate(index).key, who=who,
            )  # fmt: skip
        deadline = time.monotonic() + 180  # planned by the handed-over flow, sent by the
        while True:  # dispatcher deployment that runs every minute
            posts = cli.json("post", "list", "--draft", draft["id"], as_user="author")
            if posts and posts[0]["state"] == "published":
                break
            assert time.monotonic() < deadline, f"nothing published: {posts}"
            time.sleep(2)
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
    assert serve.returncode == 0, serve.stderr.read() if serve.stderr else ""
    time.sleep(1)
    assert not any(_alive(pid) for pid in servers), "the local Prefect server outlived serve"
    assert not (cli.home / "prefect-server.json").exists()
    err = serve.stderr.read() if serve.stderr else ""
    assert "Traceback" not in err


def _copy_prefect_database(prefect_ready: Path, home: Path) -> None:
    """MATRIXPUB_HOME/prefect starts with a copy of the session's migrated Prefect database
    (it saves ~20 s of migrations), as the embedded server would have left it."""
    import sqlite3
    from importlib.metadata import version

    from flows.runtime import STAMP_FILE

    target = home / "prefect"
    target.mkdir(parents=True)
    src, dst = sqlite3.connect(prefect_ready / "prefect.db"), sqlite3.connect(target / "prefect.db")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    (target / STAMP_FILE).write_text(version("prefect"), "utf-8")


def _run_deployment(api_url: str, flow: str) -> str:
    """Start a run of the served deployment of ``flow`` through Prefect's REST API."""
    import urllib.request

    from flows.trigger import DEPLOYMENTS

    def call(method: str, path: str, body: dict[str, object] | None = None) -> dict:
        request = urllib.request.Request(
            f"{api_url}{path}",
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    deployment = call("GET", f"/deployments/name/{flow}/{DEPLOYMENTS[flow]}")
    return str(call("POST", f"/deployments/{deployment['id']}/create_flow_run", {})["id"])


def test_serve_uses_the_prefect_home_of_matrixpub_home_and_delivers_with_stored_credentials(
    prefect_ready: Path, tmp_path: Path
) -> None:
    """`account credentials` stores a webhook's signing secret in a Secret block (Prefect's
    database under MATRIXPUB_HOME/prefect); `serve` must use that same database — not
    ~/.prefect — so its dispatcher finds the secret and the receiver gets a signed post."""
    from tests.dispatch.helpers import approved_posts, migrated_world, posts_by_id
    from tests.fakes import FakeWebhook

    home = tmp_path / "home"
    user_home = tmp_path / "user"  # $HOME: where Prefect would go without PREFECT_HOME
    user_home.mkdir()
    w = migrated_world(f"sqlite:///{home / 'matrixpub.db'}", home)
    _copy_prefect_database(prefect_ready, home)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MATRIXPUB_", "PREFECT_HOME", "PREFECT_API_URL"))
        and k != "PREFECT_LOGGING_SETTINGS_PATH"
    }
    env.update(
        HOME=str(user_home),
        MATRIXPUB_HOME=str(home),
        MATRIXPUB_TOKEN=w.tokens["admin"],
        MATRIXPUB_PREFECT_BACKGROUND="0",  # no server outlives the test
    )
    with FakeWebhook(signing_secret="whsec-served-5e1f") as hook:
        account = w.add_account("hook", platform="webhook", url=hook.endpoint)
        creds = tmp_path / "hook.json"
        creds.write_text(json.dumps({"signing_secret": "whsec-served-5e1f"}), "utf-8")
        subprocess.run(
            [sys.executable, "-m", "console.entry", "account", "credentials", str(account),
             "--secret-block", "hook-signing", "--from-file", str(creds), "--json"],
            env=env, capture_output=True, text=True, timeout=180, check=True,
        )  # fmt: skip
        (post_id,) = approved_posts(w, [account], drafts=1)
        serve = subprocess.Popen(
            [sys.executable, "-m", "console.entry", "serve", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert serve.stdout is not None
            ready = json.loads(serve.stdout.readline())
            _run_deployment(ready["api_url"], "dispatch")
            deadline = time.monotonic() + 120
            while posts_by_id(w.engine, [post_id])[post_id].state != "published":
                post = posts_by_id(w.engine, [post_id])[post_id]
                assert post.state in ("queued", "sending"), (post.state, post.last_error)
                assert time.monotonic() < deadline, "the served dispatcher never sent it"
                time.sleep(1)
        finally:
            serve.send_signal(signal.SIGTERM)
            serve.wait(timeout=60)
        (request,) = hook.requests
        assert request.extra["signature_valid"] is True
    assert not (user_home / ".prefect" / "prefect.db").exists(), "serve used ~/.prefect"
    err = serve.stderr.read() if serve.stderr else ""
    assert serve.returncode == 0 and "Traceback" not in err, err
