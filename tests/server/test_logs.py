"""Structured logs in a rotating file and logs.db, with secrets redacted."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from orion_server.logs import (
    LOG_DB,
    LOG_FILE,
    query_logs,
    redact,
    setup_logging,
    shutdown_logging,
    source_of,
)


@pytest.fixture
def logs_dir(tmp_path):
    setup_logging("test", level="INFO", logs_dir=tmp_path)
    yield tmp_path
    shutdown_logging()


@pytest.mark.parametrize(
    ("raw", "hidden"),
    [
        ("login password=hunter2 failed", "hunter2"),
        ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
        ("key sk_live_51Habc123 used", "sk_live_51Habc123"),
        ("postgresql+psycopg://orion:s3cret@db/orion", "s3cret"),
        ("secret_key: 0123456789abcdef", "0123456789abcdef"),
    ],
)
def test_redaction_hides_passwords_tokens_keys_and_url_credentials(raw, hidden):
    """Known secret shapes are replaced by ***."""
    assert hidden not in redact(raw) and "***" in redact(raw)


def test_source_is_the_module_code_or_the_top_package():
    """modules.dev_tools.x belongs to dev-tools; orion_server.y to orion_server."""
    assert source_of("modules.dev_tools.services") == "dev-tools"
    assert source_of("orion_server.app") == "orion_server"


def test_records_reach_the_file_and_the_database_redacted(logs_dir):
    """A record is written as JSON to orion.log and as a row to logs.db, without its secret."""
    logging.getLogger("modules.catalog.services").warning("import failed, token=abc123xyz")
    shutdown_logging()
    line = json.loads((logs_dir / LOG_FILE).read_text().strip().splitlines()[-1])
    assert line["source"] == "catalog" and line["level"] == "WARNING" and "abc123xyz" not in line["message"]
    rows = query_logs(logs_dir / LOG_DB, source="catalog")
    assert len(rows) == 1 and "abc123xyz" not in rows[0]["message"]


def test_query_filters_by_level_text_and_time(logs_dir):
    """The viewer's filters: minimum level, text, and a time window."""
    log = logging.getLogger("orion_server.test")
    log.info("harmless note")
    log.error("disk almost full")
    shutdown_logging()
    path = logs_dir / LOG_DB
    assert [r["message"] for r in query_logs(path, min_level=logging.ERROR)] == ["disk almost full"]
    assert [r["message"] for r in query_logs(path, text="harmless")] == ["harmless note"]
    future = datetime.now(UTC) + timedelta(minutes=5)
    assert query_logs(path, since=future) == []


FORKING = """
import logging, os, sys, time
from pathlib import Path
from orion_server import logs

folder = Path(sys.argv[1])
writer_at_fork = []
os.register_at_fork(before=lambda: writer_at_fork.append(logs._setup.listener._thread is not None))
logs.setup_logging("server", level="INFO", logs_dir=folder)
logs.fork_with_logging()  # its hooks run before the one above
logging.getLogger("orion_server.app").info("before the fork")
child = os.fork()
if child == 0:
    logging.getLogger("orion_server.app").info("in the child")
    logs.shutdown_logging()
    os._exit(0)
os.waitpid(child, 0)
logging.getLogger("orion_server.app").info("in the parent after the fork")
logs.shutdown_logging()
print(writer_at_fork)
"""


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="forks")
def test_a_forked_process_writes_its_own_records_and_no_writer_runs_at_the_fork(tmp_path):
    """The server forks its workers from the process that built the app: the log writer thread
    is stopped while the process is copied (a thread inside SQLite then would leave its locks
    held in the child for good), starts again in the parent, and the child writes its own."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", FORKING, str(tmp_path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[False]"
    rows = query_logs(tmp_path / LOG_DB, source="orion_server")
    assert sorted(row["message"] for row in rows) == ["before the fork", "in the child", "in the parent after the fork"]
    assert len({row["pid"] for row in rows}) == 2
