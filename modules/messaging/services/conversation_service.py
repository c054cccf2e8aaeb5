"""Conversations between a signed-in customer and a store.

A customer starts a conversation (subject + first message) and writes in it; every customer
message tells the store's staff with a notification. Staff answer, close and reopen; every staff
answer is e-mailed to the customer through the outbox (template ``message_reply``) in the
customer's language. Each side's unread messages are the other side's messages without
``read_at``; opening a conversation marks them read. Another store's or customer's conversation
is a NotFoundError, never a hint that it exists.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from modules.customers.models import Customer
from modules.messaging.exceptions import MessagingInputError, Problem
from modules.messaging.models import Conversation, ConversationMessage
from orion_server.config import get_settings
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.i18n import t
from orion_server.models import Store
from orion_server.pagination import Page, clamp_page

logger = logging.getLogger(__name__)

MAX_SUBJECT = 200
MAX_BODY = 5000
PER_PAGE = 25
STATUS_FILTERS = ("open", "closed")


@dataclass(frozen=True)
class ConversationRow:
    """A conversation in a list, with what the viewer has not read yet."""

    conversation: Conversation
    customer_name: str
    customer_email: str
    unread: int
    message_count: int


@dataclass(frozen=True)
class ConversationPage(Page[ConversationRow]):
    """One page of a store's (or a customer's) conversations."""

    unread: int = 0
    """Unread messages in all of the viewer's conversations."""


def check_subject(subject: str | None) -> str:
    """A trimmed subject of 1 to 200 characters; else a MessagingInputError on ``subject``."""
    subject = " ".join((subject or "").split())
    if not subject:
        raise MessagingInputError([Problem("subject", "messaging.errors.conversation_subject_required")])
    if len(subject) > MAX_SUBJECT:
        raise MessagingInputError([Problem("subject", "messaging.errors.too_long", {"limit": MAX_SUBJECT})])
    return subject


def check_body(body: str | None) -> str:
    """A message of 1 to 5000 characters (line breaks kept); else a MessagingInputError on ``body``."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise MessagingInputError([Problem("body", "messaging.errors.body_required")])
    if len(body) > MAX_BODY:
        raise MessagingInputError([Problem("body", "messaging.errors.too_long", {"limit": MAX_BODY})])
    return body


def _customer_name(customer: Customer) -> str:
    return customer.full_name or customer.email


class ConversationService:
    """Business rules of customer ↔ store conversations."""

    # -- reading ------------------------------------------------------------------------------

    def get_for_store(self, db: Session, *, store_id: int, conversation_id: int) -> Conversation:
        """One of the store's conversations (another store's: NotFoundError)."""
        conversation = db.get(Conversation, conversation_id)
        if conversation is None or conversation.store_id != store_id:
            raise NotFoundError("conversation not found")
        return conversation

    def get_for_customer(self, db: Session, *, customer: Customer, conversation_id: int) -> Conversation:
        """One of the customer's conversations (anybody else's: NotFoundError)."""
        conversation = db.get(Conversation, conversation_id)
        if (
            conversation is None
            or conversation.customer_id != customer.id
            or conversation.store_id != customer.store_id
        ):
            raise NotFoundError("conversation not found")
        return conversation

    def customer_of(self, db: Session, conversation: Conversation) -> Customer | None:
        """The customer who started ``conversation``."""
        return db.get(Customer, conversation.customer_id)

    def _unread_counts(self, db: Session, ids: list[int], *, from_sender: str) -> dict[int, tuple[int, int]]:
        """``{conversation id: (unread messages from from_sender, all messages)}``."""
        if not ids:
            return {}
        unread = func.sum(
            case(
                (
                    (ConversationMessage.sender == from_sender) & ConversationMessage.read_at.is_(None),
                    1,
                ),
                else_=0,
            )
        )
        rows = db.execute(
            select(ConversationMessage.conversation_id, unread, func.count())
            .where(ConversationMessage.conversation_id.in_(ids))
            .group_by(ConversationMessage.conversation_id)
        ).all()
        return {cid: (int(u or 0), int(n or 0)) for cid, u, n in rows}

    def _total_unread(self, db: Session, where, *, from_sender: str) -> int:
        return db.scalar(
            select(func.count())
            .select_from(ConversationMessage)
            .join(Conversation, Conversation.id == ConversationMessage.conversation_id)
            .where(
                *where,
                ConversationMessage.sender == from_sender,
                ConversationMessage.read_at.is_(None),
            )
        ) or 0

    def _page(
        self, db: Session, where: list, *, from_sender: str, page: int, per_page: int
    ) -> ConversationPage:
        query = (
            select(Conversation, Customer)
            .join(Customer, Customer.id == Conversation.customer_id)
            .where(*where)
        )
        total = db.scalar(select(func.count()).select_from(Conversation).where(*where)) or 0
        page = clamp_page(page, total, per_page)
        rows = db.execute(
            query.order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
        counts = self._unread_counts(db, [c.id for c, _ in rows], from_sender=from_sender)
        items = [
            ConversationRow(
                conversation=c,
                customer_name=_customer_name(customer),
                customer_email=customer.email,
                unread=counts.get(c.id, (0, 0))[0],
                message_count=counts.get(c.id, (0, 0))[1],
            )
            for c, customer in rows
        ]
        return ConversationPage(items, total, page, per_page, 0)

    def list_for_store(
        self, db: Session, *, store_id: int, status: str | None = None, page: int = 1, per_page: int = PER_PAGE
    ) -> ConversationPage:
        """The store's conversations, latest message first, with the staff's unread counts."""
        where = [Conversation.store_id == store_id]
        if status in STATUS_FILTERS:
            where.append(Conversation.status == status)
        listing = self._page(db, where, from_sender="customer", page=page, per_page=per_page)
        unread = self.unread_for_store(db, store_id=store_id)
        return ConversationPage(listing.items, listing.total, listing.page, listing.per_page, unread)

    def unread_for_store(self, db: Session, *, store_id: int) -> int:
        """Customer messages the store's staff have not opened yet."""
        return self._total_unread(db, [Conversation.store_id == store_id], from_sender="customer")

    def unread_for_platform(self, db: Session, *, platform_id: int) -> int:
        """Customer messages not opened yet by the staff of the platform's stores."""
        stores = select(Store.id).where(Store.platform_id == platform_id)
        return self._total_unread(db, [Conversation.store_id.in_(stores)], from_sender="customer")

    def list_for_customer(
        self, db: Session, *, customer: Customer, page: int = 1, per_page: int = PER_PAGE
    ) -> ConversationPage:
        """The customer's conversations, latest message first, with their unread answers."""
        where = [Conversation.customer_id == customer.id, Conversation.store_id == customer.store_id]
        listing = self._page(db, where, from_sender="staff", page=page, per_page=per_page)
        unread = self._total_unread(db, where, from_sender="staff")
        return ConversationPage(listing.items, listing.total, listing.page, listing.per_page, unread)

    def mark_read(self, db: Session, *, conversation: Conversation, reader: str) -> int:
        """Mark the other side's messages read by ``reader`` (``staff`` or ``customer``)."""
        other = "customer" if reader == "staff" else "staff"
        begin_write(db)
        result = db.execute(
            update(ConversationMessage)
            .where(
                ConversationMessage.conversation_id == conversation.id,
                ConversationMessage.sender == other,
                ConversationMessage.read_at.is_(None),
            )
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.commit()
        db.expire(conversation)
        return result.rowcount or 0

    # -- the customer's side ------------------------------------------------------------------

    def start(self, db: Session, *, customer: Customer, subject: str, body: str) -> Conversation:
        """A new conversation of ``customer`` with their store; the staff get a notification."""
        problems: list[Problem] = []
        try:
            subject = check_subject(subject)
        except MessagingInputError as exc:
            problems += exc.problems
        try:
            body = check_body(body)
        except MessagingInputError as exc:
            problems += exc.problems
        if problems:
            raise MessagingInputError(problems)
        begin_write(db)
        now = utcnow()
        conversation = Conversation(
            store_id=customer.store_id,
            customer_id=customer.id,
            subject=subject,
            status="open",
            created_at=now,
            last_message_at=now,
        )
        conversation.messages.append(ConversationMessage(sender="customer", body=body, created_at=now))
        db.add(conversation)
        db.commit()
        self._notify_staff(db, conversation, customer, new=True)
        return conversation

    def customer_reply(
        self, db: Session, *, customer: Customer, conversation_id: int, body: str
    ) -> ConversationMessage:
        """The customer writes again (a closed conversation opens again); staff are told."""
        conversation = self.get_for_customer(db, customer=customer, conversation_id=conversation_id)
        body = check_body(body)
        message = self._add(db, conversation, sender="customer", body=body, author_user_id=None)
        self._notify_staff(db, conversation, customer, new=False)
        return message

    def _notify_staff(self, db: Session, conversation: Conversation, customer: Customer, *, new: bool) -> None:
        """A notification for the store's staff, worded in the store's language."""
        from modules.messaging.services.notification_service import notification_service

        store = db.get(Store, conversation.store_id)
        if store is None:
            return
        language = store.default_language
        key = "messaging.notify.new_conversation" if new else "messaging.notify.customer_reply"
        try:
            begin_write(db)
            notification_service.notify_staff(
                db,
                store_id=store.id,
                kind="customer_message",
                title=t(key, language, customer=_customer_name(customer), subject=conversation.subject),
                body=conversation.messages[-1].body[:300] if conversation.messages else "",
                link=f"/store/{store.code}/messages/{conversation.id}",
            )
        except Exception:  # the message is saved; a failed notice must not lose it
            db.rollback()
            logger.exception("could not notify the staff of store %s about a message", conversation.store_id)

    # -- the store's side ---------------------------------------------------------------------

    def staff_reply(
        self, db: Session, *, store_id: int, conversation_id: int, user_id: int | None, body: str
    ) -> ConversationMessage:
        """Staff answer (a closed conversation opens again); the answer is e-mailed to the
        customer in their language."""
        conversation = self.get_for_store(db, store_id=store_id, conversation_id=conversation_id)
        body = check_body(body)
        message = self._add(db, conversation, sender="staff", body=body, author_user_id=user_id)
        self._email_customer(db, conversation, message)
        return message

    def set_status(self, db: Session, *, store_id: int, conversation_id: int, status: str) -> Conversation:
        """Close (``closed``) or reopen (``open``) one of the store's conversations."""
        if status not in CONVERSATION_STATUSES_SET:
            raise MessagingInputError([Problem("status", "messaging.errors.bad_status")])
        begin_write(db)
        conversation = self.get_for_store(db, store_id=store_id, conversation_id=conversation_id)
        if conversation.status != status:
            conversation.status = status
            conversation.closed_at = utcnow() if status == "closed" else None
        db.commit()
        return conversation

    def _add(
        self, db: Session, conversation: Conversation, *, sender: str, body: str, author_user_id: int | None
    ) -> ConversationMessage:
        begin_write(db)
        now = utcnow()
        message = ConversationMessage(
            conversation_id=conversation.id,
            sender=sender,
            author_user_id=author_user_id,
            body=body,
            created_at=now,
        )
        db.add(message)
        conversation.last_message_at = now
        if conversation.status == "closed":
            conversation.status = "open"
            conversation.closed_at = None
        db.commit()
        return message

    def _email_customer(self, db: Session, conversation: Conversation, message: ConversationMessage) -> None:
        """Queue the ``message_reply`` email; the reply stays saved if the email cannot be queued."""
        from modules.messaging.services.email_service import email_service

        customer = self.customer_of(db, conversation)
        store = db.get(Store, conversation.store_id)
        if customer is None or store is None or customer.is_erased:
            return
        try:
            email_service.queue(
                db,
                platform_id=store.platform_id,
                store_id=store.id,
                code="message_reply",
                to=customer.email,
                language=customer.preferred_language,
                variables={
                    "customer_name": _customer_name(customer),
                    "store_name": store.name,
                    "conversation_subject": conversation.subject,
                    "reply_text": message.body,
                    "conversation_url": self.customer_url(store, conversation),
                },
                dedupe_key=f"conversation_message:{message.id}",
            )
        except Exception:
            db.rollback()
            logger.exception("could not queue the reply email of conversation %s", conversation.id)

    @staticmethod
    def customer_url(store: Store, conversation: Conversation) -> str:
        """The absolute link of the conversation in the customer's account (from the base URL)."""
        base = get_settings().base_url.rstrip("/")
        return (
            f"{base}/platforms/{store.platform.code}/storefront/{store.code}"
            f"/account/messages/{conversation.id}"
        )


CONVERSATION_STATUSES_SET = frozenset(STATUS_FILTERS)


conversation_service = ConversationService()
