"""Customers: registration, sign-in, sessions, profile, addresses, password reset, notes,
the dashboard's search and GDPR export and erasure.

A customer belongs to one store; every lookup takes the store id, so one store's records are
invisible from another. Guest customers (from a guest checkout) have no password; registering
with a guest's e-mail address turns the guest into an account, whose guest orders join it once
the link sent to that address is opened (``confirmations``).

This file is the customers' service as callers see it: ``customer_service`` joins the parts,
each in its own file (accounts, sign-in and sessions, addresses, password reset, the
dashboard's search and notes, GDPR), and the limits, checks and country list they share
(``rules``, ``countries``) are named here too.
"""

from __future__ import annotations

from modules.customers.services.accounts import Accounts
from modules.customers.services.addresses import Addresses
from modules.customers.services.confirmations import EmailConfirmations
from modules.customers.services.countries import (
    NOT_COUNTRIES,
    USUAL_COUNTRIES,
    country_codes,
    country_options,
)
from modules.customers.services.dashboard import Dashboard
from modules.customers.services.gdpr import Gdpr
from modules.customers.services.password_reset import PasswordReset
from modules.customers.services.rules import (
    ADDRESS_FIELDS,
    CUSTOMER_COOKIE,
    EMAIL_PATTERN,
    FIELD_LIMITS,
    KEEP,
    MAX_NOTE,
    MAX_PASSWORD,
    PROFILE_FIELDS,
    RESET_LIFETIME,
    Validation,
    normalise_email,
)
from modules.customers.services.sign_in import SignIn
from orion_server.pagination import Page

__all__ = [
    "ADDRESS_FIELDS",
    "CUSTOMER_COOKIE",
    "EMAIL_PATTERN",
    "FIELD_LIMITS",
    "KEEP",
    "MAX_NOTE",
    "MAX_PASSWORD",
    "NOT_COUNTRIES",
    "PROFILE_FIELDS",
    "RESET_LIFETIME",
    "USUAL_COUNTRIES",
    "CustomerService",
    "Page",
    "country_codes",
    "country_options",
    "customer_service",
    "normalise_email",
]


class CustomerService(Accounts, SignIn, Addresses, PasswordReset, EmailConfirmations, Dashboard, Gdpr, Validation):
    """Everything a store's customers can do, and what staff may do with them."""


customer_service = CustomerService()
