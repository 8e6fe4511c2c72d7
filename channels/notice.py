"""The 停更公告 (stop-update notice) of an account being closed, from its Jinja2 template
(``templates/governance/stop_notice.md.j2``): the account, the reason, the date, and the
account that takes over and how to reach it. Plain Markdown, so nothing is escaped; the
text then goes through the gates like any item."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from channels.registry import SPECS
from channels.rendering import templates_dir


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir() / "governance")),
        autoescape=False,  # Markdown for a draft, not HTML
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def stop_notice(data: Mapping[str, Any], *, notice_days: int = 15) -> tuple[str, str]:
    """(title, body) of the notice. ``data``: account, reason, date, successor (an account
    or None), successor_contact (text or None)."""
    account = data["account"]
    successor = data.get("successor")
    platform = SPECS[successor.platform].label if successor and successor.platform in SPECS else ""
    body = (
        _environment()
        .get_template("stop_notice.md.j2")
        .render(
            account=account,
            reason=data["reason"],
            date=data["date"],
            successor=successor,
            successor_platform=platform or (successor.platform if successor else ""),
            successor_contact=data.get("successor_contact"),
            notice_days=notice_days,
        )
    )
    title = f"关于“{account.name}”停止更新的公告"
    return title[:60], "\n".join(line.rstrip() for line in body.strip().splitlines()) + "\n"
