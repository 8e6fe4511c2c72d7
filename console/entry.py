"""The ``matrixpub`` entry point.

Commands whose work continues in a Prefect flow start Prefect's embedded server before
anything else is imported, so that it boots (about 5 s, in its own process) while this
process loads the CLI and does its own work. When a server is running (``matrixpub
serve`` or ``PREFECT_API_URL``), nothing is started: the flow is handed to it.
"""

from __future__ import annotations

import os
import sys

# (group, command) pairs that run a flow in this process when no server is reachable.
RUNS_A_FLOW = {
    ("draft", "submit"), ("draft", "edit"), ("draft", "preview"), ("draft", "check"),
    ("draft", "fanout"), ("review", "approve"), ("dispatch", None),
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
        from flows.runtime import start_embedded

        start_embedded(load(os.environ))
    except Exception:  # the command itself will report whatever is wrong
        return


def main() -> None:
    _early_start(sys.argv[1:])
    from console.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
