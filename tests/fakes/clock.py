"""A clock a test moves by hand, for fakes whose rules depend on time (token lifetimes).

clock = FakeClock()
fake = FakeWeChat(clock=clock)
clock.advance(301)          # five minutes and a second later, without sleeping
"""

from __future__ import annotations

import threading


class FakeClock:
    """Seconds on a monotonic scale, like ``time.monotonic()``, moved only by ``advance``."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._now += seconds
