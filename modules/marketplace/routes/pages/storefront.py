"""The Letzshop feed files, at a secret address inside the store's storefront (Letzshop fetches
them): ``{storefront}/marketplace/feed/{token}/letzshop_{en|fr|de}.tsv``. A wrong token, an
unknown language or the module off on the platform answer 404."""

from __future__ import annotations

from fastapi import Depends
from fastapi.responses import FileResponse, Response

from modules.marketplace.services import feed_service
from orion_server.deps import CurrentStore, SessionDep, not_found_as_404
from orion_server.errors import NotFoundError
from orion_server.routing import ModuleRouter

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])


@router.get("/marketplace/feed/{token}/letzshop_{language}.tsv")
def letzshop_feed(token: str, language: str, db: SessionDep, store: CurrentStore) -> Response:
    """The store's product feed in one language, as last written (written once first if it
    never was)."""
    if len(token) > 64 or not feed_service.store_for_token(db, store_id=store.id, token=token):
        raise NotFoundError("no such feed")
    path = feed_service.read(db, store_id=store.id, language=language)
    if path is None:
        raise NotFoundError("no such feed")
    return FileResponse(
        path,
        media_type="text/tab-separated-values; charset=utf-8",
        headers={"Cache-Control": "no-cache", "X-Robots-Tag": "noindex"},
    )
