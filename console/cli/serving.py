"""Long-running and whole-pipeline commands: ``serve`` and ``demo``."""

import json
import os
from typing import Annotated

import typer

from console import output as o
from console.cli.common import Json, _ws

top_app = typer.Typer()  # merged into matrixpub's own commands (see __init__)


@top_app.command()
def serve(
    port: Annotated[
        int | None, typer.Option(help="Port for the local Prefect server [default: a free one].")
    ] = None,
    limit: Annotated[int, typer.Option(help="Flow runs at most at once.")] = 4,
    json_: Json = False,
) -> None:
    """Run the dispatcher every minute and the other scheduled flows, until Ctrl-C.
    Starts a local Prefect server (with its UI) unless PREFECT_API_URL names one."""
    from flows.serve import serve as run_serve

    def ready(api_url: str, ui_url: str | None) -> None:
        if json_:  # one line, so a supervising program can read it as soon as it appears
            print(
                json.dumps({"api_url": api_url, "ui_url": ui_url, "pid": os.getpid()}), flush=True
            )
        else:
            o.out.print(f"Serving matrixpub's flows. Prefect UI: {ui_url}  (API {api_url})")
            o.out.print("Dispatch runs every minute. Press Ctrl-C to stop.")

    def say(message: str) -> None:
        if not json_:
            o.err.print(f"{message}…")

    def body() -> None:
        run_serve(_ws().settings, port=port, limit=limit, on_ready=ready, on_status=say)

    o.run(False, body, None)


@top_app.command()
def demo(json_: Json = False) -> None:
    """Run the whole pipeline once on sample data, in a fresh demo folder."""
    from console.demo import run_demo

    o.run(json_, lambda: run_demo(quiet=json_), None)
