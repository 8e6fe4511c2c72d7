"""Set-up and people: ``init``, ``whoami`` and ``matrixpub user``."""

from typing import Annotated, Any

import typer

from console import actions
from console import output as o
from console.cli.common import Json, Token, _ws

user_app = typer.Typer(help="People and their roles (admin).", no_args_is_help=True)
top_app = typer.Typer()  # merged into matrixpub's own commands (see __init__)


@top_app.command()
def init(
    admin: Annotated[str, typer.Option("--admin", help="Name of the first admin.")],
    json_: Json = False,
) -> None:
    """Create the database (Alembic migrations) and the first admin; prints its token."""

    def human(user: dict[str, Any]) -> None:
        o.out.print(f"Initialised matrixpub in {user['home']} (database {user['database']}).")
        o.out.print(f"Admin [bold]{user['name']}[/] created. Token (shown once, keep it safe):")
        o.out.print(f"  export MATRIXPUB_TOKEN={user['token']}", highlight=False)

    o.run(json_, lambda: actions.init(_ws(), admin=admin), human)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            metavar="ROLE",
            help="admin, author, proofreader, editor (初审), chief (复审), leader (终审).",
        ),
    ],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Add a user with one or more roles; prints the user's token once."""

    def human(user: dict[str, Any]) -> None:
        o.out.print(f"User [bold]{user['name']}[/] ({', '.join(user['roles'])}) is {user['id']}.")
        o.out.print(f"Token (shown once): {user['token']}", highlight=False)

    o.run(json_, lambda: actions.add_user(_ws(token), name=name, roles=role), human)


@user_app.command("list")
def user_list(json_: Json = False, token: Token = None) -> None:
    """Everyone and their roles."""
    o.run(
        json_,
        lambda: actions.list_users(_ws(token)),
        lambda users: o.table(
            "Users",
            ["id", "name", "roles", "active"],
            [(u["id"], u["name"], ", ".join(u["roles"]), u["active"]) for u in users],
        ),
    )


@top_app.command()
def whoami(json_: Json = False, token: Token = None) -> None:
    """Who the token belongs to."""
    o.run(
        json_,
        lambda: actions.whoami(_ws(token)),
        lambda u: o.out.print(f"{u['name']} ({', '.join(u['roles'])})"),
    )
