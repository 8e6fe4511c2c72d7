"""链接: find the http(s) URLs of a text and turn a fetch result into a finding.

Fetching is I/O and happens in another layer (a flow task with an HTTP session);
this module only says where the links are and what a failed fetch means.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence

from domain.proofread.model import WARN, Finding

CATEGORY = "link"
REFUSED = "refused"  # how the fetcher reports a link it would not fetch

# URL characters (RFC 3986 minus the brackets, quotes and parentheses that close
# a link in running text). Anything else ends the URL: whitespace, CJK text and
# CJK punctuation ("详见https://www.mct.gov.cn。" stops before "。").
# Lower- and upper-case schemes are two patterns (IGNORECASE would accept "Http://"),
# matched where a link can start: before each "://", found ":" by ":" (str.find skips
# ahead many times faster than a regex scan; a text holds few colons).
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+"
_URLS = (re.compile(r"https?://" + _URL_CHARS), re.compile(r"HTTPS?://" + _URL_CHARS))
_SCHEMES = ((0, "https"), (0, "http"), (1, "HTTPS"), (1, "HTTP"))  # (pattern, scheme)
# Sentence punctuation right after a URL belongs to the sentence, not the URL.
_TRAILING = ".,;:!?*"


def extract_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) for every http:// or https:// URL in ``text``, in order.

    The scheme is recognised in lower or upper case ("HTTPS://"), not mixed.
    """
    found = []
    colon = text.find(":")
    while colon != -1:
        if text.startswith("//", colon + 1):
            for kind, scheme in _SCHEMES:
                if text.endswith(scheme, 0, colon):
                    start = colon - len(scheme)
                    m = _URLS[kind].match(text, start)
                    if m is not None:
                        url = m.group().rstrip(_TRAILING)
                        if url.split("://", 1)[1]:  # "http://" alone is not a link
                            found.append((start, start + len(url), url))
        colon = text.find(":", colon + 1)
    found.sort()
    urls: list[tuple[int, int, str]] = []
    for url in found:  # a link inside another one ("...?u=https://...") is part of it
        if not urls or url[0] >= urls[-1][1]:
            urls.append(url)
    return urls


def url_spans(text: str) -> list[tuple[int, int]]:
    """Just the spans of :func:`extract_urls` (the other checks skip them)."""
    return [(start, end) for start, end, _ in extract_urls(text)]


def inside_any(spans: Sequence[tuple[int, int]] | None) -> Callable[[int], bool]:
    """A test "is this offset inside one of ``spans``" (sorted, disjoint spans; O(log n))."""
    if not spans:
        return lambda pos: False
    starts = [start for start, _ in spans]
    ends = [end for _, end in spans]

    def test(pos: int) -> bool:
        i = bisect_right(starts, pos) - 1
        return i >= 0 and pos < ends[i]

    return test


# Why the fetcher (channels.linkcheck) has no status for a link, as it reports it.
UNREACHABLE = "could not connect"
UNTRUSTED = "TLS certificate not accepted"

# The fetcher's reasons (these, and domain.links' refusals), in the checker's language.
_REASONS = {
    UNREACHABLE: "无法连接",
    UNTRUSTED: "网站证书未通过验证",
    "timeout": "超时",
    "this computer (loopback)": "本机地址",
    "a link-local address": "链路本地地址",
    "a multicast address": "组播地址",
    "a reserved address": "保留地址",
    "a private network address": "内网地址",
}
_REDIRECTS = re.compile(r"more than (\d+) redirects")
_SCHEME = re.compile(r"a (\S+) address")


def _said(reason: str) -> str:
    """A reason of the fetcher in Chinese (as given when it is not one of its own)."""
    found = _REDIRECTS.fullmatch(reason)
    if found:
        return f"重定向超过 {found[1]} 次"
    return _REASONS.get(reason, reason)


def _not_fetched(why: str) -> str:
    """The message for a link the fetcher would not fetch, by its reason."""
    if why in _REASONS:
        return f"链接不是公网地址，未访问：{_REASONS[why]}"
    if why == "a relative address":
        return "链接未访问：不是完整的网址"
    if why == "an address without a host":
        return "链接未访问：网址缺少域名"
    if why == "not a well-formed address":
        return "链接未访问：网址格式不正确"
    found = _SCHEME.fullmatch(why)
    if found:
        return f"链接未访问：不是网页地址（{found[1]}）"
    return f"链接不是公网地址，未访问：{why}"


def link_finding(
    start: int, end: int, url: str, status: int | None, error: str | None
) -> Finding | None:
    """The warning for a fetched link, or None when it answered below 400.

    ``status`` is the final HTTP status after redirects (None if no response);
    ``error`` a short description of a failure without response (DNS, timeout), or
    ``"refused: ..."`` for a link into a non-public address, which was not fetched.
    """
    if error and error.startswith(REFUSED):
        return Finding(
            category=CATEGORY,
            severity=WARN,
            start=start,
            end=end,
            text=url,
            suggestion=None,
            message=_not_fetched(error.removeprefix(REFUSED + ": ").removesuffix(", not fetched")),
            rule=f"{CATEGORY}:not_public",
        )
    if error:
        reason = _said(error)
    elif status is None:
        return None  # not fetched: nothing to say
    elif status >= 400:
        reason = f"HTTP {status}"
    else:
        return None
    return Finding(
        category=CATEGORY,
        severity=WARN,
        start=start,
        end=end,
        text=url,
        suggestion=None,
        message=f"链接无法访问：{reason}",
        rule=f"{CATEGORY}:unreachable",
    )
