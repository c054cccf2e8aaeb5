"""Tenant isolation (issue 10): two platforms with two stores each, every route of every frontend
walked with the identities of the other tenants, and not one cross-tenant read or write.

The world: platforms P1 and P2 (besides the main one), each with two stores (S1a ``ashwood``, S1b
``birchwood``, S2a ``cedarwood``, S2b ``dogwood``); every store with a published product (stock, a
picture, a category), a draft product, a content page, its own e-mail template, payment
settings, a signed-up customer (an address, a staff note, a cart, an order placed while signed
in, a conversation with the staff, reset and confirmation links), a guest order with its status
link, a segment, a notification, a merchant, an owner, a team member with a custom role, an
open invitation, and a platform admin's support access; every platform with a content page, an
e-mail template and a platform admin. Every tenant's records carry marker strings of four kinds:
``pubmark<tag>`` (public: on its storefront and platform pages), ``shopmark<tag>`` (the
signed-up customer's own), ``guestmark<tag>`` (the guest's own) and ``privmark<tag>`` (staff and
admins only).

The walk takes every route from the application's own route list, so a new route is covered
without touching this file. Identities: the owner of S1a, the customer of S1a (her session and
cart cookies, her links), a guest holding S1a's guest order link and cart cookie, and the
platform admin of P1 (with support access to S1a). For each identity and each victim (S1b and
S2a; for the admin, S2a and platform P2), each route is called, with a valid CSRF token and, for writes,
a body naming the victim's things (its category as parent, its role, its address, its merchant…):

* at the victim's address (``/store/<victim>/…``, its storefront, its platform, the admin routes
  with the victim's platform and stores), with the walker's own link tokens where a route reads one;
* at the walker's own address with the victim's ids in the path (``/store/ashwood/products/<id
  of a birchwood product>/edit``, ashwood's ``account/addresses/<birchwood's address>/edit``) or
  in the query (``?customer=…``, ``?q=<victim's store code>``), and for every write;
* for a victim on the other platform, at ``/platforms/<own platform>/storefront/<victim>/…``.

On a frontend where an identity is nobody (a shopper on the dashboard or the admin, the owner
on the admin, staff and admins on a storefront) every route is walked against one victim only
(``STANDING``). The customer
also signs in at the victims' storefronts with her own address and password; the customer and
the guest also try the other shopper of their own store. Every path parameter is filled from the
victim (``path_value``); one no rule fills fails ``test_every_path_parameter_is_mapped``.

An answer passes when it refuses (4xx, a redirect) or, where the route is open to the identity,
shows nothing of another tenant: no private marker anywhere, a public marker only at that
tenant's own address (what the walker typed, echoed back, is not counted). Dashboard routes at
the victim's address, storefront routes naming a victim's order, customer or address, and routes
with a victim's id at the walker's own address must refuse outright (pictures carry no marker).
After the walk:

* nothing of the victims changed: every row of every table, attributed to its store or platform
  (and customer) through its foreign keys, is compared before and after; for a shopper, nothing
  of the other shopper or the staff of their own store either;
* what the walk did change holds no other tenant's marker and points at no other store's (or
  platform's) rows;
* every page and API the walker may open at their own address without an id (lists, dashboards,
  figures, the storefront) reads the same before and after the victims get new customers, paid
  orders, drafts, conversations, stores: no other tenant's records counted in.

Figures: ``pytest -n 0 -s tests/server/test_tenant_isolation.py`` prints a line per identity and
the totals (also in the report's ``user_properties``); ``TENANT_WALK_REPORT=/tmp/walk`` writes
each identity's problems and every request with its answer to ``/tmp/walk.<identity>[.log]``.
"""

from __future__ import annotations

import itertools
import os
import re
import struct
import types
import typing
import zlib
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from orion_server import rate_limits
from orion_server.auth.csrf import CSRF_COOKIE, CSRF_HEADER
from orion_server.auth.sessions import SESSION_COOKIE, load_session, start_session
from orion_server.database import Base
from orion_server.modules import registry
from orion_server.modules.service import module_service
from orion_server.testing.factories import CUSTOMER_PASSWORD

IBAN = "LU280019400644750000"
ADDRESS = {"name": "Walker", "street": "1, rue du Walk", "postal_code": "L-1111", "city": "Luxembourg",
           "country": "LU"}
STORES = {  # code (distinct order-number prefixes: ASH-, BIR-, CED-, DOG-) -> (platform, marker tag)
    "ashwood": ("p1", "s1a"),
    "birchwood": ("p1", "s1b"),
    "cedarwood": ("p2", "s2a"),
    "dogwood": ("p2", "s2b"),
}
KINDS = ("pub", "shop", "guest", "priv")
TENANT_IDS = {"membership_id", "role_id", "session_id", "merchant_id", "category_id", "category_slug",
              "product_id", "product_slug", "sku", "draft_product_id", "image_id", "file_name", "item_id",
              "page_id", "page_slug", "template_code", "customer_id", "address_id", "segment_id", "number",
              "guest_number", "payment_id", "conversation_id", "notification_id", "invitation_id", "outbox_id",
              "access_id", "customer_email", "invoice_id", "invoice_number", "report_id", "card_id", "reward_id",
              "transaction_id", "feed_token", "import_id", "card_code", "letzshop_order_id"}
"""What every store of the world has, by the name of the path parameter (or body field) naming it."""
REFUSED = {400, 401, 403, 404, 405, 409, 410, 413, 422, 429}
WORLD_PASS_TYPE = "pass.lu.orion.world"
"""The Pass Type ID of every platform's wallet settings in the world (no certificate: no pass is signed)."""
# Path parameters that name nothing of a tenant: the same value is walked for everybody.
NEUTRAL = {"language", "module", "gateway", "store_code", "table", "chart", "sitemap", "device", "pass_type"}
# Store routes anybody may open (sign-in, reset and invitation links): a form, no member needed.
ANONYMOUS_STORE = {"login", "logout", "forgot", "reset", "join"}
ADMIN_OWN_ACCOUNT = {"/admin/login", "/admin/auth/token", "/admin/logout", "/admin/forgot", "/admin/reset"}


def mark(kind: str, tag: str) -> str:
    return f"{kind}mark{tag}"


# -- the world ---------------------------------------------------------------------------------


@dataclass
class Tenant:
    """A store and the ids of its things (the values walked into path parameters)."""

    tag: str
    platform: Any
    store: Any
    ids: dict[str, Any] = field(default_factory=dict)
    own_customer_token: str = ""
    own_cart_token: str = ""
    guest_cart_token: str = ""
    guest_token: str = ""
    owner: Any = None
    tokens: dict[str, str] = field(default_factory=dict)
    """The links' tokens its people hold: the staff's invitation, the customer's reset and
    confirmation links and her order's status link."""


@dataclass
class PlatformTenant:
    tag: str
    platform: Any
    ids: dict[str, Any] = field(default_factory=dict)
    admin: Any = None


@dataclass
class World:
    platforms: dict[str, PlatformTenant]
    tenants: dict[str, Tenant]
    main: Any


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80\x40\x20" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _storefront(tenant: Tenant, path: str = "") -> str:
    return f"/platforms/{tenant.platform.code}/storefront/{tenant.store.code}/{path}"


def _shop(client, tenant: Tenant, *, customer_token: str | None, cart_token: str | None, email: str,
          first_name: str, key: str) -> tuple[dict, str]:
    """As a shopper (signed in with ``customer_token`` or a guest): put the tenant's product in a
    cart and place the order through the storefront API; returns the answer and the cart token."""
    from modules.cart.services import CART_COOKIE
    from modules.customers.services import CUSTOMER_COOKIE

    client.cookies.clear()
    client.cookies.set(CSRF_COOKIE, "world-csrf-token-0123456789")
    if customer_token:
        client.cookies.set(CUSTOMER_COOKIE, customer_token)
    if cart_token:
        client.cookies.set(CART_COOKIE, cart_token)
    headers = {CSRF_HEADER: "world-csrf-token-0123456789"}
    added = client.post(_storefront(tenant, "api/v1/cart/lines?lang=en"),
                        json={"sku": tenant.ids["sku"], "quantity": 1}, headers=headers)
    assert added.status_code == 201, added.text
    cart = client.cookies.get(CART_COOKIE)
    body = {"email": email, "first_name": first_name, "last_name": "Weber", "phone": "",
            "address": {**ADDRESS, "name": f"{first_name} Weber"}, "billing_same": True,
            "shipping_method": "delivery", "payment_method": "bank_transfer"}
    placed = client.post(_storefront(tenant, "api/v1/checkout/place?lang=en"), json=body,
                         headers={**headers, "Idempotency-Key": key})
    assert placed.status_code in (200, 201), placed.text
    # A cart that stays open: the walker's cart cookie names it.
    again = client.post(_storefront(tenant, "api/v1/cart/lines?lang=en"),
                        json={"sku": tenant.ids["sku"], "quantity": 1}, headers=headers)
    assert again.status_code == 201, again.text
    client.cookies.clear()
    return placed.json(), cart or ""


def _build_store(client, factories, db, tenant: Tenant, admin: Any) -> None:
    from modules.analytics.services import custom_reports
    from modules.billing.services import plan_service, subscription_service
    from modules.catalog.models import ProductImage
    from modules.catalog.services import catalog_service
    from modules.cms.services import content_page_service
    from modules.customers.services import customer_service, segment_service
    from modules.inventory.models import StockItem
    from modules.marketplace.services import feed_service
    from modules.marketplace.services.imports import import_service
    from modules.messaging.models import EmailOutbox
    from modules.messaging.services import conversation_service, email_service, notification_service
    from modules.orders.models import Order
    from modules.orders.services import order_service
    from modules.payments.models import Payment
    from modules.payments.services import settings_service
    from orion_server import support_access
    from orion_server.models import StoreInvitation, StoreMembership, StoreRole

    store, tag, ids = tenant.store, tenant.tag, tenant.ids
    subscription_service.activate(db, store_id=store.id, tier="business")  # room for the team
    pub, shop, guest, priv = (mark(kind, tag) for kind in KINDS)
    tenant.owner = factories.staff(store, role="owner", email=f"owner.{priv}@example.com",
                                   full_name=f"{priv} Owner", language="en")
    member = factories.staff(store, permissions=["catalog.view"], email=f"member.{priv}@example.com",
                             full_name=f"{priv} Member")
    ids["membership_id"] = db.scalar(select(StoreMembership.id).where(StoreMembership.user_id == member.id))
    ids["role_id"] = db.scalar(select(StoreRole.id).where(StoreRole.store_id == store.id))
    ids["session_id"] = load_session(db, start_session(db, user=tenant.owner, days=1)).id
    db.commit()
    admin_session = load_session(db, start_session(db, user=admin, days=1))
    ids["access_id"] = support_access.start(db, admin=admin, session_id=admin_session.id, store=store,
                                            reason=f"{priv} support reason").id

    category = catalog_service.save_category(db, store_id=store.id, slug=f"{store.code}-breads",
                                             names={"en": f"{pub} Breads"})
    ids["category_id"], ids["category_slug"] = category.id, category.slug
    product = factories.product(store, f"{store.code}-loaf", price=400, stock=50, titles={"en": f"{pub} Loaf"},
                                descriptions={"en": f"{pub} crust from {store.code}"}, sku=f"{store.code.upper()}-LOAF",
                                category_id=category.id)
    ids["product_id"], ids["product_slug"], ids["sku"] = product.id, product.slug, f"{store.code.upper()}-LOAF"
    draft = factories.product(store, f"{store.code}-secret", stock=5, titles={"en": f"{priv} Draft"},
                              status="draft", sku=f"{store.code.upper()}-SECRET")
    ids["draft_product_id"] = draft.id
    catalog_service.add_image(db, store_id=store.id, product_id=product.id, filename="loaf.png", data=_png())
    image = db.scalar(select(ProductImage).where(ProductImage.product_id == product.id))
    ids["image_id"], ids["file_name"] = image.id, image.file_name
    ids["item_id"] = db.scalar(select(StockItem.id).where(StockItem.store_id == store.id,
                                                          StockItem.sku == ids["sku"]))
    page = content_page_service.create_page(
        db, platform_id=tenant.platform.id, store_id=store.id, slug=f"{store.code}-about",
        translations={"en": {"title": f"{pub} About", "body": f"{pub} about us"}}, status="published")
    ids["page_id"], ids["page_slug"] = page.id, page.slug
    # The store's own confirmation e-mail: mailed to its shoppers, as public as the shop.
    email_service.save_template(db, platform_id=tenant.platform.id, store_id=store.id, code="order_confirmation",
                                language="en", subject=f"{pub} subject",
                                body_html=f"<p>{pub} html {{{{ order_number }}}}</p>",
                                body_text=f"{pub} text {{{{ order_number }}}}")
    ids["template_code"] = "order_confirmation"
    feed_service.generate(db, store_id=store.id)  # written: fetching it changes nothing
    ids["import_id"] = import_service.start(db, store_id=store.id, file_name=f"{priv}.tsv", language="en",
                                            data=f"id\ttitle\tprice\n{priv}\t{priv} import\tx\n".encode(),
                                            actor=None).id
    import_service.run(ids["import_id"])  # done, with a refused row whose message is private
    ids["feed_token"] = feed_service.status(db, store_id=store.id).token
    settings_service.save(db, store_id=store.id, gateway="bank_transfer", enabled=True,
                          values={"account_holder": f"{pub} SARL", "iban": IBAN})

    customer = factories.customer(store, email=f"{shop}@example.com", first_name=shop, last_name=store.code.title())
    ids["customer_id"], ids["customer_email"] = customer.id, customer.email
    address = customer_service.add_address(db, store_id=store.id, customer_id=customer.id,
                                           values={**ADDRESS, "name": f"{shop} Home", "label": f"{shop} label"})
    ids["address_id"] = address.id
    customer_service.add_note(db, store_id=store.id, customer_id=customer.id, author_user_id=tenant.owner.id,
                              text=f"{priv} note about the customer")
    segment = segment_service.create_segment(db, store_id=store.id, name=f"{priv} segment",
                                             rules={"min_orders": 0})
    ids["segment_id"] = segment.id
    report = custom_reports.save_report(db, store_id=store.id, name=f"{priv} report", dimensions=["status"],
                                        measures=["orders"], default_range="this_month")
    ids["report_id"] = report.id
    tenant.own_customer_token = customer_service.start_session(db, customer=customer)
    from modules.loyalty.services import cards, ledger, pins, programs

    program = programs.save_program(db, store_id=store.id, values={
        "name": f"{pub} club", "is_active": "1", "stamps_enabled": "1", "points_enabled": "1",
        **{key: str(low) for key, (low, _high) in programs.SETTINGS.items()}})
    ids["reward_id"] = programs.save_reward(db, store_id=store.id, values={
        "kind": "free_item", "currency": "stamps", "cost": "5", "name_en": f"{pub} reward"}).id
    card, _ = cards.join(db, program=program, store_id=store.id, customer_id=customer.id)
    ids["card_id"] = card.id
    ids["card_code"] = card.code  # a wallet pass's serial number
    ids["transaction_id"] = ledger.adjust(db, program=program, card_id=card.id, stamps=1, points=0,
                                          reason=f"{priv} loyalty reason",
                                          counter=ledger.Counter(store_id=store.id, staff_user_id=None)).id
    pins.set_pin(db, program=program, user_id=tenant.owner.id, pin="2468", confirm="2468")
    from modules.loyalty.services import wallet

    if wallet.settings_of(db, store.platform_id) is None:  # the passes' web service knows the card
        wallet.save_settings(db, platform_id=store.platform_id, values={"apple_pass_type_id": WORLD_PASS_TYPE})

    mine, tenant.own_cart_token = _shop(client, tenant, customer_token=tenant.own_customer_token, cart_token=None,
                                        email=customer.email, first_name=shop, key=f"world-{tag}-mine")
    theirs, tenant.guest_cart_token = _shop(client, tenant, customer_token=None, cart_token=None,
                                            email=f"{guest}@example.com", first_name=guest,
                                            key=f"world-{tag}-guest")
    db.rollback()  # see what the requests committed
    order = db.scalar(select(Order).where(Order.store_id == store.id, Order.customer_id == customer.id))
    guest_order = db.scalar(select(Order).where(Order.store_id == store.id, Order.customer_id != customer.id))
    assert order is not None and guest_order is not None, (mine, theirs)
    ids["number"], ids["guest_number"] = order.number, guest_order.number
    tenant.guest_token = order_service.status_token(guest_order)
    order_service.add_note(db, order_id=order.id, store_id=store.id, body=f"{priv} order note")
    ids["payment_id"] = db.scalar(select(Payment.id).where(Payment.store_id == store.id).order_by(Payment.id))
    invoice = plan_service.change(db, store_id=store.id, tier="business", cycle="monthly").invoice
    ids["invoice_id"], ids["invoice_number"] = invoice.id, invoice.number

    conversation = conversation_service.start(db, customer=customer, subject=f"{shop} question",
                                              body=f"{shop} asks something")
    conversation_service.staff_reply(db, store_id=store.id, conversation_id=conversation.id,
                                     user_id=tenant.owner.id, body=f"{shop} gets an answer")
    ids["conversation_id"] = conversation.id
    notice = notification_service.notify_staff(db, store_id=store.id, kind="walk", title=f"{priv} notice",
                                               body=f"{priv} notice body")
    ids["notification_id"] = notice.id

    client.cookies.clear()
    csrf = factories.login(client, tenant.owner)
    invited = client.post(f"/store/{store.code}/team/invite",
                          data={"csrf_token": csrf, "email": f"invitee.{priv}@example.com",
                                "full_name": f"{priv} Invitee", "role": "staff", "language": "en"},
                          follow_redirects=False)
    assert invited.status_code == 303, invited.text
    client.cookies.clear()
    db.rollback()  # see what the requests committed
    ids["invitation_id"] = db.scalar(select(StoreInvitation.id).where(StoreInvitation.store_id == store.id))
    ids["outbox_id"] = db.scalar(select(EmailOutbox.id).where(EmailOutbox.store_id == store.id)
                                 .order_by(EmailOutbox.id))
    tenant.tokens["invitation"] = _emailed_token(db, store.id, "join")
    tenant.tokens["reset"] = customer_service.request_password_reset(db, store_id=store.id, email=customer.email)
    customer_service.send_confirmation(db, customer=customer, purpose="orders")
    tenant.tokens["confirmation"] = _emailed_token(db, store.id, "account/confirm")
    tenant.tokens["status"] = order_service.status_token(order)
    assert all(tenant.tokens.values()), tenant.tokens
    # A Letzshop order brought in (as the sync does, without a Letzshop to ask): private
    from modules.contracts.channel_orders import channel_orders_of
    from modules.marketplace.models import LetzshopOrder
    from modules.marketplace.services.letzshop_orders import letzshop_orders

    node = {"id": f"lz-{tag}", "number": f"{priv}-LZ", "email": f"{priv}.lz@example.com",
            "customer": {"firstName": priv, "lastName": "Letzshop"}, "shipment": {"id": f"lzs-{tag}"},
            "inventoryUnits": [{"id": f"lzu-{tag}", "state": "unconfirmed", "price": "4.00", "vatRate": 17,
                                "variant": {"sku": ids["sku"], "title": f"{priv} letzshop item"}}]}
    letzshop_orders.bring_in(db, store_id=store.id, node=node, orders=channel_orders_of(db, store_id=store.id))
    ids["letzshop_order_id"] = db.scalar(select(LetzshopOrder.id).where(LetzshopOrder.store_id == store.id))
    missing = [name for name, value in ids.items() if value is None]
    assert not missing, f"{store.code}: nothing made for {missing}"
    assert set(ids) == TENANT_IDS, set(ids) ^ TENANT_IDS


def _emailed_token(db, store_id: int, path: str) -> str | None:
    """The token of the newest link to ``path`` e-mailed for the store."""
    from modules.messaging.models import EmailOutbox

    db.rollback()
    for body in db.scalars(select(EmailOutbox.body_text).where(EmailOutbox.store_id == store_id)
                           .order_by(EmailOutbox.id.desc())):
        found = re.search(re.escape(path) + r"\?token=([\w-]+)", body)
        if found:
            return found.group(1)
    return None


@pytest.fixture
def cheap_passwords(monkeypatch):
    """argon2 at its lowest cost: the walk signs in with wrong passwords a few hundred times, and
    what a hash costs has nothing to do with whose data a route shows."""
    from argon2 import PasswordHasher

    from orion_server.auth import passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    passwords.dummy_hash.cache_clear()
    yield
    passwords.dummy_hash.cache_clear()


@pytest.fixture
def world(client, factories, db_session, main_platform, cheap_passwords) -> World:
    from modules.cms.services import content_page_service
    from modules.messaging.services import email_service
    from orion_server.tenancy import tenancy_service

    platforms: dict[str, PlatformTenant] = {}
    for code in ("p1", "p2"):
        platform = factories.platform(code=code, name=f"{mark('pub', code)} Market")
        for module in registry.OPTIONAL_MODULES:
            module_service.enable_module(db_session, platform.id, module)
        tenant = PlatformTenant(tag=code, platform=platform)
        priv = mark("priv", code)
        page = content_page_service.create_page(
            db_session, platform_id=platform.id, slug=f"{code}-info",
            translations={"en": {"title": f"{mark('pub', code)} Info", "body": "Public"}}, status="published")
        tenant.ids["page_id"], tenant.ids["page_slug"] = page.id, page.slug
        email_service.save_template(db_session, platform_id=platform.id, store_id=None, code="order_confirmation",
                                    language="en", subject=f"{priv} platform subject",
                                    body_html=f"<p>{priv} {{{{ order_number }}}}</p>",
                                    body_text=f"{priv} {{{{ order_number }}}}")
        # The audit log shows the platform's stores who opened their dashboard: the platform's face.
        tenant.admin = factories.platform_admin(platform, email=f"admin.{mark('pub', code)}@example.com",
                                                full_name=f"{mark('pub', code)} Admin", language="en")
        platforms[code] = tenant
    tenants: dict[str, Tenant] = {}
    for code, (platform_code, tag) in STORES.items():
        platform = platforms[platform_code].platform
        merchant = tenancy_service.create_merchant(db_session, platform_code=platform_code,
                                                   name=f"{mark('pub', tag)} Merchant SARL")
        store = factories.store(platform, code=code, name=f"{mark('pub', tag)} Shop", languages=["en", "fr"],
                                default_language="en", merchant_id=merchant.id)
        tenants[code] = Tenant(tag=tag, platform=platform, store=store, ids={"merchant_id": merchant.id})
    for tenant in tenants.values():
        _build_store(client, factories, db_session, tenant, platforms[tenant.platform.code].admin)
    db_session.commit()
    return World(platforms=platforms, tenants=tenants, main=main_platform)


# -- identities --------------------------------------------------------------------------------


@dataclass
class Identity:
    """Who walks: their cookies, CSRF token, home store and platform, and whom they try."""

    name: str
    home: Tenant
    victims: list[Tenant]
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = "walker-csrf-token-0123456789"
    own_platforms: set[str] = field(default_factory=set)
    own_stores: set[str] = field(default_factory=set)
    own_kinds: set[str] = field(default_factory=lambda: set(KINDS))
    tokens: list[str] = field(default_factory=list)
    """The tokens of links the walker holds, tried in every route that reads a ``token``."""
    user: Any = None


def _identity(who: str, world: World, factories, db) -> Identity:
    from modules.cart.services import CART_COOKIE
    from modules.customers.services import CUSTOMER_COOKIE

    s1a, s1b, s2a = (world.tenants[code] for code in ("ashwood", "birchwood", "cedarwood"))
    if who == "staff":
        identity = Identity("staff", s1a, [s1b, s2a], own_kinds=set(KINDS), user=s1a.owner,
                            tokens=[s1a.tokens["invitation"]])
    elif who == "customer":
        identity = Identity("customer", s1a, [s1b, s2a], own_kinds={"pub", "shop"},
                            cookies={CUSTOMER_COOKIE: s1a.own_customer_token, CART_COOKIE: s1a.own_cart_token},
                            tokens=[s1a.tokens[k] for k in ("reset", "confirmation", "status")])
    elif who == "guest":
        identity = Identity("guest", s1a, [s1b, s2a], own_kinds={"pub", "guest"},
                            cookies={CART_COOKIE: s1a.guest_cart_token}, tokens=[s1a.guest_token])
    else:
        identity = Identity("admin", s1a, [s2a], own_kinds=set(KINDS), user=world.platforms["p1"].admin)
    identity.own_platforms = {"p1"}
    identity.own_stores = {s1a.store.code}
    _sign_in(identity, factories, db)
    return identity


def _sign_in(identity: Identity, factories, db) -> None:
    """(Again) a live session for a staff member or admin; an admin gets support access to S1a."""
    identity.cookies[CSRF_COOKIE] = identity.csrf
    if identity.name == "customer":
        from modules.customers.models import Customer
        from modules.customers.services import CUSTOMER_COOKIE, customer_service

        customer = db.get(Customer, identity.home.ids["customer_id"])
        identity.cookies[CUSTOMER_COOKIE] = customer_service.start_session(db, customer=customer)
    if identity.user is None:
        return
    token = start_session(db, user=identity.user, days=1)
    db.commit()
    session = load_session(db, token)
    identity.cookies[SESSION_COOKIE] = token
    identity.csrf = identity.cookies[CSRF_COOKIE] = session.csrf_token
    if identity.name == "admin":
        from orion_server import support_access

        support_access.start(db, admin=identity.user, session_id=session.id, store=identity.home.store,
                             reason="tenant isolation walk")


def _still_signed_in(identity: Identity, db) -> bool:
    from modules.customers.services import CUSTOMER_COOKIE, customer_service

    db.rollback()
    if identity.user is not None:
        session = load_session(db, identity.cookies.get(SESSION_COOKIE))
        if session is None:
            return False
        if identity.name == "admin":
            from orion_server import support_access

            return support_access.active_access(db, user_id=identity.user.id, session_id=session.id,
                                                store_id=identity.home.store.id) is not None
        return True
    if identity.name == "customer":
        return customer_service.load_session(db, identity.cookies[CUSTOMER_COOKIE]) is not None
    return True


# -- the routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    route: APIRoute

    @property
    def frontend(self) -> str:
        if self.path.startswith("/_sf"):
            return "storefront"
        if self.path.startswith("/_pf"):
            return "platform"
        if self.path.startswith(("/store/", "/api/v1/store/")):
            return "store"
        if self.path.startswith(("/admin", "/api/v1/admin")):
            return "admin"
        return "other"

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)

    @property
    def names_victim(self) -> bool:
        """Whether a path parameter names something of the victim (not only its store)."""
        return any(name not in NEUTRAL and not (name == "code" and "/templates/" in self.path)
                   for name in self.params)

    @property
    def query_names(self) -> set[str]:
        def walk(dependant: Any) -> set[str]:
            names = {q.name for q in dependant.query_params}
            for sub in dependant.dependencies:
                names |= walk(sub)
            return names

        return walk(self.route.dependant)

    @property
    def filters_by_victim(self) -> bool:
        """Whether a query parameter of the route can name something of the victim."""
        return bool(self.query_names & VICTIM_QUERY)

    @property
    def own_account(self) -> bool:
        """An admin's own sign-in, sign-out, reset and profile: no platform in them."""
        return self.path in ADMIN_OWN_ACCOUNT or self.path.startswith("/admin/profile")

    @property
    def anonymous(self) -> bool:
        return self.frontend == "store" and self.path.rstrip("/").rsplit("/", 1)[-1] in ANONYMOUS_STORE


def app_routes(app) -> list[Route]:
    found = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            for method in sorted(context.methods or ()):
                if method not in ("HEAD", "OPTIONS"):
                    found.append(Route(method, context.path or "", context.original_route))
    return found


def path_value(name: str, route: Route, tenant: Tenant, platform: PlatformTenant) -> list[str] | None:
    """The victim's values for a path parameter (None: no rule for it)."""
    path, ids = route.path, tenant.ids
    before = path.split("{" + name, 1)[0]
    if name == "code":
        if "/templates/" in path:
            return [ids["template_code"]]
        return [tenant.store.code] if before.endswith(("/stores/", "/subscriptions/")) else [platform.platform.code]
    if name == "slug":
        if route.frontend == "platform":
            return [platform.ids["page_slug"]]
        if "/categories/" in before:
            return [ids["category_slug"]]
        if "/pages/" in before:
            return [ids["page_slug"]]
        return [ids["product_slug"]]
    if name == "number":
        if "/billing/invoices/" in path:
            return [ids["invoice_number"]]
        return [ids["number"], ids["guest_number"]]
    if name == "product_id":
        return [str(ids["product_id"]), str(ids["draft_product_id"])]
    if name == "page_id" and route.frontend == "admin":
        return [str(platform.ids["page_id"])]
    if name == "user_id":
        if "/loyalty/pins/" in before:  # a staff member's counter PIN
            return [str(getattr(tenant.owner, "id", 0))]
        return [str(platform.admin.id)]
    if name in ("language",):
        return ["en"]
    if name == "token" and "/marketplace/feed/" in before:  # the secret address of a store's feed
        return [ids["feed_token"]]
    if name == "module":
        return ["loyalty"]
    if name == "gateway":
        return ["bank_transfer"]
    if name == "serial":  # a wallet pass's serial number is its card's code
        return [ids["card_code"]]
    if name == "device":  # an Apple Wallet device library identifier (the device's own secret)
        return ["world-device"]
    if name == "pass_type":
        return [WORLD_PASS_TYPE]
    if name == "sitemap":  # a storefront's sitemap of one language: the same names in every store
        return ["fr-1.xml", "en-1.xml"]
    if name in ("table", "chart"):  # an analytics report's table (CSV) or chart (SVG)
        return ["sales", "vat"]
    if name == "task_id":  # a background task of the installation's queue: names no tenant's thing
        return ["world-task"]
    if name in ids:
        return [str(ids[name])]
    return None


def unmapped(routes: list[Route]) -> list[str]:
    """The path parameters no rule of ``path_value`` fills (checked without a world)."""
    from types import SimpleNamespace

    somewhere = SimpleNamespace(code="somewhere", id=0)
    tenant = Tenant(tag="t", platform=somewhere, store=somewhere, ids={name: name for name in TENANT_IDS})
    platform = PlatformTenant(tag="p", platform=somewhere, ids={"page_id": 0, "page_slug": "page"}, admin=somewhere)
    return sorted({f"{{{name}}} in {r.method} {r.path}" for r in routes for name in r.params
                   if name != "store_code" and path_value(name, r, tenant, platform) is None})


VICTIM_QUERY = {"q", "search", "category", "category_id", "customer", "parent", "store", "who", "platform"}


def query_values(victim: Tenant, platform: PlatformTenant) -> dict[str, Any]:
    """Query parameters naming the victim's things: a search term matching only the victim's
    records (its store code is a word of its product's description, its customer's name, its
    SKUs), filters by its ids."""
    ids = victim.ids
    return {"q": victim.store.code, "search": victim.store.code, "category": ids["category_slug"],
            "category_id": ids["category_id"], "customer": ids["customer_id"], "parent": ids["category_id"],
            "store": victim.store.code, "who": victim.owner.id, "platform": platform.platform.code}


# -- bodies ------------------------------------------------------------------------------------


def field_values(victim: Tenant, platform: PlatformTenant, token: str | None) -> dict[str, Any]:
    """Form and JSON fields, filled with the victim's ids where a field names a thing."""
    ids = victim.ids
    return {
        "sku": ids["sku"], "quantity": 1, "product_id": ids["product_id"], "category_id": ids["category_id"],
        "parent_id": ids["category_id"], "customer_id": ids["customer_id"], "address_id": ids["address_id"],
        "segment_id": ids["segment_id"], "conversation_id": ids["conversation_id"], "role_ids": [ids["role_id"]],
        "membership_id": ids["membership_id"], "invitation_id": ids["invitation_id"], "image_id": ids["image_id"],
        "merchant_id": ids["merchant_id"], "platform": platform.platform.code,
        "platforms": [platform.platform.code], "id": ids["product_id"], "order_number": ids["number"],
        "number": ids["number"], "page_id": ids["page_id"], "payment_id": ids["payment_id"],
        "email": "walker@example.com", "name": "Walker", "full_name": "Walker", "first_name": "Walker",
        "last_name": "Walk", "title": "Walked", "subject": "Walked", "body": "Walked here", "text": "Walked here",
        "message": "Walked here", "note": "Walked here", "reason": "tenant isolation walk", "slug": "walked",
        "code": "walked", "to": "cancelled", "status": "draft", "threshold": 3, "position": 0, "price_cents": 100,
        "price": "1.00", "language": "en", "default_language": "en", "languages": ["en"], "role": "staff",
        "payment_method": "bank_transfer", "shipping_method": "delivery", "billing_same": True,
        "idempotency_key": "walk-key-000001", "address": dict(ADDRESS), "next": "", "expected": "",
        "location": "", "receive": 1, "enabled": True, "token": token or "", "new_password": "walker-password-1",
        "repeat_password": "walker-password-1", "preferred_language": "en",
    }


def _plain(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def sample(annotation: Any, name: str, values: dict[str, Any]) -> Any:
    """A plausible value of ``annotation`` for field ``name``: the victim's where the name says."""
    annotation = _plain(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        choices = typing.get_args(annotation)
        return values.get(name) if values.get(name) in choices else choices[-1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {key: sample(info.annotation, key, values) for key, info in annotation.model_fields.items()}
    if name in values:
        return values[name]
    if origin in (list, tuple, set):
        return [sample(typing.get_args(annotation)[0], name, values)]
    if origin is dict:
        return {"en": sample(typing.get_args(annotation)[1], name, values)}
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation)).value
    if annotation is bool:
        return True
    if annotation is int:
        return 1
    return "walked"


def request_body(route: Route, values: dict[str, Any], csrf: str) -> dict[str, Any]:
    """``json=`` for the API, ``data=`` (with the CSRF field) for pages."""
    params = route.route.dependant.body_params
    if route.path.startswith(("/api/", "/_sf/api/", "/_pf/api/")) and not any(
            type(p.field_info).__name__ == "Form" for p in params):
        if len(params) == 1:
            return {"json": sample(params[0].field_info.annotation, params[0].name, values)}
        return {"json": {p.name: sample(p.field_info.annotation, p.name, values) for p in params}}
    form: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            form.update({f"{key}.{k}": v for k, v in value.items()})
        elif isinstance(value, bool):
            form[key] = "1" if value else ""
        elif isinstance(value, list):
            form[key] = [str(v) for v in value]
        else:
            form[key] = str(value)
    for p in params:
        form[p.name] = sample(p.field_info.annotation, p.name, values)
        if isinstance(form[p.name], list):
            form[p.name] = [str(v) for v in form[p.name]]
        else:
            form[p.name] = str(form[p.name])
    form["csrf_token"] = csrf
    return {"data": form}


# -- the database, by tenant -------------------------------------------------------------------


Owner = tuple[str, int]


def snapshot(db) -> dict[tuple[str, tuple], dict[str, Any]]:
    """Every row of every table, by (table, primary key). Only the tables this database has:
    a test of an external module run earlier in this process leaves its tables in the metadata."""
    db.rollback()
    present = set(sa_inspect(db.get_bind()).get_table_names())
    rows: dict[tuple[str, tuple], dict[str, Any]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            continue
        keys = [c.name for c in table.primary_key.columns]
        for row in db.execute(select(table)).mappings():
            rows[(table.name, tuple(row[k] for k in keys))] = dict(row)
    db.rollback()
    return rows


class Owners:
    """Whose a row is: its store (or platform), and the customer it concerns, through the
    row's own ``store_id``/``platform_id`` or its foreign keys."""

    def __init__(self, rows: dict[tuple[str, tuple], dict[str, Any]]) -> None:
        self.rows = rows
        self.tables = {t.name: t for t in Base.metadata.sorted_tables}
        self.memo: dict[tuple[str, tuple], tuple[Owner | None, int | None]] = {}
        self.members: dict[int, Owner] = {}
        for (name, _key), row in rows.items():
            if name == "store_memberships":
                self.members[row["user_id"]] = ("store", row["store_id"])
            elif name == "admin_platforms":
                self.members.setdefault(row["user_id"], ("platform", row["platform_id"]))

    def of(self, key: tuple[str, tuple], row: dict[str, Any] | None = None) -> tuple[Owner | None, int | None]:
        if key in self.memo:
            return self.memo[key]
        row = row if row is not None else self.rows.get(key)
        name = key[0]
        owner: Owner | None = None
        customer: int | None = None
        if row is None:
            return None, None
        self.memo[key] = (None, None)  # cycles (categories' parents)
        if name == "stores":
            owner = ("store", row["id"])
        elif name == "platforms":
            owner = ("platform", row["id"])
        elif name == "users":
            owner = self.members.get(row["id"])
        elif row.get("store_id") is not None:
            owner = ("store", row["store_id"])
        elif row.get("platform_id") is not None:
            owner = ("platform", row["platform_id"])
        if name == "customers":
            customer = row["id"]
        elif "customer_id" in row:
            customer = row["customer_id"]
        for fk in self.tables[name].foreign_keys:
            if owner is not None and (customer is not None or name in ("customers", "stores")):
                break
            if fk.column.table.name == "users" and name not in ("user_sessions", "login_tokens",
                                                                "admin_platforms", "store_memberships"):
                continue
            value = row.get(fk.parent.name)
            if value is None:
                continue
            parent_owner, parent_customer = self.of((fk.column.table.name, (value,)))
            owner = owner or parent_owner
            customer = customer if customer is not None else parent_customer
        self.memo[key] = (owner, customer)
        return owner, customer

    def platform_of(self, owner: Owner | None) -> int | None:
        if owner is None:
            return None
        if owner[0] == "platform":
            return owner[1]
        store = self.rows.get(("stores", (owner[1],)))
        return store["platform_id"] if store else None

    def links(self, key: tuple[str, tuple], row: dict[str, Any]) -> list[str]:
        """Foreign keys of the row pointing at another store's row, or at another platform's."""
        owner, _ = self.of(key, row)
        found = []
        if owner is None:
            return found
        for fk in self.tables[key[0]].foreign_keys:
            value = row.get(fk.parent.name)
            if value is None or fk.column.table.name in ("users", "platforms") or (
                    key[0] == "stores" and fk.parent.name == "id"):
                continue
            parent_owner, _ = self.of((fk.column.table.name, (value,)))
            if parent_owner is None or parent_owner == owner:
                continue
            other_store = owner[0] == "store" and parent_owner[0] == "store"
            if other_store or self.platform_of(parent_owner) != self.platform_of(owner):
                found.append(f"{key[0]} {key[1]}: {fk.parent.name}={value} -> {fk.column.table.name} "
                             f"of {parent_owner}, the row is {owner}'s")
        return found


# -- the walk ----------------------------------------------------------------------------------


@dataclass
class Walk:
    identity: Identity
    world: World
    requests: int = 0
    routes: set[str] = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    renewed: Counter = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)
    seen: set = field(default_factory=set)
    token_paths: set[str] = field(default_factory=set)

    def forbidden(self, url_tenant: Tenant | None, url_platform: str | None, frontend: str) -> list[str]:
        """Markers this answer must not show."""
        marks = []
        me = self.identity
        for tenant in self.world.tenants.values():
            own = tenant.store.code == me.home.store.code or (
                me.name == "admin" and tenant.platform.code in me.own_platforms)
            for kind in KINDS:
                if own and kind in me.own_kinds:
                    if me.name == "customer" and kind == "shop" and url_tenant is not None and (
                            url_tenant is not tenant and frontend == "storefront"):
                        marks.append(mark(kind, tenant.tag))  # her account shown at another store
                    continue
                if kind == "pub" and (url_tenant is tenant or (
                        frontend == "platform" and url_platform == tenant.platform.code)):
                    continue  # its public face, at its own address
                if kind == "pub" and own:
                    continue
                marks.append(mark(kind, tenant.tag))
        for code in ("p1", "p2"):
            if code in me.own_platforms and me.name in ("admin",):
                continue
            marks.append(mark("priv", code))
            if code not in me.own_platforms and url_platform != code:
                marks.append(mark("pub", code))
        return marks


def _url(route: Route, store_tenant: Tenant, platform_code: str) -> str:
    path = route.path
    if route.frontend == "storefront":
        return f"/platforms/{platform_code}/storefront/{store_tenant.store.code}" + path[len("/_sf"):]
    if route.frontend == "platform":
        return f"/platforms/{platform_code}" + path[len("/_pf"):]
    return path.replace("{store_code}", store_tenant.store.code)


def _fill(url: str, route: Route, victim: Tenant, platform: PlatformTenant) -> list[str]:
    names = [n for n in route.params if n != "store_code"]
    choices = [path_value(n, route, victim, platform) for n in names]
    if None in choices:
        raise AssertionError(f"no value for a parameter of {route.method} {route.path}: see path_value")
    filled = []
    for combo in itertools.product(*choices):
        value = url
        for name, chosen in zip(names, combo, strict=True):
            value = re.sub(r"{" + name + r"(?::\w+)?}", chosen, value, count=1)
        filled.append(value)
    return filled


PRIVATE_PARAMS = {"number", "customer_id", "address_id", "conversation_id", "payment_id"}
"""Storefront path parameters naming what only one shopper may open (a storefront shows the rest,
published products, pictures and pages, to everybody)."""


@dataclass(frozen=True)
class Variant:
    """One way to call a route against a victim: where (the store and platform the URL names)
    and whether the answer must be a refusal (why, if so)."""

    template: str
    url_tenant: Tenant | None
    url_platform: str | None
    must_refuse: str | None
    fields: tuple[tuple[str, Any], ...] = ()
    """Form or JSON fields put over the victim-flavoured ones; with them, only a 4xx passes."""
    tokens_at_home: bool = False
    """Send the walker's link tokens at their own address too (the other shopper's order)."""


STANDING = {"staff": {"store"}, "customer": {"storefront"}, "guest": {"storefront"}, "admin": {"admin", "store"}}
"""The frontends where an identity is somebody. Elsewhere it is a stranger (a shopper on the
dashboard, the owner on the admin) or an anonymous visitor (staff and admins on a storefront,
where the customer and the guest walk every victim): one victim, the one on the other platform,
is enough there; on the dashboard and the admin, at its address only."""


def variants(route: Route, me: Identity, victim: Tenant, main_code: str) -> list[Variant]:
    private = bool(set(route.params) & PRIVATE_PARAMS)
    same_platform = victim.platform.code == me.home.platform.code
    found = []
    stranger = route.frontend in ("store", "admin", "storefront") and route.frontend not in STANDING[me.name]
    if stranger and victim is not me.victims[-1]:
        return []
    if stranger and route.frontend != "storefront":
        refuse = None if route.anonymous or route.own_account else f"a stranger reached the {route.frontend}"
        return [Variant(_url(route, victim, victim.platform.code), victim, victim.platform.code, refuse)]
    if route.frontend in ("storefront", "platform", "store"):
        if route.frontend == "store" and not route.anonymous:
            refuse = "another store's dashboard answered"
        elif route.frontend == "storefront" and private:
            refuse = "another store's customer or order answered"
        else:
            refuse = None
        found.append(Variant(_url(route, victim, victim.platform.code), victim, victim.platform.code, refuse))
        if (route.names_victim or route.filters_by_victim or route.method != "GET") and not (
                route.frontend == "platform" and same_platform):
            refuse = "a victim's id under the walker's own address answered" if route.names_victim else None
            found.append(Variant(_url(route, me.home, me.home.platform.code), me.home, me.home.platform.code, refuse))
        if route.frontend == "storefront" and not same_platform:
            found.append(Variant(_url(route, victim, me.home.platform.code), None, me.home.platform.code,
                                 "a store served under another platform"))
        if route.frontend == "platform" and route.names_victim:
            found.append(Variant(route.path[len("/_pf"):] or "/", None, main_code,
                                 "another platform's page served at the main platform"))
    else:
        refuse = None
        if route.frontend == "admin" and me.name == "admin" and not route.own_account and (
                "{" in route.path or route.method != "GET"):
            refuse = "the admin reached another platform's thing"
        found.append(Variant(route.path, None, None, refuse))
        if route.frontend == "admin" and me.name == "admin" and not route.own_account and (
                route.params or route.method != "GET"):
            # With the admin's own platform picked: the victim's ids in the path (its page, its
            # e-mail, its admin) or in the form (its merchant for a new store of the admin's own).
            found.append(Variant(route.path, None, me.home.platform.code, refuse if route.names_victim else None))
    return found


OTHER_SHOPPER_PARAMS = {"number", "address_id", "conversation_id", "customer_id"}


def walk_identity(client, orion_app, world: World, identity: Identity, factories, db) -> Walk:
    walk = Walk(identity, world)
    me = identity
    routes = app_routes(orion_app)
    walk.token_paths = {r.path for r in routes if "token" in r.query_names}
    for route in routes:
        for victim in me.victims:
            platform = world.platforms[victim.platform.code]
            for variant in variants(route, me, victim, world.main.code):
                for url in _fill(variant.template, route, victim, platform):
                    _call(client, walk, route, url, victim, platform, variant, factories, db)
    if me.name == "customer":
        # Her own e-mail address and password, at the other stores' sign-in.
        credentials = (("email", me.home.ids["customer_email"]), ("password", CUSTOMER_PASSWORD))
        for route in routes:
            if route.method == "POST" and route.path in ("/_sf/account/login", "/_sf/api/v1/customers/session"):
                for victim in me.victims:
                    platform = world.platforms[victim.platform.code]
                    for url_platform in {victim.platform.code, me.home.platform.code}:
                        variant = Variant(_url(route, victim, url_platform), victim, url_platform,
                                          "her password opened an account at another store", credentials)
                        _call(client, walk, route, variant.template, victim, platform, variant, factories, db)
    if me.name in ("customer", "guest"):
        # The other shopper of the same store: her order (and, for the guest, her account's things).
        other = Tenant(tag=me.home.tag, platform=me.home.platform, store=me.home.store, owner=me.home.owner,
                       ids={**me.home.ids, "guest_number": me.home.ids["number" if me.name == "guest"
                                                                        else "guest_number"]})
        other.ids["number"] = other.ids["guest_number"]
        platform = world.platforms[me.home.platform.code]
        for route in routes:
            names = set(route.params) & OTHER_SHOPPER_PARAMS
            if route.frontend == "storefront" and names and (me.name == "guest" or names == {"number"}):
                variant = Variant(_url(route, me.home, me.home.platform.code), me.home, me.home.platform.code,
                                  "another shopper's order or account answered", tokens_at_home=True)
                for url in _fill(variant.template, route, other, platform):
                    _call(client, walk, route, url, other, platform, variant, factories, db)
    return walk


THROTTLED = re.compile(r"/(login|session|password|reset|forgot|confirm|join)$")
"""Routes guarded by the sign-in throttle: its count is cleared before each, so that the walk's
earlier wrong passwords do not turn every later try into a 429."""


def _forget_sign_in_attempts(db) -> None:
    from sqlalchemy import delete

    from orion_server.models import SignInAttempt

    db.rollback()
    db.execute(delete(SignInAttempt))
    db.commit()


def _strings(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list | tuple | set):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return {str(value)} if isinstance(value, str) else set()


def _call(client, walk: Walk, route: Route, url: str, victim: Tenant, platform: PlatformTenant,
          variant: Variant, factories, db) -> None:
    """The request, once per token the walker holds where the route reads one (a link's page, and
    the form it posts), away from the walker's own address (where their links are theirs to use)."""
    reads_token = route.path in walk.token_paths
    away = variant.url_tenant is not walk.identity.home or variant.tokens_at_home
    tokens = walk.identity.tokens if reads_token and away else []
    for token in tokens or [None]:
        _call_once(client, walk, route, url, victim, platform, variant, factories, db, token)


def _call_once(client, walk: Walk, route: Route, url: str, victim: Tenant, platform: PlatformTenant,
               variant: Variant, factories, db, token: str | None) -> None:
    me = walk.identity
    url_tenant, url_platform = variant.url_tenant, variant.url_platform
    names = route.query_names
    values = query_values(victim, platform)
    own_platform = route.frontend == "admin" and url_platform is not None
    if own_platform:
        values["platform"] = url_platform
    query = {k: v for k, v in values.items() if k in names or (k == "platform" and route.frontend == "admin")}
    query["lang"] = "en"
    if token:
        query["token"] = token
    if route.method == "GET":
        key = (url, tuple(sorted(query.items())))
        if key in walk.seen:
            return
        walk.seen.add(key)
    headers = {"accept-language": "en", CSRF_HEADER: me.csrf, "Idempotency-Key": "walk-key-000001"}
    kwargs: dict[str, Any] = {}
    if route.method != "GET":
        fields = field_values(victim, platform, token)
        if own_platform:
            fields.update(platform=url_platform, platforms=[url_platform])
        fields.update(variant.fields)
        kwargs = request_body(route, fields, me.csrf)
    client.cookies.clear()
    for name, value in me.cookies.items():
        client.cookies.set(name, value)
    rate_limits.reset()
    if THROTTLED.search(route.path):
        _forget_sign_in_attempts(db)
    response = client.request(route.method, url, params=query, headers=headers, follow_redirects=False, **kwargs)
    walk.requests += 1
    walk.routes.add(f"{route.method} {route.path}")
    status = response.status_code
    walk.statuses[status] += 1
    shown_url = response.request.url.raw_path.decode()
    where = f"[{me.name} vs {victim.store.code}] {route.method} {shown_url} -> {status}"
    errors = re.findall(r'class="(?:error|flash[^"]*)"[^>]*>([^<]+)<', response.text)
    location = response.headers.get("location", "")
    walk.log.append(f"{where} {location} {errors or response.text[:160]!r}")
    if status >= 500:
        walk.failures.append(f"{where}: server error")
    text = response.text.lower() if "image/" not in response.headers.get("content-type", "") else ""
    text += " " + location.lower()
    for sent in sorted(_strings(kwargs) | _strings(query), key=len, reverse=True):
        if len(sent) >= 6:
            text = text.replace(sent.lower(), " ")  # what the walker typed, shown back to them
    shown = [m for m in walk.forbidden(url_tenant, url_platform, route.frontend) if m in text]
    if shown:
        walk.failures.append(f"{where}: shows {shown}")
    if variant.fields and status not in REFUSED:
        walk.failures.append(f"{where}: {variant.must_refuse}")
    elif variant.must_refuse and (200 <= status < 300 or (
            route.method == "GET" and 300 <= status < 400 and not re.search(r"login|support-access", location))):
        walk.failures.append(f"{where}: {variant.must_refuse}")
    if route.method != "GET" and not _still_signed_in(me, db):  # signed out, support access ended
        walk.renewed[f"{route.method} {route.path}"] += 1
        _sign_in(me, factories, db)


# -- checks after the walk ---------------------------------------------------------------------


SHOPPER_TABLES = {"carts", "cart_lines", "stock_items", "stock_reservations", "customer_number_counters",
                  "order_number_counters", "event_outbox", "event_deliveries"}
"""What a shopper's own cart and checkout change at their store, whoever else is served there."""
ANYBODYS = {"carts", "cart_lines"}
"""What anybody adds at any storefront: a cart."""
ADDED_FOR_SHOPPERS = {"orders", "order_lines", "order_status_history", "payments", "notifications",
                      "email_outbox", "audit_log", "customers", "customer_sessions"}
"""Records a shopper's own order, sign-up or message adds at their store (for the staff to see)."""


def compare(walk: Walk, before: dict, after: dict) -> list[str]:
    """What the walk changed outside the walker's own tenancy (and, for a shopper, outside their
    own records at their store); what it changed holds no victim's marker and points at no other
    store's rows."""
    me, world = walk.identity, walk.world
    owners_before, owners_after = Owners(before), Owners(after)
    own_stores = {t.store.id for t in world.tenants.values() if t.store.code in me.own_stores}
    own_platforms = {p.platform.id for code, p in world.platforms.items() if code in me.own_platforms}
    known_customers = {row["id"] for (name, _), row in before.items() if name == "customers"}
    own_customers = set()
    if me.name == "customer":
        own_customers.add(me.home.ids["customer_id"])
    if me.name == "guest":
        own_customers |= {row["customer_id"] for (name, _), row in before.items()
                          if name == "orders" and row["number"] == me.home.ids["guest_number"]}

    def allowed(owner: Owner | None, customer: int | None, table: str, what: str) -> bool:
        if owner is None:
            return True  # nobody's: sign-in attempts, the revision counter
        if what == "added" and table in ANYBODYS:
            return True
        kind, oid = owner
        if me.name == "admin":  # the platform's stores, even one the walk made
            return (owners_after if what == "added" else owners_before).platform_of(owner) in own_platforms
        if me.name == "staff":
            return kind == "store" and oid in own_stores
        if kind != "store" or oid not in own_stores:
            return False
        if table in SHOPPER_TABLES:
            return True
        if customer is not None:
            return customer in own_customers or (what == "added" and customer not in known_customers)
        return what == "added" and table in ADDED_FOR_SHOPPERS

    problems: list[str] = []
    forbidden = set(walk.forbidden(None, None, "store"))
    whose = {mark(kind, t.tag): ("store", t.store.id) for t in world.tenants.values() for kind in KINDS}
    whose |= {mark(kind, code): ("platform", p.platform.id) for code, p in world.platforms.items() for kind in KINDS}
    for key in sorted(set(before) | set(after), key=str):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        owner, customer = owners_before.of(key) if old is not None else owners_after.of(key)
        what = "changed" if old is not None and new is not None else ("deleted" if new is None else "added")
        if not allowed(owner, customer, key[0], what):
            problems.append(f"{key[0]} {key[1]} of {owner} (customer {customer}) {what}: {_diff(old, new)}")
        if new is not None:
            text = " ".join(str(v) for v in new.values()).lower()
            shown = sorted(m for m in forbidden if m in text and whose[m] != owner)
            if shown:
                problems.append(f"{key[0]} {key[1]} {what} holds {shown}: {new}")
            problems += owners_after.links(key, new)
    return problems


def _diff(old: dict | None, new: dict | None) -> str:
    if old is None or new is None:
        return str(old or new)
    return ", ".join(f"{k}: {old[k]!r} -> {new.get(k)!r}" for k in old if old[k] != new.get(k))


# -- what the walker sees of their own, while the victims get busy ------------------------------


TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?|\b\d\d?:\d\d(:\d\d)?\b")
"""Moments (ISO and clock times): what a page says of *when* is no tenant's figure."""
LIVE_READINGS = {"/admin/monitoring/health", "/admin/monitoring/tasks", "/admin/monitoring/logs"}
"""Pages that read the machine now (database answer time, free disk, tasks waiting and run, the
installation's log records): no tenant's figure either, so only their status is compared."""


def hold_mail(db) -> None:
    """Put every queued e-mail's next attempt a day off: the mail worker, woken by any request
    that sends one, retries every platform's due mail, which would move rows nobody walked to."""
    from datetime import timedelta

    from sqlalchemy import update

    from modules.messaging.models import EmailOutbox
    from orion_server.database import utcnow

    db.rollback()
    db.execute(update(EmailOutbox).where(EmailOutbox.status == "queued")
               .values(next_attempt_at=utcnow() + timedelta(days=1)))
    db.commit()


def own_views(client, orion_app, me: Identity) -> dict[str, str]:
    """Every page and API the walker opens at their own address on their frontends (and the
    platform's pages) that names no record: lists, dashboards, figures, the storefront's pages and
    search, as they read now."""
    seen = {}
    frontends = STANDING[me.name] | {"platform"}
    for route in app_routes(orion_app):
        if route.method != "GET" or route.frontend not in frontends or set(route.params) - {"store_code"}:
            continue
        url = _url(route, me.home, me.home.platform.code)
        client.cookies.clear()
        for name, value in me.cookies.items():
            client.cookies.set(name, value)
        response = client.get(url, params={"lang": "en"}, follow_redirects=False)
        body = "" if route.path in LIVE_READINGS else TIMESTAMP.sub("<time>", response.text)
        seen[url] = f"{response.status_code} {response.headers.get('location', '')} " + body
    return seen


def stir(db, factories, me: Identity, world: World) -> None:
    """New private records for every victim store (a customer, a paid order, a draft product, a
    conversation, a notification) and every platform not the walker's (a merchant, a store, a
    draft page). None of it may change what the walker sees of their own."""
    from modules.cms.services import content_page_service
    from modules.messaging.services import conversation_service, notification_service
    from orion_server.tenancy import tenancy_service

    db.rollback()
    for victim in me.victims:
        priv, shop = mark("priv", victim.tag), mark("shop", victim.tag)
        store = db.merge(victim.store)
        customer = factories.customer(store, email=f"stirred.{shop}@example.com", first_name=f"{shop} Stirred")
        factories.order(store, paid=True, customer={"email": customer.email, "name": f"{shop} Stirred",
                                                    "language": "en", "id": customer.id})
        factories.product(store, f"{store.code}-stirred", stock=1, status="draft", titles={"en": f"{priv} Stirred"},
                          sku=f"{store.code.upper()}-STIRRED")
        conversation_service.start(db, customer=customer, subject=f"{shop} stirred", body=f"{shop} stirred body")
        notification_service.notify_staff(db, store_id=store.id, kind="walk", title=f"{priv} stirred notice")
    for code, platform in world.platforms.items():
        if code in me.own_platforms:
            continue
        priv = mark("priv", code)
        merchant = tenancy_service.create_merchant(db, platform_code=code, name=f"{priv} Stirred Merchant")
        tenancy_service.create_store(db, platform_code=code, code=f"{code}-stirred", name=f"{priv} Stirred Shop",
                                     merchant_id=merchant.id)
        content_page_service.create_page(db, platform_id=platform.platform.id, slug=f"{code}-stirred",
                                         translations={"en": {"title": f"{priv} Stirred", "body": "Draft"}})
    db.commit()


def moved(before: dict[str, str], after: dict[str, str]) -> list[str]:
    problems = []
    for url, old in before.items():
        new = after.get(url, "")
        if new != old:
            at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
            problems.append(f"{url} changed when only other tenants did: {old[max(0, at - 80):at + 80]!r} -> "
                            f"{new[max(0, at - 80):at + 80]!r}")
    return problems


# -- the tests ---------------------------------------------------------------------------------


FIGURES: dict[str, dict[str, Any]] = {}


@pytest.fixture(scope="module", autouse=True)
def _figures():
    """The totals of the walks this process ran, at the end of the module (``-s`` shows them;
    under xdist each worker prints its share)."""
    yield
    walks = {who: f for who, f in FIGURES.items() if who != "parameters"}
    if walks:
        routes = set().union(*(f["route_set"] for f in walks.values()))
        print(f"\ntenant isolation: {len(routes)} routes walked, "
              f"{sum(f['requests'] for f in walks.values())} requests, "
              f"{sum(f['own_views'] for f in walks.values())} own views compared before and after the "
              f"victims changed, {len(walks)} identities ({', '.join(sorted(walks))})"
              + (f", {FIGURES['parameters']}" if "parameters" in FIGURES else ""))


def test_every_path_parameter_is_mapped(orion_app):
    """A new route with a parameter no rule fills fails here, so it cannot slip past the walk."""
    routes = app_routes(orion_app)
    missing = unmapped(routes)
    names = {name for r in routes for name in r.params}
    FIGURES["parameters"] = f"{len(names)} path parameter names mapped, {len(missing)} unmapped"
    assert missing == [], "path parameters nobody fills: add the thing to the world and path_value"
    assert len(routes) > 250


@pytest.mark.parametrize("who", ["staff", "customer", "guest", "admin"])
def test_no_identity_reaches_another_tenant(who, client, orion_app, world, factories, db_session,
                                            record_property):
    """The walk of one identity (see the module's docstring), then the database and own views."""
    identity = _identity(who, world, factories, db_session)
    hold_mail(db_session)
    before = snapshot(db_session)
    walk = walk_identity(client, orion_app, world, identity, factories, db_session)
    after = snapshot(db_session)
    problems = walk.failures + compare(walk, before, after)
    hold_mail(db_session)
    mine = own_views(client, orion_app, identity)
    stir(db_session, factories, identity, world)
    problems += moved(mine, own_views(client, orion_app, identity))
    figures = {"routes": len(walk.routes), "requests": walk.requests, "renewed": sum(walk.renewed.values()),
               "statuses": dict(sorted(walk.statuses.items())), "route_set": walk.routes, "own_views": len(mine)}
    FIGURES[who] = figures
    line = (f"{who}: {figures['routes']} routes, {walk.requests} requests, {len(mine)} own views compared, victims "
            f"{[v.store.code for v in identity.victims]}, statuses {figures['statuses']}, "
            f"signed in again after {dict(walk.renewed)}")
    print(line)
    record_property("tenant_walk", line)
    if os.environ.get("TENANT_WALK_REPORT"):
        with open(os.environ["TENANT_WALK_REPORT"] + f".{who}", "w") as report:
            report.write("\n".join([line, *problems]))
        with open(os.environ["TENANT_WALK_REPORT"] + f".{who}.log", "w") as report:
            report.write("\n".join(walk.log))
    assert not problems, f"{line}\n" + "\n".join(problems[:200])
