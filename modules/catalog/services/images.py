"""Product images: checked, stored in sizes, served and deleted."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from modules.catalog.exceptions import CatalogInputError, Problem
from modules.catalog.models import ProductImage
from modules.catalog.services import media
from modules.catalog.services.announce import catalog_changed
from orion_server.database import begin_write
from orion_server.errors import NotFoundError


class Images:
    """Product images: checked, stored in sizes, served and deleted."""

    def add_image(
        self, db: Session, *, store_id: int, product_id: int, filename: str, data: bytes
    ) -> ProductImage:
        """Store an uploaded picture: JPEG, PNG or WebP (recognised by its bytes, not its
        name), at most 5 MB and ``media.MAX_IMAGE_SIDE`` px a side, that Pillow can decode;
        its resized copies (``media.VARIANT_WIDTHS``) are written beside it."""
        if not data:
            raise CatalogInputError([Problem("image", "catalog.errors.image_empty")])
        if len(data) > media.MAX_IMAGE_BYTES:
            raise CatalogInputError(
                [
                    Problem(
                        "image",
                        "catalog.errors.image_too_large",
                        {"max": media.MAX_IMAGE_BYTES // (1024 * 1024)},
                    )
                ]
            )
        try:
            checked = media.check_image(data)
        except media.ImageRejected as exc:
            raise CatalogInputError([self._image_problem(exc)]) from None
        # The files first, with no transaction open: resizing up to 40 megapixels takes
        # seconds, and on SQLite a write lock held meanwhile would make shoppers' writes fail.
        product = self.get_product(db, store_id=store_id, product_id=product_id)
        db.commit()  # end the read
        folder = media.media_dir(store_id, product_id)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.{media.EXTENSIONS[checked.content_type]}"
        path = folder / name
        path.write_bytes(data)
        try:
            media.make_variants(path)
        except media.ImageRejected as exc:
            self._remove_files(path)
            raise CatalogInputError([self._image_problem(exc)]) from None
        try:
            begin_write(db)
            product = self.get_product(db, store_id=store_id, product_id=product_id)  # it may be gone now
        except BaseException:
            db.rollback()
            self._remove_files(path)
            raise
        image = ProductImage(
            file_name=name,
            content_type=checked.content_type,
            width=checked.width,
            height=checked.height,
            size_bytes=len(data),
            position=len(product.images),
        )
        product.images.append(image)
        catalog_changed(db, product.store_id)
        try:
            db.commit()
        except Exception:
            self._remove_files(path)
            raise
        return image

    @staticmethod
    def _image_problem(exc: media.ImageRejected) -> Problem:
        if exc.reason == "dimensions":
            return Problem(
                "image",
                "catalog.errors.image_dimensions",
                {
                    "side": media.MAX_IMAGE_SIDE,
                    "megapixels": media.MAX_IMAGE_PIXELS // 1_000_000,
                },
            )
        if exc.reason == "unreadable":
            return Problem("image", "catalog.errors.image_unreadable")
        return Problem("image", "catalog.errors.image_type")

    @staticmethod
    def _remove_files(path: Path) -> None:
        """Delete a picture's original and its resized copies."""
        path.unlink(missing_ok=True)
        for name in media.variant_names(path.name):
            path.with_name(name).unlink(missing_ok=True)

    def get_image(
        self, db: Session, *, store_id: int, image_id: int, published_only: bool = False
    ) -> ProductImage:
        """A picture of one of the store's products (of a published one if ``published_only``)."""
        image = db.get(ProductImage, image_id)
        if image is None or image.product.store_id != store_id:
            raise NotFoundError(f"no image {image_id}")
        if published_only and image.product.status != "published":
            raise NotFoundError(f"no image {image_id}")
        return image

    def image_path(self, image: ProductImage, *, width: int | None = None) -> Path:
        """The file of a picture, or of its resized copy at ``width`` px (``SMALL``/``LARGE``):
        a missing copy is made now; the original when it cannot be made."""
        original = media.media_dir(image.product.store_id, image.product_id) / image.file_name
        if width in media.VARIANT_WIDTHS:
            variant = media.ensure_variant(original, width)
            if variant is not None:
                return variant
        return original

    @staticmethod
    def image_content_type(image: ProductImage, path: Path) -> str:
        """What ``path`` (the original or a resized copy of ``image``) holds."""
        return image.content_type if path.name == image.file_name else media.VARIANT_CONTENT_TYPE

    def delete_image(self, db: Session, *, store_id: int, image_id: int) -> None:
        """Remove a picture and its files (the resized copies too)."""
        begin_write(db)
        image = self.get_image(db, store_id=store_id, image_id=image_id)
        path = media.media_dir(image.product.store_id, image.product_id) / image.file_name
        catalog_changed(db, image.product.store_id)
        db.delete(image)
        db.commit()
        self._remove_files(path)
