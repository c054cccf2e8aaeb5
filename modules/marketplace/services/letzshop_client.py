"""Letzshop's GraphQL API as the order sync uses it: a bearer key per store, timeouts, the
orders listed page by page, and the mutations that confirm inventory units, set a shipment's
tracking and push stock levels.

The operations (REFERENCE.md names ``confirmInventoryUnits`` with ``isAvailable``; the others
follow the same shape)::

    query Orders($first: Int!, $after: String, $updatedSince: String) {
      orders(first: $first, after: $after, updatedSince: $updatedSince) {
        pageInfo { hasNextPage endCursor }
        nodes { id number createdAt email locale phone
                customer { firstName lastName }
                shipAddress { ...Address } billAddress { ...Address }
                shippingPrice
                shipment { id state shippedAt tracking { code provider } }
                inventoryUnits { id state price vatRate variant { sku title } } }
      }
    }
    mutation ($input: ConfirmInventoryUnitsInput!) {            # [{inventoryUnitId, isAvailable}]
      confirmInventoryUnits(input: $input) { inventoryUnits { id state } errors { id code message } }
    }
    mutation ($input: SetShipmentTrackingInput!) {             # {shipmentId, code, provider}
      setShipmentTracking(input: $input) { shipment { id state } errors { id code message } }
    }
    mutation ($input: UpdateStockLevelsInput!) {               # {stockLevels: [{sku, quantity}]}
      updateStockLevels(input: $input) { updated errors { id code message } }
    }

Every failure is a ``LetzshopError`` whose ``key`` is the translation of what went wrong
(timeout, refused key, HTTP status, GraphQL errors) and whose message is English for the log.
httpx is imported with the first call: a server worker starts without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 50
"""Orders asked for per page."""
MAX_PAGES = 200
"""A guard against a cursor that never ends (10,000 orders a sync)."""
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0

ADDRESS = "firstName lastName company streetName streetNumber streetName2 zipCode city countryIso phone"
ORDERS_QUERY = (
    "query Orders($first: Int!, $after: String, $updatedSince: String) {"
    " orders(first: $first, after: $after, updatedSince: $updatedSince) {"
    " pageInfo { hasNextPage endCursor }"
    " nodes { id number createdAt email locale phone customer { firstName lastName }"
    f" shipAddress {{ {ADDRESS} }} billAddress {{ {ADDRESS} }} shippingPrice"
    " shipment { id state shippedAt tracking { code provider } }"
    " inventoryUnits { id state price vatRate variant { sku title } } } } }"
)
CONFIRM_MUTATION = (
    "mutation ConfirmInventoryUnits($input: ConfirmInventoryUnitsInput!) {"
    " confirmInventoryUnits(input: $input) { inventoryUnits { id state } errors { id code message } } }"
)
TRACKING_MUTATION = (
    "mutation SetShipmentTracking($input: SetShipmentTrackingInput!) {"
    " setShipmentTracking(input: $input) { shipment { id state shippedAt } errors { id code message } } }"
)
STOCK_MUTATION = (
    "mutation UpdateStockLevels($input: UpdateStockLevelsInput!) {"
    " updateStockLevels(input: $input) { updated errors { id code message } } }"
)


class LetzshopError(Exception):
    """A call to Letzshop that failed: ``key`` translates what went wrong for staff (with
    ``params``), the message says it in English for the log."""

    def __init__(self, text: str, key: str, /, **params: Any) -> None:
        super().__init__(text)
        self.key = key
        self.params = params


class LetzshopTimeout(LetzshopError):
    """Letzshop did not answer in time."""


@dataclass(frozen=True)
class OrdersPage:
    nodes: list[dict[str, Any]]
    has_next: bool
    cursor: str | None


class LetzshopClient:
    """One store's connection to Letzshop's GraphQL API."""

    def __init__(self, endpoint: str, api_key: str, *, timeout: float = READ_TIMEOUT,
                 page_size: int | None = None) -> None:
        self.endpoint = endpoint
        self.api_key = api_key
        self.timeout = timeout
        self.page_size = page_size or PAGE_SIZE

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a GraphQL call; LetzshopError on a timeout, a network or HTTP error,
        an answer that is not GraphQL, or GraphQL ``errors``."""
        import httpx

        timeout = httpx.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout))
        try:
            response = httpx.post(
                self.endpoint,
                json={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"},
                timeout=timeout,
                follow_redirects=False,
            )
        except httpx.TimeoutException:
            raise LetzshopTimeout(f"Letzshop did not answer within {self.timeout:g} s",
                                  "marketplace.orders.errors.timeout", seconds=f"{self.timeout:g}") from None
        except httpx.HTTPError as exc:
            raise LetzshopError(f"Letzshop cannot be reached: {type(exc).__name__}",
                                "marketplace.orders.errors.unreachable") from None
        if response.status_code in (401, 403):
            raise LetzshopError(f"Letzshop refused the API key (HTTP {response.status_code})",
                                "marketplace.orders.errors.unauthorized")
        if response.status_code >= 400:
            raise LetzshopError(f"Letzshop answered HTTP {response.status_code}", "marketplace.orders.errors.http",
                                status=response.status_code)
        try:
            body = response.json()
        except ValueError:
            raise LetzshopError("Letzshop's answer is not JSON", "marketplace.orders.errors.not_graphql") from None
        if not isinstance(body, dict):
            raise LetzshopError("Letzshop's answer is not a GraphQL answer", "marketplace.orders.errors.not_graphql")
        errors = body.get("errors")
        if errors:
            messages = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)[:500]
            raise LetzshopError(f"Letzshop answered with errors: {messages}", "marketplace.orders.errors.graphql",
                                message=messages)
        data = body.get("data")
        if not isinstance(data, dict):
            raise LetzshopError("Letzshop's answer has no data", "marketplace.orders.errors.not_graphql")
        return data

    # -- operations ----------------------------------------------------------------------------

    def order_pages(self, *, updated_since: str | None = None) -> Iterator[OrdersPage]:
        """The orders, page after page (a page is fetched when the previous one was used)."""
        after: str | None = None
        for _ in range(MAX_PAGES):
            data = self.execute(ORDERS_QUERY, {"first": self.page_size, "after": after, "updatedSince": updated_since})
            found = data.get("orders") or {}
            info = found.get("pageInfo") or {}
            page = OrdersPage(nodes=list(found.get("nodes") or []), has_next=bool(info.get("hasNextPage")),
                              cursor=info.get("endCursor"))
            yield page
            if not page.has_next or not page.cursor or page.cursor == after:
                return
            after = page.cursor

    def confirm_units(self, decisions: Sequence[tuple[str, bool]]) -> dict[str, str]:
        """Say of each inventory unit whether it is available; ``{unit id: new state}``."""
        data = self.execute(CONFIRM_MUTATION, {"input": {"inventoryUnits": [
            {"inventoryUnitId": unit_id, "isAvailable": available} for unit_id, available in decisions
        ]}})
        result = data.get("confirmInventoryUnits") or {}
        _raise_payload_errors(result)
        return {str(u["id"]): str(u["state"]) for u in result.get("inventoryUnits") or []}

    def set_tracking(self, *, shipment_id: str, code: str, provider: str) -> dict[str, Any]:
        """Send a shipment's tracking number; the shipment as Letzshop now has it."""
        data = self.execute(TRACKING_MUTATION, {"input": {"shipmentId": shipment_id, "code": code,
                                                          "provider": provider}})
        result = data.get("setShipmentTracking") or {}
        _raise_payload_errors(result)
        return dict(result.get("shipment") or {})

    def update_stock(self, levels: Sequence[tuple[str, int]]) -> int:
        """Tell Letzshop how many units of each SKU can be sold; how many it updated."""
        data = self.execute(STOCK_MUTATION, {"input": {"stockLevels": [
            {"sku": sku, "quantity": quantity} for sku, quantity in levels
        ]}})
        result = data.get("updateStockLevels") or {}
        _raise_payload_errors(result)
        return int(result.get("updated") or 0)


def _raise_payload_errors(result: dict[str, Any]) -> None:
    errors = result.get("errors") or []
    if errors:
        messages = "; ".join(f"{e.get('id', '')}: {e.get('message', e.get('code', ''))}" for e in errors)[:500]
        raise LetzshopError(f"Letzshop refused: {messages}", "marketplace.orders.errors.graphql", message=messages)
