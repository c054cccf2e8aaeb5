"""Security headers on every kind of response, and pages that really satisfy the
Content-Security-Policy: no inline script, handler attribute or style anywhere a page is rendered."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from sqlalchemy import select

from orion_server.middleware.security_headers import (
    DEFAULT_CSP_HEADER,
    HSTS,
    PERMISSIONS_POLICY,
    SecurityHeadersMiddleware,
    content_security_policy,
)
from orion_server.seo import script_hash
from tests.modules.checkout.conftest import page_form

EXPECTED_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def assert_page_headers(response) -> None:
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    # a storefront page allows its JSON-LD blocks by their hashes, and nothing else
    policy = re.sub(r" 'sha256-[A-Za-z0-9+/=]+'", "", response.headers["content-security-policy"])
    assert policy == EXPECTED_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["permissions-policy"] == PERMISSIONS_POLICY
    assert "strict-transport-security" not in response.headers  # plain HTTP


# -- the headers ------------------------------------------------------------------------------


def test_the_default_policy_is_the_strict_one():
    assert DEFAULT_CSP_HEADER == EXPECTED_CSP
    assert "unsafe-inline" not in DEFAULT_CSP_HEADER


def test_a_policy_can_be_extended_or_replaced():
    relaxed = content_security_policy(add={"style-src": "'unsafe-inline'", "connect-src": "https://api.example"})
    assert "style-src 'self' 'unsafe-inline'" in relaxed
    assert "connect-src 'self' https://api.example" in relaxed
    assert "script-src 'self';" in relaxed  # the rest stays strict
    framed = content_security_policy(add={"frame-ancestors": "https://shop.example"}, replace={"object-src": None})
    assert "frame-ancestors https://shop.example" in framed  # 'none' cannot stand beside a source
    assert "object-src" not in framed


def test_storefront_page_has_the_headers(client, main_platform, factories):
    factories.store(main_platform, code="bakery", name="Boulangerie")
    assert_page_headers(client.get("/platforms/main/storefront/bakery/"))


def test_admin_pages_have_the_headers(client, main_platform, admin_user, factories):
    assert_page_headers(client.get("/admin/login"))
    factories.login(client, admin_user)
    assert_page_headers(client.get("/admin/"))


def test_store_dashboard_page_has_the_headers(client, main_platform, factories):
    store = factories.store(main_platform, code="bakery", name="Boulangerie")
    factories.login(client, factories.staff(store, role="owner"))
    assert_page_headers(client.get("/store/bakery/"))


def test_error_page_has_the_headers(client, main_platform):
    response = client.get("/store/nowhere/")
    assert response.status_code == 404
    assert response.headers["content-security-policy"] == EXPECTED_CSP
    assert response.headers["x-frame-options"] == "DENY"


def test_api_json_has_nosniff_and_no_page_headers(client, main_platform, admin_user, factories):
    factories.login(client, admin_user)
    response = client.get("/api/v1/admin/tenancy/platforms")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "content-security-policy" not in response.headers
    refused = TestClient(client.app).get("/api/v1/admin/tenancy/platforms")  # no session: 401 JSON
    assert refused.status_code == 401
    assert refused.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/static/css/orion.css", "text/css"), ("/static/js/orion.js", "javascript"),
     ("/static/modules/orders/storefront/orders.css", "text/css")],
)
def test_static_files_have_nosniff(client, path, kind):
    response = client.get(path)
    assert response.status_code == 200
    assert kind in response.headers["content-type"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers


def _behind(orion_app, client_address: str, base_url: str = "http://shop.lan") -> TestClient:
    return TestClient(orion_app, base_url=base_url, client=(client_address, 40000))


def test_hsts_only_when_a_trusted_proxy_says_https(orion_app, client, main_platform, factories):
    factories.store(main_platform, code="bakery", name="Boulangerie")
    page = "/platforms/main/storefront/bakery/"
    https = {"x-forwarded-proto": "https"}
    trusted = _behind(orion_app, "127.0.0.1")
    assert trusted.get(page, headers=https).headers["strict-transport-security"] == HSTS
    assert trusted.get("/static/css/orion.css", headers=https).headers["strict-transport-security"] == HSTS
    assert "strict-transport-security" not in trusted.get(page, headers={"x-forwarded-proto": "http"}).headers
    assert "strict-transport-security" not in trusted.get(page).headers
    # anyone else claiming https is not believed
    stranger = _behind(orion_app, "203.0.113.7")
    assert "strict-transport-security" not in stranger.get(page, headers=https).headers


def test_hsts_when_served_over_https_directly(orion_app, client, main_platform, factories):
    factories.store(main_platform, code="bakery", name="Boulangerie")
    direct = _behind(orion_app, "203.0.113.7", base_url="https://shop.lan")
    assert direct.get("/platforms/main/storefront/bakery/").headers["strict-transport-security"] == HSTS


def test_a_header_the_route_set_wins():
    app = FastAPI()

    @app.get("/status")
    def status() -> HTMLResponse:
        return HTMLResponse(
            "<p>order</p>",
            headers={
                "Referrer-Policy": "no-referrer",
                "Content-Security-Policy": content_security_policy(add={"img-src": "https://cdn.example"}),
                "X-Frame-Options": "SAMEORIGIN",
            },
        )

    app.add_middleware(SecurityHeadersMiddleware)
    response = TestClient(app).get("/status")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "img-src 'self' data: https://cdn.example" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers.get_list("content-security-policy") == [response.headers["content-security-policy"]]


# -- pages satisfy the policy -------------------------------------------------------------------


class InlineFinder(HTMLParser):
    """Collects what a strict policy (no 'unsafe-inline') refuses: inline scripts, on...=
    handlers, javascript: links, <style> elements and style= attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self.data_blocks: list[str] = []
        """The text of each ``<script type="application/ld+json">``: allowed by its hash only."""
        self._block: list[str] | None = None

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._block is not None:
            self.data_blocks.append("".join(self._block))
            self._block = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") == "application/ld+json":
            self._block = []
        elif tag == "script" and not values.get("src"):
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")

    handle_startendtag = handle_starttag


def inline_problems(html: str, policy: str | None = None) -> tuple[list[str], list[str]]:
    """What the strict policy refuses in ``html``; a JSON-LD block passes only when ``policy``
    (the page's Content-Security-Policy) allows its hash."""
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    problems = list(finder.problems)
    for block in finder.data_blocks:
        if policy is None or script_hash(block) not in policy:
            problems.append("<script type=application/ld+json> whose hash the policy does not allow")
    return problems, finder.links


def test_the_checker_finds_each_kind_of_inline_code():
    html = (
        '<script>alert(1)</script><script src="/static/js/orion.js"></script><style>p{}</style>'
        '<select onchange="x()"></select><div style="color:red"></div><a href="javascript:void(0)">x</a>'
        '<iframe srcdoc="&lt;p style=&quot;color:red&quot;&gt;mail&lt;/p&gt;"></iframe>'
    )
    problems, _ = inline_problems(html + '<script type="application/ld+json">{"a":1}</script>')
    assert problems == [
        "inline <script>",
        "<style> element",
        "<select onchange=...>",
        '<div style="color:red">',
        "<a href=javascript:...>",
        "<script type=application/ld+json> whose hash the policy does not allow",
    ]
    allowed = "script-src 'self' " + script_hash('{"a":1}')
    assert inline_problems('<script type="application/ld+json">{"a":1}</script>', allowed)[0] == []


def _key(path: str) -> str:
    """One page per route: /orders/BAK-000004 and /orders/BAK-000005 are the same template."""
    return re.sub(r"\d+", "N", path)


def crawl(client, start: str, prefix: str, seen: dict[str, str], limit: int = 150) -> None:
    """Follow the links of ``start`` inside ``prefix`` (one URL per route), checking every HTML
    page for inline code; ``seen`` maps each route visited to the URL that rendered it."""
    queue = deque([start])
    failures: list[str] = []
    visited = 0
    while queue and visited < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        key = _key(parts.path)
        if key in seen:
            continue
        seen[key] = url
        response = client.get(url, follow_redirects=True)
        visited += 1
        assert url != start or response.status_code == 200, (url, response.status_code)
        if response.status_code != 200 or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        assert response.headers.get("content-security-policy"), url
        problems, links = inline_problems(response.text, response.headers["content-security-policy"])
        failures.extend(f"{url}: {problem}" for problem in problems)
        for href in links:
            target = urljoin(url, href)
            target_parts = urlsplit(target)
            if target_parts.netloc not in ("", "testserver") or not target_parts.path.startswith(prefix):
                continue
            if "logout" in target_parts.path or target_parts.path.startswith("/static/"):
                continue
            path = target_parts.path + (f"?{target_parts.query}" if target_parts.query else "")
            if _key(target_parts.path) not in seen:
                queue.append(path)
    assert not failures, "pages break the Content-Security-Policy:\n" + "\n".join(failures)


@pytest.fixture
def demo(db_session):
    """The demo installation: every module on, products, customers and orders in two stores."""
    from orion_server.demo import load_demo

    load_demo(db_session)
    db_session.commit()
    return db_session


def _csrf(client) -> str:
    return client.cookies.get("orion_csrf") or ""


def _check(client, url: str, seen: dict[str, str]) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    problems, _ = inline_problems(response.text, response.headers.get("content-security-policy"))
    assert not problems, (url, problems)
    seen[_key(urlsplit(url).path)] = url


def test_no_page_needs_inline_code(client, main_platform, demo, factories):
    """Storefront (home, listing, product, cart, checkout, confirmation, order status, account),
    every store dashboard page linked from the menu (invoice and packing slip included), every
    admin page and the e-mail preview: nothing inline anywhere."""
    from modules.orders.models import Order
    from modules.orders.services import order_service
    from orion_server.models import Store

    shop = "/platforms/demo/storefront/boulangerie-dupont/"
    store = demo.scalar(select(Store).where(Store.code == "boulangerie-dupont"))

    # a shopper: browse, fill a cart, walk the checkout, follow the order
    storefront: dict[str, str] = {}
    crawl(client, shop + "?lang=en", shop, storefront)
    assert _key(shop + "products") in storefront
    product_pages = [k for k in storefront if k.startswith(shop + "products/")]
    assert product_pages, sorted(storefront)
    product = client.get(storefront[product_pages[0]])
    form = re.search(r'<form[^>]+action="([^"]*cart[^"]*)"[^>]*>(.*?)</form>', product.text, re.S)
    assert form, "the product page has an add-to-cart form"
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(2)))
    fields["csrf_token"] = _csrf(client)
    assert client.post(urljoin(shop, form.group(1)), data=fields).status_code == 200
    _check(client, shop + "cart", storefront)
    _check(client, shop + "checkout", storefront)
    # review, place, confirmation and the order's status page
    review = client.post(shop + "checkout/review", data={"csrf_token": _csrf(client), **page_form()})
    assert review.status_code == 200, review.text[:2000]
    assert not inline_problems(review.text, review.headers["content-security-policy"])[0]
    place = review.text.split('class="checkout-place"')[1].split("</form>")[0]
    placed = client.post(
        shop + "checkout/place",
        data=dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', place)),
        follow_redirects=False,
    )
    assert placed.status_code == 303, placed.text[:2000]
    _check(client, placed.headers["location"], storefront)
    demo.rollback()  # end the earlier read: see the order the request committed
    order = demo.scalars(select(Order).where(Order.store_id == store.id).order_by(Order.id.desc())).first()
    status_page = shop + order_service.status_path(order)
    demo.rollback()  # the session writes below (staff, admin): no stale read open
    _check(client, status_page, storefront)
    for path in ("account/login", "account/register", "account/forgot"):
        _check(client, shop + path, storefront)

    # a customer: the account pages
    from modules.customers.demo import DEMO_PASSWORD

    signed_in = client.post(
        shop + "account/login",
        data={"email": "marie.weber@example.lu", "password": DEMO_PASSWORD, "csrf_token": _csrf(client)},
    )
    assert signed_in.status_code == 200
    account: dict[str, str] = {}
    crawl(client, shop + "account/", shop + "account", account)
    assert {_key(shop + "account/"), _key(shop + "account/orders")} <= set(account), sorted(account)
    client.cookies.clear()

    # the store's staff: every dashboard page the menu leads to
    factories.login(client, factories.staff(store, role="owner"))
    dashboard: dict[str, str] = {}
    crawl(client, "/store/boulangerie-dupont/", "/store/boulangerie-dupont/", dashboard, limit=250)
    base = "/store/boulangerie-dupont/"
    for page in ("", "orders", "orders/BD-N", "orders/BD-N/invoice", "orders/BD-N/packing-slip", "products",
                 "products/N/edit", "categories", "customers", "customers/N", "inventory", "payments",
                 "payments/settings", "content", "messages", "messages/templates", "notifications", "billing",
                 "checkout/shipping"):
        assert base + page in dashboard, f"no dashboard page {page!r} in {sorted(dashboard)}"

    # the e-mail preview: an e-mail's inline styles stay in the sandboxed frame, the page relaxes
    # style-src for itself only
    editor = base + "messages/templates/welcome/en"
    html = client.get(editor).text
    values = {name: re.search(rf'name="{name}"[^>]*>([^<]*)<', html, re.S) for name in ("body_html", "body_text")}
    preview = client.post(editor, data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html)[1],
        "action": "preview",
        "subject": unescape(re.search(r'name="subject"[^>]*value="([^"]*)"', html)[1]),
        **{name: unescape(match[1]) for name, match in values.items() if match},
    })
    assert preview.status_code == 200, preview.text[:1000]
    assert "<iframe sandbox" in preview.text
    policy = preview.headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self';" in policy
    assert not inline_problems(preview.text)[0]
    assert client.get(base + "messages/templates").headers["content-security-policy"] == EXPECTED_CSP
    client.cookies.clear()

    # the platform admin
    demo.rollback()
    factories.login(client, factories.admin())
    admin: dict[str, str] = {}
    crawl(client, "/admin/", "/admin/", admin, limit=250)
    assert len(admin) > 10, sorted(admin)
