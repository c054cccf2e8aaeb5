"""The API contract of every JSON route, generated from the real application (issue 3).

Every ``APIRoute`` under ``/api/`` (admin, store) and the storefronts' ``api/v1`` is enumerated from
the app itself, so a new route is covered without touching this file:

- bad bodies (not JSON, ``{}``, every field of the wrong type, absurd but well-typed values),
  absurd path parameters and absurd query parameters answer 4xx, never 5xx; a 422 carries the
  framework's ``fields`` list;
- tenant isolation: signed in as store A's owner, store B's products, categories, customers,
  orders, conversations and stock answer 404 under A's code, and B's code answers 403/404.

The world (one platform with every optional module on, two stores with a product, stock, a
category, a customer, an order and a conversation each) is built once for the whole file.
A store route with a path parameter missing from ``OBJECT_PARAMS`` fails the inventory test, so
coverage cannot shrink silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from orion_server.openapi_paths import public_path

STORE_PREFIX = "/api/v1/store/{store_code}/"
ADMIN_PREFIX = "/api/v1/admin/"
STOREFRONT_PREFIX = "/_sf/api/v1/"
SHOPPER_CSRF = "contract-shopper-csrf-token"
PASSWORD = "a-long-secret-1"

# Path parameters of store and storefront routes: which of the *other* store's objects fills them.
OBJECT_PARAMS = {
    "product_id": "product_id",
    "category_id": "category_id",
    "customer_id": "customer_id",
    "conversation_id": "conversation_id",
    "number": "order_number",
    "sku": "sku",
    "slug": "slug",
}
# Path parameters that name no tenant's object: the value used for real calls.
PLAIN_PARAMS = {
    "gateway": "bank_transfer",  # storefront payment webhooks
    "module": "loyalty",  # admin module toggles (on the scratch platform)
    "code": None,  # admin platform/store code: filled per route (scratch platform or store)
    # the PassKit web service of Apple Wallet passes: a device, a pass type and a serial (a card's code);
    # without the card's ApplePass token every serial answers 401 alike (test_tenant_isolation walks
    # the real cards, tests/modules/loyalty/test_wallet.py the protocol)
    "device": "contract-device",
    "pass_type": "pass.lu.orion.contract",
    "serial": "NOSUCHCARD",
}

# Bodies typed ``dict[str, Any]`` are checked by hand in the service: their fields, as JSON schema.
# (None left: every API body has a pydantic schema.)
UNTYPED_BODIES: dict[str, dict[str, Any]] = {}

# A valid body per route that has a path parameter and a body: a 404 must not hide behind a 422.
VALID_BODIES: dict[str, Any] = {
    "POST /_sf/api/v1/loyalty/passkit/v1/devices/{device}/registrations/{pass_type}/{serial}": {"pushToken": "abc"},
    "POST /api/v1/store/{store_code}/inventory/items/{sku}/adjust": {"quantity": 1, "reason": "receipt"},
    "PATCH /api/v1/store/{store_code}/catalog/products/{product_id}": {"brand": "Contract"},
    "PATCH /api/v1/store/{store_code}/catalog/categories/{category_id}": {"position": 1},
    "POST /api/v1/store/{store_code}/orders/{number}/status": {"to": "paid"},
    "POST /api/v1/store/{store_code}/orders/{number}/notes": {"text": "Checked"},
    "POST /api/v1/store/{store_code}/messaging/conversations/{conversation_id}/messages": {"body": "Hello"},
    "POST /api/v1/store/{store_code}/messaging/conversations/{conversation_id}/status": {"status": "closed"},
    "PATCH /_sf/api/v1/cart/lines/{sku}": {"quantity": 1},
    "PATCH /api/v1/admin/tenancy/platforms/{code}": {"name": "Scratch"},
    "PATCH /api/v1/admin/tenancy/stores/{code}": {"name": "Scratch store"},
    "POST /api/v1/admin/tenancy/platforms/{code}/modules/{module}/enable": {"dry_run": True},
    "POST /api/v1/admin/tenancy/platforms/{code}/modules/{module}/disable": {"dry_run": True},
    # routes without a path parameter, for the one-absurd-field test
    "PUT /api/v1/store/{store_code}/checkout/shipping": {
        "pickup_enabled": True, "delivery_enabled": True, "delivery_price_cents": 500,
        "free_delivery_above_cents": None, "shipping_vat_rate": 1700,
    },
    "POST /_sf/api/v1/checkout/quote": {"shipping_method": "delivery"},
    "POST /_sf/api/v1/cart/lines": {"sku": "ALPHA-LOAF", "quantity": 1},
    "PATCH /_sf/api/v1/customers/me": {"first_name": "Anna"},
    "POST /_sf/api/v1/customers/session": {"email": "anna@alpha.example", "password": PASSWORD},
}

ABSURD_PATH_VALUES = ["0", "-1", "2147483648", "99999999999999999999", "abc", "%00", "x" * 300]
ABSURD_QUERY_VALUES = {
    "int": ["0", "-1", "2147483648", "99999999999999999999", "abc", "", "1.5"],
    "str": ["x" * 300, "%00", "%", "'; drop table products; --", "*", "\u00e9\u20ac\U0001f600"],
    "date": ["2024-13-45", "0001-01-01", "9999-12-31", "abc", "-1"],
    "bool": ["maybe", "2"],
}
WRONG_TYPE_MODES = ("wrong", "nested")
WELL_TYPED_MODES = ("longest", "huge", "negative", "nul")


# -- the routes -----------------------------------------------------------------------------


@dataclass
class Route:
    """One API route of the app: where it lives and what it takes."""

    method: str
    path: str  # as mounted, e.g. /api/v1/store/{store_code}/orders/{number}
    api: APIRoute
    path_params: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def frontend(self) -> str:
        if self.path.startswith(STORE_PREFIX):
            return "store"
        if self.path.startswith(ADMIN_PREFIX):
            return "admin"
        return "storefront"

    @property
    def object_params(self) -> list[str]:
        return [p for p in self.path_params if p != "store_code"]

    @property
    def body_schema(self) -> dict[str, Any] | None:
        """The JSON schema of the body (``$defs`` inlined at the top), or None without a body."""
        if self.api.body_field is None:
            return None
        if self.key in UNTYPED_BODIES:
            return UNTYPED_BODIES[self.key]
        model = _model_of(self.api.body_field.field_info.annotation)
        return model.model_json_schema() if model is not None else None

    @property
    def query_params(self) -> list[tuple[str, str]]:
        """``(name on the wire, kind)`` of each query parameter."""
        out = []
        for param in self.api.dependant.query_params:
            out.append((param.alias or param.name, _kind(param.field_info.annotation)))
        return out


def _model_of(annotation: Any) -> Any:
    from pydantic import BaseModel

    candidates = getattr(annotation, "__args__", None) or (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _kind(annotation: Any) -> str:
    import datetime

    candidates = getattr(annotation, "__args__", None) or (annotation,)
    for candidate, kind in ((bool, "bool"), (int, "int"), (datetime.date, "date")):
        if candidate in candidates:
            return kind
    return "str"


def api_routes(app: Any) -> list[Route]:
    """Every JSON API route of ``app`` (one entry per method)."""
    routes = []
    for context in iter_route_contexts(app.routes):
        original = context.original_route
        path = context.path or ""
        if not isinstance(original, APIRoute):
            continue
        if not path.startswith(("/api/", STOREFRONT_PREFIX)):
            continue
        params = re.findall(r"{(\w+)(?::\w+)?}", path)
        for method in sorted(context.methods or ()):
            if method in ("HEAD", "OPTIONS"):
                continue
            routes.append(Route(method=method, path=path, api=original, path_params=params))
    return routes


# -- bodies from schemas --------------------------------------------------------------------


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        branches = [b for b in schema["anyOf"] if b.get("type") != "null"]
        merged = dict(_resolve(branches[0], defs)) if branches else {}
        return merged
    return schema


def shaped(schema: dict[str, Any], mode: str, defs: dict[str, Any] | None = None, depth: int = 0) -> Any:
    """A value following ``schema``'s shape (objects, lists, maps) with every leaf made bad by
    ``mode``: ``wrong`` (another JSON type), ``nested`` (junk structures), ``longest`` (strings
    at their maximum length, integers past 32 bits), ``huge`` (100,000-character strings,
    integers past 64 bits), ``negative`` (-1), ``nul`` (strings with a NUL character)."""
    defs = defs if defs is not None else schema.get("$defs", {})
    schema = _resolve(schema, defs)
    kind = schema.get("type")
    if depth < 4 and kind == "object":
        props = schema.get("properties")
        if props:
            return {name: shaped(sub, mode, defs, depth + 1) for name, sub in props.items()}
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return {"en": shaped(extra, mode, defs, depth + 1)}
    if depth < 4 and kind == "array" and isinstance(schema.get("items"), dict):
        return [shaped(schema["items"], mode, defs, depth + 1)]
    return _leaf(schema, kind, mode)


def _leaf(schema: dict[str, Any], kind: str | None, mode: str) -> Any:
    if mode == "wrong":
        return {"string": 12345, "integer": "abc", "number": "abc", "boolean": "maybe"}.get(kind or "", 3.5)
    if mode == "nested":
        return {"junk": [1, {"deeper": [None, "x"]}]}
    # Well-typed modes keep enums and flags valid so every other field is reached.
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return {"longest": 2**31, "huge": 10**20, "negative": -1, "nul": 0}[mode]
    if kind == "string":
        limit = schema.get("maxLength")
        return {
            "longest": "x" * (limit or 300),
            "huge": "x" * 100_000,
            "negative": "-1",
            "nul": "a\x00b",
        }[mode]
    if kind == "array":
        return []
    return {"longest": 2**31, "huge": "x" * 100_000, "negative": -1, "nul": "a\x00b"}[mode]


# -- the world ------------------------------------------------------------------------------


@dataclass
class Objects:
    """One store's objects, named like ``OBJECT_PARAMS``'s values."""

    store_code: str
    values: dict[str, Any]


@dataclass
class World:
    app: Any
    routes: list[Route]
    admin: TestClient
    owner: TestClient  # store A's owner
    shopper: TestClient  # a signed-in customer of store A, with a cart
    admin_csrf: str
    owner_csrf: str
    platform_code: str
    scratch_platform: str
    scratch_store: str
    a: Objects
    b: Objects

    def storefront(self, store_code: str) -> str:
        return f"/platforms/{self.platform_code}/storefront/{store_code}/"


def _populate(db: Any, factories: Any, platform: Any, code: str) -> tuple[Any, Objects]:
    from modules.catalog.services import catalog_service
    from modules.customers.services import customer_service
    from modules.messaging.services import conversation_service
    from modules.orders.services import order_service
    from modules.payments.services import settings_service

    store = factories.store(platform, code=code, name=code.title(), languages=["en", "fr", "de", "lb"],
                            default_language="en")
    settings_service.save(db, store_id=store.id, gateway="bank_transfer", enabled=True,
                          values={"account_holder": f"{code} SARL", "iban": "LU280019400644750000"})
    category = catalog_service.save_category(db, store_id=store.id, slug=f"{code}-bread",
                                             names={"en": "Bread"}, default_language="en")
    sku = f"{code.upper()}-LOAF"
    product = catalog_service.create_product(
        db, store_id=store.id, slug=f"{code}-loaf", translations={"en": {"title": "Loaf", "description": ""}},
        variants=[{"sku": sku, "options": {}, "stock": 20}], price_cents=350, vat_rate=1700,
        status="published", category_id=category.id,
    )
    customer = customer_service.register(db, store_id=store.id, email=f"anna@{code}.example",
                                         password=PASSWORD, first_name="Anna", last_name="Weber")
    order = order_service.create_order(
        db, store_id=store.id,
        lines=[{"sku": sku, "title": "Loaf", "quantity": 1, "unit_price_cents": 350, "vat_rate": 17}],
        customer={"email": customer.email, "name": "Anna Weber", "language": "en"},
        addresses={"shipping": {"name": "Anna Weber", "street": "1, rue de la Gare", "postal_code": "L-1611",
                                "city": "Luxembourg", "country": "LU"}},
        payment_method="bank_transfer",
    )
    conversation = conversation_service.start(db, customer=customer, subject="Opening hours",
                                              body="When do you open?")
    values = {
        "product_id": product.id,
        "category_id": category.id,
        "customer_id": customer.id,
        "conversation_id": conversation.id,
        "order_number": order.number,
        "sku": sku,
        "slug": product.slug,
    }
    return (store, customer), Objects(store_code=code, values=values)


@pytest.fixture(scope="module")
def world(orion_engine, _table_names, orion_app) -> Iterator[World]:
    """Two stores on the main platform with every optional module on, their owners signed in."""
    from modules.customers.services import CUSTOMER_COOKIE, customer_service
    from orion_server.config import get_settings
    from orion_server.database import db
    from orion_server.modules import registry
    from orion_server.modules.service import module_service
    from orion_server.revision import config_cache
    from orion_server.testing.database import empty_tables
    from orion_server.testing.factories import Factories

    empty_tables(orion_engine, _table_names)
    config_cache.invalidate()
    session = db.session()
    clients = [TestClient(orion_app, base_url="http://testserver", raise_server_exceptions=False) for _ in range(3)]
    try:
        for client in clients:
            client.__enter__()  # start-up hooks (offers, order hooks, ...) as in production
        admin_client, owner_client, shopper_client = clients
        factories = Factories(session)
        platform = factories.platform(code=get_settings().main_platform_code, name="Contract")
        for code in registry.OPTIONAL_MODULES:
            module_service.enable_module(session, platform.id, code)
        scratch = factories.platform(code="scratch", name="Scratch")
        scratch_store = factories.store(scratch, code="scratch-store", name="Scratch store")
        (store_a, customer_a), objects_a = _populate(session, factories, platform, "alpha")
        (store_b, _customer_b), objects_b = _populate(session, factories, platform, "beta")
        owner_a = factories.staff(store_a, role="owner")
        factories.staff(store_b, role="owner")
        for client in clients:
            client.cookies.set("orion_lang", "en")
        admin_csrf = factories.login(admin_client, factories.admin())
        owner_csrf = factories.login(owner_client, owner_a)
        shopper_client.cookies.set(CUSTOMER_COOKIE, customer_service.start_session(session, customer=customer_a))
        shopper_client.cookies.set("orion_csrf", SHOPPER_CSRF)
        world = World(
            app=orion_app, routes=api_routes(orion_app), admin=admin_client, owner=owner_client,
            shopper=shopper_client, admin_csrf=admin_csrf, owner_csrf=owner_csrf,
            platform_code=platform.code, scratch_platform=scratch.code, scratch_store=scratch_store.code,
            a=objects_a, b=objects_b,
        )
        added = call(world, "POST", world.storefront("alpha") + "api/v1/cart/lines",
                     json={"sku": objects_a.values["sku"], "quantity": 2})
        assert added.status_code == 201, added.text
        yield world
    finally:
        session.close()
        for client in clients:
            client.__exit__(None, None, None)
        config_cache.invalidate()


# -- calling routes -------------------------------------------------------------------------


def client_for(world: World, route_or_url: Route | str) -> tuple[TestClient, str]:
    path = route_or_url.path if isinstance(route_or_url, Route) else route_or_url
    if path.startswith("/api/v1/admin/"):
        return world.admin, world.admin_csrf
    if path.startswith("/api/v1/store/"):
        return world.owner, world.owner_csrf
    return world.shopper, SHOPPER_CSRF


def call(world: World, method: str, url: str, **kwargs: Any):
    """Call ``url`` as the right identity; every answer's status must be one the API's own
    description (/openapi.json) declares for that operation (issue 10: schemathesis found
    undocumented 400, 401, 404 and 409)."""
    client, csrf = client_for(world, url)
    headers = dict(kwargs.pop("headers", {}) or {})
    headers.setdefault("X-CSRF-Token", csrf)
    response = client.request(method, url, headers=headers, **kwargs)
    template = operation_of(world, method, url)
    if template is not None:
        documented = world.app.openapi()["paths"][public_path(template)][method.lower()]["responses"]
        assert str(response.status_code) in documented, (
            f"{method} {template} answered {response.status_code}, which its description does not "
            f"declare ({sorted(documented)}): {response.text[:200]}")
    return response


def operation_of(world: World, method: str, url: str) -> str | None:
    """The OpenAPI path of the operation ``url`` reaches (storefront URLs under /_sf/)."""
    path = urlsplit(url).path
    match = re.match(rf"^/platforms/{re.escape(world.platform_code)}/storefront/[^/]+/", path)
    if match:
        path = "/_sf/" + path[match.end():]
    for route in world.routes:
        if route.method != method:
            continue
        pattern = "^" + re.sub(r"\\{(\w+)(?::\w+)?\\}", "[^/]+", re.escape(route.path)) + "$"
        if re.match(pattern, path):
            return route.path
    return None


def url_for(world: World, route: Route, values: dict[str, str], store: str = "alpha") -> str:
    """The external URL of ``route`` with ``values`` for its parameters (already quoted)."""
    path = route.path
    if route.frontend == "storefront":
        path = world.storefront(store) + path.removeprefix("/_sf/")
    for name in route.path_params:
        value = store if name == "store_code" else values[name]
        path = path.replace("{" + name + "}", value)
    return path


def own_values(world: World, route: Route, objects: Objects | None = None) -> dict[str, str]:
    """Real values for the route's parameters: the store's objects, or the scratch tenant's."""
    objects = objects or world.a
    values = {}
    for name in route.object_params:
        if name in OBJECT_PARAMS:
            values[name] = quote(str(objects.values[OBJECT_PARAMS[name]]), safe="")
        elif name == "code":
            values[name] = world.scratch_store if "/stores/" in route.path else world.scratch_platform
        else:
            values[name] = str(PLAIN_PARAMS[name])
    return values


def problems_of(response: Any, label: str, *, allowed: tuple[int, ...] | None = None) -> list[str]:
    """What is wrong with an answer to bad input: a 5xx, or a 422 without field messages."""
    status = response.status_code
    if status >= 500:
        return [f"{label}: {status} {response.text[:200]}"]
    if allowed is not None and status not in allowed:
        return [f"{label}: {status} (expected one of {allowed}) {response.text[:200]}"]
    if status == 422:
        try:
            body = response.json()
        except ValueError:
            return [f"{label}: 422 without a JSON body"]
        fields = body.get("fields")
        if body.get("error") is None or "message" not in body:
            return [f"{label}: 422 without error/message: {body}"]
        if not isinstance(fields, list) or not fields or not all(
            isinstance(f, dict) and isinstance(f.get("field"), str) and f.get("message") for f in fields
        ):
            return [f"{label}: 422 without a field list: {body}"]
    return []


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


BAD_INPUT = (400, 401, 404, 409, 413, 415, 422)


# -- the inventory --------------------------------------------------------------------------


def test_every_api_route_is_enumerated_and_mapped(world):
    """The app has store, admin and storefront API routes, and every path parameter is known."""
    frontends = {r.frontend for r in world.routes}
    assert frontends == {"store", "admin", "storefront"}, frontends
    assert len(world.routes) >= 50, [r.key for r in world.routes]
    unmapped = [
        f"{r.key}: {{{p}}}" for r in world.routes for p in r.object_params
        if p not in OBJECT_PARAMS and p not in PLAIN_PARAMS
    ]
    assert not unmapped, "path parameters with no entry in OBJECT_PARAMS/PLAIN_PARAMS: " + ", ".join(unmapped)
    untyped = [
        r.key for r in world.routes
        if r.api.body_field is not None and r.body_schema is None and r.key not in UNTYPED_BODIES
    ]
    assert not untyped, f"bodies without a model: describe their fields in UNTYPED_BODIES: {untyped}"
    needs_body = [
        r.key for r in world.routes
        if r.api.body_field is not None and r.object_params and r.key not in VALID_BODIES
    ]
    assert not needs_body, f"routes with a path parameter and a body need a VALID_BODIES entry: {needs_body}"
    stale = set(UNTYPED_BODIES) | set(VALID_BODIES)
    stale -= {r.key for r in world.routes}
    assert not stale, f"entries for routes that no longer exist: {stale}"


# -- tenant isolation -----------------------------------------------------------------------


def _isolation_routes(world: World) -> list[Route]:
    return [r for r in world.routes if r.frontend == "store" and r.object_params]


def test_store_routes_answer_404_for_another_stores_objects(world):
    """Signed in as A's owner, under A's code, B's objects do not exist (and stay untouched)."""
    routes = _isolation_routes(world)
    assert routes, "no store route with an object in its path"
    problems = []
    for route in routes:
        body = VALID_BODIES.get(route.key)
        response = call(world, route.method, url_for(world, route, own_values(world, route, world.b)),
                        json=body)
        if response.status_code != 404:
            problems.append(f"{route.key} with B's object: {response.status_code} {response.text[:200]}")
    problems += _b_objects_intact(world)  # the deletes and changes aimed at B did nothing
    assert not problems, _report(problems)


def _b_objects_intact(world: World) -> list[str]:
    from sqlalchemy import select

    from modules.catalog.models import Category, Product
    from modules.inventory.models import StockItem
    from modules.messaging.models import Conversation
    from modules.orders.models import Order
    from orion_server.database import db

    values = world.b.values
    session = db.session()
    try:
        problems = []
        product = session.get(Product, values["product_id"])
        if product is None or product.brand == "Contract":
            problems.append("B's product was deleted or changed through A's code")
        category = session.get(Category, values["category_id"])
        if category is None or category.position == 1:
            problems.append("B's category was deleted or changed through A's code")
        order = session.scalar(select(Order).where(Order.number == values["order_number"]))
        if order is None or order.status != "pending_payment":
            problems.append("B's order was changed through A's code")
        conversation = session.get(Conversation, values["conversation_id"])
        if conversation is None or conversation.status != "open" or len(conversation.messages) != 1:
            problems.append("B's conversation was changed through A's code")
        item = session.scalar(select(StockItem).where(StockItem.sku == values["sku"]))
        if item is None or item.on_hand != 20:
            problems.append("B's stock was changed through A's code")
        return problems
    finally:
        session.close()


def test_store_routes_answer_for_own_objects(world):
    """The control: the same calls with A's own objects succeed (so the 404s above mean
    something). Deletes run last, on A's objects."""
    routes = sorted(_isolation_routes(world), key=lambda r: r.method == "DELETE")
    problems = []
    for route in routes:
        response = call(world, route.method, url_for(world, route, own_values(world, route)),
                        json=VALID_BODIES.get(route.key))
        if response.status_code not in (200, 201, 204):
            problems.append(f"{route.key} with A's object: {response.status_code} {response.text[:200]}")
    assert not problems, _report(problems)


def test_another_stores_code_answers_403_or_404(world):
    """A's owner calling any store route under B's code (with B's own objects) is refused."""
    problems = []
    for route in (r for r in world.routes if r.frontend == "store"):
        url = url_for(world, route, own_values(world, route, world.b), store="beta")
        response = call(world, route.method, url, json=VALID_BODIES.get(route.key, {}))
        if response.status_code not in (403, 404):
            problems.append(f"{route.key} under B's code: {response.status_code} {response.text[:200]}")
    problems += _b_objects_intact(world)
    assert not problems, _report(problems)


def test_storefront_routes_do_not_serve_another_stores_objects(world):
    """On A's storefront, B's product slug and SKU are unknown; A's shopper is a stranger on B's."""
    problems = []
    for route in (r for r in world.routes if r.frontend == "storefront" and r.object_params):
        if not set(route.object_params) <= set(OBJECT_PARAMS):
            continue
        response = call(world, route.method, url_for(world, route, own_values(world, route, world.b)),
                        json=VALID_BODIES.get(route.key))
        if response.status_code != 404:
            problems.append(f"{route.key} with B's object: {response.status_code} {response.text[:200]}")
    me = call(world, "GET", world.storefront("beta") + "api/v1/customers/me")
    if me.status_code != 401:
        problems.append(f"A's shopper on B's storefront /me: {me.status_code} {me.text[:200]}")
    assert not problems, _report(problems)


# -- bad input ------------------------------------------------------------------------------


def _body_routes(world: World) -> list[Route]:
    return [r for r in world.routes if r.method in ("POST", "PUT", "PATCH")]


def _top_fields(route: Route) -> set[str]:
    schema = route.body_schema or {}
    return set(_resolve(schema, schema.get("$defs", {})).get("properties") or {})


def test_bodies_that_are_not_json_answer_4xx(world):
    problems = []
    for route in _body_routes(world):
        url = url_for(world, route, own_values(world, route))
        for label, kwargs in (
            ("broken JSON", {"content": b'{"a": 1,,', "headers": {"Content-Type": "application/json"}}),
            ("text/plain", {"content": b"hello", "headers": {"Content-Type": "text/plain"}}),
            ("binary", {"content": bytes(range(256)), "headers": {"Content-Type": "application/json"}}),
        ):
            response = call(world, route.method, url, **kwargs)
            problems += problems_of(response, f"{route.key} {label}", allowed=BAD_INPUT + (200,)
                                    if route.api.body_field is None else BAD_INPUT)
    assert not problems, _report(problems)


def test_empty_and_misshapen_bodies_answer_4xx_or_succeed(world):
    """``{}`` (and a list, a string, a number) never crash; a 422 names the fields."""
    problems = []
    for route in _body_routes(world):
        if route.api.body_field is None:
            continue
        url = url_for(world, route, own_values(world, route))
        for body in ({}, [], "text", 12):
            response = call(world, route.method, url, json=body)
            label = f"{route.key} body {body!r}"
            problems += problems_of(response, label)
            if body == {} and response.status_code == 422 and route.key not in UNTYPED_BODIES:
                names = {f["field"].split(".")[0] for f in response.json()["fields"]}
                if not names & _top_fields(route):
                    problems.append(f"{label}: 422 names no field of the body: {names}")
    assert not problems, _report(problems)


@pytest.mark.parametrize("mode", WRONG_TYPE_MODES + WELL_TYPED_MODES)
def test_bad_field_values_answer_4xx(world, mode):
    """Every field of the wrong type (or nested junk) is a 4xx with field names; absurd values of
    the right type (huge, longest, negative, NUL) never crash."""
    problems = []
    for route in _body_routes(world):
        schema = route.body_schema
        if schema is None:
            continue
        body = shaped(schema, mode)
        response = call(world, route.method, url_for(world, route, own_values(world, route)), json=body)
        label = f"{route.key} {mode}"
        if mode in WRONG_TYPE_MODES:
            problems += problems_of(response, label, allowed=BAD_INPUT)
            if response.status_code == 422 and route.key not in UNTYPED_BODIES:
                names = {f["field"].split(".")[0] for f in response.json()["fields"]}
                if not names & _top_fields(route):
                    problems.append(f"{label}: 422 names no field of the body: {names}")
        else:
            problems += problems_of(response, label)
    assert not problems, _report(problems)


def test_absurd_path_parameters_answer_4xx(world):
    problems = []
    for route in (r for r in world.routes if r.path_params):
        for name in route.path_params:
            for junk in ABSURD_PATH_VALUES:
                values = own_values(world, route)
                store = "alpha"
                if name == "store_code":
                    store = junk
                else:
                    values[name] = junk
                url = url_for(world, route, values, store=store)
                response = call(world, route.method, url, json=VALID_BODIES.get(route.key))
                problems += problems_of(response, f"{route.key} {name}={junk[:20]!r}", allowed=BAD_INPUT)
    assert not problems, _report(problems)


PROTOCOL_ANSWERS = {
    # Apple's PassKit web service: 204 when none of the device's passes changed, 404 for a device
    # that registered none (the contract world registers no device)
    "GET /_sf/api/v1/loyalty/passkit/v1/devices/{device}/registrations/{pass_type}": (204, 404),
}


def test_absurd_query_parameters_answer_200_or_422(world):
    problems = []
    for route in (r for r in world.routes if r.method == "GET" and r.query_params):
        base = url_for(world, route, own_values(world, route))
        control = call(world, "GET", base)
        protocol = PROTOCOL_ANSWERS.get(route.key, ())
        if control.status_code != 200 and control.status_code not in protocol:
            problems.append(f"{route.key} without parameters: {control.status_code} {control.text[:200]}")
        for name, kind in route.query_params:
            for junk in ABSURD_QUERY_VALUES[kind]:
                response = call(world, "GET", f"{base}?{name}={junk if '%' in junk else quote(junk)}")
                label = f"{route.key} ?{name}={junk[:20]!r}"
                problems += problems_of(response, label, allowed=(200, 422, *protocol))
                if response.status_code == 200:
                    body = response.json()
                    if isinstance(body, dict) and "items" in body:
                        if not isinstance(body["items"], list) or body.get("page", 1) < 1:
                            problems.append(f"{label}: not a sane page: {str(body)[:200]}")
    assert not problems, _report(problems)


# -- regressions of what this contract found ------------------------------------------------


def test_ids_past_64_bits_answer_422_not_500(world):
    """SQLite cannot bind an integer past 64 bits (OverflowError): the id routes refuse it."""
    store_api = "/api/v1/store/alpha/"
    for huge in ("2147483648", "99999999999999999999"):  # past PostgreSQL's 32-bit ids, past 64 bits
        for path in (f"catalog/products/{huge}", f"catalog/categories/{huge}", f"customers/{huge}",
                     f"messaging/conversations/{huge}", f"catalog/products?category_id={huge}"):
            response = call(world, "GET", store_api + path)
            assert response.status_code == 422, (path, response.text)
            assert response.json()["fields"][0]["field"] in ("product_id", "category_id", "customer_id",
                                                            "conversation_id"), response.text
    # ids inside bodies: a category or merchant that cannot exist is a field message
    response = call(world, "POST", store_api + "catalog/categories",
                    json={"slug": "huge-parent", "names": {"en": "Huge"}, "parent_id": 2**31})
    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["fields"]] == ["parent_id"]
    response = call(world, "PATCH", "/api/v1/admin/tenancy/stores/scratch-store", json={"merchant_id": 2**31})
    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["fields"]] == ["merchant_id"]


def test_nul_characters_are_refused_with_field_messages(world):
    """PostgreSQL text cannot hold NUL: path, query and body inputs with one are a 422 naming
    the input, on every database."""
    cases = [
        ("GET", "/api/v1/store/alpha/orders/%00", None, "number"),
        ("GET", "/api/v1/store/alpha/customers?q=a%00b", None, "q"),
        ("GET", world.storefront("alpha") + "api/v1/catalog/products/%00", None, "slug"),
        ("POST", "/api/v1/store/alpha/orders/" + world.a.values["order_number"] + "/notes",
         {"text": "a\x00b"}, "text"),
        ("POST", world.storefront("alpha") + "api/v1/customers/session",
         {"email": "anna@alpha.example", "password": "\x00"}, "password"),
        ("POST", "/api/v1/store/alpha/catalog/categories", {"slug": "nul", "names": {"en": "a\x00"}},
         "names.en"),
    ]
    for method, url, body, field_name in cases:
        response = call(world, method, url, json=body)
        assert response.status_code == 422, (url, response.text)
        assert [f["field"] for f in response.json()["fields"]] == [field_name], response.text


def test_booleans_where_the_description_wants_numbers_are_refused_with_field_messages(world):
    """``true``/``false`` for an ``integer`` field: pydantic read them as 1 and 0 (``{"quantity":
    false}`` emptied a cart line); JSON Schema keeps booleans apart from numbers, so they are a 422
    naming the field, nested ones too (issue 10, schemathesis' negative data). Boolean fields still
    take booleans."""
    store_api = "/api/v1/store/alpha/"
    values = world.a.values
    shipping = {**VALID_BODIES["PUT /api/v1/store/{store_code}/checkout/shipping"], "shipping_vat_rate": 17}
    cases = [
        ("PATCH", world.storefront("alpha") + f"api/v1/cart/lines/{values['sku']}", {"quantity": False}, "quantity"),
        ("POST", world.storefront("alpha") + "api/v1/cart/lines", {"sku": values["sku"], "quantity": True},
         "quantity"),
        ("POST", store_api + f"inventory/items/{values['sku']}/adjust", {"quantity": True, "reason": "receipt"},
         "quantity"),
        ("PATCH", store_api + f"catalog/products/{values['product_id']}",
         {"variants": [{"sku": values["sku"], "stock": True}]}, "variants.0.stock"),
        ("PUT", store_api + "checkout/shipping", {**shipping, "delivery_price_cents": False}, "delivery_price_cents"),
        ("PATCH", f"/api/v1/admin/tenancy/stores/{world.scratch_store}", {"merchant_id": True}, "merchant_id"),
    ]
    for method, url, body, field_name in cases:
        response = call(world, method, url, json=body)
        assert response.status_code == 422, (url, response.text)
        assert [f["field"] for f in response.json()["fields"]] == [field_name], response.text
    control = call(world, "PUT", store_api + "checkout/shipping", json=shipping)
    assert control.status_code == 200, control.text


def test_orders_listed_between_the_first_and_last_days_of_the_calendar(world):
    """0001-01-01 and 9999-12-31 cannot be shifted to UTC: they bound nothing (not a 500)."""
    response = call(world, "GET", "/api/v1/store/alpha/orders?date_from=0001-01-01&date_to=9999-12-31")
    assert response.status_code == 200, response.text
    assert world.a.values["order_number"] in [o["number"] for o in response.json()["items"]]
    response = call(world, "GET", "/api/v1/store/alpha/orders?date_from=9999-12-31")
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


def test_service_validation_errors_carry_the_field_list(world):
    """A 422 raised by a service (not by request parsing) has ``fields`` too."""
    response = call(world, "POST", world.storefront("alpha") + "api/v1/cart/lines",
                    json={"sku": world.a.values["sku"], "quantity": 100_000})
    assert response.status_code == 422, response.text
    assert response.json()["fields"] == [{"field": "quantity", "message": response.json()["message"]}]
    response = call(world, "PATCH", "/api/v1/admin/tenancy/stores/scratch-store", json={"languages": ["xx"]})
    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["fields"]] == ["languages"]


def test_one_absurd_field_in_an_otherwise_valid_body_never_crashes(world):
    """Each field alone made absurd (longest, huge, negative, NUL) in a valid body, so it is the
    one the route and service must judge. Runs last: it may change A's objects."""
    problems = []
    for route in world.routes:
        schema = route.body_schema
        if route.key not in VALID_BODIES or schema is None:
            continue
        defs = schema.get("$defs", {})
        for name, sub in (_resolve(schema, defs).get("properties") or {}).items():
            for mode in WELL_TYPED_MODES:
                body = {**VALID_BODIES[route.key], name: shaped(sub, mode, defs)}
                response = call(world, route.method, url_for(world, route, own_values(world, route)), json=body)
                problems += problems_of(response, f"{route.key} {name} {mode}")
    assert not problems, _report(problems)
