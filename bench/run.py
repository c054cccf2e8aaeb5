"""``make bench``: Orion's storefront against the bare stack, on a store of 10,000 products; its dashboard.

The machine is shared and noisy, so absolute figures mean little: each page is measured
against a floor in the same run, on the same data (``bench/floor.py``: FastAPI, SQLAlchemy and
Jinja2 with nothing else, doing the least each page needs, padded to the same bytes), both
served by uvicorn with two workers and loaded by ``wrk`` on 127.0.0.1, the floor then Orion,
page after page.

1. Builds an installation (``orion init``, ``orion demo``, then the demo bakery grown to
   ``--products`` products through the catalog service: ``bench/store10k.py``). SQLite by
   default; ``--database-url`` for PostgreSQL (the database there is made anew). ``--data DIR``
   keeps the installation for the next run, which reuses it. The bakery then gets ``--orders``
   orders (100,000) over the last two years and an owner (``bench/orders100k.py``).
2. Starts ``orion serve --workers 2 --no-worker`` with production settings and the floor.
3. For each storefront page (home, listing, category, search for a word most products contain
   and for a rare one, product page), ``wrk`` with ``--connections`` (32) for ``--seconds`` (15)
   against the floor, then against Orion: requests/s, p50, p99 and the ratios. Then ``/health``
   against the floor's ``/ping``; the cart API adding a line to a new cart each time (against the
   floor's listing). Then the store dashboard, signed in as the owner, at 4 connections: the
   products list and the orders list (first page, newest first; and filtered by a status),
   each to answer in under 100 ms at p50; the analytics sales report of the last 30 days and of
   a year by week and the year's VAT report, each in under 300 ms at p50 and p99. Then placing orders (shoppers in threads: a cart,
   then the order), reported. Then writing the bakery's Letzshop feed, every published variant in
   en, fr and de, and importing 2,000 of its rows into the demo bookshop, twice (rows/s created,
   rows/s unchanged) (``bench/feed_export.py``; ``--feed-only`` measures only that).
4. The largest resident memory of Orion's workers after the load; cold start to
   ``/health/ready`` (``--starts`` times, killed in between); prints one table and writes the
   figures as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.campaign import checkout_form  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

CSRF = "bench-csrf-token-0123456789abcdef"
MARKER = "bench-store.json"
PAGE_GOAL = 0.70  # of the floor's requests/s (issue 11)
P99_GOAL = 1.5  # times the floor's p99
CART_GOAL = 0.50  # of the floor listing's requests/s
MEMORY_GOAL_MB = 150
START_GOAL_S = 1.5
DASHBOARD_P50_MS = 100.0  # each dashboard page, at DASHBOARD_CONNECTIONS
DASHBOARD_CONNECTIONS = 4  # a shop's few staff, not a crowd
DASHBOARD_GOAL = f"p50 < {DASHBOARD_P50_MS:g} ms at {DASHBOARD_CONNECTIONS} connections"
REPORT_MS = 300.0  # an analytics report page at 100,000 orders, p50 and p99
REPORT_GOAL = f"p50, p99 < {REPORT_MS:g} ms at {DASHBOARD_CONNECTIONS} connections"


@dataclass
class Load:
    """What ``wrk`` measured of one page on one server."""

    per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    failed: int = 0
    """Answers other than 2xx or 3xx, and socket errors."""


@dataclass
class Row:
    page: str
    path: str
    orion: Load
    floor: Load | None = None
    bytes: int = 0
    goal: str = ""

    @property
    def throughput_ratio(self) -> float | None:
        return self.orion.per_second / self.floor.per_second if self.floor and self.floor.per_second else None

    @property
    def p99_ratio(self) -> float | None:
        return self.orion.p99_ms / self.floor.p99_ms if self.floor and self.floor.p99_ms else None


@dataclass
class Report:
    database: str
    products: int
    connections: int
    seconds: float
    rows: list[Row] = field(default_factory=list)
    checkout: dict[str, Any] = field(default_factory=dict)
    worker_memory_mb: float = 0.0
    floor_memory_mb: float = 0.0
    cold_start_s: list[float] = field(default_factory=list)
    orders: int = 0
    page_cache_seconds: float | None = None
    """``ORION_PAGE_CACHE_SECONDS`` given to Orion; None: its default."""
    feed_export: dict[str, Any] = field(default_factory=dict)
    """Writing the Letzshop feed: ``rows``, ``bytes`` and ``seconds`` of each run."""


# -- wrk ---------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> Load:
    """Requests/s, p50, p99 and failures from ``wrk --latency`` output."""
    load = Load()
    if found := re.search(r"Requests/sec:\s+([\d.]+)", output):
        load.per_second = float(found.group(1))
    if found := re.search(r"^\s+50%\s+(\S+)", output, re.M):
        load.p50_ms = _milliseconds(found.group(1))
    if found := re.search(r"^\s+99%\s+(\S+)", output, re.M):
        load.p99_ms = _milliseconds(found.group(1))
    if found := re.search(r"(\d+) requests in", output):
        load.requests = int(found.group(1))
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        load.failed += int(found.group(1))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        load.failed += sum(int(n) for n in found.groups())
    return load


def wrk_command(url: str, *, seconds: float, connections: int, threads: int = 2, script: Path | None = None,
                headers: dict[str, str] | None = None) -> list[str]:
    """The ``wrk`` command line; ``headers`` are sent with every request (``-H``)."""
    command = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
               "--timeout", "10s"]
    for name, value in (headers or {}).items():
        if not re.fullmatch(r"[A-Za-z0-9-]+", name) or "\n" in value or "\r" in value:
            raise ValueError(f"not a header wrk can send: {name!r}")
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    return [*command, url]


def wrk(url: str, *, seconds: float, connections: int, threads: int = 2, script: Path | None = None,
        headers: dict[str, str] | None = None) -> Load:
    command = wrk_command(url, seconds=seconds, connections=connections, threads=threads, script=script,
                          headers=headers)
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if result.returncode != 0:
        raise SystemExit(f"wrk failed on {url}: {result.stderr.strip() or result.stdout.strip()}")
    return parse_wrk(result.stdout)


def cart_script(folder: Path, sku: str) -> Path:
    """A wrk script adding one line to a new cart (wrk keeps no cookie) with a CSRF token."""
    path = folder / "cart-add.lua"
    path.write_text(f"""wrk.method = "POST"
wrk.body = '{json.dumps({"sku": sku, "quantity": 1})}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "orion_csrf={CSRF}"
wrk.headers["X-CSRF-Token"] = "{CSRF}"
""")
    return path


# -- the installation ----------------------------------------------------------------------------


def _environment(folder: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORION_")}
    env.update(
        ORION_ENV="production", ORION_DATA_DIR=str(folder / "data"), ORION_DATABASE_URL=database_url,
        ORION_TASKS_IMMEDIATE="0",
        # one client address (this benchmark) makes thousands of cart writes and orders: it
        # measures the cart and the checkout, not the per-client rate limits
        CART_WRITES_PER_CLIENT_MINUTE="100000", CHECKOUT_ORDERS_PER_CLIENT_HOUR="100000",
    )
    return env


def _fresh_postgres(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{parsed.database}"')


def build(folder: Path, database_url: str, products: int, orders: int = 100_000) -> dict[str, Any]:
    """The installation with its grown store and orders, reused when ``folder`` already holds
    it (the orders grown to ``orders`` when the kept store has another number)."""
    marker = folder / MARKER
    store = _kept(marker, database_url, products)
    if store is None:
        store = _build_store(folder, database_url, products)
        marker.write_text(json.dumps(store))
    if store.get("orders") != orders:
        print(f"growing the demo bakery to {orders:,} orders (bench/orders100k.py)…", flush=True)
        grown = subprocess.run([sys.executable, str(ROOT / "bench" / "orders100k.py"), "--orders", str(orders)],
                               env=_environment(folder, database_url), check=True, stdout=subprocess.PIPE, text=True)
        figures = json.loads(grown.stdout.strip().splitlines()[-1])
        store.update(orders=orders, owner_email=figures.pop("owner_email"),
                     owner_password=figures.pop("owner_password"), orders_built=figures)
        marker.write_text(json.dumps(store))
        print(f"{figures['orders']:,} orders ({figures['through_service']:,} through the service, "
              f"{figures['copied']:,} copied) in {figures['seconds']:.0f} s", flush=True)
    return store


def _kept(marker: Path, database_url: str, products: int) -> dict[str, Any] | None:
    if not marker.exists():
        return None
    kept = json.loads(marker.read_text())
    if kept.get("database_url") != database_url or kept.get("products") != products:
        return None
    print(f"reusing the store of {products:,} products in {marker.parent}", flush=True)
    subprocess.run([sys.executable, "-m", "orion_server", "db", "upgrade"],  # code newer than the store
                   env=_environment(marker.parent, database_url), check=True, stdout=subprocess.DEVNULL)
    return kept


def _build_store(folder: Path, database_url: str, products: int) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder / "data", ignore_errors=True)
    if database_url.startswith("postgresql"):
        _fresh_postgres(database_url)
    else:
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    env = _environment(folder, database_url)
    started = time.monotonic()
    for args in (["init", "--admin-email", "bench@orion.local", "--admin-password", "bench-password-123"], ["demo"]):
        subprocess.run([sys.executable, "-m", "orion_server", *args], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"growing the demo bakery to {products:,} products through the catalog service…", flush=True)
    grown = subprocess.run([sys.executable, str(ROOT / "bench" / "store10k.py"), "--products", str(products)],
                           env=env, check=True, stdout=subprocess.PIPE, text=True)
    store = json.loads(grown.stdout.strip().splitlines()[-1])
    store.update(database_url=database_url, products=products)
    print(f"built in {time.monotonic() - started:.0f} s", flush=True)
    return store


# -- processes -----------------------------------------------------------------------------------


class Served:
    """A server in a process group of its own."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path, ready_path: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ready_path = ready_path
        self.log = log
        self.started = time.monotonic()
        with log.open("a") as output:
            self.process = subprocess.Popen([*command, "--port", str(self.port)], env=env, cwd=ROOT, stdout=output,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, timeout: float = 60.0) -> float:
        with httpx.Client(timeout=1.0) as client:
            while time.monotonic() - self.started < timeout:
                if self.process.poll() is not None:
                    raise SystemExit(f"{self.log.name}: the server exited:\n{self.log.read_text()[-3000:]}")
                try:
                    if client.get(self.base + self.ready_path).status_code == 200:
                        return time.monotonic() - self.started
                except httpx.HTTPError:
                    pass
                time.sleep(0.01)
        raise SystemExit(f"{self.log.name}: not ready after {timeout:g} s:\n{self.log.read_text()[-3000:]}")

    def worker_memory_mb(self) -> float:
        """The largest resident memory of this server's worker processes."""
        largest = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            parent = re.search(r"^PPid:\s+(\d+)", status, re.M)
            resident = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if parent and resident and int(parent.group(1)) == self.process.pid:
                largest = max(largest, int(resident.group(1)))
        return largest / 1024

    def stop(self, signal_number: int = signal.SIGTERM) -> None:
        try:
            os.killpg(self.process.pid, signal_number)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def orion(env: dict[str, str], log: Path) -> Served:
    return Served([sys.executable, "-m", "orion_server", "serve", "--workers", "2", "--no-worker"], env, log,
                  "/health/ready")


def floor(database_url: str, sizes: Path, log: Path) -> Served:
    env = {**os.environ, "FLOOR_DATABASE_URL": database_url, "FLOOR_SIZES": str(sizes)}
    return Served([sys.executable, "-m", "uvicorn", "floor:app", "--app-dir", str(ROOT / "bench"), "--workers", "2",
                   "--log-level", "warning", "--no-access-log"], env, log, "/ping")


# -- checkout (several requests per order: Python shoppers, not wrk) --------------------------------


def place_orders(storefront: str, skus: list[str], *, seconds: float, shoppers: int) -> dict[str, Any]:
    """Shoppers each filling a new cart with one line and placing the order, for ``seconds``."""
    latencies: list[float] = []
    failed = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def shopper(index: int) -> None:
        nonlocal failed
        n = index
        while time.monotonic() < stop_at:
            with httpx.Client(base_url=storefront, timeout=30.0) as client:
                client.cookies.set("orion_csrf", CSRF)
                headers = {"X-CSRF-Token": CSRF}
                added = client.post("api/v1/cart/lines", json={"sku": skus[n % len(skus)], "quantity": 1},
                                    headers=headers)
                key = uuid.uuid4().hex
                began = time.perf_counter()
                placed = client.post("api/v1/checkout/place", json=checkout_form(key, "Marie", "Weber"),
                                     headers={**headers, "Idempotency-Key": key})
                took = time.perf_counter() - began
            with lock:
                if added.status_code != 201 or placed.status_code not in (200, 201):
                    failed += 1
                else:
                    latencies.append(took)
            n += shoppers

    threads = [threading.Thread(target=shopper, args=(i,)) for i in range(shoppers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)

    def pick(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000 if ordered else 0.0

    return {"orders": len(latencies), "failed": failed, "per_second": round(len(latencies) / seconds, 1),
            "p50_ms": round(pick(0.5), 1), "p99_ms": round(pick(0.99), 1), "shoppers": shoppers}


# -- the store dashboard (signed in as the owner) ----------------------------------------------------

SESSION_COOKIE = "orion_session"


def session_cookie(set_cookies: list[str]) -> str:
    """``orion_session=…`` from a sign-in answer's ``Set-Cookie`` headers (read here rather than
    from a cookie jar: the session cookie is ``Secure`` with production settings, and a jar
    keeps it from plain http)."""
    for header in set_cookies:
        name, _, rest = header.partition("=")
        if name.strip() == SESSION_COOKIE:
            value = rest.split(";", 1)[0].strip()
            if value:
                return f"{SESSION_COOKIE}={value}"
    raise SystemExit("the sign-in set no session cookie")


def sign_in(base: str, store_code: str, email: str, password: str) -> str:
    """Sign in to the store dashboard as staff; the ``Cookie`` header value of the session."""
    with httpx.Client(base_url=base, timeout=30.0) as client:
        client.cookies.set("orion_csrf", CSRF)
        answer = client.post(f"/store/{store_code}/login",
                             data={"email": email, "password": password, "csrf_token": CSRF, "next": ""})
    if answer.status_code not in (302, 303):
        raise SystemExit(f"signing in to /store/{store_code}/ as {email} answered {answer.status_code}")
    return session_cookie(answer.headers.get_list("set-cookie"))


def dashboard_pages(store: dict[str, Any], status: str = "paid") -> dict[str, str]:
    """The dashboard pages measured: products list, orders list, the orders of one status."""
    root = f"/store/{store['store']}/"
    orders = f"{store.get('orders', 0):,} orders"
    return {
        "dashboard: products list": f"{root}products",
        f"dashboard: orders list ({orders})": f"{root}orders",
        f"dashboard: orders list, {status}": f"{root}orders?status={status}",
    }


def report_pages(store: dict[str, Any], today: date) -> dict[str, str]:
    """The analytics report pages measured: the sales report of the last 30 days (the default)
    and of the last year by week, and the year's VAT per rate."""
    root = f"/store/{store['store']}/analytics"
    year = f"from={(today - timedelta(days=364)).isoformat()}&to={today.isoformat()}&by=week"
    return {
        "report: sales, 30 days": root,
        "report: sales, a year by week": f"{root}?{year}",
        "report: VAT per rate, a year": f"{root}/vat?{year}",
    }


def measure_dashboard(base: str, store: dict[str, Any], report: Report, seconds: float, *,
                      reports_only: bool = False) -> None:
    """Each dashboard page and analytics report with wrk at DASHBOARD_CONNECTIONS, signed in as
    the owner (only the reports with ``reports_only``)."""
    cookie = sign_in(base, store["store"], store["owner_email"], store["owner_password"])
    headers = {"Cookie": cookie}
    reports = report_pages(store, datetime.now(UTC).date())
    pager = reports if reports_only else {**dashboard_pages(store), **reports}
    sizes = {}
    with httpx.Client(base_url=base, timeout=30.0, headers=headers) as client:
        for page, path in pager.items():
            # wrk counts a redirect as a success: make sure the session opens the page itself
            answer = client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"the dashboard answered {answer.status_code} for {path}")
            sizes[page] = len(answer.content)
    for path in pager.values():
        wrk(base + path, seconds=2, connections=DASHBOARD_CONNECTIONS, headers=headers)
    for page, path in pager.items():
        load = wrk(base + path, seconds=seconds, connections=DASHBOARD_CONNECTIONS, headers=headers)
        report.rows.append(Row(page, path, load, None, sizes[page], REPORT_GOAL if page in reports else DASHBOARD_GOAL))
        print(f"  {page}: {load.per_second:,.0f}/s, p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms", flush=True)


# -- the run -------------------------------------------------------------------------------------


def pages(store: dict[str, Any]) -> dict[str, str]:
    root = f"/platforms/{store['platform']}/storefront/{store['store']}/"
    return {
        "home": root,
        "listing": f"{root}products",
        "category": f"{root}categories/{store['category']}",
        f"search '{store['common']}'": f"{root}products?q={store['common']}",
        f"search '{store['rare']}'": f"{root}products?q={store['rare']}",
        "product page": f"{root}products/{store['slugs'][len(store['slugs']) // 2]}",
    }


def floor_kind(page: str, path: str) -> str:
    if page.startswith("search"):
        return "search:" + path.rsplit("=", 1)[1]
    return {"home": "home", "listing": "listing", "category": "category", "product page": "product"}[page]


FEED_GOAL_S = 30.0  # writing the feed of 10,000 products in three languages


def measure_feed(env: dict[str, str], report: Report) -> None:
    """Time writing the bakery's Letzshop feed (in a process of its own, as the task runs)."""
    print("writing the Letzshop feed (bench/feed_export.py)…", flush=True)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "feed_export.py")], env=env, check=True,
                          stdout=subprocess.PIPE, text=True)
    report.feed_export = json.loads(done.stdout.strip().splitlines()[-1])


def show_feed(report: Report) -> list[str]:
    """The feed's line, and the goal missed."""
    feed = report.feed_export
    if not feed:
        return []
    best = min(feed["seconds"])
    print(f"Letzshop feed export ({report.database}): {feed['rows']:,} rows in en, fr and de, "
          f"{feed['bytes'] / 1e6:.1f} MB, {best:.2f} s (runs: {', '.join(f'{s:.2f}' for s in feed['seconds'])}; "
          f"goal ≤ {FEED_GOAL_S:g} s)")
    imported = feed.get("import") or {}
    if imported:
        print(f"catalogue import ({report.database}): {imported['rows']:,} rows of that feed into an empty store, "
              f"{imported['created_per_s']:,.0f} rows/s; again, every row unchanged, "
              f"{imported['unchanged_per_s']:,.0f} rows/s")
    return [f"feed export {best:.2f} s"] if best > FEED_GOAL_S else []


def measure(store: dict[str, Any], folder: Path, args: argparse.Namespace) -> Report:
    env = _environment(folder, store["database_url"])
    if args.page_cache_seconds is not None:
        env["ORION_PAGE_CACHE_SECONDS"] = f"{args.page_cache_seconds:g}"
    report = Report("postgresql" if store["database_url"].startswith("postgresql") else "sqlite",
                    store["products"], args.connections, args.seconds, orders=store.get("orders", 0),
                    page_cache_seconds=args.page_cache_seconds)
    if args.feed_only:
        measure_feed(env, report)
        return report
    served = orion(env, folder / "orion.log")
    served.wait_ready()
    if args.reports_only:
        try:
            print(f"the analytics reports only, {DASHBOARD_CONNECTIONS} connections…", flush=True)
            measure_dashboard(served.base, store, report, args.seconds, reports_only=True)
        finally:
            served.stop()
        return report
    pager = pages(store)
    sizes: dict[str, int] = {}
    with httpx.Client(base_url=served.base, timeout=30.0) as client:
        for page, path in pager.items():
            answer = client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"Orion answered {answer.status_code} for {path}")
            sizes[floor_kind(page, path)] = len(answer.content)
    sizes_file = folder / "floor-sizes.json"
    sizes_file.write_text(json.dumps(sizes))
    bare = floor(store["database_url"], sizes_file, folder / "floor.log")
    try:
        bare.wait_ready()
        with httpx.Client(timeout=30.0) as client:
            for path in pager.values():
                answer = client.get(bare.base + path)
                if answer.status_code != 200:
                    raise SystemExit(f"the floor answered {answer.status_code} for {path}")
        print(f"warming up ({len(pager)} pages)…", flush=True)
        for path in pager.values():
            for server in (bare, served):
                wrk(server.base + path, seconds=2, connections=4)
        for page, path in pager.items():
            floor_load = wrk(bare.base + path, seconds=args.seconds, connections=args.connections)
            orion_load = wrk(served.base + path, seconds=args.seconds, connections=args.connections)
            report.rows.append(Row(page, path, orion_load, floor_load, sizes[floor_kind(page, path)],
                                   f"≥ {PAGE_GOAL:.0%} of the floor, p99 ≤ {P99_GOAL:g}×"))
            print(f"  {page}: floor {floor_load.per_second:,.0f}/s, Orion {orion_load.per_second:,.0f}/s", flush=True)
        floor_ping = wrk(bare.base + "/ping", seconds=args.seconds, connections=args.connections)
        health = wrk(served.base + "/health", seconds=args.seconds, connections=args.connections)
        report.rows.append(Row("/health (floor: /ping)", "/health", health, floor_ping, goal="reported"))
        storefront = served.base + pager["home"]
        listing_floor = next(row.floor for row in report.rows if row.page == "listing")
        cart = wrk(storefront + "api/v1/cart/lines", seconds=args.seconds, connections=args.connections,
                   script=cart_script(folder, store["skus"][0]))
        report.rows.append(Row("cart API: add a line (floor: listing)", "api/v1/cart/lines", cart, listing_floor,
                               goal=f"≥ {CART_GOAL:.0%} of the floor's listing, no error"))
        print(f"the store dashboard, signed in as its owner, {DASHBOARD_CONNECTIONS} connections…", flush=True)
        measure_dashboard(served.base, store, report, args.seconds)
        print("placing orders…", flush=True)
        report.checkout = place_orders(storefront, store["skus"], seconds=args.seconds, shoppers=4)
        report.worker_memory_mb = round(served.worker_memory_mb(), 1)
        report.floor_memory_mb = round(bare.worker_memory_mb(), 1)
    finally:
        bare.stop()
        served.stop()
    measure_feed(env, report)
    print(f"cold start, {args.starts} times…", flush=True)
    for _ in range(args.starts):
        again = orion(env, folder / "orion.log")
        report.cold_start_s.append(round(again.wait_ready(), 2))
        again.stop(signal.SIGKILL)
        time.sleep(0.3)
    return report


def _ratio(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "—"


def show(report: Report) -> list[str]:
    """The table, and the goals missed."""
    print(f"\nOrion against the floor: {report.database}, {report.products:,} products, {report.orders:,} orders, "
          f"wrk {report.connections} connections (the dashboard {DASHBOARD_CONNECTIONS}), {report.seconds:g} s per page"
          + ("" if report.page_cache_seconds is None else f", page cache {report.page_cache_seconds:g} s"))
    print(f"{'page':<40} {'floor/s':>8} {'p99 ms':>8} {'Orion/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'thru':>6} {'p99×':>6} {'fail':>5}")
    missed = []
    for row in report.rows:
        if row.floor is None:
            floor_columns = f"{'—':>8} {'—':>8}"
        else:
            floor_columns = f"{row.floor.per_second:>8,.0f} {row.floor.p99_ms:>8.1f}"
        print(f"{row.page:<40} {floor_columns} {row.orion.per_second:>8,.0f} "
              f"{row.orion.p50_ms:>8.1f} {row.orion.p99_ms:>8.1f} {_ratio(row.throughput_ratio):>6} "
              f"{_ratio(row.p99_ratio):>6} {row.orion.failed:>5}")
        if row.orion.failed:
            missed.append(f"{row.page}: {row.orion.failed} failed requests")
        if row.goal.startswith("≥ 70") and ((row.throughput_ratio or 0) < PAGE_GOAL
                                             or (row.p99_ratio or 99) > P99_GOAL):
            missed.append(f"{row.page}: {_ratio(row.throughput_ratio)} of the floor, p99 {_ratio(row.p99_ratio)}×")
        if row.goal.startswith("≥ 50") and (row.throughput_ratio or 0) < CART_GOAL:
            missed.append(f"{row.page}: {_ratio(row.throughput_ratio)} of the floor's listing")
        if row.goal == DASHBOARD_GOAL and row.orion.p50_ms >= DASHBOARD_P50_MS:
            missed.append(f"{row.page}: p50 {row.orion.p50_ms:.1f} ms at {DASHBOARD_CONNECTIONS} connections")
        if row.goal == REPORT_GOAL and max(row.orion.p50_ms, row.orion.p99_ms) >= REPORT_MS:
            missed.append(f"{row.page}: p50 {row.orion.p50_ms:.1f} ms, p99 {row.orion.p99_ms:.1f} ms "
                          f"at {DASHBOARD_CONNECTIONS} connections")
    checkout = report.checkout
    print(f"checkout place ({checkout['shoppers']} shoppers, a new cart each): {checkout['per_second']} orders/s, "
          f"p50 {checkout['p50_ms']} ms, p99 {checkout['p99_ms']} ms, {checkout['failed']} failed")
    print(f"largest worker resident memory after the run: Orion {report.worker_memory_mb} MB "
          f"(floor {report.floor_memory_mb} MB; goal ≤ {MEMORY_GOAL_MB} MB)")
    starts = report.cold_start_s
    print(f"cold start to /health/ready, 2 workers: p50 {statistics.median(starts):.2f} s, max {max(starts):.2f} s "
          f"over {len(starts)} starts (goal ≤ {START_GOAL_S} s)")
    if report.worker_memory_mb > MEMORY_GOAL_MB:
        missed.append(f"worker memory {report.worker_memory_mb} MB")
    if statistics.median(starts) > START_GOAL_S:
        missed.append(f"cold start p50 {statistics.median(starts):.2f} s")
    return missed


def show_reports(report: Report) -> list[str]:
    """The report pages' table (``--reports-only``), and the goals missed."""
    print(f"\nanalytics reports: {report.database}, {report.orders:,} orders, {DASHBOARD_CONNECTIONS} connections, "
          f"{report.seconds:g} s per page")
    missed = []
    for row in report.rows:
        print(f"{row.page:<40} {row.orion.per_second:>8,.0f}/s p50 {row.orion.p50_ms:>8.1f} ms "
              f"p99 {row.orion.p99_ms:>8.1f} ms {row.orion.failed:>5} failed")
        if max(row.orion.p50_ms, row.orion.p99_ms) >= REPORT_MS or row.orion.failed:
            missed.append(f"{row.page}: p50 {row.orion.p50_ms:.1f} ms, p99 {row.orion.p99_ms:.1f} ms")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--products", type=int, default=10_000, help="products in the store (default 10,000)")
    parser.add_argument("--seconds", type=float, default=15.0, help="load time per page and server (default 15)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the store (default 100,000)")
    parser.add_argument("--starts", type=int, default=5, help="cold starts timed (default 5)")
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL (its database is made anew)")
    parser.add_argument("--page-cache-seconds", type=float,
                        help="Orion's ORION_PAGE_CACHE_SECONDS (0: every page made for each request)")
    parser.add_argument("--data", type=Path, help="keep the installation here and reuse it next time")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--reports-only", action="store_true",
                        help="measure only the analytics report pages (no floor, storefront, checkout or starts)")
    parser.add_argument("--feed-only", action="store_true",
                        help="measure only writing the Letzshop feed (no server, no load)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("make bench needs wrk (Debian: apt-get install wrk); `make bench` installs it")
    folder = args.data or Path(tempfile.mkdtemp(prefix="orion-bench-"))
    try:
        database_url = args.database_url or f"sqlite:///{folder.resolve() / 'orion.db'}"
        store = build(folder.resolve(), database_url, args.products, args.orders)
        report = measure(store, folder.resolve(), args)
    finally:
        if args.data is None:
            shutil.rmtree(folder, ignore_errors=True)
    if args.feed_only:
        missed = show_feed(report)
    elif args.reports_only:
        missed = show_reports(report)
    else:
        missed = show(report) + show_feed(report)
    if args.json:
        figures = asdict(report)
        for row, data in zip(report.rows, figures["rows"], strict=True):
            data.update(throughput_ratio=row.throughput_ratio, p99_ratio=row.p99_ratio)
        args.json.write_text(json.dumps({**figures, "missed": missed}, indent=2))
    if missed:
        print("\ngoals not met:\n  " + "\n  ".join(missed))


if __name__ == "__main__":
    main()
