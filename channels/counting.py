"""Lengths in each platform's own unit (PLATFORMS.md), with one helper for all.

- ``chars``: one per character — WeChat counts 汉字, letters and digits alike.
- ``weibo``: one per 汉字 (any non-ASCII character), two ASCII characters count as one,
  rounded up: "abc" is 2, "微博a" is 3. An http(s) URL of up to 140 bytes counts as 20
  half-units (10 characters) whatever its length, a longer one 20 plus its bytes beyond
  140 — Sina's counter as third-party clients copy it [S].
- ``utf16-ascii-half``: 小红书 counts UTF-16 code units (an emoji outside the BMP is 2),
  two ASCII characters count as one, rounded up.
"""

from __future__ import annotations

import re
import unicodedata

from channels.base import CountUnit

# What Sina's counter takes for a URL: a scheme, a dotted host, then URL characters.
_WEIBO_URL = re.compile(
    r"https?://[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+[-A-Za-z0-9_$.+!*()/\\,:@&=?~#%]*"
)
WEIBO_URL_HALVES = 20  # what one URL counts, in half-units, up to...
WEIBO_URL_BYTES = 140  # ...this many bytes; beyond it every byte counts as well


def _weibo_url_halves(text: str) -> tuple[int, str]:
    """The half-units of the URLs in ``text``, and the text without them."""
    halves = 0
    for match in _WEIBO_URL.finditer(text):
        halves += WEIBO_URL_HALVES + max(0, len(match.group(0)) - WEIBO_URL_BYTES)
    return halves, _WEIBO_URL.sub("", text) if halves else text


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
    url_halves = 0
    if unit is CountUnit.WEIBO:
        url_halves, text = _weibo_url_halves(text)
    halves = url_halves + _halves(text, utf16=unit is CountUnit.UTF16_ASCII_HALF)
    return (halves + 1) // 2


def _joins_previous(text: str, i: int) -> bool:
    """True when ``text[i]`` belongs to the same visible character as ``text[i - 1]``."""
    ch, before = text[i], text[i - 1]
    code = ord(ch)
    if before == "\u200d" or ch == "\u200d":  # zero-width joiner sequences
        return True
    if unicodedata.combining(ch) or 0xFE00 <= code <= 0xFE0F or code == 0x20E3:
        return True  # combining marks, variation selectors, keycaps
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:
        return True  # skin tones, tag sequences
    if 0x1F1E6 <= code <= 0x1F1FF:  # regional indicators pair up into flags
        run = 0
        while i - 1 - run >= 0 and 0x1F1E6 <= ord(text[i - 1 - run]) <= 0x1F1FF:
            run += 1
        return run % 2 == 1
    return False


def cut_to(text: str, limit: int, unit: CountUnit | str) -> str:
    """The longest prefix of ``text`` whose length is at most ``limit`` in ``unit``,
    never ending inside an emoji sequence or before a combining mark.

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
    while 0 < lo < len(text) and _joins_previous(text, lo):
        lo -= 1
    return text[:lo]
