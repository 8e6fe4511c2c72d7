"""Lengths in each platform's own unit (PLATFORMS.md), with one helper for all.

- ``chars``: one per character — WeChat counts 汉字, letters and digits alike.
- ``weibo``: one per 汉字 (any non-ASCII character), two ASCII characters count as one,
  rounded up: "abc" is 2, "微博a" is 3.
- ``utf16-ascii-half``: 小红书 counts UTF-16 code units (an emoji outside the BMP is 2),
  two ASCII characters count as one, rounded up.
"""

from __future__ import annotations

from channels.base import CountUnit


def _halves(text: str, *, utf16: bool) -> int:
    halves = 0
    for ch in text:
        if ord(ch) < 128:
            halves += 1
        elif utf16 and ord(ch) > 0xFFFF:
            halves += 4
        else:
            halves += 2
    return halves


def count(text: str, unit: CountUnit | str) -> int:
    """The length of ``text`` as the platform counts it."""
    unit = CountUnit(unit)
    if unit is CountUnit.CHARS:
        return len(text)
    halves = _halves(text, utf16=unit is CountUnit.UTF16_ASCII_HALF)
    return (halves + 1) // 2


def cut_to(text: str, limit: int, unit: CountUnit | str) -> str:
    """The longest prefix of ``text`` whose length is at most ``limit`` in ``unit``.

    Only for rules the platform documents (e.g. a WeChat digest taken from the body);
    an author's own text is never cut silently.
    """
    if count(text, unit) <= limit:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(text[:mid], unit) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo]
