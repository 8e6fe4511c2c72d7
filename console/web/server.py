"""Running the console: uvicorn over :func:`console.web.create_app`, in this process
(``matrixpub web``) or in a child process of ``matrixpub serve``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from domain.errors import InvalidInput
from domain.settings import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def check_address(host: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise InvalidInput("--port {port} is not a port number (1–65535)", port=port)
    if not host.strip():
        raise InvalidInput("--host is empty")


def run(
    settings: Settings,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the console until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    from console.web import create_app
    from console.web.flows import FlowStarter
    from console.workspace import Workspace
    from flows.runtime import configure

    check_address(host, port)
    configure(settings)  # Prefect's settings, before anything imports it
    workspace = Workspace(settings=settings)
    workspace.require_initialised()
    starter = FlowStarter(settings)
    app = create_app(workspace, flows=starter)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=log_config(settings.log_dir),
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    original = server.startup

    async def startup(sockets=None):  # type: ignore[no-untyped-def]
        await original(sockets=sockets)
        if server.started and on_ready:
            on_ready(address(host, port))

    server.startup = startup  # type: ignore[method-assign]
    starter.warm_up()
    try:
        server.run()
    finally:
        starter.close()
        workspace.close()
    if not server.started:
        raise InvalidInput(
            "could not listen on {host}:{port} (is the port in use?)", host=host, port=port
        )


def log_config(log_dir: Path) -> dict[str, object]:
    """uvicorn's and the console's log lines go to ``log_dir/web.log``, never to the
    terminal: a person sees the console's address, not tracebacks."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": str(log_dir / "web.log"),
        "encoding": "utf-8",
        "formatter": "plain",
    }
    quiet = {"handlers": ["file"], "level": "WARNING", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"file": handler},
        "loggers": {
            "uvicorn": quiet,
            "uvicorn.error": quiet,
            "uvicorn.access": quiet,
            "matrixpub": quiet,
        },
    }


def address(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def healthy(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/healthz", timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


@dataclass
class ConsoleProcess:
    """The console in a child process of ``matrixpub serve``."""

    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_process(
    settings: Settings, *, host: str, port: int, log_dir: Path, timeout: float = 120.0
) -> ConsoleProcess:
    """Start ``matrixpub web`` as a child that dies with this process; wait until it
    answers."""
    from flows.runtime import die_with_parent

    check_address(host, port)
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / "web.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "console.entry", "web", "--host", host, "--port", str(port)],
            env=dict(os.environ),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
    url = address(host, port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the web console stopped while starting (is port {port} in use?); "
                f"see {log_dir / 'web.log'}"
            )
        if healthy(url):
            return ConsoleProcess(url=url, process=process)
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"the web console did not start within {timeout:.0f} s")
