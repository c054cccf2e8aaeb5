"""Fixtures of the Messaging tests: a real SMTP server (aiosmtpd), a shop, signed-in staff."""

from __future__ import annotations

import email
import socket
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from modules.messaging.services import smtp_service
from orion_server.modules.service import module_service


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A local SMTP server that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Collector()
        self.controller: Controller | None = None
        self.started_once = False

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        if self.controller is not None:
            return
        for _attempt in range(5):
            controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            try:
                controller.start()
            except OSError:
                # The free port was taken between choosing and binding it (another test's
                # process): before the first start nobody knows the port yet, so take another.
                if self.started_once:
                    raise
                self.port = free_port()
                continue
            self.controller, self.started_once = controller, True
            return
        raise OSError(f"no free port for the test SMTP server after 5 tries (last {self.port})")

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    """A running local SMTP server collecting messages in ``.messages``."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shop(factories, main_platform, db_session):
    """The main platform (French) with a German-speaking store; messaging on."""
    module_service.enable_module(db_session, main_platform.id, "messaging")
    store = factories.store(
        main_platform, code="bakery", name="Bäckerei Dupont", languages=["de", "fr", "en"], default_language="de"
    )
    return main_platform, store


@pytest.fixture
def smtp_settings(db_session, shop, smtp_server):
    """The main platform sends through the local SMTP server (no TLS, no login)."""
    platform, _store = shop
    return smtp_service.save(
        db_session,
        platform_id=platform.id,
        host="127.0.0.1",
        port=smtp_server.port,
        security="none",
        from_address="shop@example.lu",
        from_name="Orion Test",
    )


ORDER_VARIABLES: dict[str, Any] = {
    "customer_name": "Anna Weber",
    "store_name": "Bäckerei Dupont",
    "order_number": "B-1001",
    "items": [{"name": "Brot", "quantity": 2, "line_total_cents": 700}],
    "total_cents": 1190,
    "shipping_cents": 490,
}


@pytest.fixture
def owner(client, factories, shop):
    """The signed-in owner of the store (English pages); returns the CSRF token."""
    client.cookies.set("orion_lang", "en")
    return factories.login(client, factories.staff(shop[1], role="owner"))
