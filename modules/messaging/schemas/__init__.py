"""Messaging: schemas of the store API's conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class MessageOut(BaseModel):
    """One message of a conversation."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sender: Literal["customer", "staff"]
    body: str
    created_at: datetime
    read_at: datetime | None


class ConversationSummaryOut(BaseModel):
    """A conversation in a list, with the staff's unread count."""

    id: int
    subject: str
    status: Literal["open", "closed"]
    customer_id: int
    customer_name: str
    customer_email: str
    unread: int
    message_count: int
    created_at: datetime
    last_message_at: datetime


class ConversationPageOut(BaseModel):
    """One page of the store's conversations."""

    items: list[ConversationSummaryOut]
    total: int
    page: int
    pages: int
    unread: int
    """Unread customer messages in all of the store's conversations."""


class ConversationOut(ConversationSummaryOut):
    """A conversation with its messages, oldest first."""

    messages: list[MessageOut]


class ReplyIn(BaseModel):
    """A staff answer (1 to 5000 characters)."""

    body: str = Field(max_length=5000, description="The answer, e-mailed to the customer.")


class StatusIn(BaseModel):
    """Close or reopen a conversation."""

    status: Literal["open", "closed"]
