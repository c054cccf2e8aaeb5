"""Advanced statistics (Business): cohorts of returning customers and products bought together,
each worked out again here from the seeded orders; the page is locked below Business."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from itertools import combinations

from modules.analytics.services import reports, statistics
from modules.analytics.services.periods import ReportPeriod
from modules.billing.services.subscription_service import subscription_service
from modules.contracts.metrics import LOCAL_ZONE
from orion_server.modules.service import module_service
from tests.modules.analytics.conftest import orders_between

BOTH_MONTHS = ReportPeriod(date(2025, 10, 1), date(2025, 11, 30), "month")


def _month(order) -> date:
    return order.placed_at.astimezone(LOCAL_ZONE).date().replace(day=1)


def test_cohorts_follow_customers_from_their_first_month(db_session, seeded):
    """October's new customers, and the share of them who ordered again in November."""
    scope = reports.store_scope(db_session, store_id=seeded[1].id, language="en")
    found = statistics.cohorts(db_session, scope=scope, period=BOTH_MONTHS)

    months: dict[str, set[date]] = defaultdict(set)
    for order in orders_between(db_session, seeded[1], BOTH_MONTHS.first, BOTH_MONTHS.last):
        months[order.customer_email].add(_month(order))
    first = {email: min(held) for email, held in months.items()}
    expected = []
    for month in sorted(set(first.values())):
        members = [email for email, m in first.items() if m == month]
        later = [date(2025, 11, 1)] if month.month == 10 else []
        expected.append((month, len(members), [sum(1 for e in members if m in months[e]) for m in later]))
    assert [(c.month, c.customers, c.returning) for c in found] == expected
    assert found[0].month == date(2025, 10, 1) and found[0].customers > 0


def test_pairs_count_the_orders_holding_both_products(db_session, seeded):
    """The top pairs by orders containing both SKUs, over both months."""
    scope = reports.store_scope(db_session, store_id=seeded[1].id, language="en")
    found = statistics.product_pairs(db_session, scope=scope, period=BOTH_MONTHS, top=50)

    counted: Counter[tuple[str, str]] = Counter()
    for order in orders_between(db_session, seeded[1], BOTH_MONTHS.first, BOTH_MONTHS.last):
        counted.update(combinations(sorted({line.sku for line in order.lines}), 2))
    assert [((p.first, p.second), p.orders) for p in found] == sorted(counted.items(), key=lambda i: (-i[1], i[0]))
    assert found[0].first_label and found[0].orders >= found[-1].orders


def test_the_statistics_page_needs_business(client, db_session, seeded, owner):
    """Professional: 403 naming Business; Business: the tables in French."""
    module_service.enable_module(db_session, seeded[0].id, "billing")
    subscription_service.activate(db_session, store_id=seeded[1].id, tier="professional")
    db_session.commit()
    query = "from=2025-10-01&to=2025-11-30&by=month"
    locked = client.get(f"/store/bakery/analytics/statistics?lang=en&{query}")
    assert locked.status_code == 403
    assert "Advanced analytics is part of the Business plan and above" in locked.text

    subscription_service.activate(db_session, store_id=seeded[1].id, tier="business")
    db_session.commit()
    page = client.get(f"/store/bakery/analytics/statistics?lang=fr&{query}")
    assert page.status_code == 200
    assert "Clients fidèles par mois de première commande" in page.text
    assert "Produits achetés ensemble" in page.text and 'id="table-pairs"' in page.text
    assert "comes with the" not in page.text and "est inclus" not in page.text
