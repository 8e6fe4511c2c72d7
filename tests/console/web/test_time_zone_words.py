"""The console names the organisation's time zone in words, as ``schedule show`` does:
北京时间（Asia/Shanghai）, Beijing time (Asia/Shanghai), never the bare zone name."""

from __future__ import annotations

import re

import pytest

from tests.console.web.conftest import Console

PAGES = ["/accounts/dashboard", "/reports/monthly", "/admin/calendar", "/admin/freezes"]
SAID = {"zh_CN": "北京时间（Asia/Shanghai）", "en": "Beijing time (Asia/Shanghai)"}


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_pages_name_the_time_zone_in_words(console: Console, language: str) -> None:
    admin = console.person("admin")
    if language == "en":
        assert admin.post("/me/language", {"language": "en"}).status_code == 303
    for path in PAGES:
        page = admin.client.get(path)
        assert page.status_code == 200, path
        text = re.sub(r"<[^>]+>", "", page.text)
        assert text.count("Asia/Shanghai") >= 1, (path, text)
        assert text.count("Asia/Shanghai") == text.count(SAID[language]), (path, text)
