"""The link check never reaches into a non-public address (SSRF): not by name, not by
an IP spelling, not after a redirect; a refused address gives one finding whatever
listens there; only an explicit allow-list lets a local server through."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from channels.linkcheck import MAX_REDIRECTS, LinkChecker


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: list[tuple[str, str, str | None]] = []  # method, path, Host
        self.redirect_to: str | None = None

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        self.server.hits.append((self.command, self.path, self.headers.get("Host")))
        if self.path.startswith("/redirect") and self.server.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.server.redirect_to)
        elif self.path.startswith("/loop"):
            self.send_response(301)
            self.send_header("Location", "/loop")
        else:
            self.send_response(200 if self.path == "/ok" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/ok",
        "http://localhost:{port}/ok",
        "http://2130706433:{port}/ok",  # decimal
        "http://0177.0.0.1:{port}/ok",  # octal
        "http://0x7f.1:{port}/ok",
        "http://127.1:{port}/ok",
        "http://[::1]:{port}/ok",
        "http://[::ffff:127.0.0.1]:{port}/ok",  # IPv4-mapped IPv6
    ],
)
def test_loopback_in_any_spelling_is_not_fetched(server: _Server, url: str) -> None:
    status, error = LinkChecker().check(url.format(port=server.port))
    assert status is None and error is not None and error.startswith("refused")
    assert "loopback" in error
    assert server.hits == []


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.8/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://[fd00::1]/", "private"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://0.0.0.0/", "reserved"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://[2002:a00:1::]/", "private"),  # 6to4 around 10.0.0.1
    ],
)
def test_non_public_addresses_are_refused_before_connecting(url: str, why: str) -> None:
    status, error = LinkChecker().check(url)
    assert status is None and error is not None and error.startswith("refused")
    assert why in error


def test_a_name_resolving_to_loopback_is_refused_and_resolved_once(server: _Server) -> None:
    asked: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["93.184.215.14", "127.0.0.1"]  # one public answer does not excuse the other

    status, error = LinkChecker(resolver=resolver).check(
        f"http://www.example.gov.cn:{server.port}/ok"
    )
    assert status is None and error is not None and "loopback" in error
    assert asked == ["www.example.gov.cn"] and server.hits == []


def test_open_and_closed_ports_give_the_same_finding(server: _Server) -> None:
    checker = LinkChecker()
    open_ = checker.check(f"http://127.0.0.1:{server.port}/ok")
    closed = checker.check(f"http://127.0.0.1:{_closed_port()}/ok")
    assert open_ == closed and server.hits == []


def test_a_redirect_into_loopback_is_not_followed(server: _Server) -> None:
    inner = _Server()
    threading.Thread(target=inner.serve_forever, daemon=True).start()
    try:
        server.redirect_to = f"http://127.0.0.1:{inner.port}/ok"
        checker = LinkChecker(allow=[("127.0.0.1", server.port)])  # the "public" one
        status, error = checker.check(f"http://127.0.0.1:{server.port}/redirect")
        assert [hit[1] for hit in server.hits] == ["/redirect"]
        assert status is None and error is not None and "loopback" in error
        assert inner.hits == []
        server.redirect_to = f"http://2130706433:{inner.port}/ok"
        assert checker.check(f"http://127.0.0.1:{server.port}/redirect")[1].startswith("refused")
        assert inner.hits == []
    finally:
        inner.shutdown()
        inner.server_close()


def test_redirects_are_capped(server: _Server) -> None:
    checker = LinkChecker(allow=[("127.0.0.1", server.port)])
    status, error = checker.check(f"http://127.0.0.1:{server.port}/loop")
    assert status is None and error == f"more than {MAX_REDIRECTS} redirects"
    assert len(server.hits) == MAX_REDIRECTS + 1


def test_an_allowed_local_server_is_fetched_at_the_checked_address(server: _Server) -> None:
    """The allow-list is the one way through; the connection goes to the address that was
    checked, with the link's own name as the Host."""
    checker = LinkChecker(
        allow=[("127.0.0.1", server.port)], resolver=lambda host, port: ["127.0.0.1"]
    )
    assert checker.check(f"http://127.0.0.1:{server.port}/ok") == (200, None)
    assert checker.check(f"http://127.0.0.1:{server.port}/gone") == (404, None)
    assert checker.check(f"http://intranet.example:{server.port}/ok") == (200, None)
    assert server.hits[-1][2] == f"intranet.example:{server.port}"
    # another port of the same host is not allowed
    assert (
        LinkChecker(allow=[("127.0.0.1", server.port + 1)])
        .check(f"http://127.0.0.1:{server.port}/ok")[1]
        .startswith("refused")
    )


def test_a_refused_link_is_a_finding_that_says_it_was_not_fetched() -> None:
    from domain.proofread import link_finding

    url = "http://127.0.0.1:9/x"
    status, error = LinkChecker().check(url)
    finding = link_finding(0, len(url), url, status, error)
    assert finding is not None and finding.rule == "link:not_public"
    assert "未访问" in finding.message and "本机地址" in finding.message
