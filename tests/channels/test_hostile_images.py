"""A corpus of hostile pictures, run through ``inspect`` and ``fit``.

Each file is generated here (Pillow writes most; the rest are hand-made bytes). A hostile
file must be refused with an :class:`ImageProblem` whose message is one line, quickly:
never another exception type, never a hang. The guards that make this true are listed
in ``channels/images.py``; several files below took Pillow alone 10–25 s to walk.
"""

from __future__ import annotations

import io
import struct
import time
import zlib
from collections.abc import Callable
from functools import cache

import pytest
from PIL import Image, ImageFile

from channels import images
from channels.base import ImageSpec, VariantImage
from channels.images import ImageProblem, fit, inspect
from domain.errors import InvalidInput

# CPU seconds of the calling thread per call (Pillow decodes in it): other processes on a
# loaded machine do not count, while a picture that makes the decoder work does.
TIME_LIMIT = 2.0

SPECS = {
    "2.35:1-jpeg": ImageSpec(ratio=(235, 100), max_width=900, max_height=383, max_bytes=1_000_000),
    "1:1-jpeg-small": ImageSpec(ratio=(1, 1), max_width=400, max_bytes=8_000),
    "3:4-jpeg": ImageSpec(ratio=(3, 4), max_width=1080, max_height=1440, max_bytes=2_000_000),
    "none-jpeg": ImageSpec(ratio=None, max_width=1200, max_bytes=1_500_000),
    "none-png-small": ImageSpec(ratio=None, max_width=600, max_bytes=20_000, formats=("PNG",)),
    "3:4-png": ImageSpec(ratio=(3, 4), max_width=300, max_bytes=60_000, formats=("PNG",)),
}


# -- building blocks ----------------------------------------------------------------------


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


@cache
def _jpeg() -> bytes:
    image = Image.linear_gradient("L").convert("RGB").resize((320, 240))
    return _encode(image, "JPEG", quality=85)


@cache
def _png() -> bytes:
    return _encode(Image.linear_gradient("L").resize((64, 48)).convert("RGB"), "PNG")


@cache
def _gif() -> bytes:
    return _encode(Image.linear_gradient("L").resize((64, 48)).convert("P"), "GIF")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_of(width: int, height: int, idat: bytes, *, color_type: int = 0) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def _zero_rows(width: int, height: int) -> bytes:
    """zlib stream of ``height`` grey rows of zeros, compressed row by row (no big buffer)."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    parts = [packer.compress(row) for _ in range(height)]
    return b"".join(parts) + packer.flush()


def _jpeg_segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def _insert_after_soi(jpeg: bytes, extra: bytes) -> bytes:
    return jpeg[:2] + extra + jpeg[2:]


# -- the corpus ---------------------------------------------------------------------------


def empty() -> bytes:
    return b""


def text_named_jpg() -> bytes:
    return "这不是图片 — this is a text file someone named cover.jpg\n".encode() * 20


def html_with_script() -> bytes:
    return b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"


def bmp_picture() -> bytes:
    return _encode(Image.new("RGB", (32, 32), "red"), "BMP")


def tiff_picture() -> bytes:
    return _encode(Image.new("RGB", (32, 32), "red"), "TIFF")


def truncated_jpeg() -> bytes:
    data = _jpeg()
    return data[: len(data) // 2]


def jpeg_header_only() -> bytes:
    data = _jpeg()
    return data[: data.index(b"\xff\xda") + 20]


def jpeg_no_scan() -> bytes:
    data = _jpeg()
    return data[: data.index(b"\xff\xda")] + b"\xff\xd9"


def random_bytes_with_jpeg_magic() -> bytes:
    return b"\xff\xd8\xff\xe0" + bytes((i * 37 + 11) % 256 for i in range(5000))


def jpeg_claiming_65535_square() -> bytes:
    data = bytearray(_jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 65535, 65535)
    return bytes(data)


@cache
def jpeg_fill_flood() -> bytes:
    data = _jpeg()
    return data[:2] + b"\xff" * 20_000_000 + data[2:]


@cache
def jpeg_segment_flood() -> bytes:
    return _insert_after_soi(_jpeg(), b"\xff\xef\x00\x02" * 2_000_000)


@cache
def jpeg_junk_between_segments() -> bytes:
    data = _jpeg()
    return data[:20] + b"\x00" * 5_000_000 + data[20:]


@cache
def jpeg_scan_flood() -> bytes:
    """A progressive JPEG whose last small refinement scan is repeated 100 000 times."""
    image = Image.linear_gradient("L").convert("RGB").resize((512, 512))
    data = _encode(image, "JPEG", progressive=True, quality=80)
    starts = [i for i in range(len(data) - 1) if data[i : i + 2] == b"\xff\xda"]
    scans = [data[a:b] for a, b in zip(starts, [*starts[1:], len(data) - 2], strict=True)]
    small = min(scans, key=len)
    return data[:-2] + small * 100_000 + b"\xff\xd9"


@cache
def jpeg_huge_exif() -> bytes:
    """Ten 64 KB Exif segments: Pillow joins them into one 650 KB blob."""
    first = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00" + b"\x00" * 65_000
    rest = b"Exif\x00\x00" + b"\x00" * 65_000
    segments = _jpeg_segment(0xE1, first) + _jpeg_segment(0xE1, rest) * 9
    return _insert_after_soi(_jpeg(), segments)


def jpeg_exif_ifd_bomb() -> bytes:
    """One 64 KB Exif segment whose first directory claims 5 000 entries of 1 GB each."""
    entries = struct.pack(">HHII", 0x0112, 4, 0x10000000, 8) * 5_000
    tiff = b"MM\x00*\x00\x00\x00\x08" + struct.pack(">H", 5_000) + entries + b"\x00\x00\x00\x00"
    return _insert_after_soi(_jpeg(), _jpeg_segment(0xE1, b"Exif\x00\x00" + tiff[:65_000]))


def truncated_png() -> bytes:
    data = _png()
    return data[: len(data) // 2]


def png_claiming_60000_square() -> bytes:
    return _png_of(60_000, 60_000, zlib.compress(b"\x00" * 60_001))


@cache
def png_bomb_100_megapixels() -> bytes:
    """10 000 × 10 000 grey pixels of zero in about 100 KB (refused from the header)."""
    return _png_of(10_000, 10_000, _zero_rows(10_000, 10_000))


def png_81_megapixels_header() -> bytes:
    """Above our limit, below Pillow's own warning threshold: our check must catch it."""
    return _png_of(9_000, 9_000, zlib.compress(b"\x00" * 9_001))


def png_zero_size() -> bytes:
    return _png_of(0, 0, zlib.compress(b""))


def png_corrupt_idat() -> bytes:
    """The deflate stream inside IDAT is damaged; the chunk's CRC is recomputed to match."""
    image = Image.linear_gradient("L").resize((256, 256))
    raw = _encode(image, "PNG")
    start = raw.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", raw[start : start + 4])
    body = bytearray(raw[start + 8 : start + 8 + length])
    for i in range(10, len(body) - 4, 7):
        body[i] ^= 0x5A
    return raw[:start] + _chunk(b"IDAT", bytes(body)) + raw[start + 12 + length :]


def png_bad_crc() -> bytes:
    data = bytearray(_png())
    idat = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[idat - 4 : idat])
    data[idat + 4 + length] ^= 0xFF  # first byte of the IDAT CRC
    return bytes(data)


def png_short_idat() -> bytes:
    """Well-formed chunks, but the pixel data stops after two of 64 rows."""
    return _png_of(64, 64, zlib.compress(b"\x00" * 130))


def png_no_iend() -> bytes:
    data = _png()
    return data[: data.rindex(b"IEND") - 4]


@cache
def png_chunk_flood() -> bytes:
    data = _png()
    return data[:33] + _chunk(b"abCd", b"") * 2_000_000 + data[33:]


@cache
def png_text_bomb() -> bytes:
    """A zTXt chunk inflating to 50 MB."""
    data = _png()
    bomb = _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 50_000_000, 9))
    return data[:33] + bomb + data[33:]


@cache
def png_huge_exif() -> bytes:
    exif = b"MM\x00*\x00\x00\x00\x08\x00\x00" + b"\x00" * 2_000_000
    return _encode(Image.new("RGB", (16, 16), "red"), "PNG", exif=exif)


def truncated_gif() -> bytes:
    data = _gif()
    return data[: len(data) // 2]


def gif_claiming_65535_square() -> bytes:
    header = b"GIF89a" + struct.pack("<HHBBB", 65535, 65535, 0x80, 0, 0) + b"\x00" * 6
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 65535, 65535, 0) + b"\x02\x02\x44\x01\x00"
    return header + frame + b"\x3b"


def gif_frame_bigger_than_screen() -> bytes:
    header = b"GIF89a" + struct.pack("<HHBBB", 16, 16, 0x80, 0, 0) + b"\x00" * 6
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 30_000, 30_000, 0) + b"\x02\x02\x44\x01\x00"
    return header + frame + b"\x3b"


@cache
def gif_extension_flood() -> bytes:
    data = _gif()
    flags = data[10]
    table = 3 << ((flags & 7) + 1) if flags & 0x80 else 0
    at = 13 + table
    return data[:at] + b"\x21\xfe" + b"\x01a" * 3_000_000 + b"\x00" + data[at:]


def gif_no_frames() -> bytes:
    return b"GIF89a" + struct.pack("<HHBBB", 16, 16, 0, 0, 0) + b"\x3b"


@cache
def _animated_webp() -> bytes:
    frames = [Image.new("RGB", (16, 16), colour) for colour in ("red", "blue")]
    return _encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)


def webp_canvas_bomb() -> bytes:
    """An animated WebP whose canvas claims 16 384 × 16 384 (1 GB of RGBA to allocate)."""
    data = bytearray(_animated_webp())
    assert data[12:16] == b"VP8X"
    data[24:30] = (16_383).to_bytes(3, "little") * 2
    return bytes(data)


def webp_lossless_claiming_16384_square() -> bytes:
    data = bytearray(_encode(Image.new("RGB", (16, 16), "red"), "WEBP", lossless=True))
    assert data[12:16] == b"VP8L"
    bits = int.from_bytes(data[21:25], "little")
    bits = (bits & ~((1 << 28) - 1)) | 16_383 | (16_383 << 14)
    data[21:25] = bits.to_bytes(4, "little")
    return bytes(data)


def truncated_webp() -> bytes:
    data = _encode(Image.linear_gradient("L").convert("RGB"), "WEBP", quality=80)
    return data[: len(data) // 2]


HOSTILE: dict[str, Callable[[], bytes]] = {
    f.__name__: f
    for f in (
        empty,
        text_named_jpg,
        html_with_script,
        bmp_picture,
        tiff_picture,
        truncated_jpeg,
        jpeg_header_only,
        jpeg_no_scan,
        random_bytes_with_jpeg_magic,
        jpeg_claiming_65535_square,
        jpeg_fill_flood,
        jpeg_segment_flood,
        jpeg_junk_between_segments,
        jpeg_scan_flood,
        jpeg_huge_exif,
        truncated_png,
        png_claiming_60000_square,
        png_bomb_100_megapixels,
        png_81_megapixels_header,
        png_zero_size,
        png_corrupt_idat,
        png_bad_crc,
        png_short_idat,
        png_no_iend,
        png_chunk_flood,
        png_text_bomb,
        png_huge_exif,
        truncated_gif,
        gif_claiming_65535_square,
        gif_frame_bigger_than_screen,
        gif_extension_flood,
        gif_no_frames,
        webp_canvas_bomb,
        webp_lossless_claiming_16384_square,
        truncated_webp,
    )
}


def _refused(call: Callable[[], object]) -> ImageProblem:
    started = time.thread_time()
    with pytest.raises(ImageProblem) as caught:
        call()
    elapsed = time.thread_time() - started
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"
    message = str(caught.value)
    assert message and "\n" not in message and len(message) < 240
    assert isinstance(caught.value, InvalidInput)
    return caught.value


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_inspect_refuses_hostile_file(name: str) -> None:
    _refused(lambda: inspect(HOSTILE[name]()))


@pytest.mark.parametrize("spec_name", sorted(SPECS))
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_fit_refuses_hostile_file(name: str, spec_name: str) -> None:
    _refused(lambda: fit(HOSTILE[name](), SPECS[spec_name]))


def test_fit_all_refuses_hostile_file_once_for_all_specs() -> None:
    _refused(lambda: images.fit_all(png_bomb_100_megapixels(), SPECS))


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("empty", "empty"),
        ("text_named_jpg", "not a JPEG, PNG, GIF or WebP"),
        ("bmp_picture", "not a JPEG, PNG, GIF or WebP"),
        ("truncated_jpeg", "truncated"),
        ("png_claiming_60000_square", "60000×60000"),
        ("png_81_megapixels_header", "9000×9000"),
        ("png_bad_crc", "checksum"),
        ("png_corrupt_idat", "damaged"),
        ("png_short_idat", "truncated"),
        ("jpeg_huge_exif", "EXIF"),
        ("png_huge_exif", "EXIF"),
        ("jpeg_fill_flood", "junk"),
        ("jpeg_scan_flood", "scans"),
        ("png_chunk_flood", "chunks"),
        ("gif_extension_flood", "blocks"),
        ("webp_canvas_bomb", "16384×16384"),
        ("gif_frame_bigger_than_screen", "30000×30000"),
    ],
)
def test_messages_say_what_is_wrong(name: str, fragment: str) -> None:
    problem = _refused(lambda: inspect(HOSTILE[name]()))
    assert fragment in str(problem)


# -- odd but usable: processed by content, never by name ---------------------------------


@pytest.mark.parametrize("maker", [_gif, _png, _animated_webp], ids=["gif", "png", "webp"])
def test_other_formats_fed_where_a_jpeg_is_expected_are_read_by_content(
    maker: Callable[[], bytes],
) -> None:
    spec = ImageSpec(ratio=(1, 1), max_width=200, formats=("JPEG",))
    out = fit(maker(), spec)
    assert out.media_type == "image/jpeg"
    assert Image.open(io.BytesIO(out.data)).format == "JPEG"


@pytest.mark.parametrize("size", [(1, 10_000), (10_000, 1)])
def test_strip_cut_to_a_ratio_is_refused_not_zero_sized(size: tuple[int, int]) -> None:
    strip = _encode(Image.new("RGB", size, "red"), "PNG")
    for ratio in ((235, 100), (1, 1), (3, 4)):
        problem = _refused(lambda r=ratio: fit(strip, ImageSpec(ratio=r, max_width=900)))
        assert f"{size[0]}×{size[1]}" in str(problem)
    out = fit(strip, ImageSpec(ratio=None, max_width=900, max_height=900))
    assert out.width >= 1 and out.height >= 1
    assert inspect(strip).width == size[0]


@pytest.mark.filterwarnings("ignore:Tag data larger than file")
def test_exif_directory_bomb_does_not_hang() -> None:
    data = jpeg_exif_ifd_bomb()
    started = time.thread_time()
    try:
        out = fit(data, SPECS["none-jpeg"])
    except ImageProblem:
        pass
    else:
        assert isinstance(out, VariantImage) and out.width == 320
    assert time.thread_time() - started < TIME_LIMIT


def test_many_frames_cost_one_frame() -> None:
    frames = [Image.new("P", (8, 8), i % 256) for i in range(3000)]
    data = _encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    started = time.thread_time()
    out = fit(data, SPECS["none-jpeg"])
    assert time.thread_time() - started < TIME_LIMIT
    assert (out.width, out.height) == (8, 8)


def test_largest_accepted_picture_is_processed_in_time() -> None:
    # 8000 × 8000 grey zeros: exactly MAX_PIXELS, a legitimate if dull picture.
    data = _png_of(8_000, 8_000, _zero_rows(8_000, 8_000))
    started = time.thread_time()
    out = fit(data, SPECS["3:4-jpeg"])
    assert time.thread_time() - started < TIME_LIMIT * 2  # a real decode of 64 megapixels
    assert (out.width, out.height) == (1080, 1440)


def test_pillow_global_state_is_untouched() -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    assert Image.MAX_IMAGE_PIXELS == 1024 * 1024 * 1024 // 4 // 3  # Pillow's default
