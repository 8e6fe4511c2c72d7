"""Rendering console pages: one Jinja2 environment over ``templates/console/``, with the
filters the pages need (local times, how long something waited, labels in Chinese).
Autoescaping is on: everything a person typed is data."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from channels.registry import SPECS
from channels.rendering import templates_dir
from console.i18n import (
    LANGUAGES,
    _,
    language,
    post_state_label,
    role_label,
    state_label,
    verdict_label,
)

STATE_LABELS = {
    "draft": "草稿",
    "submitted": "检查中",
    "in_review": "审校中",
    "returned": "已退回",
    "approved": "已签发",
    "withdrawn": "已撤回",
}
POST_STATE_LABELS = {
    "queued": "待发布",
    "sending": "发送中",
    "pending": "平台处理中",
    "checking": "查询中",
    "manual": "待人工发布",
    "published": "已发布",
    "failed": "失败",
    "unknown": "结果未知",
    "cancelled": "已取消",
    "withdrawn": "已撤下",
}
SEVERITY_LABELS = {"block": "须修改", "warn": "提示", "info": "参考"}
CATEGORY_LABELS = {
    "outdated_name": "过时名称",
    "sovereignty": "规范表述",
    "absolute_term": "广告法用语",
    "confusable": "错别字",
    "name_title": "姓名职务",
    "personal_data": "个人信息",
    "date": "日期",
    "punctuation": "标点",
    "link": "链接",
}
VERDICT_LABELS = {"approve": "通过", "reject": "退回", "escalate": "送审"}
MEASURE_LABELS = {
    "title": "标题",
    "summary": "摘要",
    "digest": "摘要",
    "body": "正文",
    "content": "正文",
    "text": "正文",
    "status": "微博正文",
    "author": "作者",
    "topics": "话题",
    "images": "图片",
    "content_source_url": "阅读原文链接",
    "article_html": "页面正文",
    "html": "正文（HTML）",
    "slug": "页面地址",
    "link": "原文链接",
}
UNIT_LABELS = {
    "chars": "字",
    "weibo": "字（微博计法）",
    "utf16-ascii-half": "字（小红书计法）",
    "bytes": "字节",
    "html-chars": "字符（含排版）",
    "html-bytes": "字节（含排版）",
    "images": "张",
    "topics": "个",
}


def waited(seconds: int | float) -> str:
    """How long something waited, the way a person says it: 3 分钟, 2 小时 15 分, 4 天."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return "不到 1 分钟"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} 分钟"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} 小时" + (f" {minutes} 分" if minutes else "")
    days, hours = divmod(hours, 24)
    return f"{days} 天" + (f" {hours} 小时" if hours else "")


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
        severity=lambda s: SEVERITY_LABELS.get(s, s),
        category=lambda s: CATEGORY_LABELS.get(s, s),
        verdict=verdict_label,
        measure=lambda s: MEASURE_LABELS.get(s, s),
        unit=lambda s: UNIT_LABELS.get(s, s),
        platform=lambda s: SPECS[s].label if s in SPECS else s,
        role=role_label,
        short=lambda h, n=12: (h or "")[:n],
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
