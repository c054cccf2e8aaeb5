"""The framework's own tables: identity, tenancy, sessions, module state, revision, audit,
the event outbox, sign-in throttling, store roles and invitations, admins' platforms and support access."""

from orion_server.models.audit import AuditEntry
from orion_server.models.events import EventDelivery, EventRecord
from orion_server.models.login_tokens import LoginToken
from orion_server.models.modules import PlatformModule
from orion_server.models.revision import ConfigRevision
from orion_server.models.sessions import UserSession
from orion_server.models.sign_in import SignInAttempt
from orion_server.models.support import SupportAccess
from orion_server.models.tenancy import (
    Merchant,
    Platform,
    Store,
    StoreInvitation,
    StoreMembership,
    StoreRole,
    store_member_roles,
)
from orion_server.models.users import User, UserRole, admin_platforms

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
    "SupportAccess",
    "Store",
    "StoreInvitation",
    "StoreMembership",
    "StoreRole",
    "User",
    "UserRole",
    "UserSession",
    "admin_platforms",
    "store_member_roles",
]
