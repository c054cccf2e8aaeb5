"""Core's part of ``PlanUsage`` (modules.contracts.tier_limits): the store's team."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modules.contracts.tier_limits import STAFF_USERS
from modules.core.services import team_service


class TeamPlanUsage:
    """Members and open invitations, as the staff limit counts them."""

    def usage(self, db: Any, *, store_id: int) -> Mapping[str, int]:
        return {STAFF_USERS: team_service.places_taken(db, store_id)}
