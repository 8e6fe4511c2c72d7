"""The ``matrixpub`` entry point.

Commands whose work continues in a Prefect flow start a Prefect server before anything
else is imported (the background one of ``flows.background``, or one for this command
alone when that is off), so that it boots (about 5 s, in its own process) while this
process loads the CLI and does its own work. When a server is running (``matrixpub
serve``, ``PREFECT_API_URL``, or the background one), nothing is started.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from typing import NoReturn

# (group, command) pairs that run a flow in this process when no server is reachable.
# `review approve` runs one at 终审 only: most decisions run none, and starting a server
# for them would only slow them down (the final one starts it when it needs it).
RUNS_A_FLOW = {
    ("draft", "submit"), ("draft", "edit"), ("draft", "preview"), ("draft", "check"),
    ("draft", "fanout"), ("dispatch", None),
}  # fmt: skip


def _early_start(argv: list[str]) -> None:
    words = [a for a in argv if not a.startswith("-")]
    if not words or "--help" in argv:
        return
    key = (words[0], words[1] if len(words) > 1 and words[0] != "dispatch" else None)
    if key not in RUNS_A_FLOW:
        return
    try:
        from domain.settings import load
        from flows.runtime import start_early

        start_early(load(os.environ))
    except Exception:  # the command itself will report whatever is wrong
        return


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _leave(code: int) -> NoReturn:
    """Exit without tearing the interpreter down.

    Once Prefect and its server client are loaded, the interpreter's own teardown
    (clearing every module, collecting the heap) takes about half a second and does
    nothing that matters here. So: wait for any non-daemon thread as a normal exit would,
    run every exit handler (Prefect's, logging's, the embedded server's stop), flush the
    output, and leave. If a non-daemon thread is still running, exit the normal way."""
    if any(
        t.is_alive() and not t.daemon
        for t in threading.enumerate()
        if t is not threading.main_thread()
    ):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to say
            stream.flush()
    os._exit(code)


def main() -> None:
    # Pydantic looks for plugins in every installed distribution's entry points when
    # SQLModel is imported (about 140 files read, 5-10 ms of every command); matrixpub uses
    # none. Whoever wants one sets PYDANTIC_DISABLE_PLUGINS themselves (empty: none off).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # No garbage collection while the command loads (see console.startup).
    from console import startup

    startup.hold_collector()
    _early_start(sys.argv[1:])
    from console.cli import main as cli_main

    try:
        cli_main()
    except SystemExit as exc:
        _leave(_exit_code(exc.code))
    _leave(0)


if __name__ == "__main__":
    main()
