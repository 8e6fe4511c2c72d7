"""How the CLI speaks: one JSON document with ``--json``; otherwise rich tables on
stdout, and errors as one line on stderr. No traceback ever reaches a person: the full
one goes to the log file."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from console.i18n import _, error_text
from domain.errors import MatrixpubError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def log_path() -> Path:
    import os

    from domain.settings import load

    try:
        return load(os.environ).log_dir / "matrixpub.log"
    except MatrixpubError:
        return Path("matrixpub.log").absolute()


def _log_exception(exc: BaseException) -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat()} {' '.join(sys.argv)}\n")
            handle.write("".join(traceback.format_exception(exc)))
    except OSError:
        pass
    return path


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def fail(message: str, code: int, *, as_json: bool) -> None:
    if as_json:
        print_json({"error": message, "exit_code": code})
    label = _("error:")
    gap = "" if label.endswith("：") else " "  # a full-width colon holds its own space
    err.print(f"[bold red]{escape(label)}[/]{gap}{escape(message)}", highlight=False)
    raise typer.Exit(code)


def run(as_json: bool, body: Callable[[], Any], human: Callable[[Any], None] | None) -> None:
    """Run a command body; print its result; turn every error into one line."""
    logging.captureWarnings(True)
    try:
        result = body()
    except typer.Exit:
        raise
    except MatrixpubError as exc:
        fail(exc.message if as_json else error_text(exc), exc.exit_code, as_json=as_json)
    except KeyboardInterrupt:
        fail(_("interrupted"), 130, as_json=as_json)
    except Exception as exc:  # a bug or an outside failure: log it, say it in one line
        path = _log_exception(exc)
        message = str(exc).splitlines()[0] if str(exc) else ""
        fail(
            f"unexpected {type(exc).__name__}{': ' + message if message else ''} "
            f"(details in {path})",
            1,
            as_json=as_json,
        )
    if as_json:
        print_json(result)
    elif human is not None:
        human(result)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    grid = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*("" if v is None else str(v) for v in row))
    out.print(grid)


def fields(title: str, pairs: Iterable[tuple[str, Any]]) -> None:
    grid = Table(title=title, title_justify="left", show_header=False, box=None)
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in pairs:
        grid.add_row(key, "" if value is None else str(value))
    out.print(grid)


@contextmanager
def status(enabled: bool):  # type: ignore[no-untyped-def]
    """A spinner on stderr for work that takes a moment; silent with --json."""
    if not enabled:
        yield lambda _message: None
        return
    with err.status("Working…") as spinner:
        yield lambda message: spinner.update(f"{message}…")


def short_time(value: str | None) -> str:
    if not value:
        return ""
    import os

    from domain.settings import load

    try:
        tz = load(os.environ).tz
        return datetime.fromisoformat(value).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    except (ValueError, MatrixpubError):
        return value
