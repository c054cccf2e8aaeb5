"""What the browser journeys share: the demo installation's names and a ``Journey`` handle
(screenshots, e-mails that arrived at the local SMTP server)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.modules.messaging.conftest import SmtpServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
PLATFORM, STORE, STORE_NAME = "demo", "boulangerie-dupont", "Boulangerie Dupont – Kirchberg"
STAFF_EMAIL, STAFF_PASSWORD = "claire@boulangerie-dupont.lu", "Staff-pass-2026"
SHOPPER = "anna.weber@example.lu"

@dataclass
class Journey:
    base: str
    storefront: str
    smtp: SmtpServer
    screens: Path
    log: Path

    def shot(self, page: Any, name: str) -> None:
        path = self.screens / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")

    def mail_to(self, address: str, subject_start: str, timeout: float = 40.0) -> Any:
        """The one message to ``address`` whose subject starts so (the task consumer sends it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.smtp.messages
                     if m["To"] == address and str(m["Subject"]).startswith(subject_start)]
            if found:
                time.sleep(0.5)  # a duplicate would arrive now
                found = [m for m in self.smtp.messages
                         if m["To"] == address and str(m["Subject"]).startswith(subject_start)]
                assert len(found) == 1, [str(m["Subject"]) for m in found]
                return found[0]
            time.sleep(0.2)
        got = [(m["To"], str(m["Subject"])) for m in self.smtp.messages]
        raise AssertionError(f"no e-mail {subject_start!r} to {address} after {timeout}s; got {got}\n"
                             + self.log.read_text()[-3000:])
