"""What a flow run did, said in its log (the Prefect UI shows it on the run's page) and in
its final state: a run that left posts failed ends "Completed with failures"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def summary(text: str, *, problems: Iterable[str] = ()) -> None:
    """One INFO line ``Summary: ...`` for the run, then a WARNING line per problem."""
    from prefect import get_run_logger

    logger = get_run_logger()
    logger.info("Summary: %s", text)
    for problem in problems:
        logger.warning("%s", problem)


def final_state(result: dict[str, Any], *, failed: int, unknown: int, message: str) -> Any:
    """The run's result as its final state: Completed, or "Completed with failures" (still
    a completed run: the dispatcher did its work) when posts failed or their outcome is
    unknown, with how many in its message."""
    from prefect.states import Completed

    if not failed and not unknown:
        return Completed(data=result, message=message)
    parts = []
    if failed:
        parts.append(f"{failed} post{'s' if failed != 1 else ''} failed")
    if unknown:
        parts.append(f"{unknown} of unknown outcome")
    return Completed(
        data=result,
        name="Completed with failures",
        message=f"{', '.join(parts)}; see `matrixpub alerts`. {message}",
    )
