"""`make test`: the suite on SQLite and, when PostgreSQL is reachable, on PostgreSQL, side by side.

Many tests wait on server processes, a browser or PostgreSQL rather than on Python, so the two
runs together take far less than one after the other (each run is still parallel: a worker per
core, each with its own database). The SQLite run's output streams as it comes; the PostgreSQL
run's is kept in a file and printed when it ends. The exit status is non-zero when either fails.

    python tests/support/run_suites.py [pytest arguments...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("PG_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/orion_test")


def postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def _pytest(extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", "-n", os.environ.get("TEST_WORKERS", "auto"), *extra]


def main(argv: list[str]) -> int:
    env = {k: v for k, v in os.environ.items() if k != "ORION_TEST_DATABASE_URL"}
    started = time.monotonic()
    postgres = None
    log = REPO / ".pytest-postgresql.log"
    if postgres_reachable():
        with log.open("w") as out:
            postgres = subprocess.Popen(_pytest(argv), cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                        env={**env, "ORION_TEST_DATABASE_URL": PG_URL})
        print(f"PostgreSQL run started beside the SQLite run (its output: {log.name})", flush=True)
    else:
        print("PostgreSQL is not reachable on 127.0.0.1:5432: skipping the PostgreSQL run", flush=True)
    print("== SQLite ==", flush=True)
    sqlite_code = subprocess.call(_pytest(argv), cwd=REPO, env=env)
    sqlite_time = time.monotonic() - started
    results = [("SQLite", sqlite_code, sqlite_time)]
    if postgres is not None:
        postgres_code = postgres.wait()
        results.append(("PostgreSQL", postgres_code, time.monotonic() - started))
        print("== PostgreSQL ==", flush=True)
        print(log.read_text(errors="replace"), flush=True)
    for name, code, seconds in results:
        print(f"{name}: {'passed' if code == 0 else f'FAILED (exit {code})'} after {seconds / 60:.1f} min", flush=True)
    return max(code for _name, code, _seconds in results)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
