"""The shared HTTP session: environment proxy settings read once per host, NO_PROXY kept;
a plain exchange sent the short way, exactly as requests' own way would send it."""

from __future__ import annotations

import gzip
import ipaddress
import json
import socket
import ssl
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import urllib3

from channels.http import PlatformSession, Step, exchange
from domain.errors import OutcomeUnknown, TransientDeliveryError
from tests.fakes.server import Drop, FakeServer, Held, RequestRecord, Response


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
    # A port held bound and never listened on: connecting is refused, and no other socket of
    # the run can take the port meanwhile (a port freed first could be bound again at once).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with PlatformSession() as http, pytest.raises(requests.exceptions.ConnectionError):
            _exchange(http, f"http://127.0.0.1:{port}/h", "k-1")


# -- the short way's own connections --------------------------------------------------------
_STEP = Step("webhook", "POST", idempotent=False)


def _post(http: requests.Session, url: str, key: str, timeout: float = 5) -> requests.Response:
    return exchange(
        http,
        "POST",
        url,
        step=_STEP,
        timeout=timeout,
        data=b'{"a":1}',
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
    )


def test_a_plain_exchange_is_written_on_a_kept_connection_not_through_urllib3(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """urllib3's pool (its retry policy, timeouts and response objects) is not used for a
    plain exchange; the connection is kept for the next one."""
    pooled: list[str] = []
    original = urllib3.HTTPConnectionPool.urlopen

    def counting(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def]
        pooled.append(url)
        return original(self, method, url, *args, **kwargs)

    monkeypatch.setattr(urllib3.HTTPConnectionPool, "urlopen", counting)
    with _Echo() as fake, PlatformSession() as http:
        server: Any = fake._server
        connections: list[Any] = []
        accept = server.process_request
        server.process_request = lambda request, address: (
            connections.append(address),
            accept(request, address),
        )
        answers = [_post(http, f"{fake.url}/h", f"k-{n}") for n in range(3)]
    assert pooled == []
    assert [a.json() for a in answers] == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].headers["content-type"] == "application/json; charset=utf-8"
    assert len(connections) == 1, "one keep-alive connection for one exchange after another"


@pytest.mark.parametrize("session", [PlatformSession, requests.Session])
def test_failures_mean_what_they_meant_with_requests(session: type[requests.Session]) -> None:
    """Nothing sent, no answer in time, a dropped connection: classified the same on the
    short way as on requests' own."""
    # A port held bound and never listened on, so that the fake below cannot be given it.
    with socket.socket() as probe, _Echo() as fake, session() as http:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(TransientDeliveryError, match="nothing was sent"):
            _post(http, f"http://127.0.0.1:{port}/h", "k-0")
        held = Held(limit=30)
        fake.inject("/h", held)
        try:
            with pytest.raises(OutcomeUnknown, match="no answer within"):
                _post(http, f"{fake.url}/h", "k-1", timeout=0.3)
        finally:
            held.release.set()
        fake.inject("/h", Drop())
        with pytest.raises(OutcomeUnknown, match="connection dropped"):
            _post(http, f"{fake.url}/h", "k-2")
        assert _post(http, f"{fake.url}/h", "k-3").json() == {"id": 3}  # and on it goes
    assert [r.headers["Idempotency-Key"] for r in fake.calls("/h")] == ["k-1", "k-2", "k-3"]


@pytest.mark.parametrize("session", [PlatformSession, requests.Session])
def test_a_connection_the_server_closed_meanwhile_is_not_written_into(
    session: type[requests.Session],
) -> None:
    """A server that hangs up a kept connection after its answer: the next request goes
    on a new connection, not into the dead one (where it would be lost after sending)."""
    accepted: list[int] = []
    hung_up = threading.Event()
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        port = server.getsockname()[1]

        def serve() -> None:
            for n in range(2):
                conn, _ = server.accept()
                accepted.append(n)
                with conn:
                    data = b""
                    while b"\r\n\r\n" not in data or not data.endswith(b'{"a":1}'):
                        data += conn.recv(65536)
                    body = b'{"n":%d}' % n
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                    )
                    conn.shutdown(socket.SHUT_RDWR)  # no "Connection: close" said
                hung_up.set()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        with session() as http:
            first = _post(http, f"http://127.0.0.1:{port}/h", "k-1")
            assert first.json() == {"n": 0}
            assert hung_up.wait(10)
            second = _post(http, f"http://127.0.0.1:{port}/h", "k-2")
        thread.join(10)
    assert second.json() == {"n": 1} and accepted == [0, 1]


class _Gzipped(FakeServer):
    def handle(self, request: RequestRecord) -> Response:
        body = gzip.compress(json.dumps({"ok": "已收到"}, ensure_ascii=False).encode())
        return Response(200, body, headers=(("Content-Encoding", "gzip"),))


@pytest.mark.parametrize("session", [PlatformSession, requests.Session])
def test_a_compressed_answer_is_read_decompressed(session: type[requests.Session]) -> None:
    with _Gzipped() as fake, session() as http:
        answer = _post(http, f"{fake.url}/h", "k-1")
        (seen,) = fake.calls("/h")
    assert answer.json() == {"ok": "已收到"}
    assert seen.headers.get("Accept-Encoding") == requests.utils.DEFAULT_ACCEPT_ENCODING


class _Tls(_Echo):
    """The echo server over TLS, with a certificate for 127.0.0.1 of its own."""

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__()
        self.context = context

    def start(self) -> FakeServer:
        super().start()
        assert self._server is not None
        self._server.socket = self.context.wrap_socket(self._server.socket, server_side=True)
        return self

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"


def _certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.mark.parametrize("session", [PlatformSession, requests.Session])
def test_tls_is_verified_as_requests_verifies_it(
    session: type[requests.Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A certificate no trusted authority signed is refused (nothing sent); trusted through
    REQUESTS_CA_BUNDLE, the same server is reached."""
    cert_file, key_file = _certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with _Tls(context) as fake:
        with session() as http, pytest.raises(TransientDeliveryError, match="TLS handshake"):
            _post(http, f"{fake.url}/h", "k-1")
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert_file))
        with session() as http:
            answer = _post(http, f"{fake.url}/h", "k-2")
        calls = fake.calls("/h")
    assert answer.json() == {"id": 1}
    assert [r.headers["Idempotency-Key"] for r in calls] == ["k-2"]
