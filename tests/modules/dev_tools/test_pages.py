"""Developer Tools: the component library, the icon browser and the module explorer, for
platform admins only and only where the module is on."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from modules.dev_tools.services import components, explorer, icons
from orion_server.modules import registry
from orion_server.modules.service import module_service
from orion_server.templating import environment

PAGES = [
    "/admin/dev-tools/components",
    "/admin/dev-tools/icons",
    "/admin/dev-tools/modules",
    "/admin/dev-tools/modules/checkout",
]


@pytest.fixture
def tools_on(main_platform, db_session):
    """Developer Tools on for the main platform (where /admin is served)."""
    module_service.enable_module(db_session, main_platform.id, "dev-tools")
    db_session.commit()
    return main_platform


@pytest.mark.parametrize("path", PAGES)
def test_platform_admins_get_every_page(client, factories, tools_on, path):
    factories.login(client, factories.platform_admin(tools_on, language="en"))
    response = client.get(path + "?lang=en")
    assert response.status_code == 200
    assert "<script>" not in response.text  # strict CSP: no inline script


@pytest.mark.parametrize("path", PAGES)
def test_store_staff_and_shoppers_are_told_nothing_is_there(client, factories, tools_on, path):
    assert client.get(path, follow_redirects=False).status_code in (303, 307, 404)  # anonymous: to the login
    store = factories.store(tools_on, code="bakery")
    factories.owner(client, store)
    assert client.get(path, follow_redirects=False).status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_are_404_where_dev_tools_is_off(client, factories, main_platform, db_session, path):
    module_service.disable_module(db_session, main_platform.id, "dev-tools")
    db_session.commit()
    factories.login(client, factories.admin())
    assert client.get(path).status_code == 404


def test_the_menu_lists_the_three_tools_for_admins(client, factories, tools_on):
    factories.login(client, factories.admin(language="en"))
    page = client.get("/admin/?lang=en").text
    for path in ("/admin/dev-tools/components", "/admin/dev-tools/icons", "/admin/dev-tools/modules"):
        assert f'href="{path}"' in page


# -- component library ----------------------------------------------------------------------


def test_every_shared_macro_and_partial_has_an_entry_in_the_library():
    """A macro added to resources/templates without an entry in the catalogue fails here."""
    found = components.shared_components(environment)
    assert "shared/macros/forms.html:field" in found and "shared/language_switcher.html" in found
    assert components.missing_entries(environment) == []


def test_a_macro_without_an_entry_is_reported(tmp_path):
    shared = tmp_path / "shared"
    (shared / "shared" / "macros").mkdir(parents=True)
    (shared / "shared" / "macros" / "forms.html").write_text(
        "{% macro field(name) %}{{ name }}{% endmacro %}{% macro stars(count) %}{{ '*' * count }}{% endmacro %}")
    (shared / "shared" / "_note.html").write_text("<p>note</p>")
    module = tmp_path / "module"
    module.mkdir()
    (module / "page.html").write_text('{% include "shared/_note.html" %}')
    missing = components.missing_entries(environment, shared=shared, others=[module])
    assert missing == ["shared/_note.html", "shared/macros/forms.html:stars"]


def test_the_library_renders_every_macro_in_light_and_dark_with_its_code(client, factories, tools_on):
    factories.login(client, factories.admin(language="en"))
    page = client.get("/admin/dev-tools/components?lang=en").text
    assert 'id="missing-entries"' not in page
    assert "dt-example-error" not in page and "does not render" not in page
    for key in components.shared_components(environment):
        section = page.split(f'data-component="{key}"')[1].split("</section>")[0]
        assert section.count('data-theme="light"') >= 1 and section.count('data-theme="dark"') >= 1
        assert 'class="dt-rendered"' in section or 'class="dt-output"' in section
        assert "data-copy=" in section
    # the examples really ran through the macros
    assert 'aria-invalid="true"' in page and "Enter a valid e-mail address." in page  # field with an error
    assert 'class="pagination"' in page and 'class="plan-limit plan-limit-full"' in page
    assert 'data-widget="loyalty.unavailable"' in page and "icons.svg#package" in page
    # the code shown is the code that was rendered, escaped
    assert str(escape("{{ forms.field('email'")) in page
    assert "dev_tools.js" in page


@pytest.mark.parametrize("language", ["en", "de", "fr", "lb"])
def test_every_text_the_library_shows_is_translated(client, factories, tools_on, language):
    """Keys left untranslated would show as themselves (``dev_tools.sample.email``)."""
    factories.login(client, factories.admin(language=language))
    page = client.get(f"/admin/dev-tools/components?lang={language}").text
    shown = re.sub(r"<(pre|code)[^>]*>.*?</\1>", "", page, flags=re.S)  # code and file names
    assert re.findall(r"\b(?:dev_tools|plans|dashboard|common)\.[a-z_.]+\b", re.sub(r"<[^>]+>", " ", shown)) == []
    for page_path in ("/admin/dev-tools/icons", "/admin/dev-tools/modules", "/admin/dev-tools/modules/loyalty"):
        text = re.sub(r"<[^>]+>", " ", client.get(f"{page_path}?lang={language}").text)
        assert re.findall(r"\bdev_tools\.[a-z_.]+\b", text) == [], page_path


def test_a_broken_example_shows_its_error_and_the_others_still_render(monkeypatch):
    broken = components.Component(
        key="x", kind=components.MACRO, title="x", template="x", description_key="x",
        examples=(components.Example("x", "{{ forms.nowhere( }}"),), import_line='{% import "shared/macros/forms.html" as forms %}')
    monkeypatch.setattr(components, "CATALOGUE", (broken, components.CATALOGUE[0]))
    rendered = components.render_catalogue(environment, {"t": lambda key, **kw: key, "csrf_token": "x"})
    assert rendered[0].examples[0].error.startswith("TemplateSyntaxError")
    assert rendered[1].examples[0].html and not rendered[1].examples[0].error


# -- icon browser ---------------------------------------------------------------------------


def test_every_menu_icon_is_in_the_set():
    names = set(icons.icon_names())
    used = {item.icon for m in registry.MODULES.values() for items in m.menu_items.values()
            for item in items if not isinstance(item, str)}
    assert used <= names, sorted(used - names)
    assert icons.search().missing == []


def test_icons_are_searched_by_name_and_word_and_shown_at_two_sizes(client, factories, tools_on):
    factories.login(client, factories.admin(language="en"))
    page = client.get("/admin/dev-tools/icons?lang=en&q=shop").text
    assert 'id="icon-shopping-bag"' in page and 'id="icon-store"' in page  # name, search word
    assert 'id="icon-truck"' not in page
    card = page.split('id="icon-shopping-bag"')[1].split("</li>")[0]
    assert 'width="16"' in card and 'width="32"' in card
    assert 'data-copy-text="shopping-bag"' in card
    assert "In 1 menu" in card


def test_an_icon_search_with_nothing_found_says_so_and_pages_are_bounded(client, factories, tools_on):
    factories.login(client, factories.admin(language="en"))
    page = client.get("/admin/dev-tools/icons?lang=en&q=zzzqqq").text
    assert 'id="no-icons"' in page and "zzzqqq" in page
    everything = client.get("/admin/dev-tools/icons?lang=en&page=999")
    assert everything.status_code == 200
    assert 'class="pagination"' in everything.text
    assert client.get("/admin/dev-tools/icons?page=abc").status_code in (400, 422)
    assert client.get("/admin/dev-tools/icons?q=" + "x" * 500).status_code in (400, 422)


# -- module explorer ------------------------------------------------------------------------


def test_the_explorer_lists_every_module_with_the_graph(client, factories, tools_on):
    factories.login(client, factories.admin(language="en"))
    page = client.get("/admin/dev-tools/modules?lang=en").text
    assert '<svg class="dt-graph"' in page
    for code in registry.MODULES:
        assert f'id="node-{code}"' in page and f'id="module-{code}"' in page
    row = page.split('id="module-checkout"')[1].split("</tr>")[0]
    assert ">cart<" in row and ">orders<" in row and ">customers<" in row


def test_the_graph_has_an_arrow_for_each_requirement_and_layers_them():
    graph = explorer.layout()
    expected = {(m.code, r) for m in registry.MODULES.values() for r in m.requires}
    assert {(e.source, e.target) for e in graph.edges} == expected
    for edge in graph.edges:
        assert graph.nodes[edge.source].y < graph.nodes[edge.target].y  # what needs another sits above it
        # a line spanning layers has a slot in each it crosses
        assert len(edge.via) == graph.nodes[edge.source].layer - graph.nodes[edge.target].layer - 1
    boxes = [n for n in graph.nodes.values()]
    for a in boxes:  # nothing overlaps
        for b in boxes:
            if a is not b and a.y == b.y:
                assert a.x + a.width <= b.x or b.x + b.width <= a.x
    svg = explorer.graph_svg("cart")
    assert svg.count('<path class="dt-graph-edge') == len(graph.edges)
    assert 'class="dt-graph-node tier-optional is-focus" id="node-cart"' in svg
    assert 'id="node-inventory"' in svg and "is-near" in svg


def test_a_module_page_shows_all_it_declares(client, factories, tools_on, db_session):
    factories.login(client, factories.admin(language="en"))
    page = client.get("/admin/dev-tools/modules/messaging?lang=en").text
    assert "/api/v1/admin/messaging" in page or "/admin/messaging" in page  # routes
    assert "send_outbox" in page and "retry_outbox" in page and "Periodic" in page  # tasks
    assert "messaging_003" in page  # migration head
    assert ">customers<" in page  # requires
    assert 'id="platform-' + tools_on.code + '"' in page
    assert "orion validate: no findings" in page and 'id="no-findings"' in page
    checkout = client.get("/admin/dev-tools/modules/checkout?lang=en").text
    assert "<code title=\"/_sf/checkout\">…/checkout</code>" in checkout and "Storefront" in checkout
    assert "Kasse" in client.get("/admin/dev-tools/modules/checkout?lang=de").text  # its name in the reader's language
    assert re.search(r'id="wiring".*Listener|id="wiring".*Provider|id="wiring".*Page context', checkout, re.S)
    tools = client.get("/admin/dev-tools/modules/dev-tools?lang=en").text
    assert "This module has no tables of its own." in tools and "/admin/dev-tools/components" in tools


def test_a_module_page_shows_the_validators_findings(client, factories, tools_on, monkeypatch):
    from orion_server.validator import Finding, Severity

    finding = Finding("modules/cart/definition.py", 3, "ORION-101", Severity.ERROR, "cart imports catalog")
    other = Finding("modules/orders/definition.py", 1, "MOD-008", Severity.WARNING, "orders has no exceptions")
    monkeypatch.setattr(explorer.validation, "findings", lambda: [finding, other])
    factories.login(client, factories.admin(language="en"))
    page = client.get("/admin/dev-tools/modules/cart?lang=en").text
    assert "ORION-101" in page and "cart imports catalog" in page and "orion validate: 1 error" in page
    assert "MOD-008" not in page


def test_an_unknown_module_is_404(client, factories, tools_on):
    factories.login(client, factories.admin(language="en"))
    assert client.get("/admin/dev-tools/modules/nowhere").status_code == 404
    assert client.get("/admin/dev-tools/modules/%3Cscript%3E").status_code == 404


def test_enablement_can_be_narrowed_to_one_platform_in_reach(client, factories, tools_on, db_session):
    other = factories.platform(code="elsewhere", name="Elsewhere Market")
    module_service.enable_module(db_session, other.id, "loyalty")
    db_session.commit()
    admin = factories.platform_admin(tools_on, language="en")
    factories.login(client, admin)
    page = client.get("/admin/dev-tools/modules/loyalty?lang=en").text
    assert "Elsewhere Market" not in page  # not in this admin's reach
    assert client.get("/admin/dev-tools/modules/loyalty?platform=elsewhere").status_code == 404
    assert client.get("/admin/dev-tools/modules?platform=elsewhere").status_code == 404
    own = client.get(f"/admin/dev-tools/modules/loyalty?platform={tools_on.code}&lang=en")
    assert own.status_code == 200 and f'id="platform-{tools_on.code}"' in own.text


def test_a_super_admin_sees_each_platforms_enablement_and_can_pick_one(client, factories, tools_on, db_session):
    other = factories.platform(code="elsewhere", name="Elsewhere Market")
    module_service.enable_module(db_session, other.id, "loyalty")
    db_session.commit()
    factories.login(client, factories.admin(language="en"))
    page = client.get("/admin/dev-tools/modules/loyalty?lang=en").text
    mine = page.split(f'id="platform-{tools_on.code}"')[1].split("</li>")[0]
    theirs = page.split('id="platform-elsewhere"')[1].split("</li>")[0]
    assert "badge-ok" in theirs and "badge-off" in mine  # loyalty is optional: off until enabled
    picked = client.get("/admin/dev-tools/modules/loyalty?platform=elsewhere&lang=en").text
    assert 'id="platform-elsewhere"' in picked and f'id="platform-{tools_on.code}"' not in picked.split('id="enablement"')[1].split("</section>")[0]
    listing = client.get("/admin/dev-tools/modules?platform=elsewhere&lang=en").text
    row = listing.split('id="module-loyalty"')[1].split("</tr>")[0]
    assert "On 1 of 1 platforms" in row
