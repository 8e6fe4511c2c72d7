"""Fast scanning primitives shared by the regex-based checks.

Why this exists: CPython's ``re`` scans a string at about 1 ns per character
when a pattern starts with a literal ("月", "http", "#"), but at about 20 ns per
character when it starts with a character class such as ``[0-9]``, and slower
still with a lookbehind first. With one class-led pattern per check the
regex checks would cost more than the Aho-Corasick term scan itself. So the
checks look for literal anchors, and digit-based checks (ID, phone and card
numbers, 2024-06-01 dates) search a one-byte-per-character *shape* of the text
with ``bytes.find``, then confirm each candidate with a precise regex on the
text itself.
"""

from __future__ import annotations

from collections.abc import Iterator

# Shape of a text: one byte per character (so offsets are the same), ASCII digits
# -> "0", "X"/"x" -> "X", "-", "/" and " " kept, everything else -> ".".
_SHAPE_TABLE = bytes(
    0x30 if 0x30 <= i <= 0x39 else i if i in b"-/ " else 0x58 if i in b"Xx" else 0x2E
    for i in range(256)
)


def digit_shape(text: str) -> bytes:
    """``text`` as bytes of the same length: digits "0", X, "-", "/", " ", else ".".

    Non-ASCII characters become "?" under ``encode(..., "replace")`` (one byte
    per code point, lone surrogates included) and then ".".
    """
    return text.encode("ascii", "replace").translate(_SHAPE_TABLE)


def find_all(haystack: bytes | str, needle: bytes | str) -> Iterator[int]:
    """Every start offset of ``needle`` in ``haystack``, overlapping ones included."""
    i = haystack.find(needle)  # type: ignore[arg-type]
    while i != -1:
        yield i
        i = haystack.find(needle, i + 1)  # type: ignore[arg-type]
