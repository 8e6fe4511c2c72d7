"""Long-running and whole-pipeline commands: ``serve``, ``deploy``, ``web`` and ``demo``."""

import json
import os
from typing import Annotated, Any

import typer

from console import output as o
from console.cli.common import Json, _ws
from console.i18n import _
from console.stored import stored_text

top_app = typer.Typer()  # merged into matrixpub's own commands (see __init__)
server_app = typer.Typer(
    help="The local Prefect server that flow commands start in the background.",
    no_args_is_help=True,
)


@server_app.command("status")
def server_status(json_: Json = False) -> None:
    """Whether the background Prefect server runs, where, and how long it has been idle."""
    from domain.settings import load
    from flows.background import status

    def said(s: dict[str, object]) -> None:
        if not s["running"]:
            o.out.print(
                _("No background Prefect server runs for {home}.", home=s["home"]), markup=False
            )
            return
        o.out.print(
            _(
                "Background Prefect server: pid {pid}, {url}; idle for {idle} s, exits after "
                "{limit} s idle.",
                pid=s["pid"],
                url=s["api_url"]
                if s["healthy"]
                else _("{url} (not answering yet)", url=s["api_url"]),
                idle=s["idle_for_seconds"],
                limit=s["exits_after_idle_seconds"],
            ),
            markup=False,
            highlight=False,
        )

    o.run(json_, lambda: status(load(os.environ)), said)


@server_app.command("stop")
def server_stop(json_: Json = False) -> None:
    """Stop the background Prefect server now (the next flow command starts it again)."""
    from domain.settings import load
    from flows.background import stop

    def said(r: dict[str, object]) -> None:
        o.out.print(
            _("Stopped the background Prefect server (pid {pid}).", pid=r["pid"])
            if r["stopped"]
            else _("No background Prefect server was running."),
            markup=False,
        )

    def body() -> dict[str, object]:
        pid = stop(load(os.environ))
        return {"stopped": pid is not None, "pid": pid}

    o.run(json_, body, said)


WebHost = Annotated[str, typer.Option("--host", help="Address the web console listens on.")]


@top_app.command()
def serve(
    port: Annotated[
        int | None, typer.Option(help="Port for the local Prefect server [default: a free one].")
    ] = None,
    limit: Annotated[int, typer.Option(help="Flow runs at most at once.")] = 4,
    web_host: Annotated[
        str, typer.Option("--web-host", help="Address the web console listens on.")
    ] = "127.0.0.1",
    web_port: Annotated[int, typer.Option("--web-port", help="Port of the web console.")] = 8000,
    no_web: Annotated[bool, typer.Option("--no-web", help="Do not serve the web console.")] = False,
    json_: Json = False,
) -> None:
    """Run the dispatcher every minute and the other scheduled flows, and the web console,
    until Ctrl-C. Starts a local Prefect server (with its UI) unless PREFECT_API_URL names
    one."""
    from flows.serve import serve as run_serve

    settings = _ws().settings
    web: list[object] = []

    def ready(api_url: str, ui_url: str | None) -> None:
        console_url = None
        if not no_web:
            from console.web.server import start_process

            if not json_:
                o.err.print(_("Starting the web console…"))
            started = start_process(
                settings, host=web_host, port=web_port, log_dir=settings.log_dir
            )
            web.append(started)
            console_url = started.url
        if json_:  # one line, so a supervising program can read it as soon as it appears
            print(
                json.dumps(
                    {
                        "api_url": api_url,
                        "ui_url": ui_url,
                        "web_url": console_url,
                        "pid": os.getpid(),
                    }
                ),
                flush=True,
            )
        else:
            if console_url:
                o.out.print(_("Web console: {url}", url=console_url), markup=False, highlight=False)
            o.out.print(
                _(
                    "Serving matrixpub's flows. Prefect UI: {ui}  (API {api})",
                    ui=ui_url,
                    api=api_url,
                )
            )
            o.out.print(_("Dispatch runs every minute. Press Ctrl-C to stop."))

    def say(message: str) -> None:
        if not json_:
            o.err.print(f"{stored_text(message)}…")

    def body() -> None:
        if not no_web:
            from console.web.server import check_address

            check_address(web_host, web_port)
        try:
            run_serve(settings, port=port, limit=limit, on_ready=ready, on_status=say)
        finally:
            for started in web:
                started.stop()  # type: ignore[attr-defined]

    o.run(False, body, None)


@top_app.command()
def deploy(
    pool: Annotated[
        str,
        typer.Option(
            "--pool",
            metavar="NAME",
            help="The Prefect process work pool to register to (created if missing).",
        ),
    ],
    json_: Json = False,
) -> None:
    """Register the flows `serve` runs (dispatch every minute, prepare, plan, the daily
    housekeeping) to a Prefect process work pool on the server at PREFECT_API_URL, for
    `prefect worker start --pool NAME` processes on every machine that shares the
    database and the site folder."""
    from flows.deploy import deploy as run_deploy

    def human(result: dict[str, Any]) -> None:
        where = {"type": result["pool_type"], "pool": result["pool"], "url": result["api_url"]}
        o.out.print(
            _("Registered to the new {type} work pool {pool} on {url}:", **where)
            if result["pool_created"]
            else _("Registered to the existing {type} work pool {pool} on {url}:", **where),
            markup=False,
            highlight=False,
        )
        o.table(
            None,
            [_("deployment"), _("schedule")],
            [(d["name"], d["schedule"]) for d in result["deployments"]],
        )
        o.out.print(
            _(
                "Start workers on each machine that shares the database and the site folder\n"
                "(with the same MATRIXPUB_DATABASE_URL, MATRIXPUB_HOME or MATRIXPUB_SITE_DIR, "
                "and\nPREFECT_API_URL):"
            )
            + f"\n  {result['worker_command']}",
            markup=False,
            highlight=False,
        )

    o.run(json_, lambda: run_deploy(_ws().settings, pool=pool), human)


@top_app.command()
def web(
    host: WebHost = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port of the web console.")] = 8000,
    json_: Json = False,
) -> None:
    """Serve the web console (log in with a user name and a password set with `matrixpub
    user password`), until Ctrl-C. `matrixpub serve` runs it too, beside the flows."""
    from console.web.server import run

    def ready(url: str) -> None:
        if json_:  # one line, as soon as the console answers
            print(json.dumps({"web_url": url, "pid": os.getpid()}), flush=True)
        else:
            o.out.print(
                _("Web console: {url}  (Ctrl-C to stop)", url=url), markup=False, highlight=False
            )

    o.run(False, lambda: run(_ws().settings, host=host, port=port, on_ready=ready), None)


@top_app.command()
def demo(json_: Json = False) -> None:
    """Run the whole pipeline once on sample data, in a fresh demo folder."""
    from console.demo import run_demo

    o.run(json_, lambda: run_demo(quiet=json_), None)
