"""``make bench``: throughput of the shopper's main pages against a trivial baseline.

The machine is shared and noisy, so absolute figures mean little: every scenario is reported
as a ratio against ``/health`` measured in the same run, by the same clients, against the same
server process. A ratio of 0.25 reads "this page costs four health checks".

It sets up a throw-away installation (SQLite by default, ``--database-url`` for PostgreSQL)
with the demo data, starts ``orion serve`` on a free port, warms every scenario up, then runs
each for ``--seconds`` with ``--clients`` concurrent keep-alive clients, and prints a table
(also written as JSON with ``--json FILE``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.servers import ServerProcess  # noqa: E402

STORE = "/platforms/demo/storefront/boulangerie-dupont/"
CSRF = "bench-csrf-token-0123456789abcdef"


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p95_ms: float
    ratio: float = 0.0


def _scenarios(base: str, sku: str, slug: str) -> dict[str, tuple[str, str, dict | None]]:
    return {
        "baseline /health": ("GET", "/health", None),
        "storefront home": ("GET", STORE, None),
        "product listing": ("GET", f"{STORE}products", None),
        "search 'pain'": ("GET", f"{STORE}products?q=pain", None),
        "product page": ("GET", f"{STORE}products/{slug}", None),
        "cart API: add a line": ("POST", f"{STORE}api/v1/cart/lines", {"sku": sku, "quantity": 1}),
    }


def _client(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30.0, follow_redirects=False)
    client.cookies.set("orion_csrf", CSRF)
    client.headers["x-csrf-token"] = CSRF
    return client


def _run(base: str, method: str, path: str, body: dict | None, seconds: float, clients: int) -> tuple[int, int, list[float]]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        local: list[float] = []
        bad = 0
        with _client(base) as client:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                response = client.request(method, path, json=body)
                local.append(time.perf_counter() - started)
                if response.status_code >= 400:
                    bad += 1
                if method == "POST":
                    # A fresh cart now and then keeps a line's quantity under its maximum.
                    client.cookies.delete("orion_cart")
        with lock:
            latencies.extend(local)
            errors += bad

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), errors, latencies


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


def _setup(env: dict[str, str]) -> None:
    for args in (["init", "--admin-email", "bench@orion.local", "--admin-password", "bench-password-123"], ["demo"]):
        subprocess.run([sys.executable, "-m", "orion_server", *args], env=env, check=True, stdout=subprocess.DEVNULL)


def _pick_product(base: str) -> tuple[str, str]:
    """A published demo product's slug and an in-stock SKU, from the storefront API."""
    with _client(base) as client:
        page = client.get(f"{STORE}api/v1/catalog/products", params={"per_page": 50}).json()
        for card in page["items"]:
            detail = client.get(f"{STORE}api/v1/catalog/products/{card['slug']}").json()
            for variant in detail.get("variants") or []:
                if variant["available"]:
                    return card["slug"], variant["sku"]
    raise SystemExit("the demo store has no product to benchmark")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="time per scenario (default 5)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over all scenarios; the median is kept")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="orion-bench-") as folder:
        env = dict(os.environ, ORION_ENV="development", ORION_DATA_DIR=folder, ORION_LOG_LEVEL="WARNING",
                   # the benchmark client is one address making thousands of cart writes: it
                   # measures the cart, not the per-client rate limit (tests/server/test_rate_limits.py)
                   CART_WRITES_PER_CLIENT_MINUTE="100000")
        if args.database_url:
            env["ORION_DATABASE_URL"] = args.database_url
        _setup(env)
        server = ServerProcess(env, Path(folder))
        try:
            server.wait_ready()
            slug, sku = _pick_product(server.base)
            scenarios = _scenarios(server.base, sku, slug)
            for method, path, body in scenarios.values():  # warm-up: templates, caches, connections
                _run(server.base, method, path, body, 0.5, 1)
            rounds: dict[str, list[Result]] = {name: [] for name in scenarios}
            for _ in range(args.rounds):
                for name, (method, path, body) in scenarios.items():
                    count, errors, latencies = _run(server.base, method, path, body, args.seconds, args.clients)
                    rounds[name].append(Result(
                        name, count, errors, count / args.seconds,
                        _percentile(latencies, 0.5), _percentile(latencies, 0.95),
                    ))
        finally:
            server.stop()

    results = []
    for measured in rounds.values():
        best = sorted(measured, key=lambda r: r.per_second)[len(measured) // 2]
        best.per_second = statistics.median(r.per_second for r in measured)
        results.append(best)
    baseline = results[0].per_second or 1.0
    for result in results:
        result.ratio = result.per_second / baseline
    print(f"{'scenario':<24} {'req/s':>8} {'ratio':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for r in results:
        print(f"{r.name:<24} {r.per_second:>8.1f} {r.ratio:>7.2f} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.errors:>7}")
    print(f"({args.clients} clients, {args.seconds:g} s per scenario, median of {args.rounds} rounds; "
          "ratio = requests per second against /health in the same run)")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    if any(r.errors for r in results):
        raise SystemExit("some requests failed: see the errors column")


if __name__ == "__main__":
    main()
