"""The audit key: the HMAC key of the audit chain (:mod:`sqlmodel_db.audit`), kept in a
Prefect ``Secret`` block, never in our database, so that write access to our tables
is not enough to re-hash a changed chain.

The block (:data:`BLOCK`) is made the first time an event is written to a chain that
has no keyed event yet; after that, a missing or unreadable block stops every write
with a one-line error instead of starting a new key (which would look like a forged
chain). Keep a copy of the key where the organisation keeps its other secrets: losing
it means the keyed part of the chain can no longer be verified.

A face reads the block over Prefect's REST API without importing Prefect (about a
second of CPU, more than the rest of a gate decision) when a Prefect server is already
up: ``PREFECT_API_URL``, the server ``matrixpub serve`` runs, or the background server
(:mod:`flows.background`). Any other answer than "here is the key" or "there is no such
block" (a server still starting or gone, an error, a server asking for credentials),
and the first key ever made, go through Prefect itself as before.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets as _random
import sys
import urllib.error
import urllib.parse
import urllib.request

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


def _missing() -> audit.AuditKeyUnavailable:
    return audit.AuditKeyUnavailable(
        "the audit key (Prefect Secret block {BLOCK!r}) is missing, though the audit "
        "chain is keyed; restore the block from the organisation's copy",
        BLOCK=BLOCK,
    )


def _checked(value: object) -> bytes:
    text = str(value).strip()
    if len(text) < 32:
        raise _unreachable(
            MatrixpubError("the block does not hold a key of at least 32 characters")
        )
    return text.encode("utf-8")


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
                raise _missing() from None
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
    return _checked(value)


def _running_api(settings: Settings) -> str | None:
    """The API of a Prefect server that is up already, found without starting anything
    (the same one :func:`flows.trigger.connect` would use), or None."""
    from flows import background
    from flows.runtime import configure

    runtime = configure(settings)
    if runtime.mode == "server":
        return runtime.api_url
    if not background.enabled():
        return None
    record = background.recorded(settings)
    if record is None:
        return None
    background.touch(settings)  # a command used it: its idle time starts again
    return str(record["api_url"])


def _headers() -> dict[str, str]:
    """What Prefect's own client would send to authenticate, when it is in the
    environment (a server that asks for more answers 401: Prefect's client is used)."""
    headers = {"Accept": "application/json"}
    if key := os.environ.get("PREFECT_API_KEY"):
        headers["Authorization"] = f"Bearer {key}"
    elif auth := os.environ.get("PREFECT_API_AUTH_STRING"):
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return headers


def read_key_over_http(api_url: str, *, create: bool, timeout: float = 10.0) -> bytes | None:
    """The key read with one GET of Prefect's REST API (the route Prefect's client uses
    for ``Secret.load``), or None when only Prefect's client can tell: the server is not
    answering, answers anything but the block or "no such block", or the block is to be
    made now."""
    url = (
        f"{api_url.rstrip('/')}/block_types/slug/secret/block_documents/name/"
        f"{urllib.parse.quote(BLOCK)}?include_secrets=true"
    )
    request = urllib.request.Request(url, headers=_headers())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            document = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            return None
        try:
            detail = json.loads(exc.read()).get("detail")
        except (OSError, ValueError, AttributeError):
            return None
        if detail != "Block document not found" or create:
            return None  # not Prefect's answer for a missing block; or: make it now
        raise _missing() from None
    except (OSError, ValueError):  # refused, reset, timed out; not JSON
        return None
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict) or "value" not in data:
        return None
    return _checked(data["value"])


def source_for(settings: Settings) -> audit.KeySource:
    """Where a face (CLI, web console) gets the key: Prefect's API (a server's, or the
    embedded one, started when needed), asked once per process; over plain HTTP when a
    server is up already."""

    def load(create: bool) -> bytes:
        if "prefect.context" in sys.modules:  # else no flow or task can be running here
            from prefect.context import FlowRunContext, TaskRunContext

            if FlowRunContext.get() is not None or TaskRunContext.get() is not None:
                # Inside a flow or task (also in its worker threads), Prefect's API is in
                # use already; entering its settings again from such a thread would leave
                # them to be unwound in another context.
                return read_key(create=create)
        api_url = _running_api(settings)
        if api_url is not None:
            key = read_key_over_http(api_url, create=create)
            if key is not None:
                return key
        from flows.trigger import connect

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
