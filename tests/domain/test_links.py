"""Which links may go to the public."""

from __future__ import annotations

import pytest

from domain.links import not_public


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("file:///home/me/.matrixpub/site/notices/1/index.html", "a file on this computer"),
        ("http://localhost:8000/a", "loopback"),
        ("http://127.0.0.1/a", "loopback"),
        ("http://[::1]/a", "loopback"),
        ("http://10.2.3.4/a", "private network"),
        ("https://192.168.1.20/notice", "private network"),
        ("http://172.16.0.9/", "private network"),
        ("http://169.254.1.1/", "link-local"),
        ("http://[fd00::1]/", "private network"),
        ("http://0.0.0.0/", "reserved"),
        ("http://2130706433/", "loopback"),  # decimal spelling of 127.0.0.1
        ("http://0177.0.0.1/", "loopback"),  # octal
        ("http://0x7f.1/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped IPv6
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://100.64.0.1/", "private network"),  # shared address space
        ("http://intranet/notice", "private network knows"),
        ("https://oa.bureau.local/x", "private network knows"),
        ("ftp://example.gov.cn/x", "a ftp address"),
    ],
)
def test_private_addresses_are_not_public(url: str, why: str) -> None:
    reason = not_public(url)
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.gov.cn/notices/1/index.html",
        "http://wlj.example.gov.cn",
        "https://8.8.8.8/x",
        "https://mp.weixin.qq.com/s/AbCd",
    ],
)
def test_public_addresses_are(url: str) -> None:
    assert not_public(url) is None
