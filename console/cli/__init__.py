"""The ``matrixpub`` command line: a thin face over :mod:`console.actions`.

Every acting command runs as the user whose personal token is in ``MATRIXPUB_TOKEN``
(or ``--token``). Every command takes ``--json``. Refused actions exit 1 with one line
on stderr; bad usage exits 2.
"""

import importlib
import inspect
import itertools
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

import typer
from typer._click import exceptions as click_exceptions
from typer._click.core import Command
from typer._click.formatting import wrap_text
from typer.core import TyperCommand, TyperGroup
from typer.models import DefaultPlaceholder

from console import output as o
from console import startup
from console.i18n import N_, _, help_summary, help_text, metavar, plain_help

SETTINGS: dict[str, Any] = {
    "pretty_exceptions_enable": False,
    "add_completion": False,
    "rich_markup_mode": None,
}
app = typer.Typer(
    name="matrixpub",
    help="Publishing pipeline for a matrix of new-media accounts: 三审三校, per-platform "
    "formatting, scheduled delivery, everything on record.",
    no_args_is_help=True,
    **SETTINGS,
)


@app.callback()
def _matrixpub() -> None:
    # Nothing to do before a command; with a callback, Typer makes matrixpub a group though
    # no command is registered on it (they are in COMMANDS).
    pass


# Every command, in the order `--help` lists them (matrixpub's own commands first, then the
# groups): its name, the module of console.cli that defines it, and that module's Typer app
# (a `top_app`'s commands stand at the top, any other app is the group of that name). A
# command loads its own module only: a gate decision does not load the account commands or
# the reports, nor build their commands.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("init", "users", "top_app"),
    ("roles", "users", "top_app"),
    ("whoami", "users", "top_app"),
    ("alerts", "schedule", "top_app"),
    ("dispatch", "schedule", "top_app"),
    ("check", "lexicon", "top_app"),
    ("serve", "serving", "top_app"),
    ("deploy", "serving", "top_app"),
    ("web", "serving", "top_app"),
    ("demo", "serving", "top_app"),
    ("user", "users", "user_app"),
    ("account", "accounts", "account_app"),
    ("draft", "drafts", "draft_app"),
    ("review", "review", "review_app"),
    ("post", "posts", "post_app"),
    ("audit", "audit", "audit_app"),
    ("freeze", "schedule", "freeze_app"),
    ("schedule", "schedule", "schedule_app"),
    ("lexicon", "lexicon", "lexicon_app"),
    ("settings", "settings", "settings_app"),
    ("report", "reports", "report_app"),
    ("server", "serving", "server_app"),
)


# Typer carries its own copy of click: these build on the classes its commands use.
_BaseContext = TyperCommand.context_class


class _Formatter(_BaseContext.formatter_class):  # type: ignore[name-defined,misc]
    """A help page in the chosen language: the help texts, written in English, are looked
    up in the catalog (``make catalogs`` extracts them, see console.i18n), and so are
    click's headings and usage line."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = _("Usage:")
            prefix += "" if prefix.endswith("：") else " "  # a full-width colon holds its space
        super().write_usage(prog, _usage_args(args), prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_(heading + ':')}\n")

    def write_text(self, text: str) -> None:
        super().write_text(help_text(text))

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """click's definition list, measured in a terminal's columns: a term may be said in
        Chinese (``--from 时间``), and a Chinese character takes two columns where click
        counts one."""
        rows = [(_term(term), help_text(said)) for term, said in rows]
        first_col = min(max((_columns(t) for t, _s in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, said in rows:
            self.write(indent + term)
            if not said:
                self.write("\n")
                continue
            if _columns(term) <= first_col - col_spacing:
                self.write(" " * (first_col - _columns(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            width = max(self.width - first_col - 2, 10)
            lines = wrap_text(said, width, preserve_paragraphs=True).splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


def _columns(text: str) -> int:
    """How many columns of a terminal ``text`` takes."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# What Typer shows of an option or argument: ``--windows <str>``, ``--target ACCOUNT_ID``,
# ``account_id <int>``; in a usage line a required argument ``{account_id}``, an optional
# one ``[name]``. Each is said as a person writes help: ``--windows WINDOWS``, ``ACCOUNT_ID``.
_OPTION_TERM = re.compile(
    r"(?P<flags>-[\w-]+(?:, -[\w-]+)*) (?P<takes><[^>]+>(?:\.\.\.)?|[A-Z][A-Z_=,]*(?:\.\.\.)?)"
)
_ARGUMENT_TERM = re.compile(r"(?P<name>[a-z]\w*)(?P<more>\.\.\.)? <[^>]+>")
_USAGE_ARGUMENT = re.compile(r"\{(?P<required>[a-z]\w*)\}|\[(?P<optional>[a-z]\w*)\]")


def _term(term: str) -> str:
    if found := _OPTION_TERM.fullmatch(term):
        name = found["flags"].split(", ")[-1].lstrip("-").replace("-", "_")
        return f"{found['flags']} {metavar(name, found['takes'])}"
    if found := _ARGUMENT_TERM.fullmatch(term):
        return metavar(found["name"]) + (found["more"] or "")
    return term


def _usage_args(args: str) -> str:
    def said(found: re.Match[str]) -> str:
        if found["required"]:
            return metavar(found["required"])
        return f"[{metavar(found['optional'])}]"

    args = _USAGE_ARGUMENT.sub(said, args)
    args = args.replace("COMMAND [ARGS]...", _("COMMAND [ARGS]..."))
    return args.replace("[OPTIONS]", _("[OPTIONS]"))


class _Context(_BaseContext):  # type: ignore[misc,valid-type]
    formatter_class = _Formatter


class _Command(TyperCommand):
    context_class = _Context

    def invoke(self, ctx: Any) -> Any:
        startup.command_starts()  # loaded and its options read: the command's own work
        return super().invoke(ctx)


class _Group(TyperGroup):
    context_class = _Context


def _readable(typer_app: typer.Typer) -> None:
    """Give every command and group its full first sentence as its listed help, instead of
    a line cut off with "…", and help without reStructuredText markup, shown in the
    chosen language."""
    typer_app.info.cls = _Group
    for command in typer_app.registered_commands:
        command.cls = _Command
        doc = command.help or inspect.getdoc(command.callback) or ""
        if doc:
            command.help = plain_help(doc)
            command.short_help = command.short_help or help_summary(command.help)
    for group in typer_app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        group.cls = _Group
        doc = sub.info.help
        doc = doc.value if isinstance(doc, DefaultPlaceholder) else doc
        if doc:
            sub.info.help = plain_help(doc)
            group.short_help = help_summary(sub.info.help)
        _readable(sub)


# What an argument is, for the commands that name it without help of their own.
ARGUMENT_HELP = {
    "account_id": N_("Which account (`matrixpub account list` shows their numbers)."),
    "request_id": N_("Which request (`matrixpub account requests` shows their numbers)."),
    "draft_id": N_("Which draft (`matrixpub draft list` shows their numbers)."),
    "finding_id": N_("Which finding (`matrixpub draft check` shows their numbers)."),
    "post_id": N_("Which post (`matrixpub post list` shows their numbers)."),
    "freeze_id": N_("Which freeze (`matrixpub freeze list` shows their numbers)."),
    "category": N_("Which word list, by its category, e.g. usage (`matrixpub lexicon list`)."),
    "term": N_("The word or phrase."),
}


def _built(module: str, attr: str) -> dict[str, Command]:
    """The commands of one Typer app of ``console.cli.<module>``, as Typer builds them."""
    sub = getattr(importlib.import_module(f"console.cli.{module}"), attr)
    one = typer.Typer(**SETTINGS)
    if attr == "top_app":
        one.add_typer(sub)
    else:
        one.add_typer(sub, name=next(n for n, m, a in COMMANDS if (m, a) == (module, attr)))
    _readable(one)
    built = dict(typer.main.get_group(one).commands)
    for command in _leaves(built.values()):
        for param in command.params:
            if param.param_type_name == "argument" and not getattr(param, "help", None):
                param.help = ARGUMENT_HELP.get(param.name or "")
    named = {n for n, m, a in COMMANDS if (m, a) == (module, attr)}
    assert set(built) == named, f"console.cli.{module}.{attr} defines {sorted(built)}"
    return built


def _leaves(commands: Iterable[Command]) -> Iterator[Command]:
    for command in commands:
        if isinstance(command, TyperGroup):
            yield from _leaves(command.commands.values())
        else:
            yield command


class _Commands(Mapping[str, Command]):
    """matrixpub's commands by name (:data:`COMMANDS`), each module loaded and its commands
    built when one of them is first looked up."""

    def __init__(self) -> None:
        self._where = {name: (module, attr) for name, module, attr in COMMANDS}
        self._built: dict[tuple[str, str], dict[str, Command]] = {}

    def __getitem__(self, name: str) -> Command:
        where = self._where[name]
        if where not in self._built:
            self._built[where] = _built(*where)
        return self._built[where][name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


class _Root(_Group):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _Commands()  # type: ignore[assignment]


app.info.cls = _Root


# Click's own words for bad usage (Typer's copy of click writes them in English), each
# read back into a message of the catalog; anything else is shown as click wrote it.
_USAGE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"Missing option '(?P<name>[^']+)'\.(?: (?P<more>.+))?"),
        N_("Missing option {name}."),
    ),
    (
        re.compile(r"Missing argument '(?P<name>[^']+)'\.(?: (?P<more>.+))?"),
        N_("Missing argument {name}."),
    ),
    (
        re.compile(r"No such option: (?P<name>\S+)(?: \(Possible options: (?P<maybe>.+)\))?"),
        N_("No such option: {name}"),
    ),
    (
        re.compile(r"No such command '(?P<name>[^']+)'\.+(?: Did you mean (?P<maybe>.+)\?)?"),
        N_("No such command: {name}"),
    ),
    (
        re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<name>.+)\)"),
        N_("Unexpected extra argument: {name}"),
    ),
    (
        re.compile(
            r"Invalid value for '(?P<name>[^']+)': "
            r"(?:Input should be a valid integer.*|.* is not a valid integer.*)"
        ),
        N_("{name} needs a whole number"),
    ),
    (
        re.compile(r"Option '(?P<name>[^']+)' requires an argument\."),
        N_("Option {name} needs a value"),
    ),
)


def usage_message(text: str) -> str:
    """One of click's bad-usage messages in the chosen language."""
    for pattern, message in _USAGE:
        if m := pattern.fullmatch(text):
            name = m["name"]
            if re.fullmatch(r"[a-z]\w*", name):  # an argument, by its name
                name = metavar(name)
            said = _(message, name=name)
            maybe = m.groupdict().get("maybe")
            if maybe:
                said += _(" (did you mean {maybe}?)", maybe=maybe.replace("'", ""))
            more = m.groupdict().get("more")
            return f"{said} {more}" if more else said
    return text


def _show_usage_error(self: click_exceptions.UsageError, file: IO[Any] | None = None) -> None:
    """Bad usage as click shows it (usage line, where to find help, what was wrong), in the
    chosen language, on stderr."""
    lines = []
    if self.ctx is not None:
        lines.append(self.ctx.get_usage())
        if self.ctx.command.get_help_option(self.ctx) is not None:
            command, option = self.ctx.command_path, self.ctx.help_option_names[0]
            lines.append(_("See `{command} {option}` for help.", command=command, option=option))
        lines.append("")
    label = _("error:")
    gap = "" if label.endswith("：") else " "  # a full-width colon holds its own space
    lines.append(f"{label}{gap}{usage_message(self.format_message())}")
    print("\n".join(lines), file=file or sys.stderr)


click_exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]


def json_last(args: list[str]) -> list[str]:
    """``--json`` given before the command (``matrixpub --json user list``) moved after it,
    where each command takes it; the rest as given."""
    leading = list(itertools.takewhile(lambda a: a.startswith("-") and a != "--", args))
    if "--json" not in leading:
        return args
    rest = [a for a in leading if a != "--json"] + args[len(leading) :]
    end = rest.index("--") if "--" in rest else len(rest)
    return [*rest[:end], "--json", *rest[end:]]


def main() -> None:
    o.stop_on_sigterm()
    app(args=json_last(sys.argv[1:]))
