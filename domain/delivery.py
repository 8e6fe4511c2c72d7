"""Delivery rules shared by the dispatcher and the channels."""

from __future__ import annotations

import re

_KEY = re.compile(r"^mp-(\d+)-[0-9a-f]{16}$")


def idempotency_key(post_id: int, variant_hash: str) -> str:
    """The key every attempt of one post carries: the post and the exact variant."""
    return f"mp-{post_id}-{variant_hash[:16]}"


def post_id_of(key: str) -> int | None:
    """The post an idempotency key belongs to, or None for a key of another form."""
    match = _KEY.match(key or "")
    return int(match.group(1)) if match else None
