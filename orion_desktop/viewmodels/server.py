"""The Server page's state: the controller, the port and binding chosen, storefront URLs."""

from __future__ import annotations

from dataclasses import dataclass

from orion_desktop.operations import Failure, OperationRunner
from orion_desktop.qt import QObject, Signal
from orion_desktop.server_control import (
    LAN_HOST,
    LOCAL_HOST,
    ServerController,
    ServerState,
    lan_addresses,
)
from orion_desktop.strings import tr


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


class ServerViewModel(QObject):
    """What the Server page shows and the actions it offers."""

    changed = Signal()
    storefronts_changed = Signal()

    def __init__(self, runner: OperationRunner, controller: ServerController | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.controller = controller or ServerController(self)
        self.controller.state_changed.connect(lambda _state: self.changed.emit())
        self.controller.message_changed.connect(lambda _message: self.changed.emit())
        self.storefronts: list[tuple[str, str, str]] = []
        self.load_failure: Failure | None = None

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
        self.storefronts_changed.emit()

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
