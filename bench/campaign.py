"""``make stress``: the reliability campaign of issue 10 at full size, against real processes.

1. **Crash safety**: ``--crash-cycles`` (200) kills of the server, the worker or both at
   random moments while shoppers check out on SQLite, then ``--pg-crash-cycles`` (50) on
   PostgreSQL when it is reachable. After the last restart every order answered 201 or 200 is
   checked: there, with one payment of its total, its reservation and its confirmation e-mail
   (sent; every copy at the SMTP server carries one Message-ID), the stock ledger adds up, and
   ``PRAGMA integrity_check`` is ok. The way back to ready is timed after every kill.
2. **Backup under load**: ``orion db backup`` while 20 shoppers check out, restored into another
   database: every order answered before the backup began passes the same checks.
3. **Load held**: ``--shoppers`` (200) at once for ``--seconds`` (300) on SQLite, two server
   workers: browse, search, a product, the cart, a third check out; no 5xx, no "database is
   locked", latency percentiles per kind of request.

Prints each part's figures and a JSON summary (``--json FILE`` writes it); exits non-zero,
saying what broke, when an invariant did.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.campaign import (  # noqa: E402
    READY_LIMIT_S,
    backup_under_load,
    crash_campaign,
    load_held,
    mkdir,
)

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def broken(name: str, report: dict[str, Any]) -> list[str]:
    found = []
    if report.get("integrity") not in ("ok", "n/a"):
        found.append(f"{name}: integrity_check says {report['integrity']}")
    found += [f"{name}: {problem}" for problem in report.get("problems", [])]
    if report.get("server_error_count"):
        found.append(f"{name}: {report['server_error_count']} answers 5xx, e.g. {report['server_errors'][:3]}")
    if report.get("database_locked"):
        found.append(f"{name}: 'database is locked' {report['database_locked']} times in the logs")
    return found


def describe_crash(name: str, r: dict[str, Any]) -> str:
    return (f"{name}: {r['cycles']} kills ({r['kills']}) in {r['seconds']} s under {r['shoppers']} shoppers; "
            f"{r['orders_answered']} orders answered ({r['answered_201']} with 201), all {r['orders_checked']} "
            f"checked: {len(r['problems'])} problems; {r['cut_requests']} requests cut and sent again; "
            f"ready again in p50 {r['ready_p50_s']} s, max {r['ready_max_s']} s "
            f"({r['ready_over_limit']} restarts over {READY_LIMIT_S} s); integrity {r['integrity']}; "
            f"{r['smtp_messages']} e-mails at the SMTP server, {r['resent_copies']} sent again after a kill; "
            f"{r['orphan_reservations']} reservations of placements killed before their order (held until "
            f"their hold runs out); 5xx {r['server_error_count']}; 'database is locked' {r['database_locked']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crash-cycles", type=int, default=200)
    parser.add_argument("--pg-crash-cycles", type=int, default=50)
    parser.add_argument("--crash-shoppers", type=int, default=6)
    parser.add_argument("--shoppers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--skip", action="append", default=[], choices=["crash", "pg-crash", "backup", "load"])
    parser.add_argument("--json", type=Path, help="Write the figures here as JSON.")
    args = parser.parse_args()

    summary: dict[str, Any] = {}
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="orion-campaign-") as tmp:
        root = Path(tmp)
        parts = [
            ("crash", "crash safety, SQLite",
             lambda: crash_campaign(root / "crash-sqlite", cycles=args.crash_cycles, shoppers=args.crash_shoppers,
                                    database_url=f"sqlite:///{root / 'crash-sqlite' / 'orion.db'}")),
            ("pg-crash", "crash safety, PostgreSQL",
             lambda: crash_campaign(root / "crash-pg", cycles=args.pg_crash_cycles, shoppers=args.crash_shoppers,
                                    database_url=_pg_database(root / "crash-pg"))),
            ("backup", "backup under load, SQLite",
             lambda: backup_under_load(root / "backup", shoppers=20,
                                       database_url=f"sqlite:///{mkdir(root / 'backup' / 'live')}/orion.db",
                                       restore_url=f"sqlite:///{mkdir(root / 'backup' / 'restored')}/orion.db")),
            ("load", f"load held, {args.shoppers} shoppers for {args.seconds:.0f} s, SQLite",
             lambda: load_held(root / "load", shoppers=args.shoppers, seconds=args.seconds,
                               database_url=f"sqlite:///{mkdir(root / 'load')}/orion.db")),
        ]
        for key, name, run in parts:
            if key in args.skip or (key == "pg-crash" and (args.pg_crash_cycles <= 0 or not postgres_reachable())):
                print(f"-- {name}: skipped", flush=True)
                continue
            print(f"-- {name}", flush=True)
            started = time.monotonic()
            report = run()
            report["wall_seconds"] = round(time.monotonic() - started, 1)
            if key != "load":
                report.pop("statuses", None)
            summary[key] = report
            problems += broken(name, report)
            if key in ("crash", "pg-crash"):
                print("   " + describe_crash(name, report), flush=True)
            elif key == "backup":
                print(f"   backup taken in {report['backup_seconds']} s with {report['shoppers']} shoppers checking out "
                      f"({report['orders_during_backup']} orders answered meanwhile); restored: "
                      f"{report['orders_checked']} orders answered before it checked, {len(report['problems'])} "
                      f"problems, integrity {report['integrity']}", flush=True)
            else:
                print(f"   {report['requests']} requests in {report['seconds']} s ({report['requests_per_second']}/s), "
                      f"{report['orders_answered']} orders; p99 {report['p99_ms']} ms; 5xx "
                      f"{report['server_error_count']}; 'database is locked' {report['database_locked']}; "
                      f"connections refused or cut {report['connection_errors']}", flush=True)
                for kind, figures in report["latency_ms"].items():
                    print(f"     {kind:<10} n={figures['n']:<6} p50 {figures['p50']} ms  p95 {figures['p95']} ms  "
                          f"p99 {figures['p99']} ms", flush=True)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))
    if problems:
        print("\nBROKEN:\n  " + "\n  ".join(problems[:50]))
        return 1
    print("\nEvery invariant held.")
    return 0


def _pg_database(root: Path) -> str:
    import uuid

    from sqlalchemy.engine import make_url

    from orion_server.testing.environment import ensure_postgres_database

    mkdir(root)
    url = make_url(PG_URL).set(database=f"orion_campaign_{uuid.uuid4().hex[:8]}").render_as_string(hide_password=False)
    ensure_postgres_database(url)
    return url


if __name__ == "__main__":
    sys.exit(main())
