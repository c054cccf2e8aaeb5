"""Loyalty on the store dashboard (``widget_provider`` in the definition): members, and rewards
redeemed this month."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from modules.contracts.widgets import DashboardWidget
from modules.loyalty.services import reports
from modules.loyalty.services.programs import program_for_store
from orion_server.i18n import format_number, t
from orion_server.models import Store


class LoyaltyWidgets:
    def get_store_widgets(self, db: Any, store_id: int, language: str) -> list[DashboardWidget]:
        program = program_for_store(db, store_id)
        if program is None:
            return []
        code = db.scalar(select(Store.code).where(Store.id == store_id)) or ""
        base = f"/store/{code}/loyalty"
        return [
            DashboardWidget(
                key="loyalty.members",
                title=t("loyalty.widgets.members", language),
                value=format_number(reports.member_count(db, program), language),
                hint=t("loyalty.widgets.members_hint", language),
                link=f"{base}/members",
                permission="loyalty.view",
                order=10,
            ),
            DashboardWidget(
                key="loyalty.redeemed_month",
                title=t("loyalty.widgets.redeemed_month", language),
                value=format_number(reports.redeemed_since(db, program, reports.month_start()), language),
                hint=t("loyalty.widgets.redeemed_month_hint", language),
                link=base,
                permission="loyalty.view",
                order=20,
            ),
        ]

    def get_platform_widgets(self, db: Any, platform_id: int, language: str) -> list[DashboardWidget]:
        return []
