"""Jinja2 environment shared by every channel: one template per channel under
``templates/channels/``, site chrome under ``templates/site/``. Autoescaping is on for
HTML and XML templates and off for ``.txt.j2`` and ``.json.j2`` (plain text is not HTML;
JSON templates use ``tojson``). Draft text is only ever passed in as data."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape


def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "templates", here.parent.parent / "templates"):
        if (candidate / "channels").is_dir():
            return candidate
    raise RuntimeError("the templates folder is missing from this installation")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(
            enabled_extensions=("html", "xml", "html.j2", "xml.j2"),
            disabled_extensions=("txt", "txt.j2", "json.j2"),  # plain text and JSON: no HTML
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        # The templates are part of the installation: each is read and compiled once per
        # process, not looked at on disk again with every render (the website renders a
        # page per article, from the dispatcher's threads).
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_template(name: str, **data: Any) -> str:
    return environment().get_template(name).render(**data)


def template_exists(name: str) -> bool:
    return (templates_dir() / name).is_file()
