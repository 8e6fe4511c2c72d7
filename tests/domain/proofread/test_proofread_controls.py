"""Control and bidirectional characters are blocking 错敏 findings."""

from __future__ import annotations

import pytest

from domain.proofread import Checker
from domain.proofread.controls import check_controls


@pytest.mark.parametrize(
    ("text", "found", "rule"),
    [
        ("通知\x0b公告", "\x0b", "control:c0c1"),  # the vertical tab that broke the feed
        ("通知\x00", "\x00", "control:c0c1"),
        ("\x1b[31m红字", "\x1b", "control:c0c1"),
        ("通知\x85", "\x85", "control:c0c1"),  # C1
        ("附件\u202etxt.exe", "\u202e", "control:bidi"),
        ("名单\u2066甲\u2069", "\u2066", "control:bidi"),
    ],
)
def test_control_characters_are_blocking(text: str, found: str, rule: str) -> None:
    findings = [f for f in Checker.default().check(text) if f.category == "control"]
    assert findings and findings[0].severity == "block" and findings[0].rule == rule
    assert text[findings[0].start : findings[0].end].startswith(found)


def test_line_breaks_tabs_and_plain_text_are_not() -> None:
    assert check_controls("第一行\n第二行\t制表\r\n第三行 full-width　空格") == []
