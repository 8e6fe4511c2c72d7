"""``matrixpub settings``: the organisation's settings, kept in the database."""

from typing import Annotated, Any

import typer

from console import actions
from console import output as o
from console.cli.common import Json, Token, _ws
from console.i18n import _, setting_help, word

settings_app = typer.Typer(
    help="Organisation settings (site URL, time zone, thresholds): set by an admin, on "
    "record; a MATRIXPUB_* environment variable of the same name overrides one.",
    no_args_is_help=True,
)


def _table(rows: list[dict[str, Any]]) -> None:
    o.table(
        _("Organisation settings"),
        [_("setting"), _("value"), _("from"), _("environment variable"), _("what")],
        [
            (r["key"], r["value"], word(r["source"]), r["env"], setting_help(r["key"], r["help"]))
            for r in rows
        ],
    )


@settings_app.command("show")
def settings_show(json_: Json = False, token: Token = None) -> None:
    """Every setting, its value now and where it comes from."""
    o.run(json_, lambda: actions.show_settings(_ws(token)), _table)


@settings_app.command("set")
def settings_set(
    key: Annotated[str, typer.Argument(help="site_url, timezone, check_links, notify, ...")],
    value: Annotated[str, typer.Argument(help="The new value.")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Set an organisation setting (admin), on record."""

    def human(row: dict[str, Any]) -> None:
        o.out.print(f"{row['key']} = {row['stored']}", highlight=False)
        if row["source"] == "environment":
            o.out.print(
                _(
                    "{env} overrides it in this environment: {value}",
                    env=row["env"],
                    value=row["value"],
                ),
                highlight=False,
            )

    o.run(json_, lambda: actions.set_setting(_ws(token), key, value), human)
