"""A small local HTTP server speaking the Letzshop GraphQL operations Orion uses: the orders
query with cursor pagination, ``confirmInventoryUnits``, ``setShipmentTracking`` and
``updateStockLevels``. It checks the bearer key, keeps what it was sent, and can be told to
answer with GraphQL errors, an HTTP error, or to hang on a given page (a timeout)."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "lz-test-key-0123456789"


def unit(unit_id: str, sku: str, price: str = "4.50", *, title: str | None = None, state: str = "unconfirmed",
         vat: int = 17) -> dict[str, Any]:
    return {"id": unit_id, "state": state, "price": price, "vatRate": vat,
            "variant": {"sku": sku, "title": title or sku.title()}}


def order(order_id: str, *units: dict[str, Any], number: str | None = None, shipping: str = "0.00",
          email: str = "lea@example.lu", first: str = "Léa", last: str = "Schmit") -> dict[str, Any]:
    address = {"firstName": first, "lastName": last, "company": "", "streetName": "rue de la Gare",
               "streetNumber": "12", "streetName2": "", "zipCode": "L-1616", "city": "Luxembourg",
               "countryIso": "LU", "phone": "+352 621 000 000"}
    return {"id": order_id, "number": number or f"R{order_id}", "createdAt": "2026-12-01T09:30:00Z", "email": email,
            "locale": "fr", "phone": "+352 621 000 000", "customer": {"firstName": first, "lastName": last},
            "shipAddress": address, "billAddress": address, "shippingPrice": shipping,
            "shipment": {"id": f"S{order_id}", "state": "unconfirmed", "shippedAt": None, "tracking": None},
            "inventoryUnits": list(units)}


@dataclass
class FakeLetzshop:
    """The server's state: its orders (in the order it lists them) and what it was sent."""

    orders: list[dict[str, Any]] = field(default_factory=list)
    key: str = KEY
    hang_on_page: int | None = None
    """0-based page that never answers (until the test ends)."""
    graphql_error: str | None = None
    http_status: int | None = None
    confirmations: list[list[dict[str, Any]]] = field(default_factory=list)
    trackings: list[dict[str, Any]] = field(default_factory=list)
    stock_pushes: list[list[dict[str, Any]]] = field(default_factory=list)
    pages_served: int = 0
    since_asked: list[str | None] = field(default_factory=list)
    """The ``updatedSince`` of each first page asked for (the fake lists every order anyway)."""
    url: str = ""
    released: threading.Event = field(default_factory=threading.Event)

    # -- what a test reads ---------------------------------------------------------------------

    def stock(self) -> dict[str, int]:
        """The last level pushed for each SKU."""
        levels: dict[str, int] = {}
        for push in self.stock_pushes:
            for level in push:
                levels[level["sku"]] = level["quantity"]
        return levels

    def unit_state(self, unit_id: str) -> str:
        for node in self.orders:
            for item in node["inventoryUnits"]:
                if item["id"] == unit_id:
                    return item["state"]
        raise KeyError(unit_id)

    # -- the operations ------------------------------------------------------------------------

    def answer(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        if self.graphql_error:
            return {"data": None, "errors": [{"message": self.graphql_error}]}
        if re.search(r"\borders\s*\(", query) and query.lstrip().startswith("query"):
            return {"data": {"orders": self._orders_page(variables)}}
        if "confirmInventoryUnits" in query:
            return {"data": {"confirmInventoryUnits": self._confirm(variables["input"]["inventoryUnits"])}}
        if "setShipmentTracking" in query:
            return {"data": {"setShipmentTracking": self._tracking(variables["input"])}}
        if "updateStockLevels" in query:
            levels = variables["input"]["stockLevels"]
            self.stock_pushes.append(levels)
            return {"data": {"updateStockLevels": {"updated": len(levels), "errors": []}}}
        return {"data": None, "errors": [{"message": "Cannot query this operation"}]}

    def _orders_page(self, variables: dict[str, Any]) -> dict[str, Any]:
        first = int(variables.get("first") or 50)
        start = int(variables.get("after") or 0)
        if not start:
            self.since_asked.append(variables.get("updatedSince"))
        page_index = start // first
        if self.hang_on_page is not None and page_index == self.hang_on_page:
            self.released.wait(30)
        self.pages_served += 1
        nodes = self.orders[start:start + first]
        end = start + len(nodes)
        return {"pageInfo": {"hasNextPage": end < len(self.orders), "endCursor": str(end)}, "nodes": nodes}

    def _confirm(self, decisions: list[dict[str, Any]]) -> dict[str, Any]:
        self.confirmations.append(decisions)
        changed, errors = [], []
        for decision in decisions:
            try:
                current = self.unit_state(decision["inventoryUnitId"])
            except KeyError:
                errors.append({"id": decision["inventoryUnitId"], "code": "not_found", "message": "no such unit"})
                continue
            if current != "unconfirmed":
                errors.append({"id": decision["inventoryUnitId"], "code": "invalid_state",
                               "message": f"unit is {current}"})
                continue
            state = "confirmed_available" if decision["isAvailable"] else "confirmed_unavailable"
            for node in self.orders:
                for item in node["inventoryUnits"]:
                    if item["id"] == decision["inventoryUnitId"]:
                        item["state"] = state
                        states = {i["state"] for i in node["inventoryUnits"]}
                        if "unconfirmed" not in states:
                            node["shipment"]["state"] = ("confirmed" if "confirmed_available" in states
                                                         else "declined")
            changed.append({"id": decision["inventoryUnitId"], "state": state})
        return {"inventoryUnits": changed, "errors": errors}

    def _tracking(self, given: dict[str, Any]) -> dict[str, Any]:
        self.trackings.append(given)
        for node in self.orders:
            if node["shipment"]["id"] == given["shipmentId"]:
                node["shipment"].update(tracking={"code": given["code"], "provider": given["provider"]},
                                        shippedAt="2026-12-02T10:00:00Z")
                return {"shipment": {"id": given["shipmentId"], "state": node["shipment"]["state"],
                                     "shippedAt": node["shipment"]["shippedAt"]}, "errors": []}
        return {"shipment": None, "errors": [{"id": given["shipmentId"], "code": "not_found",
                                              "message": "no such shipment"}]}


def serve(fake: FakeLetzshop) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Start ``fake`` on a free port of 127.0.0.1 (``fake.url`` is its GraphQL address)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Authorization") != f"Bearer {fake.key}":
                return self._send(401, {"errors": [{"message": "invalid token"}]})
            if fake.http_status:
                return self._send(fake.http_status, {"message": "unavailable"})
            try:
                request = json.loads(body)
            except ValueError:
                return self._send(400, {"errors": [{"message": "bad json"}]})
            self._send(200, fake.answer(request.get("query", ""), request.get("variables") or {}))

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up waiting (a timeout test)
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/graphql"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
