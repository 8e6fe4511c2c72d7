"""Callbacks an in-process caller (the CLI's progress bar) may set while a flow runs
here. Kept apart from the flow modules so setting one never imports Prefect before
:func:`flows.runtime.configure` has set Prefect's environment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_progress: Callable[[int], None] | None = None


def progress(n: int) -> None:
    """Report ``n`` more items done, if someone listens."""
    if _progress is not None:
        _progress(n)


@contextmanager
def listening(callback: Callable[[int], None] | None) -> Iterator[None]:
    global _progress
    previous, _progress = _progress, callback
    try:
        yield
    finally:
        _progress = previous
