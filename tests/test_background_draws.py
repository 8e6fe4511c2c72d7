"""What runs in the tests' background leaves the random module's state alone.

Prefect's events worker pings its server over a websocket every few seconds, from a thread
of its own; a ping's payload drawn from the random module in the middle of a property
test's example reads, to Hypothesis, as the test's own use of ``random`` (it warns, and will
fail such a test). ``tests/conftest.py`` gives those draws a generator of their own."""

from __future__ import annotations

import asyncio
import random

from prefect.utilities.math import clamped_poisson_interval
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve


def test_a_websocket_ping_leaves_the_random_state_alone() -> None:
    async def ping_once() -> None:
        async def echo(websocket) -> None:  # type: ignore[no-untyped-def]
            async for message in websocket:
                await websocket.send(message)

        async with serve(echo, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            async with connect(f"ws://127.0.0.1:{port}") as websocket:
                state = random.getstate()
                pong = await websocket.ping()
                await asyncio.wait_for(pong, timeout=30)
                assert random.getstate() == state

    asyncio.run(ping_once())


def test_prefect_services_jitter_leaves_the_random_state_alone() -> None:
    state = random.getstate()
    waits = {clamped_poisson_interval(10.0) for _ in range(20)}
    assert random.getstate() == state
    assert len(waits) > 1
