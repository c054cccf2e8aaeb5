"""Demo customers: a few shoppers per demo store, in their languages, with an address each."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.orm import Session

from modules.customers.services import customer_service, segment_service
from orion_server.config import get_settings

DEMO_PASSWORD = "demo-customer-1"
"""The demo customers' password in development data (``make run``) only: on a real installation
each run draws a new one, shown once, so no account there has a password anyone can look up."""


def demo_password() -> str:
    """The password the demo customers get on this installation."""
    return DEMO_PASSWORD if get_settings().is_development else secrets.token_urlsafe(12)
CUSTOMERS: list[dict[str, Any]] = [
    {
        "email": "marie.weber@example.lu",
        "first_name": "Marie",
        "last_name": "Weber",
        "preferred_language": "lb",
        "city": "Luxembourg",
        "street": "12 rue de la Gare",
        "postal_code": "L-1611",
    },
    {
        "email": "paul.dupont@example.lu",
        "first_name": "Paul",
        "last_name": "Dupont",
        "preferred_language": "fr",
        "city": "Esch-sur-Alzette",
        "street": "5 rue de l'Alzette",
        "postal_code": "L-4011",
    },
    {
        "email": "anna.schmit@example.de",
        "first_name": "Anna",
        "last_name": "Schmit",
        "preferred_language": "de",
        "city": "Trier",
        "street": "Hauptmarkt 3",
        "postal_code": "54290",
        "country": "DE",
    },
    {
        "email": "john.smith@example.com",
        "first_name": "John",
        "last_name": "Smith",
        "preferred_language": "en",
        "city": "Kirchberg",
        "street": "1 avenue J.F. Kennedy",
        "postal_code": "L-1855",
    },
]


def load_demo(db: Session, platform: Any, stores: list[Any]) -> list[str]:
    """Register the demo customers in every demo store (skipping those that exist)."""
    lines = []
    password = demo_password()
    for store in stores:
        added = 0
        for data in CUSTOMERS:
            if customer_service.find_by_email(db, store_id=store.id, email=data["email"]):
                continue
            customer = customer_service.register(
                db,
                store_id=store.id,
                email=data["email"],
                password=password,
                first_name=data["first_name"],
                last_name=data["last_name"],
                preferred_language=data["preferred_language"],
            )
            customer_service.add_address(
                db,
                store_id=store.id,
                customer_id=customer.id,
                values={
                    "label": "Home",
                    "name": customer.full_name,
                    "street": data["street"],
                    "postal_code": data["postal_code"],
                    "city": data["city"],
                    "country": data.get("country", "LU"),
                },
            )
            added += 1
        if not segment_service.list_segments(db, store_id=store.id):
            segment_service.create_segment(
                db, store_id=store.id, name="Lëtzebuergesch", rules={"language": "lb"}
            )
        if added:
            lines.append(
                f"Added {added} demo customers to {store.code!r} (password {password}, shown once)."
            )
    return lines
