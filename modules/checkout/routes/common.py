"""What the checkout's pages and API share: JSON views of options, quotes and placed orders."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from modules.checkout.services import Placed, ShippingMethod, checkout_service
from modules.contracts.checkout_payments import PaymentMethodChoice, StartedPayment
from modules.orders.models import Order
from modules.orders.services import order_service
from orion_server.config import get_settings
from orion_server.deps import storefront_root


def confirmation_path(order: Order) -> str:
    """The confirmation page of ``order``, relative to the storefront root (with its token)."""
    return checkout_service.confirmation_path(order)


def site_root(request: Request) -> str:
    """The storefront root as an absolute URL from the configured base URL (never the Host
    header): where online payments bring the shopper back."""
    return get_settings().base_url.rstrip("/") + storefront_root(request)


def shipping_json(method: ShippingMethod) -> dict[str, Any]:
    return {
        "code": method.code,
        "label": method.label,
        "description": method.description,
        "price_cents": method.price_cents,
        "vat_rate": method.vat_rate,
        "needs_address": method.needs_address,
        "free_above_cents": method.free_above_cents,
    }


def payment_method_json(method: PaymentMethodChoice) -> dict[str, Any]:
    return {"code": method.code, "label": method.label, "description": method.description}


def payment_json(payment: StartedPayment | None) -> dict[str, Any] | None:
    if payment is None:
        return None
    return {
        "id": payment.payment_id,
        "method": payment.method,
        "status": payment.status,
        "amount_cents": payment.amount_cents,
        "redirect_url": payment.redirect_url,
        "instructions": payment.instructions,
    }


def order_json(request: Request, placed: Placed) -> dict[str, Any]:
    """A placed order as the storefront API answers it."""
    order = placed.order
    root = storefront_root(request)
    return {
        "number": order.number,
        "status": order.status,
        "created": placed.created,
        "subtotal_cents": order.subtotal_cents,
        "shipping_cents": order.shipping_cents,
        "total_cents": order.total_cents,
        "currency": order.currency,
        "vat": [
            {"rate": int(rate), "net_cents": row["net"], "vat_cents": row["vat"], "gross_cents": row["gross"]}
            for rate, row in order.vat_rows
        ],
        "lines": [
            {"sku": ln.sku, "title": ln.title, "quantity": ln.quantity,
             "unit_price_cents": ln.unit_price_cents, "total_cents": ln.line_total_cents, "vat_rate": ln.vat_rate}
            for ln in order.lines
        ],
        "shipping_method": order.shipping_method_code,
        "payment_method": order.payment_method_code,
        "payment": payment_json(placed.payment),
        "payment_error": placed.payment_error or None,
        "status_url": root + order_service.status_path(order),
        "confirmation_url": root + confirmation_path(order),
    }
