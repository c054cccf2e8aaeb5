"""Store dashboard pages of Messaging: customer conversations, email templates (edit, preview,
reset) and notifications."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.messaging.exceptions import field_messages
from modules.messaging.routes.forms import flash_for
from modules.messaging.services import conversation_service, email_service, notification_service
from modules.messaging.services.rendering import RenderedEmail
from modules.messaging.templates_builtin import BUILTIN_TEMPLATES
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.deps import (
    SessionDep,
    StaffContext,
    StaffWith,
    not_found_as_404,
)
from orion_server.errors import NotFoundError, OrionError
from orion_server.flash import with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.middleware.security_headers import content_security_policy
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])



def _templates_base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/messages/templates"


def _languages(staff: StaffContext) -> list[str]:
    """Every supported language, the store's own first."""
    own = [lang for lang in staff.store.languages if lang in SUPPORTED_LANGUAGES]
    return own + [lang for lang in SUPPORTED_LANGUAGES if lang not in own]


def _check(code: str, language: str) -> None:
    if code not in BUILTIN_TEMPLATES or language not in SUPPORTED_LANGUAGES:
        raise NotFoundError("no such template")


def _render_editor(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    *,
    code: str,
    language: str,
    values: dict[str, str],
    origin: str,
    preview: RenderedEmail | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    ui = request.state.language
    spec = BUILTIN_TEMPLATES[code]
    context = get_store_context(
        request,
        db,
        page_title=t("messaging.templates.edit_title", ui, name=t(f"messaging.code.{code}", ui)),
        active="messaging-templates",
        code=code,
        edit_language=language,
        values=values,
        origin=origin,
        preview=preview,
        errors=errors or {},
        required=spec.required,
        optional=spec.optional,
        action=f"{_templates_base(staff)}/{code}/{language}",
        cancel_url=_templates_base(staff),
        reset_origin="store",
    )
    response = render(request, "messaging/store/template_form.html", context, status_code=status_code)
    if preview is not None:
        # The preview iframe (srcdoc, sandboxed: no script) inherits the page's policy, and an
        # e-mail's styles are inline by nature: allow inline styles on this page only.
        response.headers["Content-Security-Policy"] = content_security_policy(add={"style-src": "'unsafe-inline'"})
    return response


@router.get("/{store_code}/messages/templates")
def templates(request: Request, db: SessionDep, staff: StaffWith("messaging.templates.manage"), done: str = "") -> Response:
    """Every email the store sends, per language, and whether the store changed it."""
    ui = request.state.language
    origins = email_service.origins(db, platform_id=staff.store.platform_id, store_id=staff.store.id)
    context = get_store_context(
        request,
        db,
        page_title=t("messaging.templates.title", ui),
        active="messaging-templates",
        codes=list(BUILTIN_TEMPLATES),
        languages=_languages(staff),
        origins=origins,
        base=_templates_base(staff),
        flash=flash_for(done, ui),
    )
    return render(request, "messaging/store/templates.html", context)


@router.get("/{store_code}/messages/templates/{code}/{language}")
def edit_template(
    request: Request, code: str, language: str, db: SessionDep, staff: StaffWith("messaging.templates.manage")
) -> Response:
    """The editor with the template in use and a preview rendered with sample values."""
    _check(code, language)
    source = email_service.source_for(
        db, platform_id=staff.store.platform_id, store_id=staff.store.id, code=code, language=language
    )
    values = {"subject": source.subject, "body_html": source.body_html, "body_text": source.body_text}
    preview = None
    errors: dict[str, str] = {}
    try:
        preview = email_service.preview(code=code, language=language, **values)
    except OrionError as exc:  # a template saved before a rule changed: show why
        errors = field_messages(exc, request.state.language)
    return _render_editor(
        request, db, staff, code=code, language=language, values=values, origin=source.origin,
        preview=preview, errors=errors,
    )


@router.post("/{store_code}/messages/templates/{code}/{language}")
def save_template(
    request: Request, code: str, language: str, db: SessionDep, staff: StaffWith("messaging.templates.manage"), form: PostedForm
) -> Response:
    """Preview (``action=preview``) or save the store's version of the template."""
    _check(code, language)
    values = {
        "subject": form_text(form, "subject"),
        "body_html": form_text(form, "body_html").replace("\r\n", "\n"),
        "body_text": form_text(form, "body_text").replace("\r\n", "\n"),
    }
    store = staff.store
    try:
        if form_text(form, "action") == "preview":
            preview = email_service.preview(code=code, language=language, **values)
            origin = email_service.source_for(
                db, platform_id=store.platform_id, store_id=store.id, code=code, language=language
            ).origin
            return _render_editor(
                request, db, staff, code=code, language=language, values=values, origin=origin,
                preview=preview,
            )
        email_service.save_template(
            db, platform_id=store.platform_id, store_id=store.id, code=code, language=language, **values
        )
    except OrionError as exc:
        if exc.status == 404 or exc.status >= 500:
            raise
        db.rollback()
        origin = email_service.source_for(
            db, platform_id=store.platform_id, store_id=store.id, code=code, language=language
        ).origin
        return _render_editor(
            request, db, staff, code=code, language=language, values=values, origin=origin,
            preview=None, errors=field_messages(exc, request.state.language),
            status_code=exc.status,
        )
    return RedirectResponse(with_done(_templates_base(staff), "saved"), status_code=303)


@router.post("/{store_code}/messages/templates/{code}/{language}/reset")
def reset_template(code: str, language: str, db: SessionDep, staff: StaffWith("messaging.templates.manage")) -> Response:
    """Drop the store's version: the platform's or the built-in template is used again."""
    _check(code, language)
    email_service.reset_template(
        db, platform_id=staff.store.platform_id, store_id=staff.store.id, code=code, language=language
    )
    return RedirectResponse(with_done(_templates_base(staff), "reset"), status_code=303)


@router.get("/{store_code}/notifications")
def notifications(
    request: Request, db: SessionDep, staff: StaffWith("messaging.view"), page: int = 1, unread: int = 0, done: str = ""
) -> Response:
    """The store's notifications, newest first, paginated."""
    ui = request.state.language
    listing = notification_service.list_for_store(
        db, store_id=staff.store.id, page=page, unread_only=bool(unread)
    )
    base = f"/store/{staff.store.code}/notifications"
    context = get_store_context(
        request,
        db,
        page_title=t("messaging.notifications.title", ui),
        active="messaging-notifications",
        listing=listing,
        unread_only=bool(unread),
        base=base,
        page_base=f"{base}?unread=1&" if unread else f"{base}?",
        flash=flash_for(done, ui),
    )
    return render(request, "messaging/store/notifications.html", context)


@router.post("/{store_code}/notifications/{notification_id}/read")
def mark_read(notification_id: int, db: SessionDep, staff: StaffWith("messaging.view")) -> Response:
    """Mark one notification read."""
    notification_service.mark_read(db, store_id=staff.store.id, notification_id=notification_id)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/notifications", "read"), status_code=303)


@router.post("/{store_code}/notifications/read-all")
def mark_all_read(db: SessionDep, staff: StaffWith("messaging.view")) -> Response:
    """Mark every notification of the store read."""
    notification_service.mark_all_read(db, store_id=staff.store.id)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/notifications", "all_read"), status_code=303)


# -- customer conversations ----------------------------------------------------------------
# Declared after the template routes: /messages/templates must not be taken for a conversation.


def _messages_base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/messages"


@router.get("/{store_code}/messages")
def conversations(
    request: Request, db: SessionDep, staff: StaffWith("messaging.view"), status: str = "", page: int = 1, done: str = ""
) -> Response:
    """The store's conversations with customers, latest first, with unread counts."""
    ui = request.state.language
    status = status if status in ("open", "closed") else ""
    listing = conversation_service.list_for_store(
        db, store_id=staff.store.id, status=status or None, page=page
    )
    base = _messages_base(staff)
    context = get_store_context(
        request,
        db,
        page_title=t("messaging.conversations.title", ui),
        active="messaging-conversations",
        listing=listing,
        status=status,
        base=base,
        page_base=f"{base}?status={status}&" if status else f"{base}?",
        flash=flash_for(done, ui),
    )
    return render(request, "messaging/store/conversations.html", context)


def _render_conversation(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    conversation_id: int,
    *,
    body: str = "",
    errors: dict[str, str] | None = None,
    flash: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    conversation = conversation_service.get_for_store(
        db, store_id=staff.store.id, conversation_id=conversation_id
    )
    customer = conversation_service.customer_of(db, conversation)
    if status_code == 200:
        conversation_service.mark_read(db, conversation=conversation, reader="staff")
    base = f"{_messages_base(staff)}/{conversation.id}"
    context = get_store_context(
        request,
        db,
        page_title=conversation.subject,
        active="messaging-conversations",
        conversation=conversation,
        messages=conversation.messages,
        customer=customer,
        customer_name=(customer.full_name or customer.email) if customer else "",
        can_send=staff.can("messaging.send"),
        body=body,
        errors=errors or {},
        base=base,
        list_url=_messages_base(staff),
        flash=flash,
    )
    return render(request, "messaging/store/conversation.html", context, status_code=status_code)


@router.get("/{store_code}/messages/{conversation_id}")
def conversation(
    request: Request, conversation_id: int, db: SessionDep, staff: StaffWith("messaging.view"), done: str = ""
) -> Response:
    """One conversation; opening it marks the customer's messages read."""
    return _render_conversation(
        request, db, staff, conversation_id, flash=flash_for(done, request.state.language)
    )


@router.post("/{store_code}/messages/{conversation_id}/reply")
def reply(
    request: Request, conversation_id: int, db: SessionDep, staff: StaffWith("messaging.send"), form: PostedForm
) -> Response:
    """Answer the customer (e-mailed to them); an empty or too long answer comes back with a
    message and the text kept."""
    body = form_text(form, "body")
    try:
        conversation_service.staff_reply(
            db, store_id=staff.store.id, conversation_id=conversation_id, user_id=staff.user.id, body=body
        )
    except OrionError as exc:
        if exc.status == 404 or exc.status >= 500:
            raise
        db.rollback()
        return _render_conversation(
            request, db, staff, conversation_id, body=body,
            errors=field_messages(exc, request.state.language), status_code=exc.status,
        )
    return RedirectResponse(with_done(f"{_messages_base(staff)}/{conversation_id}", "replied"), status_code=303)


@router.post("/{store_code}/messages/{conversation_id}/close")
def close(conversation_id: int, db: SessionDep, staff: StaffWith("messaging.send")) -> Response:
    """Close the conversation (the customer can still write: it opens again)."""
    conversation_service.set_status(db, store_id=staff.store.id, conversation_id=conversation_id, status="closed")
    return RedirectResponse(with_done(f"{_messages_base(staff)}/{conversation_id}", "closed"), status_code=303)


@router.post("/{store_code}/messages/{conversation_id}/reopen")
def reopen(conversation_id: int, db: SessionDep, staff: StaffWith("messaging.send")) -> Response:
    """Open a closed conversation again."""
    conversation_service.set_status(db, store_id=staff.store.id, conversation_id=conversation_id, status="open")
    return RedirectResponse(with_done(f"{_messages_base(staff)}/{conversation_id}", "reopened"), status_code=303)
