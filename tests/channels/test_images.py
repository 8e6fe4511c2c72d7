"""The shared image pipeline: geometry, byte limits, metadata, modes, frames, draft, determinism."""

from __future__ import annotations

import io
import random
import struct
from collections.abc import Callable, Iterator
from functools import cache

import pytest
from PIL import Image, ImageCms, JpegImagePlugin

from channels import images
from channels.base import ImageSpec
from channels.images import ImageInfo, ImageProblem, cut, fit, fit_all, inspect
from domain.errors import InvalidInput

WIDE = ImageSpec(ratio=(235, 100), max_width=900, max_height=383, max_bytes=1_000_000)
SQUARE = ImageSpec(ratio=(1, 1), max_width=400)
PORTRAIT = ImageSpec(ratio=(3, 4), max_width=1080, max_height=1440)
FREE = ImageSpec(ratio=None, max_width=1200)
TALL = ImageSpec(ratio=(9, 16), max_width=1080, max_height=1920)


@pytest.fixture(autouse=True)
def _cold_cache() -> Iterator[None]:
    images.clear_cache()
    yield
    images.clear_cache()


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def halves(size: tuple[int, int], left: str = "red", right: str = "blue") -> Image.Image:
    image = Image.new("RGB", size, right)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    return image


def noise(size: tuple[int, int], seed: int = 3) -> Image.Image:
    data = random.Random(seed).randbytes(size[0] * size[1] * 3)
    return Image.frombytes("RGB", size, data)


def close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 8) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=False))


def centre(image: Image.Image) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
    assert isinstance(pixel, tuple)
    return pixel


@cache
def big_jpeg() -> bytes:
    """4000 × 3000, smooth enough to encode fast."""
    gradient = Image.linear_gradient("L").resize((4000, 3000))
    return encode(Image.merge("RGB", (gradient, gradient.transpose(0), gradient)), quality=85)


# -- geometry -----------------------------------------------------------------------------


def test_ratio_cut_is_exact_and_centred() -> None:
    plan = images._plan((4000, 3000), WIDE, (0.5, 0.5))
    left, top, right, bottom = plan.box
    assert (left, right) == (0, 4000)
    assert bottom - top == pytest.approx(4000 * 100 / 235)
    assert (top + bottom) / 2 == pytest.approx(1500)
    assert plan.size == (900, 383)  # the WeChat cover size


def test_fit_gives_the_spec_size() -> None:
    data = encode(halves((1600, 1200)))
    assert (fit(data, WIDE).width, fit(data, WIDE).height) == (900, 383)
    assert (fit(data, SQUARE).width, fit(data, SQUARE).height) == (400, 400)
    out = fit(data, PORTRAIT)
    assert (out.width, out.height) == (900, 1200)  # never enlarged: the cut is 900×1200
    out = fit(data, FREE)
    assert (out.width, out.height) == (1200, 900)


@pytest.mark.parametrize(
    ("focus", "expected"),
    [((0.0, 0.5), (255, 0, 0)), ((1.0, 0.5), (0, 0, 255)), ((0.2, 0.9), (255, 0, 0))],
)
def test_focus_moves_the_cut_and_stays_inside(
    focus: tuple[float, float], expected: tuple[int, int, int]
) -> None:
    data = encode(halves((1600, 800)), "PNG")
    out = decode(fit(data, SQUARE, focus=focus).data)
    assert close(centre(out), expected)
    assert out.size == (400, 400)


def test_centre_cut_shows_both_halves() -> None:
    out = decode(fit(encode(halves((1600, 800)), "PNG"), SQUARE).data)
    assert close(out.getpixel((50, 200)), (255, 0, 0))
    assert close(out.getpixel((350, 200)), (0, 0, 255))


def test_focus_out_of_range_is_clamped() -> None:
    data = encode(halves((1600, 800)), "PNG")
    assert fit(data, SQUARE, focus=(-3.0, 9.0)).data == fit(data, SQUARE, focus=(0.0, 1.0)).data
    nan = float("nan")
    assert fit(data, SQUARE, focus=(nan, nan)).data == fit(data, SQUARE).data


def test_too_tall_picture_is_cut_top_and_bottom() -> None:
    image = Image.new("RGB", (600, 1800), "green")
    image.paste("red", (0, 0, 600, 600))
    out = decode(fit(encode(image, "PNG"), SQUARE, focus=(0.5, 0.0)).data)
    assert close(centre(out), (255, 0, 0))


def test_small_picture_is_not_enlarged() -> None:
    out = fit(encode(Image.new("RGB", (300, 200), "red")), FREE)
    assert (out.width, out.height) == (300, 200)


def test_max_height_is_respected_without_a_ratio() -> None:
    out = fit(
        encode(Image.new("RGB", (1000, 3000), "red")), ImageSpec(max_width=1200, max_height=900)
    )
    assert (out.width, out.height) == (300, 900)


# -- byte limits --------------------------------------------------------------------------


def _quant_total(data: bytes) -> int:
    image = Image.open(io.BytesIO(data))
    assert isinstance(image, JpegImagePlugin.JpegImageFile)
    return sum(image.quantization[0])


def test_quality_steps_down_until_the_picture_fits() -> None:
    data = encode(noise((800, 600)), "PNG")
    roomy = fit(data, ImageSpec(max_width=800, max_bytes=5_000_000))
    tight = fit(data, ImageSpec(max_width=800, max_bytes=250_000))
    assert len(roomy.data) > 250_000  # noise is expensive: q90 does not fit
    assert len(tight.data) <= 250_000
    assert (tight.width, tight.height) == (800, 600)  # quality went down, not the size
    assert _quant_total(tight.data) > _quant_total(roomy.data)


def test_picture_shrinks_when_the_lowest_quality_is_not_enough() -> None:
    out = fit(encode(noise((800, 600)), "PNG"), ImageSpec(max_width=800, max_bytes=40_000))
    assert len(out.data) <= 40_000
    assert out.width < 800 and abs(out.width / out.height - 4 / 3) < 0.02


def test_png_only_spec_quantises_then_shrinks() -> None:
    smooth = encode(Image.linear_gradient("L").convert("RGB").resize((600, 600)), "PNG")
    out = fit(smooth, ImageSpec(max_width=600, max_bytes=400_000, formats=("PNG",)))
    assert out.media_type == "image/png" and len(out.data) <= 400_000
    crowded = encode(noise((600, 600)), "PNG")
    out = fit(crowded, ImageSpec(max_width=600, max_bytes=150_000, formats=("PNG",)))
    assert out.media_type == "image/png" and len(out.data) <= 150_000
    assert decode(out.data).mode == "P"  # 256 colours


def test_second_format_is_used_when_the_first_cannot_fit() -> None:
    spec = ImageSpec(max_width=600, max_bytes=120_000, formats=("PNG", "JPEG"))
    small = fit(encode(Image.new("RGB", (600, 400), "red"), "PNG"), spec)
    assert small.media_type == "image/png"
    out = fit(encode(noise((600, 400)), "PNG"), ImageSpec(**{**spec.__dict__, "max_bytes": 60_000}))
    assert out.media_type in ("image/png", "image/jpeg") and len(out.data) <= 60_000


def test_impossible_byte_limit_is_an_image_problem() -> None:
    with pytest.raises(ImageProblem, match="stays above 100 bytes"):
        fit(encode(noise((400, 300)), "PNG"), ImageSpec(max_width=400, max_bytes=100))


def test_webp_output() -> None:
    out = fit(encode(halves((800, 600))), ImageSpec(max_width=400, formats=("WEBP",)))
    assert out.media_type == "image/webp" and decode(out.data).format == "WEBP"


# -- metadata -----------------------------------------------------------------------------


def _tagged_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = "Model-X"
    exif[0x0131] = "Editor 9"  # Software
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(
        halves((800, 600)),
        exif=exif.tobytes(),
        icc_profile=srgb,
        comment=b"internal note",
        xmp=b"<x:xmpmeta>secret</x:xmpmeta>",
    )


@pytest.mark.parametrize("formats", [("JPEG",), ("PNG",), ("WEBP",)])
def test_metadata_is_stripped(formats: tuple[str, ...]) -> None:
    source = _tagged_jpeg()
    assert b"SecretCam" in source and b"ICC_PROFILE" in source
    out = fit(source, ImageSpec(max_width=400, formats=formats))
    image = decode(out.data)
    assert not image.getexif()
    for key in ("exif", "icc_profile", "xmp", "comment", "dpi", "XML:com.adobe.xmp"):
        assert key not in image.info
    for marker in (b"SecretCam", b"Model-X", b"ICC_PROFILE", b"internal note", b"secret"):
        assert marker not in out.data
    assert close(image.convert("RGB").getpixel((10, 150)), (255, 0, 0))


def test_png_text_chunks_are_stripped() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "someone@example.gov.cn")
    source = encode(Image.new("RGB", (64, 64), "red"), "PNG", pnginfo=info, dpi=(300, 300))
    out = fit(source, ImageSpec(max_width=64, formats=("PNG",)))
    assert b"someone@" not in out.data and b"tEXt" not in out.data and b"pHYs" not in out.data


def _linear_rgb_profile() -> bytes:
    """A minimal ICC v2 display profile: sRGB primaries with a linear (gamma 1) curve."""

    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    name = b"Linear RGB test\0"
    curve = b"curv" + bytes(4) + struct.pack(">I", 0)  # no entries: the identity
    tags = [
        (b"desc", b"desc" + bytes(4) + struct.pack(">I", len(name)) + name + bytes(79)),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text" + bytes(4) + b"none\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, blobs = b"", b""
    for signature, data in tags:
        blobs += bytes(-(offset + len(blobs)) % 4)
        table += signature + struct.pack(">II", offset + len(blobs), len(data))
        blobs += data
    body = struct.pack(">I", len(tags)) + table + blobs
    illuminant = s15(0.9642) + s15(1.0) + s15(0.8249)
    header = (
        struct.pack(">I", 128 + len(body))
        + bytes(4)
        + bytes((2, 0x10, 0, 0))
        + b"mntrRGB XYZ "
        + bytes(12)
        + b"acsp"
        + bytes(28)
        + illuminant
        + bytes(48)
    )
    assert len(header) == 128
    return header + body


def test_embedded_profile_is_converted_to_srgb_and_dropped() -> None:
    grey = Image.new("RGB", (64, 64), (128, 128, 128))
    source = encode(grey, "PNG", icc_profile=_linear_rgb_profile())
    out = decode(fit(source, FREE).data)
    assert close(centre(out), (188, 188, 188), tolerance=3)  # linear 0.5 is sRGB 188
    assert "icc_profile" not in out.info
    untagged = decode(fit(encode(grey, "PNG"), FREE).data)
    assert close(centre(untagged), (128, 128, 128), tolerance=3)


def test_broken_icc_profile_falls_back_to_plain_colours() -> None:
    source = encode(Image.new("RGB", (64, 64), (10, 200, 30)), icc_profile=b"not a profile" * 10)
    out = decode(fit(source, FREE).data)
    assert close(centre(out), (10, 200, 30)) and "icc_profile" not in out.info


# -- modes --------------------------------------------------------------------------------

RED = (220, 40, 30)


def _cmyk_jpeg(*, adobe: bool) -> bytes:
    cmyk = Image.new("RGB", (64, 64), RED).convert("CMYK")
    if adobe:
        return encode(cmyk)  # Pillow writes Adobe's APP14 marker and inverted ink values
    # A plain (non-inverted) CMYK JPEG: store the complement, then drop the APP14 segment.
    data = encode(cmyk.point(lambda v: 255 - v))
    at = data.index(b"\xff\xee")
    assert data[at + 4 : at + 9] == b"Adobe"
    (length,) = struct.unpack(">H", data[at + 2 : at + 4])
    return data[:at] + data[at + 2 + length :]


@pytest.mark.parametrize("adobe", [True, False], ids=["adobe-inverted", "plain"])
def test_cmyk_jpeg_keeps_its_colour(adobe: bool) -> None:
    source = _cmyk_jpeg(adobe=adobe)
    assert decode(source).mode == "CMYK"
    out = decode(fit(source, FREE).data)
    assert out.mode == "RGB"
    assert close(centre(out), RED, tolerance=10), centre(out)


def _p_with_transparency() -> bytes:
    image = Image.new("P", (64, 64), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(0, (0, 0, 32, 64))  # left half: index 0, transparent
    return encode(image, "PNG", transparency=0)


def _rgba() -> bytes:
    image = Image.new("RGBA", (64, 64), (255, 0, 0, 255))
    image.paste((0, 0, 255, 0), (0, 0, 32, 64))  # left half fully transparent
    return encode(image, "PNG")


@pytest.mark.parametrize(
    ("make", "left", "right"),
    [
        (
            lambda: encode(Image.new("P", (64, 64), 0).convert("RGB").convert("P"), "PNG"),
            None,
            None,
        ),
        (_p_with_transparency, (255, 255, 255), (255, 0, 0)),
        (_rgba, (255, 255, 255), (255, 0, 0)),
        (
            lambda: encode(halves((64, 64), "white", "black").convert("LA"), "PNG"),
            (255,) * 3,
            (0,) * 3,
        ),
        (
            lambda: encode(halves((64, 64), "white", "black").convert("1"), "PNG"),
            (255,) * 3,
            (0,) * 3,
        ),
        (lambda: encode(halves((64, 64), "white", "black").convert("L")), (255,) * 3, (0,) * 3),
    ],
    ids=["P", "P+transparency", "RGBA", "LA", "1-bit", "L-jpeg"],
)
def test_modes_come_out_as_rgb(
    make: Callable[[], bytes],
    left: tuple[int, ...] | None,
    right: tuple[int, ...] | None,
) -> None:
    out = decode(fit(make(), ImageSpec(max_width=64, formats=("PNG",))).data)
    assert out.mode == "RGB" and out.size == (64, 64)
    if left is not None:
        assert close(out.getpixel((8, 32)), left), out.getpixel((8, 32))
        assert close(out.getpixel((56, 32)), right), out.getpixel((56, 32))


def test_semi_transparent_pixels_blend_onto_white() -> None:
    source = encode(Image.new("RGBA", (16, 16), (0, 0, 0, 128)), "PNG")
    out = decode(fit(source, ImageSpec(max_width=16, formats=("PNG",))).data)
    assert close(centre(out), (127, 127, 127), tolerance=3)


def _grey16(mode: str) -> Image.Image:
    image = Image.new("I", (32, 32), 32_768)
    image.paste(65_535, (0, 0, 16, 32))
    return image.convert(mode) if mode != "I" else image


def test_sixteen_bit_grey_png_is_scaled_not_clipped() -> None:
    source = encode(_grey16("I;16"), "PNG")
    assert decode(source).mode == "I;16"
    out = decode(fit(source, ImageSpec(max_width=32, formats=("PNG",))).data)
    assert close(out.getpixel((4, 16)), (255, 255, 255), tolerance=1)
    assert close(out.getpixel((28, 16)), (128, 128, 128), tolerance=1)


@pytest.mark.parametrize("mode", ["I;16", "I;16B", "I"])
def test_wide_grey_modes_normalise_to_eight_bits(mode: str) -> None:
    # Pillow 13 reads 16-bit PNGs as I;16 and writes no 32-bit PNG: check the step itself.
    out = images._normalise(_grey16(mode))
    assert out.mode == "L"
    assert out.getpixel((4, 16)) == 255 and out.getpixel((28, 16)) == 128


# -- orientation and frames ---------------------------------------------------------------


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: turn 90° clockwise to show
    source = encode(halves((400, 200)), exif=exif.tobytes())
    assert inspect(source) == ImageInfo("JPEG", 200, 400, "image/jpeg")
    out = decode(fit(source, FREE).data)
    assert out.size == (200, 400)
    assert close(out.getpixel((100, 50)), (255, 0, 0))  # the left half is now on top
    assert close(out.getpixel((100, 350)), (0, 0, 255))
    assert 0x0112 not in out.getexif()


def test_focus_is_in_upright_coordinates() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    source = encode(halves((800, 400)), exif=exif.tobytes())  # upright: red on top
    top = decode(fit(source, SQUARE, focus=(0.5, 0.0)).data)
    assert close(centre(top), (255, 0, 0))


def _frames(fmt: str) -> bytes:
    frames = [Image.new("RGB", (32, 32), c) for c in ("red", "blue", "green")]
    params: dict[str, object] = {"save_all": True, "append_images": frames[1:], "duration": 100}
    if fmt == "WEBP":
        params["lossless"] = True
    return encode(frames[0], fmt, **params)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "PNG"], ids=["gif", "webp", "apng"])
def test_animation_gives_its_first_frame(fmt: str) -> None:
    source = _frames(fmt)
    assert getattr(Image.open(io.BytesIO(source)), "n_frames", 1) == 3
    out = decode(fit(source, FREE).data)
    assert close(centre(out), (255, 0, 0))
    assert inspect(source).format == fmt


# -- draft: large JPEGs are decoded at a reduced size --------------------------------------


@pytest.fixture
def decoded_sizes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The size of every JPEG Pillow decodes (a spy on Pillow, not on our code)."""
    sizes: list[tuple[int, int]] = []
    original = JpegImagePlugin.JpegImageFile.load

    def load(self):  # type: ignore[no-untyped-def]
        if self.tile:
            sizes.append(self.size)
        return original(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", load)
    return sizes


@pytest.mark.parametrize(
    ("spec", "decoded"),
    [
        (FREE, (2000, 1500)),  # 1200 wide needs more than 1/4 (1000): 1/2
        (WIDE, (1000, 750)),  # 900 wide: 1/4 is enough
        (ImageSpec(ratio=(1, 1), max_width=300), (500, 375)),  # 300 of a 3000 cut: 1/8
        (TALL, (4000, 3000)),  # 1920 of a 3000-high cut: needs the full size
    ],
)
def test_large_jpeg_is_decoded_at_the_smallest_sufficient_scale(
    decoded_sizes: list[tuple[int, int]], spec: ImageSpec, decoded: tuple[int, int]
) -> None:
    out = fit(big_jpeg(), spec)
    assert decoded_sizes == [decoded]
    plan = images._plan((4000, 3000), spec, (0.5, 0.5))
    assert (out.width, out.height) == plan.size
    cut_w = plan.box[2] - plan.box[0]
    assert decoded[0] * cut_w / 4000 >= out.width  # still at least the pixels we keep


def test_fit_all_decodes_once_per_draft_scale(decoded_sizes: list[tuple[int, int]]) -> None:
    specs = {"website": FREE, "douyin": PORTRAIT, "wechat": WIDE, "tall": TALL}
    results = fit_all(big_jpeg(), specs)
    assert sorted(decoded_sizes) == [(1000, 750), (2000, 1500), (4000, 3000)]
    assert list(results) == list(specs)
    decoded_sizes.clear()
    assert fit(big_jpeg(), PORTRAIT).data == results["douyin"].data
    assert decoded_sizes == []  # served from what fit_all made


def test_fit_all_keeps_what_it_made_when_one_spec_fails(
    decoded_sizes: list[tuple[int, int]],
) -> None:
    impossible = ImageSpec(max_width=1200, max_bytes=50)
    with pytest.raises(ImageProblem, match="stays above 50 bytes"):
        fit_all(big_jpeg(), {"ok": WIDE, "bad": impossible})
    decoded_sizes.clear()
    assert fit(big_jpeg(), WIDE).width == 900
    assert decoded_sizes == []


def test_draft_output_is_indistinguishable_from_a_full_decode() -> None:
    ours = cut(big_jpeg(), FREE)
    full = Image.open(io.BytesIO(big_jpeg())).convert("RGB").resize(ours.size, Image.LANCZOS)
    from PIL import ImageChops, ImageStat

    mse = sum(ImageStat.Stat(ImageChops.difference(ours, full)).sum2) / (
        3 * ours.width * ours.height
    )
    assert mse < 20  # PSNR above 35 dB


# -- determinism and the cache ------------------------------------------------------------


def test_same_input_gives_same_bytes() -> None:
    source = encode(noise((1200, 900)), quality=92)
    first = fit(source, PORTRAIT, focus=(0.3, 0.6)).data
    images.clear_cache()
    assert fit(source, PORTRAIT, focus=(0.3, 0.6)).data == first


def test_a_spec_gives_the_same_bytes_alone_and_in_a_batch() -> None:
    alone = {key: fit(big_jpeg(), spec).data for key, spec in {"a": FREE, "b": WIDE}.items()}
    images.clear_cache()
    batch = fit_all(big_jpeg(), {"b": WIDE, "x": TALL, "a": FREE, "y": SQUARE})
    assert batch["a"].data == alone["a"] and batch["b"].data == alone["b"]


# -- inspect ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_inspect_reports_format_and_size(fmt: str) -> None:
    info = inspect(encode(Image.new("RGB", (120, 80), "red"), fmt))
    assert info == ImageInfo(fmt, 120, 80, images.MEDIA_TYPES[fmt])


def test_inspect_of_a_large_jpeg_reports_its_full_size() -> None:
    assert inspect(big_jpeg()) == ImageInfo("JPEG", 4000, 3000, "image/jpeg")


def test_image_problem_is_invalid_input() -> None:
    assert issubclass(ImageProblem, InvalidInput)
    with pytest.raises(InvalidInput):
        inspect(b"")
