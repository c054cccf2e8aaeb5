"""Admin page of Payments: the platform's own card account, through which its stores pay their
subscription invoices (``?platform=code`` picks one of the admin's reach).

| path | what |
|---|---|
| ``/admin/payments/platform`` | the platform's gateways: on or off, keys (secrets only as "set") |
| ``/admin/payments/platform/{gateway}`` (POST) | save one gateway, audited |

Secrets are never written into the page; submitting a secret empty keeps the stored one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.payments.exceptions import SettingsInputError
from modules.payments.services import platform_settings_service
from orion_server.deps import AdminReach, Reach, SessionDep, not_found_as_404
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.models import Platform
from orion_server.modules.context import get_admin_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

BASE = "/admin/payments/platform"
TRUE_VALUES = {"1", "on", "true", "yes"}


def _page(request: Request, db: SessionDep, reach: AdminReach, platform: Platform, *,
          errors: dict[str, dict[str, str]] | None = None, typed: dict[str, dict[str, Any]] | None = None,
          done: str = "", status_code: int = 200) -> Response:
    ui = request.state.language
    # what the provider calls: absolute, from the configured base URL (never the request's Host), path mode
    root = f"{request.app.state.settings.base_url.rstrip('/')}/platforms/{platform.code}/"
    context = get_admin_context(
        request,
        db,
        page_title=t("payments.platform.title", ui),
        active="payments-platform",
        views=platform_settings_service.views(db, platform_id=platform.id),
        errors=errors or {},
        typed=typed or {},
        platforms=reach.platforms(db),
        edited_platform=platform,
        base=BASE,
        query=f"?platform={quote(platform.code)}",
        webhook_root=f"{root}api/v1/payments/webhooks/",
        flash=flash_for(done, prefix="payments.flash.", allowed=("saved",), language=ui),
    )
    return render(request, "payments/admin/platform.html", context, status_code=status_code)


@router.get("/payments/platform")
def platform_payments_page(request: Request, db: SessionDep, reach: Reach, platform: str = "",
                           done: str = "") -> Response:
    """The platform's card accounts for subscription payments."""
    chosen = reach.chosen_platform(db, request, platform)
    return _page(request, db, reach, chosen, done=done)


@router.post("/payments/platform/{gateway}")
def save_platform_gateway(request: Request, gateway: str, db: SessionDep, reach: Reach, form: PostedForm,
                          platform: str = "") -> Response:
    """Save one of the platform's accounts; the page comes back with messages when wrong."""
    chosen = reach.chosen_platform(db, request, platform)
    cls = platform_settings_service.gateway_class(gateway)
    enabled = form_text(form, "enabled").lower() in TRUE_VALUES
    values = {f.name: form_text(form, f.name) for f in cls.FIELDS}
    try:
        platform_settings_service.save(db, platform_id=chosen.id, gateway=gateway, enabled=enabled, values=values,
                                       actor=reach.user)
    except SettingsInputError as exc:
        db.rollback()
        typed = {f.name: values[f.name] for f in cls.FIELDS if not f.secret}
        return _page(request, db, reach, chosen, errors={gateway: exc.field_messages(request.state.language)},
                     typed={gateway: {**typed, "enabled": enabled}}, status_code=422)
    return RedirectResponse(with_done(f"{BASE}?platform={quote(chosen.code)}", "saved"), status_code=303)
