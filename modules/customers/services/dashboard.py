"""What staff do with the store's customers on the dashboard: search them, keep notes."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from modules.customers.exceptions import CustomerInputError, Problem
from modules.customers.models import Customer, CustomerNote
from modules.customers.services.rules import MAX_NOTE
from orion_server.database import begin_write, utcnow
from orion_server.pagination import Page


class Dashboard:
    """What staff do with the store's customers on the dashboard: search them, keep notes."""

    # -- search --------------------------------------------------------------------------

    def list_customers(
        self,
        db: Session,
        *,
        store_id: int,
        query: str = "",
        page: int = 1,
        per_page: int = 25,
    ) -> Page:
        """The store's customers, newest first, filtered by name, e-mail or customer number."""
        page = max(1, page)
        per_page = max(1, min(per_page, 100))
        statement = select(Customer).where(Customer.store_id == store_id)
        text = (query or "").strip()[:100]
        if text:
            like = f"%{text.lower()}%"
            full_name = func.lower(Customer.first_name + " " + Customer.last_name)
            statement = statement.where(
                or_(
                    func.lower(Customer.email).like(like),
                    func.lower(Customer.customer_number).like(like),
                    func.lower(Customer.first_name).like(like),
                    func.lower(Customer.last_name).like(like),
                    full_name.like(like),
                )
            )
        total = db.scalar(select(func.count()).select_from(statement.subquery())) or 0
        items = list(
            db.scalars(
                statement.order_by(Customer.created_at.desc(), Customer.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            )
        )
        return Page(items=items, total=total, page=page, per_page=per_page)

    # -- notes ---------------------------------------------------------------------------

    def add_note(
        self, db: Session, *, store_id: int, customer_id: int, author_user_id: int | None, text: str
    ) -> CustomerNote:
        """Add a staff note to a customer."""
        body = (text or "").replace("\r\n", "\n").strip()
        if not body:
            raise CustomerInputError([Problem("text", "customers.errors.note_required")])
        if len(body) > MAX_NOTE:
            raise CustomerInputError(
                [Problem("text", "customers.errors.too_long", {"max": MAX_NOTE})]
            )
        begin_write(db)
        customer = self.get_customer(db, store_id=store_id, customer_id=customer_id)
        note = CustomerNote(author_user_id=author_user_id, text=body, created_at=utcnow())
        customer.notes.append(note)
        db.commit()
        return note
