"""Customers: request and response bodies of the JSON APIs."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

ItemT = TypeVar("ItemT")


class AddressOut(BaseModel):
    """A postal address of a customer."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    label: str
    name: str
    street: str
    postal_code: str
    city: str
    country: str
    is_default_shipping: bool
    is_default_billing: bool


class CustomerOut(BaseModel):
    """A customer as the shopper and staff see them."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_number: str
    email: str
    first_name: str
    last_name: str
    phone: str
    preferred_language: str
    marketing_consent: bool
    is_guest: bool
    created_at: datetime
    last_login_at: datetime | None
    erased_at: datetime | None


class CustomerDetailOut(CustomerOut):
    """A customer with their addresses."""

    addresses: list[AddressOut]


class MeOut(CustomerDetailOut):
    """The signed-in shopper: themselves, their addresses, and a change of address waiting."""

    pending_email: str | None = Field(
        None, description="A new e-mail address waiting for the confirmation link sent to it; "
        "``email`` changes once that link is opened.")


class NoteOut(BaseModel):
    """A staff note."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    author_user_id: int | None
    created_at: datetime


class StaffCustomerOut(CustomerDetailOut):
    """A customer as the store dashboard's API shows them, with the staff's notes."""

    notes: list[NoteOut]


class ProfileUpdate(BaseModel):
    """Profile fields to change; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, max_length=255)
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=50)
    preferred_language: str | None = Field(default=None, max_length=5)
    marketing_consent: bool | None = None
    email_password: str | None = Field(default=None, max_length=200)
    """The current password, needed to change ``email``."""


class SessionCreate(BaseModel):
    """Credentials to sign in with."""

    email: str = Field(max_length=255)
    password: str = Field(max_length=1000)


class PageOut(BaseModel, Generic[ItemT]):
    """One page of a listing."""

    items: list[ItemT]
    total: int
    page: int
    per_page: int
    pages: int
