"""Grow the demo bakery to ``--orders`` orders spread over the last two years (``make bench``).

Run inside an installation's environment after ``bench/store10k.py``:
``python bench/orders100k.py --orders 100000``. Orders are placed at times drawn over the last
two years (more of them lately, as a shop that grows), each with one to four lines of the
store's bench products (``B10K-…`` SKUs, titles and prices as the catalog has them), a guest
customer with a Luxembourg address, and a status that fits its age: the last two days' orders
wait for payment or are paid or being prepared, last week's are shipped, older ones delivered,
a few cancelled or refunded. Each order's history holds every step it went through.

The first ``--service`` orders (300) are placed through ``order_service.place_order`` and moved
on through ``change_status`` as staff would, announcements and all. Placing 100,000 that way
takes far longer than the benchmark should (each order is a write transaction with its events
delivered), so when the rest would take more than ``--budget`` seconds (180) they are copied in
bulk (``executemany``, in batches): every copy takes the lines, totals and VAT breakdown the
service worked out for one of the orders it placed, and its own number (the store's counter is
moved on in the same transaction), time, customer, address, status, status timestamps and
history. Works on SQLite and PostgreSQL (whose id sequence is moved past the copies).

Also makes the store's owner (``OWNER_EMAIL``) the benchmark signs in as. Prints ``{"orders",
"statuses", "through_service", "copied", "seconds", "owner_email", "owner_password"}`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from modules.analytics.services import aggregates  # noqa: E402
from modules.catalog.models import Product, ProductTranslation, Variant  # noqa: E402
from modules.orders.models import (  # noqa: E402
    Order,
    OrderLine,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
)
from modules.orders.services.order_service import (  # noqa: E402
    TIMESTAMPS,
    TRANSITIONS,
    format_number,
    order_service,
)
from orion_server.database import session_scope, utcnow  # noqa: E402
from orion_server.models import Platform, Store  # noqa: E402

PLATFORM = "demo"
STORE = "boulangerie-dupont"
OWNER_EMAIL = f"owner@{STORE}.lu"
OWNER_PASSWORD = "bench-owner-password-123"
"""The store owner the benchmark signs in as to measure the dashboard (``orion demo`` makes the
demo owners in development data only; the benchmark runs with production settings)."""
YEARS = 2
S = OrderStatus

FIRST = ["Marie", "Jean", "Luc", "Anne", "Paul", "Sophie", "Marc", "Claire", "Tom", "Laura", "Ben", "Julie", "Max",
         "Lena", "Nico", "Sarah", "Yves", "Carla", "Pit", "Mia"]
LAST = ["Weber", "Schmit", "Muller", "Wagner", "Hoffmann", "Thill", "Kieffer", "Schroeder", "Reuter", "Klein",
        "Majerus", "Braun", "Meyer", "Welter", "Becker", "Kremer", "Hansen", "Ries", "Faber", "Lentz"]
CITIES = [("L-1611", "Luxembourg"), ("L-4001", "Esch-sur-Alzette"), ("L-9002", "Ettelbruck"),
          ("L-3401", "Dudelange"), ("L-8001", "Strassen"), ("L-6401", "Echternach"), ("L-7201", "Walferdange")]
STREETS = ["rue de la Gare", "avenue de la Liberté", "rue Principale", "route d'Arlon", "rue du Marché",
           "boulevard Royal", "rue de l'Église"]
SHIPPING = [{"code": "flat", "label": "Livraison", "price_cents": 500, "vat_rate": 17},
            {"code": "pickup", "label": "Retrait en boutique", "price_cents": 0, "vat_rate": 17}]


# -- what each order is ------------------------------------------------------------------------


def placed_times(count: int, now: datetime, rng: random.Random) -> list[datetime]:
    """``count`` times over the last two years, oldest first, denser lately (a growing shop:
    the density rises linearly to twice the average today), none in the last minute."""
    span = YEARS * 365 * 86400 - 60
    return sorted(now - timedelta(seconds=60 + span * (1 - math.sqrt(rng.random()))) for _ in range(count))


def status_for(age: timedelta, rng: random.Random) -> str:
    """A status that fits an order this old."""
    roll = rng.random()
    if age < timedelta(days=2):
        table = ((0.25, S.PENDING_PAYMENT), (0.70, S.PAID), (0.95, S.PROCESSING), (1.0, S.CANCELLED))
    elif age < timedelta(days=7):
        table = ((0.05, S.PAID), (0.20, S.PROCESSING), (0.80, S.SHIPPED), (0.95, S.DELIVERED), (1.0, S.CANCELLED))
    else:
        table = ((0.89, S.DELIVERED), (0.96, S.CANCELLED), (0.99, S.REFUNDED), (1.0, S.SHIPPED))
    return next(status for bound, status in table if roll < bound)


def path_to(status: str, rng: random.Random) -> list[str]:
    """The statuses an order goes through to end in ``status``, its first one first: an order
    is placed waiting for a bank transfer or paid by card; a cancelled one is cancelled before
    or after payment, a refunded one once delivered."""
    if status == S.CANCELLED:
        return [S.PENDING_PAYMENT, S.CANCELLED] if rng.random() < 0.6 else [S.PAID, S.CANCELLED]
    if status == S.REFUNDED:
        return [S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED, S.REFUNDED]
    chain = [S.PENDING_PAYMENT, S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED]
    start = 0 if status == S.PENDING_PAYMENT or rng.random() < 0.3 else 1
    path = chain[start:chain.index(status) + 1]
    assert all(b in TRANSITIONS[a] for a, b in zip(path, path[1:], strict=False)), path
    return path


def step_times(placed: datetime, steps: int, now: datetime) -> list[datetime]:
    """When each step after the first happened: hours to days apart, never in the future."""
    times, at = [], placed
    for gap_hours in (1, 20, 30, 48, 72)[:steps]:
        at = min(at + timedelta(hours=gap_hours), now)
        times.append(at)
    return times


def customer_for(n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A guest customer and their address, one of 400 (repeat customers)."""
    first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
    who = n % 400
    postal, city = CITIES[who % len(CITIES)]
    email = f"{first}.{last}{who}@example.lu".lower()
    customer = {"email": email, "name": f"{first} {last}", "phone": f"+352 621 {who:03d} {n % 1000:03d}",
                "language": ("fr", "de", "lb", "en")[who % 4]}
    address = {"name": f"{first} {last}", "street": f"{1 + who % 90}, {STREETS[who % len(STREETS)]}",
               "postal_code": postal, "city": city, "country": "LU"}
    return customer, address


def bench_lines(db: Session, store: Store, limit: int = 2000) -> list[dict[str, Any]]:
    """Order lines the bench products make: SKU, title as the cart writes it, price, VAT."""
    rows = db.execute(
        select(Variant.sku, Variant.options, Variant.price_cents, Product.price_cents, Product.vat_rate,
               ProductTranslation.title)
        .join(Product, Product.id == Variant.product_id)
        .join(ProductTranslation, (ProductTranslation.product_id == Product.id)
              & (ProductTranslation.language == store.default_language))
        .where(Variant.store_id == store.id, Variant.sku.like("B10K-%"))
        .order_by(Variant.id.desc()).limit(limit)
    ).all()
    if not rows:
        raise SystemExit("the store has no bench products (B10K-…): run bench/store10k.py first")
    lines = []
    for sku, options, variant_price, price, vat_rate, title in rows:
        shown = " / ".join(str(v) for v in (options or {}).values())
        lines.append({"sku": sku, "title": f"{title} ({shown})" if shown else title, "options": options or {},
                      "unit_price_cents": variant_price if variant_price is not None else price,
                      "vat_rate": vat_rate // 100})
    return lines


def order_spec(n: int, placed: datetime, now: datetime, lines: list[dict[str, Any]],
               rng: random.Random) -> dict[str, Any]:
    """Everything the ``n``-th order is placed with, and the statuses it goes through."""
    customer, address = customer_for(n)
    chosen = rng.sample(lines, rng.choice((1, 1, 2, 2, 2, 3, 4)))
    path = path_to(status_for(now - placed, rng), rng)
    return {
        "lines": [{**line, "quantity": rng.choice((1, 1, 1, 2, 2, 3, 6))} for line in chosen],
        "customer": customer,
        "addresses": {"shipping": address},
        "shipping": SHIPPING[1 if n % 5 == 0 else 0],
        "payment_method": "bank_transfer" if path[0] == S.PENDING_PAYMENT else "card",
        "placed_at": placed,
        "path": path,
    }


def ensure_owner(db: Session) -> None:
    """The store's owner, made once."""
    from orion_server.accounts import add_store_member, create_user
    from orion_server.models import User

    if db.scalar(select(User.id).where(User.email == OWNER_EMAIL)) is None:
        user = create_user(db, email=OWNER_EMAIL, password=OWNER_PASSWORD, full_name="Owner of the bench bakery")
        add_store_member(db, store_code=STORE, user_id=user.id, role="owner")
        db.commit()


# -- through the service -----------------------------------------------------------------------


def place(db: Session, store: Store, spec: dict[str, Any], now: datetime) -> Order:
    """One order as the shop makes it, moved on through its path, dated as the spec says."""
    path = spec["path"]
    order = order_service.create_order(
        db, store_id=store.id, status=path[0], actor="customer",
        **{k: v for k, v in spec.items() if k != "path"},
    )
    for status in path[1:]:
        order_service.change_status(db, order_id=order.id, store_id=store.id, to=status, actor="owner@bench")
    # the service dates moves now: date them as if they had happened over the order's life
    times = [spec["placed_at"], *step_times(spec["placed_at"], len(path) - 1, now)]
    stamps = {TIMESTAMPS[s]: at for s, at in zip(path, times, strict=True) if s in TIMESTAMPS}
    db.execute(update(Order).where(Order.id == order.id).values(
        **stamps, created_at=times[0], updated_at=times[-1]))
    history = db.scalars(select(OrderStatusChange.id).where(OrderStatusChange.order_id == order.id)
                         .order_by(OrderStatusChange.id)).all()
    for change_id, at in zip(history, times, strict=True):
        db.execute(update(OrderStatusChange).where(OrderStatusChange.id == change_id).values(created_at=at))
    db.commit()
    return order


# -- copies ------------------------------------------------------------------------------------

ORDER_COLUMNS = [column.key for column in Order.__table__.columns]
LINE_COLUMNS = [column.key for column in OrderLine.__table__.columns if column.key not in ("id", "order_id")]


def copy_rows(template: Order, lines: list[OrderLine], spec: dict[str, Any], *, order_id: int, sequence: int,
              prefix: str, now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of an order like ``template`` (its lines, totals and VAT) placed as ``spec`` says."""
    path, placed = spec["path"], spec["placed_at"]
    times = [placed, *step_times(placed, len(path) - 1, now)]
    customer, address = spec["customer"], spec["addresses"]["shipping"]
    order = {key: getattr(template, key) for key in ORDER_COLUMNS}
    order.update(
        id=order_id, sequence=sequence, number=format_number(prefix, sequence), status=path[-1],
        idempotency_key=None, customer_id=None, claimed_at=None, external_id=None, channel="direct",
        customer_email=customer["email"], customer_name=customer["name"], customer_phone=customer["phone"],
        customer_language=customer["language"], shipping_address=address, billing_address=address,
        payment_method_code=spec["payment_method"], placed_at=placed, created_at=placed, updated_at=times[-1],
        **{stamp: None for stamp in TIMESTAMPS.values()},
    )
    order.update({TIMESTAMPS[s]: at for s, at in zip(path, times, strict=True) if s in TIMESTAMPS})
    copied_lines = [{**{key: getattr(line, key) for key in LINE_COLUMNS}, "order_id": order_id} for line in lines]
    history = [{"order_id": order_id, "from_status": before, "to_status": status,
                "actor": "customer" if before is None else "owner@bench", "actor_user_id": None, "note": "",
                "created_at": at}
               for before, status, at in zip([None, *path[:-1]], path, times, strict=True)]
    return order, copied_lines, history


def copy_orders(db: Session, store: Store, templates: list[Order], specs: list[dict[str, Any]], now: datetime,
                *, batch: int = 5000, started: float) -> None:
    """Insert one order per spec, each copying a template's lines and totals, in batches."""
    lines_of = {order.id: list(order.lines) for order in templates}
    done = 0
    while done < len(specs):
        chunk = specs[done:done + batch]
        counter = db.scalars(select(OrderNumberCounter).where(OrderNumberCounter.store_id == store.id)
                             .with_for_update()).one()
        next_id = (db.scalar(select(func.max(Order.id))) or 0) + 1
        orders, lines, history = [], [], []
        for i, spec in enumerate(chunk):
            template = templates[(done + i) % len(templates)]
            order, order_lines, steps = copy_rows(template, lines_of[template.id], spec, order_id=next_id + i,
                                                  sequence=counter.last_number + 1 + i, prefix=counter.prefix, now=now)
            orders.append(order)
            lines += order_lines
            history += steps
        db.execute(insert(Order.__table__), orders)
        db.execute(insert(OrderLine.__table__), lines)
        db.execute(insert(OrderStatusChange.__table__), history)
        counter.last_number += len(chunk)
        if db.get_bind().dialect.name == "postgresql":
            # ids were given: the sequence moves past them with each batch (a run cut short
            # leaves a store the service can still add orders to), and the planner learns the
            # tables' new sizes (the foreign-key checks slowed batch after batch without)
            db.execute(text("SELECT setval(pg_get_serial_sequence('orders', 'id'), (SELECT max(id) FROM orders))"))
        db.commit()
        if db.get_bind().dialect.name == "postgresql":
            with db.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE orders, order_lines, order_status_history"))
        done += len(chunk)
        print(f"  copied {done:,} orders ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--orders", type=int, default=100_000, help="orders the store should have (default 100,000)")
    parser.add_argument("--service", type=int, default=300,
                        help="orders placed through the service at least, the templates of copies (default 300)")
    parser.add_argument("--budget", type=float, default=180.0,
                        help="place every order through the service if that takes at most this long (s, default 180)")
    args = parser.parse_args()
    rng = random.Random(17)
    started = time.monotonic()
    now = utcnow()
    through_service = copied = 0
    with session_scope() as db:
        platform = db.scalars(select(Platform).filter_by(code=PLATFORM)).one()
        store = db.scalars(select(Store).filter_by(code=STORE, platform_id=platform.id)).one()
        ensure_owner(db)
        have = db.scalar(select(func.count()).select_from(Order).where(Order.store_id == store.id)) or 0
        need = max(0, args.orders - have)
        catalog = bench_lines(db, store)
        specs = [order_spec(have + i, at, now, catalog, rng) for i, at in enumerate(placed_times(need, now, rng))]
        templates: list[Order] = []
        for spec in specs[:args.service]:
            templates.append(place(db, store, spec, now))
            through_service += 1
        rest = specs[through_service:]
        if rest:
            per_order = (time.monotonic() - started) / max(through_service, 1)
            if per_order * len(rest) <= args.budget:
                for spec in rest:
                    place(db, store, spec, now)
                    through_service += 1
            else:
                print(f"  {through_service} orders through the service at {per_order * 1000:.0f} ms each; "
                      f"copying the other {len(rest):,}", file=sys.stderr, flush=True)
                db.commit()
                templates = list(db.scalars(select(Order).where(Order.id.in_([t.id for t in templates]))))
                copy_orders(db, store, templates, rest, now, started=started)
                copied = len(rest)
        if copied and db.get_bind().dialect.name == "postgresql":
            # what autovacuum would have done to a table grown over two years: statistics for
            # the planner, and the visibility map that lets counts read the index alone
            with db.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                for table in ("orders", "order_lines", "order_status_history"):
                    connection.execute(text(f"VACUUM ANALYZE {table}"))
        # what analytics' periodic task does for a store it has not built yet (the benchmark's
        # server runs no task consumer): the daily figures the report pages read
        built = time.monotonic()
        days = aggregates.rebuild_store(db, store_id=store.id)
        print(f"  analytics: {days} days of daily figures built in {time.monotonic() - built:.1f} s",
              file=sys.stderr, flush=True)
        total = db.scalar(select(func.count()).select_from(Order).where(Order.store_id == store.id)) or 0
        statuses = dict(db.execute(select(Order.status, func.count()).where(Order.store_id == store.id)
                                   .group_by(Order.status)).all())
    print(json.dumps({"orders": total, "statuses": statuses, "through_service": through_service, "copied": copied,
                      "seconds": round(time.monotonic() - started, 1), "owner_email": OWNER_EMAIL,
                      "owner_password": OWNER_PASSWORD}))


if __name__ == "__main__":
    main()
