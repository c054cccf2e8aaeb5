"""Hostile input campaign (issue 10): the API against its own description, the forms against junk.

**The API.** The schema is what the running app serves at ``/openapi.json`` (with
``ORION_ENABLE_DOCS``), loaded with ``schemathesis.openapi.from_asgi``. Every operation in it
gets schemathesis' coverage phase (boundary values, each constraint broken, parameters missing or
repeated, unexpected methods and media types) and then ``ORION_HOSTILE_EXAMPLES`` hypothesis
examples (``operation.as_strategy``) in the positive and the negative generation mode, shrunk to
the smallest failing one. Every answer must pass ``not_a_server_error``,
``status_code_conformance``, ``content_type_conformance``, ``response_schema_conformance`` and
``negative_data_rejection``. The last one is meaningful here: every body, query and path
parameter is a pydantic model or a typed parameter, so input the description forbids must be
refused (4xx), not quietly read some other way; it catches code looser than its description
(it found the orders list reading ``date_from=0`` as 1 January 1970).

The operations are driven from a plain test, not ``schemathesis.pytest.from_fixture``: with
pytest 9.2 that loader fails (it sets ``Function._nodeid``, which pytest no longer has), and the
schema needs the migrated database, so it cannot be loaded when the module is imported.

Each operation is called as someone who may use it (a super admin for ``/api/v1/admin``, the
store's owner for ``/api/v1/store/{store_code}``, a signed-in shopper with a cart for the
storefront), with the CSRF token, in a world with data (a platform with every optional module,
a store with products and stock, a category, a customer with an address, orders and a payment,
a conversation, a segment, content pages). ``store_code`` is always that store (another store's
code is a plain 403/404, which tests/server/test_api_contract.py covers); the other path
parameters are generated half of the time and taken from the world's real objects the other
half, so hostile bodies and queries reach real products, orders and conversations, not only 404s.
The storefront operations are described at the store's storefront root
(``/platforms/{platform_code}/storefront/{store_code}/api/v1/...``), as a client reaches them;
the two codes are always the world's platform and store.

Rate limits: each call starts with nothing counted (``fresh_limits``: ``rate_limits.reset()``,
what the autouse fixture does between tests, and no failed sign-in in the throttle's table), so a
long run reaches the routes rather than 429s, without a setting that exists only for tests; 429
stays documented on every rate-limited operation and on sign-in (orion_server/openapi_errors.py),
and tests/server/test_rate_limits.py and test_sign_in_throttle.py cover the limits themselves.

Stateful testing: the description declares no OpenAPI ``links`` (test_every_operation_is_exercised
says so, and fails the day it does). The stress run (``ORION_HOSTILE_STATEFUL=1``) walks
schemathesis' state machine over the links schemathesis infers from the description (ids in
answers that fill path parameters of other operations), and reports how many it inferred.

**The forms.** Every HTML page route that takes a POST (admin, store dashboard, storefront) comes
from the app's route list. Its fields come from the forms the app renders: every GET page route
is visited as the identity that may use it (signed out where it is turned away, for sign-in
pages), following links to detail pages; each ``<form method=post>`` is parsed and its action
matched back to its POST route, which gives real ids for the path, the field names and the
form's own values. A POST route no page shows a form for is called with path parameters from the
world's objects. Each gets hostile bodies, with a valid CSRF token and signed in: fields missing,
empty, overlong, not numbers, NaN and infinities, unicode junk (bidi overrides, joiners, astral
and combining characters), NUL bytes, negative, zero and huge numbers, bad dates and e-mails,
markup, repeated keys, percent-encoded invalid UTF-8, files where text is expected; and the
form's own values sent to a path whose ids no table can hold (0, past 32 and 64 bits). In make
test each junk kind lands in some field of some body (``QUICK_MIXES`` mixed bodies); with
``ORION_HOSTILE_DEEP=1`` (the stress run) every kind goes into every field at once and into each
field alone among the form's own valid values, so every field's own check is reached. No answer
may be a 5xx or show a traceback; a 4xx or a 200 re-render must be an HTML page; a redirect is
fine; the markup sent must never come back unescaped.

Why a fixed corpus and not hypothesis for the forms: the form routes read ``request.form()``
themselves, so there is no schema for a generator to follow; the issue names the kinds of junk,
and a fixed list of them is exhaustive per field, deterministic (a failure names the body and
reproduces at once) and cheap enough to send to every field of every form.

Figures (operations, cases, failures, forms, bodies, answers' statuses) are printed (``-s``) and
written as JSON to ``$ORION_HOSTILE_REPORT`` when set; bench/hostile.py (``make stress``) sets it,
with 100 examples per operation, the whole coverage phase, the stateful walk and the deep form
corpus, and adds the figures up across xdist workers.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
import requests
import schemathesis
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from orion_server.openapi_paths import public_path

EXAMPLES = int(os.environ.get("ORION_HOSTILE_EXAMPLES", "5"))
DEEP = os.environ.get("ORION_HOSTILE_DEEP", "") == "1"
STATEFUL = os.environ.get("ORION_HOSTILE_STATEFUL", "") == "1"
SEED = os.environ.get("ORION_HOSTILE_SEED", "")
COVERAGE_EVERY = max(1, int(os.environ.get("ORION_HOSTILE_COVERAGE_EVERY", "8")))
REPORT_DIR = os.environ.get("ORION_HOSTILE_REPORT", "")

STORE = "alpha"
PASSWORD = "a-long-secret-1"
SHOPPER_CSRF = "hostile-shopper-csrf-token"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
MARKUP = "<script>alert('orion-hostile')</script>"
QUICK_MIXES = 2  # mixed-junk bodies per form in make test (the stress run sends each kind to every field)
# Path parameters holding a database id: a form's URL is also tried with ids no database holds.
ID_PARAMS = re.compile(r"{(\w+_id|number)(?::int)?}")
# no such row; past 32 bits (PostgreSQL's ids); past 64 bits (SQLite's): make test sends the last
ABSURD_IDS = ("0", "2147483648", "99999999999999999999")


# -- the world --------------------------------------------------------------------------------


@dataclass
class Identity:
    """Someone signed in: the cookies to send and the CSRF token of their session."""

    name: str
    cookies: dict[str, str]
    csrf: str
    user: Any = None  # the staff User (admin, owner), None for the shopper
    customer: Any = None  # the shopper's Customer


@dataclass
class World:
    app: Any  # the app with /openapi.json
    platform_code: str
    storefront_root: str  # /platforms/{platform}/storefront/{store}/
    admin: Identity
    owner: Identity
    shopper: Identity
    values: dict[str, list[Any]]  # real values of path parameters, by parameter name
    figures: dict[str, Any] = field(default_factory=dict)
    seen: dict[str, dict[str, str]] = field(default_factory=dict)  # operation -> failures, first line -> text

    def identity_for(self, path: str) -> Identity:
        if path.startswith(("/api/v1/admin/", "/admin")):
            return self.admin
        if path.startswith(("/api/v1/store/", "/store/")):
            return self.owner
        return self.shopper

    def external(self, path: str) -> str:
        """The URL a browser uses for an app path (storefront paths live under /_sf/)."""
        if path.startswith("/_sf/"):
            return self.storefront_root + path.removeprefix("/_sf/")
        return path


@pytest.fixture(scope="module")
def hostile_app(orion_engine):
    from orion_server.app import create_app
    from orion_server.config import get_settings

    return create_app(get_settings().model_copy(update={"enable_docs": True}))


def _sign_in(db: Any, user: Any) -> tuple[str, str]:
    from orion_server.auth.sessions import load_session, start_session

    token = start_session(db, user=user, days=1)
    return token, load_session(db, token).csrf_token


def _build(session: Any, app: Any) -> World:
    from modules.catalog.services import catalog_service
    from modules.cms.services import content_page_service
    from modules.customers.services import CUSTOMER_COOKIE, customer_service, segment_service
    from modules.messaging.services import conversation_service
    from modules.messaging.services.notification_service import notification_service
    from modules.orders.services import order_service
    from modules.payments.services import settings_service
    from orion_server.auth.sessions import SESSION_COOKIE
    from orion_server.config import get_settings
    from orion_server.modules import registry
    from orion_server.modules.service import module_service
    from orion_server.testing.factories import Factories

    factories = Factories(session)
    platform = factories.platform(code=get_settings().main_platform_code, name="Hostile")
    for code in registry.OPTIONAL_MODULES:
        module_service.enable_module(session, platform.id, code)
    scratch = factories.platform(code="scratch", name="Scratch")
    factories.store(scratch, code="scratch-store", name="Scratch store")
    store = factories.store(platform, code=STORE, name="Alpha", languages=["en", "fr", "de", "lb"],
                            default_language="en")
    settings_service.save(session, store_id=store.id, gateway="bank_transfer", enabled=True,
                          values={"account_holder": "Alpha SARL", "iban": "LU280019400644750000"})
    category = catalog_service.save_category(session, store_id=store.id, slug="bread", names={"en": "Bread"},
                                             default_language="en")
    products = [
        factories.product(store, slug, price=price, stock=50, category_id=category.id, vat_rate=1700)
        for slug, price in (("loaf", 350), ("baguette", 180), ("croissant", 120))
    ]
    skus = [p.variants[0].sku for p in products]
    customer = factories.customer(store, "anna@alpha.example", password=PASSWORD)
    address = customer_service.add_address(session, store_id=store.id, customer_id=customer.id, values={
        "name": "Anna Muller", "street": "1, rue de la Gare", "postal_code": "L-1611", "city": "Luxembourg",
        "country": "LU"})
    order = order_service.create_order(
        session, store_id=store.id,
        lines=[{"sku": skus[0], "title": "Loaf", "quantity": 1, "unit_price_cents": 350, "vat_rate": 17}],
        customer={"email": customer.email, "name": "Anna Muller", "language": "en"},
        addresses={"shipping": {"name": "Anna Muller", "street": "1, rue de la Gare", "postal_code": "L-1611",
                                "city": "Luxembourg", "country": "LU"}},
        payment_method="bank_transfer",
    )
    conversation = conversation_service.start(session, customer=customer, subject="Opening hours",
                                              body="When do you open?")
    segment = segment_service.create_segment(session, store_id=store.id, name="Regulars", rules={"min_orders": 1})
    platform_page = content_page_service.create_page(
        session, platform_id=platform.id, slug="about", translations={"en": {"title": "About", "body": "Us"}})
    store_page = content_page_service.create_page(
        session, platform_id=platform.id, store_id=store.id, slug="shipping",
        translations={"en": {"title": "Shipping", "body": "By bike"}})
    notification_service.notify_staff(session, store_id=store.id, kind="new_order", title="A new order")
    # the top plan, paid: every page and form a plan withholds (custom reports, add-ons) is in the walk
    from modules.analytics.services.custom_reports import save_report
    from modules.billing.services.add_ons import add_on_service
    from modules.billing.services.admin import billing_admin_service

    billing_admin_service.set_plan(session, store_id=store.id, tier="enterprise", cycle="monthly")
    owner_user = factories.staff(store, role="owner", language="en")
    add_on_service.buy(session, store_id=store.id, code="custom_domain")  # a form to give it up
    save_report(session, store_id=store.id, name="Weekly sales", dimensions=["week"], measures=["revenue"],
                default_range="last_30_days", user_id=owner_user.id)  # forms to rename and delete it
    factories.staff(store, permissions=["catalog.products.view"])  # a member and a custom role
    # a loyalty program with a reward, the customer's card with a line to void, the owner's PIN
    from modules.loyalty.services import cards, ledger, pins, programs

    program = programs.save_program(session, store_id=store.id, values={
        "name": "Club", "is_active": "1", "stamps_enabled": "1", "points_enabled": "1", **{
            key: str(low) for key, (low, _high) in programs.SETTINGS.items()}})
    reward = programs.save_reward(session, store_id=store.id, values={
        "kind": "free_item", "currency": "stamps", "cost": "5", "name_en": "A loaf"})
    card, _ = cards.join(session, program=program, store_id=store.id, customer_id=customer.id)
    line = ledger.adjust(session, program=program, card_id=card.id, stamps=1, points=0, reason="Welcome",
                         counter=ledger.Counter(store_id=store.id, staff_user_id=owner_user.id))
    pins.set_pin(session, program=program, user_id=owner_user.id, pin="2468", confirm="2468")
    from modules.contracts.channel_orders import channel_orders_of
    from modules.marketplace.services.letzshop_orders import letzshop_orders

    letzshop_orders.bring_in(session, store_id=store.id, orders=channel_orders_of(session, store_id=store.id), node={
        "id": "LZ-1", "number": "R-1", "customer": {"firstName": "Léa", "lastName": "Schmit"}, "shipment": {"id": "S-1"},
        "inventoryUnits": [{"id": "U-1", "state": "unconfirmed", "price": "4.00", "variant": {"sku": skus[0]}}]})
    letzshop_order = letzshop_orders.orders(session, store_id=store.id).items[0]
    platform_admin = factories.platform_admin(platform, email="ops@example.lu")
    admin_user = factories.admin(language="en")

    admin_token, admin_csrf = _sign_in(session, admin_user)
    owner_token, owner_csrf = _sign_in(session, owner_user)
    shopper_token = customer_service.start_session(session, customer=customer)
    lang = {"orion_lang": "en"}
    admin = Identity("admin", {**lang, SESSION_COOKIE: admin_token}, admin_csrf, user=admin_user)
    owner = Identity("owner", {**lang, SESSION_COOKIE: owner_token}, owner_csrf, user=owner_user)
    shopper = Identity("shopper", {**lang, CUSTOMER_COOKIE: shopper_token, "orion_csrf": SHOPPER_CSRF},
                       SHOPPER_CSRF, customer=customer)
    root = f"/platforms/{platform.code}/storefront/{store.code}/"
    values: dict[str, list[Any]] = {
        "product_id": [p.id for p in products],
        "category_id": [category.id],
        "customer_id": [customer.id],
        "conversation_id": [conversation.id],
        "number": [order.number],
        "sku": skus,
        "slug": [p.slug for p in products],
        "gateway": ["bank_transfer", "stripe", "paypal"],
        "module": ["loyalty", "analytics", "marketplace"],
        "code": ["scratch", "scratch-store"],
        "segment_id": [segment.id],
        "address_id": [address.id],
        "page_id": [platform_page.id, store_page.id],
        "user_id": [platform_admin.id, owner_user.id],
        "card_id": [card.id],
        "reward_id": [reward.id],
        "transaction_id": [line.id],
        "letzshop_order_id": [letzshop_order.id],
        "language": ["en", "fr"],
    }
    world = World(app=app, platform_code=platform.code, storefront_root=root,
                  admin=admin, owner=owner, shopper=shopper, values=values)
    _shop(world)
    return world


def _shop(world: World) -> None:
    """The shopper places an order (so the store has a payment) and fills a new cart, as a
    browser would, through the storefront API; the cart cookie joins the shopper's."""
    from sqlalchemy import select

    from modules.cart.services.cart_service import CART_COOKIE
    from modules.payments.models import Payment
    from orion_server import rate_limits
    from orion_server.database import db

    rate_limits.reset()
    api = world.storefront_root + "api/v1/"
    headers = {"X-CSRF-Token": SHOPPER_CSRF}
    with TestClient(world.app, base_url="http://testserver") as client:
        client.cookies.update(world.shopper.cookies)
        for round_ in ("order", "cart"):
            for sku in world.values["sku"][:2]:
                added = client.post(api + "cart/lines", json={"sku": sku, "quantity": 2}, headers=headers)
                assert added.status_code == 201, added.text
            if round_ == "order":
                options = client.get(api + "checkout/options").json()
                placed = client.post(api + "checkout/place", headers=headers, json={
                    "email": "anna@alpha.example", "first_name": "Anna", "last_name": "Muller",
                    "address_id": world.values["address_id"][0],
                    "shipping_method": options["shipping_methods"][0]["code"],
                    "payment_method": options["payment_methods"][0]["code"], "idempotency_key": "hostile-world-1"})
                assert placed.status_code == 201, placed.text
                world.values["number"].append(placed.json()["number"])
        world.shopper.cookies[CART_COOKIE] = client.cookies[CART_COOKIE]
    session = db.session()
    try:
        world.values["payment_id"] = list(session.scalars(select(Payment.id)))
    finally:
        session.close()
    assert world.values["payment_id"], "the order placed has no payment"


def refresh(world: World, identity: Identity) -> None:
    """Sign ``identity`` in again if a hostile call ended its session (a sign-out, an erasure)."""
    from modules.customers.services import CUSTOMER_COOKIE, customer_service
    from orion_server.auth.sessions import SESSION_COOKIE, load_session
    from orion_server.database import db

    session = db.session()
    try:
        if identity.customer is not None:
            if customer_service.load_session(session, identity.cookies[CUSTOMER_COOKIE]) is None:
                customer = session.get(type(identity.customer), identity.customer.id)
                if customer is not None and customer.erased_at is None:
                    identity.cookies[CUSTOMER_COOKIE] = customer_service.start_session(session, customer=customer)
        elif load_session(session, identity.cookies[SESSION_COOKIE]) is None:
            user = session.get(type(identity.user), identity.user.id)
            if user is not None:
                identity.cookies[SESSION_COOKIE], identity.csrf = _sign_in(session, user)
        session.commit()
    finally:
        session.close()


def fresh_limits() -> None:
    """Nothing counted yet: no request against the rate limits, no failed sign-in against the
    throttle (what a test starts with), so a long run reaches the routes, not the 429."""
    from sqlalchemy import delete, select

    from orion_server import rate_limits
    from orion_server.database import begin_write, db
    from orion_server.models import SignInAttempt

    rate_limits.reset()
    session = db.session()
    try:
        if session.scalar(select(SignInAttempt.id).limit(1)) is not None:
            begin_write(session)
            session.execute(delete(SignInAttempt))
            session.commit()
    finally:
        session.close()


@pytest.fixture
def hostile_world(orion_engine, _table_names, hostile_app, request, monkeypatch) -> Iterator[World]:
    """A fresh world for each test (the hostile calls change and delete things). Passwords are
    hashed with argon2's cheapest parameters: sign-in and password forms get junk by the
    hundred, and the real cost (0.2 s a check) would measure argon2, not the forms."""
    from argon2 import PasswordHasher

    from orion_server.auth import passwords
    from orion_server.database import db
    from orion_server.revision import config_cache
    from orion_server.testing.database import empty_tables

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    empty_tables(orion_engine, _table_names)
    config_cache.invalidate()
    session = db.session()
    try:
        world = _build(session, hostile_app)
    finally:
        session.close()
    world.figures = {"test": request.node.name, "operations": set(), "cases": 0, "coverage_cases": 0, "failures": 0,
                     "forms": set(), "bodies": 0, "form_failures": 0, "links": 0, "steps": 0,
                     "api_statuses": Counter(), "form_statuses": Counter(), "per_operation": Counter()}
    started = time.monotonic()
    yield world
    _report(world.figures, time.monotonic() - started)
    config_cache.invalidate()


def _report(figures: dict[str, Any], seconds: float) -> None:
    """Print the test's figures; with ``ORION_HOSTILE_REPORT``, also write them there as JSON
    (sets as sorted lists, so bench/hostile.py can count operations across tests)."""
    shown = {key: (len(value) if isinstance(value, set) else dict(sorted(value.items())) if isinstance(value, Counter)
                   else value) for key, value in figures.items() if value and key != "per_operation"}
    print(f"\nhostile input {figures['test']} ({seconds:.1f} s): {shown}")
    if REPORT_DIR:
        out = {key: (sorted(value) if isinstance(value, set) else dict(value) if isinstance(value, Counter) else value)
               for key, value in figures.items()}
        out["seconds"] = round(seconds, 1)
        (Path(REPORT_DIR) / f"{figures['test']}-{uuid.uuid4().hex[:8]}.json").write_text(json.dumps(out))


# -- the API, through schemathesis ----------------------------------------------------------------


@pytest.fixture
def hostile_schema(hostile_world):
    """The description the running app serves at /openapi.json; the store's code is always the
    world's store, and the platform's code (of storefront paths) its platform."""
    config = schemathesis.Config.from_dict({"parameters": {"path.store_code": STORE,
                                                           "path.platform_code": hostile_world.platform_code}})
    return schemathesis.openapi.from_asgi("/openapi.json", hostile_world.app, config=config)


def fixed_parameters(world: World) -> dict[str, str]:
    """The path parameters every case keeps: the world's store and platform."""
    return {"store_code": STORE, "platform_code": world.platform_code}


def fix_codes(world: World, case: Any) -> None:
    """Put the world's codes into a case made without the configured parameters."""
    fixed = {name: value for name, value in fixed_parameters(world).items() if f"{{{name}}}" in case.path}
    if fixed:
        case.path_parameters = {**(case.path_parameters or {}), **fixed}


def case_strategy(world: World, operation: Any) -> Any:
    """Cases of ``operation`` in both generation modes: path parameters generated (the store's
    code fixed) or taken from the world's real objects, each half of the time."""
    from hypothesis import strategies as st

    names = re.findall(r"{(\w+)}", operation.path)
    fixed = {name: value for name, value in fixed_parameters(world).items() if name in names}
    objects = [n for n in names if n in world.values]
    real = [{**fixed, **{n: world.values[n][i % len(world.values[n])] for n in objects}} for i in range(3)]
    branches = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        branches.append(operation.as_strategy(generation_mode=mode, path_parameters=fixed or None))
        if objects:
            branches.append(st.sampled_from(real).flatmap(
                lambda values, mode=mode: operation.as_strategy(generation_mode=mode, path_parameters=values)))
    return st.one_of(branches)


def call_and_check(world: World, case: Any) -> None:
    """Send ``case`` as the identity that may use its operation and run the checks."""

    identity = world.identity_for(case.path)
    refresh(world, identity)
    fresh_limits()
    session = requests.Session()
    session.cookies.update(identity.cookies)
    headers = {"X-CSRF-Token": identity.csrf}
    world.figures["cases"] += 1
    world.figures["per_operation"][case.operation.label] += 1
    response = case.call(session=session, headers=headers)
    world.figures["api_statuses"][str(response.status_code)] += 1
    check(world, case, response, headers)


def check(world: World, case: Any, response: Any, headers: dict[str, str] | None = None) -> None:
    """The checks on one answer. A failure is recorded as it happens (as ``st run`` does): the
    world changes under the run, so hypothesis may not see it again when it replays the case."""
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except BaseExceptionGroup as failures:  # schemathesis' FailureGroup: not an Exception
        world.seen.setdefault(case.operation.label, {})[_first_line(failures)] = str(failures)  # the last: shrunk
        raise AssertionError(str(failures)) from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def coverage_cases(world: World, schema: Any, operation: Any) -> Iterator[Any]:
    """Schemathesis' coverage phase for ``operation`` (boundary values, each constraint broken,
    missing and duplicated parameters, unexpected methods and media types), every
    ``COVERAGE_EVERY``-th case (all of them in the stress run). The phase does not apply the
    configured parameters itself: the store's code is put in, as ``st run`` does."""
    cases = schema.iter_coverage_cases(
        operation, generation_modes=list(GenerationMode),
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"))
    for index, case in enumerate(cases):
        if index % COVERAGE_EVERY == 0:
            fix_codes(world, case)
            yield case


def exercise_api(world: World, schema: Any, prefix: str) -> None:
    """Every operation under ``prefix``: the coverage phase's cases, then ``EXAMPLES`` hypothesis
    examples (shrunk to the smallest failing one); every operation runs even when one fails, and
    all failures are told (one per operation and check)."""
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis.errors import Flaky

    described = world.app.openapi()
    failures = []
    for path, methods in described["paths"].items():
        if not path.startswith(prefix):
            continue
        for method in methods:
            operation = schema[path][method.upper()]
            world.figures["operations"].add(operation.label)
            errors: dict[str, str] = {}  # not a check's failure: an exception on the way
            for case in coverage_cases(world, schema, operation):
                world.figures["coverage_cases"] += 1
                try:
                    call_and_check(world, case)
                except AssertionError:
                    pass  # recorded in world.seen
                except Exception as exc:
                    errors.setdefault(_first_line(exc), f"{type(exc).__name__}: {exc}")

            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not SEED,
                      phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
                      suppress_health_check=list(HealthCheck))
            @given(case=case_strategy(world, operation))
            def run(case: Any) -> None:
                call_and_check(world, case)

            if SEED:
                run = seed(int(SEED))(run)
            try:
                run()
            except Flaky:
                pass  # not seen again on replay: what was seen is in world.seen; otherwise noise
            except AssertionError:
                pass  # in world.seen, the shrunk case last
            except Exception as exc:  # one operation's failure does not hide another's
                errors.setdefault(_first_line(exc), f"{type(exc).__name__}: {exc}")
            found = {**world.seen.get(operation.label, {}), **errors}
            world.figures["failures"] += len(found)
            failures += [f"== {operation.label}\n{text}" for text in found.values()]
    assert world.figures["operations"], f"no operation under {prefix}"
    assert not failures, f"{len(failures)} operation(s) failed:\n" + "\n".join(failures)


def test_admin_api_against_its_description(hostile_world, hostile_schema):
    exercise_api(hostile_world, hostile_schema, "/api/v1/admin/")


def test_store_api_against_its_description(hostile_world, hostile_schema):
    exercise_api(hostile_world, hostile_schema, "/api/v1/store/")


def test_storefront_api_against_its_description(hostile_world, hostile_schema):
    exercise_api(hostile_world, hostile_schema, "/platforms/")


def test_every_operation_is_exercised(hostile_world, hostile_schema):
    """The three tests above cover every operation of the description, whose every path
    parameter is declared (a client cannot fill ``{store_code}`` otherwise)."""
    described = hostile_world.app.openapi()
    with TestClient(hostile_world.app, base_url="http://testserver") as client:
        served = client.get("/openapi.json")
    assert served.status_code == 200 and served.json() == described
    labels = {f"{m.upper()} {p}" for p, ops in described["paths"].items() for m in ops}
    assert len(labels) == len(list(hostile_schema.get_all_operations())) >= 50, len(labels)
    storefront = "/platforms/{platform_code}/storefront/{store_code}/api/v1/"
    stray = [label for label in labels
             if not label.split(" ", 1)[1].startswith(("/api/v1/admin/", "/api/v1/store/", storefront))]
    assert not stray, stray
    undeclared = []
    for path, ops in described["paths"].items():
        for method, operation in ops.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            if set(re.findall(r"{(\w+)}", path)) - declared:
                undeclared.append(f"{method.upper()} {path}")
    assert not undeclared, undeclared
    links = sum(len(r.get("links", {})) for ops in described["paths"].values() for o in ops.values()
                for r in o["responses"].values())
    assert links == 0, "the description declares links now: walk them in test_stateful_walk"


@pytest.mark.skipif(not STATEFUL, reason="the stress run (ORION_HOSTILE_STATEFUL=1) walks the inferred links")
def test_stateful_walk_over_inferred_links(hostile_world, hostile_schema):
    """Sequences of calls along the links schemathesis infers from the description (a product's
    id into the product's routes, ...), the same checks at every step."""
    from hypothesis import HealthCheck, settings
    from hypothesis.errors import Flaky

    world = hostile_world
    machine = hostile_schema.as_state_machine()
    world.figures["links"] = sum(  # what the inference added to the (linkless) description
        len(response.get("links") or {}) for operations in hostile_schema.raw_schema["paths"].values()
        for operation in operations.values() if isinstance(operation, dict)
        for response in operation.get("responses", {}).values())
    assert world.figures["links"] > 0, "schemathesis inferred no links"

    class Walk(machine):  # type: ignore[misc, valid-type]
        def call(self, case: Any, **kwargs: Any) -> Any:
            fix_codes(world, case)
            identity = world.identity_for(case.path)
            refresh(world, identity)
            fresh_limits()
            session = requests.Session()
            session.cookies.update(identity.cookies)
            world.figures["steps"] += 1
            world.figures["operations"].add(case.operation.label)
            return case.call(session=session, headers={"X-CSRF-Token": identity.csrf})

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            check(world, case, response)

    try:
        Walk.run(settings=settings(max_examples=EXAMPLES, stateful_step_count=8, deadline=None, database=None,
                                   suppress_health_check=list(HealthCheck)))
    except (Flaky, AssertionError):
        pass  # what failed is in world.seen; a replay that went otherwise (the world changed) is noise
    found = [f"== {label}\n{text}" for label, texts in world.seen.items() for text in texts.values()]
    world.figures["failures"] += len(found)
    assert not found, f"{len(found)} failure(s) on the walk:\n" + "\n".join(found)


# -- the forms --------------------------------------------------------------------------------------


@dataclass
class PageRoute:
    method: str
    path: str  # as mounted (/_sf/... for the storefront)
    api: APIRoute
    pattern: re.Pattern

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def frontend(self) -> str:
        if self.path.startswith("/admin"):
            return "admin"
        if self.path.startswith("/store/"):
            return "store"
        return "storefront"


def page_routes(app: Any, world: World) -> list[PageRoute]:
    """Every HTML page route of the admin, the store dashboard and the storefront."""
    found = []
    for context in iter_route_contexts(app.routes):
        original, path = context.original_route, context.path or ""
        if not isinstance(original, APIRoute) or path.startswith(("/api/", "/_sf/api/", "/_error", "/_pf")):
            continue
        if not path.startswith(("/admin", "/store/", "/_sf/")):
            continue
        external = world.external(path)
        regex = "^" + re.sub(r"\\{(\w+)(?::(\w+))?\\}", lambda m: "[0-9]+" if m.group(2) == "int" else "[^/]+",
                             re.escape(external)) + "$"
        for method in sorted(context.methods or ()):
            if method in ("GET", "POST"):
                found.append(PageRoute(method, path, original, re.compile(regex)))
    return found


class FormParser(HTMLParser):
    """The links and the POST forms of a page: action, fields with their first value, file inputs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        form = self._form
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": {}, "files": set()}
            self.forms.append(self._form)
        elif form is None:
            return
        elif tag == "option" and self._select:
            values = form["fields"][self._select]
            if "selected" in a or not values:
                values[:] = [a.get("value", "")]
        elif not a.get("name"):
            return
        elif tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            values = form["fields"].setdefault(a["name"], []) if kind != "file" else []
            if kind == "file":
                form["files"].add(a["name"])
            elif kind == "checkbox":
                if "checked" in a:
                    values.append(a.get("value", "on"))
            elif kind == "radio":
                if "checked" in a or not values:
                    values[:] = [a.get("value", "on")]
            elif not values:
                values.append(a.get("value", ""))
        elif tag == "select":
            self._select = a["name"]
            form["fields"].setdefault(self._select, [])
        elif tag == "textarea":
            self._textarea = a["name"]
            form["fields"].setdefault(self._textarea, [""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] = [data]


@dataclass
class FormTarget:
    route: PageRoute
    url: str | None = None  # a real action URL found on a page
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> the values the form sends
    files: set[str] = field(default_factory=set)


def _fill(path: str, world: World) -> str:
    """``path`` with each parameter taken from the world's objects (999999 when it has none)."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "store_code":
            return STORE
        if name == "code" and "/templates/" in path:
            return "order_confirmation"
        if name == "code" and path.startswith("/admin/stores/"):
            return STORE
        if name == "code":
            return world.platform_code
        known = world.values.get(name)
        return quote(str(known[0]), safe="") if known else "999999"

    return re.sub(r"{(\w+)(?::\w+)?}", value, world.external(path))


def _client(world: World, identity: Identity) -> TestClient:
    client = TestClient(world.app, base_url="http://testserver", raise_server_exceptions=False,
                        follow_redirects=False)
    client.cookies.update(identity.cookies)
    return client


# Pages that are the answer to a form (the checkout review): posted once, with the values of the
# form that leads there (and a choice the form leaves open), to find the forms they render.
RENDERED_BY_POST = {"POST /_sf/checkout/review": lambda world: {"address_id": str(world.values["address_id"][0])}}


def discover_forms(world: World, routes: list[PageRoute]) -> dict[str, FormTarget]:
    """Visit the GET pages (and the detail pages they link to) as the identity that may use
    them (signed out when it is turned away: sign-in pages); match every POST form back to its
    route."""
    from orion_server import rate_limits

    gets = [r for r in routes if r.method == "GET"]
    posts = [r for r in routes if r.method == "POST"]
    targets = {r.key: FormTarget(r) for r in posts}
    queue = [_fill(r.path, world) for r in gets]
    seen: set[str] = set()
    visits_per_route: dict[str, int] = {}
    clients = {name: _client(world, getattr(world, name)) for name in ("admin", "owner", "shopper")}
    clients["anonymous"] = _client(world, Identity("anonymous", {"orion_lang": "en"}, ""))

    def collect(page: Any, path: str) -> None:
        parser = FormParser()
        parser.feed(page.text)
        for href in parser.links:
            link = urlsplit(href)
            if not link.netloc and link.path.startswith("/"):
                queue.append(link.path)
        for form in parser.forms:
            action = urlsplit(form["action"] or path).path
            match = next((r for r in posts if r.pattern.match(action)), None)
            if form["method"] != "post" or match is None:
                continue
            found = targets[match.key]
            found.url = found.url or action
            for name, values in form["fields"].items():
                found.fields.setdefault(name, values)
            found.files |= form["files"]

    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        route = next((r for r in gets if r.pattern.match(path)), None)
        if path in seen or route is None or visits_per_route.get(route.key, 0) >= 2:
            continue
        seen.add(path)
        visits_per_route[route.key] = visits_per_route.get(route.key, 0) + 1
        rate_limits.reset()
        page = clients[world.identity_for(route.path).name].get(url)
        if page.status_code in (302, 303, 401, 403):
            page = clients["anonymous"].get(url)
        if page.status_code == 200 and "text/html" in page.headers.get("content-type", ""):
            collect(page, path)
    for key, choices in RENDERED_BY_POST.items():
        target = targets.get(key)
        if target is not None and target.url:
            identity = world.identity_for(target.route.path)
            chosen = choices(world)
            body = [(n, v) for n, v in baseline(target) if n not in chosen] + list(chosen.items())
            rate_limits.reset()
            answer = clients[identity.name].post(
                target.url, content=urlencode([("csrf_token", identity.csrf), *body]).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert answer.status_code == 200, (key, body, answer.status_code,
                                               re.findall(r'class="error"[^>]*>([^<]*)<', answer.text))
            collect(answer, target.url)
    for client in clients.values():
        client.close()
    for target in targets.values():  # fields the route declares but no page shows
        for param in target.route.api.dependant.body_params:
            target.fields.setdefault(param.alias or param.name, [""])
    return targets


def baseline(target: FormTarget) -> list[tuple[str, str]]:
    """What the form sends as rendered (every value of a name, as a browser does)."""
    return [(name, value) for name, values in target.fields.items() if name != "csrf_token" for value in values]


def hostile_bodies(target: FormTarget) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(label, request keyword arguments)`` for each hostile body aimed at ``target``."""
    names = [n for n in target.fields if n != "csrf_token"] + sorted(target.files)
    if not names:
        names = ["name", "value"]  # a form with only its token: junk it does not expect
    junk = {
        "empty": "",
        "overlong": "x" * 20_000,
        "not a number": "abc",
        "float": "1.5",
        "NaN": "NaN",
        "infinite": "1e999",
        "negative": "-1",
        "zero": "0",
        "huge": "9" * 40,
        "unicode": "Zo\u00eb \u202eevil\u202c \u200d\U0001f4a5 \ufdfd \uff11\uff12 \U0001d7d8 \u0301",
        "NUL": "a\x00b",
        "markup": MARKUP,
        "date junk": "2024-13-45",
        "email junk": "@@example..lu",
    }
    yield "missing", {"form": []}
    if DEEP:
        for label, value in junk.items():
            yield label, {"form": [(name, value) for name in names]}
    else:  # every kind of junk in some field: field i of body k gets kind (i + k) mod kinds
        kinds = list(junk.values())
        for k in range(QUICK_MIXES):
            yield f"mix {k}", {"form": [(name, kinds[(i + k * 5) % len(kinds)]) for i, name in enumerate(names)]}
    yield "repeated keys", {"form": [(name, v) for name in names for v in ("1", "two", "")]}
    yield "invalid UTF-8", {"content": "&".join(f"{quote(n)}=%FF%FE%FD" for n in names).encode(),
                            "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
    yield "files for text", {"files": [(name, ("junk.bin", b"\x00\xff junk", "application/octet-stream"))
                                       for name in names]}
    if DEEP:
        yield "not a form", {"content": b'{"json": true}', "headers": {"Content-Type": "application/json"}}
    if DEEP:
        valid = baseline(target)
        for name in names:
            others = [(n, v) for n, v in valid if n != name]
            for label, value in junk.items():
                yield f"{name}={label}", {"form": [*others, (name, value)]}
            yield f"{name} repeated", {"form": [*valid, (name, "junk")]}


def absurd_id_posts(target: FormTarget, url: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The form's own values sent to its URL with each id of the path replaced by one that
    cannot exist (0, past 64 bits): a 404 or a message, never a 500."""
    template = target.route.path
    names = re.findall(r"{(\w+)(?::\w+)?}", template)
    segments = urlsplit(url).path.split("/")
    template_segments = re.sub(r"{(\w+)(?::\w+)?}", r"{\1}", public_path(template)).split("/")
    for name in names:
        if not ID_PARAMS.fullmatch("{" + name + "}"):
            continue
        position = template_segments.index("{" + name + "}")
        for junk in ABSURD_IDS if DEEP else ABSURD_IDS[-1:]:
            changed = [*segments[:position], junk, *segments[position + 1:]]
            yield f"{name}={junk}", {"url": "/".join(changed), "form": baseline(target)}


def form_problems(response: Any, label: str) -> list[str]:
    status = response.status_code
    text = response.text
    content_type = response.headers.get("content-type", "")
    problems = []
    if status >= 500:
        problems.append(f"{label}: {status} {text[:300]}")
    if "Traceback (most recent call last)" in text:
        problems.append(f"{label}: {status} shows a traceback")
    if MARKUP in text:
        problems.append(f"{label}: {status} echoes the markup unescaped")
    if status < 300 or 400 <= status < 500:
        if "text/html" not in content_type or len(text) < 50:
            problems.append(f"{label}: {status} is not a page ({content_type!r}): {text[:200]}")
    return problems


def walk_forms(world: World, frontend: str) -> None:

    routes = [r for r in page_routes(world.app, world) if r.frontend == frontend]
    targets = list(discover_forms(world, routes).values())
    # coverage cannot shrink silently: most POST routes are reached through a form a page shows
    unfound = sorted(t.route.key for t in targets if t.url is None)
    assert len(targets) >= 15 and len(unfound) <= len(targets) // 3, (len(targets), unfound)
    problems: list[str] = []
    client = TestClient(world.app, base_url="http://testserver", raise_server_exceptions=False,
                        follow_redirects=False)
    for target in targets:
        world.figures["forms"].add(target.route.key)
        url = target.url or _fill(target.route.path, world)
        identity = world.identity_for(target.route.path)
        for label, kwargs in [*hostile_bodies(target), *absurd_id_posts(target, url)]:
            url_now = kwargs.pop("url", url)
            refresh(world, identity)
            fresh_limits()
            client.cookies.clear()
            client.cookies.update(identity.cookies)
            headers = {"X-CSRF-Token": identity.csrf, "Accept-Language": "en", **kwargs.pop("headers", {})}
            if "form" in kwargs:
                pairs = [("csrf_token", identity.csrf), *kwargs.pop("form")]
                kwargs["content"] = urlencode(pairs).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            elif "files" in kwargs:
                kwargs["data"] = {"csrf_token": identity.csrf}
            response = client.post(url_now, headers=headers, **kwargs)
            world.figures["bodies"] += 1
            world.figures["form_statuses"][str(response.status_code)] += 1
            found = form_problems(response, f"{target.route.key} ({url_now}) {label}")
            world.figures["form_failures"] += len(found)
            problems += found
    client.close()
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_admin_forms_survive_hostile_bodies(hostile_world):
    walk_forms(hostile_world, "admin")


def test_store_forms_survive_hostile_bodies(hostile_world):
    walk_forms(hostile_world, "store")


def test_storefront_forms_survive_hostile_bodies(hostile_world):
    walk_forms(hostile_world, "storefront")
