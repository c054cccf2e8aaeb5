"""Storefront API of Payments: the providers' webhooks, at
``{storefront root}api/v1/payments/webhooks/{gateway}``.

CSRF does not apply (``ModuleRouter(csrf_exempt=True)``): a webhook carries its provider's signature, verified on
the raw body. Forged or stale: 400 and nothing changes; a replay: 200 and nothing changes.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from modules.payments.config import WEBHOOKS_PER_CLIENT
from modules.payments.services import payment_service
from orion_server.deps import CurrentStore, SessionDep
from orion_server.rate_limits import RateLimited
from orion_server.routing import ModuleRouter

router = ModuleRouter(csrf_exempt=True)


@router.post("/webhooks/{gateway}", dependencies=[RateLimited("payments.webhook", WEBHOOKS_PER_CLIENT)])
async def receive_webhook(
    gateway: str, request: Request, store: CurrentStore, db: SessionDep
) -> JSONResponse:
    """Verify a provider's event for this store and apply it once."""
    raw_body = await request.body()
    outcome = await run_in_threadpool(
        payment_service.handle_webhook,
        db,
        store_id=store.id, gateway=gateway, headers=dict(request.headers), raw_body=raw_body
    )
    return JSONResponse(
        {"received": True, "duplicate": outcome.duplicate, "changed": outcome.changed}
    )
