"""Factories for the framework's records; modules add their own beside their tests."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from orion_server.auth.sessions import SESSION_COOKIE, start_session
from orion_server.models import Platform, Store, User, UserRole

DEFAULT_PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


class Factories:
    """Create records with sensible defaults; every keyword can be overridden."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def platform(self, **fields: Any) -> Platform:
        from orion_server.tenancy import tenancy_service

        n = next(_counter)
        fields.setdefault("code", f"platform-{n}")
        fields.setdefault("name", f"Platform {n}")
        return tenancy_service.create_platform(self.db, **fields)

    def store(self, platform: Platform | None = None, **fields: Any) -> Store:
        from orion_server.tenancy import tenancy_service

        platform = platform or self.platform()
        n = next(_counter)
        fields.setdefault("code", f"store-{n}")
        fields.setdefault("name", f"Store {n}")
        return tenancy_service.create_store(self.db, platform_code=platform.code, **fields)

    def user(self, role: UserRole = UserRole.STORE_USER, **fields: Any) -> User:
        from orion_server.accounts import create_user

        n = next(_counter)
        fields.setdefault("email", f"user{n}@example.com")
        fields.setdefault("password", DEFAULT_PASSWORD)
        return create_user(self.db, role=role, **fields)

    def admin(self, **fields: Any) -> User:
        return self.user(role=UserRole.SUPER_ADMIN, **fields)

    def staff(self, store: Store, role: str = "staff", permissions: list[str] | None = None, **fields: Any) -> User:
        from orion_server.accounts import add_store_member

        user = self.user(**fields)
        add_store_member(self.db, store_code=store.code, user_id=user.id, role=role, permissions=permissions)
        return user

    def login(self, client: Any, user: User) -> str:
        """Sign ``user`` in on ``client``; returns the session's CSRF token for unsafe requests."""
        token = start_session(self.db, user=user, days=1)
        client.cookies.set(SESSION_COOKIE, token)
        from orion_server.auth.sessions import load_session

        return load_session(self.db, token).csrf_token
