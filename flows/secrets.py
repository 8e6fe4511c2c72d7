"""Channel credentials live in Prefect ``Secret`` blocks, referenced by name from the
account record; they never enter our tables, logs or error messages.

A block holds either a JSON object of credential fields (``{"appid": ..., "appsecret":
...}``) or a single string, read as ``{"token": ...}``. Prefect encrypts block values
with a key kept in its own database unless ``PREFECT_SERVER_ENCRYPTION_KEY`` is set.
"""

from __future__ import annotations

import re
from typing import Any

from domain.errors import InvalidInput, PermanentDeliveryError

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def check_block_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise InvalidInput(
            "secret block name {name!r} must be lowercase letters, digits and dashes", name=name
        )
    return name


# Always Prefect's synchronous client (``_sync``): these are called from threads that may
# run an event loop (the web console), where ``load`` would return a coroutine.
def load_secret(name: str) -> dict[str, str]:
    from prefect.blocks.system import Secret

    try:
        value: Any = Secret.load(name, _sync=True).get()
    except ValueError as exc:
        if "Unable to find block document" in str(exc):
            raise PermanentDeliveryError(f"the secret block {name!r} does not exist") from None
        raise PermanentDeliveryError(
            f"the secret block {name!r} could not be read: Prefect's API is not reachable"
        ) from None
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {"token": str(value)}


def save_secret(name: str, value: dict[str, str], *, overwrite: bool = False) -> None:
    from prefect.blocks.system import Secret

    Secret(value=value).save(check_block_name(name), overwrite=overwrite, _sync=True)


def secret_exists(name: str) -> bool:
    from prefect.blocks.system import Secret

    try:
        Secret.load(name, _sync=True)
    except ValueError as exc:
        if "Unable to find block document" in str(exc):
            return False
        raise PermanentDeliveryError(
            f"the secret block {name!r} could not be read: Prefect's API is not reachable"
        ) from None
    return True
