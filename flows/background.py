"""A local Prefect server in the background, shared by the commands of one MATRIXPUB_HOME.

Without ``matrixpub serve`` (or ``PREFECT_API_URL``), a command whose work continues in
a flow needs a Prefect server. Booting one costs seconds (importing Prefect's server,
opening its database), so the first such command starts one in the background, the way
build tools keep a daemon: later commands find it recorded in
``MATRIXPUB_HOME/prefect-background.json`` and run their flows against it at once.

- It is Prefect's embedded kind of server (no UI, no scheduler: it runs nothing on its
  own; the flows still run in the command that asked), listening on 127.0.0.1 only, its
  database under ``MATRIXPUB_HOME/prefect`` as before, its log in
  ``MATRIXPUB_HOME/logs/prefect-server.log``.
- It exits by itself once no command has used it for ``MATRIXPUB_PREFECT_IDLE_SECONDS``
  (default 900; a command using it says so every few seconds while it runs).
  ``matrixpub server status`` shows it; ``matrixpub server stop`` stops it; ``matrixpub
  serve`` stops it before starting its own server (which commands then use instead).
- ``MATRIXPUB_PREFECT_BACKGROUND=0`` turns it off: each such command then boots a server
  of its own and stops it when it ends.

Run as ``python -m flows.background --port N`` by :func:`ensure`, never by hand.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.settings import Settings, load
from flows.runtime import (
    STAMP_FILE,
    Runtime,
    _healthy,
    _installed_prefect_version,
    _pid_alive,
    configure,
    embedded_database_ready,
)

RECORD = "prefect-background.json"
USED = "prefect-background.used"  # its modification time: when a command last used it
LOCK = ".prefect-background.lock"
IDLE_SECONDS = 900.0


def enabled() -> bool:
    value = os.environ.get("MATRIXPUB_PREFECT_BACKGROUND", "1").strip().lower()
    return value not in ("0", "false", "no", "off")


def idle_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get("MATRIXPUB_PREFECT_IDLE_SECONDS", IDLE_SECONDS)))
    except ValueError:
        return IDLE_SECONDS


def _ours(pid: int) -> bool:
    """The process ``pid`` is alive and is a background server (not a reused pid)."""
    if not _pid_alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True  # no /proc: trust the record
    return state != "Z" and b"flows.background" in cmdline


def _exiting(pid: int) -> bool:
    """The process ``pid`` exists and has not yet become a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def recorded(settings: Settings) -> dict[str, Any] | None:
    """The background server's record, if its process is alive (it may still be
    starting)."""
    try:
        record = json.loads((settings.home / RECORD).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    pid = record.get("pid")
    if not isinstance(pid, int) or not record.get("api_url") or not _ours(pid):
        return None
    return dict(record)


def touch(settings: Settings) -> None:
    """Say that a command uses the background server now."""
    path = settings.home / USED
    with contextlib.suppress(OSError):
        path.touch()
        os.utime(path)


_kept: set[Path] = set()


def keep_alive(settings: Settings) -> None:
    """While this process runs, say every few seconds that it uses the server, and once
    more as it ends."""
    home = settings.home
    if home in _kept:
        return
    _kept.add(home)
    every = min(30.0, idle_seconds() / 3)

    def beat() -> None:
        while True:
            touch(settings)
            time.sleep(every)

    threading.Thread(target=beat, name="prefect-background-keep-alive", daemon=True).start()
    atexit.register(touch, settings)


def last_used(settings: Settings, since: float) -> float:
    try:
        return max(since, (settings.home / USED).stat().st_mtime)
    except OSError:
        return since


@contextlib.contextmanager
def _locked(settings: Settings) -> Iterator[None]:
    settings.home.mkdir(parents=True, exist_ok=True)
    with open(settings.home / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class BackgroundServer:
    """The background server as a command sees it: like ``EmbeddedServer``, something to
    ``wait()`` for, but never stopped when the command ends."""

    api_url: str
    pid: int
    log_dir: Path
    started_now: bool
    migrating: bool = False
    # Where it was found or started: to start it again if it exits while starting.
    settings: Settings | None = None
    runtime: Runtime | None = None

    def wait(self, timeout: float = 120.0) -> str:
        """Block until the server answers; returns its API URL. A server that exits
        before it answers (a failed start, or one stopped meanwhile) is started again,
        once: the command gets a server if a second start gets one."""
        deadline = time.monotonic() + timeout
        again = self.settings is not None and self.runtime is not None
        while time.monotonic() < deadline:
            if not _ours(self.pid):
                if again:
                    again = False
                    self._adopt(ensure(self.settings, self.runtime))  # type: ignore[arg-type]
                    continue
                raise RuntimeError(
                    "the background Prefect server stopped while starting; see "
                    f"{self.log_dir / 'prefect-server.log'}"
                )
            if _healthy(self.api_url, timeout=1.0):
                self.migrating = False
                return self.api_url
            time.sleep(0.05)
        raise RuntimeError(
            f"the background Prefect server did not answer within {timeout:.0f} s; "
            "`matrixpub server stop` stops it"
        )

    def _adopt(self, other: BackgroundServer) -> None:
        self.api_url, self.pid, self.migrating = other.api_url, other.pid, other.migrating


def _listening_socket() -> socket.socket:
    """A TCP socket bound to a free port of 127.0.0.1, handed to the server process as it
    is: the port is never free between being chosen and being served, so no other
    process can take it meanwhile (the server would then exit while starting)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def ensure(settings: Settings, runtime: Runtime) -> BackgroundServer:
    """The background server of this MATRIXPUB_HOME: the running one, or one started now
    (without waiting for it: it boots while the command does its own work)."""
    with _locked(settings):
        record = recorded(settings)
        touch(settings)  # under the lock: the server cannot decide it is idle meanwhile
        keep_alive(settings)
        if record is not None:
            return BackgroundServer(
                api_url=record["api_url"],
                pid=record["pid"],
                log_dir=settings.log_dir,
                started_now=False,
                settings=settings,
                runtime=runtime,
            )
        listening = _listening_socket()
        port = listening.getsockname()[1]
        settings.log_dir.mkdir(parents=True, exist_ok=True)
        spec = importlib.util.find_spec("flows")
        assert spec is not None and spec.submodule_search_locations
        root = str(Path(next(iter(spec.submodule_search_locations))).parent)
        env = {
            **os.environ,
            "MATRIXPUB_HOME": str(settings.home),
            "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
        }
        env.pop("PREFECT_API_URL", None)
        fd = listening.fileno()
        with listening, open(settings.log_dir / "prefect-server.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "flows.background", "--port", str(port), "--fd", str(fd)],
                pass_fds=(fd,),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # not stopped with the command, nor by its Ctrl-C
                cwd=str(settings.home),
            )
        # Until the child has exec'd, its command line is still this command's: wait for
        # it (still under the lock), or the server would not yet look like one to
        # ``_ours`` (this command's own wait, or a second command looking for it).
        deadline = time.monotonic() + 30.0
        while process.poll() is None and not _ours(process.pid):
            if time.monotonic() > deadline:
                break
            time.sleep(0.005)
        api_url = f"http://127.0.0.1:{port}/api"
        (settings.home / RECORD).write_text(
            json.dumps(
                {
                    "pid": process.pid,
                    "api_url": api_url,
                    "started": time.time(),
                    "idle_seconds": idle_seconds(),
                }
            ),
            "utf-8",
        )
        return BackgroundServer(
            api_url=api_url,
            pid=process.pid,
            log_dir=settings.log_dir,
            started_now=True,
            migrating=not embedded_database_ready(runtime),
            settings=settings,
            runtime=runtime,
        )


def status(settings: Settings) -> dict[str, Any]:
    record = recorded(settings)
    if record is None:
        return {"running": False, "home": str(settings.home)}
    idle = float(record.get("idle_seconds") or idle_seconds())
    used = last_used(settings, float(record.get("started") or time.time()))
    return {
        "running": True,
        "home": str(settings.home),
        "pid": record["pid"],
        "api_url": record["api_url"],
        "healthy": _healthy(record["api_url"], timeout=2.0),
        "idle_for_seconds": round(max(0.0, time.time() - used)),
        "exits_after_idle_seconds": round(idle),
    }


def stop(settings: Settings, *, timeout: float = 30.0) -> int | None:
    """Stop the background server; returns its pid, or None when none ran."""
    with _locked(settings):
        record = recorded(settings)
        if record is None:
            (settings.home / RECORD).unlink(missing_ok=True)
            return None
        pid = int(record["pid"])
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _ours(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _ours(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            while _ours(pid):
                time.sleep(0.05)
        # A process's command line is gone a moment before the process is (it is still
        # closing its files, its socket among them): wait for the end, sending nothing.
        end = time.monotonic() + 10.0
        while _exiting(pid) and time.monotonic() < end:
            time.sleep(0.01)
        (settings.home / RECORD).unlink(missing_ok=True)
        return pid


# -- the server process --------------------------------------------------------------------
def _forget(settings: Settings) -> None:
    """Remove this process's record (not a newer server's)."""
    path = settings.home / RECORD
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text("utf-8")).get("pid") == os.getpid():
            path.unlink()


def _watch(server: Any, settings: Settings, api_url: str, idle: float, started: float) -> None:
    """Ask the server to exit once no command used it for ``idle`` seconds (a command
    that uses it says so every few seconds while it runs: see :func:`keep_alive`)."""
    while not server.should_exit:
        time.sleep(min(5.0, idle / 4))
        if time.time() - last_used(settings, started) < idle:
            continue
        with _locked(settings):  # as a command looks for it: it finds it in use, or gone
            if time.time() - last_used(settings, started) < idle:
                continue
            _forget(settings)
            server.should_exit = True


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - runs as a process
    parser = argparse.ArgumentParser(description="matrixpub's background Prefect server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fd", type=int, help="the socket to serve on, bound to --port")
    args = parser.parse_args(argv)
    settings = load(os.environ)
    runtime = configure(settings, use_server=False)
    migrating = not embedded_database_ready(runtime)
    os.environ.update(
        {
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
            "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "true" if migrating else "false",
        }
    )
    runtime.prefect_home.mkdir(parents=True, exist_ok=True)
    import uvicorn

    api_url = f"http://127.0.0.1:{args.port}/api"
    server = uvicorn.Server(
        uvicorn.Config(
            "prefect.server.api.server:create_app",
            factory=True,
            host="127.0.0.1",
            port=args.port,
            log_level="error",
            lifespan="on",
        )
    )

    def forget() -> None:
        _forget(settings)

    atexit.register(forget)
    if migrating:

        def stamp() -> None:
            while not server.should_exit:
                if _healthy(api_url, timeout=1.0):
                    (runtime.prefect_home / STAMP_FILE).write_text(
                        _installed_prefect_version(), "utf-8"
                    )
                    return
                time.sleep(0.2)

        threading.Thread(target=stamp, daemon=True).start()
    started = time.time()
    threading.Thread(
        target=_watch, args=(server, settings, api_url, idle_seconds(), started), daemon=True
    ).start()
    try:
        server.run(sockets=[socket.socket(fileno=args.fd)] if args.fd is not None else None)
    finally:
        forget()


if __name__ == "__main__":  # pragma: no cover
    main()
