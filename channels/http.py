"""HTTP plumbing shared by the API channels (WeChat, Weibo, webhook).

One place decides what a failed exchange means for delivery::

    the request never left (connection refused, DNS, connect timeout) → TransientDeliveryError
    HTTP 429 (the platform refused to handle it now)                    → TransientDeliveryError
    no answer after it left (read timeout, connection dropped, an answer cut off or not
    JSON), HTTP 408 or 5xx, a platform's "busy" code
        on a step that is safe to repeat (token, upload, status query) → TransientDeliveryError
        on a step that is not (create a draft, publish, share)         → OutcomeUnknown
    anything else requests refuses to do (bad URL, ...)                 → PermanentDeliveryError

A 502 or a "system busy" can come from a gateway after the platform did the work; only a
step that is safe to repeat may be sent again on it. After a step that is not, the post
goes to ``unknown`` and is reconciled with the platform or by a person.

Messages name the platform and the step, never the URL: WeChat puts the access token
and, for the token call, the app secret in the query string, and requests quotes the
full URL in its own exception texts. So no requests exception text is ever copied,
errors are raised ``from None`` (a logged traceback does not show the original), and
any text that came from the platform is passed through :func:`redact` first.
"""

from __future__ import annotations

import email.utils
import http.client
import io
import logging
import os
import re
import ssl
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn
from urllib.parse import urlsplit

import requests
import urllib3
from requests.cookies import extract_cookies_to_jar
from requests.structures import CaseInsensitiveDict
from requests.utils import DEFAULT_CA_BUNDLE_PATH, get_encoding_from_headers
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
)
from urllib3.util import create_urllib3_context
from urllib3.util.wait import wait_for_read

from domain.errors import OutcomeUnknown, PermanentDeliveryError, TransientDeliveryError

# Query parameters whose values are credentials, wherever a URL is logged.
_SECRET_QUERY = re.compile(r"((?:access_token|secret|appsecret|signing_secret)=)[^&\s\"']*")


@dataclass(frozen=True)
class Step:
    """One call of a platform protocol, named as the user will read it."""

    platform: str  # "WeChat"
    name: str  # "draft/add"
    idempotent: bool  # True when sending it twice does no harm (reads, uploads, tokens)

    def __str__(self) -> str:
        return f"{self.platform} {self.name}"


class _NoNetrcAuth(requests.auth.AuthBase):
    """No credentials from ``~/.netrc`` for this origin (looked up once, see below)."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


_NO_NETRC_AUTH = _NoNetrcAuth()
# The arguments of a request that PlatformSession sends the short way.
_PLAIN_ARGUMENTS = frozenset({"data", "headers", "timeout", "allow_redirects"})


class _PoolAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter, working out each origin's connection pool settings once: it
    looks at the disk for every request (is the CA bundle a folder?), which costs more
    than a local request itself."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool_keys: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] = {}

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        parts = urlsplit(str(request.url))
        key = (parts.scheme, parts.netloc, verify, cert)
        found = self._pool_keys.get(key)
        if found is None:
            found = super().build_connection_pool_key_attributes(request, verify, cert)
            self._pool_keys[key] = found
        return dict(found[0]), dict(found[1])


_URLLIB3_AGENT = f"python-urllib3/{urllib3.__version__}"  # what urllib3 sends for none


class _Answer:
    """What requests keeps of an answer as ``Response.raw``, as far as its cookie jar reads
    it (the answer's headers)."""

    def __init__(self, original: http.client.HTTPResponse) -> None:
        self._original_response = original
        self.headers = original.msg


class _Connections:
    """Keep-alive connections for plain exchanges (``http.client``, one per request at a
    time), kept per origin and TLS setting, at most ``size`` idle ones each.

    requests sends through urllib3, which wraps every request and answer in objects of
    its own (a retry policy, a timeout, a pool, a response with its decoders): around a
    local request, a third of the client's time. Here the request is written and its
    answer read with ``http.client`` (which urllib3 builds on too), and every failure is
    raised as the requests exception requests raises for it, so :func:`exchange` tells
    "never left" from "lost after sending" exactly as before. Like urllib3, a kept
    connection the server has closed (or that has something unread) is dropped before
    it is used, so a request is never written into a connection known to be dead."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: dict[tuple[Any, ...], list[http.client.HTTPConnection]] = {}
        self._contexts: dict[Any, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for conn in connections:
                conn.close()

    def _context(self, verify: Any) -> ssl.SSLContext:
        """The TLS settings requests would use for ``verify``: urllib3's context, the
        certificates of ``certifi`` (or of the file or folder ``verify`` names), or no
        verification at all when ``verify`` is False."""
        found = self._contexts.get(verify)
        if found is None:
            found = create_urllib3_context()
            found.set_alpn_protocols(["http/1.1"])
            if verify is False:
                found.check_hostname = False
                found.verify_mode = ssl.CERT_NONE
            else:
                where = DEFAULT_CA_BUNDLE_PATH if verify is True else str(verify)
                if not where or not os.path.exists(where):
                    raise OSError(
                        "Could not find a suitable TLS CA certificate bundle, invalid path"
                    )
                if os.path.isdir(where):
                    found.load_verify_locations(capath=where)
                else:
                    found.load_verify_locations(cafile=where)
                found.verify_mode = ssl.CERT_REQUIRED
                found.check_hostname = True
            with self._lock:
                found = self._contexts.setdefault(verify, found)
        return found

    def _take(self, key: tuple[Any, ...]) -> http.client.HTTPConnection | None:
        while True:
            with self._lock:
                idle = self._idle.get(key)
                conn = idle.pop() if idle else None
            if conn is None:
                return None
            if conn.sock is not None and not wait_for_read(conn.sock, timeout=0.0):
                return conn
            conn.close()  # closed by the server meanwhile, or an answer left unread

    def _keep(self, key: tuple[Any, ...], conn: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self.size:
                idle.append(conn)
                return
        conn.close()

    def _open(
        self, scheme: str, host: str, port: int, verify: Any, connect: float | None
    ) -> http.client.HTTPConnection:
        where = f"{host}:{port}"
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = http.client.HTTPSConnection(
                host, port, timeout=connect, context=self._context(verify)
            )
        else:
            conn = http.client.HTTPConnection(host, port, timeout=connect)
        try:
            conn.connect()
        except TimeoutError:
            conn.close()
            raise requests.exceptions.ConnectTimeout(
                MaxRetryError(
                    None,  # type: ignore[arg-type]
                    where,
                    ConnectTimeoutError(None, f"connection to {where} timed out"),
                )
            ) from None
        except (ssl.SSLError, ssl.CertificateError) as exc:
            conn.close()
            raise requests.exceptions.SSLError(exc) from None
        except OSError as exc:
            conn.close()
            raise requests.exceptions.ConnectionError(
                NewConnectionError(where, f"failed to establish a new connection: {exc}")  # type: ignore[arg-type]
            ) from None
        return conn

    def send(
        self,
        prepared: requests.PreparedRequest,
        *,
        verify: Any,
        timeout: Any,
    ) -> requests.Response:
        parts = urlsplit(str(prepared.url))
        scheme, host = parts.scheme, parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        key = (scheme, host, port, verify if scheme == "https" else None)
        conn = self._take(key) or self._open(scheme, host, port, verify, connect)
        conn.sock.settimeout(read)  # type: ignore[union-attr]
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        headers = prepared.headers
        body = prepared.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        phase = "send"  # then "answer" (its status line and headers), then "body"
        try:  # the request line and headers exactly as urllib3 writes them
            conn.putrequest(
                str(prepared.method),
                path,
                skip_host="Host" in headers,
                skip_accept_encoding="Accept-Encoding" in headers,
            )
            if body is not None and not (
                "Content-Length" in headers or "Transfer-Encoding" in headers
            ):
                conn.putheader("Content-Length", str(len(body)))
            if "User-Agent" not in headers:
                conn.putheader("User-Agent", _URLLIB3_AGENT)
            for name, value in headers.items():
                conn.putheader(name, value)
            conn.endheaders(body)
            phase = "answer"
            answer = conn.getresponse()
            phase = "body"
            content = answer.read()
        except TimeoutError as exc:  # as requests raises it, at each phase
            conn.close()
            if phase == "answer":
                raise requests.exceptions.ReadTimeout(
                    f"read timed out ({read})", request=prepared
                ) from None
            raise requests.exceptions.ConnectionError(
                ProtocolError("Connection aborted.", exc), request=prepared
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            if phase == "body":
                raise requests.exceptions.ChunkedEncodingError(
                    ProtocolError("Connection broken", exc), request=prepared
                ) from None
            raise requests.exceptions.ConnectionError(
                ProtocolError("Connection aborted.", exc), request=prepared
            ) from None
        except BaseException:
            conn.close()
            raise
        if answer.will_close or conn.sock is None:
            conn.close()
        else:
            self._keep(key, conn)
        response = requests.Response()
        response.status_code = answer.status
        response.reason = answer.reason
        found: CaseInsensitiveDict[str] = CaseInsensitiveDict()
        for name, value in answer.msg.items():
            before = found.get(name)
            found[name] = value if before is None else f"{before}, {value}"
        response.headers = found
        response.encoding = get_encoding_from_headers(found)
        response.url = str(prepared.url)
        response.request = prepared
        response.raw = _Answer(answer)
        coding = found.get("Content-Encoding", "").strip().lower()
        if content and coding and coding != "identity":
            try:  # what urllib3 would have decoded (requests asks for gzip, deflate ...)
                content = urllib3.HTTPResponse(
                    body=io.BytesIO(content),
                    headers=dict(found),
                    status=answer.status,
                    preload_content=True,
                    decode_content=True,
                ).data
            except DecodeError as exc:
                raise requests.exceptions.ContentDecodingError(exc, request=prepared) from None
        response._content = content
        response._content_consumed = True
        return response


class PlatformSession(requests.Session):
    """A keep-alive session that reads the proxy settings of the environment (including
    ``NO_PROXY``), the credentials of ``~/.netrc`` and the connection pool settings once
    per scheme and host, not at every request: requests scans the whole environment and
    looks at the disk for each one, which costs more than a local request itself."""

    def __init__(self, *, pool_size: int = 10) -> None:
        super().__init__()
        adapter = _PoolAdapter(pool_connections=16, pool_maxsize=pool_size)
        self.mount("http://", adapter)
        self.mount("https://", adapter)
        self._environment: dict[tuple[str, str], dict[str, Any]] = {}
        self._netrc: dict[tuple[str, str], Any] = {}
        self._urls: dict[str, str | None] = {}  # a URL as given → as requests sends it
        self._adapter = adapter
        self._plain = _Connections(pool_size)

    def close(self) -> None:
        self._plain.close()
        super().close()

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        if self.trust_env and not request.auth and not self.auth and request.url:
            parts = urlsplit(str(request.url))
            origin = (parts.scheme, parts.netloc)
            found = self._netrc.get(origin)
            if found is None:
                found = requests.utils.get_netrc_auth(str(request.url)) or _NO_NETRC_AUTH
                self._netrc[origin] = found
            request.auth = found
        return super().prepare_request(request)

    def request(self, method: str | bytes, url: Any, *args: Any, **kwargs: Any) -> Any:
        """``Session.request``; a plain exchange (a body of bytes, headers, a timeout, no
        redirects) takes :meth:`_send_plain`, the rest requests' own way."""
        if (
            not args
            and isinstance(method, str)
            and isinstance(url, str)
            and kwargs.get("allow_redirects", True) is False
            and set(kwargs) <= _PLAIN_ARGUMENTS
            and isinstance(kwargs.get("data"), bytes | None)
        ):
            plain = self._plain_settings(url)
            if plain is not None:
                return self._send_plain(method, url, plain, kwargs)
        return super().request(method, url, *args, **kwargs)

    def _plain_settings(self, url: str) -> dict[str, Any] | None:
        """The environment's settings for ``url``'s origin, when a request there needs
        nothing of the session's machinery: no proxy, no credentials (the session's or
        ``~/.netrc``'s), no cookie to send, no hook or parameter of the session's."""
        if self.auth or self.params or self.stream or self.cookies or any(self.hooks.values()):
            return None
        parts = urlsplit(url)
        origin = (parts.scheme, parts.netloc)
        if self.trust_env:
            netrc = self._netrc.get(origin)
            if netrc is None:
                netrc = requests.utils.get_netrc_auth(url) or _NO_NETRC_AUTH
                self._netrc[origin] = netrc
            if netrc is not _NO_NETRC_AUTH:
                return None
        found = self.merge_environment_settings(url, {}, None, None, None)
        if any(found["proxies"].values()) or self.proxies:
            return None
        return found

    def _send_plain(
        self, method: str, url: str, settings: dict[str, Any], kwargs: dict[str, Any]
    ) -> requests.Response:
        """What ``Session.request`` does for a plain exchange, without the steps that
        have nothing to do: the request prepared directly (the session's headers under
        the request's), sent on a kept connection (:class:`_Connections`; through the
        adapter when another one is mounted or a client certificate is set), the
        answer's cookies kept and its body read. requests' own exceptions come out as
        they would."""
        prepared = requests.PreparedRequest()
        prepared.prepare_method(method)
        prepared.url = self._urls.get(url)
        if prepared.url is None:
            prepared.prepare_url(url, None)
            if len(self._urls) >= 1024:
                self._urls.clear()
            self._urls[url] = prepared.url
        headers = CaseInsensitiveDict(self.headers)
        for name, value in (kwargs.get("headers") or {}).items():
            if value is None:  # as requests does: None takes the session's header away
                headers.pop(name, None)
            else:
                headers[name] = value
        prepared.prepare_headers(headers)
        prepared.prepare_body(kwargs.get("data"), None)
        prepared.prepare_hooks({})
        started = time.perf_counter()
        adapter = self.get_adapter(url)
        if adapter is self._adapter and not settings["cert"]:
            response = self._plain.send(
                prepared, verify=settings["verify"], timeout=kwargs.get("timeout")
            )
            if "Set-Cookie" in response.headers or "Set-Cookie2" in response.headers:
                extract_cookies_to_jar(response.cookies, prepared, response.raw)
        else:
            response = adapter.send(
                prepared,
                stream=False,
                timeout=kwargs.get("timeout"),
                verify=settings["verify"],
                cert=settings["cert"],
                proxies={},
            )
        response.elapsed = timedelta(seconds=time.perf_counter() - started)
        answer_headers = response.raw.headers
        if "Set-Cookie" in answer_headers or "Set-Cookie2" in answer_headers:
            extract_cookies_to_jar(self.cookies, prepared, response.raw)
        response.content  # noqa: B018 - read the whole answer, as requests does
        return response

    def merge_environment_settings(
        self, url: str | None, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        if proxies or stream is not None or verify is not None or cert is not None or not url:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        origin = (parts.scheme, parts.netloc)
        found = self._environment.get(origin)
        if found is None:
            found = super().merge_environment_settings(url, {}, None, None, None)
            self._environment[origin] = found
        return {**found, "proxies": dict(found["proxies"])}


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with every credential value and credential query parameter masked."""
    for value in secrets:
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return _SECRET_QUERY.sub(r"\1***", text)


def _never_left(exc: requests.exceptions.ConnectionError) -> bool:
    """True when requests could not even open the connection (so nothing was sent)."""
    cause: Any = exc.args[0] if exc.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    return isinstance(cause, NewConnectionError | ConnectTimeoutError)


def _lost_after_sending(step: Step, what: str) -> NoReturn:
    if step.idempotent:
        raise TransientDeliveryError(f"{step}: {what}; it is safe to try again") from None
    raise OutcomeUnknown(
        f"{step}: {what} after the request was sent; the platform may have acted on it, "
        "so it is not sent again until the outcome is checked"
    ) from None


def exchange(
    http: Any,
    method: str,
    url: str,
    *,
    step: Step,
    timeout: float,
    **kwargs: Any,
) -> requests.Response:
    """Send one request through the injected session and classify transport failures.

    Redirects are never followed: requests would turn a redirected POST into a GET.
    """
    try:
        return http.request(
            method, url, timeout=(timeout, timeout), allow_redirects=False, **kwargs
        )
    except requests.exceptions.ConnectTimeout:
        raise TransientDeliveryError(
            f"{step}: could not connect within {timeout:g} s; nothing was sent"
        ) from None
    except requests.exceptions.ReadTimeout:
        _lost_after_sending(step, f"no answer within {timeout:g} s")
    except requests.exceptions.SSLError:
        raise TransientDeliveryError(
            f"{step}: the TLS handshake failed; nothing was sent"
        ) from None
    except requests.exceptions.ConnectionError as exc:
        if _never_left(exc):
            raise TransientDeliveryError(
                f"{step}: could not connect to the platform; nothing was sent"
            ) from None
        _lost_after_sending(step, "the connection dropped before an answer came")
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
        _lost_after_sending(step, "the answer was cut off")
    except requests.exceptions.RequestException as exc:
        raise PermanentDeliveryError(
            f"{step}: the request could not be made ({type(exc).__name__})"
        ) from None


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), if any."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def raise_for_transient_status(response: requests.Response, step: Step) -> None:
    """HTTP 429 means "not now"; 408 and 5xx mean "not now" only on a step that is safe to
    repeat: on one that is not, the platform may have acted before the error came back."""
    status = response.status_code
    if status == 429 or (step.idempotent and (status == 408 or status >= 500)):
        raise TransientDeliveryError(
            f"{step}: the platform answered HTTP {status}; try again later",
            code=status,
            retry_after=retry_after(response),
        )
    if status == 408 or status >= 500:
        raise OutcomeUnknown(
            f"{step}: the platform answered HTTP {status} after the request was sent; it may "
            "have acted on it, so it is not sent again until the outcome is checked",
            code=status,
        )


def raise_busy(step: Step, what: str, *, code: int | str) -> NoReturn:
    """A platform's "busy" code: worth trying again only on a step that is safe to repeat."""
    if step.idempotent:
        raise TransientDeliveryError(f"{step}: {what}; try again later", code=code)
    raise OutcomeUnknown(
        f"{step}: {what} after the request was sent; the platform may have acted on it, "
        "so it is not sent again until the outcome is checked",
        code=code,
    )


def json_answer(response: requests.Response, step: Step) -> dict[str, Any]:
    """The JSON object in an answer; an unreadable answer is a lost answer."""
    try:
        value = response.json()
    except ValueError:
        _lost_after_sending(step, f"the answer (HTTP {response.status_code}) was not JSON")
    if not isinstance(value, dict):
        _lost_after_sending(step, "the answer was not a JSON object")
    return value


def short(text: Any, limit: int = 200) -> str:
    """A platform message on one line, cut for display."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class _RedactCredentials(logging.Filter):
    """Masks credential query parameters in urllib3's DEBUG lines (they quote the URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def protect_logs() -> None:
    """Attach the credential filter to urllib3's connection logger (once)."""
    logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _RedactCredentials) for f in logger.filters):
        logger.addFilter(_RedactCredentials())


def secret_values(secret: Mapping[str, str] | None) -> tuple[str, ...]:
    return tuple(v for v in (secret or {}).values() if isinstance(v, str) and v)
