"""The 错敏 link check's fetcher: asks whether each link in a draft answers, without
letting a draft make the server reach into its own network (SSRF).

For each URL, and again for every redirect it gives:

- the host is resolved once (an IP spelling such as ``2130706433`` or ``0177.0.0.1`` is
  read as the resolver reads it);
- every address it resolves to must be public (:func:`domain.links.refused_address`:
  no loopback, private, link-local, multicast or reserved address, IPv4 or IPv6,
  mapped forms included); otherwise the link is *not fetched* and reported as such;
- the connection goes to the address that was checked, never to a second resolution of
  the name (a DNS answer that changes between check and connect cannot slip through);
  HTTPS still verifies the certificate against the name;
- at most :data:`MAX_REDIRECTS` redirects are followed and at most :data:`MAX_BYTES` of
  a body are read.

A refused address gives the same result whatever listens there, and every failure to
connect gives one and the same message, so the check cannot be used to scan ports.

``allow`` (``MATRIXPUB_LINK_CHECK_ALLOW``, ``host:port`` entries) names the few
non-public endpoints that may be fetched anyway: a test's local server, an intranet
page the organisation means to link to. Nothing else gets through.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Collection, Sequence
from urllib.parse import urljoin, urlsplit

from domain.links import ip_spelling, refused_address
from domain.proofread.links import REFUSED, UNREACHABLE, UNTRUSTED  # the reasons it gives

LinkStatus = tuple[int | None, str | None]  # HTTP status, or why there was none
MAX_REDIRECTS = 5
MAX_BYTES = 64 * 1024
TIMEOUT = 5.0
_REDIRECTS = (301, 302, 303, 307, 308)
Resolver = Callable[[str, int], Sequence[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, once."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, address: str, host: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, address: str, host: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


class LinkChecker:
    """Fetches links under the rules of this module."""

    def __init__(
        self,
        *,
        allow: Collection[tuple[str, int]] = (),
        resolver: Resolver = system_resolver,
        timeout: float = TIMEOUT,
    ) -> None:
        self.allow = {(host.lower(), port) for host, port in allow}
        self.resolver = resolver
        self.timeout = timeout

    def _address(self, host: str, port: int) -> str:
        """The one checked address to connect to; raises _Refused or OSError."""
        allowed = (host, port) in self.allow
        spelled = ip_spelling(host)
        addresses = [str(spelled)] if spelled is not None else list(self.resolver(host, port))
        if not addresses:
            raise OSError("no address")
        for address in addresses:
            if allowed or (str(ipaddress.ip_address(address)), port) in self.allow:
                continue
            why = refused_address(ipaddress.ip_address(address))
            if why is not None:
                raise _Refused(f"{REFUSED}: {why}, not fetched")
        return addresses[0]

    def _once(self, method: str, url: str) -> tuple[int, str | None]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise _Refused(f"{REFUSED}: a {scheme or 'relative'} address, not fetched")
        try:
            host = (parts.hostname or "").lower().rstrip(".")
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise _Refused(f"{REFUSED}: not a well-formed address, not fetched") from None
        if not host:
            raise _Refused(f"{REFUSED}: an address without a host, not fetched")
        address = self._address(host, port)
        kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        connection = kind(address, host, port, self.timeout)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request(method, path, headers={"User-Agent": "matrixpub-linkcheck"})
            response = connection.getresponse()
            if method == "GET":
                response.read(MAX_BYTES)
            location = response.getheader("Location")
            return response.status, location
        finally:
            connection.close()

    def check(self, url: str) -> LinkStatus:
        """The final HTTP status after redirects, or (None, why) when there is none."""
        try:
            for _ in range(MAX_REDIRECTS + 1):
                status, location = self._once("HEAD", url)
                if status in (403, 405, 501) or status >= 500:
                    status, location = self._once("GET", url)
                if status in _REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                return status, None
            return None, f"more than {MAX_REDIRECTS} redirects"
        except _Refused as exc:
            return None, str(exc)
        except ssl.SSLError:
            return None, UNTRUSTED
        except (OSError, http.client.HTTPException, UnicodeError):
            return None, UNREACHABLE

    def check_all(self, urls: Sequence[str], *, workers: int = 8) -> dict[str, LinkStatus]:
        """Every URL checked, a few at a time. The workers are daemon threads: a command
        stopped meanwhile (Ctrl-C, SIGTERM) exits without waiting for a slow page."""
        pending = iter(urls)
        lock = threading.Lock()
        results: dict[str, LinkStatus] = {}

        def work() -> None:
            while True:
                with lock:
                    url = next(pending, None)
                if url is None:
                    return
                results[url] = self.check(url)

        threads = [
            threading.Thread(target=work, name="link-check", daemon=True)
            for _ in range(min(workers, len(urls)))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {url: results[url] for url in urls}


class _Refused(Exception):
    pass
