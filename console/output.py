"""How the CLI speaks: one JSON document with ``--json``; otherwise rich tables on
stdout, and errors as one line on stderr. No traceback ever reaches a person: the full
one goes to the log file.

Everything printed is printed as text, never as rich markup: a title ``通知[/]`` or a
user named ``[bold]x`` is shown as typed. Control characters (C0, C1, DEL) and the
bidirectional controls (U+202E …) a user's text may hold are shown as visible escapes
(``\x1b``, ``\u202e``), so no text can move the cursor, recolour or clear a terminal,
or reverse what a reviewer reads. Style comes only from :class:`rich.text.Text` built
here, never from strings."""

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
from rich.table import Table
from rich.text import Text

from console.i18n import _, error_text
from console.stored import stored_text
from domain.content import BIDI_CONTROLS
from domain.errors import MatrixpubError

# Every character a terminal could act on, but the line breaks and tabs of a body.
_HIDDEN = {
    **{c: f"\\x{c:02x}" for c in range(0x20) if chr(c) not in "\n\t"},
    0x7F: "\\x7f",
    **{c: f"\\x{c:02x}" for c in range(0x80, 0xA0)},
    **{ord(c): f"\\u{ord(c):04x}" for c in BIDI_CONTROLS},
}
_HIDDEN_ONE_LINE = {**_HIDDEN, ord("\n"): "\\n", ord("\t"): "\\t"}


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as an escape (see the module doc)."""
    return text.translate(_HIDDEN_ONE_LINE if one_line else _HIDDEN)


def _safe_text(value: Text) -> Text:
    if value.plain == visible(value.plain):
        return value
    return Text(visible(value.plain), style=value.style, end=value.end)


class SafeConsole(Console):
    """A console that never reads markup, and shows control characters as escapes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:  # type: ignore[override]
        kwargs["markup"] = False
        shown = [
            Text(visible(o)) if isinstance(o, str) else _safe_text(o) if isinstance(o, Text) else o
            for o in objects
        ]
        super().print(*shown, **kwargs)


out = SafeConsole(soft_wrap=True)
err = SafeConsole(stderr=True, soft_wrap=True)


def cell(value: Any) -> Text:
    """A table cell: the value as one line of text."""
    return Text(visible("" if value is None else str(value), one_line=True))


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


# JSON escapes C0 controls itself; these it would leave raw.
_JSON_HIDDEN = {
    **{c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)},
    **{ord(c): f"\\u{ord(c):04x}" for c in BIDI_CONTROLS},
}


def print_json(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str).translate(_JSON_HIDDEN)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def fail(message: str, code: int, *, as_json: bool, shown: str | None = None) -> None:
    """Say one error and exit with ``code``: with ``--json`` the stable English ``message``
    as a JSON document on stdout; on stderr, always, ``shown`` (the message in the chosen
    language; ``message`` itself when not given)."""
    if as_json:
        print_json({"error": message, "exit_code": code})
    message = message if shown is None else shown
    label = _("error:")
    gap = "" if label.endswith("：") else " "  # a full-width colon holds its own space
    err.print(
        Text.assemble((label, "bold red"), gap, visible(message, one_line=True)), highlight=False
    )
    raise typer.Exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command is, so that it unwinds as after Ctrl-C: open
    transactions roll back, a running flow is marked crashed, and one line says so."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated


def stop_on_sigterm() -> None:
    """Make SIGTERM stop a command the way Ctrl-C does (exit 143). Prefect's flow engine
    puts its own handler in place while a flow runs and hands the signal on to this one
    once it has recorded the run as crashed."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)


def run(as_json: bool, body: Callable[[], Any], human: Callable[[Any], None] | None) -> None:
    """Run a command body; print its result; turn every error into one line."""
    logging.captureWarnings(True)
    try:
        result = body()
    except typer.Exit:
        raise
    except MatrixpubError as exc:
        fail(exc.message, exc.exit_code, as_json=as_json, shown=error_text(exc))
    except KeyboardInterrupt as exc:
        code = 143 if isinstance(exc, Terminated) else 130
        fail("interrupted", code, as_json=as_json, shown=_("interrupted"))
    except Exception as exc:  # a bug or an outside failure: log it, say it in one line
        path = _log_exception(exc)
        message = str(exc).splitlines()[0] if str(exc) else ""
        stable = f"unexpected {type(exc).__name__}{': ' + message if message else ''} "
        stable += f"(details in {path})"
        if message:
            said = _(
                "unexpected {kind}: {message} (details in {path})",
                kind=type(exc).__name__,
                message=message,
                path=path,
            )
        else:
            said = _("unexpected {kind} (details in {path})", kind=type(exc).__name__, path=path)
        fail(stable, 1, as_json=as_json, shown=said)
    if as_json:
        print_json(result)
    elif human is not None:
        human(result)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    grid = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*(cell(v) for v in row))
    out.print(grid)


def fields(title: str, pairs: Iterable[tuple[str, Any]]) -> None:
    grid = Table(title=title, title_justify="left", show_header=False, box=None)
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in pairs:
        grid.add_row(cell(key), cell(value))
    out.print(grid)


@contextmanager
def status(enabled: bool):  # type: ignore[no-untyped-def]
    """A spinner on stderr for work that takes a moment; silent with --json, and where
    stderr is no terminal (where it would show nothing, but still start its thread)."""
    if not enabled or not err.is_terminal:
        yield lambda _message: None
        return
    with err.status(_("Working…")) as spinner:
        yield lambda message: spinner.update(
            Text(visible(f"{stored_text(message)}…", one_line=True))
        )


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
