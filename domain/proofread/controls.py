"""控制字符: characters no reader should get. A C0 or C1 control (a vertical tab, an
escape, a NUL) breaks the XML of a feed and can drive a terminal; a bidirectional
control (U+202E …) makes a text read in another order than it is stored, so what a
reviewer approves is not what a reader sees. Both are blocking findings."""

from __future__ import annotations

import re

from domain.content import BIDI_CONTROLS
from domain.proofread.model import BLOCK, Finding

CATEGORY = "control"
# Line breaks, tabs and carriage returns are a text's own; every other control is not.
_CONTROLS = re.compile(
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]+"
)


def _may_hold_controls(text: str) -> bool:
    """False when ``text`` surely holds none: once its own line breaks, tabs and
    full-width spaces are taken out, every character of it is printable (C controls and
    bidi controls are not). Both steps run in C, several times faster than the regex
    scan, which is left for the few texts this cannot clear."""
    for char in "\n\t\r\u3000":
        text = text.replace(char, "")
    return not text.isprintable()


def check_controls(text: str) -> list[Finding]:
    """One blocking finding per run of control characters."""
    if not _may_hold_controls(text):
        return []
    findings = []
    for match in _CONTROLS.finditer(text):
        run = match.group()
        codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(run))
        bidi = any(c in BIDI_CONTROLS for c in run)
        findings.append(
            Finding(
                category=CATEGORY,
                severity=BLOCK,
                start=match.start(),
                end=match.end(),
                text=run,
                suggestion=None,
                message=(
                    f"双向文本控制字符（{codes}）会颠倒显示顺序，请删除"
                    if bidi
                    else f"控制字符（{codes}）不应出现在正文中，请删除"
                ),
                rule=f"{CATEGORY}:{'bidi' if bidi else 'c0c1'}",
            )
        )
    return findings
