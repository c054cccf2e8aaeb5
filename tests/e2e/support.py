"""What the browser journeys share: the demo installation's names and a ``Journey`` handle
(screenshots, e-mails that arrived at the local SMTP server)."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
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
# axe-core, pinned in package.json / package-lock.json beside this file, installed by ``npm ci``
AXE_DIR = Path(__file__).resolve().parent
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def ensure_axe() -> str | None:
    """axe-core's script (``axe.min.js``), installed by ``npm ci`` when missing or not the locked
    version; None when npm is absent. A lock file keeps parallel test workers from installing
    at once."""
    lock = json.loads((AXE_DIR / "package-lock.json").read_text())
    wanted = lock["packages"]["node_modules/axe-core"]["version"]
    installed = AXE_DIR / "node_modules" / "axe-core"

    def version() -> str | None:
        manifest = installed / "package.json"
        return json.loads(manifest.read_text())["version"] if manifest.exists() else None

    if version() != wanted:
        npm = shutil.which("npm")
        if npm is None:
            return None
        with open(AXE_DIR / ".npm-install.lock", "w") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)
            if version() != wanted:
                done = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                                      cwd=AXE_DIR, capture_output=True, text=True, timeout=300)
                assert done.returncode == 0, f"npm ci failed in {AXE_DIR}:\n{done.stdout}{done.stderr}"
        assert version() == wanted, f"npm ci installed axe-core {version()}, the lock says {wanted}"
    return (installed / "axe.min.js").read_text()


def axe_violations(page: Any, script: str) -> list[dict[str, Any]]:
    """The WCAG 2.0/2.1 A and AA violations axe-core finds on the page as it is now.

    The script is evaluated through the DevTools protocol, not added as an inline script, so the
    page's Content-Security-Policy applies as for a shopper (nothing the policy refuses is drawn)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(script)
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        AXE_TAGS,
    )


def describe(violations: list[dict[str, Any]]) -> list[str]:
    """One line per failing element: rule, impact, selector and axe's summary."""
    lines = []
    for rule in violations:
        for node in rule["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{rule['id']} ({rule['impact']}) {node['target']}: {summary[:240]}")
    return lines


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
