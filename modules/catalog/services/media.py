"""Product pictures: stored under the data directory with resized copies (the checks every
upload passes first are ``orion_server.images``).

Resized copies ("variants") are WebP files beside the original, one per width in
``VARIANT_WIDTHS`` (longest side): ``<stem>.320.webp`` and ``<stem>.800.webp``. They are made
at upload; for pictures uploaded before variants existed (or whose variants were deleted) they
are made lazily, the first time one is asked for (``ensure_variant``), so no background task or
migration step is needed. A variant is never larger than its original: a 500 px picture's
"800" variant is 500 px.
"""

from __future__ import annotations

import struct
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from orion_server.config import get_settings
from orion_server.images import (  # noqa: F401 - the catalog's callers read them here too
    EXTENSIONS,
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    PILLOW_FORMATS,
    CheckedImage,
    ImageRejected,
    check_image,
    clean_copy,
    dimensions_allowed,
    image_size,
    open_image,
    sniff_image_type,
    write_atomically,
)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
VARIANT_WIDTHS = (320, 800)
"""Longest side of the resized copies: the small one for listings, the large one for pages."""
SMALL, LARGE = VARIANT_WIDTHS
VARIANT_FORMAT = "WEBP"
VARIANT_CONTENT_TYPE = "image/webp"


def media_dir(store_id: int, product_id: int) -> Path:
    """Where a product's pictures live: ``data_dir/media/<store id>/catalog/<product id>``."""
    return get_settings().data_dir / "media" / str(store_id) / "catalog" / str(product_id)


def variant_name(file_name: str, width: int) -> str:
    """``abc.jpg`` -> ``abc.320.webp``: the resized copy of ``file_name`` at ``width`` px."""
    stem = file_name.rpartition(".")[0] or file_name
    return f"{stem}.{width}.webp"


def variant_names(file_name: str) -> list[str]:
    """Every resized copy's name (to delete them with the original)."""
    return [variant_name(file_name, width) for width in VARIANT_WIDTHS]


def variant_width(requested: str | int | None) -> int | None:
    """The variant a query asks for: ``320``/``small``/``thumb`` or ``800``/``large``; None
    for the original (anything else)."""
    value = str(requested or "").strip().lower()
    if value in ("thumb", "small", str(SMALL)):
        return SMALL
    if value in ("large", str(LARGE)):
        return LARGE
    return None


def scaled_size(width: int | None, height: int | None, longest: int) -> tuple[int, int] | None:
    """The size of the variant of a ``width`` × ``height`` picture at ``longest`` px (never
    enlarged), or None when the original's size is unknown."""
    if not width or not height:
        return None
    ratio = min(1.0, longest / max(width, height))
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def make_variants(path: Path) -> dict[int, Path]:
    """Write every resized copy of the picture at ``path`` beside it; returns them by width.

    EXIF orientation is applied, metadata stripped, animations reduced to their first frame.
    Raises ImageRejected when the file is too large to decode or unreadable.
    """
    try:
        picture = open_image(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("dimensions") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRejected("unreadable") from None
    made: dict[int, Path] = {}
    with picture:
        if not dimensions_allowed(*picture.size):
            raise ImageRejected("dimensions")
        try:
            base = clean_copy(picture, largest=LARGE)
            for width in sorted(VARIANT_WIDTHS, reverse=True):
                copy = base.copy()
                copy.thumbnail((width, width), Image.Resampling.LANCZOS)
                copy.info = dict(base.info)
                target = path.with_name(variant_name(path.name, width))
                write_atomically(copy, target)
                made[width] = target
                base = copy  # the next, smaller one is resized from this one: faster
        except (OSError, ValueError, SyntaxError, struct.error, IndexError):
            raise ImageRejected("unreadable") from None
    return made


def ensure_variant(path: Path, width: int) -> Path | None:
    """The resized copy of ``path`` at ``width`` px, made now if it is missing (pictures
    uploaded before variants existed); None when the original is missing or unreadable."""
    target = path.with_name(variant_name(path.name, width))
    if target.is_file():
        return target
    if not path.is_file():
        return None
    try:
        return make_variants(path).get(width)
    except ImageRejected:
        return None
