"""Store JSON API of Messaging, mounted at ``/api/v1/store/{store_code}/messaging``.

Conversations with customers: listing and reading need ``messaging.view``; answering, closing
and reopening need ``messaging.send``. Another store's conversation answers 404; bad input 422.
Reading a conversation here does not mark it read (the dashboard page does).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from fastapi import status as http_status

from modules.messaging.models import Conversation
from modules.messaging.schemas import (
    ConversationOut,
    ConversationPageOut,
    ConversationSummaryOut,
    MessageOut,
    ReplyIn,
    StatusIn,
)
from modules.messaging.services import conversation_service
from orion_server.deps import SessionDep, StaffWith
from orion_server.routing import ModuleRouter

router = ModuleRouter()

# Ids are 32-bit on PostgreSQL; a bigger one cannot even be looked up there (a 500): 422.
ConversationId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _out(db: SessionDep, conversation: Conversation) -> ConversationOut:
    customer = conversation_service.customer_of(db, conversation)
    messages = conversation.messages
    unread = sum(1 for m in messages if m.sender == "customer" and m.read_at is None)
    return ConversationOut(
        id=conversation.id,
        subject=conversation.subject,
        status=conversation.status,
        customer_id=conversation.customer_id,
        customer_name=(customer.full_name or customer.email) if customer else "",
        customer_email=customer.email if customer else "",
        unread=unread,
        message_count=len(messages),
        created_at=conversation.created_at,
        last_message_at=conversation.last_message_at,
        messages=[MessageOut.model_validate(m) for m in messages],
    )


@router.get("/conversations", response_model=ConversationPageOut)
def list_conversations(
    db: SessionDep,
    staff: StaffWith("messaging.view"),
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> ConversationPageOut:
    """The store's conversations, latest message first, with unread counts."""
    listing = conversation_service.list_for_store(
        db, store_id=staff.store.id, status=status, page=page, per_page=per_page
    )
    return ConversationPageOut(
        items=[
            ConversationSummaryOut(
                id=row.conversation.id,
                subject=row.conversation.subject,
                status=row.conversation.status,
                customer_id=row.conversation.customer_id,
                customer_name=row.customer_name,
                customer_email=row.customer_email,
                unread=row.unread,
                message_count=row.message_count,
                created_at=row.conversation.created_at,
                last_message_at=row.conversation.last_message_at,
            )
            for row in listing.items
        ],
        total=listing.total,
        page=listing.page,
        pages=listing.pages,
        unread=listing.unread,
    )


@router.get("/conversations/{conversation_id}", response_model=ConversationOut)
def get_conversation(conversation_id: ConversationId, db: SessionDep, staff: StaffWith("messaging.view")) -> ConversationOut:
    """One conversation with its messages."""
    conversation = conversation_service.get_for_store(
        db, store_id=staff.store.id, conversation_id=conversation_id
    )
    return _out(db, conversation)


@router.post(
    "/conversations/{conversation_id}/messages",
    response_model=MessageOut,
    status_code=http_status.HTTP_201_CREATED,
)
def reply(conversation_id: ConversationId, body: ReplyIn, db: SessionDep, staff: StaffWith("messaging.send")) -> MessageOut:
    """Answer the customer; the answer is e-mailed to them in their language."""
    message = conversation_service.staff_reply(
        db, store_id=staff.store.id, conversation_id=conversation_id, user_id=staff.user.id, body=body.body
    )
    return MessageOut.model_validate(message)


@router.post("/conversations/{conversation_id}/status", response_model=ConversationOut)
def change_status(conversation_id: ConversationId, body: StatusIn, db: SessionDep, staff: StaffWith("messaging.send")) -> ConversationOut:
    """Close or reopen the conversation."""
    conversation = conversation_service.set_status(
        db, store_id=staff.store.id, conversation_id=conversation_id, status=body.status
    )
    return _out(db, conversation)
