"""Links: where the URLs are, and what a failed fetch becomes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.proofread import extract_urls, link_finding
from domain.proofread.links import inside_any, url_spans


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("详见https://www.mct.gov.cn/whzx/index.html。", "https://www.mct.gov.cn/whzx/index.html"),
        ("访问http://example.gov.cn了解详情", "http://example.gov.cn"),
        ("（网址：https://a.example.cn/p?id=1&x=2）", "https://a.example.cn/p?id=1&x=2"),
        ("见《https://a.example.cn/x》", "https://a.example.cn/x"),
        ("链接 https://a.example.cn/x, 请查收", "https://a.example.cn/x"),
        ("“https://a.example.cn/#top”", "https://a.example.cn/#top"),
        ("see https://a.example.cn/x.", "https://a.example.cn/x"),
        ("HTTPS://A.EXAMPLE.CN/Y，", "HTTPS://A.EXAMPLE.CN/Y"),
        ("https://a.example.cn/路径", "https://a.example.cn/"),
    ],
)
def test_extract_urls_stops_where_the_link_ends(text: str, url: str) -> None:
    [(start, end, found)] = extract_urls(text)
    assert found == url
    assert text[start:end] == url


def test_several_urls_in_order_and_nothing_else() -> None:
    text = "先看https://b.cn/1，再看http://a.cn/2；ftp://c.cn 和 http:// 都不算。"
    assert [u for _, _, u in extract_urls(text)] == ["https://b.cn/1", "http://a.cn/2"]
    assert url_spans(text) == [(s, e) for s, e, _ in extract_urls(text)]


def test_a_link_inside_another_link_is_part_of_it() -> None:
    text = "见HTTPS://A.CN/GO?U=https://b.cn/x。"
    assert [u for _, _, u in extract_urls(text)] == ["HTTPS://A.CN/GO?U=https://b.cn/x"]


# extract_urls looks for links where a "://" is; a plain reading scans the text with
# each scheme's pattern. Both must find the same links.
_CHARS = r"[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+"
_PLAIN = (re.compile(r"https?://" + _CHARS), re.compile(r"HTTPS?://" + _CHARS))


def plain_urls(text: str) -> list[tuple[int, int, str]]:
    found = []
    for pattern in _PLAIN:
        for m in pattern.finditer(text):
            url = m.group().rstrip(".,;:!?*")
            if url.split("://", 1)[1]:
                found.append((m.start(), m.start() + len(url), url))
    urls: list[tuple[int, int, str]] = []
    for url in sorted(found):
        if not urls or url[0] >= urls[-1][1]:
            urls.append(url)
    return urls


_url_pieces = st.sampled_from(
    ["http", "https", "HTTP", "HTTPS", "Http", "s", "://", ":", "//", "/", "a.cn", "x", "。",
     "，", " ", "?u=", ".", "文", "ftp"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_url_pieces, max_size=20).map("".join))
def test_extract_urls_agrees_with_a_scan_per_scheme(text: str) -> None:
    assert extract_urls(text) == plain_urls(text)


def test_inside_any() -> None:
    inside = inside_any([(2, 5), (10, 12)])
    assert [p for p in range(14) if inside(p)] == [2, 3, 4, 10, 11]
    assert not inside_any([])(0)


@pytest.mark.parametrize("status", [200, 204, 301, 302, 399])
def test_reachable_links_give_no_finding(status: int) -> None:
    assert link_finding(0, 10, "https://a.cn", status, None) is None


def test_not_fetched_gives_no_finding() -> None:
    assert link_finding(0, 10, "https://a.cn", None, None) is None


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (404, None, "链接无法访问：HTTP 404"),
        (500, None, "链接无法访问：HTTP 500"),
        (None, "could not connect", "链接无法访问：无法连接"),
        (None, "TLS certificate not accepted", "链接无法访问：网站证书未通过验证"),
        (None, "more than 5 redirects", "链接无法访问：重定向超过 5 次"),
        (None, "a new reason", "链接无法访问：a new reason"),  # as given, when not known
    ],
)
def test_unreachable_links_warn(status: int | None, error: str | None, message: str) -> None:
    finding = link_finding(3, 15, "https://a.cn", status, error)
    assert finding is not None
    assert (finding.category, finding.severity, finding.message) == ("link", "warn", message)
    assert (finding.start, finding.end, finding.text) == (3, 15, "https://a.cn")
    assert finding.rule == "link:unreachable"


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ("refused: this computer (loopback), not fetched", "链接不是公网地址，未访问：本机地址"),
        ("refused: a private network address, not fetched", "链接不是公网地址，未访问：内网地址"),
        ("refused: a ftp address, not fetched", "链接未访问：不是网页地址（ftp）"),
        ("refused: a relative address, not fetched", "链接未访问：不是完整的网址"),
        ("refused: an address without a host, not fetched", "链接未访问：网址缺少域名"),
    ],
)
def test_a_link_not_fetched_says_why_in_chinese(error: str, message: str) -> None:
    """The checker speaks Chinese: the fetcher's reasons are said in its words, not mixed in
    as English (链接无法访问：could not connect)."""
    finding = link_finding(0, 10, "https://a.cn", None, error)
    assert finding is not None and finding.message == message
