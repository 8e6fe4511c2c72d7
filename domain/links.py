"""Which links may be shown to the public, and which addresses a link check may connect
to. A link that goes out to a platform's readers must be a public address: not a file on
this computer, not this computer (loopback), not an address only a private network
knows. The link check (错敏) fetches only addresses :func:`refused_address` lets through,
so a draft cannot make the server reach into its own network (SSRF)."""

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
    address = ip_spelling(host)
    if address is None:
        if "." not in host or host.endswith(_PRIVATE_SUFFIXES):
            return "a name only a private network knows"
        return None
    return refused_address(address)


def ip_spelling(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address ``host`` spells, read the way the C resolver (``inet_aton``) reads
    it: besides ``127.0.0.1``, also ``2130706433``, ``0177.0.0.1``, ``0x7f.1`` and
    ``127.1``; an IPv6 literal (``::ffff:127.0.0.1``). None for a name."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    numbers: list[int] = []
    for part in parts:
        try:
            if part.lower().startswith("0x"):
                numbers.append(int(part[2:], 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10) if part.isdigit() else -1)
        except ValueError:
            return None
    if any(n < 0 for n in numbers):
        return None
    *front, last = numbers
    if any(n > 255 for n in front) or last >= 256 ** (4 - len(front)):
        return None
    value = 0
    for n in front:
        value = value * 256 + n
    value = value * 256 ** (4 - len(front)) + last
    return ipaddress.IPv4Address(value)


def refused_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why a link check must not connect to ``address`` (one line), or None when it is a
    public unicast address. IPv4 carried inside IPv6 (mapped ``::ffff:a.b.c.d``,
    compatible ``::a.b.c.d``, 6to4, Teredo) is judged by the IPv4 address it carries."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address.teredo is not None:
            inner = address.teredo[1]
        if inner is None and int(address) >> 32 == 0 and int(address) > 1:
            inner = ipaddress.IPv4Address(int(address))  # ::a.b.c.d (IPv4-compatible)
        if inner is not None:
            return refused_address(inner)
    if address.is_loopback:
        return "this computer (loopback)"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_unspecified or address.is_reserved:
        return "a reserved address"
    if address.is_private or not address.is_global:
        return "a private network address"
    return None
