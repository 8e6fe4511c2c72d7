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
import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn
from urllib.parse import urlsplit

import requests
from requests.cookies import extract_cookies_to_jar
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

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
        the request's), sent through the adapter, the answer's cookies kept and its body
        read. requests' own exceptions come out as they would."""
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
        response = self.get_adapter(url).send(
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
