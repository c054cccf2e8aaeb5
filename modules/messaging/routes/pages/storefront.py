"""Storefront pages of Messaging: a signed-in customer's conversations with the store
(``account/messages``: the list, a new message, a conversation with its answers)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.customers.deps import CurrentCustomer
from modules.messaging.exceptions import field_messages
from modules.messaging.routes.forms import flash_for
from modules.messaging.services import conversation_service
from modules.messaging.services.conversation_service import MAX_BODY, MAX_SUBJECT
from orion_server.deps import SessionDep, not_found_as_404, storefront_root
from orion_server.errors import OrionError
from orion_server.flash import with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_storefront_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])


def _page(request: Request, db: SessionDep, template: str, title: str, status_code: int = 200, **extra: Any) -> Response:
    extra.setdefault("errors", {})
    context = get_storefront_context(
        request,
        db,
        page_title=title,
        messages_root=storefront_root(request) + "account/messages",
        account_url=storefront_root(request) + "account/",
        max_subject=MAX_SUBJECT,
        max_body=MAX_BODY,
        **extra,
    )
    return render(request, f"messaging/storefront/{template}", context, status_code=status_code)


def _redirect(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(storefront_root(request) + path, status_code=303)


@router.get("/account/messages")
def my_conversations(
    request: Request, db: SessionDep, customer: CurrentCustomer, page: int = 1
) -> Response:
    """The customer's conversations with the store, with the answers not read yet."""
    listing = conversation_service.list_for_customer(db, customer=customer, page=page)
    return _page(
        request, db, "conversations.html", t("messaging.account.title", request.state.language),
        listing=listing,
    )


def _new_form(
    request: Request, db: SessionDep, *, values: dict[str, str], errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return _page(
        request, db, "new.html", t("messaging.account.new_title", request.state.language),
        values=values, errors=errors or {}, status_code=status_code,
    )


@router.get("/account/messages/new")
def new_conversation_form(request: Request, db: SessionDep, customer: CurrentCustomer) -> Response:
    """A form to write to the store: subject and message."""
    return _new_form(request, db, values={"subject": "", "body": ""})


@router.post("/account/messages/new")
def start_conversation(request: Request, db: SessionDep, customer: CurrentCustomer, form: PostedForm) -> Response:
    """Send the first message; a missing or too long field comes back with what was typed."""
    values = {"subject": form_text(form, "subject"), "body": form_text(form, "body")}
    try:
        conversation = conversation_service.start(db, customer=customer, **values)
    except OrionError as exc:
        if exc.status == 404 or exc.status >= 500:
            raise
        db.rollback()
        return _new_form(
            request, db, values=values, errors=field_messages(exc, request.state.language),
            status_code=exc.status,
        )
    return _redirect(request, with_done(f"account/messages/{conversation.id}", "sent"))


def _conversation_page(
    request: Request,
    db: SessionDep,
    customer: Any,
    conversation_id: int,
    *,
    body: str = "",
    errors: dict[str, str] | None = None,
    flash: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    conversation = conversation_service.get_for_customer(db, customer=customer, conversation_id=conversation_id)
    if status_code == 200:
        conversation_service.mark_read(db, conversation=conversation, reader="customer")
    return _page(
        request, db, "conversation.html", conversation.subject,
        conversation=conversation, messages=conversation.messages, body=body, errors=errors or {},
        flash=flash, status_code=status_code,
    )


@router.get("/account/messages/{conversation_id}")
def my_conversation(
    request: Request, conversation_id: int, db: SessionDep, customer: CurrentCustomer, done: str = ""
) -> Response:
    """One conversation; opening it marks the store's answers read."""
    return _conversation_page(
        request, db, customer, conversation_id, flash=flash_for(done, request.state.language)
    )


@router.post("/account/messages/{conversation_id}/reply")
def reply(
    request: Request, conversation_id: int, db: SessionDep, customer: CurrentCustomer, form: PostedForm
) -> Response:
    """Write again in the conversation (a closed one opens again)."""
    body = form_text(form, "body")
    try:
        conversation_service.customer_reply(db, customer=customer, conversation_id=conversation_id, body=body)
    except OrionError as exc:
        if exc.status == 404 or exc.status >= 500:
            raise
        db.rollback()
        return _conversation_page(
            request, db, customer, conversation_id, body=body,
            errors=field_messages(exc, request.state.language), status_code=exc.status,
        )
    return _redirect(request, with_done(f"account/messages/{conversation_id}", "sent"))
