"""The framework's shared plumbing: one page of a listing, field errors, after-post messages."""

from __future__ import annotations

import pytest

from orion_server.errors import ConflictError, OrionError, ValidationError
from orion_server.flash import flash_for, with_done
from orion_server.forms import InputError, Problem, WithProblems, field_messages
from orion_server.pagination import Page, clamp_page, page_count


@pytest.mark.parametrize(
    ("total", "per_page", "pages"), [(0, 20, 1), (1, 20, 1), (20, 20, 1), (21, 20, 2), (41, 20, 3)]
)
def test_page_counts_whole_pages_and_never_fewer_than_one(total: int, per_page: int, pages: int) -> None:
    assert page_count(total, per_page) == pages
    assert Page([], total, 1, per_page).pages == pages


def test_page_knows_its_neighbours_and_offset() -> None:
    first, middle, last = Page([1], 45, 1, 20), Page([2], 45, 2, 20), Page([3], 45, 3, 20)
    assert (first.has_previous, first.has_next) == (False, True)
    assert (middle.has_previous, middle.has_next) == (True, True)
    assert (last.has_previous, last.has_next) == (True, False)
    assert middle.offset == 20
    assert clamp_page(0, 45, 20) == 1
    assert clamp_page(9, 45, 20) == 3
    assert clamp_page(2, 0, 20) == 1


def test_input_error_names_every_field_in_the_users_language() -> None:
    error = InputError(
        [
            Problem("gtin", "catalog.errors.gtin_invalid"),
            Problem("image", "catalog.errors.image_empty"),
            Problem("gtin", "catalog.errors.category_invalid"),
        ]
    )
    assert isinstance(error, ValidationError) and error.status == 422
    assert error.field == "gtin" and error.message == "A GTIN has 8, 12, 13 or 14 digits."
    assert error.field_messages("en") == {
        "gtin": "A GTIN has 8, 12, 13 or 14 digits.",
        "image": "Choose a picture to upload.",
    }
    assert error.field_messages("de")["gtin"] != error.field_messages("en")["gtin"]
    body = error.to_dict()
    assert body["error"] == "validation_error" and "details" not in body
    assert body["fields"] == [
        {"field": "gtin", "message": "A GTIN has 8, 12, 13 or 14 digits."},
        {"field": "image", "message": "Choose a picture to upload."},
    ]


def test_field_messages_of_any_error() -> None:
    class Taken(WithProblems, ConflictError):
        def __init__(self) -> None:
            self.problems = [Problem("slug", "catalog.errors.gtin_invalid")]
            super().__init__("taken", field="slug")

    assert field_messages(Taken(), "en") == {"slug": "A GTIN has 8, 12, 13 or 14 digits."}
    assert Taken().to_dict()["fields"][0]["field"] == "slug"
    assert field_messages(OrionError("boom", field="name"), "en") == {"name": "boom"}
    assert field_messages(OrionError("boom"), "en") == {"form": "boom"}


def test_flash_shows_only_known_words_translated() -> None:
    assert with_done("/store/s/products", "saved") == "/store/s/products?done=saved"
    assert with_done("/admin/pages?platform=p", "saved") == "/admin/pages?platform=p&done=saved"
    allowed = {"saved"}
    assert flash_for("saved", prefix="catalog.flash.", allowed=allowed, language="en") == {
        "kind": "ok",
        "message": "The product was saved.",
    }
    assert flash_for("saved", prefix="catalog.flash.", allowed=allowed, language="de") == {
        "kind": "ok",
        "message": "Das Produkt wurde gespeichert.",
    }
    assert flash_for("<script>", prefix="catalog.flash.", allowed=allowed, language="en") is None
    assert flash_for("", prefix="catalog.flash.", allowed=allowed, language="en") is None
    assert flash_for(None, prefix="catalog.flash.", allowed=allowed, language="en") is None
