"""Start the automatic work that follows a person's action.

When a Prefect server is reachable (``PREFECT_API_URL``, or the local server that
``matrixpub serve`` runs and records under ``MATRIXPUB_HOME``) and it has the flow's
deployment, the run is handed to it over Prefect's REST API and the command returns at
once, without importing Prefect at all. Otherwise the flow runs in this process on the
embedded server, started the fast and quiet way.
"""

from __future__ import annotations

import contextvars
import importlib
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.settings import Settings
from flows import background
from flows.background import BackgroundServer
from flows.runtime import EmbeddedServer, Runtime, configure

# The deployments `matrixpub serve` runs, by flow: their names say when they run.
DEPLOYMENTS: dict[str, str] = {
    "dispatch": "every-minute",
    "prepare-versions": "sweep-every-5-minutes",
    "plan-posts": "sweep-every-5-minutes",
    "housekeeping": "daily-0600",
}

FLOWS: dict[str, tuple[str, str]] = {
    "prepare-versions": ("flows.prepare", "prepare_versions"),
    "plan-posts": ("flows.plan", "plan_posts"),
    "dispatch": ("flows.dispatch", "dispatch"),
    "preview-version": ("flows.preview", "preview_version"),
    "check-version": ("flows.prepare", "check_version"),
    "housekeeping": ("flows.housekeeping", "housekeeping"),
}


@dataclass(frozen=True)
class Triggered:
    flow: str
    mode: str  # "server": handed to a server; "in-process": ran here and finished
    result: Any = None
    flow_run_id: str | None = None
    url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "mode": self.mode,
            "flow_run_id": self.flow_run_id,
            "url": self.url,
            "result": self.result,
        }


def _api(
    api_url: str, method: str, path: str, body: dict[str, Any] | None = None, timeout: float = 5.0
) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{api_url.rstrip('/')}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


# How long a hand-off waits for the server: a server busy with its own services on a
# loaded machine was seen to take more than 5 s to create a flow run.
HAND_OFF_TIMEOUT = 30.0


def _hand_off(runtime: Runtime, flow_name: str, parameters: dict[str, Any]) -> Triggered | None:
    """The run handed to the server's deployment of ``flow_name``; None when the server has
    none or cannot take it now (gone, or answering with an error of its own), so that the
    flow runs here instead. Only a request that times out leaves it unknown whether the
    server made the run; the flows it serves sweep up what is waiting, and the dispatcher
    claims each post under a lease, so a second run finds nothing to do twice."""
    assert runtime.api_url
    if flow_name not in DEPLOYMENTS:
        return None  # not served: run it here
    try:
        deployment = _api(
            runtime.api_url,
            "GET",
            f"/deployments/name/{flow_name}/{DEPLOYMENTS[flow_name]}",
            timeout=HAND_OFF_TIMEOUT,
        )
        run = _api(
            runtime.api_url,
            "POST",
            f"/deployments/{deployment['id']}/create_flow_run",
            {"parameters": parameters},
            timeout=HAND_OFF_TIMEOUT,
        )
    except urllib.error.HTTPError as exc:
        if exc.code == 404 or exc.code >= 500:
            return None  # no worker for this flow there, or the server failed: run it here
        raise
    except (OSError, ValueError):
        return None
    ui = runtime.api_url.rstrip("/").removesuffix("/api")
    return Triggered(
        flow=flow_name, mode="server", flow_run_id=run["id"], url=f"{ui}/runs/flow-run/{run['id']}"
    )


# The Prefect settings entered in this context, and those it had before: (updates, the
# settings context they were applied over). Prefect keeps its settings in a context
# variable, so what a call entered holds in its own context and in the copies made of it:
# a command's main thread, the web console's flow thread, and each request the console
# runs on a worker thread in a copy of the server's context.
_applied: contextvars.ContextVar[tuple[dict[str, Any], Any] | None] = contextvars.ContextVar(
    "matrixpub_prefect_settings", default=None
)


def _apply_settings(updates: dict[str, Any]) -> None:
    """Enter Prefect's settings for running flows in this context, once, and stay in them:
    building a settings object costs ~0.2 s, too much to pay for every flow a process runs.

    - no flow heartbeat thread: it costs ~1 s per flow, and nothing here runs long
      enough to need one;
    - the embedded server's API URL, when flows run against it.

    Changed updates are applied over the settings the context had before the first ones.
    The settings context is entered and never left: leaving it belongs to the context
    that entered it, which may be gone by the time a thread or a request ends (Prefect's
    ``temporary_settings`` generator, collected there, complains that its token "was
    created in a different Context").
    """
    applied = _applied.get()
    if applied is not None and applied[0] == updates:
        return
    import prefect.context
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    values: dict[Any, Any] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: updates["heartbeat"]}
    if "api_url" in updates:
        values[PREFECT_API_URL] = updates["api_url"]
    base = applied[1] if applied is not None else prefect.context.get_settings_context()
    settings = base.settings.copy_with_update(updates=values)
    prefect.context.SettingsContext(profile=base.profile, settings=settings).__enter__()
    _applied.set((updates, base))


def _start_server(runtime: Runtime, settings: Settings) -> EmbeddedServer | BackgroundServer | None:
    if runtime.mode != "embedded":
        return None
    if background.enabled():
        # The background server of this MATRIXPUB_HOME: running already, or started now to
        # boot while this process goes on; later commands reuse it.
        return background.ensure(settings, runtime)
    # Boots in a subprocess while this process goes on (importing Prefect and the flow).
    return EmbeddedServer.shared(runtime, settings.log_dir)


def _use_prefect(
    server: EmbeddedServer | BackgroundServer | None, on_status: Callable[[str], None] | None
) -> None:
    updates: dict[str, Any] = {"heartbeat": None}
    if server is not None:
        first = " (first run: creating its database, about 20 s)" if server.migrating else ""
        if isinstance(server, BackgroundServer):
            if on_status and server.started_now:
                on_status(
                    "Starting a local Prefect server in the background" + first + "; later "
                    "commands reuse it, it exits after "
                    f"{background.idle_seconds() / 60:.0f} idle minutes "
                    "(`matrixpub server stop` stops it now)"
                )
        elif on_status:
            on_status("Starting Prefect's embedded server" + first)
        updates["api_url"] = server.wait()
    _apply_settings(updates)


def connect(settings: Settings, *, on_status: Callable[[str], None] | None = None) -> str:
    """Make Prefect's API usable in this process (a server's, or the embedded one) for
    work outside flows, such as saving a Secret block. Returns where it is."""
    runtime = configure(settings)
    server = _start_server(runtime, settings)
    _use_prefect(server, on_status)
    return server.api_url if server else (runtime.api_url or "")


def run_flow(
    flow_name: str,
    parameters: dict[str, Any],
    *,
    settings: Settings,
    wait: bool = False,
    on_status: Callable[[str], None] | None = None,
) -> Triggered:
    """Hand ``flow_name`` to a server, or run it here (always here when ``wait``)."""
    runtime = configure(settings)
    if runtime.mode == "server" and not wait:
        handed = _hand_off(runtime, flow_name, parameters)
        if handed is not None:
            return handed
    module_name, attribute = FLOWS[flow_name]
    server = _start_server(runtime, settings)
    flow_fn = getattr(importlib.import_module(module_name), attribute)
    _use_prefect(server, on_status)
    if on_status:
        on_status(f"Running {flow_name}")
    result = flow_fn(**parameters)
    return Triggered(flow=flow_name, mode="in-process", result=result)
