"""The Pillow image pipeline shared by every channel.

``inspect`` checks that bytes are a picture Pillow can fully decode (at upload);
``fit`` cuts a picture to a channel's :class:`~channels.base.ImageSpec`: cropped to
the ratio around a focus point, resized with a good filter, EXIF stripped,
re-encoded within the byte limit. Hostile input raises :class:`ImageProblem`
with a one-line reason; it never crashes or hangs the pipeline.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from channels.base import ImageSpec, VariantImage
from domain.errors import InvalidInput

MAX_PIXELS = 64_000_000  # 8000×8000; larger claims are refused before decoding
MAX_INPUT_BYTES = 30_000_000
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


class ImageProblem(InvalidInput):
    """A picture that cannot be used, with the reason in one line."""


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int
    media_type: str


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ImageProblem("the image file is empty")
    if len(data) > MAX_INPUT_BYTES:
        raise ImageProblem(f"the image is {len(data):,} bytes; at most {MAX_INPUT_BYTES:,}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise ImageProblem("the file is not an image Pillow can read") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem("the image claims too many pixels (decompression bomb)") from None
    except Exception as exc:  # Pillow raises many kinds on broken headers
        raise ImageProblem(f"the image is damaged ({type(exc).__name__})") from None
    if image.format not in MEDIA_TYPES:
        raise ImageProblem(f"{image.format or 'unknown'} images are not accepted; use JPEG or PNG")
    if image.width * image.height > MAX_PIXELS:
        raise ImageProblem(
            f"the image is {image.width}×{image.height}; at most {MAX_PIXELS:,} pixels"
        )
    return image


def _decoded(image: Image.Image) -> Image.Image:
    try:
        image.load()
    except Exception as exc:
        raise ImageProblem(f"the image is truncated or damaged ({type(exc).__name__})") from None
    return image


def inspect(data: bytes) -> ImageInfo:
    """Decode the whole picture once to prove it is usable; return what it is."""
    image = _decoded(_open(data))
    return ImageInfo(
        format=image.format or "",
        width=image.width,
        height=image.height,
        media_type=MEDIA_TYPES[image.format or "JPEG"],
    )


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _crop_box(
    width: int, height: int, ratio: tuple[int, int], focus: tuple[float, float]
) -> tuple[int, int, int, int]:
    rw, rh = ratio
    if width * rh > height * rw:  # too wide: cut the sides
        new_w, new_h = max(1, round(height * rw / rh)), height
    else:  # too tall: cut top and bottom
        new_w, new_h = width, max(1, round(width * rh / rw))
    left = round(focus[0] * width - new_w / 2)
    top = round(focus[1] * height - new_h / 2)
    left = min(max(left, 0), width - new_w)
    top = min(max(top, 0), height - new_h)
    return (left, top, left + new_w, top + new_h)


def fit(
    data: bytes,
    spec: ImageSpec,
    *,
    role: str = "cover",
    focus: tuple[float, float] | None = None,
) -> VariantImage:
    """Cut ``data`` to ``spec`` and re-encode it; the result carries no EXIF."""
    image = _open(data)
    focus = focus or (0.5, 0.5)
    target_w = spec.max_width
    if image.format == "JPEG":
        # Decoding at 1/2, 1/4 or 1/8 scale is far cheaper and loses nothing we keep.
        scale_needed = max(target_w, spec.max_height or 0)
        image.draft("RGB", (scale_needed, scale_needed))
    image = _decoded(image)
    if getattr(image, "is_animated", False):
        image.seek(0)
    image = ImageOps.exif_transpose(image) or image
    image = _to_rgb(image)
    if spec.ratio:
        image = image.crop(_crop_box(image.width, image.height, spec.ratio, focus))
    scale = min(1.0, spec.max_width / image.width)
    if spec.max_height:
        scale = min(scale, spec.max_height / image.height)
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    fmt = spec.formats[0]
    for quality in (90, 85, 80, 75, 70, 60, 50, 40):
        buffer = io.BytesIO()
        if fmt == "JPEG":
            image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        else:
            image.save(buffer, fmt, optimize=True)
        encoded = buffer.getvalue()
        if len(encoded) <= spec.max_bytes or fmt != "JPEG":
            break
    if len(encoded) > spec.max_bytes:
        raise ImageProblem(
            f"the {role} image stays above {spec.max_bytes:,} bytes even at low quality"
        )
    return VariantImage(
        role=role,
        media_type=MEDIA_TYPES[fmt],
        data=encoded,
        width=image.width,
        height=image.height,
    )
