"""Admin page of Loyalty: the platform's wallet credentials (``?platform=code`` picks one of the
admin's reach).

| path | what |
|---|---|
| ``/admin/loyalty/wallet`` | Apple Wallet (pass type, team, certificate, key, WWDR) and Google Wallet (issuer, service account); what is missing |
| ``/admin/loyalty/wallet`` (POST) | save them |

The private key and the service-account key are never written into the page; submitting one
empty keeps the stored one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.loyalty.exceptions import LoyaltyInputError, field_messages
from modules.loyalty.services import wallet
from orion_server.deps import AdminReach, AdminWith, Reach, SessionDep, not_found_as_404
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.models import Platform
from orion_server.modules.context import get_admin_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

BASE = "/admin/loyalty/wallet"
PLAIN = ("apple_pass_type_id", "apple_team_id", "apple_certificate_pem", "apple_wwdr_pem", "google_issuer_id")
SECRET = ("apple_private_key", "google_service_account")
UPLOADABLE = ("apple_certificate_pem", "apple_private_key", "apple_wwdr_pem", "google_service_account")
MAX_UPLOAD = 64 * 1024


def _uploaded(form: Any, name: str) -> str:
    """The text of the file chosen for ``name`` (``<name>_file``): a PEM or JSON file as it is, an
    Apple ``.cer`` (DER) as PEM; '' when no file was chosen."""
    upload = form.get(f"{name}_file")
    if upload is None or isinstance(upload, str) or not getattr(upload, "filename", ""):
        return ""
    return wallet.uploaded_text(upload.file.read(MAX_UPLOAD + 1)[:MAX_UPLOAD + 1])


def _page(request: Request, db: SessionDep, reach: AdminReach, platform: Platform, *,
          errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None, done: str = "",
          status_code: int = 200) -> Response:
    ui = request.state.language
    settings = wallet.settings_of(db, platform.id)
    values = typed if typed is not None else {name: getattr(settings, name, "") or "" for name in PLAIN}
    context = get_admin_context(
        request, db,
        page_title=t("loyalty.wallet.title", ui),
        active="loyalty-wallet",
        platforms=reach.platforms(db),
        edited_platform=platform,
        action=f"{BASE}?platform={quote(platform.code)}",
        values=values,
        secrets_set={name for name in SECRET if settings is not None and getattr(settings, name)},
        apple_missing=wallet.apple_missing(settings),
        google_missing=wallet.google_missing(settings),
        errors=errors or {},
        flash=flash_for(done, prefix="loyalty.wallet.flash.", allowed=("saved",), language=ui),
    )
    return render(request, "loyalty/admin/wallet.html", context, status_code=status_code)


@router.get("/loyalty/wallet")
def wallet_settings(request: Request, db: SessionDep, reach: Reach, admin: AdminWith("loyalty.wallet"),
                    platform: str = "", done: str = "") -> Response:
    """The platform's wallet credentials and what is missing."""
    chosen = reach.chosen_platform(db, request, platform)
    return _page(request, db, reach, chosen, done=done)


@router.post("/loyalty/wallet")
def save_wallet_settings(request: Request, db: SessionDep, reach: Reach, admin: AdminWith("loyalty.wallet"),
                         form: PostedForm, platform: str = "") -> Response:
    """Save the credentials; the form comes back with messages when one is wrong."""
    chosen = reach.chosen_platform(db, request, platform)
    values = {name: form_text(form, name) for name in (*PLAIN, *SECRET, "remove_apple", "remove_google")}
    for name in UPLOADABLE:
        values[name] = _uploaded(form, name) or values[name]
    try:
        wallet.save_settings(db, platform_id=chosen.id, values=values)
    except LoyaltyInputError as exc:
        db.rollback()
        return _page(request, db, reach, chosen, errors=field_messages(exc, request.state.language),
                     typed={name: values[name] for name in PLAIN}, status_code=422)
    return RedirectResponse(with_done(f"{BASE}?platform={quote(chosen.code)}", "saved"), status_code=303)
