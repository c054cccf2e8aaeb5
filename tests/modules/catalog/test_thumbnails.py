"""Product pictures' resized copies: made at upload with Pillow (EXIF orientation applied,
metadata stripped, first frame of an animation), never enlarged, made lazily when missing,
served with cache headers and used by the storefront; refused uploads (too many pixels,
damaged files, non-pictures) answer 422 with a message."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from modules.catalog.models import ProductImage
from modules.catalog.services import media
from tests.modules.catalog.conftest import storefront

BASE = "/store/bakery/products"
RED, BLUE = (255, 0, 0), (0, 0, 255)


def jpeg(width: int, height: int, *, orientation: int | None = None) -> bytes:
    """A JPEG whose left half is red and right half blue, with a camera EXIF block."""
    picture = Image.new("RGB", (width, height), BLUE)
    picture.paste(RED, (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0131] = "secret-software"  # Software
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def png(width: int, height: int, colour=RED) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` (a decompression bomb's shape)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(client, csrf: str, product_id: int, data: bytes, name: str = "photo.jpg"):
    return client.post(
        f"{BASE}/{product_id}/images?lang=en",
        data={"csrf_token": csrf},
        files={"image": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def stored(db_session, product_id: int) -> list[ProductImage]:
    db_session.rollback()  # a fresh snapshot: the upload was written by the app's session
    return list(
        db_session.query(ProductImage)
        .filter_by(product_id=product_id)
        .order_by(ProductImage.id)
        .all()
    )


def variant(image: ProductImage, store_id: int, width: int):
    return media.media_dir(store_id, image.product_id) / media.variant_name(image.file_name, width)


def test_an_upload_gets_a_small_and_a_large_webp_copy(
    client, db_session, shop, owner, make_product
):
    store = shop[1]
    product = make_product(store, "pretzel")

    assert upload(client, owner, product.id, jpeg(1600, 1200)).status_code == 303

    [image] = stored(db_session, product.id)
    assert (image.width, image.height) == (1600, 1200)
    for width, expected in ((320, (320, 240)), (800, (800, 600))):
        path = variant(image, store.id, width)
        with Image.open(path) as copy:
            assert copy.format == "WEBP" and copy.size == expected
            assert not copy.getexif() and "exif" not in copy.info and "xmp" not in copy.info
    # the original is kept as uploaded
    original = media.media_dir(store.id, product.id) / image.file_name
    assert original.read_bytes() == jpeg(1600, 1200)


def test_exif_orientation_is_applied(client, db_session, shop, owner, make_product):
    """A sideways photo (orientation 6: turn 90° clockwise) becomes upright, red on top."""
    store = shop[1]
    product = make_product(store, "pretzel")

    assert upload(client, owner, product.id, jpeg(1000, 500, orientation=6)).status_code == 303

    [image] = stored(db_session, product.id)
    assert (image.width, image.height) == (500, 1000)  # as shown, not as stored
    with Image.open(variant(image, store.id, 320)) as copy:
        assert copy.size == (160, 320)
        rgb = copy.convert("RGB")
        top, bottom = rgb.getpixel((80, 20)), rgb.getpixel((80, 300))
    assert top[0] > 200 and top[2] < 60  # red
    assert bottom[2] > 200 and bottom[0] < 60  # blue


def test_a_small_picture_is_never_enlarged(client, db_session, shop, owner, make_product):
    store = shop[1]
    product = make_product(store, "pretzel")

    upload(client, owner, product.id, png(200, 100), name="small.png")

    [image] = stored(db_session, product.id)
    for width in (320, 800):
        with Image.open(variant(image, store.id, width)) as copy:
            assert copy.size == (200, 100)


def test_an_animation_gives_its_first_frame(client, db_session, shop, owner, make_product):
    store = shop[1]
    product = make_product(store, "pretzel")
    frames = [Image.new("RGB", (400, 400), RED), Image.new("RGB", (400, 400), BLUE)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0)

    assert upload(client, owner, product.id, buffer.getvalue(), "anim.webp").status_code == 303

    [image] = stored(db_session, product.id)
    with Image.open(variant(image, store.id, 320)) as copy:
        assert getattr(copy, "n_frames", 1) == 1
        colour = copy.convert("RGB").getpixel((160, 160))
    assert colour[0] > 200 and colour[2] < 60


def test_the_storefront_uses_the_small_copy_in_the_listing_and_the_large_on_the_page(
    client, db_session, shop, owner, make_product
):
    platform, store = shop
    product = make_product(store, "pretzel", titles={"fr": "Bretzel"})
    upload(client, owner, product.id, jpeg(1600, 1200))
    [image] = stored(db_session, product.id)
    src = storefront(platform, store, f"catalog/images/{image.id}/{image.file_name}")

    listing = client.get(storefront(platform, store, "products")).text
    page = client.get(storefront(platform, store, "products/pretzel")).text

    assert f'<img src="{src}?size=320"' in listing
    assert f"{src}?size=800 800w" in listing
    assert f'<img src="{src}?size=800" srcset="{src}?size=320 320w, {src}?size=800 800w"' in page
    assert 'width="800" height="600"' in page

    small = client.get(f"{src}?size=320")
    assert small.status_code == 200 and small.headers["content-type"] == "image/webp"
    assert "max-age=31536000" in small.headers["cache-control"]
    with Image.open(io.BytesIO(small.content)) as copy:
        assert max(copy.size) == 320
    original = client.get(src)
    assert original.headers["content-type"] == "image/jpeg"
    assert original.content == jpeg(1600, 1200)


def _img(html: str, src: str) -> str:
    """The ``<img>`` element showing ``src``."""
    start = html.index(f'<img src="{src}?size=')
    return html[start : html.index(">", start) + 1]


def test_listing_and_page_pictures_carry_their_size_and_real_widths(
    client, db_session, shop, owner, make_product
):
    """Each picture says its size (``width``/``height`` of the copy its ``src`` names, so the
    page does not move while it loads) and offers its WebP copies at their real widths: a
    portrait photo's 320 px copy is 240 px wide; a small original offers itself once."""
    platform, store = shop
    portrait = make_product(store, "baguette", titles={"fr": "Baguette"})
    small = make_product(store, "praline", titles={"fr": "Praline"})
    upload(client, owner, portrait.id, jpeg(900, 1200))
    upload(client, owner, small.id, png(200, 100), name="small.png")
    [tall] = stored(db_session, portrait.id)
    [tiny] = stored(db_session, small.id)
    tall_src = storefront(platform, store, f"catalog/images/{tall.id}/{tall.file_name}")
    tiny_src = storefront(platform, store, f"catalog/images/{tiny.id}/{tiny.file_name}")

    listing = client.get(storefront(platform, store, "products")).text
    tall_card, tiny_card = _img(listing, tall_src), _img(listing, tiny_src)
    assert f'srcset="{tall_src}?size=320 240w, {tall_src}?size=800 600w"' in tall_card
    assert 'width="240" height="320"' in tall_card
    assert f'srcset="{tiny_src}?size=320 200w"' in tiny_card and 'width="200" height="100"' in tiny_card
    assert 'sizes="(max-width: 30rem) 100vw, 16rem"' in tall_card

    page = _img(client.get(storefront(platform, store, "products/baguette")).text, tall_src)
    assert f'srcset="{tall_src}?size=320 240w, {tall_src}?size=800 600w"' in page
    assert 'width="600" height="800"' in page

    # what the copies really measure
    for variant_size, expected in (("320", (240, 320)), ("800", (600, 800))):
        served = client.get(f"{tall_src}?size={variant_size}")
        assert Image.open(io.BytesIO(served.content)).size == expected
        # a picture never changes under its address: a date and a validator for revalidation
        assert served.headers["last-modified"] and served.headers["etag"]


def test_missing_copies_are_made_when_first_asked_for(
    client, db_session, shop, owner, make_product
):
    """Pictures stored before copies existed get them lazily, on the first request."""
    platform, store = shop
    product = make_product(store, "pretzel")
    upload(client, owner, product.id, jpeg(1200, 1200))
    [image] = stored(db_session, product.id)
    for width in media.VARIANT_WIDTHS:
        variant(image, store.id, width).unlink()

    served = client.get(
        storefront(platform, store, f"catalog/images/{image.id}/{image.file_name}?size=800")
    )
    dashboard = client.get(f"{BASE}/{product.id}/images/{image.id}?size=320")

    assert served.headers["content-type"] == "image/webp"
    assert Image.open(io.BytesIO(served.content)).size == (800, 800)
    assert Image.open(io.BytesIO(dashboard.content)).size == (320, 320)
    assert variant(image, store.id, 800).is_file() and variant(image, store.id, 320).is_file()


def test_removing_a_picture_removes_its_copies(client, db_session, shop, owner, make_product):
    store = shop[1]
    product = make_product(store, "pretzel")
    upload(client, owner, product.id, jpeg(900, 600))
    [image] = stored(db_session, product.id)
    paths = [variant(image, store.id, w) for w in media.VARIANT_WIDTHS]
    assert all(p.is_file() for p in paths)

    client.post(f"{BASE}/{product.id}/images/{image.id}/delete", data={"csrf_token": owner})

    assert not any(p.exists() for p in paths)


@pytest.mark.parametrize(("width", "height"), [(30_000, 30_000), (12_000, 10), (9_000, 9_000)])
def test_a_picture_with_too_many_pixels_is_refused(
    client, db_session, shop, owner, make_product, width, height
):
    """The header is checked before decoding: a small file claiming a huge picture is a 422."""
    store = shop[1]
    product = make_product(store, "pretzel")
    folder = media.media_dir(store.id, product.id)
    before = set(folder.iterdir()) if folder.exists() else set()  # the data dir is shared

    response = upload(client, owner, product.id, png_claiming(width, height), "bomb.png")

    assert response.status_code == 422
    assert (
        "The picture is too big to process: at most 10000 pixels a side and 40 megapixels in all."
        in response.text
    )
    assert stored(db_session, product.id) == []
    assert (set(folder.iterdir()) if folder.exists() else set()) == before


def test_a_damaged_picture_is_refused(client, db_session, shop, owner, make_product):
    product = make_product(shop[1], "pretzel")
    damaged = jpeg(800, 600)[:600]

    response = upload(client, owner, product.id, damaged)

    assert response.status_code == 422
    assert "This picture is damaged or cannot be read" in response.text
    assert stored(db_session, product.id) == []


def test_a_non_picture_is_refused_in_the_shoppers_language(client, shop, owner, make_product):
    product = make_product(shop[1], "pretzel")
    gif = b"GIF89a" + b"\x00" * 40

    response = client.post(
        f"{BASE}/{product.id}/images?lang=de",
        data={"csrf_token": owner},
        files={"image": ("anim.gif", gif, "image/gif")},
    )

    assert response.status_code == 422
    assert "Diese Datei ist kein JPEG-, PNG- oder WebP-Bild." in response.text


def test_resizing_holds_no_write_lock(client, db_session, shop, owner, make_product, orion_engine, monkeypatch):
    """Resizing a large picture takes seconds: on SQLite a shopper's write must go through
    meanwhile, so the copies are made before the write transaction opens (issue 10)."""
    from tests.support.sqlite_lock import another_writer_gets_in

    if orion_engine.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's")
    product = make_product(shop[1], "pretzel")
    outcome = []
    real = media.make_variants

    def make_variants_while_a_shopper_writes(path):
        outcome.append(another_writer_gets_in(orion_engine))
        return real(path)

    monkeypatch.setattr(media, "make_variants", make_variants_while_a_shopper_writes)
    assert upload(client, owner, product.id, jpeg(1600, 1200)).status_code == 303
    assert outcome == ["written"]
    assert len(stored(db_session, product.id)) == 1
