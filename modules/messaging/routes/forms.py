"""What the messaging pages share: reading forms, 404 pages, flash messages."""

from __future__ import annotations

from orion_server.flash import flash_for as _flash_for

FLASHES = {
    "saved", "reset", "read", "all_read", "test_sent", "retried", "replied", "closed", "reopened", "sent",
}


def flash_for(done: str, language: str) -> dict[str, str] | None:
    """The confirmation shown after a redirect (``?done=saved``), if any."""
    return _flash_for(done, prefix="messaging.flash.", allowed=FLASHES, language=language)
