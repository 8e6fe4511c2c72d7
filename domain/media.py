"""Recognising uploaded pictures by their bytes, before any decoder sees them.

The full decode happens when channels render; this check runs at upload so a file
that is not a picture, or one cut short, is refused at once with a clear reason.
"""

from __future__ import annotations

from domain.errors import InvalidInput

MAX_UPLOAD_BYTES = 30_000_000


def sniff_image(data: bytes, *, name: str = "the file") -> str:
    """Return the media type of a JPEG, PNG, GIF or WebP, or raise :class:`InvalidInput`.

    Catches the common failures without decoding: an empty file, a file of another kind
    (whatever its extension says), and a JPEG, PNG, GIF or WebP whose end is missing.
    """
    if not data:
        raise InvalidInput("{name} is empty", name=name)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            "{name} is {n_data:,} bytes; a picture may be at most {MAX_UPLOAD_BYTES:,} bytes",
            name=name,
            n_data=len(data),
            MAX_UPLOAD_BYTES=MAX_UPLOAD_BYTES,
        )
    if data.startswith(b"\xff\xd8\xff"):
        if data.rstrip(b"\x00").endswith(b"\xff\xd9"):
            return "image/jpeg"
        raise InvalidInput("{name} is a truncated JPEG (its end marker is missing)", name=name)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if data[-12:].startswith(b"\x00\x00\x00\x00IEND"):
            return "image/png"
        raise InvalidInput("{name} is a truncated PNG (its IEND chunk is missing)", name=name)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        if data.endswith(b"\x3b"):
            return "image/gif"
        raise InvalidInput("{name} is a truncated GIF", name=name)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        declared = int.from_bytes(data[4:8], "little") + 8
        if declared <= len(data):
            return "image/webp"
        raise InvalidInput("{name} is a truncated WebP", name=name)
    raise InvalidInput("{name} is not a JPEG, PNG, GIF or WebP picture", name=name)
