"""Every channel matrixpub knows, listed in one place."""

from __future__ import annotations

import inspect

from channels.base import Channel, ChannelConfig, ChannelSpec
from channels.manual import (
    BilibiliChannel,
    DouyinChannel,
    KuaishouChannel,
    ToutiaoChannel,
    WechatChannelsChannel,
    XiaohongshuChannel,
)
from channels.webhook import WebhookChannel
from channels.website import WebsiteChannel
from channels.wechat import WeChatOAChannel, WeChatServiceChannel
from channels.weibo import WeiboChannel

CHANNEL_CLASSES: tuple[type, ...] = (
    WeChatOAChannel,  # 微信公众号 订阅号: API
    WeChatServiceChannel,  # 微信服务号: API
    WeiboChannel,  # 微博: API
    DouyinChannel,  # 抖音: manual package
    XiaohongshuChannel,  # 小红书: manual package
    ToutiaoChannel,  # 今日头条: manual package
    KuaishouChannel,  # 快手: manual package
    BilibiliChannel,  # 哔哩哔哩: manual package
    WechatChannelsChannel,  # 视频号: manual package
    WebsiteChannel,  # 门户网站: static site
    WebhookChannel,  # 融媒体平台 / internal systems: signed HTTP POST
)

SPECS: dict[str, ChannelSpec] = {cls.key: cls.spec for cls in CHANNEL_CLASSES}


def known_keys() -> tuple[str, ...]:
    return tuple(SPECS)


def build(config: ChannelConfig) -> dict[str, Channel]:
    """One configured instance of every channel; API channels get their host from
    ``config.api_hosts`` when one is set there."""
    channels: dict[str, Channel] = {}
    for cls in CHANNEL_CLASSES:
        host = config.api_host(cls.key)
        if host and "base_url" in inspect.signature(cls.__init__).parameters:
            channels[cls.key] = cls(config, base_url=host)
        else:
            channels[cls.key] = cls(config)
    return channels


def spec(key: str) -> ChannelSpec:
    return SPECS[key]
