"""``make bench`` reads wrk's report: requests/s, p50, p99 and every failed request."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SPEC = importlib.util.spec_from_file_location("bench_run", Path(__file__).resolve().parents[2] / "bench" / "run.py")
bench = importlib.util.module_from_spec(SPEC)
sys.modules["bench_run"] = bench  # dataclasses look their module up
SPEC.loader.exec_module(bench)

REPORT = """Running 15s test @ http://127.0.0.1:41234/platforms/demo/storefront/boulangerie-dupont/products
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.27ms  130.02ms   1.20s    71.43%
    Req/Sec    38.63     17.41    90.00     66.02%
  Latency Distribution
     50%  398.50ms
     75%  480.11ms
     90%  571.88ms
     99%    1.07s
  1161 requests in 15.02s, 12.73MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:     77.31
Transfer/sec:    867.88KB
"""


def test_the_figures_and_the_failures_are_read_with_their_units():
    load = bench.parse_wrk(REPORT)
    assert load.per_second == 77.31
    assert load.p50_ms == 398.5
    assert load.p99_ms == 1070.0
    assert load.requests == 1161
    assert load.failed == 4 + 2 + 3


def test_microseconds_and_a_clean_run():
    clean = REPORT.replace("398.50ms", "812.00us").split("  Socket errors")[0] + "Requests/sec:   7454.10\n"
    load = bench.parse_wrk(clean)
    assert load.p50_ms == 0.812 and load.failed == 0 and load.per_second == 7454.1
