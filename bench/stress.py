"""``make stress``: sign-in under attack, against a real ``orion serve``.

1. **Guessing**: 10,000 wrong passwords for the admin account against ``/admin/login`` from one
   client. Exactly 5 may be checked (400); every other answer must be 429 with Retry-After.
2. **Crowd**: 100 sign-in attempts at once, each for another account from another address (as a
   distributed attack through the reverse proxy looks), so every one reaches a password check.
   Meanwhile ``/health`` is asked every 20 ms: 99 % of its answers must come in under 100 ms
   (the slowest is reported too: on a shared machine one answer can wait for the scheduler
   whatever the server does, which the same probe run before the attack shows), and the
   server's peak memory (VmHWM) must stay under 300 MB.

Exits non-zero, saying which limit was broken, when one was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.servers import ServerProcess  # noqa: E402

CSRF = "stress-csrf-token-0123456789abcdef"
ADMIN = "stress@orion.local"
HEALTH_LIMIT_MS = 100.0
MEMORY_LIMIT_MB = 300.0


def _client(base: str, address: str | None = None) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60.0, follow_redirects=False)
    client.cookies.set("orion_csrf", CSRF)
    if address:
        client.headers["x-forwarded-for"] = address
    return client


def _attempt(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return client.post("/admin/login", data={"email": email, "password": password, "csrf_token": CSRF})


def _peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def guessing(base: str, attempts: int, threads: int) -> list[str]:
    statuses: Counter[int] = Counter()
    missing_retry = 0
    lock = threading.Lock()
    per_thread = attempts // threads
    started = time.perf_counter()

    def worker(n: int) -> None:
        nonlocal missing_retry
        local: Counter[int] = Counter()
        bad = 0
        with _client(base) as client:
            for i in range(per_thread):
                response = _attempt(client, ADMIN, f"wrong-{n}-{i}")
                local[response.status_code] += 1
                if response.status_code == 429 and not response.headers.get("retry-after"):
                    bad += 1
        with lock:
            statuses.update(local)
            missing_retry += bad

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    total = sum(statuses.values())
    print(f"guessing: {total} wrong passwords in {seconds:.1f} s ({total / seconds:.0f}/s): "
          + ", ".join(f"{count}x {status}" for status, count in sorted(statuses.items())))
    failures = []
    if statuses[400] != 5:
        failures.append(f"guessing: {statuses[400]} passwords were checked, not 5")
    if statuses[429] != total - statuses[400]:
        failures.append("guessing: some answers were neither 400 nor 429")
    if missing_retry:
        failures.append(f"guessing: {missing_retry} answers of 429 had no Retry-After")
    return failures


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def crowd(base: str, pid: int, size: int) -> list[str]:
    health: list[float] = []
    stop = threading.Event()

    def probe() -> None:
        with httpx.Client(base_url=base, timeout=10.0) as client:
            while not stop.is_set():
                started = time.perf_counter()
                client.get("/health").raise_for_status()
                health.append((time.perf_counter() - started) * 1000)
                time.sleep(0.02)

    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    gate = threading.Barrier(size)

    def attacker(n: int) -> None:
        with _client(base, address=f"10.{n // 250}.{n % 250}.1") as client:
            gate.wait()
            status = _attempt(client, f"guess{n}@example.lu", "wrong-password").status_code
        with lock:
            statuses[status] += 1

    prober = threading.Thread(target=probe)
    prober.start()
    time.sleep(3)
    calm = list(health)
    health.clear()
    started = time.perf_counter()
    pool = [threading.Thread(target=attacker, args=(n,)) for n in range(size)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    time.sleep(0.3)
    stop.set()
    prober.join()
    peak = _peak_memory_mb(pid)
    p99 = _p99(health)
    print(f"crowd: {size} concurrent attempts answered in {seconds:.1f} s: "
          + ", ".join(f"{count}x {status}" for status, count in sorted(statuses.items())))
    print(f"crowd: /health before the attack: median {statistics.median(calm):.1f} ms, "
          f"99% under {_p99(calm):.1f} ms, slowest {max(calm):.1f} ms")
    print(f"crowd: /health during the attack ({len(health)} answers): median {statistics.median(health):.1f} ms, "
          f"99% under {p99:.1f} ms, slowest {max(health):.1f} ms; server peak memory {peak:.0f} MB")
    failures = []
    if p99 >= HEALTH_LIMIT_MS:
        failures.append(f"crowd: 1% of /health answers took over {p99:.0f} ms (limit {HEALTH_LIMIT_MS:.0f})")
    if peak >= MEMORY_LIMIT_MB:
        failures.append(f"crowd: the server reached {peak:.0f} MB (limit {MEMORY_LIMIT_MB:.0f})")
    if set(statuses) - {400, 503}:
        failures.append(f"crowd: unexpected answers {dict(statuses)}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--attempts", type=int, default=10_000, help="wrong passwords in the guessing phase")
    parser.add_argument("--threads", type=int, default=4, help="clients of the guessing phase")
    parser.add_argument("--crowd", type=int, default=100, help="concurrent attempts in the crowd phase")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="orion-stress-") as folder:
        # The crowd arrives through the reverse proxy from other computers, which the operator
        # of such an installation lets open the dashboards.
        env = dict(os.environ, ORION_ENV="development", ORION_DATA_DIR=folder, ORION_LOG_LEVEL="WARNING",
                   ORION_STAFF_FROM_LAN="1")
        if args.database_url:
            env["ORION_DATABASE_URL"] = args.database_url
        subprocess.run(
            [sys.executable, "-m", "orion_server", "init", "--admin-email", ADMIN, "--admin-password", "stress-password-123"],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )
        server = ServerProcess(env, Path(folder))
        try:
            server.wait_ready()
            failures = guessing(server.base, args.attempts, args.threads)
            failures += crowd(server.base, server.process.pid, args.crowd)
        finally:
            server.stop()
        if failures:
            log = server.log_path.read_text().strip().splitlines()
            print("server log (last lines):", *log[-40:], sep="\n  ")
    if failures:
        raise SystemExit("\n".join(failures))
    print("stress: every limit held")


if __name__ == "__main__":
    main()
