"""Where flows run: handed to a Prefect server when one is reachable, else in-process
on Prefect's embedded server, started the fast and quiet way (see PREFECT.md).

Call :func:`configure` before anything imports ``prefect``: Prefect reads most of its
settings from the environment once. Values a user set explicitly are never overridden.

- ``PREFECT_HOME`` defaults to ``MATRIXPUB_HOME/prefect``.
- Telemetry is off (``PREFECT_SERVER_ANALYTICS_ENABLED=false``, ``DO_NOT_TRACK=1``):
  right for government networks, and offline it logs an error at every start.
- Every Prefect log line goes to ``MATRIXPUB_HOME/logs/prefect.log`` (and to the Prefect
  API for flow and task runs), never to the terminal: a person sees matrixpub's own
  output only, not the embedded server's shutdown tracebacks.
- The embedded server's database is migrated once, explicitly, and then started with
  ``PREFECT_SERVER_DATABASE_MIGRATE_ON_START=false`` (about 15 s saved per start).
"""

from __future__ import annotations

import json
import os
import socket
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from domain.settings import Settings

SERVER_FILE = "prefect-server.json"
STAMP_FILE = ".matrixpub-migrated"

_LOGGING_YAML = """\
version: 1
disable_existing_loggers: False
formatters:
  standard:
    (): prefect.logging.formatters.PrefectFormatter
    format: "%(asctime)s | %(process)d | %(levelname)-7s | %(name)s - %(message)s"
    flow_run_fmt: "%(asctime)s %(process)d %(levelname)s Flow run %(flow_run_name)r - %(message)s"
    task_run_fmt: "%(asctime)s %(process)d %(levelname)s Task run %(task_run_name)r - %(message)s"
handlers:
  file:
    level: 0
    class: logging.handlers.WatchedFileHandler
    formatter: standard
    filename: "{log_file}"
    encoding: utf-8
  api:
    level: 0
    class: prefect.logging.handlers.APILogHandler
  worker_api:
    level: 0
    class: prefect.logging.handlers.WorkerAPILogHandler
loggers:
  prefect:
    level: "${{PREFECT_LOGGING_LEVEL}}"
  prefect.extra:
    level: "${{PREFECT_LOGGING_LEVEL}}"
    handlers: [api, file]
    propagate: false
  prefect.flow_runs:
    level: NOTSET
    handlers: [api]
  prefect.task_runs:
    level: NOTSET
    handlers: [api]
  prefect.workers:
    level: NOTSET
    handlers: [worker_api]
  prefect.server:
    level: "${{PREFECT_SERVER_LOGGING_LEVEL}}"
  prefect._internal:
    level: WARNING
    propagate: false
    handlers: [file]
  uvicorn:
    level: WARNING
    handlers: [file]
    propagate: false
  fastapi:
    level: WARNING
    handlers: [file]
    propagate: false
  docket:
    level: WARNING
    handlers: [file]
    propagate: false
root:
  level: WARNING
  handlers: [file]
"""


@dataclass(frozen=True)
class Runtime:
    mode: str  # "server" | "embedded"
    api_url: str | None
    prefect_home: Path


def _setdefault(name: str, value: str) -> None:
    if not os.environ.get(name):
        os.environ[name] = value


def _healthy(api_url: str, timeout: float = 0.5) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (OSError, ValueError):
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recorded_server(settings: Settings) -> str | None:
    """The API URL of the local server ``matrixpub serve`` runs, if it is up."""
    path = settings.home / SERVER_FILE
    try:
        record = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    url = record.get("api_url")
    pid = record.get("pid")
    if not url or not isinstance(pid, int) or not _pid_alive(pid):
        return None
    return url if _healthy(url) else None


def record_server(settings: Settings, *, api_url: str, pid: int) -> Path:
    path = settings.home / SERVER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"api_url": api_url, "pid": pid}), "utf-8")
    return path


def forget_server(settings: Settings) -> None:
    (settings.home / SERVER_FILE).unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _installed_prefect_version() -> str:
    from importlib.metadata import version

    return version("prefect")


def write_logging_config(log_dir: Path) -> Path:
    """Prefect's logging configuration: everything to ``log_dir/prefect.log``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "prefect-logging.yml"
    text = _LOGGING_YAML.format(log_file=log_dir / "prefect.log")
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return path


def configure(settings: Settings, *, use_server: bool = True) -> Runtime:
    """Set Prefect's environment for this process; returns where flows will run."""
    prefect_home = Path(os.environ.get("PREFECT_HOME") or settings.prefect_home)
    _setdefault("PREFECT_HOME", str(prefect_home))
    _setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    _setdefault("DO_NOT_TRACK", "1")
    _setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    _setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    _setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    _setdefault("PREFECT_CLI_COLORS", "false")
    if not os.environ.get("PREFECT_LOGGING_SETTINGS_PATH"):
        os.environ["PREFECT_LOGGING_SETTINGS_PATH"] = str(write_logging_config(settings.log_dir))

    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url and use_server:
        api_url = recorded_server(settings)
        if api_url:
            os.environ["PREFECT_API_URL"] = api_url
    if api_url:
        return Runtime(mode="server", api_url=api_url, prefect_home=prefect_home)
    stamp = prefect_home / STAMP_FILE
    if stamp.exists() and stamp.read_text("utf-8").strip() == _installed_prefect_version():
        _setdefault("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false")
    return Runtime(mode="embedded", api_url=None, prefect_home=prefect_home)


def embedded_database_ready(runtime: Runtime) -> bool:
    stamp = runtime.prefect_home / STAMP_FILE
    return stamp.exists() and stamp.read_text("utf-8").strip() == _installed_prefect_version()


def migrate_embedded_database(runtime: Runtime) -> None:
    """Create or upgrade the embedded server's database once (the slow part of a cold
    start), then mark it so later starts skip the migration check."""
    runtime.prefect_home.mkdir(parents=True, exist_ok=True)
    import anyio
    from prefect.server.database.alembic_commands import alembic_upgrade

    # Prefect's migration environment expects to run in a worker thread of an event loop.
    anyio.run(anyio.to_thread.run_sync, alembic_upgrade)
    (runtime.prefect_home / STAMP_FILE).write_text(_installed_prefect_version(), "utf-8")
    os.environ["PREFECT_SERVER_DATABASE_MIGRATE_ON_START"] = "false"
