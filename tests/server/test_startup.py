"""A server worker starts without work it does not need before its first request: after a
kill -9 the shop is back within seconds (issue 10 times it: tests/server/test_campaign.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import json, sys, time
started = time.perf_counter()
import orion_server.asgi
from orion_server.auth import passwords
print(json.dumps({"loaded": sorted(m for m in ("stripe", "httpx") if m in sys.modules),
                  "hashed": passwords.dummy_hash.cache_info().currsize}))
"""


def test_a_server_worker_loads_no_payment_library_and_hashes_no_password_at_start(tmp_path):
    """The payment providers' libraries are loaded when a payment needs them, and the
    constant-time sign-in's dummy hash when the first unknown account signs in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORION_")}
    env.update(ORION_DATA_DIR=str(tmp_path), ORION_ENV="production",
               ORION_DATABASE_URL=f"sqlite:///{tmp_path / 'orion.db'}")
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"loaded": [], "hashed": 0}
