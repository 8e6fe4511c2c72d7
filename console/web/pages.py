"""Rendering console pages: one Jinja2 environment over ``templates/console/``, with the
filters the pages need (local times, how long something waited, labels in the person's language).
Autoescaping is on: everything a person typed is data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from channels.rendering import templates_dir
from console.i18n import (
    CATEGORY_LABELS,
    LANGUAGES,
    MEASURE_LABELS,
    SEVERITY_LABELS,
    UNIT_LABELS,
    _,
    account_label,
    action_label,
    alert_kind_label,
    audit_details,
    gate_label,
    language,
    platform_label,
    post_state_label,
    role_label,
    state_label,
    subject_label,
    timezone_label,
    verdict_label,
)
from console.stored import alert_text, stored_text


def _filing_state(state: str) -> str:
    from console.monthly import filing_state_label

    return filing_state_label(state)


def _word(labels: dict[str, str]) -> Callable[[str], str]:
    """A filter: the label of a key in the current language (the key when it has none)."""
    return lambda key: _(labels[key]) if key in labels else key


def waited(seconds: int | float) -> str:
    """How long something waited, the way a person says it: 3 分钟, 2 小时 15 分, 4 天."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return _("less than a minute")
    minutes = seconds // 60
    if minutes < 60:
        return _("{n} min", n=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("{h} h {m} min", h=hours, m=minutes) if minutes else _("{n} h", n=hours)
    days, hours = divmod(hours, 24)
    return _("{d} days {h} h", d=days, h=hours) if hours else _("{n} days", n=days)


@cache
def environment(timezone: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir() / "console")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    tz = ZoneInfo(timezone)

    def local(value: str | datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        if not value:
            return ""
        when = datetime.fromisoformat(value) if isinstance(value, str) else value
        return when.astimezone(tz).strftime(fmt)

    env.filters.update(
        local=local,
        waited=waited,
        state=state_label,
        post_state=post_state_label,
        severity=_word(SEVERITY_LABELS),
        category=_word(CATEGORY_LABELS),
        verdict=verdict_label,
        measure=_word(MEASURE_LABELS),
        unit=_word(UNIT_LABELS),
        platform=platform_label,
        account=account_label,
        role=role_label,
        zone=timezone_label,
        gate=gate_label,
        filing_state=lambda s: _filing_state(s),
        action=action_label,
        subject=subject_label,
        audit_details=audit_details,
        short=lambda h, n=12: (h or "")[:n],
        stored=stored_text,
        alert_text=lambda message, kind: alert_text(kind, message),
        alert_kind=alert_kind_label,
    )
    env.globals.update(timezone=timezone, _=_, language=language, LANGUAGES=LANGUAGES)
    return env


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    from console.web.security import optional_visitor

    settings = request.app.state.workspace.settings
    template = environment(settings.timezone).get_template(name)
    who = optional_visitor(request)
    html = template.render(
        request=request,
        me=who,
        work_count=getattr(request.state, "work_count", None),
        **(context or {}),
    )
    return HTMLResponse(html, status_code=status)
