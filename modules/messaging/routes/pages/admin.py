"""Admin pages of Messaging, per platform (``?platform=code`` picks one of the admin's reach):
its SMTP settings, a test email, the outbox, and its email templates."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.messaging.exceptions import field_messages, message_for
from modules.messaging.routes.forms import flash_for
from modules.messaging.services import email_service, smtp_service
from modules.messaging.services.rendering import RenderedEmail
from modules.messaging.services.smtp_service import SECURITY_CHOICES, security_of
from modules.messaging.templates_builtin import BUILTIN_TEMPLATES
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.deps import AdminReach, Reach, SessionDep, not_found_as_404
from orion_server.errors import NotFoundError, OrionError
from orion_server.flash import with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.middleware.security_headers import content_security_policy
from orion_server.models import Platform
from orion_server.modules.context import get_admin_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

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


def _smtp_base(platform: Platform) -> str:
    return f"{BASE}?platform={quote(platform.code)}"


def _page(
    request: Request,
    db: SessionDep,
    reach: AdminReach,
    platform: Platform,
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
        action=_smtp_base(platform),
        platforms=reach.platforms(db),
        edited_platform=platform,
        flash=flash,
    )
    return render(request, "messaging/admin/smtp.html", context, status_code=status_code)


@router.get("/messaging/smtp")
def smtp_settings(request: Request, db: SessionDep, reach: Reach, platform: str = "", done: str = "") -> Response:
    """The SMTP settings of a platform (the password is never shown)."""
    chosen = reach.chosen_platform(db, request, platform)
    return _page(request, db, reach, chosen, flash=flash_for(done, request.state.language))


@router.post("/messaging/smtp")
def save_smtp_settings(
    request: Request, db: SessionDep, reach: Reach, form: PostedForm, platform: str = ""
) -> Response:
    """Save the settings; an empty password field keeps the stored password."""
    chosen = reach.chosen_platform(db, request, platform)
    values = {
        name: form_text(form, name)
        for name in ("host", "port", "username", "security", "from_address", "from_name")
    }
    try:
        smtp_service.save(
            db,
            platform_id=chosen.id,
            password=form_text(form, "password") or None,
            clear_password=form_text(form, "clear_password").lower() in TRUE_VALUES,
            **values,
        )
    except OrionError as exc:
        if exc.status == 404 or exc.status >= 500:
            raise
        db.rollback()
        errors = field_messages(exc, request.state.language)
        return _page(request, db, reach, chosen, values=values, errors=errors, status_code=exc.status)
    return RedirectResponse(with_done(_smtp_base(chosen), "saved"), status_code=303)


@router.post("/messaging/smtp/test")
def send_test_email(
    request: Request, db: SessionDep, reach: Reach, form: PostedForm, platform: str = ""
) -> Response:
    """Send a test email right away and say whether it worked (and why not)."""
    chosen = reach.chosen_platform(db, request, platform)
    ui = request.state.language
    to = form_text(form, "to").strip()
    try:
        smtp_service.send_test(
            db,
            platform_id=chosen.id,
            to=to,
            subject=t("messaging.smtp.test_subject", ui, platform=chosen.name),
            text=t("messaging.smtp.test_body", ui, platform=chosen.name),
        )
    except OrionError as exc:
        if exc.status == 404:
            raise
        db.rollback()
        return _page(
            request, db, reach, chosen, test_to=to, test_error=message_for(exc, ui),
            status_code=422 if exc.status == 422 else 502,
        )
    return RedirectResponse(with_done(_smtp_base(chosen), "test_sent"), status_code=303)


@router.post("/messaging/outbox/{outbox_id}/retry")
def retry_email(request: Request, outbox_id: int, db: SessionDep, reach: Reach, platform: str = "") -> Response:
    """Queue a failed email of the platform again."""
    chosen = reach.chosen_platform(db, request, platform)
    email_service.retry(db, outbox_id=outbox_id, platform_id=chosen.id)
    return RedirectResponse(with_done(_smtp_base(chosen), "retried"), status_code=303)


# -- the platform's email templates --------------------------------------------------------
# The same service calls as the store's editor, with no store: a platform template applies to
# every store of the platform that has no version of its own.

TEMPLATES_BASE = "/admin/messaging/templates"


def _check_template(code: str, language: str) -> None:
    if code not in BUILTIN_TEMPLATES or language not in SUPPORTED_LANGUAGES:
        raise NotFoundError("no such template")


def _template_languages(platform: Platform) -> list[str]:
    """Every supported language, the platform's own first."""
    first = [platform.default_language] if platform.default_language in SUPPORTED_LANGUAGES else []
    return first + [lang for lang in SUPPORTED_LANGUAGES if lang not in first]


def _render_template_editor(
    request: Request,
    db: SessionDep,
    platform: Platform,
    *,
    code: str,
    language: str,
    values: dict[str, str],
    preview: RenderedEmail | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    ui = request.state.language
    spec = BUILTIN_TEMPLATES[code]
    origin = email_service.source_for(
        db, platform_id=platform.id, store_id=None, code=code, language=language
    ).origin
    action = f"{TEMPLATES_BASE}/{code}/{language}"
    query = f"?platform={quote(platform.code)}"
    context = get_admin_context(
        request,
        db,
        page_title=t("messaging.templates.edit_title", ui, name=t(f"messaging.code.{code}", ui)),
        active="messaging-admin-templates",
        intro=t("messaging.admin_templates.edit_intro", ui, platform=platform.name),
        code=code,
        edit_language=language,
        values=values,
        origin=origin,
        preview=preview,
        errors=errors or {},
        required=spec.required,
        optional=spec.optional,
        action=action + query,
        reset_action=f"{action}/reset{query}",
        reset_origin="platform",
        reset_help_key="messaging.admin_templates.reset_help",
        cancel_url=TEMPLATES_BASE + query,
    )
    response = render(request, "messaging/admin/template_form.html", context, status_code=status_code)
    if preview is not None:
        # The preview iframe (srcdoc, sandboxed: no script) inherits the page's policy, and an
        # e-mail's styles are inline by nature: allow inline styles on this page only.
        response.headers["Content-Security-Policy"] = content_security_policy(add={"style-src": "'unsafe-inline'"})
    return response


@router.get("/messaging/templates")
def platform_templates(
    request: Request, db: SessionDep, reach: Reach, platform: str = "", done: str = ""
) -> Response:
    """Every email of a platform, per language, and whether the platform changed it."""
    chosen = reach.chosen_platform(db, request, platform)
    ui = request.state.language
    context = get_admin_context(
        request,
        db,
        page_title=t("messaging.admin_templates.title", ui),
        active="messaging-admin-templates",
        codes=list(BUILTIN_TEMPLATES),
        languages=_template_languages(chosen),
        origins=email_service.origins(db, platform_id=chosen.id, store_id=None),
        platforms=reach.platforms(db),
        edited_platform=chosen,
        base=TEMPLATES_BASE,
        flash=flash_for(done, ui),
    )
    return render(request, "messaging/admin/templates.html", context)


@router.get("/messaging/templates/{code}/{language}")
def edit_platform_template(
    request: Request, code: str, language: str, db: SessionDep, reach: Reach, platform: str = ""
) -> Response:
    """The editor with the platform's template (or the built-in one) and a sample preview."""
    _check_template(code, language)
    chosen = reach.chosen_platform(db, request, platform)
    source = email_service.source_for(
        db, platform_id=chosen.id, store_id=None, code=code, language=language
    )
    values = {"subject": source.subject, "body_html": source.body_html, "body_text": source.body_text}
    preview = None
    errors: dict[str, str] = {}
    try:
        preview = email_service.preview(code=code, language=language, **values)
    except OrionError as exc:  # saved before a rule changed: say why
        errors = field_messages(exc, request.state.language)
    return _render_template_editor(
        request, db, chosen, code=code, language=language, values=values, preview=preview, errors=errors
    )


@router.post("/messaging/templates/{code}/{language}")
def save_platform_template(
    request: Request,
    code: str,
    language: str,
    db: SessionDep,
    reach: Reach,
    form: PostedForm,
    platform: str = "",
) -> Response:
    """Preview (``action=preview``) or save the platform's version; a template error comes back
    on its field (with the line of a syntax error) and the text kept."""
    _check_template(code, language)
    chosen = reach.chosen_platform(db, request, platform)
    values = {
        "subject": form_text(form, "subject"),
        "body_html": form_text(form, "body_html").replace("\r\n", "\n"),
        "body_text": form_text(form, "body_text").replace("\r\n", "\n"),
    }
    try:
        if form_text(form, "action") == "preview":
            preview = email_service.preview(code=code, language=language, **values)
            return _render_template_editor(
                request, db, chosen, code=code, language=language, values=values, preview=preview
            )
        email_service.save_template(
            db, platform_id=chosen.id, store_id=None, code=code, language=language, **values
        )
    except OrionError as exc:
        if exc.status == 404 or exc.status >= 500:
            raise
        db.rollback()
        return _render_template_editor(
            request, db, chosen, code=code, language=language, values=values, preview=None,
            errors=field_messages(exc, request.state.language),
            status_code=exc.status,
        )
    return RedirectResponse(
        with_done(f"{TEMPLATES_BASE}?platform={quote(chosen.code)}", "saved"), status_code=303
    )


@router.post("/messaging/templates/{code}/{language}/reset")
def reset_platform_template(
    request: Request, code: str, language: str, db: SessionDep, reach: Reach, platform: str = ""
) -> Response:
    """Drop the platform's version: the built-in template is used again."""
    _check_template(code, language)
    chosen = reach.chosen_platform(db, request, platform)
    email_service.reset_template(db, platform_id=chosen.id, store_id=None, code=code, language=language)
    return RedirectResponse(
        with_done(f"{TEMPLATES_BASE}?platform={quote(chosen.code)}", "reset"), status_code=303
    )
