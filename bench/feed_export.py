"""Time writing the demo bakery's Letzshop feed, and importing it (``make bench``).

Run inside an installation's environment after ``bench/store10k.py``:
``python bench/feed_export.py``. Writes the feed in its three languages (en, fr, de) as the
marketplace's task does, ``--runs`` times; then imports the first ``--import-rows`` rows of its
French file (pictures left out: they point at this installation) into the demo bookshop, once
into an empty catalogue and once again (every row unchanged), as the import task does. Prints
``{"rows", "bytes", "seconds", "import": {"rows", "created_per_s", "unchanged_per_s"}}`` as JSON
(``seconds``: each run of the feed, every language together).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from modules.marketplace.services.feeds import FEED_LANGUAGES, feed_path  # noqa: E402
from modules.marketplace.tasks.feeds import run_generate_feed  # noqa: E402
from orion_server.database import session_scope  # noqa: E402
from orion_server.models import Store  # noqa: E402

STORE = "boulangerie-dupont"
IMPORT_STORE = "librairie-ernster"


def time_import(rows: int, source: Path) -> dict[str, float | int]:
    """Import the first ``rows`` rows of ``source`` into the bookshop twice; rows per second."""
    from modules.billing.services.subscription_service import subscription_service
    from modules.marketplace.services.imports import import_service

    lines = source.read_text(encoding="utf-8").splitlines()[: rows + 1]
    header = lines[0].split("\t")
    keep = [i for i, name in enumerate(header) if name not in ("image_link", "additional_image_link")]
    data = "\n".join("\t".join(line.split("\t")[i] for i in keep) for line in lines).encode() + b"\n"
    with session_scope() as db:
        store_id = db.scalar(select(Store.id).where(Store.code == IMPORT_STORE))
        subscription_service.activate(db, store_id=store_id, tier="professional")
    rates = []
    for _ in range(2):
        with session_scope() as db:
            record = import_service.start(db, store_id=store_id, file_name="bench.tsv", data=data, language="fr",
                                          actor="bench")
        started = time.monotonic()
        import_service.run(record.id)
        rates.append(round((len(lines) - 1) / (time.monotonic() - started), 1))
    return {"rows": len(lines) - 1, "created_per_s": rates[0], "unchanged_per_s": rates[1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="times the feed is written (default 3)")
    parser.add_argument("--import-rows", type=int, default=2000, help="feed rows imported (default 2,000)")
    args = parser.parse_args()
    with session_scope() as db:
        store_id = db.scalar(select(Store.id).where(Store.code == STORE))
    seconds, rows = [], 0
    for _ in range(args.runs):
        started = time.monotonic()
        rows = run_generate_feed(store_id)
        seconds.append(round(time.monotonic() - started, 2))
    size = sum(feed_path(store_id, language).stat().st_size for language in FEED_LANGUAGES)
    imported = time_import(args.import_rows, feed_path(store_id, "fr")) if args.import_rows else {}
    print(json.dumps({"rows": rows, "bytes": size, "seconds": seconds, "import": imported}))


if __name__ == "__main__":
    main()
