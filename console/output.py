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
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
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


# What a table never breaks: a web address (it could not be copied), and a date or a time
# ("2026-12-0" / "3 04:39" is neither). A column of times is kept whole; on a terminal too
# narrow for a table, each address in it is a reference ([1]) and is printed whole below.
_URL = re.compile(r"(?:https?|file)://\S+")
_TIME = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_TIMES = re.compile(rf"{_TIME}(?:\s*(?:–|—|→|~|-|to|至)\s*{_TIME})?")


def _is_time_column(texts: Sequence[str]) -> bool:
    shown = [t for t in texts if t]
    return bool(shown) and all(_TIMES.fullmatch(t) for t in shown)


def _referenced(text: str, notes: list[str]) -> str:
    """``text`` with each web address in it replaced by a reference to a note below."""

    def note(found: re.Match[str]) -> str:
        notes.append(found.group())
        return f"[{len(notes)}]"

    return _URL.sub(note, text)


def _grid(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    first_style: str = "",
    **options: Any,
) -> Table:
    grid = Table(title=title, title_justify="left", **options)
    for index, column in enumerate(columns):
        texts = [row[index] for row in rows if index < len(row)]
        style = first_style if index == 0 else ""
        if _is_time_column(texts):
            # whole, whatever the width: the other columns wrap instead
            width = max(cell_len(t) for t in texts)
            grid.add_column(column, style=style, no_wrap=True, overflow="ignore", min_width=width)
        else:
            grid.add_column(column, style=style, overflow="fold")
    for row in rows:
        grid.add_row(*(Text(t) for t in row))
    return grid


# How a table fits a narrow terminal: each column at least as wide as the widest thing in it
# that must stay on one line (a word, a `command`, a time, a header's word), the rest of the
# width shared out so that short columns are whole and the long ones wrap; lines break at
# spaces, and in Chinese between characters but never before a closing mark or after an
# opening one, nor inside a short quoted name. A `command` too long for any sharing is a
# reference ([2]) printed whole below.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# A short Chinese name in quotes or brackets (“刘管理”, (责任人)) is one piece.
_NAMED = r"[“「《(（][\u4e00-\u9fff]{1,6}[”」》)）]"
_PIECE = re.compile(rf"{_NAMED}|`[^`]*`|\s+|[{_CJK}]|[^\s`{_CJK}]+|`")
_OPENING = set("（([{「『“‘《〈【")
_CLOSING = set("）)]}」』”’》〉】，。、；：！？,.;:!?")


def _pieces(text: str, *, glued: int = 0) -> list[str]:
    """``text`` cut where a line may break; runs of spaces are pieces of their own. A
    closing mark stays with what it closes, an opening one with what it opens; ``glued``
    1 lets a line end on an opening mark, 2 also lets a closing mark follow a `command` on
    the next line (for a table that cannot be narrower otherwise)."""
    pieces: list[str] = []
    opening = ""
    for piece in _PIECE.findall(text):
        after = pieces[-1] if pieces else ""
        if (
            piece[0] in _CLOSING
            and after
            and not after.isspace()
            and not (glued >= 2 and after.endswith("`"))
        ):
            pieces[-1] += piece
        elif glued == 0 and piece[-1] in _OPENING and not piece.isspace():
            opening += piece
        else:
            pieces.append(opening + piece)
            opening = ""
    if opening:
        pieces.append(opening)
    return pieces


def _wrapped(text: str, width: int, *, glued: int) -> str:
    lines: list[str] = []
    line = space = ""
    for piece in _pieces(text, glued=glued):
        if piece.isspace():
            space = piece if line else ""
            continue
        if line and cell_len(line + space + piece) > width:
            lines.append(line)
            line = ""
        else:
            line += space
        line += piece
        space = ""
    return "\n".join([*lines, line])


def _units(texts: Sequence[str], *, glued: int, time: bool) -> int:
    """The width of the widest piece of ``texts`` that must stay on one line."""
    if time:
        return max((cell_len(t) for t in texts), default=0)
    return max(
        (cell_len(p) for t in texts for p in _pieces(t, glued=glued) if not p.isspace()),
        default=0,
    )


def _shares(lows: list[int], highs: list[int], room: int) -> list[int]:
    """Widths between ``lows`` and ``highs`` adding up to ``room`` at most: the narrow
    columns whole, the widest ones sharing what is left (water filling)."""
    level = 0
    while (
        level < max(highs)
        and sum(min(max(level + 1, lo), hi) for lo, hi in zip(lows, highs, strict=True)) <= room
    ):
        level += 1
    widths = [min(max(level, lo), hi) for lo, hi in zip(lows, highs, strict=True)]
    for index in sorted(range(len(widths)), key=lambda i: highs[i] - widths[i], reverse=True):
        if sum(widths) < room and widths[index] < highs[index]:
            widths[index] += 1
    return widths


def _fitted(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    notes: list[str],
    *,
    first_style: str = "",
    **options: Any,
) -> Table | None:
    """The table wrapped by :func:`_pieces` to ``width`` (None: rich's own folding will
    do, as it fits or cannot be helped); the commands it references are added to
    ``notes``."""
    rows = [list(row) for row in rows]
    mine: list[str] = []
    count = len(columns)
    texts = [[row[i] for row in rows if i < len(row)] for i in range(count)]
    times = [_is_time_column(t) for t in texts]
    highs = [
        max([cell_len(columns[i]) if options.get("show_header", True) else 0,
             *(cell_len(line) for t in texts[i] for line in t.split("\n"))])
        for i in range(count)
    ]  # fmt: skip
    plain = _grid(title, columns, rows, first_style=first_style, **options)
    extra = Measurement.get(out, out.options.update_width(1_000_000), plain).maximum - sum(highs)
    room = width - extra
    if sum(highs) <= room:
        return None
    heads = [max((cell_len(w) for w in c.split()), default=0) for c in columns]
    while True:
        texts = [[row[i] for row in rows if i < len(row)] for i in range(count)]
        for glued in (0, 1, 2):
            lows = [
                max(heads[i], _units(texts[i], glued=glued, time=times[i])) for i in range(count)
            ]
            if sum(lows) <= room:
                break
        commands = [c for row in rows for cell in row for c in _COMMAND.findall(cell)]
        if sum(lows) <= room or not commands:
            break
        longest = max(commands, key=cell_len)
        mine.append(longest)
        reference = f"[{len(notes) + len(mine)}]"
        rows = [[cell.replace(longest, reference) for cell in row] for row in rows]
    rows, mine = _in_reading_order(rows, mine, first=len(notes) + 1)
    # Still too wide: the widest words are cut (rich folds them), and only those.
    while sum(lows) > room and any(not t and lo > 1 for t, lo in zip(times, lows, strict=True)):
        widest = max((i for i in range(count) if not times[i]), key=lambda i: lows[i])
        lows[widest] -= 1
    widths = _shares(lows, highs, room)
    grid = Table(title=title, title_justify="left", **options)
    for index, column in enumerate(columns):
        style = first_style if index == 0 else ""
        grid.add_column(column, style=style, width=widths[index], overflow="fold")
    for row in rows:
        grid.add_row(*(
            Text(cell if times[i] else _wrapped(cell, widths[i], glued=glued))
            for i, cell in enumerate(row)
        ))  # fmt: skip
    notes.extend(mine)
    return grid


_COMMAND = re.compile(r"`[^`]*`")
_REFERENCE = re.compile(r"\[(\d+)\]")


def _in_reading_order(
    rows: list[list[str]], mine: list[str], *, first: int
) -> tuple[list[list[str]], list[str]]:
    """The references ``first`` … made for ``mine`` (longest command first) numbered again
    in the order they are read, row by row and cell by cell."""
    numbers = range(first, first + len(mine))
    order: list[int] = []
    for row in rows:
        for cell in row:
            for found in _REFERENCE.finditer(cell):
                n = int(found[1])
                if n in numbers and n not in order:
                    order.append(n)
    order += [n for n in numbers if n not in order]
    new = {old: first + i for i, old in enumerate(order)}

    def renumber(found: re.Match[str]) -> str:
        n = int(found[1])
        return f"[{new[n]}]" if n in new else found[0]

    rows = [[_REFERENCE.sub(renumber, cell) for cell in row] for row in rows]
    return rows, [mine[n - first] for n in order]


def _print_grid(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                **options: Any) -> None:  # fmt: skip
    texts = [[visible("" if v is None else str(v), one_line=True) for v in row] for row in rows]
    grid = _grid(title, columns, texts, **options)
    needed = Measurement.get(out, out.options.update_width(1_000_000), grid).maximum
    notes: list[str] = []
    if not out.is_terminal and not columns_set():
        # A file or a pipe: the table takes the width it needs, unless the width was
        # given (COLUMNS), as for a terminal of that width.
        with _width(max(needed, out.width)):
            out.print(grid)
        return
    if needed > out.width:
        texts = [[_referenced(t, notes) for t in row] for row in texts]
        grid = _fitted(title, columns, texts, out.width, notes, **options) or _grid(
            title, columns, texts, **options
        )
    out.print(grid)
    for number, url in enumerate(notes, 1):
        out.print(f"[{number}] {url}", highlight=False, soft_wrap=True, crop=False)


def columns_set() -> bool:
    """Whether the width was given explicitly (``COLUMNS=104 matrixpub ... | less``): a
    table then fits it even when printed into a pipe or a file, as many CLIs do."""
    import os

    value = os.environ.get("COLUMNS", "").strip()
    return value.isdigit() and int(value) > 0


@contextmanager
def _width(width: int):  # type: ignore[no-untyped-def]
    # rich prints no wider than its console; a table in a file is as wide as it needs.
    before = out._width
    out._width = width
    try:
        yield
    finally:
        out._width = before


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    empty: str | None = None,
) -> None:
    """Rows under their column names: each value one line of text, folded to fit a
    terminal but for web addresses and times (see :data:`_URL`). With no rows, ``empty``
    is said instead of an empty grid."""
    rows = list(rows)
    if not rows and empty is not None:
        out.print(empty, markup=False, highlight=False)
        return
    _print_grid(title, columns, rows, header_style="bold")


def fields(title: str, pairs: Iterable[tuple[str, Any]]) -> None:
    """Names and values, one pair a line (as :func:`table` does, addresses kept whole)."""
    _print_grid(title, ["", ""], pairs, first_style="bold", show_header=False, box=None)


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
