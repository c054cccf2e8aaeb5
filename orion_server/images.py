"""Pictures people upload (product photos, a store's logo): recognised by their bytes as JPEG,
PNG or WebP, checked with Pillow before anything is stored (dimensions read from the header
first, the guard against decompression bombs), cleaned of metadata and written as WebP.

The catalog keeps its variants and folders in ``modules/catalog/services/media.py``; what any
module needs to accept a picture safely is here, once.
"""

from __future__ import annotations

import io
import os
import struct
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

WEBP_QUALITY = 82

MAX_IMAGE_SIDE = 10_000
"""Longest side accepted, in pixels."""


MAX_IMAGE_PIXELS = 40_000_000
"""Width × height accepted (40 megapixels): the guard against decompression bombs, checked
from the header before any pixel is decoded."""


EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


PILLOW_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class ImageRejected(ValueError):
    """The picture cannot be used; ``reason`` is ``type``, ``dimensions`` or ``unreadable``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedImage:
    """What the checks learnt about an upload: its type and its size as shown (EXIF
    orientation applied, so a portrait photo taken sideways is taller than wide)."""

    content_type: str
    width: int
    height: int


def sniff_image_type(data: bytes) -> str | None:
    """``image/jpeg``, ``image/png`` or ``image/webp`` from the file's first bytes, else None."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        index += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return width, height
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def image_size(data: bytes, content_type: str) -> tuple[int | None, int | None]:
    """Width and height read from the header, or (None, None) when it cannot be read."""
    reader = {"image/png": _png_size, "image/jpeg": _jpeg_size, "image/webp": _webp_size}.get(
        content_type
    )
    try:
        size = reader(data) if reader else None
    except (struct.error, IndexError):
        size = None
    return size if size else (None, None)


def dimensions_allowed(width: int, height: int) -> bool:
    """Whether a picture of this size may be decoded (the decompression-bomb guard)."""
    return (
        0 < width <= MAX_IMAGE_SIDE
        and 0 < height <= MAX_IMAGE_SIDE
        and width * height <= MAX_IMAGE_PIXELS
    )


def open_image(source: bytes | Path) -> Image.Image:
    """Open a picture lazily (only the header is read) with Pillow's own bomb check as errors."""
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(handle, formats=list(PILLOW_FORMATS))


def check_image(data: bytes) -> CheckedImage:
    """Check an upload before it is stored: a JPEG, PNG or WebP that Pillow can decode, at
    most ``MAX_IMAGE_SIDE`` px on each side and ``MAX_IMAGE_PIXELS`` in all.

    The dimensions are read from the header first, so a small file claiming a huge picture is
    refused before any pixel is decoded. Raises ImageRejected.
    """
    if sniff_image_type(data) is None:
        raise ImageRejected("type")
    try:
        picture = open_image(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("dimensions") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRejected("unreadable") from None
    with picture:
        content_type = PILLOW_FORMATS.get(picture.format or "")
        if content_type is None:
            raise ImageRejected("type")
        width, height = picture.size
        if not dimensions_allowed(width, height):
            raise ImageRejected("dimensions")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                picture.load()  # the first frame, fully: truncated or corrupt files fail here
            oriented = ImageOps.exif_transpose(picture)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected("dimensions") from None
        except (OSError, ValueError, SyntaxError, struct.error, IndexError):
            raise ImageRejected("unreadable") from None
        return CheckedImage(content_type, oriented.width, oriented.height)


def clean_copy(picture: Image.Image, *, largest: int) -> Image.Image:
    """The first frame, turned upright, in a mode WebP can store, with no metadata; a JPEG is
    decoded at a reduced scale when it is much larger than ``largest`` px, the biggest size the
    caller will make of it."""
    picture.seek(0)  # animated GIF-like WebP/PNG: the first frame
    if picture.format == "JPEG":
        picture.draft("RGB", (largest, largest))
    upright = ImageOps.exif_transpose(picture)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    clean = upright.convert("RGBA" if has_alpha else "RGB")
    # EXIF (camera, GPS), XMP and comments go; the ICC profile stays so colours stay right.
    icc = upright.info.get("icc_profile")
    clean.info = {"icc_profile": icc} if icc else {}
    return clean


def write_atomically(picture: Image.Image, target: Path, *, quality: int = WEBP_QUALITY) -> None:
    """Save as WebP beside ``target`` then rename, so a reader never sees half a file (two
    requests may make the same copy at once)."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        options = {"quality": quality, "method": 4}
        icc = picture.info.get("icc_profile")
        if icc:
            options["icc_profile"] = icc
        picture.save(temporary, "WEBP", **options)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)

