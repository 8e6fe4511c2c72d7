"""Where flows run: handed to a Prefect server when one is reachable, else in-process
on Prefect's embedded server, started the fast and quiet way (see PREFECT.md).

Call :func:`configure` before anything imports ``prefect``: Prefect reads most of its
settings from the environment once. Values a user set explicitly are never overridden.

- ``PREFECT_HOME`` defaults to ``MATRIXPUB_HOME/prefect``.
- Telemetry is off (``PREFECT_SERVER_ANALYTICS_ENABLED=false``, ``DO_NOT_TRACK=1``):
  right for government networks, and offline it logs an error at every start.
- Every Prefect log line goes to ``MATRIXPUB_HOME/logs/prefect.log`` (and to the Prefect
  API for flow and task runs; a flow run's INFO lines too, among them the summary each
  run logs, so the Prefect UI shows what it did), never to the terminal: a person sees
  matrixpub's own output only, not the embedded server's shutdown tracebacks. A command's
  failure still reaches the terminal, as the one line the face says it in.
  ``MATRIXPUB_PREFECT_LOGS=1`` shows Prefect's lines on stderr as well, for debugging
  (and logs Prefect's own INFO lines, unless ``PREFECT_LOGGING_LEVEL`` says otherwise).
- The embedded server is started by :class:`EmbeddedServer` in a subprocess, early and
  quietly. Its database is migrated at its first start and then started with
  ``PREFECT_SERVER_DATABASE_MIGRATE_ON_START=false`` (about 15 s saved per start).
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
import time
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
    class: prefect.logging.handlers.APILogHandler{console_handler}
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
    level: INFO
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
  handlers: [file{console}]
"""
# With MATRIXPUB_PREFECT_LOGS: every line the file gets, on stderr too.
_CONSOLE_HANDLER = """
  console:
    level: 0
    class: logging.StreamHandler
    formatter: standard
    stream: ext://sys.stderr"""


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
    return url if _healthy(url, timeout=3.0) else None


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


def show_prefect_logs() -> bool:
    """Whether Prefect's log lines go to stderr too (``MATRIXPUB_PREFECT_LOGS``, for
    debugging); by default they go to the log file only."""
    value = os.environ.get("MATRIXPUB_PREFECT_LOGS", "").strip().lower()
    return value not in ("", "0", "false", "no", "off")


def write_logging_config(log_dir: Path, *, console: bool = False) -> Path:
    """Prefect's logging configuration: everything to ``log_dir/prefect.log`` (and, with
    ``console``, to stderr too)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / ("prefect-logging-console.yml" if console else "prefect-logging.yml")
    text = _LOGGING_YAML.format(
        log_file=log_dir / "prefect.log",
        console_handler=_CONSOLE_HANDLER if console else "",
        console=", console" if console else "",
    )
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return path


def configure(settings: Settings, *, use_server: bool = True) -> Runtime:
    """Set Prefect's environment for this process; returns where flows will run."""
    prefect_home = Path(os.environ.get("PREFECT_HOME") or settings.prefect_home)
    _setdefault("PREFECT_HOME", str(prefect_home))
    _setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    _setdefault("DO_NOT_TRACK", "1")
    shown = show_prefect_logs()
    _setdefault("PREFECT_LOGGING_LEVEL", "INFO" if shown else "WARNING")
    _setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    _setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    # Prefect must never start a server of its own behind our back (from a thread that
    # lacks its settings context, say): one that is not ours is never stopped.
    _setdefault("PREFECT_SERVER_EPHEMERAL_ENABLED", "false")
    _setdefault("PREFECT_CLI_COLORS", "false")
    if not os.environ.get("PREFECT_LOGGING_SETTINGS_PATH"):
        path = write_logging_config(settings.log_dir, console=shown)
        os.environ["PREFECT_LOGGING_SETTINGS_PATH"] = str(path)

    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url and use_server:
        api_url = recorded_server(settings)
        if api_url:
            os.environ["PREFECT_API_URL"] = api_url
    if api_url:
        return Runtime(mode="server", api_url=api_url, prefect_home=prefect_home)
    return Runtime(mode="embedded", api_url=None, prefect_home=prefect_home)


def embedded_database_ready(runtime: Runtime) -> bool:
    stamp = runtime.prefect_home / STAMP_FILE
    return stamp.exists() and stamp.read_text("utf-8").strip() == _installed_prefect_version()


def die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: a server subprocess receives SIGTERM when the process that started it dies,
    even by SIGKILL, so it is never left behind."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class EmbeddedServer:
    """Prefect's embedded server, run the way Prefect itself runs it (uvicorn with
    ``prefect.server.api.server:create_app`` in a subprocess), but started by us.

    Starting it ourselves means this process never imports Prefect's server package
    (several seconds of CPU that Prefect's own client would spend just to find the
    class that launches the subprocess), the subprocess can boot while this process
    does its own work, and its output goes to the log file instead of the terminal.
    The first start migrates Prefect's database; later starts skip that check.
    """

    _instance: EmbeddedServer | None = None
    _lock = threading.Lock()

    def __init__(self, runtime: Runtime, log_dir: Path) -> None:
        self.runtime = runtime
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.log_dir = log_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.migrating = not embedded_database_ready(runtime)

    @classmethod
    def shared(cls, runtime: Runtime, log_dir: Path) -> EmbeddedServer:
        """The one embedded server of this process, started on first use."""
        with cls._lock:
            server = cls._instance
            if (
                server is None
                or server.runtime.prefect_home != runtime.prefect_home
                or (server.process is not None and server.process.poll() is not None)
            ):
                if server is not None:
                    server.stop()
                server = cls._instance = cls(runtime, log_dir)
                server.start()
            return server

    def start(self) -> None:
        spec = importlib.util.find_spec("prefect")
        assert spec is not None and spec.submodule_search_locations
        app_dir = str(Path(next(iter(spec.submodule_search_locations))).parent)
        env = {
            **os.environ,
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
            "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "true" if self.migrating else "false",
        }
        env.pop("PREFECT_API_URL", None)
        self.runtime.prefect_home.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / "prefect-server.log", "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--app-dir",
                    app_dir,
                    "--factory",
                    "prefect.server.api.server:create_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "error",
                    "--lifespan",
                    "on",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent,
            )
        atexit.register(self.stop)

    def wait(self, timeout: float = 120.0) -> str:
        """Block until the server answers; returns its API URL."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(
                    "Prefect's embedded server stopped while starting; see "
                    f"{self.log_dir / 'prefect-server.log'}"
                )
            if _healthy(self.api_url, timeout=1.0):
                if self.migrating:
                    (self.runtime.prefect_home / STAMP_FILE).write_text(
                        _installed_prefect_version(), "utf-8"
                    )
                    self.migrating = False
                return self.api_url
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"Prefect's embedded server did not start within {timeout:.0f} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_embedded(settings: Settings) -> EmbeddedServer | None:
    """Start the embedded server now if flows will run here, so it boots while this
    process does its own work. Returns None when a real server will be used."""
    runtime = configure(settings)
    if runtime.mode != "embedded":
        return None
    return EmbeddedServer.shared(runtime, settings.log_dir)


def start_early(settings: Settings) -> object | None:
    """For a command that will run a flow: the server it will use, started now so that it
    boots while the command does its own work (the background server when it is on, see
    ``flows.background``; else this process's embedded one)."""
    from flows import background

    runtime = configure(settings)
    if runtime.mode != "embedded":
        return None
    if background.enabled():
        return background.ensure(settings, runtime)
    return EmbeddedServer.shared(runtime, settings.log_dir)
