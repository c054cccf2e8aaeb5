"""A store's team: its members and their roles, invitations by e-mail, and the store's own roles.

Rules every action here keeps:

- a store always keeps at least one owner, and only an owner makes or unmakes owners;
- nobody grants what they do not hold: a member who manages the team without being an owner
  can hand out only roles whose permissions they hold themselves (so ``core.team.manage`` is
  not a way to raise oneself);
- the billing tier's staff limit (read through the ``TierLimits`` contract) counts members and
  open invitations;
- an invitation is a link valid ``INVITATION_HOURS``, good once; the table keeps only the
  token's hash.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from modules.contracts.events import StaffInvited
from modules.contracts.tier_limits import STAFF_USERS, TierLimit, limit_of
from orion_server import audit
from orion_server.accounts import EMAIL_PATTERN, new_password_problems
from orion_server.auth import throttle
from orion_server.auth.passwords import hash_password, verify_password
from orion_server.auth.sessions import start_session
from orion_server.config import get_settings
from orion_server.database import begin_write, utcnow
from orion_server.deps import MAX_ID, StaffContext
from orion_server.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from orion_server.events import emit
from orion_server.forms import InputError, Problem
from orion_server.models import (
    StoreInvitation,
    StoreMembership,
    StoreRole,
    User,
    UserRole,
    UserSession,
    store_member_roles,
)
from orion_server.modules import registry
from orion_server.modules.base import PermissionDefinition
from orion_server.modules.service import module_service
from orion_server.store_roles import BUILT_IN_ROLES, OWNER, built_in_permissions, store_permissions
from orion_server.tenants import StoreInfo

INVITATION_HOURS = 72
MAX_ROLE_NAME = 100
MAX_ROLE_DESCRIPTION = 300


class TeamInputError(InputError):
    """A team, invitation or role form broke a rule (every field named)."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One row of the team page."""

    membership_id: int
    user_id: int
    email: str
    name: str
    role: str | None
    custom_roles: list[StoreRole]
    last_login_at: datetime | None
    is_active: bool


@dataclass(frozen=True)
class Seats:
    """How many people work in the store against the tier's limit."""

    used: int
    limit: TierLimit | None
    """None where billing is off (no limit)."""

    @property
    def full(self) -> bool:
        return self.limit is not None and self.limit.reached(self.used)


@dataclass(frozen=True)
class PermissionGroup:
    """The store permissions one enabled module declares, for the role editor."""

    module: str
    name: str
    permissions: list[PermissionDefinition]


def _members_query(store_id: int) -> Select:
    return (select(StoreMembership, User).join(User, User.id == StoreMembership.user_id)
            .options(selectinload(StoreMembership.custom_roles)).where(StoreMembership.store_id == store_id))


def _member(membership: StoreMembership, user: User) -> Member:
    return Member(membership.id, user.id, user.email, user.full_name, membership.role, list(membership.custom_roles),
                  user.last_login_at, user.is_active)


def members(db: Session, store_id: int) -> list[Member]:
    """The store's members, owners first, then by name."""
    order = {role: index for index, role in enumerate(BUILT_IN_ROLES)}
    found = [_member(m, u) for m, u in db.execute(_members_query(store_id)).all()]
    return sorted(found, key=lambda m: (order.get(m.role or "", len(order)), (m.name or m.email).lower()))


def member(db: Session, store_id: int, membership_id: int) -> Member:
    """One member of the store; NotFoundError for another store's."""
    row = db.execute(_members_query(store_id).where(StoreMembership.id == membership_id)).first()
    if row is None:
        raise NotFoundError("no such member in this store")
    return _member(*row)


def _still_open() -> tuple:
    """The conditions of an invitation that can still be accepted."""
    return (StoreInvitation.accepted_at.is_(None), StoreInvitation.revoked_at.is_(None),
            StoreInvitation.expires_at > utcnow())


def open_invitations(db: Session, store_id: int) -> list[StoreInvitation]:
    """Invitations not yet accepted, revoked or expired, newest first."""
    return list(db.scalars(
        select(StoreInvitation).where(StoreInvitation.store_id == store_id, *_still_open())
        .order_by(StoreInvitation.created_at.desc(), StoreInvitation.id.desc())
    ))


def places_taken(db: Session, store_id: int) -> int:
    """Members plus open invitations: what the staff limit counts."""
    used = db.scalar(select(func.count(StoreMembership.id)).where(StoreMembership.store_id == store_id)) or 0
    used += db.scalar(select(func.count(StoreInvitation.id)).where(StoreInvitation.store_id == store_id,
                                                                   *_still_open())) or 0
    return used


def seats(db: Session, store: StoreInfo) -> Seats:
    """Members plus open invitations, and the tier's staff limit."""
    return Seats(places_taken(db, store.id), limit_of(db, store_id=store.id, key=STAFF_USERS))


def roles(db: Session, store_id: int) -> list[StoreRole]:
    """The store's own roles, by name."""
    return list(db.scalars(select(StoreRole).where(StoreRole.store_id == store_id).order_by(StoreRole.name)))


def role(db: Session, store_id: int, role_id: int) -> StoreRole:
    found = db.get(StoreRole, role_id)
    if found is None or found.store_id != store_id:
        raise NotFoundError("no such role in this store")
    return found


def role_holders(db: Session, store_id: int) -> dict[int, int]:
    """How many members hold each of the store's own roles."""
    rows = db.execute(
        select(store_member_roles.c.role_id, func.count())
        .join(StoreRole, StoreRole.id == store_member_roles.c.role_id)
        .where(StoreRole.store_id == store_id).group_by(store_member_roles.c.role_id)
    ).all()
    return {role_id: count for role_id, count in rows}


def permission_groups(db: Session, platform_id: int) -> list[PermissionGroup]:
    """Store permissions of the modules enabled on the platform, grouped by module."""
    enabled = module_service.get_enabled_module_codes(db, platform_id)
    groups: dict[str, list[PermissionDefinition]] = {}
    for permission in store_permissions(enabled):
        groups.setdefault(permission.id.split(".", 1)[0], []).append(permission)
    return [PermissionGroup(code, registry.MODULES[code].name if code in registry.MODULES else code, found)
            for code, found in groups.items()]


# -- granting ---------------------------------------------------------------------------------


def _grantable(actor: StaffContext, permissions: Iterable[str]) -> bool:
    return actor.is_owner or set(permissions) <= actor.permissions


def _chosen_roles(
    db: Session, store_id: int, role_name: str | None, role_ids: Iterable[int], actor: StaffContext,
    problems: list[Problem], field: str = "role",
) -> tuple[str | None, list[StoreRole]]:
    """The built-in role and store roles a form chose, checked: they exist, something is chosen,
    and the actor may grant them."""
    role_name = (role_name or "").strip() or None
    wanted = sorted(set(role_ids))
    possible = [i for i in wanted if 0 < i <= MAX_ID]  # a bigger id cannot be looked up (nor exist)
    custom = list(db.scalars(select(StoreRole).where(StoreRole.store_id == store_id, StoreRole.id.in_(possible)))) \
        if possible else []
    if role_name is not None and role_name not in BUILT_IN_ROLES:
        problems.append(Problem(field, "core.team.errors.role_unknown"))
        return None, custom
    if len(custom) != len(wanted):
        problems.append(Problem("role_ids", "core.team.errors.role_unknown"))
    if role_name is None and not custom:
        problems.append(Problem(field, "core.team.errors.role_required"))
    if role_name == OWNER and not actor.is_owner:
        problems.append(Problem(field, "core.team.errors.owner_only"))
    elif not _grantable(actor, built_in_permissions(role_name)) or not all(
        _grantable(actor, r.permissions) for r in custom
    ):
        problems.append(Problem(field, "core.team.errors.cannot_grant"))
    return role_name, custom


def _owner_count(db: Session, store_id: int) -> int:
    return db.scalar(select(func.count(StoreMembership.id)).where(
        StoreMembership.store_id == store_id, StoreMembership.role == OWNER)) or 0


# -- invitations ------------------------------------------------------------------------------


def invite(
    db: Session, *, store: StoreInfo, actor: StaffContext, email: str, full_name: str, role_name: str | None,
    role_ids: Iterable[int], language: str,
) -> StoreInvitation:
    """Invite ``email`` to the team: an invitation valid ``INVITATION_HOURS`` and an e-mail with
    its link, in ``language``, through the messaging outbox."""
    begin_write(db)
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    problems: list[Problem] = []
    if not EMAIL_PATTERN.match(email) or len(email) > 255:
        problems.append(Problem("email", "core.team.errors.email_invalid"))
    else:
        existing = db.scalar(
            select(StoreMembership.id).join(User, User.id == StoreMembership.user_id)
            .where(StoreMembership.store_id == store.id, User.email == email)
        )
        if existing is not None:
            problems.append(Problem("email", "core.team.errors.already_member"))
        elif any(i.email == email for i in open_invitations(db, store.id)):
            problems.append(Problem("email", "core.team.errors.already_invited"))
        elif db.scalar(select(User.id).where(User.email == email, User.role != UserRole.STORE_USER.value)):
            problems.append(Problem("email", "core.team.errors.is_admin"))
    if len(full_name) > 200:
        problems.append(Problem("full_name", "core.team.errors.name_too_long", {"max": 200}))
    if language not in get_settings().supported_languages:
        problems.append(Problem("language", "core.team.errors.language_unknown"))
    role_name, custom = _chosen_roles(db, store.id, role_name, role_ids, actor, problems)
    taken = seats(db, store)
    if not problems and taken.full:
        assert taken.limit is not None
        key = "core.team.errors.staff_limit" if taken.limit.lifted_by else "core.team.errors.staff_limit_top"
        problems.append(Problem("email", key, taken.limit.message_params(taken.used)))
    if problems:
        db.rollback()
        raise TeamInputError(problems)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = StoreInvitation(
        store_id=store.id, email=email, full_name=full_name, role=role_name, role_ids=[r.id for r in custom],
        language=language, token_hash=_hash(token), invited_by_id=actor.user.id, created_at=now,
        expires_at=now + timedelta(hours=INVITATION_HOURS),
    )
    db.add(invitation)
    db.flush()
    _announce(db, store, invitation, token, actor.user)
    audit.record(db, "team.member_invited", actor=actor.user, target=email, platform_id=store.platform_id,
                 store_id=store.id, role=role_name, roles=[r.name for r in custom])
    db.commit()
    return invitation


def _announce(db: Session, store: StoreInfo, invitation: StoreInvitation, token: str, inviter: User) -> None:
    link = f"{get_settings().base_url}/store/{store.code}/join?token={token}"
    emit(db, StaffInvited(
        platform_id=store.platform_id, store_id=store.id, email=invitation.email, name=invitation.full_name,
        language=invitation.language, store_name=store.name, inviter_name=inviter.full_name or inviter.email,
        link=link, expires_hours=INVITATION_HOURS,
    ))


def _open_invitation(db: Session, store_id: int, invitation_id: int) -> StoreInvitation:
    found = db.get(StoreInvitation, invitation_id)
    if found is None or found.store_id != store_id or found.accepted_at is not None or found.revoked_at is not None:
        raise NotFoundError("no open invitation with this number")
    return found


def resend(db: Session, *, store: StoreInfo, actor: StaffContext, invitation_id: int) -> StoreInvitation:
    """A new link (the old one stops working) valid another ``INVITATION_HOURS``, e-mailed again."""
    begin_write(db)
    invitation = _open_invitation(db, store.id, invitation_id)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation.token_hash = _hash(token)
    invitation.created_at = now
    invitation.expires_at = now + timedelta(hours=INVITATION_HOURS)
    invitation.invited_by_id = actor.user.id
    _announce(db, store, invitation, token, actor.user)
    audit.record(db, "team.invitation_resent", actor=actor.user, target=invitation.email,
                 platform_id=store.platform_id, store_id=store.id)
    db.commit()
    return invitation


def revoke(db: Session, *, store: StoreInfo, actor: StaffContext, invitation_id: int) -> None:
    """The invitation's link stops working at once."""
    begin_write(db)
    invitation = _open_invitation(db, store.id, invitation_id)
    invitation.revoked_at = utcnow()
    audit.record(db, "team.invitation_revoked", actor=actor.user, target=invitation.email,
                 platform_id=store.platform_id, store_id=store.id)
    db.commit()


def invitation_for(db: Session, store_id: int, token: str | None) -> StoreInvitation | None:
    """The open invitation of the store behind ``token``, or None (used, revoked, expired, unknown)."""
    if not token or len(token) > 200:
        return None
    return db.scalar(select(StoreInvitation).where(StoreInvitation.token_hash == _hash(token),
                                                   StoreInvitation.store_id == store_id, *_still_open()))


def has_account(db: Session, invitation: StoreInvitation) -> bool:
    """Whether the invitee already signs in somewhere here (they then confirm with their password)."""
    return db.scalar(select(User.id).where(User.email == invitation.email)) is not None


def accept(
    db: Session, *, store: StoreInfo, token: str, full_name: str, password: str, repeat: str, address: str | None,
    agent: str | None,
) -> str:
    """Join the team with an invitation link and start a session there (its cookie token is
    returned): a new account sets its name and password; an existing one confirms with its
    password (throttled like a sign-in). The link works once. TeamInputError for a bad form
    (the link stays good), AuthenticationError for a dead link or a wrong password."""
    invitation = invitation_for(db, store.id, token)
    if invitation is None:
        raise AuthenticationError("this invitation was already used, was withdrawn, has expired or is not valid")
    existing = db.scalar(select(User).where(User.email == invitation.email))
    full_name = (full_name or "").strip()
    if existing is not None:
        if not existing.is_active:
            raise AuthenticationError("this account is deactivated")
        with throttle.guard(db, throttle.Attempt("store", invitation.email, address)):
            if not verify_password(existing.password_hash, password or ""):
                raise AuthenticationError("wrong password")
        user = existing
    else:
        problems = new_password_problems(password, repeat, field="password")
        if len(full_name) > 200:
            problems.insert(0, Problem("full_name", "core.team.errors.name_too_long", {"max": 200}))
        if problems:
            raise TeamInputError(problems)
        user = None
    begin_write(db)
    claimed = db.execute(
        update(StoreInvitation).where(StoreInvitation.id == invitation.id, *_still_open())
        .values(accepted_at=utcnow())
    ).rowcount
    if claimed != 1:
        db.rollback()
        raise AuthenticationError("this invitation was already used, was withdrawn, has expired or is not valid")
    invitation = db.get(StoreInvitation, invitation.id)
    if user is None:
        user = User(email=invitation.email, full_name=full_name or invitation.full_name,
                    password_hash=hash_password(password), role=UserRole.STORE_USER.value,
                    language=invitation.language, is_active=True)
        db.add(user)
        db.flush()
    else:
        user = db.get(User, user.id)
    custom = list(db.scalars(select(StoreRole).where(StoreRole.store_id == store.id,
                                                     StoreRole.id.in_(invitation.role_ids or []))))
    membership = db.scalar(select(StoreMembership).where(StoreMembership.store_id == store.id,
                                                         StoreMembership.user_id == user.id))
    if membership is None:
        membership = StoreMembership(store_id=store.id, user_id=user.id)
        db.add(membership)
    membership.role = invitation.role
    membership.custom_roles = custom
    if invitation.role is None and not custom:  # every role it named was deleted meanwhile
        membership.role = "staff"
    audit.record(db, "team.invitation_accepted", actor=user, target=user.email, platform_id=store.platform_id,
                 store_id=store.id, role=membership.role, roles=[r.name for r in custom])
    db.commit()
    return start_session(db, user=user, days=get_settings().session_days, ip_address=address, user_agent=agent)


# -- members ----------------------------------------------------------------------------------


def _membership(db: Session, store_id: int, membership_id: int) -> StoreMembership:
    found = db.get(StoreMembership, membership_id)
    if found is None or found.store_id != store_id:
        raise NotFoundError("no such member in this store")
    return found


def _describe(membership: StoreMembership) -> dict[str, object]:
    return {"role": membership.role, "roles": [r.name for r in membership.custom_roles]}


def change_roles(
    db: Session, *, store: StoreInfo, actor: StaffContext, membership_id: int, role_name: str | None,
    role_ids: Iterable[int],
) -> StoreMembership:
    """Give a member other roles; it applies from their next request."""
    begin_write(db)
    membership = _membership(db, store.id, membership_id)
    problems: list[Problem] = []
    if membership.role == OWNER and not actor.is_owner:
        raise PermissionDeniedError("only an owner can change an owner's roles")
    new_role, custom = _chosen_roles(db, store.id, role_name, role_ids, actor, problems)
    if not problems and membership.role == OWNER and new_role != OWNER and _owner_count(db, store.id) <= 1:
        problems.append(Problem("role", "core.team.errors.last_owner"))
    if problems:
        db.rollback()
        raise TeamInputError(problems)
    before = _describe(membership)
    membership.role = new_role
    membership.custom_roles = custom
    after = _describe(membership)
    if before != after:
        user = db.get(User, membership.user_id)
        audit.record(db, "team.member_roles_changed", actor=actor.user, target=user.email if user else "",
                     platform_id=store.platform_id, store_id=store.id, before=before, after=after)
    db.commit()
    return membership


def remove(db: Session, *, store: StoreInfo, actor: StaffContext, membership_id: int) -> None:
    """Take a member off the team. Their access to the store ends at once; a person left in no
    store's team is signed out everywhere."""
    begin_write(db)
    membership = _membership(db, store.id, membership_id)
    if membership.role == OWNER:
        if not actor.is_owner:
            raise PermissionDeniedError("only an owner can remove an owner")
        if _owner_count(db, store.id) <= 1:
            db.rollback()
            raise TeamInputError([Problem("_form", "core.team.errors.last_owner")])
    user = db.get(User, membership.user_id)
    described = _describe(membership)
    db.delete(membership)
    db.flush()
    ended = 0
    if user is not None and not user.is_admin and not db.scalar(
        select(StoreMembership.id).where(StoreMembership.user_id == user.id).limit(1)
    ):
        ended = db.execute(update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
                           .values(revoked_at=utcnow())).rowcount or 0
    audit.record(db, "team.member_removed", actor=actor.user, target=user.email if user else "",
                 platform_id=store.platform_id, store_id=store.id, sessions_ended=ended, **described)
    db.commit()


# -- the store's own roles --------------------------------------------------------------------


def save_role(
    db: Session, *, store: StoreInfo, actor: StaffContext, role_id: int | None, name: str, description: str,
    permissions: Iterable[str],
) -> StoreRole:
    """Create (``role_id`` None) or change one of the store's roles; members holding it get the
    new permissions from their next request."""
    begin_write(db)
    existing = role(db, store.id, role_id) if role_id is not None else None
    name = " ".join((name or "").split())
    description = (description or "").strip()
    chosen = sorted(set(permissions))
    offered = {p.id for group in permission_groups(db, store.platform_id) for p in group.permissions}
    problems: list[Problem] = []
    if not name:
        problems.append(Problem("name", "core.team.errors.role_name_required"))
    elif len(name) > MAX_ROLE_NAME:
        problems.append(Problem("name", "core.team.errors.name_too_long", {"max": MAX_ROLE_NAME}))
    elif name.lower() in BUILT_IN_ROLES or db.scalar(
        select(StoreRole.id).where(StoreRole.store_id == store.id, func.lower(StoreRole.name) == name.lower(),
                                   StoreRole.id != (role_id or 0))
    ):
        problems.append(Problem("name", "core.team.errors.role_name_taken", {"name": name}))
    if len(description) > MAX_ROLE_DESCRIPTION:
        problems.append(Problem("description", "core.team.errors.name_too_long", {"max": MAX_ROLE_DESCRIPTION}))
    if not chosen:
        problems.append(Problem("permissions", "core.team.errors.permissions_required"))
    elif not set(chosen) <= offered:
        problems.append(Problem("permissions", "core.team.errors.permission_unknown"))
    elif not _grantable(actor, chosen):
        problems.append(Problem("permissions", "core.team.errors.cannot_grant"))
    if problems:
        db.rollback()
        raise TeamInputError(problems)
    if existing is None:
        existing = StoreRole(store_id=store.id, name=name, description=description, permissions=chosen)
        db.add(existing)
        audit.record(db, "team.role_created", actor=actor.user, target=name, platform_id=store.platform_id,
                     store_id=store.id, permissions=chosen)
    else:
        before = {"name": existing.name, "description": existing.description, "permissions": list(existing.permissions)}
        existing.name, existing.description, existing.permissions = name, description, chosen
        after = {"name": name, "description": description, "permissions": chosen}
        if before != after:
            audit.record(db, "team.role_changed", actor=actor.user, target=name, platform_id=store.platform_id,
                         store_id=store.id, before=before, after=after)
    db.commit()
    return existing


def delete_role(db: Session, *, store: StoreInfo, actor: StaffContext, role_id: int) -> None:
    """Delete one of the store's roles; its holders keep their other roles."""
    begin_write(db)
    found = role(db, store.id, role_id)
    if not _grantable(actor, found.permissions):
        db.rollback()
        raise TeamInputError([Problem("_form", "core.team.errors.cannot_grant")])
    db.execute(delete(store_member_roles).where(store_member_roles.c.role_id == found.id))
    audit.record(db, "team.role_deleted", actor=actor.user, target=found.name, platform_id=store.platform_id,
                 store_id=store.id, permissions=list(found.permissions))
    db.delete(found)
    db.commit()
