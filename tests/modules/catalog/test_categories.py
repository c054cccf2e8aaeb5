"""Categories on the store dashboard and in the store API: the tree with counts, the editor with
its messages (unique address, no cycles), moving, deletion rules, tenant isolation; the
storefront's category navigation and filter."""

from __future__ import annotations

import html as markup
import re

import pytest

from modules.catalog.models import Category, Product
from modules.catalog.services import catalog_service
from tests.modules.catalog.conftest import storefront

PAGES = "/store/bakery/categories"
API = "/api/v1/store/bakery/catalog/categories"


@pytest.fixture
def tree(db_session, shop):
    """pains > seigle > seigle-bio, and viennoiseries, in the French bakery."""
    store = shop[1]

    def add(slug, name, parent=None, position=0):
        return catalog_service.save_category(
            db_session,
            store_id=store.id,
            slug=slug,
            names={"fr": name, "de": f"{name} (de)"},
            default_language="fr",
            parent_id=parent.id if parent else None,
            position=position,
        )

    pains = add("pains", "Pains")
    seigle = add("seigle", "Seigle", pains)
    bio = add("seigle-bio", "Seigle bio", seigle)
    viennoiseries = add("viennoiseries", "Viennoiseries", position=1)
    return {"pains": pains, "seigle": seigle, "bio": bio, "viennoiseries": viennoiseries}


def category_form(csrf: str, **fields: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf,
        "slug": "gateaux",
        "parent_id": "",
        "position": "2",
        "name_fr": "Gâteaux",
        "name_de": "Kuchen",
        "name_en": "Cakes",
        "name_lb": "Kuch",
    }
    data.update(fields)
    return data


def errors_of(html: str) -> list[str]:
    return [markup.unescape(m) for m in re.findall(r'<p class="error"[^>]*>([^<]+)</p>', html)]


# -- dashboard pages ----------------------------------------------------------------------


def test_the_page_lists_the_tree_indented_with_product_counts(
    client, shop, owner, tree, make_product
):
    """Children follow their parent, deeper rows are indented, counts include sub-categories."""
    store = shop[1]
    make_product(store, "pain-blanc", category_id=tree["pains"].id)
    make_product(store, "pain-seigle", category_id=tree["seigle"].id)
    make_product(store, "pain-bio", category_id=tree["bio"].id)

    html = client.get(f"{PAGES}?lang=en").text

    names = re.findall(r'/categories/\d+/edit">([^<]+)</a>\s*(?:<small|</td>)', html)
    assert names == ["Pains", "Seigle", "Seigle bio", "Viennoiseries"]
    assert 'class="depth-2"' in html and "catalog-indent-2" in html  # 3.5rem, in catalog.css
    assert "3 with sub-categories" in html  # pains: 1 of its own, 2 below
    assert f'href="/store/bakery/products?category={tree["pains"].id}">1</a>' in html
    assert 'href="/store/bakery/categories"' in client.get("/store/bakery/products").text


def test_an_empty_tree_says_what_to_do(client, shop, owner):
    html = client.get(f"{PAGES}?lang=en").text

    assert "Your store has no categories yet." in html and f'href="{PAGES}/new"' in html


def test_an_owner_creates_a_category_with_names_in_four_languages(
    client, db_session, shop, owner, tree
):
    """The form saves every language's name, the parent and the position."""
    response = client.post(
        f"{PAGES}/new",
        data=category_form(owner, parent_id=str(tree["pains"].id)),
        follow_redirects=False,
    )

    assert response.status_code == 303 and response.headers["location"].endswith("done=created")
    db_session.expire_all()
    created = catalog_service.get_category_by_slug(db_session, store_id=shop[1].id, slug="gateaux")
    assert {tr.language: tr.name for tr in created.translations} == {
        "fr": "Gâteaux",
        "de": "Kuchen",
        "en": "Cakes",
        "lb": "Kuch",
    }
    assert created.parent_id == tree["pains"].id and created.position == 2
    assert "The category was created." in client.get(f"{PAGES}?done=created&lang=en").text


def test_the_new_form_offers_every_language_and_a_preselected_parent(client, shop, owner, tree):
    html = client.get(f"{PAGES}/new?parent={tree['seigle'].id}&lang=de").text

    for language in ("fr", "de", "en", "lb"):
        assert f'name="name_{language}"' in html
    assert f'<option value="{tree["seigle"].id}" selected>' in html
    assert "Übergeordnete Kategorie" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slug": ""}, "Enter the web address of the category."),
        ({"slug": "Pas bon!"}, "Use lowercase letters, digits and hyphens."),
        ({"slug": "pains"}, "Another category of your store already uses the address pains."),
        ({"name_fr": ""}, "Enter a name in the store's default language."),
        ({"position": "-3"}, "Enter a whole number from 0 to 10000."),
        ({"position": "first"}, "Enter a whole number from 0 to 10000."),
        ({"parent_id": "999999"}, "Choose one of your categories as parent."),
    ],
)
def test_form_errors_come_back_with_messages_and_the_typed_input(
    client, shop, owner, tree, fields, message
):
    response = client.post(f"{PAGES}/new?lang=en", data=category_form(owner, **fields))

    assert response.status_code == 422
    assert message in errors_of(response.text)
    assert 'value="Kuchen"' in response.text  # what was typed stays


def test_all_problems_are_reported_at_once(client, shop, owner, tree):
    response = client.post(
        f"{PAGES}/new?lang=fr", data=category_form(owner, slug="pains", name_fr="", position="x")
    )

    assert response.status_code == 422
    assert len(errors_of(response.text)) == 3
    assert "Une autre catégorie de votre boutique utilise déjà l'adresse pains." in errors_of(
        response.text
    )


def test_a_category_cannot_move_below_itself_or_its_descendants(
    client, db_session, shop, owner, tree
):
    """Choosing a descendant (or the category itself) as parent is refused; nothing changes."""
    pains = tree["pains"]
    for parent in (tree["bio"], pains):
        response = client.post(
            f"{PAGES}/{pains.id}/edit?lang=en",
            data=category_form(owner, slug="pains", name_fr="Pains", parent_id=str(parent.id)),
        )
        assert response.status_code == 422
        assert "A category cannot be inside itself or one of its sub-categories." in errors_of(
            response.text
        )
    db_session.expire_all()
    assert db_session.get(Category, pains.id).parent_id is None


def test_the_parent_choices_leave_out_the_category_and_its_branch(client, shop, owner, tree):
    html = client.get(f"{PAGES}/{tree['seigle'].id}/edit").text
    choices = re.findall(r'<option value="(\d*)"', html)

    assert str(tree["pains"].id) in choices and str(tree["viennoiseries"].id) in choices
    assert str(tree["seigle"].id) not in choices and str(tree["bio"].id) not in choices


def test_editing_moves_a_category_under_another_parent(client, db_session, shop, owner, tree):
    response = client.post(
        f"{PAGES}/{tree['seigle'].id}/edit",
        data=category_form(
            owner, slug="seigle", name_fr="Seigle", parent_id=str(tree["viennoiseries"].id)
        ),
        follow_redirects=False,
    )

    assert response.status_code == 303
    db_session.expire_all()
    assert db_session.get(Category, tree["seigle"].id).parent_id == tree["viennoiseries"].id
    assert db_session.get(Category, tree["bio"].id).parent_id == tree["seigle"].id


def test_moving_up_and_down_reorders_siblings(client, db_session, shop, owner, tree):
    store = shop[1]
    assert (
        client.post(
            f"{PAGES}/{tree['viennoiseries'].id}/move",
            data={"csrf_token": owner, "direction": "up"},
            follow_redirects=False,
        )
        .headers["location"]
        .endswith("done=moved")
    )

    db_session.rollback()  # a new snapshot (SQLite WAL)
    top = [c.slug for c, depth in catalog_service.category_tree(db_session, store_id=store.id)]
    assert top == ["viennoiseries", "pains", "seigle", "seigle-bio"]

    down = client.post(
        f"{PAGES}/{tree['viennoiseries'].id}/move",
        data={"csrf_token": owner, "direction": "down"},
        follow_redirects=False,
    )
    assert down.status_code == 303, down.text
    db_session.rollback()  # a new snapshot (SQLite WAL)
    top = [c.slug for c, depth in catalog_service.category_tree(db_session, store_id=store.id)]
    assert top == ["pains", "seigle", "seigle-bio", "viennoiseries"]


def test_deleting_moves_children_up_and_keeps_products(
    client, db_session, shop, owner, tree, make_product
):
    """The confirmation says what happens; products survive without the category."""
    store = shop[1]
    bread_id = make_product(store, "pain-seigle", category_id=tree["seigle"].id).id
    seigle, bio_id, pains_id = tree["seigle"], tree["bio"].id, tree["pains"].id
    seigle_id = seigle.id

    question = client.get(f"{PAGES}/{seigle.id}/delete?lang=en").text
    assert "Delete the category “Seigle”?" in question
    assert "Its sub-categories (1) move up into “Pains”." in question
    assert "Its products (1) are kept, without a category." in question

    response = client.post(
        f"{PAGES}/{seigle.id}/delete", data={"csrf_token": owner}, follow_redirects=False
    )
    assert response.status_code == 303
    db_session.expire_all()
    assert db_session.get(Category, seigle_id) is None
    assert db_session.get(Category, bio_id).parent_id == pains_id
    product = db_session.get(Product, bread_id)
    assert product is not None and product.category_id is None


def test_deleting_a_top_category_moves_its_children_to_the_top(
    client, db_session, shop, owner, tree
):
    seigle_id = tree["seigle"].id
    question = client.get(f"{PAGES}/{tree['pains'].id}/delete?lang=de").text
    assert "Ihre Unterkategorien (1) rücken auf die oberste Ebene auf." in question

    client.post(f"{PAGES}/{tree['pains'].id}/delete", data={"csrf_token": owner})
    db_session.expire_all()
    assert db_session.get(Category, seigle_id).parent_id is None


def test_another_stores_categories_are_404_on_the_pages(client, factories, shop, tree):
    platform = shop[0]
    factories.store(platform, code="books", default_language="de")
    token = factories.login(
        client, factories.staff(factories.store(platform, code="books2"), role="owner")
    )
    pains = tree["pains"].id

    assert client.get(f"/store/books2/categories/{pains}/edit").status_code == 404
    assert client.get(f"{PAGES}/{pains}/edit").status_code == 404
    assert (
        client.post(
            f"/store/books2/categories/{pains}/edit", data=category_form(token, slug="x")
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/store/books2/categories/{pains}/delete", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert f"/categories/{pains}/" not in client.get("/store/books2/categories").text


def test_staff_need_the_catalog_permissions(client, factories, shop, tree):
    token = factories.login(client, factories.staff(shop[1], permissions=["catalog.view"]))

    assert client.get(PAGES).status_code == 200
    assert 'href="/store/bakery/categories/new"' not in client.get(PAGES).text
    assert client.post(f"{PAGES}/new", data=category_form(token)).status_code == 403
    assert (
        client.post(f"{PAGES}/{tree['pains'].id}/delete", data={"csrf_token": token}).status_code
        == 403
    )


# -- store API ----------------------------------------------------------------------------


def test_the_api_creates_reads_updates_and_deletes(client, shop, owner):
    headers = {"X-CSRF-Token": owner}
    created = client.post(
        API,
        json={"slug": "pains", "names": {"fr": "Pains", "lb": "Brout"}, "position": 3},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    parent = created.json()
    assert parent["names"] == {"fr": "Pains", "lb": "Brout"} and parent["depth"] == 0

    child = client.post(
        API,
        json={"slug": "seigle", "names": {"fr": "Seigle"}, "parent_id": parent["id"]},
        headers=headers,
    ).json()
    assert child["parent_id"] == parent["id"] and child["depth"] == 1

    patched = client.patch(
        f"{API}/{child['id']}", json={"names": {"fr": "Seigle", "de": "Roggen"}}, headers=headers
    )
    assert patched.status_code == 200
    assert patched.json()["names"]["de"] == "Roggen"
    assert patched.json()["parent_id"] == parent["id"]  # left out: unchanged

    moved = client.patch(f"{API}/{child['id']}", json={"parent_id": None}, headers=headers)
    assert moved.json()["parent_id"] is None

    assert [c["slug"] for c in client.get(API).json()] == ["seigle", "pains"]
    assert client.delete(f"{API}/{parent['id']}", headers=headers).status_code == 204
    assert client.get(f"{API}/{parent['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "", "names": {"fr": "Pains"}}, "slug"),
        ({"slug": "Pains!", "names": {"fr": "Pains"}}, "slug"),
        ({"slug": "neu", "names": {"de": "Brote"}}, "names.fr"),
        ({"slug": "neu", "names": {"fr": "Pains", "xx": "?"}}, "names.xx"),
        ({"slug": "neu", "names": {"fr": "x" * 201}}, "names.fr"),
        ({"slug": "neu", "names": {"fr": "Pains"}, "position": -1}, "position"),
        ({"slug": "neu", "names": {"fr": "Pains"}, "parent_id": 999999}, "parent_id"),
        ({"slug": "pains", "names": {"fr": "Pains"}}, "slug"),
        ({"slug": 5, "names": "Pains"}, "names"),
    ],
)
def test_api_bad_input_answers_422_naming_the_field(client, shop, owner, tree, body, field):
    response = client.post(API, json=body, headers={"X-CSRF-Token": owner})

    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["fields"]}
    assert field in fields and fields[field]


def test_api_refuses_a_cycle(client, shop, owner, tree):
    response = client.patch(
        f"{API}/{tree['pains'].id}",
        json={"parent_id": tree["bio"].id},
        headers={"X-CSRF-Token": owner, "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert response.json()["fields"] == [
        {
            "field": "parent_id",
            "message": "A category cannot be inside itself or one of its sub-categories.",
        }
    ]


def test_api_counts_products_with_their_subcategories(client, shop, owner, tree, make_product):
    make_product(shop[1], "pain-bio", category_id=tree["bio"].id)

    rows = {c["slug"]: c for c in client.get(API).json()}

    assert rows["pains"]["product_count"] == 0
    assert rows["pains"]["product_count_with_children"] == 1
    assert rows["seigle-bio"]["product_count"] == 1 and rows["seigle-bio"]["depth"] == 2


def test_api_another_stores_category_is_404(client, factories, shop, tree):
    platform = shop[0]
    other = factories.store(platform, code="books", default_language="de")
    token = factories.login(client, factories.staff(other, role="owner"))
    headers = {"X-CSRF-Token": token}
    url = f"/api/v1/store/books/catalog/categories/{tree['pains'].id}"

    assert client.get(url).status_code == 404
    assert client.patch(url, json={"position": 4}, headers=headers).status_code == 404
    assert client.delete(url, headers=headers).status_code == 404
    assert client.get(f"{API}/{tree['pains'].id}").status_code == 404
    assert client.get("/api/v1/store/books/catalog/categories").json() == []
    # nor can another store's category become a parent
    created = client.post(
        "/api/v1/store/books/catalog/categories",
        json={"slug": "romane", "names": {"de": "Romane"}, "parent_id": tree["pains"].id},
        headers=headers,
    )
    assert created.status_code == 422
    assert created.json()["fields"][0]["field"] == "parent_id"


def test_api_needs_the_permissions(client, factories, shop, tree):
    token = factories.login(client, factories.staff(shop[1], permissions=["catalog.view"]))
    headers = {"X-CSRF-Token": token}

    assert client.get(API).status_code == 200
    assert (
        client.post(API, json={"slug": "a", "names": {"fr": "A"}}, headers=headers).status_code
        == 403
    )
    assert client.delete(f"{API}/{tree['pains'].id}", headers=headers).status_code == 403


# -- storefront ---------------------------------------------------------------------------


def test_the_storefront_filters_by_a_parent_including_its_descendants(
    client, shop, tree, make_product
):
    """A parent category shows its grandchildren's products; the navigation shows the tree."""
    platform, store = shop
    make_product(store, "pain-bio", titles={"fr": "Pain bio"}, category_id=tree["bio"].id)
    make_product(
        store, "croissant", titles={"fr": "Croissant"}, category_id=tree["viennoiseries"].id
    )

    by_filter = client.get(storefront(platform, store, "products?category=pains&lang=fr")).text
    by_page = client.get(storefront(platform, store, "categories/pains?lang=fr")).text
    api = client.get(storefront(platform, store, "api/v1/catalog/products?category=pains")).json()

    for html in (by_filter, by_page):
        assert "Pain bio" in html and "Croissant" not in html
    assert [p["slug"] for p in api["items"]] == ["pain-bio"]
    nav = by_page.split('class="catalog-categories"')[1].split("</nav>")[0]
    assert re.findall(r'class="depth-(\d)"><a href="[^"]*categories/([a-z-]+)"', nav) == [
        ("0", "pains"),
        ("1", "seigle"),
        ("2", "seigle-bio"),
        ("0", "viennoiseries"),
    ]
    assert 'categories/pains" aria-current="page"' in nav


def test_the_product_page_shows_the_whole_category_path(client, shop, tree, make_product):
    platform, store = shop
    make_product(store, "pain-bio", titles={"fr": "Pain bio"}, category_id=tree["bio"].id)

    html = client.get(storefront(platform, store, "products/pain-bio?lang=fr")).text
    crumbs = html.split('class="muted catalog-breadcrumb"')[1].split("</nav>")[0]

    assert re.findall(r'categories/([a-z-]+)">([^<]+)</a>', crumbs) == [
        ("pains", "Pains"),
        ("seigle", "Seigle"),
        ("seigle-bio", "Seigle bio"),
    ]


def test_the_storefronts_kept_category_tree_follows_every_change(client, db_session, shop):
    """Shoppers' category navigation is kept per process until the configuration revision
    moves; creating, renaming, moving and deleting a category each move it."""
    from orion_server.revision import config_cache

    platform, store = shop
    breads = catalog_service.save_category(db_session, store_id=store.id, slug="breads",
                                           names={"fr": "Pains"}, default_language="fr")
    listing = f"/platforms/{platform.code}/storefront/{store.code}/products?lang=fr"
    assert ">Pains</a>" in client.get(listing).text
    revisions = [config_cache.current(db_session)]

    catalog_service.save_category(db_session, store_id=store.id, category_id=breads.id, slug="breads",
                                  names={"fr": "Pains au levain"}, default_language="fr")
    assert ">Pains au levain</a>" in client.get(listing).text
    cakes = catalog_service.save_category(db_session, store_id=store.id, slug="cakes",
                                          names={"fr": "Gâteaux"}, default_language="fr")
    html = client.get(listing).text
    assert html.index(">Pains au levain</a>") < html.index(">Gâteaux</a>")
    catalog_service.move_category(db_session, store_id=store.id, category_id=cakes.id, direction="up")
    html = client.get(listing).text
    assert html.index(">Gâteaux</a>") < html.index(">Pains au levain</a>")
    catalog_service.delete_category(db_session, store_id=store.id, category_id=cakes.id)
    assert "Gâteaux" not in client.get(listing).text
    config_cache.invalidate()
    revisions.append(config_cache.current(db_session))
    assert revisions[1] >= revisions[0] + 4
