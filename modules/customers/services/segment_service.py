"""Customer segments: named rules over a store's customers, evaluated when they are shown.

Language rules are answered from the customers table. Order rules (number of orders, total
spent, days since the last order) need the orders module, which answers through a
``CustomerOrderStatsProvider``; without one, a segment with order rules has no members and
the dashboard says the orders module is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.contracts.customer_stats import CustomerOrderStatsProvider
from modules.customers.exceptions import CustomerInputError, Problem
from modules.customers.models import Customer, CustomerSegment
from modules.customers.services.customer_service import Page
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.providers import get_provider
from orion_server.tenants import platform_id_of_store

ORDER_RULES = ("min_orders", "min_total_spent_cents", "max_days_since_last_order")
RULES = (*ORDER_RULES, "language")
MAX_RULE_VALUE = 10**12
MAX_NAME = 100


@dataclass
class SegmentMembers:
    """A page of a segment's members, and whether order rules could be answered."""

    page: Page
    needs_orders: bool
    """True when the segment has order rules and no orders module provides statistics."""


def order_stats_provider(db: Session, *, store_id: int) -> CustomerOrderStatsProvider | None:
    """The provider of order statistics on the store's platform, or None (orders is off)."""
    return get_provider(
        db, CustomerOrderStatsProvider, platform_id=platform_id_of_store(db, store_id)
    )


def has_order_rules(rules: Mapping[str, Any]) -> bool:
    """Whether the rules need order statistics."""
    return any(rules.get(name) is not None for name in ORDER_RULES)


class SegmentService:
    """Create, list and evaluate a store's customer segments."""

    def clean_rules(self, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        """Rules from form or API values (empty ones dropped) and the problems found."""
        problems: list[Problem] = []
        rules: dict[str, Any] = {}
        for name in ORDER_RULES:
            raw = values.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                if isinstance(raw, bool):
                    raise ValueError
                number = int(str(raw).strip()) if not isinstance(raw, int) else raw
                if number < 0 or number > MAX_RULE_VALUE:
                    raise ValueError
            except ValueError:
                problems.append(Problem(name, "customers.errors.rule_number"))
                continue
            rules[name] = number
        language = str(values.get("language") or "").strip().lower()
        if language:
            if language not in SUPPORTED_LANGUAGES:
                problems.append(Problem("language", "customers.errors.language_invalid"))
            else:
                rules["language"] = language
        return rules, problems

    def list_segments(self, db: Session, *, store_id: int) -> list[CustomerSegment]:
        """The store's segments by name."""
        return list(
            db.scalars(
                select(CustomerSegment)
                .where(CustomerSegment.store_id == store_id)
                .order_by(CustomerSegment.name)
            )
        )

    def get_segment(self, db: Session, *, store_id: int, segment_id: int) -> CustomerSegment:
        """One of the store's segments; others look like they do not exist."""
        segment = db.get(CustomerSegment, segment_id)
        if segment is None or segment.store_id != store_id:
            raise NotFoundError(f"no segment {segment_id}")
        return segment

    def create_segment(
        self, db: Session, *, store_id: int, name: str, rules: Mapping[str, Any]
    ) -> CustomerSegment:
        """A new segment; needs a name unique in the store and at least one rule."""
        name = (name or "").strip()
        cleaned, problems = self.clean_rules(rules)
        if not name:
            problems.insert(0, Problem("name", "customers.errors.segment_name_required"))
        elif len(name) > MAX_NAME:
            problems.insert(0, Problem("name", "customers.errors.too_long", {"max": MAX_NAME}))
        if not cleaned and not problems:
            problems.append(Problem("rules", "customers.errors.rules_required"))
        if problems:
            raise CustomerInputError(problems)
        begin_write(db)
        taken = db.scalar(
            select(CustomerSegment.id).where(
                CustomerSegment.store_id == store_id, CustomerSegment.name == name
            )
        )
        if taken is not None:
            raise CustomerInputError([Problem("name", "customers.errors.segment_name_taken")])
        segment = CustomerSegment(store_id=store_id, name=name, rules=cleaned)
        db.add(segment)
        try:
            db.commit()
        except IntegrityError as exc:
            db.rollback()
            raise CustomerInputError(
                [Problem("name", "customers.errors.segment_name_taken")]
            ) from exc
        return segment

    def delete_segment(self, db: Session, *, store_id: int, segment_id: int) -> None:
        """Remove a segment (its customers are not touched)."""
        begin_write(db)
        db.delete(self.get_segment(db, store_id=store_id, segment_id=segment_id))
        db.commit()

    def members(
        self,
        db: Session,
        *,
        store_id: int,
        segment_id: int,
        page: int = 1,
        per_page: int = 25,
    ) -> SegmentMembers:
        """The customers matching the segment's rules (erased customers never match)."""
        segment = self.get_segment(db, store_id=store_id, segment_id=segment_id)
        rules = segment.rules or {}
        page = max(1, page)
        per_page = max(1, min(per_page, 100))
        statement = select(Customer).where(
            Customer.store_id == store_id, Customer.erased_at.is_(None)
        )
        if rules.get("language"):
            statement = statement.where(Customer.preferred_language == rules["language"])
        statement = statement.order_by(Customer.customer_number)
        if not has_order_rules(rules):
            total = db.scalar(select(func.count()).select_from(statement.subquery())) or 0
            items = list(db.scalars(statement.offset((page - 1) * per_page).limit(per_page)))
            return SegmentMembers(Page(items, total, page, per_page), needs_orders=False)
        provider = order_stats_provider(db, store_id=store_id)
        if provider is None:
            return SegmentMembers(Page([], 0, page, per_page), needs_orders=True)
        candidates = list(db.scalars(statement))
        stats = provider.order_stats(db, store_id=store_id, customer_ids=[c.id for c in candidates])
        now = utcnow()
        matching = []
        for customer in candidates:
            found = stats.get(customer.id)
            count = found.order_count if found else 0
            spent = found.total_spent_cents if found else 0
            last = found.last_order_at if found else None
            if rules.get("min_orders") is not None and count < rules["min_orders"]:
                continue
            if (
                rules.get("min_total_spent_cents") is not None
                and spent < rules["min_total_spent_cents"]
            ):
                continue
            if rules.get("max_days_since_last_order") is not None and (
                last is None or now - last > timedelta(days=rules["max_days_since_last_order"])
            ):
                continue
            matching.append(customer)
        start = (page - 1) * per_page
        return SegmentMembers(
            Page(matching[start : start + per_page], len(matching), page, per_page),
            needs_orders=False,
        )


segment_service = SegmentService()
