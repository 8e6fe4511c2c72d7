"""The base of the fake platform servers: a real HTTP/1.1 server on 127.0.0.1.

A fake runs ``http.server.ThreadingHTTPServer`` in a background thread on a free port.
Every request is parsed (query, JSON, form, multipart files) into a
:class:`RequestRecord` and kept in a thread-safe list; subclasses answer it in
:meth:`FakeServer.handle`. Faults are queued per path and consumed one per request::

    fake.inject("/cgi-bin/draft/add", Reply(json={"errcode": 45009}), times=2)
    fake.inject("/cgi-bin/freepublish/submit", Slow(2.0))     # acts, then answers late
    fake.inject("/cgi-bin/draft/add", Drop())                  # acts, then hangs up
    fake.inject("/cgi-bin/token", Status(500))
    fake.inject("/2/statuses/share.json", Acted(502))     # acts, then a gateway answers 502
    fake.inject("/2/statuses/share.json", held := Held())  # acts, answers on held.release

``Slow``, ``Drop`` and ``Acted`` act on the request first (``Slow`` and ``Drop`` by default,
``act=True``): that is the dangerous case, where the platform did the work and only the
answer was lost.

Responses are written in one send: the handler's ``wfile`` is buffered (``wbufsize = -1``)
and flushed once per request, so keep-alive requests do not stall on Nagle plus delayed
ACK (~40 ms each otherwise; see SERVICES.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class UploadedFile:
    field: str
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass
class RequestRecord:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = field(repr=False)
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    fault: str | None = None  # the fault applied to this request, if any
    extra: dict[str, Any] = field(default_factory=dict)  # what the fake found (e.g. signature)
    at: float = 0.0


@dataclass(frozen=True)
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, value: Any, status: int = 200, **kwargs: Any) -> Response:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        return cls(status=status, body=body, **kwargs)


class Fault:
    """Something that goes wrong with one request."""

    act = False  # whether the fake still acts on the request


@dataclass(frozen=True)
class Reply(Fault):
    """Answer with this instead of acting (e.g. a platform error code)."""

    json: Any = None
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()

    def response(self) -> Response:
        return Response.json(
            self.json if self.json is not None else {}, self.status, headers=self.headers
        )


@dataclass(frozen=True)
class Status(Fault):
    """An HTTP error with a plain body, without acting (HTTP 500, 502, 429, ...)."""

    status: int = 500
    body: bytes = b"internal error"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Slow(Fault):
    """Answer after ``seconds`` (past the client's timeout)."""

    seconds: float = 2.0
    act: bool = True


@dataclass(frozen=True)
class Acted(Fault):
    """Act on the request, then answer this HTTP status instead of the platform's answer:
    a gateway in front of the platform that lost the answer on its way back."""

    status: int = 502
    body: bytes = b"bad gateway"
    act: bool = True


@dataclass(frozen=True, eq=False)
class Held(Fault):
    """Act on the request, then hold the answer until the test sets ``release`` (at most
    ``limit`` seconds): an answer that comes late, after the test changed things."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    limit: float = 60.0
    act: bool = True


@dataclass(frozen=True)
class Drop(Fault):
    """Close the connection without answering, after reading the whole request."""

    act: bool = True


def parse_multipart(
    body: bytes, content_type: str
) -> tuple[dict[str, str], dict[str, bytes], dict[str, tuple[str, str]]]:
    """multipart/form-data → (text fields, file bytes by field, (filename, type) by field)."""
    boundary = ""
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "boundary":
            boundary = value.strip('"')
    if not boundary:
        raise ValueError("multipart body without a boundary")
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    meta: dict[str, tuple[str, str]] = {}
    delimiter = b"--" + boundary.encode("latin-1")
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, data = chunk.partition(b"\r\n\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        params: dict[str, str] = {}
        for item in disposition.split(";")[1:]:
            key, _, value = item.strip().partition("=")
            params[key.lower()] = value.strip().strip('"')
        name = params.get("name", "")
        if "filename" in params:
            files[name] = data
            meta[name] = (params["filename"], headers.get("content-type", ""))
        else:
            fields[name] = data.decode("utf-8")
    return fields, files, meta


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    fake: FakeServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out and hang up are part of the tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = -1  # buffer the whole answer; handle_one_request flushes it in one send
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_GET

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fake = self.server.fake
        record = fake._record(self.command, self.path, dict(self.headers.items()), body)
        fault = fake._take_fault(record.path)
        if fault is not None:
            record.fault = type(fault).__name__
        if isinstance(fault, Reply):
            response = fault.response()
        elif isinstance(fault, Status):
            response = Response(fault.status, fault.body, "text/plain", fault.headers)
        elif fault is not None and not fault.act:
            response = Response(503, b"did not act", "text/plain")
        else:
            try:
                response = fake.handle(record)
            except Exception as exc:  # a bug in the fake: say so loudly
                response = Response(500, f"fake server error: {exc!r}".encode(), "text/plain")
        if isinstance(fault, Acted):
            response = Response(fault.status, fault.body, "text/plain")
        if not fake.keep_files:
            record.extra.pop("file_data", None)
        if isinstance(fault, Slow):
            fake._stopping.wait(fault.seconds)
        if isinstance(fault, Held):
            fault.arrived.set()
            fault.release.wait(fault.limit)
        if isinstance(fault, Drop):
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
        except OSError:
            self.close_connection = True


class FakeServer:
    """A fake platform on 127.0.0.1; use as a context manager or start()/stop()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, list[list[Any]]] = {}
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.requests: list[RequestRecord] = []
        self.deliveries: Counter[str] = Counter()  # per idempotency key or content digest
        self.keep_files = False  # keep uploaded bytes in record.extra["file_data"]

    # -- life -----------------------------------------------------------------------------
    def start(self) -> FakeServer:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
            name=f"{type(self).__name__}:{server.server_address[1]}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "the fake server is not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- faults ---------------------------------------------------------------------------
    def inject(self, path: str, fault: Fault, *, times: int = 1) -> None:
        """Apply ``fault`` to the next ``times`` requests for ``path`` ("*" for any)."""
        with self._lock:
            self._faults.setdefault(path, []).append([fault, times])

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for key in (path, "*"):
                queue = self._faults.get(key)
                while queue:
                    entry = queue[0]
                    if entry[1] <= 0:
                        queue.pop(0)
                        continue
                    entry[1] -= 1
                    return entry[0]
        return None

    # -- records --------------------------------------------------------------------------
    def _record(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> RequestRecord:
        parts = urlsplit(target)
        record = RequestRecord(
            method=method,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers=headers,
            body=body,
            at=time.monotonic(),
        )
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        try:
            if content_type.startswith("multipart/form-data"):
                fields, files, meta = parse_multipart(body, content_type)
                record.form = fields
                record.files = {
                    name: UploadedFile(
                        name,
                        meta[name][0],
                        meta[name][1],
                        len(data),
                        hashlib.sha256(data).hexdigest(),
                    )
                    for name, data in files.items()
                }
                record.extra["file_data"] = files  # for handle(); dropped after unless kept
                record.body = b""  # keep records small: files are summarised above
            elif content_type.startswith("application/x-www-form-urlencoded"):
                record.form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            elif body and content_type.startswith("application/json"):
                record.json = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            record.extra["parse_error"] = repr(exc)
        with self._lock:
            self.requests.append(record)
        return record

    def calls(self, path: str) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def count(self, path: str) -> int:
        return len(self.calls(path))

    def deliver(self, key: str) -> int:
        """Count one delivery of ``key``; returns how many times it has now been delivered."""
        with self._lock:
            self.deliveries[key] += 1
            return self.deliveries[key]

    def handle(self, request: RequestRecord) -> Response:  # pragma: no cover - abstract
        return Response.json({"error": "not found"}, 404)
