"""Account registry (备案): platforms, account states and the moves between them.

    applying ──activate──▶ active ◀──resume── suspended
                             │  └──suspend──▶ ┘  │
                             └─────close──────▶ closed ◀──┘   (closing: close requested,
                                                              not yet confirmed by the platform)

Only an ``active`` account receives posts. Suspending or closing cancels its queued posts.
"""

from __future__ import annotations

from enum import StrEnum

from domain.errors import InvalidInput, Refused


class Platform(StrEnum):
    WECHAT_OA = "wechat_oa"  # 微信公众号 订阅号
    WECHAT_SERVICE = "wechat_service"  # 微信服务号
    WEIBO = "weibo"  # 微博
    DOUYIN = "douyin"  # 抖音
    XIAOHONGSHU = "xiaohongshu"  # 小红书
    TOUTIAO = "toutiao"  # 今日头条
    KUAISHOU = "kuaishou"  # 快手
    BILIBILI = "bilibili"  # 哔哩哔哩
    WECHAT_CHANNELS = "wechat_channels"  # 视频号
    WEBSITE = "website"  # 门户网站栏目
    WEBHOOK = "webhook"  # 融媒体平台 / 内部系统


class AccountState(StrEnum):
    APPLYING = "applying"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSING = "closing"
    CLOSED = "closed"


_MOVES: dict[str, tuple[frozenset[AccountState], AccountState]] = {
    "activate": (frozenset({AccountState.APPLYING}), AccountState.ACTIVE),
    "suspend": (frozenset({AccountState.ACTIVE}), AccountState.SUSPENDED),
    "resume": (frozenset({AccountState.SUSPENDED}), AccountState.ACTIVE),
    "close": (
        frozenset(
            {
                AccountState.APPLYING,
                AccountState.ACTIVE,
                AccountState.SUSPENDED,
                AccountState.CLOSING,
            }
        ),
        AccountState.CLOSED,
    ),
}


def parse_platform(value: str) -> Platform:
    try:
        return Platform(value.strip().lower())
    except ValueError:
        known = ", ".join(p.value for p in Platform)
        raise InvalidInput(f"unknown platform {value!r}; known platforms: {known}") from None


def next_state(state: AccountState, move: str) -> AccountState:
    """The state after ``move`` (activate, suspend, resume, close), or :class:`Refused`."""
    allowed, target = _MOVES[move]
    if state not in allowed:
        raise Refused(f"account is {state.value}; cannot {move} it")
    return target
