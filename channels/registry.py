"""Every channel matrixpub knows, listed in one place."""

from __future__ import annotations

from channels.base import Channel, ChannelConfig, ChannelSpec
from channels.website import WebsiteChannel

CHANNEL_CLASSES: tuple[type, ...] = (WebsiteChannel,)

SPECS: dict[str, ChannelSpec] = {cls.key: cls.spec for cls in CHANNEL_CLASSES}


def known_keys() -> tuple[str, ...]:
    return tuple(SPECS)


def build(config: ChannelConfig) -> dict[str, Channel]:
    """One configured instance of every channel."""
    return {cls.key: cls(config) for cls in CHANNEL_CLASSES}


def spec(key: str) -> ChannelSpec:
    return SPECS[key]
