"""Features a store's plan includes: ``require_feature("code")`` for routes, ``ensure_feature``
and ``has_feature`` for services; ``locked_feature`` and ``limit_warning`` for the template
macros of ``shared/macros/plans.html`` (a locked feature with the way to unlock it, a limit
used at 80 % or more).

Both ask the module providing ``modules.contracts.tier_limits.TierLimits`` on the store's
platform (billing), so the framework never imports billing; where no module provides it,
every feature is open. A locked feature answers 403 with what to do: which plan includes it
and the plan the store is on, in the user's language::

    @router.get("/{store_code}/reports", dependencies=[require_feature("analytics_dashboard")])
    def reports(...): ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from modules.contracts.tier_limits import feature_of, limit_of
from orion_server.deps import CurrentStore, SessionDep
from orion_server.errors import PermissionDeniedError
from orion_server.i18n import t


class FeatureLockedError(PermissionDeniedError):
    """The store's plan does not include the feature (403)."""

    code = "feature_locked"
    worded_for_people = True

    def __init__(self, message: str, *, feature: str, needed_tier: str | None) -> None:
        super().__init__(message)
        self.feature = feature
        self.needed_tier = needed_tier


@dataclass(frozen=True)
class LockedFeature:
    """A feature the store's plan does not include, as ``shared/macros/plans.html`` shows it."""

    name: str
    """The feature's name in the user's language."""
    needed_tier: str | None
    """The cheapest plan including it (None: no plan does)."""
    plans_path: str | None


@dataclass(frozen=True)
class LimitWarning:
    """A limit the store is close to (80 % or more) or at, as ``shared/macros/plans.html``
    shows it."""

    used: int
    limit: int
    percent: int
    full: bool
    tier: str
    lifted_by: str | None
    plans_path: str | None


def locked_feature(db: Session, *, store_id: int, feature: str, language: str = "en") -> LockedFeature | None:
    """What to show for ``feature`` when the store's plan lacks it; None when it is included
    (or no module provides plans)."""
    found = feature_of(db, store_id=store_id, feature=feature)
    if found is None or found.allowed:
        return None
    return LockedFeature(name=t(found.label_key, language), needed_tier=found.needed_tier_name,
                         plans_path=found.plans_path)


def limit_warning(db: Session, *, store_id: int, key: str, used: int) -> LimitWarning | None:
    """The warning for limit ``key`` when ``used`` is at 80 % of it or more; None otherwise
    (or when unlimited, or no module provides plans)."""
    found = limit_of(db, store_id=store_id, key=key)
    if found is None or found.limit is None or not found.near(used):
        return None
    return LimitWarning(used=used, limit=found.limit, percent=found.percent(used) or 0, full=found.reached(used),
                        tier=found.tier_name, lifted_by=found.lifted_by, plans_path=found.plans_path)


def has_feature(db: Session, *, store_id: int, feature: str) -> bool:
    """Whether the store's plan includes ``feature`` (True where no module provides plans)."""
    found = feature_of(db, store_id=store_id, feature=feature)
    return found is None or found.allowed


def ensure_feature(db: Session, *, store_id: int, feature: str, language: str = "en") -> None:
    """FeatureLockedError, in ``language``, when the store's plan does not include ``feature``."""
    found = feature_of(db, store_id=store_id, feature=feature)
    if found is None or found.allowed:
        return
    name = t(found.label_key, language)
    if found.needed_tier_name is None:
        message = t("errors.feature_unavailable", language, feature=name)
    else:
        message = t("errors.feature_locked", language, feature=name, needed=found.needed_tier_name,
                    tier=found.tier_name)
    raise FeatureLockedError(message, feature=feature, needed_tier=found.needed_tier_name)


def require_feature(feature: str) -> Any:
    """A route dependency: 403 with the upgrade message unless the store's plan includes
    ``feature``."""

    def check(request: Request, db: SessionDep, store: CurrentStore) -> None:
        ensure_feature(db, store_id=store.id, feature=feature, language=getattr(request.state, "language", "en"))

    check.feature = feature  # type: ignore[attr-defined]
    return Depends(check)
