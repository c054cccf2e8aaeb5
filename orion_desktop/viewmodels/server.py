"""The Server page's state: the controller, the port and binding chosen, storefront URLs,
the storefront shown as a QR code and the one-time admin sign-in.

``ORION_CONSOLE_PORT`` sets the first port; ``ORION_CONSOLE_START_SERVER=1`` (what ``make run``
sets) starts the server as soon as the stores are read, which happens only once the console
found an initialised installation.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from orion_desktop.operations import Failure, OperationRunner
from orion_desktop.qt import QDesktopServices, QObject, QTimer, QUrl, Signal
from orion_desktop.server_control import (
    LAN_HOST,
    LOCAL_HOST,
    ServerController,
    ServerState,
    lan_addresses,
)
from orion_desktop.strings import current_language, tr


@dataclass(frozen=True)
class StorefrontLink:
    """One store's storefront and the addresses it is reached at."""

    platform: str
    store: str
    name: str
    urls: list[str]


def list_storefronts() -> list[tuple[str, str, str]]:
    """(platform code, store code, store name) of every store, by platform and code."""
    from sqlalchemy import select

    from orion_server.database import db
    from orion_server.models import Platform, Store

    with db.session() as session:
        rows = session.execute(
            select(Platform.code, Store.code, Store.name).join(Store.platform).order_by(Platform.code, Store.code)
        )
        return [tuple(row) for row in rows]


def issue_admin_link(base_url: str) -> str:
    """A one-time sign-in URL for the first active admin (runs in the background helper)."""
    from orion_server.auth.login_tokens import admin_link
    from orion_server.database import db

    with db.session() as session:
        return admin_link(session, base_url)


def read_background_work(language: str) -> list:
    """Every module's background work in progress (a catalogue import's rows done of its total),
    through the contract modules provide it by (runs in the background helper)."""
    from modules.contracts.background_work import work_in_progress
    from orion_server.database import db

    with db.session() as session:
        return work_in_progress(session, language=language)


WORK_POLL_MS = 2000
"""How often the Server page reads the background work while it watches."""


def _open_in_browser(url: str) -> None:
    QDesktopServices.openUrl(QUrl(url))


class ServerViewModel(QObject):
    """What the Server page shows and the actions it offers."""

    changed = Signal()
    storefronts_changed = Signal()
    chosen_changed = Signal()
    admin_opened = Signal(str)  # the sign-in URL handed to the browser
    admin_failed = Signal(object)  # Failure
    work_changed = Signal()

    def __init__(self, runner: OperationRunner, controller: ServerController | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.controller = controller or ServerController(self)
        self.controller.state_changed.connect(lambda _state: self.changed.emit())
        self.controller.message_changed.connect(lambda _message: self.changed.emit())
        self.storefronts: list[tuple[str, str, str]] = []
        self.load_failure: Failure | None = None
        self.chosen = 0
        self.open_url: Callable[[str], None] = _open_in_browser
        self.admin_failure: Failure | None = None
        port = os.environ.get("ORION_CONSOLE_PORT", "")
        if port.isdigit() and 1024 <= int(port) <= 65535:
            self.controller.configure(port=int(port))
        self.start_when_loaded = os.environ.get("ORION_CONSOLE_START_SERVER") == "1"
        self.work: list = []
        """Background work in progress (``WorkInProgress``), as last read."""
        self._reading_work = False
        self._work_timer = QTimer(self)
        self._work_timer.setInterval(WORK_POLL_MS)
        self._work_timer.timeout.connect(self.read_work)

    # -- state ------------------------------------------------------------------------------

    @property
    def state(self) -> ServerState:
        return self.controller.state

    @property
    def message(self) -> str:
        return self.controller.message

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def on_lan(self) -> bool:
        return self.controller.host == LAN_HOST

    @property
    def can_start(self) -> bool:
        return not self.controller.running

    @property
    def can_stop(self) -> bool:
        return self.controller.running

    @property
    def status_title(self) -> str:
        return {
            ServerState.STOPPED: tr("Stopped"),
            ServerState.STARTING: tr("Starting…"),
            ServerState.READY: tr("Running"),
            ServerState.NOT_READY: tr("Not ready"),
            ServerState.STOPPING: tr("Stopping…"),
            ServerState.FAILED: tr("Needs attention"),
        }[self.state]

    # -- actions ----------------------------------------------------------------------------

    def set_port(self, port: int) -> None:
        """Choose the port of the next start."""
        self.controller.configure(port=port)
        self.changed.emit()
        self.storefronts_changed.emit()

    def set_on_lan(self, on_lan: bool) -> None:
        """Listen on the local network (True) or on this computer only."""
        self.controller.configure(host=LAN_HOST if on_lan else LOCAL_HOST)
        self.changed.emit()
        self.storefronts_changed.emit()

    def start(self) -> bool:
        return self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def restart(self) -> None:
        self.controller.restart()

    def load_storefronts(self) -> None:
        """Read the stores in the background."""
        self.runner.run(list_storefronts, label=tr("Reading the stores"),
                        on_success=self._storefronts_loaded, on_failure=self._storefronts_failed)

    def _storefronts_loaded(self, rows: list[tuple[str, str, str]]) -> None:
        self.storefronts, self.load_failure = rows, None
        if not self._work_timer.isActive():
            self.watch_work()
        if self.chosen >= len(rows):
            self.chosen = 0
        self.storefronts_changed.emit()
        if self.start_when_loaded:
            self.start_when_loaded = False  # once: a later Stop is the operator's choice
            self.start()

    # -- background work ------------------------------------------------------------------------

    def watch_work(self) -> None:
        """Read the background work now and every two seconds (once the installation is open)."""
        self.read_work()
        self._work_timer.start()

    def read_work(self) -> None:
        """Read it once, unless a read is still under way."""
        if self._reading_work:
            return
        self._reading_work = True
        self.runner.run(read_background_work, current_language(), label="",
                        on_success=self._work_read, on_failure=self._work_failed)

    def _work_read(self, work: list) -> None:
        self._reading_work = False
        if work != self.work:
            self.work = work
            self.work_changed.emit()

    def _work_failed(self, _failure: Failure) -> None:
        self._reading_work = False  # quietly: the next read may work (the database was busy)

    def _storefronts_failed(self, failure: Failure) -> None:
        self.storefronts, self.load_failure = [], failure
        self.storefronts_changed.emit()

    def storefront_links(self) -> list[StorefrontLink]:
        """Each store's storefront URLs: this computer, and the LAN when the server listens there."""
        hosts = [LOCAL_HOST] + (lan_addresses() if self.on_lan else [])
        return [
            StorefrontLink(platform, store, name, [
                f"http://{host}:{self.port}/platforms/{platform}/storefront/{store}/" for host in hosts
            ])
            for platform, store, name in self.storefronts
        ]

    # -- the chosen storefront, its QR code, the admin ------------------------------------------

    def choose(self, index: int) -> None:
        """Show storefront ``index`` (of ``storefront_links()``) as the QR code."""
        if index != self.chosen and 0 <= index < len(self.storefronts):
            self.chosen = index
            self.chosen_changed.emit()

    def chosen_link(self) -> StorefrontLink | None:
        links = self.storefront_links()
        return links[self.chosen] if 0 <= self.chosen < len(links) else None

    def share_url(self) -> str | None:
        """The chosen storefront's address for phones: its LAN URL, or this computer's when none."""
        link = self.chosen_link()
        if link is None:
            return None
        return link.urls[1] if len(link.urls) > 1 else link.urls[0]

    @property
    def shared_on_lan(self) -> bool:
        """Whether ``share_url`` can be opened from another device."""
        link = self.chosen_link()
        return link is not None and len(link.urls) > 1

    def open_storefront(self) -> None:
        """Open the chosen storefront in this computer's browser."""
        link = self.chosen_link()
        if link is not None:
            self.open_url(link.urls[0])

    def open_admin(self) -> None:
        """Sign the first admin in through a one-time link and open the admin in the browser."""
        self.runner.run(issue_admin_link, self.controller.base_url, label=tr("Opening the admin"),
                        on_success=self._admin_link_ready, on_failure=self._admin_link_failed)

    def _admin_link_ready(self, url: str) -> None:
        self.admin_failure = None
        self.open_url(url)
        self.admin_opened.emit(url)

    def _admin_link_failed(self, failure: Failure) -> None:
        self.admin_failure = failure
        self.admin_failed.emit(failure)
