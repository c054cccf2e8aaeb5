"""Rules of content_page_service that the pages rely on."""

from __future__ import annotations

import pytest

from modules.cms.exceptions import PageInputError, SlugTakenError
from modules.cms.services import content_page_service
from orion_server.errors import ValidationError


def test_menus_are_ordered_by_sort_order_then_slug(db_session, factories, make_page):
    """Lower sort_order first; equal ones alphabetically."""
    platform = factories.platform(code="lux")
    make_page(platform, slug="zeta", sort_order=1)
    make_page(platform, slug="alpha", sort_order=1)
    make_page(platform, slug="first", sort_order=-5)

    pages = content_page_service.list_platform_pages(db_session, platform_id=platform.id)

    assert [p.slug for p in pages] == ["first", "alpha", "zeta"]


def test_an_override_takes_its_own_placement(db_session, factories, make_page):
    """A store page replacing a header page but not placed in the header removes it from there."""
    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    make_page(platform, slug="about", show_in_header=True)
    make_page(platform, store, slug="about", show_in_footer=True)

    header = content_page_service.list_pages_for_store(
        db_session, platform_id=platform.id, store_id=store.id, header_only=True
    )
    footer = content_page_service.list_pages_for_store(
        db_session, platform_id=platform.id, store_id=store.id, footer_only=True
    )

    assert header == []
    assert [(p.slug, p.store_id) for p in footer] == [("about", store.id)]


def test_unpublished_pages_are_listed_only_when_asked(db_session, factories, make_page):
    """include_unpublished adds drafts (the admin list) but storefront lists never show them."""
    platform = factories.platform(code="lux")
    make_page(platform, slug="draft", status="draft")

    assert content_page_service.list_platform_pages(db_session, platform_id=platform.id) == []
    listed = content_page_service.list_platform_pages(
        db_session, platform_id=platform.id, include_unpublished=True
    )
    assert [p.slug for p in listed] == ["draft"]


def test_every_problem_is_reported_at_once(db_session, factories):
    """Slug, missing default title and a bad sort order come back together, per field."""
    platform = factories.platform(code="lux")

    with pytest.raises(PageInputError) as raised:
        content_page_service.create_page(
            db_session,
            platform_id=platform.id,
            slug="-bad-",
            translations={"de": {"body": "Text ohne Titel"}},
            default_language="fr",
            sort_order="first",
        )

    fields = raised.value.field_messages("en")
    assert set(fields) == {"slug", "title_de", "title_fr", "sort_order"}
    assert raised.value.status == 422


def test_errors_serialise_with_a_field_list_for_json_clients(db_session, factories, make_page):
    """to_dict carries the first field and a ``fields`` list like FastAPI's validation errors."""
    platform = factories.platform(code="lux")
    make_page(platform, slug="about")

    with pytest.raises(SlugTakenError) as raised:
        make_page(platform, slug="about")

    body = raised.value.to_dict()
    assert raised.value.status == 409
    assert body["field"] == "slug"
    assert body["fields"] == [
        {"field": "slug", "message": "Another page already uses the address “about”."}
    ]


def test_platform_and_store_pages_may_share_a_slug_but_stores_may_not_twice(
    db_session, factories, make_page
):
    """The same slug is fine once per owner: the platform, and each store."""
    platform = factories.platform(code="lux")
    bakery = factories.store(platform, code="bakery")
    books = factories.store(platform, code="books")
    make_page(platform, slug="about")
    make_page(platform, bakery, slug="about")
    make_page(platform, books, slug="about")

    with pytest.raises(SlugTakenError):
        make_page(platform, bakery, slug="about")


def test_a_store_page_must_be_on_the_stores_platform(db_session, factories):
    """A store of another platform is refused, naming store_id."""
    lux = factories.platform(code="lux")
    other = factories.platform(code="other")
    store = factories.store(other, code="shop")

    with pytest.raises(ValidationError) as raised:
        content_page_service.create_page(
            db_session,
            platform_id=lux.id,
            store_id=store.id,
            slug="about",
            translations={"en": {"title": "About"}},
        )

    assert raised.value.field == "store_id"


def test_removing_a_language_deletes_its_text(db_session, factories, make_page):
    """Saving without the German fields drops the German translation."""
    platform = factories.platform(code="lux")
    page = make_page(platform, slug="about", titles={"en": "About", "de": "Über uns"})

    content_page_service.update_page(
        db_session,
        page_id=page.id,
        store_id=None,
        slug="about",
        translations={"en": {"title": "About us"}, "de": {"title": "", "body": ""}},
    )

    db_session.refresh(page)
    assert [(t.language, t.title) for t in page.translations] == [("en", "About us")]
