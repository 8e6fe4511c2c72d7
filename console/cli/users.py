"""Set-up and people: ``init``, ``whoami`` and ``matrixpub user``."""

import re
from typing import Annotated, Any

import typer

from console import actions
from console import output as o
from console.cli.common import Json, Reason, Token, _ws
from console.i18n import PARTIES, PERMISSION_NOTES, _, role_label

user_app = typer.Typer(help="People and their roles (admin).", no_args_is_help=True)
top_app = typer.Typer()  # merged into matrixpub's own commands (see __init__)


@top_app.command()
def init(
    admin: Annotated[str, typer.Option("--admin", help="Name of the first admin.")],
    json_: Json = False,
) -> None:
    """Create the database (Alembic migrations) and the first admin; prints its token."""

    def human(user: dict[str, Any]) -> None:
        o.out.print(
            _(
                "Initialised matrixpub in {home} (database {database}).",
                home=user["home"],
                database=user["database"],
            )
        )
        o.out.print(_("Admin {name} created. Token (shown once, keep it safe):", name=user["name"]))
        o.out.print(f"  export MATRIXPUB_TOKEN={user['token']}", highlight=False)

    o.run(json_, lambda: actions.init(_ws(), admin=admin), human)


def _roles(roles: list[str]) -> str:
    return _("、").join(role_label(r) for r in roles)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            metavar="ROLE",
            help="admin, author, proofreader, editor (初审), chief (复审), leader (终审), "
            "secrecy (保密审查), netinfo (网信).",
        ),
    ],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Add a user with one or more roles; prints the user's token once."""

    def human(user: dict[str, Any]) -> None:
        o.out.print(
            _(
                "User {name} ({roles}) added as user {id}.",
                name=user["name"],
                roles=_roles(user["roles"]),
                id=user["id"],
            ),
            markup=False,
        )
        o.out.print(_("Token (shown once): {token}", token=user["token"]), highlight=False)
        o.out.print(
            _(
                "Next: for the web console, set their password with "
                "`matrixpub user password {name}`; for the CLI, hand them the token "
                "(`export MATRIXPUB_TOKEN=…`).",
                name=user["name"],
            ),
            markup=False,
            highlight=False,
        )

    o.run(json_, lambda: actions.add_user(_ws(token), name=name, roles=role), human)


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


@user_app.command("list")
def user_list(json_: Json = False, token: Token = None) -> None:
    """Everyone and their roles."""
    o.run(
        json_,
        lambda: actions.list_users(_ws(token)),
        lambda users: o.table(
            _("Users"),
            [_("id"), _("name"), _("roles"), _("active")],
            [(u["id"], u["name"], _roles(u["roles"]), _yes(u["active"])) for u in users],
        ),
    )


_GATE_ROW = re.compile(r"gate (\d+) \(([a-z0-9_]+)\)")
_CHECK_ROW = re.compile(r"the extra check ([a-z0-9_]+), when a reviewer asked for it")


def _also(also: str) -> str:
    """The permissions table's last column (parties, then notes) in the chosen language."""
    shown = []
    for part in also.split("; "):
        words = {**PARTIES, **PERMISSION_NOTES}
        if all(p in words for p in part.split(" or ")):
            shown.append(_(" or ").join(_(words[p]) for p in part.split(" or ")))
        elif m := _GATE_ROW.fullmatch(part):
            shown.append(_("gate {number} ({key})", number=m[1], key=m[2]))
        elif m := _CHECK_ROW.fullmatch(part):
            shown.append(_("the extra check {key}, when a reviewer asked for it", key=m[1]))
        else:
            shown.append(part)
    return _("; ").join(shown)


@top_app.command()
def roles(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the table as Markdown (the README's).")
    ] = False,
    json_: Json = False,
) -> None:
    """Who may do what: every action and the roles (or people) allowed it, from the rules
    the checks use."""
    from domain import permissions
    from domain.roles import Role

    if markdown:
        o.out.print(permissions.markdown(), markup=False, highlight=False, end="", soft_wrap=True)
        return
    found = [
        {"action": r.command, "roles": [x.value for x in Role if x in r.roles], "also": r.also}
        for r in permissions.rows()
    ]
    o.run(
        json_,
        lambda: found,
        lambda rs: o.table(
            _("Who may do what"),
            [_("action"), _("roles"), _("also")],
            [(r["action"], _roles(r["roles"]), _also(r["also"])) for r in rs],
        ),
    )


@top_app.command()
def whoami(json_: Json = False, token: Token = None) -> None:
    """Who the token belongs to."""
    o.run(
        json_,
        lambda: actions.whoami(_ws(token)),
        lambda u: o.out.print(f"{u['name']} ({_roles(u['roles'])})"),
    )


def _read_password(name: str) -> str:
    """Twice from the terminal (not echoed), or once from stdin when it is not one."""
    import getpass
    import sys

    from domain.errors import InvalidInput

    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput("no password on stdin")
        return line.rstrip("\r\n")
    first = getpass.getpass(_("New password for {name}: ", name=name))
    second = getpass.getpass(_("Again: "))
    if first != second:
        raise InvalidInput("the two passwords differ")
    return first


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="Whose password (yours, or anyone's as an admin).")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Set a password for the web console: read twice from the terminal, or once from
    stdin when it is not a terminal. Ends every web session of that user."""
    from console import people

    o.run(
        json_,
        lambda: people.set_password(_ws(token), name, password=_read_password(name)),
        lambda u: o.out.print(
            _("Password set for {name}; their web sessions have ended.", name=u["name"]),
            markup=False,
        ),
    )


def _set_active(
    name: str, *, active: bool, reason: str | None, json_: bool, token: str | None
) -> None:
    from console import people

    o.run(
        json_,
        lambda: people.set_active(_ws(token), name, active=active, reason=reason),
        lambda u: o.out.print(
            _("{name} is active again.", name=u["name"])
            if active
            else _(
                "{name} is deactivated: their token and web sessions no longer work.",
                name=u["name"],
            ),
            markup=False,
        ),
    )


@user_app.command("deactivate")
def user_deactivate(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    reason: Reason,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Stop a user: their token and web sessions stop working at once (admin)."""
    _set_active(name, active=False, reason=reason, json_=json_, token=token)


@user_app.command("activate")
def user_activate(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why; kept on record.")] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Let a deactivated user work again (admin), on record; their old token works again
    (reissue it with `user token` if it may have leaked)."""
    _set_active(name, active=True, reason=reason, json_=json_, token=token)


@user_app.command("roles")
def user_roles(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            metavar="ROLE",
            help="Every role the person holds from now on (repeat --role): admin, author, "
            "proofreader, editor (初审), chief (复审), leader (终审), secrecy (保密审查), "
            "netinfo (网信).",
        ),
    ],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Set a user's roles (admin), on record."""
    from console import people

    o.run(
        json_,
        lambda: people.set_roles(_ws(token), name, roles=role),
        lambda u: o.out.print(
            f"{u['name']}: {_roles(u['before'])} → {_roles(u['roles'])}", markup=False
        ),
    )


@user_app.command("token")
def user_token(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Reissue a user's token (admin), shown once; the old token stops working at once."""
    from console import people

    def human(u: dict[str, Any]) -> None:
        o.out.print(
            _("New token for {name} (shown once; the old one no longer works):", name=u["name"]),
            markup=False,
        )
        o.out.print(f"  {u['token']}", markup=False, highlight=False)

    o.run(json_, lambda: people.reissue_token(_ws(token), name), human)
