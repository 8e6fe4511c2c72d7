"""控制字符: characters no reader should get. A C0 or C1 control (a vertical tab, an
escape, a NUL) breaks the XML of a feed and can drive a terminal; a bidirectional
control (U+202E …) makes a text read in another order than it is stored, so what a
reviewer approves is not what a reader sees. Both are blocking findings.

Each control character is an anchor of the checker's one Aho-Corasick automaton
(:data:`CONTROL_ANCHORS`), so the check costs nothing on a text that holds none: it used
to be a pass of its own over every text (a regular expression over the whole text
wherever a character that is not printable stood, a no-break space included)."""

from __future__ import annotations

import re

from domain.content import BIDI_CONTROLS, is_control
from domain.proofread.model import BLOCK, Finding

CATEGORY = "control"
# Line breaks, tabs and carriage returns are a text's own; every other control is not.
CONTROLS = frozenset(c for c in map(chr, range(0xA0)) if is_control(c) and c not in "\n\t\r") | (
    BIDI_CONTROLS
)


def _control_run(text: str, start: int, end: int) -> Finding | None:
    """One blocking finding for the run of control characters that starts at ``start``
    (each character of the run is a hit; the run's first reports it)."""
    if start and text[start - 1] in CONTROLS:
        return None
    n = len(text)
    while end < n and text[end] in CONTROLS:
        end += 1
    run = text[start:end]
    codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(run))
    bidi = any(c in BIDI_CONTROLS for c in run)
    return Finding(
        category=CATEGORY,
        severity=BLOCK,
        start=start,
        end=end,
        text=run,
        suggestion=None,
        message=(
            f"双向文本控制字符（{codes}）会颠倒显示顺序，请删除"
            if bidi
            else f"控制字符（{codes}）不应出现在正文中，请删除"
        ),
        rule=f"{CATEGORY}:{'bidi' if bidi else 'c0c1'}",
    )


CONTROL_ANCHORS = dict.fromkeys(sorted(CONTROLS), _control_run)
_RUNS = re.compile("[" + "".join(sorted(CONTROLS)) + "]+")


def check_controls(text: str) -> list[Finding]:
    """One blocking finding per run of control characters in ``text``: the check alone,
    without the automaton (the checker finds the same runs by :data:`CONTROL_ANCHORS`)."""
    found = (_control_run(text, m.start(), m.start() + 1) for m in _RUNS.finditer(text))
    return [finding for finding in found if finding is not None]
