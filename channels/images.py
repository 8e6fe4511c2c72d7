"""The Pillow image pipeline shared by every channel.

``inspect`` checks that bytes are a picture we can fully decode (at upload); ``fit``
cuts a picture to a channel's :class:`~channels.base.ImageSpec`: turned upright by its
EXIF orientation, cropped to the ratio around a focus point, resized with Lanczos
(``reducing_gap``), flattened onto white, converted to sRGB through its ICC profile when
it has one, stripped of every piece of metadata, and re-encoded within the byte limit
(JPEG/WebP: quality steps down, then the size; PNG/GIF: optimise, 256 colours, then the
size). Animated pictures give their first frame. Large JPEGs are decoded at 1/2, 1/4 or
1/8 scale (``Image.draft``) when that still yields every pixel the cut keeps.

``fit_all`` cuts one source for several specs (all channels of a draft) and decodes it
once per JPEG draft scale; what it makes is remembered in a small bounded cache, so each
channel's own ``fit`` of the same cover afterwards is a lookup. ``cut``/``cut_all`` give
the pixels without encoding (previews, benchmarks).

Hostile input raises :class:`ImageProblem` (an ``InvalidInput``) with a one-line reason,
never another exception, and is refused before Pillow spends time on it:

- only JPEG, PNG, GIF and WebP are opened (``Image.open(formats=...)``), whatever the
  file was called — we only ever see bytes;
- a format-specific *preflight* walks the container in bounded time before Pillow does:
  JPEG segments (junk and fill bytes, segment count, number of progressive scans), PNG
  chunks (CRC of every chunk, chunk count, IEND present, and the pixel data inflated far
  enough to prove it is complete) and GIF blocks before the first frame. Pillow walks
  those structures in Python one chunk or even one byte at a time: 20 MB of padding
  keeps it busy for tens of seconds;
- the pixel size is read from the header and checked against :data:`MAX_PIXELS` before
  anything is decoded; oversized EXIF blocks are refused, oversized ICC profiles ignored;
- decoding is bounded by the pixel limit, and for progressive JPEGs by the scan budget.

Pillow's process-wide settings are left alone: ``ImageFile.LOAD_TRUNCATED_IMAGES`` stays
False and ``Image.MAX_IMAGE_PIXELS`` keeps its default (a second, looser line of
defence; ours is stricter and checked first, so Pillow's ``DecompressionBombWarning``
never fires for headers we parse). Known gap: a JPEG cut short and closed again with an
end marker decodes with a grey lower part — libjpeg only warns, and Pillow drops it.

Output is deterministic: the same bytes, spec, role and focus always give the same
output bytes — approvals are pinned to them. The JPEG draft scale is chosen from the
source size and that one spec only, never from the other specs in a batch.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageCms, UnidentifiedImageError

from channels.base import ImageSpec, VariantImage
from domain.errors import InvalidInput

MAX_PIXELS = 64_000_000  # 8000×8000; larger claims are refused before decoding
MAX_INPUT_BYTES = 30_000_000
MAX_EXIF_BYTES = 256 * 1024  # a JPEG APP1 holds 64 KB; more is a blob, not camera data
MAX_ICC_BYTES = 4 * 1024 * 1024  # larger profiles are ignored (plain conversion instead)
MAX_JPEG_JUNK = 64 * 1024  # stray and fill bytes between header segments
MAX_JPEG_SEGMENTS = 2_000  # header segments before the first scan
MAX_JPEG_SCANS = 500
MAX_JPEG_SCAN_PIXELS = 2_000_000_000  # scans × pixels: each progressive scan revisits the image
MAX_PNG_CHUNKS = 50_000
MAX_GIF_BLOCKS = 100_000  # sub-blocks before the first frame (XMP packets use many)
MIN_KEPT = 0.01  # a ratio cut keeping under 1 % of the picture is refused (1×10000 strips)
JPEG_QUALITIES = (90, 85, 80, 75, 70, 60, 50, 40)
WEBP_QUALITIES = JPEG_QUALITIES
DOWNSCALE_STEP = 0.8  # when the lowest quality is still too large, shrink at least this much
SHRUNK_QUALITY = 70
MIN_DOWNSCALED_SIDE = 64
REDUCING_GAP = 3.0  # Pillow: ≥3 is indistinguishable from a plain Lanczos resize
CACHE_BYTES = 64 * 1024 * 1024

ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
_FORMAT_ALIASES = {"MPO": "JPEG"}  # a JPEG with extra pictures (3D cameras): its first one

# EXIF orientation → the transpose that makes the picture upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES = {5, 6, 7, 8}


class ImageProblem(InvalidInput):
    """A picture that cannot be used, with the reason in one line."""


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int  # as displayed: after the EXIF orientation
    height: int
    media_type: str


# -- preflight: bounded walks over the container, before Pillow sees the bytes -------------


@dataclass(frozen=True)
class _Header:
    format: str
    width: int
    height: int
    scans: int = 1


def _u16(data: bytes, pos: int) -> int:
    return (data[pos] << 8) | data[pos + 1]


_FILL = re.compile(rb"\xff+")
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _preflight_jpeg(data: bytes) -> _Header:
    n, pos, junk, segments = len(data), 2, 0, 0
    width = height = 0
    while True:
        if pos + 1 >= n:
            raise ImageProblem("the JPEG ends before its picture data (truncated)")
        if data[pos] != 0xFF:
            nxt = data.find(b"\xff", pos)
            if nxt < 0:
                raise ImageProblem("the JPEG ends before its picture data (truncated)")
            junk += nxt - pos
            pos = nxt
        else:
            run = _FILL.match(data, pos)
            assert run is not None
            if run.end() - pos > 1:  # fill bytes before a marker
                junk += run.end() - pos - 1
                pos = run.end() - 1
                continue
            marker = data[pos + 1]
            if marker == 0x00:  # an escaped 0xFF outside a scan: junk
                junk += 2
                pos += 2
            elif marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
                pos += 2
                segments += 1
            elif marker == 0xD9:
                raise ImageProblem("the JPEG has no picture data (it ends before the first scan)")
            else:
                if pos + 4 > n:
                    raise ImageProblem("the JPEG ends inside its header (truncated)")
                length = _u16(data, pos + 2)
                if length < 2 or pos + 2 + length > n:
                    raise ImageProblem("the JPEG header is damaged (a segment overruns the file)")
                segments += 1
                if marker in _SOF and length >= 7 and not width:
                    height, width = _u16(data, pos + 5), _u16(data, pos + 7)
                if marker == 0xDA:
                    break
                pos += 2 + length
        if junk > MAX_JPEG_JUNK:
            raise ImageProblem("the JPEG header is padded with junk bytes; save the picture again")
        if segments > MAX_JPEG_SEGMENTS:
            raise ImageProblem(
                "the JPEG header has over {MAX_JPEG_SEGMENTS:,} segments",
                MAX_JPEG_SEGMENTS=MAX_JPEG_SEGMENTS,
            )
    if not width or not height:
        raise ImageProblem("the JPEG header gives no picture size")
    # Inside entropy-coded data 0xFF is always stuffed or a restart marker, so every
    # further FFDA is a scan header (or, at worst, bytes in a table: an over-count).
    return _Header("JPEG", width, height, scans=1 + data.count(b"\xff\xda", pos + 2))


_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _png_raw_bytes(ihdr: bytes) -> int:
    """How many bytes the IDAT stream must inflate to (filter byte + packed row, per row)."""
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", ihdr[:13])
    channels = _PNG_CHANNELS.get(colour)
    if channels is None or depth not in (1, 2, 4, 8, 16):
        raise ImageProblem("the PNG header is damaged (unknown colour type or bit depth)")

    def rows(w: int, h: int) -> int:
        return h * (1 + (w * channels * depth + 7) // 8) if w and h else 0

    if not interlace:
        return rows(width, height)
    return sum(
        rows((width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy) for x0, y0, dx, dy in _ADAM7
    )


def _check_idat(parts: list[memoryview], expected: int) -> None:
    """Inflate the pixel data (in 1 MB steps, nothing kept) far enough to prove it is all
    there: Pillow accepts a deflate stream that ends early and leaves the rest black."""
    inflater = zlib.decompressobj()
    produced = 0
    try:
        for part in parts:
            pending: bytes | memoryview = part
            while pending:
                produced += len(inflater.decompress(pending, 1 << 20))
                if produced >= expected:
                    return
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        raise ImageProblem("the PNG is damaged: its compressed pixel data is broken") from None
    raise ImageProblem(
        "the PNG is truncated: its pixel data stops at {produced:,} of {expected:,} bytes",
        produced=produced,
        expected=expected,
    )


def _preflight_png(data: bytes) -> _Header:
    n, pos, chunks = len(data), 8, 0
    view = memoryview(data)
    width = height = 0
    expected = 0
    idat: list[memoryview] = []
    while True:
        if pos + 12 > n:
            raise ImageProblem("the PNG is truncated (it ends before its IEND chunk)")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 8 + length
        if end + 4 > n:
            raise ImageProblem("the PNG is truncated (a chunk runs past the end of the file)")
        if zlib.crc32(view[pos + 4 : end]) != struct.unpack_from(">I", data, end)[0]:
            name = kind.decode("latin-1")
            if not name.isalnum():
                name = "a"
            raise ImageProblem(
                "the PNG is damaged: its {name} chunk fails its checksum (CRC)", name=name
            )
        chunks += 1
        if chunks == 1:
            if kind != b"IHDR" or length < 13:
                raise ImageProblem("the PNG is damaged: it does not start with its IHDR header")
            width, height = struct.unpack_from(">II", data, pos + 8)
            _check_size(width, height)
            expected = _png_raw_bytes(data[pos + 8 : end])
        elif kind == b"IDAT":
            idat.append(view[pos + 8 : end])
        if chunks > MAX_PNG_CHUNKS:
            raise ImageProblem(
                "the PNG has over {MAX_PNG_CHUNKS:,} chunks", MAX_PNG_CHUNKS=MAX_PNG_CHUNKS
            )
        if kind == b"IEND":
            _check_idat(idat, expected)
            return _Header("PNG", width, height)
        pos = end + 4


def _preflight_gif(data: bytes) -> _Header:
    n = len(data)
    if n < 13:
        raise ImageProblem("the GIF is truncated (no screen descriptor)")
    width, height = struct.unpack_from("<HH", data, 6)
    flags = data[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    blocks = 0
    while True:
        if pos >= n:
            raise ImageProblem("the GIF is truncated (it ends before its first frame)")
        introducer = data[pos]
        if introducer == 0x2C:  # image descriptor: the first frame
            if pos + 10 > n:
                raise ImageProblem("the GIF is truncated (inside its first frame)")
            left, top, w, h = struct.unpack_from("<HHHH", data, pos + 1)
            # Pillow grows the canvas to hold a frame that sticks out of it.
            return _Header("GIF", max(width, left + w), max(height, top + h))
        if introducer == 0x3B:
            raise ImageProblem("the GIF has no frames")
        if introducer != 0x21 or pos + 2 > n:
            raise ImageProblem("the GIF is damaged (unknown block before its first frame)")
        pos += 2  # extension introducer and label, then data sub-blocks up to an empty one
        while True:
            if pos >= n:
                raise ImageProblem("the GIF is truncated (inside an extension block)")
            size = data[pos]
            pos += 1 + size
            blocks += 1
            if blocks > MAX_GIF_BLOCKS:
                raise ImageProblem(
                    "the GIF has over {MAX_GIF_BLOCKS:,} blocks before a frame",
                    MAX_GIF_BLOCKS=MAX_GIF_BLOCKS,
                )
            if size == 0:
                break


def _preflight_webp(data: bytes) -> _Header:
    # RIFF....WEBP then VP8 (lossy), VP8L (lossless) or VP8X (extended: canvas size).
    if len(data) < 30:
        raise ImageProblem("the WebP is truncated")
    kind = data[12:16]
    if kind == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
    elif kind == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        width, height = 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    elif kind == b"VP8 ":
        width = int.from_bytes(data[26:28], "little") & 0x3FFF
        height = int.from_bytes(data[28:30], "little") & 0x3FFF
    else:
        raise ImageProblem("the WebP is damaged (unknown first chunk)")
    return _Header("WEBP", width, height)


def _preflight(data: bytes) -> _Header | None:
    """The format and the size the header claims, after a bounded walk; None if unknown."""
    if data[:3] == b"\xff\xd8\xff":
        return _preflight_jpeg(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _preflight_png(data)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _preflight_gif(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _preflight_webp(data)
    return None


# -- opening and decoding ---------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise ImageProblem(
            "the image header gives an empty size ({width}×{height})", width=width, height=height
        )
    if width * height > MAX_PIXELS:
        raise ImageProblem(
            "the image claims {width}×{height} pixels; at most {MAX_PIXELS:,} pixels are accepted",
            width=width,
            height=height,
            MAX_PIXELS=MAX_PIXELS,
        )


def _preflighted(data: bytes) -> _Header:
    """Every check that needs no decoding and no Pillow: emptiness, size, container walk."""
    if not data:
        raise ImageProblem("the image file is empty")
    if len(data) > MAX_INPUT_BYTES:
        raise ImageProblem(
            "the image is {n_data:,} bytes; at most {MAX_INPUT_BYTES:,}",
            n_data=len(data),
            MAX_INPUT_BYTES=MAX_INPUT_BYTES,
        )
    header = _preflight(data)
    if header is None:
        raise ImageProblem("the file is not a JPEG, PNG, GIF or WebP picture")
    _check_size(header.width, header.height)
    return header


def _open(data: bytes, header: _Header) -> Image.Image:
    """Open ``data`` lazily (nothing decoded yet); ``header`` comes from ``_preflighted``."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError:
        raise ImageProblem(
            "the file looks like a {format} but cannot be read", format=header.format
        ) from None
    except Image.DecompressionBombError:
        raise ImageProblem("the image claims too many pixels (decompression bomb)") from None
    except Exception as exc:  # Pillow raises many kinds on broken headers
        raise ImageProblem("the image header is damaged ({exc})", exc=_reason(exc)) from None
    _check_size(image.width, image.height)
    if header.format == "JPEG" and (
        header.scans > MAX_JPEG_SCANS
        or header.scans * image.width * image.height > MAX_JPEG_SCAN_PIXELS
    ):
        raise ImageProblem(
            "the JPEG has {scans} scans for {width}×{height} pixels; too many to decode — save it "
            "again as a normal JPEG",
            scans=header.scans,
            width=image.width,
            height=image.height,
        )
    _check_metadata(image)
    return image


def _check_metadata(image: Image.Image) -> None:
    exif = image.info.get("exif")
    if exif and len(exif) > MAX_EXIF_BYTES:
        raise ImageProblem(
            "the image carries {n_exif:,} bytes of EXIF metadata; at most {MAX_EXIF_BYTES:,} — "
            "save it again without metadata",
            n_exif=len(exif),
            MAX_EXIF_BYTES=MAX_EXIF_BYTES,
        )


def _load(image: Image.Image) -> Image.Image:
    try:
        image.load()
    except Image.DecompressionBombError:
        raise ImageProblem("the image claims too many pixels (decompression bomb)") from None
    except Exception as exc:
        raise ImageProblem("the image is truncated or damaged ({exc})", exc=_reason(exc)) from None
    _check_size(image.width, image.height)
    _check_metadata(image)  # a PNG may carry its EXIF after the pixels
    return image


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation tag (1–8); a damaged EXIF block counts as upright."""
    if "exif" not in image.info:
        return 1
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # broken EXIF is common in the wild; the pixels are still good
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def inspect(data: bytes) -> ImageInfo:
    """Decode the whole picture once to prove it is usable; return what it is.

    JPEGs are decoded at 1/8 scale: that still reads every byte of the compressed data
    (so truncation and corruption show) at a fraction of the cost.
    """
    header = _preflighted(data)
    image = _open(data, header)
    orientation = _orientation(image)
    width, height = image.size
    if header.format == "JPEG":
        image.draft(None, (max(1, width // 8), max(1, height // 8)))
    _load(image)
    if header.format != "JPEG":
        width, height = image.size  # a GIF canvas may grow to hold its first frame
    if orientation in _SWAPS_AXES:
        width, height = height, width
    fmt = _FORMAT_ALIASES.get(image.format or "", image.format or header.format)
    return ImageInfo(format=fmt, width=width, height=height, media_type=MEDIA_TYPES[fmt])


# -- geometry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    box: tuple[float, float, float, float]  # the cut, in upright full-size pixels
    size: tuple[int, int]  # the output size


def _focus(focus: tuple[float, float] | None) -> tuple[float, float]:
    if focus is None:
        return (0.5, 0.5)
    fx, fy = focus

    def clamp(v: float) -> float:
        return 0.5 if not math.isfinite(v) else min(max(float(v), 0.0), 1.0)

    return (clamp(fx), clamp(fy))


def _plan(
    size: tuple[int, int], spec: ImageSpec, focus: tuple[float, float], role: str = "cover"
) -> _Plan:
    """Where to cut and how big the result is; the cut is centred on ``focus`` (fractions
    of the upright picture) and slides back inside the picture at the edges."""
    width, height = size
    if spec.ratio:
        rw, rh = spec.ratio
        if rw <= 0 or rh <= 0:
            raise ValueError(f"bad ratio {spec.ratio}")
        if width * rh > height * rw:  # too wide: cut the sides
            cut_w, cut_h = height * rw / rh, float(height)
        else:  # too tall: cut top and bottom
            cut_w, cut_h = float(width), width * rh / rw
        if cut_w < 1 or cut_h < 1 or (cut_w * cut_h) / (width * height) < MIN_KEPT:
            raise ImageProblem(
                "the {role} picture is {width}×{height}; cut to {rw}:{rh} only "
                "{cut_w:.0f}×{cut_h:.0f} would remain — use a picture closer to {rw}:{rh}",
                role=role,
                width=width,
                height=height,
                rw=rw,
                rh=rh,
                cut_w=max(cut_w, 0),
                cut_h=max(cut_h, 0),
            )
    else:
        cut_w, cut_h = float(width), float(height)
    fx, fy = focus
    left = min(max(fx * width - cut_w / 2, 0.0), width - cut_w)
    top = min(max(fy * height - cut_h / 2, 0.0), height - cut_h)
    scale = min(1.0, spec.max_width / cut_w)
    if spec.max_height:
        scale = min(scale, spec.max_height / cut_h)
    out_w = max(1, round(cut_w * scale))
    if spec.ratio:  # keep the ratio exact (900 wide at 2.35:1 is 383 high)
        out_h = max(1, round(out_w * spec.ratio[1] / spec.ratio[0]))
        if spec.max_height and out_h > spec.max_height:
            out_h = spec.max_height
            out_w = max(1, round(out_h * spec.ratio[0] / spec.ratio[1]))
    else:
        out_h = max(1, round(cut_h * scale))
    return _Plan((left, top, left + cut_w, top + cut_h), (out_w, out_h))


def _draft_scale(raw_size: tuple[int, int], plan: _Plan) -> int:
    """The JPEG DCT scale (1, 2, 4 or 8) that still decodes at least the pixels the cut
    needs, chosen the way Pillow's ``draft`` chooses from a requested size."""
    need = (plan.size[0]) / (plan.box[2] - plan.box[0])
    if need >= 1.0:
        return 1
    req_w = max(1, math.ceil(raw_size[0] * need))
    req_h = max(1, math.ceil(raw_size[1] * need))
    fits = min(raw_size[0] // req_w, raw_size[1] // req_h)
    return next(s for s in (8, 4, 2, 1) if fits >= s)


# -- pixels -----------------------------------------------------------------------------


@dataclass
class _Decoded:
    image: Image.Image  # upright; mode RGB, RGBA, L, LA or CMYK
    scale: int  # decoded pixel = full-size pixel / scale
    icc: bytes | None


def _normalise(image: Image.Image) -> Image.Image:
    """Bring any decoded mode to RGB, RGBA, L, LA or CMYK (those resize well)."""
    mode = image.mode
    if mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return image
    if mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode in ("PA", "RGBa"):
        return image.convert("RGBA")
    if mode == "La":
        return image.convert("LA")
    if mode == "1":
        return image.convert("L")
    if mode.startswith("I;16") or mode in ("I", "F"):
        # 16-bit grey: scale 0..65535 to 0..255 (Pillow's own conversion clips instead).
        wide = image if mode in ("I", "F") else image.convert("I")
        return wide.point(lambda v: v / 257 + 0.5).convert("L")  # rounded
    return image.convert("RGB")  # YCbCr, LAB, HSV, RGBX ...


def _decode(data: bytes, header: _Header, scale: int) -> _Decoded:
    image = _open(data, header)
    orientation = _orientation(image)
    if header.format == "JPEG" and scale > 1:
        result = image.draft(None, (max(1, image.width // scale), max(1, image.height // scale)))
        scale = round(header.width / result[1][2]) if result else 1
    image = _load(image)
    icc = image.info.get("icc_profile")
    adobe = "adobe" in image.info
    try:
        if image.mode == "CMYK" and image.format in ("JPEG", "MPO") and not adobe:
            # Pillow stores every CMYK JPEG as Adobe-inverted; without Adobe's APP14
            # marker the file holds plain ink values (as libvips reads them).
            image = image.point(lambda v: 255 - v)
        if orientation in _UPRIGHT:
            image = image.transpose(_UPRIGHT[orientation])
        image = _normalise(image)
    except ImageProblem:
        raise
    except Exception as exc:
        raise ImageProblem("the image could not be converted ({exc})", exc=_reason(exc)) from None
    if icc and len(icc) > MAX_ICC_BYTES:
        icc = None
    return _Decoded(image, scale, icc)


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


_ICC_SPACE = {"RGB": "RGB ", "CMYK": "CMYK", "L": "GRAY"}


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB pixels in sRGB: through the embedded ICC profile when there is a usable one,
    else Pillow's plain conversion (which for CMYK is the naive ink formula)."""
    if icc and image.mode in _ICC_SPACE:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            space = profile.profile.xcolor_space
            description = (profile.profile.profile_description or "").strip()
            if space == _ICC_SPACE[image.mode] and not description.lower().startswith("srgb"):
                converted = ImageCms.profileToProfile(image, profile, _srgb(), outputMode="RGB")
                if converted is not None:
                    return converted
        except Exception:  # a broken or exotic profile: fall back to the plain conversion
            pass
    return image if image.mode == "RGB" else image.convert("RGB")


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent pixels go onto white: platforms show transparency as black or white."""
    if image.mode not in ("RGBA", "LA"):
        return image
    base = "RGB" if image.mode == "RGBA" else "L"
    background = Image.new(base, image.size, 255 if base == "L" else (255, 255, 255))
    background.paste(image.convert(base), mask=image.getchannel("A"))
    return background


def _render(decoded: _Decoded, plan: _Plan) -> Image.Image:
    """Cut and resize the decoded picture to the plan; RGB, sRGB, no metadata."""
    image, s = decoded.image, decoded.scale
    box = tuple(v / s for v in plan.box)
    if plan.size == image.size and box == (0, 0, *image.size):
        out = image.copy()
    else:
        out = image.resize(plan.size, Image.Resampling.LANCZOS, box=box, reducing_gap=REDUCING_GAP)
    out = _to_srgb(_flatten(out), decoded.icc)
    out.info = {}  # no EXIF, ICC, XMP, text chunks, DPI or transparency carried over
    return out


# -- encoding ---------------------------------------------------------------------------


def _save(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def _shrink(image: Image.Image, encoded: int, max_bytes: int) -> Image.Image | None:
    """A smaller copy, sized from how far over the limit the last attempt was (bytes grow
    roughly with the pixel count); None when it would fall below the smallest we make."""
    factor = min(DOWNSCALE_STEP, 0.95 * math.sqrt(max_bytes / max(encoded, 1)))
    factor = max(factor, 0.25)
    size = (round(image.width * factor), round(image.height * factor))
    if min(size) < MIN_DOWNSCALED_SIDE:
        return None
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)


def _encode_lossy(image: Image.Image, fmt: str, max_bytes: int) -> tuple[bytes, Image.Image] | None:
    def attempt(picture: Image.Image, quality: int) -> bytes:
        if fmt == "JPEG":
            return _save(picture, "JPEG", quality=quality, optimize=True, progressive=True)
        return _save(picture, "WEBP", quality=quality, method=4)

    ladder = JPEG_QUALITIES if fmt == "JPEG" else WEBP_QUALITIES
    for quality in ladder:  # the quality steps down until the picture fits
        encoded = attempt(image, quality)
        if len(encoded) <= max_bytes:
            return encoded, image
    picture: Image.Image | None = image
    while (picture := _shrink(picture, len(encoded), max_bytes)) is not None:
        encoded = attempt(picture, SHRUNK_QUALITY)  # then the size, at a middling quality
        if len(encoded) <= max_bytes:
            return encoded, picture
    return None


def _encode_lossless(
    image: Image.Image, fmt: str, max_bytes: int
) -> tuple[bytes, Image.Image] | None:
    encoded = b""
    if fmt == "PNG":
        encoded = _save(image, "PNG")
        if len(encoded) <= max_bytes:
            return encoded, image
        if len(encoded) <= max_bytes * 1.2:  # zlib's best effort wins a few per cent at most
            encoded = _save(image, "PNG", optimize=True)
            if len(encoded) <= max_bytes:
                return encoded, image
    # 256 colours (deterministic octree quantiser with dithering), then smaller.
    picture: Image.Image | None = image
    while picture is not None:
        quantised = picture.quantize(256, method=Image.Quantize.FASTOCTREE)
        quantised.info = {}
        encoded = _save(quantised, fmt)
        if len(encoded) <= max_bytes:
            return encoded, picture
        picture = _shrink(picture, len(encoded), max_bytes)
    return None


def _encode(image: Image.Image, spec: ImageSpec, role: str) -> VariantImage:
    for fmt in spec.formats:
        fmt = fmt.upper()
        if fmt in ("JPEG", "WEBP"):
            result = _encode_lossy(image, fmt, spec.max_bytes)
        elif fmt in ("PNG", "GIF"):
            result = _encode_lossless(image, fmt, spec.max_bytes)
        else:
            raise ValueError(f"cannot encode {fmt}; an ImageSpec may use {ACCEPTED_FORMATS}")
        if result is not None:
            encoded, final = result
            return VariantImage(
                role=role,
                media_type=MEDIA_TYPES[fmt],
                data=encoded,
                width=final.width,
                height=final.height,
            )
    raise ImageProblem(
        "the {role} picture stays above {max_bytes:,} bytes even at low quality and reduced size",
        role=role,
        max_bytes=spec.max_bytes,
    )


# -- the public pipeline ----------------------------------------------------------------


class _Cache:
    """Fitted pictures by (source hash, spec, role, focus): ``fit_all`` fills it so each
    channel's own ``fit`` of the same cover is a lookup. Results are a pure function of
    the key, so the cache never changes an output; it is bounded by bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, VariantImage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> VariantImage | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple, item: VariantImage) -> None:
        with self._lock:
            if key in self._items or len(item.data) > self.max_bytes:
                return
            self._items[key] = item
            self._bytes += len(item.data)
            while self._bytes > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old.data)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


_cache = _Cache(CACHE_BYTES)


def clear_cache() -> None:
    """Forget fitted pictures (benchmarks and tests that measure cold work)."""
    _cache.clear()


def _fit_many(
    data: bytes,
    specs: Mapping[str, ImageSpec],
    *,
    role: str,
    focus: tuple[float, float] | None,
    encode: bool = True,
) -> tuple[dict[str, Any], dict[str, ImageProblem]]:
    """Every spec's picture (encoded, or the pixels) and, apart, the specs that failed.
    A problem of the source itself (unreadable, too large, damaged) is raised at once."""
    focus = _focus(focus)
    header = _preflighted(data)
    image = _open(data, header)
    raw = image.size
    upright = (raw[1], raw[0]) if _orientation(image) in _SWAPS_AXES else raw
    results: dict[str, Any] = {}
    failures: dict[str, ImageProblem] = {}
    plans: dict[str, _Plan] = {}
    for key, spec in specs.items():
        try:
            plans[key] = _plan(upright, spec, focus, role)
        except ImageProblem as problem:
            failures[key] = problem
    groups: dict[int, list[str]] = {}
    for key, plan in plans.items():
        scale = _draft_scale(raw, plan) if header.format == "JPEG" else 1
        groups.setdefault(scale, []).append(key)
    for scale in sorted(groups):  # one decode per JPEG draft scale; one in all otherwise
        decoded = _decode(data, header, scale)
        for key in groups[scale]:
            try:
                pixels = _render(decoded, plans[key])
                results[key] = _encode(pixels, specs[key], role) if encode else pixels
            except ImageProblem as problem:
                failures[key] = problem
            except ValueError:
                raise  # a spec we cannot honour: a programming error, not the picture's
            except Exception as exc:  # MemoryError and friends: still one clear line
                failures[key] = ImageProblem(
                    "the {role} picture could not be processed ({exc})", role=role, exc=_reason(exc)
                )
    return results, failures


def fit_all(
    data: bytes,
    specs: Mapping[str, ImageSpec],
    *,
    role: str = "cover",
    focus: tuple[float, float] | None = None,
) -> dict[str, VariantImage]:
    """Cut ``data`` to every spec (keyed, e.g., by channel), decoding the source once per
    JPEG draft scale instead of once per spec. Each result is byte-identical to what
    ``fit(data, spec, role=role, focus=focus)`` gives, and is remembered so that call
    is then a lookup: render all channels of a draft after one ``fit_all``. If a spec
    cannot be met, the others are still made and remembered, then its problem is raised."""
    digest = hashlib.sha256(data).digest()
    focus_key = _focus(focus)
    found: dict[str, VariantImage] = {}
    missing: dict[str, ImageSpec] = {}
    for key, spec in specs.items():
        cached = _cache.get((digest, spec, role, focus_key))
        if cached is not None:
            found[key] = cached
        else:
            missing[key] = spec
    if missing:
        made, failures = _fit_many(data, missing, role=role, focus=focus)
        for key, image in made.items():
            _cache.put((digest, missing[key], role, focus_key), image)
            found[key] = image
        if failures:
            raise failures[next(key for key in missing if key in failures)]
    return {key: found[key] for key in specs}


def fit(
    data: bytes,
    spec: ImageSpec,
    *,
    role: str = "cover",
    focus: tuple[float, float] | None = None,
) -> VariantImage:
    """Cut ``data`` to ``spec`` and re-encode it; the result carries no metadata."""
    return fit_all(data, {role: spec}, role=role, focus=focus)[role]


def cut_all(
    data: bytes,
    specs: Mapping[str, ImageSpec],
    *,
    focus: tuple[float, float] | None = None,
) -> dict[str, Image.Image]:
    """The pixels ``fit_all`` would encode (RGB, cut and resized, not cached): for previews
    and for measuring the decode-once path without the encoder."""
    made, failures = _fit_many(data, specs, role="cover", focus=focus, encode=False)
    if failures:
        raise failures[next(key for key in specs if key in failures)]
    return made


def cut(data: bytes, spec: ImageSpec, *, focus: tuple[float, float] | None = None) -> Image.Image:
    """The pixels ``fit`` would encode (RGB, cut and resized)."""
    return cut_all(data, {"cut": spec}, focus=focus)["cut"]
