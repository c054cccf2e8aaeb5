"""The framework's own tables: identity, tenancy, sessions, module state, revision, audit,
the event outbox, sign-in throttling, store roles and invitations."""

from orion_server.models.audit import AuditEntry
from orion_server.models.events import EventDelivery, EventRecord
from orion_server.models.login_tokens import LoginToken
from orion_server.models.modules import PlatformModule
from orion_server.models.revision import ConfigRevision
from orion_server.models.sessions import UserSession
from orion_server.models.sign_in import SignInAttempt
from orion_server.models.tenancy import (
    Merchant,
    Platform,
    Store,
    StoreInvitation,
    StoreMembership,
    StoreRole,
    store_member_roles,
)
from orion_server.models.users import User, UserRole

__all__ = [
    "AuditEntry",
    "ConfigRevision",
    "EventDelivery",
    "EventRecord",
    "LoginToken",
    "Merchant",
    "Platform",
    "PlatformModule",
    "SignInAttempt",
    "Store",
    "StoreInvitation",
    "StoreMembership",
    "StoreRole",
    "User",
    "UserRole",
    "UserSession",
    "store_member_roles",
]
