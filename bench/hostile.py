"""``make stress``: the hostile-input campaign (issue 10) at full size.

Runs tests/server/test_hostile_input.py with pytest (in parallel, one worker per core) with:

- 100 hypothesis examples per API operation (``--examples``), every case of schemathesis'
  coverage phase, and the stateful walk over the links schemathesis infers from /openapi.json;
- every hostile value in every field of every form, one field at a time besides all at once.

On SQLite by default (a throw-away database per worker); ``--database-url`` runs it on
PostgreSQL (each worker uses ``<database>_gw<n>``, created when missing). Prints the figures
(operations, examples tried, failures found, forms walked, bodies sent, the answers' statuses)
and exits non-zero when anything failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_FILE = "tests/server/test_hostile_input.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--examples", type=int, default=100, help="hypothesis examples per API operation")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: a random one, printed)")
    parser.add_argument("--workers", default="auto", help="pytest-xdist workers (0: in this process)")
    args = parser.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(1, 2**31)
    with tempfile.TemporaryDirectory(prefix="orion-hostile-") as report:
        env = {
            **os.environ,
            "ORION_HOSTILE_EXAMPLES": str(args.examples),
            "ORION_HOSTILE_DEEP": "1",
            "ORION_HOSTILE_STATEFUL": "1",
            "ORION_HOSTILE_COVERAGE_EVERY": "1",
            "ORION_HOSTILE_SEED": str(seed),
            "ORION_HOSTILE_REPORT": report,
        }
        if args.database_url:
            env["ORION_TEST_DATABASE_URL"] = args.database_url
        command = [sys.executable, "-m", "pytest", TEST_FILE, "-n", args.workers, "-q", "-p", "no:cacheprovider"]
        database = args.database_url.split("@")[-1] if args.database_url else "SQLite"
        print(f"hostile input: {args.examples} examples per operation, seed {seed}, on {database}", flush=True)
        started = time.monotonic()
        returncode = subprocess.call(command, cwd=ROOT, env=env)
        elapsed = time.monotonic() - started
        figures = [json.loads(path.read_text()) for path in sorted(Path(report).glob("*.json"))]

    failed = summarize(figures, elapsed, seed, args.examples)
    if returncode != 0 or failed:
        print(f"hostile input: FAILED (pytest exit status {returncode}); rerun with --seed {seed}")
        return returncode or 1
    print("hostile input: no failure")
    return 0


def summarize(figures: list[dict], elapsed: float, seed: int, examples: int) -> int:
    """Print the campaign's figures; the number of failures found."""
    api = [f for f in figures if f["test"].endswith("_api_against_its_description")]
    forms = [f for f in figures if f["test"].endswith("_forms_survive_hostile_bodies")]
    walk = [f for f in figures if f["test"].startswith("test_stateful_walk")]
    operations = {label for f in api for label in f["operations"]}
    cases = sum(f["cases"] for f in api)
    coverage = sum(f["coverage_cases"] for f in api)
    failures = sum(f["failures"] for f in api) + sum(f["failures"] for f in walk)
    form_failures = sum(f["form_failures"] for f in forms)
    api_statuses = sum((Counter(f["api_statuses"]) for f in api), Counter())
    form_statuses = sum((Counter(f["form_statuses"]) for f in forms), Counter())
    per_operation = sum((Counter(f["per_operation"]) for f in api), Counter())
    fewest = min(per_operation.values(), default=0)
    below = sorted(label for label, count in per_operation.items() if count < examples)
    rows = [
        ("API operations", len(operations)),
        ("API cases tried", f"{cases} ({coverage} from the coverage phase, {cases - coverage} generated)"),
        ("cases per operation", f"{cases / len(operations):.0f} on average, {fewest} at least" if operations else "-"),
        (f"under {examples} cases", f"{len(below)}: {', '.join(below) or '-'} (hypothesis stops when an "
                                     "operation has no more distinct inputs: no parameters, enums only)"),
        ("stateful steps", f"{sum(f['steps'] for f in walk)} over {max((f['links'] for f in walk), default=0)} "
                           "inferred links (the description declares none)"),
        ("API failures found", failures),
        ("API answers", ", ".join(f"{k}: {v}" for k, v in sorted(api_statuses.items()))),
        ("forms walked", sum(len(f["forms"]) for f in forms)),
        ("hostile bodies sent", sum(f["bodies"] for f in forms)),
        ("form failures found", form_failures),
        ("form answers", ", ".join(f"{k}: {v}" for k, v in sorted(form_statuses.items()))),
        ("seed", seed),
        ("wall time", f"{elapsed:.0f} s"),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print()
    if len(api) != 3 or len(forms) != 3:
        print(f"hostile input: expected figures from 3 API and 3 form tests, got {len(api)} and {len(forms)}")
        return failures + form_failures + 1
    return failures + form_failures


if __name__ == "__main__":
    sys.exit(main())
