"""The ``matrixpub`` command line: a thin face over :mod:`console.actions`.

Every acting command runs as the user whose personal token is in ``MATRIXPUB_TOKEN``
(or ``--token``). Every command takes ``--json``. Refused actions exit 1 with one line
on stderr; bad usage exits 2.
"""

import inspect
import re

import typer
from typer.models import DefaultPlaceholder

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


def _plain(text: str) -> str:
    """Help as a person reads it: ``--once`` (reStructuredText) becomes --once."""
    return re.sub(r"``([^`]+)``", r"\1", inspect.cleandoc(text))


def _summary(text: str) -> str:
    """The first sentence of the first paragraph, whole: the line a listing shows."""
    paragraph = " ".join(text.split("\n\n")[0].split())
    end = re.search(r"(?<!e\.g)(?<!i\.e)[.。](?=\s)", paragraph)
    return paragraph[: end.end()] if end else paragraph


def _readable(typer_app: typer.Typer) -> None:
    """Give every command and group its full first sentence as its listed help, instead of
    a line cut off with "…", and help without reStructuredText markup."""
    for command in typer_app.registered_commands:
        doc = command.help or inspect.getdoc(command.callback) or ""
        if doc:
            command.help = _plain(doc)
            command.short_help = command.short_help or _summary(command.help)
    for group in typer_app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        doc = sub.info.help
        doc = doc.value if isinstance(doc, DefaultPlaceholder) else doc
        if doc:
            sub.info.help = _plain(doc)
            group.short_help = _summary(sub.info.help)
        _readable(sub)


_readable(app)


def main() -> None:
    o.stop_on_sigterm()
    app()
