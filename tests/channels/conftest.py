"""Fixtures for the channel tests: fake platforms on 127.0.0.1 and a real HTTP session."""

from __future__ import annotations

import io
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from PIL import Image

from channels.base import ChannelConfig, Target
from tests.fakes import FakeWebhook, FakeWeChat, FakeWeibo

SITE_URL = "https://www.example.gov.cn"


@pytest.fixture
def channel_config(tmp_path: Path) -> ChannelConfig:
    # A short timeout keeps the timeout tests fast; loopback answers take milliseconds.
    return ChannelConfig(
        site_dir=tmp_path / "site",
        site_url=SITE_URL,
        package_dir=tmp_path / "packages",
        http_timeout=0.5,
    )


@pytest.fixture
def http() -> Iterator[requests.Session]:
    session = requests.Session()
    session.trust_env = False  # never route loopback through a proxy from the environment
    yield session
    session.close()


@pytest.fixture
def wechat_fake() -> Iterator[FakeWeChat]:
    with FakeWeChat() as fake:
        yield fake


@pytest.fixture
def weibo_fake() -> Iterator[FakeWeibo]:
    with FakeWeibo(safe_domain="www.example.gov.cn") as fake:
        yield fake


@pytest.fixture
def webhook_fake() -> Iterator[FakeWebhook]:
    with FakeWebhook(signing_secret="whsec-test-4f1c9a") as fake:
        yield fake


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 that nothing listens on (connection refused): held bound, never
    listened on, until the test ends, so that no other socket of the run is given it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def _picture(
    width: int = 1600, height: int = 900, color: str = "#3366aa", fmt: str = "JPEG"
) -> bytes:
    image = Image.new("RGB", (width, height), color)
    for x in range(0, width, 40):  # some detail so the encoded sizes are realistic
        image.paste("#ffffff", (x, 0, x + 4, height))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def picture() -> Callable[..., bytes]:
    """Makes a picture: ``picture(width, height, color, fmt)`` → encoded bytes."""
    return _picture


@pytest.fixture
def make_target() -> Callable[..., Target]:
    def make(platform: str, *, url: str | None = None, account_id: int = 7) -> Target:
        return Target(
            account_id=account_id,
            platform=platform,
            name="某市发布",
            unit="某市人民政府新闻办公室",
            platform_id="gh_0123456789ab",
            url=url,
        )

    return make
