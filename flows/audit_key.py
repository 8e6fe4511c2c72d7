"""The audit key: the HMAC key of the audit chain (:mod:`sqlmodel_db.audit`), kept in a
Prefect ``Secret`` block, never in our database, so that write access to our tables
is not enough to re-hash a changed chain.

The block (:data:`BLOCK`) is made the first time an event is written to a chain that
has no keyed event yet; after that, a missing or unreadable block stops every write
with a one-line error instead of starting a new key (which would look like a forged
chain). Keep a copy of the key where the organisation keeps its other secrets: losing
it means the keyed part of the chain can no longer be verified.
"""

from __future__ import annotations

import contextlib
import secrets as _random

from domain.errors import MatrixpubError
from domain.settings import Settings
from sqlmodel_db import audit

BLOCK = "matrixpub-audit-key"


def _unreachable(reason: MatrixpubError) -> audit.AuditKeyUnavailable:
    """``reason`` is an error of its own, so that each face shows it in its language."""
    return audit.AuditKeyUnavailable(
        "the audit key (Prefect Secret block {BLOCK!r}) cannot be read: {reason}; nothing was "
        "changed",
        BLOCK=BLOCK,
        reason=reason,
    )


def read_key(*, create: bool) -> bytes:
    """The key from the block, made now when ``create`` and there is none yet. Prefect's
    API must already be usable in this process (inside a flow, or after ``connect``).
    Always Prefect's synchronous client (``_sync``): a write may come from a thread
    that runs an event loop (the web console), where ``load`` would return a coroutine."""
    from prefect.blocks.system import Secret

    try:
        try:
            value = Secret.load(BLOCK, _sync=True).get()
        except ValueError as exc:
            if "Unable to find block document" not in str(exc):
                raise _unreachable(MatrixpubError("Prefect's API is not reachable")) from None
            if not create:
                raise audit.AuditKeyUnavailable(
                    "the audit key (Prefect Secret block {BLOCK!r}) is missing, though the audit "
                    "chain is keyed; restore the block from the organisation's copy",
                    BLOCK=BLOCK,
                ) from None
            # Another process may make it first (ValueError): then theirs is used.
            with contextlib.suppress(ValueError):
                Secret(value=_random.token_hex(32)).save(BLOCK, overwrite=False, _sync=True)
            value = Secret.load(BLOCK, _sync=True).get()
    except audit.AuditKeyUnavailable:
        raise
    except Exception as exc:  # an HTTP or connection failure on the way to Prefect
        raise _unreachable(
            MatrixpubError("Prefect's API is not reachable ({kind})", kind=type(exc).__name__)
        ) from None
    text = str(value).strip()
    if len(text) < 32:
        raise _unreachable(
            MatrixpubError("the block does not hold a key of at least 32 characters")
        )
    return text.encode("utf-8")


def source_for(settings: Settings) -> audit.KeySource:
    """Where a face (CLI, web console) gets the key: Prefect's API (a server's, or the
    embedded one, started when needed), asked once per process."""

    def load(create: bool) -> bytes:
        from prefect.context import FlowRunContext, TaskRunContext

        from flows.trigger import connect

        if FlowRunContext.get() is not None or TaskRunContext.get() is not None:
            # Inside a flow or task (also in its worker threads), Prefect's API is in use
            # already; entering its settings again from such a thread would leave them
            # to be unwound in another context.
            return read_key(create=create)
        try:
            connect(settings)
        except Exception as exc:
            raise _unreachable(
                MatrixpubError("Prefect did not start ({kind})", kind=type(exc).__name__)
            ) from None
        return read_key(create=create)

    return load


def install(settings: Settings) -> None:
    """Use the Prefect Secret block as this process's audit key source, unless a source
    is set already (a flow inside a face's process keeps the face's)."""
    if audit.key_source() is None:
        audit.use_key_source(source_for(settings))
