"""The shared HTTP session: environment proxy settings read once per host, NO_PROXY kept;
a plain exchange sent the short way, exactly as requests' own way would send it."""

from __future__ import annotations

import socket
from typing import Any

import pytest
import requests

from channels.http import PlatformSession
from tests.fakes.server import FakeServer, RequestRecord, Response


def test_proxies_come_from_the_environment_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.example")
    for name in ("https_proxy", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with PlatformSession() as http:
        out = http.merge_environment_settings(
            "https://api.weixin.qq.com/cgi-bin/x", {}, None, None, None
        )
        assert out["proxies"].get("https") == "http://proxy.example:3128"
        inside = http.merge_environment_settings(
            "https://intranet.example/hook", {}, None, None, None
        )
        assert not inside["proxies"].get("https"), "NO_PROXY must keep the intranet host direct"


def test_the_environment_is_read_once_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    original = PlatformSession.__mro__[1].merge_environment_settings

    def counting(self, url, proxies, stream, verify, cert):  # type: ignore[no-untyped-def]
        reads.append(url)
        return original(self, url, proxies, stream, verify, cert)

    monkeypatch.setattr(PlatformSession.__mro__[1], "merge_environment_settings", counting)
    with PlatformSession() as http:
        for n in range(5):
            out = http.merge_environment_settings(f"https://a.example/{n}", {}, None, None, None)
            out["proxies"]["https"] = "changed by a caller"  # a caller's copy, not the cache
        http.merge_environment_settings("https://b.example/", {}, None, None, None)
        again = http.merge_environment_settings("https://a.example/x", {}, None, None, None)
    assert reads == ["https://a.example/0", "https://b.example/"]
    assert again["proxies"].get("https") != "changed by a caller"


def test_explicit_settings_are_not_cached() -> None:
    with PlatformSession() as http:
        out = http.merge_environment_settings(
            "https://a.example/", {"https": "http://p:1"}, None, False, None
        )
    assert out["proxies"]["https"] == "http://p:1" and out["verify"] is False


# -- the short way of a plain exchange -------------------------------------------------------
class _Echo(FakeServer):
    """Answers every request with 200 and a small JSON body; sets a cookie when asked to."""

    set_cookie = False

    def handle(self, request: RequestRecord) -> Response:
        headers = (("Set-Cookie", "lb=node-2; Path=/"),) if self.set_cookie else ()
        return Response.json({"id": len(self.requests)}, headers=headers)


def _sent_the_long_way(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs requests' own ``Session.send`` sent (the short way does not call it)."""
    sent: list[str] = []
    original = requests.Session.send

    def counting(self, request, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(request.url)
        return original(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", counting)
    return sent


def _exchange(http: requests.Session, url: str, key: str) -> requests.Response:
    return http.request(
        "POST",
        url,
        data='{"标题":"通知"}'.encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key},
        timeout=(5, 5),
        allow_redirects=False,
    )


def test_a_plain_exchange_sends_what_requests_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with _Echo() as fake, PlatformSession() as http, requests.Session() as plain:
        long_way = _sent_the_long_way(monkeypatch)
        url = f"{fake.url}/hooks/x?a=1&b=%E4%B8%AD"
        short = _exchange(http, url, "k-1")
        assert long_way == [], "a plain exchange goes the short way"
        reference = _exchange(plain, url, "k-1")
        assert long_way == [reference.url]
        ours, theirs = fake.calls("/hooks/x")
    assert (short.status_code, short.json(), short.url) == (200, {"id": 1}, reference.url)
    assert short.request.url == reference.request.url
    assert (ours.method, ours.query, ours.body) == (theirs.method, theirs.query, theirs.body)
    assert ours.headers == theirs.headers  # the session's headers too, in the same order


def test_a_header_set_to_none_leaves_the_sessions_out() -> None:
    seen = []
    for http in (PlatformSession(), requests.Session()):
        with _Echo() as fake, http:
            http.request(
                "POST",
                f"{fake.url}/h",
                data=b"{}",
                headers={"User-Agent": None, "accept": "application/json"},
                timeout=5,
                allow_redirects=False,
            )
            (record,) = fake.calls("/h")
            seen.append({k.lower(): v for k, v in record.headers.items() if k != "Host"})
    ours, theirs = seen
    assert ours == theirs
    assert ours["accept"] == "application/json" and "python-requests" not in ours["user-agent"]


def test_a_cookie_the_platform_sets_is_sent_back(monkeypatch: pytest.MonkeyPatch) -> None:
    with _Echo() as fake, PlatformSession() as http:
        long_way = _sent_the_long_way(monkeypatch)
        fake.set_cookie = True
        _exchange(http, f"{fake.url}/h", "k-1")
        assert long_way == [] and http.cookies.get("lb") == "node-2"
        fake.set_cookie = False
        _exchange(http, f"{fake.url}/h", "k-2")  # a cookie to send: requests' own way
        assert len(long_way) == 1
        first, second = fake.calls("/h")
    assert "Cookie" not in first.headers and second.headers.get("Cookie") == "lb=node-2"


def test_a_proxy_or_netrc_credentials_take_requests_own_way(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    with _Echo() as fake:
        long_way = _sent_the_long_way(monkeypatch)
        netrc = tmp_path / ".netrc"
        netrc.write_text("machine 127.0.0.1 login robot password s3cret\n")
        netrc.chmod(0o600)
        monkeypatch.setenv("NETRC", str(netrc))
        with PlatformSession() as http:
            _exchange(http, f"{fake.url}/h", "k-1")
        assert len(long_way) == 1
        (seen,) = fake.calls("/h")
        assert seen.headers.get("Authorization", "").startswith("Basic ")
        monkeypatch.delenv("NETRC")
        with PlatformSession() as http:
            http.proxies = {"http": "http://127.0.0.1:9"}  # nothing listens there
            with pytest.raises(requests.exceptions.ProxyError):
                _exchange(http, f"{fake.url}/h", "k-2")
        assert len(long_way) == 2


def test_the_short_way_raises_what_requests_raises() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with PlatformSession() as http, pytest.raises(requests.exceptions.ConnectionError):
        _exchange(http, f"http://127.0.0.1:{port}/h", "k-1")
