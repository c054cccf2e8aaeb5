"""What Analytics adds to store dashboard pages: on its report pages only, the card leading to
custom reports, with the plan that unlocks them where the store's plan lacks them."""

from __future__ import annotations

from typing import Any

from orion_server.features import locked_feature


def store_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """``custom_reports_card`` on the report pages (``/store/<code>/analytics...``, the custom
    page aside): its link, and the locked feature (None when the plan includes it)."""
    store = getattr(request.state, "store", None)
    if store is None:
        return {}
    base = f"/store/{store.code}/analytics"
    path = request.url.path
    if not (path == base or path.startswith(base + "/")) or path.startswith(base + "/custom"):
        return {}
    language = getattr(request.state, "language", "en")
    locked = locked_feature(db, store_id=store.id, feature="custom_reports", language=language)
    return {"custom_reports_card": {"url": f"{base}/custom", "locked": locked}}
