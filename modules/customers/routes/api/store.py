"""Store dashboard JSON API of the Customers module, at ``/api/v1/store/{store_code}/customers``.

Staff with ``customers.view`` list and search the store's customers and read one; customers of
other stores answer 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from modules.customers.schemas import CustomerOut, PageOut, StaffCustomerOut
from modules.customers.services import customer_service
from orion_server.deps import SessionDep, StaffWith
from orion_server.routing import ModuleRouter

router = ModuleRouter()

# Ids are 32-bit on PostgreSQL; a bigger one cannot even be looked up there (a 500): 422.
CustomerId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("", response_model=PageOut[CustomerOut])
def list_customers(
    db: SessionDep,
    staff: StaffWith("customers.view"),
    q: Annotated[str, Query(max_length=100, description="Part of a name, e-mail or number.")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> PageOut[CustomerOut]:
    """The store's customers, newest first."""
    found = customer_service.list_customers(
        db, store_id=staff.store.id, query=q, page=page, per_page=per_page
    )
    return PageOut[CustomerOut](
        items=[CustomerOut.model_validate(c) for c in found.items],
        total=found.total,
        page=found.page,
        per_page=found.per_page,
        pages=found.pages,
    )


@router.get("/{customer_id}", response_model=StaffCustomerOut)
def get_customer(customer_id: CustomerId, db: SessionDep, staff: StaffWith("customers.view")) -> StaffCustomerOut:
    """One customer with addresses and notes."""
    customer = customer_service.get_customer(db, store_id=staff.store.id, customer_id=customer_id)
    return StaffCustomerOut.model_validate(customer)
