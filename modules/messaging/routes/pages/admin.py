"""Admin pages of Messaging: the admin platform's SMTP settings, a test email, the outbox."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from modules.messaging.exceptions import message_for
from modules.messaging.routes.forms import flash_for, not_found_as_404, read_form, text
from modules.messaging.services import email_service, smtp_service
from modules.messaging.services.smtp_service import SECURITY_CHOICES, security_of
from orion_server.deps import CurrentAdmin, CurrentPlatform, SessionDep
from orion_server.errors import OrionError
from orion_server.i18n import t
from orion_server.modules.context import get_admin_context
from orion_server.templating import render

router = APIRouter(dependencies=[Depends(not_found_as_404)])

Form = Annotated[FormData, Depends(read_form)]
BASE = "/admin/messaging/smtp"
TRUE_VALUES = {"1", "on", "true", "yes"}


def _values(settings: Any) -> dict[str, Any]:
    if settings is None:
        return {"host": "", "port": "587", "username": "", "security": "starttls", "from_address": "", "from_name": ""}
    return {
        "host": settings.host,
        "port": str(settings.port),
        "username": settings.username,
        "security": security_of(settings),
        "from_address": settings.from_address,
        "from_name": settings.from_name,
    }


def _page(
    request: Request,
    db: SessionDep,
    platform: Any,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    test_to: str = "",
    test_error: str = "",
    flash: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    ui = request.state.language
    settings = smtp_service.get(db, platform_id=platform.id)
    context = get_admin_context(
        request,
        db,
        page_title=t("messaging.smtp.title", ui),
        active="messaging-smtp",
        values=values or _values(settings),
        configured=settings is not None,
        password_set=bool(settings and settings.password),
        security_options=[(s, t(f"messaging.smtp.security_{s}", ui)) for s in SECURITY_CHOICES],
        errors=errors or {},
        test_to=test_to,
        test_error=test_error,
        counts=email_service.outbox_counts(db, platform_id=platform.id),
        recent=email_service.recent_outbox(db, platform_id=platform.id),
        base=BASE,
        flash=flash,
    )
    return render(request, "messaging/admin/smtp.html", context, status_code=status_code)


@router.get("/messaging/smtp")
def smtp_settings(
    request: Request, db: SessionDep, admin: CurrentAdmin, platform: CurrentPlatform, done: str = ""
) -> Response:
    """The SMTP settings of the admin's platform (the password is never shown)."""
    return _page(request, db, platform, flash=flash_for(done, request.state.language))


@router.post("/messaging/smtp")
def save_smtp_settings(
    request: Request, db: SessionDep, admin: CurrentAdmin, platform: CurrentPlatform, form: Form
) -> Response:
    """Save the settings; an empty password field keeps the stored password."""
    values = {
        name: text(form, name)
        for name in ("host", "port", "username", "security", "from_address", "from_name")
    }
    try:
        smtp_service.save(
            db,
            platform_id=platform.id,
            password=text(form, "password") or None,
            clear_password=text(form, "clear_password").lower() in TRUE_VALUES,
            **values,
        )
    except OrionError as exc:
        if exc.status == 404 or exc.status >= 500:
            raise
        db.rollback()
        errors = {exc.field or "form": message_for(exc, request.state.language)}
        return _page(request, db, platform, values=values, errors=errors, status_code=exc.status)
    return RedirectResponse(f"{BASE}?done=saved", status_code=303)


@router.post("/messaging/smtp/test")
def send_test_email(
    request: Request, db: SessionDep, admin: CurrentAdmin, platform: CurrentPlatform, form: Form
) -> Response:
    """Send a test email right away and say whether it worked (and why not)."""
    ui = request.state.language
    to = text(form, "to").strip()
    try:
        smtp_service.send_test(
            db,
            platform_id=platform.id,
            to=to,
            subject=t("messaging.smtp.test_subject", ui, platform=platform.name),
            text=t("messaging.smtp.test_body", ui, platform=platform.name),
        )
    except OrionError as exc:
        if exc.status == 404:
            raise
        db.rollback()
        return _page(
            request, db, platform, test_to=to, test_error=message_for(exc, ui),
            status_code=422 if exc.status == 422 else 502,
        )
    return RedirectResponse(f"{BASE}?done=test_sent", status_code=303)


@router.post("/messaging/outbox/{outbox_id}/retry")
def retry_email(
    outbox_id: int, db: SessionDep, admin: CurrentAdmin, platform: CurrentPlatform
) -> Response:
    """Queue a failed email of the platform again."""
    email_service.retry(db, outbox_id=outbox_id, platform_id=platform.id)
    return RedirectResponse(f"{BASE}?done=retried", status_code=303)
