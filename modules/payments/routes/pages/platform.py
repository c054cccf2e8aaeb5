"""Public routes of Payments on a platform: the webhooks of the platform's own provider
account (its stores pay their subscriptions through it), at
``{platform root}api/v1/payments/webhooks/{gateway}`` (``/platforms/{code}/api/v1/...`` in path
mode, ``https://{platform domain}/api/v1/...`` in host mode).

As the storefront webhooks: CSRF does not apply (``ModuleRouter(csrf_exempt=True)``), the
signature (the platform's webhook secret) is verified on the raw body; forged or stale: 400 and
nothing changes; a replay: 200 and nothing changes; rate limited per client.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from modules.payments.config import WEBHOOKS_PER_CLIENT
from modules.payments.services import payment_service
from orion_server.deps import CurrentPlatform, SessionDep
from orion_server.rate_limits import RateLimited
from orion_server.routing import ModuleRouter

router = ModuleRouter(csrf_exempt=True)


@router.post("/api/v1/payments/webhooks/{gateway}", dependencies=[RateLimited("payments.webhook", WEBHOOKS_PER_CLIENT)])
async def receive_platform_webhook(
    gateway: str, request: Request, platform: CurrentPlatform, db: SessionDep
) -> JSONResponse:
    """Verify an event of the platform's account and apply it once."""
    raw_body = await request.body()
    outcome = await run_in_threadpool(
        payment_service.handle_platform_webhook,
        db,
        platform_id=platform.id, gateway=gateway, headers=dict(request.headers), raw_body=raw_body,
    )
    return JSONResponse({"received": True, "duplicate": outcome.duplicate, "changed": outcome.changed})
