"""Channel credentials read and written from a thread that runs an event loop (as the web
console's request handlers and Prefect's own async code do), not only from plain threads."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import pytest

from domain.errors import PermanentDeliveryError
from domain.settings import load
from flows import secrets
from flows.trigger import connect


@pytest.fixture
def api(prefect_ready: Path) -> None:
    connect(load(os.environ | {"MATRIXPUB_HOME": str(prefect_ready.parent / "home")}))


def test_credentials_are_read_inside_a_running_event_loop(api: None) -> None:
    name = f"creds-{uuid.uuid4().hex[:8]}"

    async def inside_a_loop() -> tuple[bool, dict[str, str], bool]:
        asyncio.get_running_loop()  # the synchronous calls below run under this loop
        before = secrets.secret_exists(name)
        secrets.save_secret(name, {"appid": "wx1", "appsecret": "s3cret"})
        return before, secrets.load_secret(name), secrets.secret_exists(name)

    before, value, after = asyncio.run(inside_a_loop())
    assert (before, value, after) == (False, {"appid": "wx1", "appsecret": "s3cret"}, True)


def test_a_missing_block_read_inside_an_event_loop_is_a_clear_delivery_error(api: None) -> None:
    async def inside_a_loop() -> None:
        secrets.load_secret("no-such-block-here")

    with pytest.raises(PermanentDeliveryError, match="does not exist"):
        asyncio.run(inside_a_loop())
