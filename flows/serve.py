"""``matrixpub serve``: the dispatcher every minute, the sweeps and the daily housekeeping,
as Prefect deployments.

Prefect's embedded server runs no scheduler, so unless ``PREFECT_API_URL`` names a shared
Prefect server, serving starts a local one (``prefect server start``, its database in
``MATRIXPUB_HOME/prefect``: the same Prefect home, and so the same Secret blocks, as every
other command of that MATRIXPUB_HOME), waits until it is healthy, records its address under
``MATRIXPUB_HOME`` so that CLI commands on this machine hand their flows to it, and stops
it on exit (Ctrl-C or SIGTERM) without leaving a process behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from domain.settings import Settings
from flows.runtime import (
    EmbeddedServer,
    configure,
    die_with_parent,
    forget_server,
    free_port,
    record_server,
    recorded_server,
)
from flows.runtime import _healthy as healthy
from flows.trigger import DEPLOYMENTS

# (flow module, flow function, interval in seconds or None, daily cron or None, description).
# Each deployment's name (flows.trigger.DEPLOYMENTS) says when it runs: the Prefect UI
# lists them as "dispatch/every-minute", "housekeeping/daily-0600", ...
SCHEDULES: tuple[tuple[str, str, int | None, str | None, str], ...] = (
    (
        "flows.dispatch",
        "dispatch",
        60,
        None,
        "Deliver every post that is due; look up sends of unknown outcome; cancel what expired.",
    ),
    (
        "flows.prepare",
        "prepare_versions",
        300,
        None,
        "Render and check submitted drafts (a sweep; submissions also trigger it).",
    ),
    (
        "flows.plan",
        "plan_posts",
        300,
        None,
        "Queue the posts of approved drafts (a sweep; 终审 also triggers it).",
    ),
    (
        "flows.housekeeping",
        "housekeeping",
        None,
        "0 6 * * *",  # in the organisation's time zone
        "Every morning: withdraw what expired, void stale manual packages, and raise the "
        "alerts that need a person (failed and unknown posts, packages waiting, credentials "
        "about to expire, paused and stale accounts).",
    ),
)


@dataclass
class LocalServer:
    api_url: str
    ui_url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_local_server(
    settings: Settings,
    *,
    port: int | None = None,
    timeout: float = 120.0,
    on_status: Callable[[str], None] | None = None,
) -> LocalServer:
    """``prefect server start`` on 127.0.0.1 with its database under MATRIXPUB_HOME."""
    port = port or free_port()
    log_dir = settings.log_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        # The Prefect home every command of this MATRIXPUB_HOME uses (flows.runtime), so
        # the server keeps the Secret blocks `account credentials` stored there.
        "PREFECT_HOME": os.environ.get("PREFECT_HOME") or str(settings.prefect_home),
        "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "true",
        "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api",
    }
    env.pop("PREFECT_API_URL", None)
    with open(log_dir / "prefect-server.log", "ab") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "prefect",
                "server",
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
    api_url = f"http://127.0.0.1:{port}/api"
    if on_status:
        on_status(f"Starting the local Prefect server on port {port}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the local Prefect server stopped while starting; see {log_dir}/prefect-server.log"
            )
        if healthy(api_url, timeout=1.0):
            return LocalServer(api_url=api_url, ui_url=f"http://127.0.0.1:{port}", process=process)
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"the local Prefect server did not start within {timeout:.0f} s")


@contextmanager
def _terminate_on_sigterm() -> Iterator[None]:
    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def deployments(timezone: str = "Asia/Shanghai") -> list[object]:
    import importlib

    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron, Interval

    made = []
    for module, attribute, interval, cron, description in SCHEDULES:
        flow_fn = getattr(importlib.import_module(module), attribute)
        schedule = Interval(interval) if interval else Cron(cron or "", timezone=timezone)
        made.append(
            flow_fn.to_deployment(
                name=DEPLOYMENTS[flow_fn.name],
                schedules=[schedule],
                description=description,
                entrypoint_type=EntrypointType.MODULE_PATH,
                tags=["matrixpub"],
            )
        )
    return made


def serve(
    settings: Settings,
    *,
    port: int | None = None,
    limit: int = 4,
    on_ready: Callable[[str, str | None], None] | None = None,
    on_status: Callable[[str], None] | None = None,
) -> None:
    """Serve the deployments until interrupted."""
    local: LocalServer | None = None
    shared = os.environ.get("PREFECT_API_URL")
    if not shared and recorded_server(settings):
        raise RuntimeError(
            f"another `matrixpub serve` already runs for {settings.home} "
            f"({recorded_server(settings)})"
        )
    EmbeddedServer._instance = None  # never mix an embedded server into a serving process
    if not shared:
        from flows import background

        # Its database is the one the local server is about to open; commands use the
        # local server from now on.
        background.stop(settings)
    with _terminate_on_sigterm():
        try:
            configure(settings, use_server=False)  # PREFECT_HOME before any server starts
            if shared:
                api_url, ui_url = shared, shared.removesuffix("/api")
            else:
                local = start_local_server(settings, port=port, on_status=on_status)
                api_url, ui_url = local.api_url, local.ui_url
                os.environ["PREFECT_API_URL"] = api_url
                record_server(settings, api_url=api_url, pid=os.getpid())
            configure(settings)
            from prefect import serve as prefect_serve

            built = deployments(settings.timezone)
            for deployment in built:  # registered before anyone is told to hand work over
                deployment.apply()
            if on_ready:
                on_ready(api_url, ui_url)
            prefect_serve(
                *built, limit=limit, print_starting_message=False, pause_on_shutdown=False
            )
        except KeyboardInterrupt:
            pass
        finally:
            if local is not None:
                forget_server(settings)
                local.stop()
                os.environ.pop("PREFECT_API_URL", None)


def server_record(settings: Settings) -> Path:
    from flows.runtime import SERVER_FILE

    return settings.home / SERVER_FILE
