"""The 错敏 checks: ``check`` and ``matrixpub lexicon``, their word lists."""

from pathlib import Path
from typing import Annotated, Any

import typer

from console import actions
from console import output as o
from console.cli.common import Json, Token, _findings_table, _ws
from console.i18n import _, word

lexicon_app = typer.Typer(help="Word lists for the 错敏 checks (admin).", no_args_is_help=True)
top_app = typer.Typer()  # merged into matrixpub's own commands (see __init__)


@top_app.command()
def check(
    file: Annotated[Path, typer.Argument(help="A UTF-8 text or Markdown file.")],
    json_: Json = False,
) -> None:
    """Run the 错敏 checks on any text file; exits 1 when something blocking is found."""
    found: list[dict[str, Any]] = []

    def body() -> list[dict[str, Any]]:
        found.extend(actions.check_file(_ws(), file))
        return [
            {
                k: f[k]
                for k in (
                    "category",
                    "severity",
                    "start",
                    "end",
                    "text",
                    "suggestion",
                    "message",
                    "rule",
                    "line",
                    "column",
                )
            }
            for f in found
        ]

    o.run(json_, body, lambda _rows: _findings_table(str(file), found))
    if any(f["severity"] == "block" for f in found):
        raise typer.Exit(1)


@lexicon_app.command("list")
def lexicon_list(
    category: Annotated[str | None, typer.Argument(help="Show this list's terms.")] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """The word lists and their versions, or one list's terms."""

    def human(rows: list[dict[str, Any]]) -> None:
        if category:
            lex = rows[0]
            o.table(
                f"{lex['category']} {lex['version']}",
                [_("term"), _("suggest"), _("severity")],
                [(e["term"], e["suggest"] or "", word(e["severity"])) for e in lex["entries"]],
            )
            if lex["whitelist"]:
                o.out.print(_("Allowed (whitelist): ") + _("、").join(lex["whitelist"]))
        else:
            o.table(
                _("Word lists"),
                [_("category"), _("version"), _("severity"), _("terms"), _("allowed")],
                [
                    (
                        r["category"],
                        r["version"],
                        word(r["severity"]),
                        len(r["entries"]),
                        len(r["whitelist"]),
                    )
                    for r in rows
                ],
            )

    o.run(json_, lambda: actions.list_lexicons(_ws(token), category=category), human)


@lexicon_app.command("add")
def lexicon_add(
    category: str,
    term: str,
    suggest: Annotated[str | None, typer.Option(help="What to write instead.")] = None,
    severity: Annotated[
        str | None, typer.Option(help="block or warn [default: the list's].")
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Add a term to a word list; the list's version moves forward."""
    o.run(
        json_,
        lambda: actions.add_lexicon_term(
            _ws(token), category, term, suggest=suggest, severity=severity
        ),
        lambda r: o.out.print(
            _(
                "{category} is now version {version} ({n} terms).",
                category=r["category"],
                version=r["version"],
                n=r["entries"],
            )
        ),
    )


@lexicon_app.command("remove")
def lexicon_remove(category: str, term: str, json_: Json = False, token: Token = None) -> None:
    """Remove a term from a word list; the list's version moves forward."""
    o.run(
        json_,
        lambda: actions.remove_lexicon_term(_ws(token), category, term),
        lambda r: o.out.print(
            _(
                "{category} is now version {version} ({n} terms).",
                category=r["category"],
                version=r["version"],
                n=r["entries"],
            )
        ),
    )


@lexicon_app.command("import")
def lexicon_import(
    file: Annotated[Path, typer.Argument(help="A word list TOML file, or a plain text file.")],
    category: Annotated[
        str | None,
        typer.Option(help="Read FILE as plain text, one term a line, and add it to this list."),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Replace a word list with a TOML data file (its version must be newer), or add the
    terms of a plain one-term-a-line file to a list with --category."""

    def human(r: dict[str, Any]) -> None:
        if "added" in r:
            o.out.print(
                _(
                    "{added} new term(s) added to {category}, now version {version} ({n} terms).",
                    added=r["added"],
                    category=r["category"],
                    version=r["version"],
                    n=r["entries"],
                )
            )
        else:
            o.out.print(
                _(
                    "{category} {version} imported ({n} terms).",
                    category=r["category"],
                    version=r["version"],
                    n=r["entries"],
                )
            )

    o.run(json_, lambda: actions.import_lexicon(_ws(token), file, category=category), human)


@lexicon_app.command("allow")
def lexicon_allow(
    term: str,
    reason: Annotated[str, typer.Option(help="Why the term is allowed (on record).")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Allow a term of the organisation's own (a place name, a title): no check finds
    anything inside it. The allow list is versioned like the other lists."""
    o.run(
        json_,
        lambda: actions.allow_lexicon_term(_ws(token), term, reason=reason),
        lambda r: o.out.print(
            _(
                "Allowed {term}; {category} is now version {version}.",
                term=r["term"],
                category=r["category"],
                version=r["version"],
            )
        ),
    )


@lexicon_app.command("export")
def lexicon_export(
    folder: Annotated[Path, typer.Argument(help="Where to write <category>.toml files.")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Write every word list as a TOML data file, to edit and import again."""
    o.run(
        json_,
        lambda: actions.export_lexicons(_ws(token), folder),
        lambda r: o.out.print(
            _("Wrote {files} to {folder}.", files=", ".join(r["files"]), folder=r["folder"])
        ),
    )
