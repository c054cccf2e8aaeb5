"""The reliability campaign of issue 10: crashes, backups and load against real processes.

Each part runs a demo installation (``orion init`` + ``orion demo``, the bakery stocked by
``tests.support.campaign_prepare``) served by a real ``orion serve --workers 2 --no-worker``
beside a real ``orion worker``, both in process groups of their own so that ``kill -9`` takes
a server with its uvicorn workers, as a power cut or the OOM killer would. E-mail goes to a
local SMTP server (aiosmtpd) in this process. Shoppers are threads (or, for the load, asyncio
tasks) speaking HTTP to the storefront from addresses of their own (``X-Forwarded-For``, the
server trusting the loopback proxy), so the per-client rate limits apply as they do in a shop.

- ``crash_campaign``: kill the server, the worker or both at random moments under a checkout
  load, restart, time the way back to ready; afterwards every answered order is checked
  (``tests.support.campaign_check``) and every confirmation counted at the SMTP server.
- ``backup_under_load``: ``orion db backup`` while 20 shoppers check out; the backup restored
  into another database passes the same checks for every order answered before it began.
- ``load_held``: many shoppers browsing, searching, filling carts and checking out for a while;
  no 5xx, no "database is locked", latency percentiles per kind of request.

``make stress`` runs them at full size (``bench/campaign.py``); ``tests/server/test_campaign.py``
runs small ones in ``make test``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.modules.messaging.conftest import SmtpServer
from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url
from tests.support.servers import free_port

REPO = Path(__file__).resolve().parents[2]
READY_LIMIT_S = 3.0
ADDRESS = {"name": "Marie Weber", "street": "12 rue de la Gare", "postal_code": "L-1611",
           "city": "Luxembourg", "country": "LU"}


def checkout_form(key: str, first_name: str, last_name: str) -> dict[str, Any]:
    """The checkout API's form of a guest paying by bank transfer, with an address of its own."""
    return {"email": f"shopper-{key[:8]}@example.lu", "first_name": first_name, "last_name": last_name,
            "phone": "", "address": ADDRESS, "billing_same": True, "shipping_method": "delivery",
            "payment_method": "bank_transfer"}


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (0..1) of ``values`` (nearest rank), 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Group:
    """A command in a process group of its own, killed whole by ``kill()``."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log.open("a")
        self.process = subprocess.Popen(command, env=env, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)

    def kill(self) -> None:
        """``kill -9`` the process and every child of it."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        """Stop it the way an operator does (SIGTERM), killing it if it does not go."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self.log.close()


class Shop:
    """A prepared demo installation with its SMTP server, server and worker."""

    def __init__(self, root: Path, database_url: str | None = None) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.database_url = database_url or fresh_database_url(root)
        self.installation = Installation(root / "data", self.database_url)
        self.smtp = SmtpServer()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server: Group | None = None
        self.worker: Group | None = None
        self.catalog: dict[str, Any] = {}

    # -- setting up -------------------------------------------------------------------------

    def prepare(self) -> None:
        # an installed Orion starts from bytecode (pip and PyInstaller compile it); this checkout
        # may run with PYTHONDONTWRITEBYTECODE, which would time compiling on every restart
        subprocess.run([sys.executable, "-m", "compileall", "-q", "orion_server", "modules"], cwd=REPO,
                       check=True, capture_output=True)
        for args in (("init", "--admin-email", "admin@example.lu", "--admin-password", "Campaign-pass-2026"),
                     ("demo",)):
            result = self.installation.run(*args)
            if result.returncode != 0:
                raise RuntimeError(f"orion {args[0]} failed:\n{result.stdout}{result.stderr}")
        self.smtp.start()
        prepared = self.python("-m", "tests.support.campaign_prepare", "--smtp-port", str(self.smtp.port))
        self.catalog = json.loads(prepared.strip().splitlines()[-1])

    def env(self) -> dict[str, str]:
        # queued tasks, consumed by the worker; links point at this server
        return self.installation.env(ORION_TASKS_IMMEDIATE="0", ORION_BASE_URL=self.base)

    def python(self, *args: str, timeout: float = 600) -> str:
        """Run ``python ARGS`` in the installation's environment; its standard output."""
        result = subprocess.run([sys.executable, *args], env=self.env(), cwd=REPO, capture_output=True,
                                text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    @property
    def storefront(self) -> str:
        return f"{self.base}/platforms/{self.catalog['platform']}/storefront/{self.catalog['store']}/"

    # -- processes --------------------------------------------------------------------------

    def start_server(self) -> Group:
        self.server = Group([sys.executable, "-m", "orion_server", "serve", "--port", str(self.port),
                             "--workers", "2", "--no-worker"], self.env(), self.root / "server.log")
        return self.server

    def start_worker(self) -> Group:
        self.worker = Group([sys.executable, "-m", "orion_server", "worker"], self.env(), self.root / "worker.log")
        return self.worker

    def serve(self) -> float:
        """Start the server; seconds until it is ready."""
        begun = time.monotonic()
        self.start_server()
        return self.wait_ready(begun)

    def open(self) -> None:
        """Prepare the installation, then start the worker and the server."""
        self.prepare()
        self.start_worker()
        self.serve()

    def wait_ready(self, started: float, timeout: float = 60.0) -> float:
        """Seconds from ``started`` (a monotonic time) to the first 200 of ``/health/ready``."""
        with httpx.Client(timeout=1.0) as http:
            while time.monotonic() - started < timeout:
                if self.server is not None and self.server.process.poll() is not None:
                    raise RuntimeError(f"the server exited:\n{(self.root / 'server.log').read_text()[-3000:]}")
                try:
                    if http.get(f"{self.base}/health/ready").status_code == 200:
                        return time.monotonic() - started
                except httpx.HTTPError:
                    pass
                time.sleep(0.02)
        raise TimeoutError(f"not ready after {timeout} s:\n{(self.root / 'server.log').read_text()[-3000:]}")

    def stop(self) -> None:
        for group in (self.server, self.worker):
            if group is not None and group.process.poll() is None:
                group.stop()
        self.server = self.worker = None

    def close(self) -> None:
        self.stop()
        self.smtp.stop()
        drop_database(self.database_url)

    def server_log_count(self, needle: str) -> int:
        return sum(path.read_text(errors="replace").count(needle)
                   for path in (self.root / "server.log", self.root / "worker.log") if path.exists())

    # -- checking ---------------------------------------------------------------------------

    def check(self, answered: list[dict[str, str]], *, installation: Installation | None = None,
              drain: bool = True) -> dict[str, Any]:
        """The invariants (``tests.support.campaign_check``) for ``answered`` orders, plus the
        SMTP side: each confirmation arrived, and every copy of it carries one Message-ID."""
        target = installation or self.installation
        path = self.root / f"answered-{uuid.uuid4().hex[:6]}.json"
        path.write_text(json.dumps(answered))
        command = [sys.executable, "-m", "tests.support.campaign_check", str(path)] + (["--drain"] if drain else [])
        env = target.env(ORION_TASKS_IMMEDIATE="0", ORION_BASE_URL=self.base)
        result = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"campaign_check failed:\n{result.stdout}{result.stderr}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        copies: dict[str, list[str]] = defaultdict(list)
        for message in self.smtp.messages:
            copies[message.get("X-Orion-Outbox-Id", "")].append(message.get("Message-ID", ""))
        duplicates = 0
        for number, outbox_id in report.pop("confirmations").items():
            received = copies.get(str(outbox_id), [])
            if not received:
                report["problems"].append(f"order {number}: confirmation never reached the SMTP server")
            elif len(set(received)) != 1:
                report["problems"].append(f"order {number}: {len(set(received))} different confirmations")
            duplicates += max(0, len(received) - 1)
        report["smtp_messages"] = len(self.smtp.messages)
        report["resent_copies"] = duplicates
        return report


# -- shoppers that check out (threads) --------------------------------------------------------


@dataclass
class Tally:
    answered: list[dict[str, str]] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    connection_errors: int = 0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


class Checkouts:
    """``count`` shoppers, each in a loop: a new cart of one to three products, then the
    order, paid by bank transfer. A request cut by a dying server is sent again, unchanged
    (the order with the same Idempotency-Key), until the server answers."""

    def __init__(self, shop: Shop, count: int, *, seed: int = 1) -> None:
        self.shop, self.count = shop, count
        self.tally = Tally()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.random = random.Random(seed)
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(count)]

    def start(self) -> Checkouts:
        for thread in self.threads:
            thread.start()
        return self

    def stop(self, timeout: float = 120.0) -> Tally:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout)
        return self.tally

    def answered(self) -> list[dict[str, str]]:
        with self.lock:
            return list(self.tally.answered)

    def _run(self, n: int) -> None:
        rng = random.Random(self.random.random())
        while not self.stopping.is_set():
            try:
                self._order(rng)
            except Exception as exc:  # a bug of the load itself must not hang the campaign
                with self.lock:
                    self.tally.statuses[f"load error {type(exc).__name__}"] += 1
                time.sleep(0.2)

    def _send(self, client: httpx.Client, kind: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send until the server answers (a crash cuts a request; the shopper tries again)."""
        while True:
            started = time.monotonic()
            try:
                response = client.request(method, path, **kwargs)
            except httpx.TransportError:
                with self.lock:
                    self.tally.connection_errors += 1
                time.sleep(0.1)
                continue
            with self.lock:
                self.tally.latencies[kind].append(time.monotonic() - started)
                self.tally.statuses[f"{kind} {response.status_code}"] += 1
                if response.status_code >= 500:
                    self.tally.server_errors.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
            return response

    def _order(self, rng: random.Random) -> None:
        catalog = self.shop.catalog
        address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        with httpx.Client(base_url=self.shop.storefront, timeout=30.0,
                          headers={"X-Forwarded-For": address}) as client:
            self._send(client, "cart page", "GET", "cart?lang=fr")
            csrf = {"X-CSRF-Token": client.cookies.get("orion_csrf") or ""}
            for sku in rng.sample(catalog["skus"], rng.randint(1, 3)):
                added = self._send(client, "cart add", "POST", "api/v1/cart/lines?lang=fr",
                                   json={"sku": sku, "quantity": rng.randint(1, 3)}, headers=csrf)
                if added.status_code != 201:
                    return
            key = uuid.uuid4().hex
            placed = self._send(client, "place", "POST", "api/v1/checkout/place?lang=fr",
                                json=checkout_form(key, "Marie", "Weber"), headers={**csrf, "Idempotency-Key": key})
            if placed.status_code in (200, 201):
                with self.lock:
                    self.tally.answered.append({"store": catalog["store"], "number": placed.json()["number"],
                                                "status": str(placed.status_code)})


# -- the campaign's parts ---------------------------------------------------------------------


def crash_campaign(root: Path, *, cycles: int, shoppers: int = 6, database_url: str | None = None,
                   seed: int = 2026, say: Any = print) -> dict[str, Any]:
    """Kill -9 the server, the worker or both ``cycles`` times under a checkout load."""
    rng = random.Random(seed)
    shop = Shop(root, database_url)
    try:
        shop.open()
        load = Checkouts(shop, shoppers, seed=seed).start()
        ready: list[float] = []
        kills: Counter[str] = Counter()
        started = time.monotonic()
        for cycle in range(cycles):
            time.sleep(rng.uniform(0.2, 2.5))
            victim = rng.choices(["server", "worker", "both"], weights=[6, 2, 2])[0]
            kills[victim] += 1
            if victim in ("worker", "both"):
                shop.worker.kill()
            if victim in ("server", "both"):
                shop.server.kill()
                ready.append(shop.serve())
            if victim in ("worker", "both"):
                shop.start_worker()
            if (cycle + 1) % 25 == 0:
                say(f"  {cycle + 1}/{cycles} cycles, {len(load.answered())} orders answered, "
                    f"slowest way back {max(ready, default=0):.2f} s")
        tally = load.stop()
        elapsed = time.monotonic() - started
        shop.stop()
        report = shop.check(tally.answered)
        report.update(
            cycles=cycles, kills=dict(kills), seconds=round(elapsed, 1), shoppers=shoppers,
            orders_answered=len(tally.answered),
            answered_201=sum(1 for a in tally.answered if a["status"] == "201"),
            server_errors=tally.server_errors[:20], server_error_count=len(tally.server_errors),
            cut_requests=tally.connection_errors,
            ready_max_s=round(max(ready, default=0), 2), ready_p50_s=round(percentile(ready, 0.5), 2),
            ready_over_limit=sum(1 for r in ready if r > READY_LIMIT_S),
            database_locked=shop.server_log_count("database is locked"),
            statuses=dict(tally.statuses),
        )
        return report
    finally:
        shop.close()


def backup_under_load(root: Path, *, shoppers: int = 20, seconds: float = 6.0, min_orders: int = 10,
                      database_url: str | None = None, restore_url: str | None = None) -> dict[str, Any]:
    """``orion db backup`` while ``shoppers`` check out (once ``seconds`` have passed and
    ``min_orders`` were answered); the backup restored elsewhere holds."""
    shop = Shop(root / "live", database_url)
    restored = Installation(root / "restored" / "data", restore_url or fresh_database_url(mkdir(root / "restored")))
    try:
        shop.open()
        load = Checkouts(shop, shoppers).start()
        rush = time.monotonic()
        while time.monotonic() - rush < seconds or len(load.answered()) < min_orders:
            if time.monotonic() - rush > 300:
                raise TimeoutError(f"only {len(load.answered())} orders in 300 s")
            time.sleep(0.1)
        before = load.answered()
        backup_started = time.monotonic()
        made = subprocess.run([sys.executable, "-m", "orion_server", "db", "backup", "--reason", "campaign"],
                              env=shop.env(), cwd=REPO, capture_output=True, text=True, timeout=600)
        backup_seconds = time.monotonic() - backup_started
        if made.returncode != 0:
            raise RuntimeError(f"backup failed:\n{made.stdout}{made.stderr}")
        during = len(load.answered()) - len(before)
        time.sleep(min(seconds, 3.0))
        tally = load.stop()
        shop.stop()
        listed = json.loads(shop.installation.run("db", "backups", "--json").stdout)
        path = next(b["path"] for b in listed if b["reason"] == "campaign")
        done = restored.run("db", "restore", path, "--yes")
        if done.returncode != 0:
            raise RuntimeError(f"restore failed:\n{done.stdout}{done.stderr}")
        report = shop.check(before, installation=restored)
        report.update(
            shoppers=shoppers, orders_before_backup=len(before), orders_during_backup=during,
            orders_answered=len(tally.answered), backup_seconds=round(backup_seconds, 2),
            server_error_count=len(tally.server_errors), server_errors=tally.server_errors[:20],
            database_locked=shop.server_log_count("database is locked"),
        )
        return report
    finally:
        shop.close()
        drop_database(restored.database_url)


def mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- load held (asyncio shoppers) -------------------------------------------------------------

SEARCH_WORDS = ("pain", "croissant", "tarte", "brot", "gateau", "chocolat", "baguette")


async def _shopper(shop: Shop, n: int, deadline: float, tally: Tally, think: tuple[float, float],
                   checkout_share: float) -> None:
    rng = random.Random(n)
    catalog = shop.catalog
    limits = httpx.Limits(max_connections=1)

    async def send(client: httpx.AsyncClient, kind: str, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = await client.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            tally.connection_errors += 1
            tally.statuses[f"{kind} {type(exc).__name__}"] += 1
            return None
        tally.latencies[kind].append(time.monotonic() - started)
        tally.statuses[f"{kind} {response.status_code}"] += 1
        if response.status_code >= 500:
            tally.server_errors.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
        return response

    while time.monotonic() < deadline:
        address = f"10.{n // 250}.{n % 250}.{rng.randrange(1, 255)}"
        async with httpx.AsyncClient(base_url=shop.storefront, timeout=60.0, limits=limits,
                                     headers={"X-Forwarded-For": address}) as client:
            await send(client, "listing", "GET", "products?lang=fr")
            await asyncio.sleep(rng.uniform(*think))
            await send(client, "search", "GET", f"products?lang=fr&q={rng.choice(SEARCH_WORDS)}")
            await asyncio.sleep(rng.uniform(*think))
            await send(client, "product", "GET", f"products/{rng.choice(catalog['slugs'])}?lang=fr")
            await asyncio.sleep(rng.uniform(*think))
            csrf = {"X-CSRF-Token": client.cookies.get("orion_csrf") or ""}
            added = await send(client, "cart add", "POST", "api/v1/cart/lines?lang=fr",
                               json={"sku": rng.choice(catalog["skus"]), "quantity": 1}, headers=csrf)
            await asyncio.sleep(rng.uniform(*think))
            if added is None or added.status_code != 201 or rng.random() >= checkout_share:
                continue
            await send(client, "cart page", "GET", "cart?lang=fr")
            await asyncio.sleep(rng.uniform(*think))
            key = uuid.uuid4().hex
            placed = await send(client, "place", "POST", "api/v1/checkout/place?lang=fr",
                                json=checkout_form(key, "Luc", "Schmit"), headers={**csrf, "Idempotency-Key": key})
            if placed is not None and placed.status_code in (200, 201):
                tally.answered.append({"store": catalog["store"], "number": placed.json()["number"],
                                       "status": str(placed.status_code)})


def load_held(root: Path, *, shoppers: int = 200, seconds: float = 300.0, think: tuple[float, float] = (0.5, 2.0),
              checkout_share: float = 0.3, database_url: str | None = None) -> dict[str, Any]:
    """``shoppers`` at once for ``seconds``: browse, search, open a product, add it, and for
    ``checkout_share`` of them check out; each waits ``think`` seconds between pages."""
    shop = Shop(root, database_url)
    try:
        shop.open()
        tally = Tally()
        started = time.monotonic()

        async def crowd() -> None:
            deadline = time.monotonic() + seconds
            await asyncio.gather(*(_shopper(shop, n, deadline, tally, think, checkout_share)
                                   for n in range(shoppers)))

        asyncio.run(crowd())
        elapsed = time.monotonic() - started
        shop.stop()
        report = shop.check(tally.answered)
        served = sum(len(v) for v in tally.latencies.values())
        report.update(
            shoppers=shoppers, seconds=round(elapsed, 1), requests=served,
            requests_per_second=round(served / elapsed, 1), orders_answered=len(tally.answered),
            server_error_count=len(tally.server_errors), server_errors=tally.server_errors[:20],
            connection_errors=tally.connection_errors,
            database_locked=shop.server_log_count("database is locked"),
            latency_ms={kind: {"n": len(values), "p50": round(percentile(values, 0.5) * 1000),
                               "p95": round(percentile(values, 0.95) * 1000),
                               "p99": round(percentile(values, 0.99) * 1000)}
                        for kind, values in sorted(tally.latencies.items())},
            p99_ms=round(percentile([x for v in tally.latencies.values() for x in v], 0.99) * 1000),
            statuses=dict(tally.statuses),
        )
        return report
    finally:
        shop.close()
