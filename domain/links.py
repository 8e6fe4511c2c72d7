"""Which links may be shown to the public. A link that goes out to a platform's readers
must be a public address: not a file on this computer, not this computer (loopback), not
an address only a private network knows."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_PRIVATE_SUFFIXES = (".local", ".localdomain", ".internal", ".intranet", ".lan", ".home.arpa")


def not_public(url: str) -> str | None:
    """Why ``url`` is not a public address (one line, fit to show), or None when it is."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "file":
        return "a file on this computer"
    if scheme not in ("http", "https"):
        return f"a {scheme or 'relative'} address"
    try:
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return "not a well-formed address"
    if not host:
        return "an address without a host"
    if host == "localhost" or host.endswith(".localhost"):
        return "this computer (loopback)"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if "." not in host or host.endswith(_PRIVATE_SUFFIXES):
            return "a name only a private network knows"
        return None
    if address.is_loopback:
        return "this computer (loopback)"
    if (
        address.is_private
        or address.is_link_local
        or address.is_unspecified
        or address.is_reserved
        or address.is_multicast
    ):
        return "a private network address"
    return None
