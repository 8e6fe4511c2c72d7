"""Control and bidirectional characters are blocking 错敏 findings."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.proofread import Checker
from domain.proofread.controls import check_controls

CHECKER = Checker.default()


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
    findings = [f for f in CHECKER.check(text) if f.category == "control"]
    assert findings and findings[0].severity == "block" and findings[0].rule == rule
    assert text[findings[0].start : findings[0].end].startswith(found)


def test_line_breaks_tabs_and_plain_text_are_not() -> None:
    assert check_controls("第一行\n第二行\t制表\r\n第三行 full-width　空格") == []


# The controls as a plain reading: every run of them, by one regular expression.
_PLAIN_RUNS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+"
)
_pieces = st.sampled_from(
    ["通知", "\n", "\t", "\r", "　", "\u00a0", " ", "\x00", "\x0b", "\x1b", "\x7f", "\x85",
     "\x9f", "\u202e", "\u2066", "\u200e", "\u061c", "台湾", "截止", "》", "，"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=20).map("".join))
@example("通知\u00a0公告\x0b\x0b")  # a no-break space, then a run of two
@example("\x00")
def test_the_checker_finds_every_run_of_controls_once(text: str) -> None:
    """The controls are anchors of the checker's automaton: one finding per run, the
    same runs as a plain reading of the text finds, and as the check alone finds."""
    found = [(f.start, f.end, f.rule) for f in CHECKER.check(text) if f.category == "control"]
    plain = [
        (m.start(), m.end(), "control:bidi" if _BIDI.search(m.group()) else "control:c0c1")
        for m in _PLAIN_RUNS.finditer(text)
    ]
    assert found == plain
    assert [(f.start, f.end, f.rule) for f in check_controls(text)] == plain


_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
