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
