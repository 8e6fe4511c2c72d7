"""Telling people: alerts sent to the organisation's notification address, in Chinese.

A WeCom (企业微信) group robot is recognised by its address (``.../cgi-bin/webhook/send?
key=...``): it takes ``{"msgtype": "markdown", "markdown": {"content": ...}}`` (at most
4,096 bytes; longer texts go as several messages) and answers ``{"errcode": 0}``; 45009
means more than its 20 messages a minute, 93000 a wrong key. Any other http(s) address
gets a JSON POST ``{"text": ..., "alerts": [...]}`` with an ``Idempotency-Key`` (the
same alerts sent again carry the same key) and must answer 2xx.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

WECOM_LIMIT = 4096  # bytes of markdown content
KIND_LABELS = {
    "stale_account": "超期未更新",
    "update_due": "即将超期",
    "filing_due": "待备案",
    "post_failed": "发布失败",
    "unknown_send": "发布结果未知",
    "manual_waiting": "待人工发布",
    "queue_paused": "队列暂停",
    "credentials_expiring": "凭据将过期",
    "late_outcome": "结果迟到",
    "quota_exhausted": "平台配额用完",
    "ip_not_whitelisted": "服务器 IP 未列入白名单",
    "weibo_rip": "微博缺少 rip",
    "webhook_unsigned": "推送地址未设签名密钥",
}
# What a notice says of an alert that has no Chinese line of its own (the alerts of the
# account's filing, keeping alive and 集中转载 carry theirs): the post, and what to do.
NOTICE_TEXTS = {
    "post_failed": "发布 {post} 失败：查明原因后重试（`matrixpub post retry {post}`），"
    "或确认已发布、撤销；详情见控制台“发布”页",
    "unknown_send": "发布 {post} 结果未知：平台可能收到了，也可能没有；请到平台核实后确认"
    "（`matrixpub post resolve {post}`）",
    "manual_waiting": "发布 {post} 的人工发布包等待已超时：发布后记录网址"
    "（`matrixpub post confirm {post} --url 网址`），或撤销",
    "late_outcome": "发布 {post} 的平台回复在其状态改变后才到达：请到平台核对有无重复发布",
}
NOTICE_ACCOUNT_TEXTS = {
    "queue_paused": "账号的发布队列已暂停，恢复前不再发送；原因见控制台“账号”页",
    "credentials_expiring": "账号的平台凭据即将过期或已过期：请重新授权并保存新凭据",
    "quota_exhausted": "平台的发布配额已用完，待发稿件顺延到配额恢复后发送",
    "ip_not_whitelisted": "平台拒绝本服务器的 IP 地址：请在平台后台把它列入白名单",
}


def notice_text(kind: str, post_id: int | None) -> str:
    """The Chinese line a notice says of an alert of ``kind`` without a line of its own."""
    if post_id is not None and kind in NOTICE_TEXTS:
        return NOTICE_TEXTS[kind].format(post=post_id)
    if kind in NOTICE_ACCOUNT_TEXTS:
        return NOTICE_ACCOUNT_TEXTS[kind]
    return "详情见控制台的提醒（`matrixpub alerts`）"


@dataclass(frozen=True)
class Notice:
    """One alert as people read it."""

    kind: str
    text: str  # in Chinese where there is a Chinese line
    account: str | None = None  # the account's name
    responsible: str | None = None


@dataclass(frozen=True)
class Sent:
    ok: bool
    detail: str
    rate_limited: bool = False


def is_webhook(address: str | None) -> bool:
    return bool(address) and str(address).startswith(("http://", "https://"))


def is_wecom(address: str) -> bool:
    parts = urlsplit(address)
    return parts.path.endswith("/cgi-bin/webhook/send") and "key" in parse_qs(parts.query)


def _line(notice: Notice) -> str:
    label = KIND_LABELS.get(notice.kind, notice.kind)
    text = notice.text
    if notice.account and notice.account not in text:
        text += f"（账号：{notice.account}）"
    if notice.account and "责任人" not in text:
        text += f"（责任人：{notice.responsible or '未登记'}）"
    return f"- **{label}** {text}"


def compose(notices: Sequence[Notice], *, heading: str) -> list[str]:
    """The markdown messages for ``notices``, each within WeCom's size limit."""
    messages: list[str] = []
    current = f"**{heading}**（{len(notices)} 条）"
    for notice in notices:
        line = _line(notice)
        if len(line.encode()) > WECOM_LIMIT - 200:
            line = line.encode()[: WECOM_LIMIT - 210].decode(errors="ignore") + "…"
        if len((current + "\n" + line).encode()) > WECOM_LIMIT:
            messages.append(current)
            current = f"**{heading}**（续）"
        current += "\n" + line
    messages.append(current)
    return messages


def send(
    address: str,
    notices: Sequence[Notice],
    *,
    heading: str = "matrixpub 提醒",
    http: requests.Session | None = None,
    timeout: float = 10.0,
) -> Sent:
    """Send ``notices`` to ``address``; never raises for a refusal or a network error,
    says what happened instead (the alerts stay unsent and go with the next run)."""
    session = http or requests.Session()
    try:
        if is_wecom(address):
            for content in compose(notices, heading=heading):
                answer = session.post(
                    address,
                    json={"msgtype": "markdown", "markdown": {"content": content}},
                    timeout=timeout,
                )
                data: Any = answer.json() if answer.content else {}
                code = data.get("errcode") if isinstance(data, dict) else None
                if answer.status_code != 200 or code != 0:
                    detail = data.get("errmsg", "") if isinstance(data, dict) else ""
                    return Sent(
                        False,
                        f"the WeCom robot refused the message: errcode {code} {detail}".strip(),
                        rate_limited=code == 45009,
                    )
            return Sent(True, "sent to the WeCom robot")
        payload = {
            "text": "\n".join(compose(notices, heading=heading)),
            "alerts": [
                {
                    "kind": n.kind,
                    "text": n.text,
                    "account": n.account,
                    "responsible": n.responsible,
                }
                for n in notices
            ],
        }
        body = json.dumps(payload, ensure_ascii=False).encode()
        answer = session.post(
            address,
            data=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                # The same alerts sent twice are one message to a receiver that dedupes.
                "Idempotency-Key": "matrixpub-alerts-" + hashlib.sha256(body).hexdigest()[:32],
            },
            timeout=timeout,
        )
        if not 200 <= answer.status_code < 300:
            return Sent(False, f"the webhook answered HTTP {answer.status_code}")
        return Sent(True, "sent to the webhook")
    except (requests.RequestException, ValueError) as error:
        return Sent(
            False, f"the notification address could not be reached ({type(error).__name__})"
        )
