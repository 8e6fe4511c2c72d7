"""The shared HTTP session: environment proxy settings read once per host, NO_PROXY kept."""

from __future__ import annotations

import pytest

from channels.http import PlatformSession


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
