"""``matrixpub post``: posts, one approved item to one account."""

from typing import Annotated, Any

import typer

from console import actions
from console import output as o
from console.cli.common import Json, Reason, Token, _posts_table, _say, _ws
from console.i18n import _, post_state_label

post_app = typer.Typer(help="Posts: one approved item to one account.", no_args_is_help=True)


@post_app.command("list")
def post_list(
    draft: Annotated[int | None, typer.Option(help="Only this draft's posts.")] = None,
    state: Annotated[
        str | None,
        typer.Option(
            help="queued, sending, pending, manual, published, failed, unknown, cancelled."
        ),
    ] = None,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Posts, soonest first."""
    o.run(json_, lambda: actions.list_posts(_ws(token), draft_id=draft, state=state), _posts_table)


@post_app.command("confirm")
def post_confirm(
    post_id: int,
    url: Annotated[str, typer.Option(help="Where the post is live on the platform.")],
    json_: Json = False,
    token: Token = None,
) -> None:
    """Complete a manual package: record the live URL after posting it by hand (only a
    package of the version signed now)."""
    o.run(
        json_,
        lambda: actions.confirm_post(_ws(token), post_id, url=url),
        lambda p: _say(
            _(
                "Post {id} is {state}: {url}",
                id=p["id"],
                state=post_state_label(p["state"]),
                url=p["url"],
            )
        ),
    )


def _post_line(p: dict[str, Any]) -> None:
    state = post_state_label(p["state"])
    if p["url"]:
        _say(_("Post {id} is {state}: {url}", id=p["id"], state=state, url=p["url"]))
    else:
        _say(_("Post {id} is {state}.", id=p["id"], state=state))


@post_app.command("cancel")
def post_cancel(post_id: int, reason: Reason, json_: Json = False, token: Token = None) -> None:
    """Cancel a queued or failed post, or a waiting manual package, which is then void
    (its author or an admin). A cancelled post is never sent or retried."""
    o.run(json_, lambda: actions.cancel_post(_ws(token), post_id, reason=reason), _post_line)


@post_app.command("retry")
def post_retry(post_id: int, json_: Json = False, token: Token = None) -> None:
    """Queue a failed post again (admin); refused when the platform took it."""
    o.run(json_, lambda: actions.retry_post(_ws(token), post_id), _post_line)


@post_app.command("release")
def post_release(post_id: int, reason: Reason, json_: Json = False, token: Token = None) -> None:
    """Let one queued post out through freeze periods (leader), on record."""
    o.run(json_, lambda: actions.release_post(_ws(token), post_id, reason=reason), _post_line)


@post_app.command("resolve")
def post_resolve(
    post_id: int,
    published: Annotated[str | None, typer.Option(help="It did go out: where it is live.")] = None,
    not_published: Annotated[
        bool, typer.Option("--not-published", help="It did not go out: send it again.")
    ] = False,
    json_: Json = False,
    token: Token = None,
) -> None:
    """Settle a post whose send may have reached the platform (unknown), or a failed one
    found live after all (--published URL)."""
    o.run(
        json_,
        lambda: actions.resolve_post(
            _ws(token), post_id, published=published, not_published=not_published
        ),
        _post_line,
    )
