"""The ``matrixpub`` command line: a thin face over :mod:`console.actions`.

Every acting command runs as the user whose personal token is in ``MATRIXPUB_TOKEN``
(or ``--token``). Every command takes ``--json``. Refused actions exit 1 with one line
on stderr; bad usage exits 2.
"""

import typer

from console import output as o
from console.cli import (
    accounts,
    audit,
    drafts,
    lexicon,
    posts,
    reports,
    review,
    schedule,
    serving,
    settings,
    users,
)

app = typer.Typer(
    name="matrixpub",
    help="Publishing pipeline for a matrix of new-media accounts: 三审三校, per-platform "
    "formatting, scheduled delivery, everything on record.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
# matrixpub's own commands first, in this order (`--help` lists them so), then the groups.
app.add_typer(users.top_app)  # init, whoami
app.add_typer(schedule.top_app)  # alerts, dispatch
app.add_typer(lexicon.top_app)  # check
app.add_typer(serving.top_app)  # serve, demo
app.add_typer(users.user_app, name="user")
app.add_typer(accounts.account_app, name="account")
app.add_typer(drafts.draft_app, name="draft")
app.add_typer(review.review_app, name="review")
app.add_typer(posts.post_app, name="post")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(schedule.freeze_app, name="freeze")
app.add_typer(schedule.schedule_app, name="schedule")
app.add_typer(lexicon.lexicon_app, name="lexicon")
app.add_typer(settings.settings_app, name="settings")
app.add_typer(reports.report_app, name="report")
app.add_typer(serving.server_app, name="server")


def main() -> None:
    o.stop_on_sigterm()
    app()
