"""Product pictures: recognising JPEG, PNG and WebP by their bytes, reading their size, storing
them under the data directory and (when Pillow is installed) making thumbnails."""

from __future__ import annotations

import struct
from pathlib import Path

from orion_server.config import get_settings

MAX_IMAGE_BYTES = 5 * 1024 * 1024
THUMBNAIL_SIZE = (400, 400)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


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


def media_dir(store_id: int, product_id: int) -> Path:
    """Where a product's pictures live: ``data_dir/media/<store id>/catalog/<product id>``."""
    return get_settings().data_dir / "media" / str(store_id) / "catalog" / str(product_id)


def thumbnail_name(file_name: str) -> str:
    """``abc.jpg`` -> ``abc.thumb.jpg``."""
    stem, _, ext = file_name.rpartition(".")
    return f"{stem}.thumb.{ext}"


def make_thumbnail(path: Path) -> Path | None:
    """A copy at most 400×400 beside ``path`` when Pillow is installed; None without it."""
    try:
        from PIL import Image  # type: ignore[import-not-found]
    except ImportError:
        return None
    target = path.with_name(thumbnail_name(path.name))
    try:
        with Image.open(path) as picture:
            picture.thumbnail(THUMBNAIL_SIZE)
            picture.save(target)
    except Exception:  # a picture Pillow cannot read keeps only its original
        return None
    return target
