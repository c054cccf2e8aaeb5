"""Staff and admin accounts: creating users and giving them a place in a store."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from orion_server.auth.passwords import hash_password, password_problem
from orion_server.errors import ConflictError, NotFoundError, ValidationError
from orion_server.models import AuditEntry, Store, StoreMembership, User, UserRole

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STORE_ROLES = ("owner", "manager", "staff")


def normalise_email(email: str) -> str:
    """Lower-case and trimmed; ValidationError when it is not an address."""
    email = (email or "").strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise ValidationError("enter a valid e-mail address", field="email")
    return email


def create_user(
    db: Session,
    *,
    email: str,
    password: str,
    role: UserRole = UserRole.STORE_USER,
    full_name: str = "",
    language: str | None = None,
    actor_id: int | None = None,
) -> User:
    """Create a user with an argon2id password hash."""
    email = normalise_email(email)
    if problem := password_problem(password):
        raise ValidationError(problem, field="password")
    if db.scalar(select(User.id).where(User.email == email)):
        raise ConflictError(f"a user with the e-mail address {email} already exists", field="email")
    user = User(
        email=email,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=role.value,
        language=language,
        is_active=True,
    )
    db.add(user)
    db.flush()
    db.add(AuditEntry(actor_id=actor_id, action="user.create", target=email, details={"role": role.value}))
    db.commit()
    return user


def add_store_member(
    db: Session, *, store_code: str, user_id: int, role: str = "staff", permissions: list[str] | None = None
) -> StoreMembership:
    """Give a user a role in a store (the owner holds every permission)."""
    if role not in STORE_ROLES:
        raise ValidationError(f"choose one of {', '.join(STORE_ROLES)}", field="role")
    store = db.scalar(select(Store).where(Store.code == store_code))
    if store is None:
        raise NotFoundError(f"no store with code {store_code!r}")
    membership = db.scalar(
        select(StoreMembership).where(StoreMembership.store_id == store.id, StoreMembership.user_id == user_id)
    )
    if membership is None:
        membership = StoreMembership(store_id=store.id, user_id=user_id, role=role, permissions=list(permissions or []))
        db.add(membership)
    else:
        membership.role = role
        membership.permissions = list(permissions or [])
    db.commit()
    return membership


def find_admin(db: Session) -> User | None:
    """Any platform or super admin."""
    return db.scalar(
        select(User).where(User.role.in_([UserRole.SUPER_ADMIN.value, UserRole.PLATFORM_ADMIN.value])).limit(1)
    )
