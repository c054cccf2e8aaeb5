"""Staff and admin accounts: creating users, giving them a place in a store, and each person's
own profile, password and sessions."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from orion_server import audit
from orion_server.auth import throttle
from orion_server.auth.login_tokens import PASSWORD_RESET, issue_token, redeem_token, token_is_live
from orion_server.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    password_problem,
    verify_password,
)
from orion_server.database import utcnow
from orion_server.errors import AuthenticationError, ConflictError, NotFoundError, ValidationError
from orion_server.forms import InputError, Problem
from orion_server.models import (
    LoginToken,
    Platform,
    Store,
    StoreMembership,
    StoreRole,
    User,
    UserRole,
    UserSession,
    admin_platforms,
)
from orion_server.pagination import Page, clamp_page
from orion_server.store_roles import BUILT_IN_ROLES

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    platform_codes: list[str] | None = None,
) -> User:
    """Create a user with an argon2id password hash; a platform admin is assigned to the
    platforms of ``platform_codes`` (at least one)."""
    email = normalise_email(email)
    if problem := password_problem(password):
        raise ValidationError(problem, field="password")
    if db.scalar(select(User.id).where(User.email == email)):
        raise ConflictError(f"a user with the e-mail address {email} already exists", field="email")
    problems: list[Problem] = []
    platforms = _platforms_chosen(db, problems, role.value, platform_codes or [])
    if problems:
        raise AccountInputError(problems)
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
    _assign(db, user, platforms)
    audit.record(db, "user.create", target=email, actor=db.get(User, actor_id) if actor_id else None,
                 role=role.value)
    db.commit()
    return user


def add_store_member(
    db: Session, *, store_code: str, user_id: int, role: str | None = "staff", role_ids: list[int] | None = None
) -> StoreMembership:
    """Give a user a built-in role (or none) and any of the store's own roles in a store; an
    existing membership is replaced."""
    if role is not None and role not in BUILT_IN_ROLES:
        raise ValidationError(f"choose one of {', '.join(BUILT_IN_ROLES)}", field="role")
    store = db.scalar(select(Store).where(Store.code == store_code))
    if store is None:
        raise NotFoundError(f"no store with code {store_code!r}")
    custom = list(db.scalars(select(StoreRole).where(StoreRole.store_id == store.id,
                                                     StoreRole.id.in_(role_ids or [])))) if role_ids else []
    if len(custom) != len(set(role_ids or [])):
        raise ValidationError("a role does not belong to this store", field="role_ids")
    membership = db.scalar(
        select(StoreMembership).where(StoreMembership.store_id == store.id, StoreMembership.user_id == user_id)
    )
    if membership is None:
        membership = StoreMembership(store_id=store.id, user_id=user_id)
        db.add(membership)
    membership.role = role
    membership.custom_roles = custom
    db.commit()
    return membership


def find_admin(db: Session) -> User | None:
    """Any platform or super admin."""
    return db.scalar(
        select(User).where(User.role.in_([UserRole.SUPER_ADMIN.value, UserRole.PLATFORM_ADMIN.value])).limit(1)
    )


# -- one's own account: profile, password, sessions ---------------------------------------------


class AccountInputError(InputError):
    """A profile or password form broke a rule (every field named)."""


def update_profile(db: Session, user: User, *, full_name: str, language: str) -> User:
    """Change the name and the dashboard language (used for the user's pages and e-mails)."""
    from orion_server.config import get_settings

    full_name = (full_name or "").strip()
    problems = []
    if len(full_name) > 200:
        problems.append(Problem("full_name", "account.errors.name_too_long", {"max": 200}))
    if language not in get_settings().supported_languages:
        problems.append(Problem("language", "account.errors.language_unknown"))
    if problems:
        raise AccountInputError(problems)
    before = {"full_name": user.full_name, "language": user.language}
    user.full_name, user.language = full_name, language
    after = {"full_name": full_name, "language": language}
    if before != after:
        audit.record(db, "account.profile_updated", actor=user, target=user.email, before=before, after=after)
    db.commit()
    return user


def new_password_problems(new: str, repeat: str, field: str = "new_password") -> list[Problem]:
    """What is wrong with a new password typed twice (long enough, the same both times)."""
    if len(new or "") < MIN_PASSWORD_LENGTH:
        return [Problem(field, "account.errors.password_short", {"min": MIN_PASSWORD_LENGTH})]
    if new != repeat:
        return [Problem("repeat_password", "account.errors.passwords_differ")]
    return []


def change_password(
    db: Session, user: User, *, current: str, new: str, repeat: str, keep_session_id: int | None, address: str | None
) -> int:
    """Set a new password after checking the current one (throttled like a sign-in); every other
    session of the user ends. Returns how many sessions ended."""
    problems = new_password_problems(new, repeat)
    try:
        with throttle.guard(db, throttle.Attempt("password", user.email, address)):
            if not verify_password(user.password_hash, current or ""):
                raise AuthenticationError("wrong current password")
    except AuthenticationError:
        raise AccountInputError([Problem("current_password", "account.errors.current_wrong"), *problems]) from None
    if problems:
        db.commit()
        raise AccountInputError(problems)
    user.password_hash = hash_password(new)
    ended = _end_sessions(db, user, keep_session_id)
    audit.record(db, "account.password_changed", actor=user, target=user.email, sessions_ended=ended)
    db.commit()
    return ended


def active_sessions(db: Session, user: User) -> list[UserSession]:
    """The user's sessions that still sign them in, newest first."""
    return list(
        db.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None), UserSession.expires_at > utcnow())
            .order_by(UserSession.created_at.desc(), UserSession.id.desc())
        )
    )


def sign_out_everywhere(db: Session, user: User, *, keep_session_id: int | None) -> int:
    """End every session of the user but ``keep_session_id``; returns how many ended."""
    ended = _end_sessions(db, user, keep_session_id)
    audit.record(db, "account.signed_out_everywhere", actor=user, target=user.email, sessions_ended=ended)
    db.commit()
    return ended


def sign_out_session(db: Session, user: User, session_id: int) -> None:
    """End one of the user's own sessions (another device); NotFoundError for anyone else's."""
    found = db.get(UserSession, session_id)
    if found is None or found.user_id != user.id or found.revoked_at is not None:
        raise NotFoundError("no such session")
    found.revoked_at = utcnow()
    audit.record(db, "account.session_ended", actor=user, target=user.email, session=session_id,
                 address=found.ip_address)
    db.commit()


def _end_sessions(db: Session, user: User, keep_session_id: int | None) -> int:
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep_session_id is not None:
        query = query.where(UserSession.id != keep_session_id)
    return db.execute(query.values(revoked_at=utcnow())).rowcount or 0


# -- a forgotten password -------------------------------------------------------------------------

RESET_HOURS = 1
RESETS_PER_HOUR = 3


def request_password_reset(
    db: Session, *, email: str, platform_id: int, store_id: int | None, base_path: str, place_name: str
) -> None:
    """Send a one-hour reset link to the admin (``store_id`` None) or the store's member with
    ``email``, at most ``RESETS_PER_HOUR`` an hour. Says nothing about whether one was sent, so
    the form cannot tell who has an account."""
    from modules.contracts.events import StaffPasswordResetRequested
    from orion_server.events import emit

    user = db.scalar(select(User).where(User.email == (email or "").strip().lower(), User.is_active.is_(True)))
    if user is None:
        return
    if store_id is None:
        allowed = user.is_admin
    else:
        allowed = user.is_admin or db.scalar(
            select(StoreMembership.id).where(StoreMembership.store_id == store_id, StoreMembership.user_id == user.id)
        ) is not None
    if not allowed:
        return
    recent = db.scalar(
        select(func.count(LoginToken.id)).where(
            LoginToken.user_id == user.id, LoginToken.purpose == PASSWORD_RESET,
            LoginToken.created_at > utcnow() - timedelta(hours=1),
        )
    )
    if recent >= RESETS_PER_HOUR:
        return
    link = _set_password_link(db, user, base_path, RESET_HOURS)
    emit(db, StaffPasswordResetRequested(
        platform_id=platform_id, store_id=store_id, user_id=user.id, email=user.email,
        name=user.full_name or user.email, language=user.language, place_name=place_name, link=link,
        expires_hours=RESET_HOURS,
    ))
    audit.record(db, "account.password_reset_requested", actor=user, target=user.email, platform_id=platform_id)
    db.commit()


def reset_password(db: Session, *, token: str, new: str, repeat: str) -> User:
    """Set a new password from a reset link (once); every session of the user ends.
    AccountInputError for a bad password (the link stays good), AuthenticationError for a link
    that was used, has expired or is unknown."""
    problems = new_password_problems(new, repeat)
    if not token_is_live(db, token, purpose=PASSWORD_RESET):
        raise AuthenticationError("this reset link was already used, has expired or is not valid")
    if problems:
        raise AccountInputError(problems)
    user = redeem_token(db, token, purpose=PASSWORD_RESET)
    user.password_hash = hash_password(new)
    ended = _end_sessions(db, user, None)
    audit.record(db, "account.password_reset", actor=user, target=user.email, sessions_ended=ended)
    db.commit()
    return user


# -- the installation's admins (managed by super admins) ------------------------------------------

ADMIN_ROLES = (UserRole.SUPER_ADMIN.value, UserRole.PLATFORM_ADMIN.value)
CLI = "cli"
"""Who an audit entry names when a change came from the ``orion`` command (no actor user)."""
SET_PASSWORD_HOURS = 72
ADMINS_PER_PAGE = 50


def list_admins(db: Session, *, page: int = 1) -> Page[User]:
    """The admins, super admins first, then by e-mail address."""
    query = select(User).where(User.role.in_(ADMIN_ROLES))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp_page(page, total, ADMINS_PER_PAGE)
    items = list(db.scalars(
        query.order_by(User.role.desc(), User.email).offset((page - 1) * ADMINS_PER_PAGE).limit(ADMINS_PER_PAGE)
    ))
    return Page(items, total, page, ADMINS_PER_PAGE)


def _set_password_link(db: Session, user: User, base_path: str, hours: int) -> str:
    from orion_server.config import get_settings

    token = issue_token(db, user, purpose=PASSWORD_RESET, seconds=hours * 3600)
    return f"{get_settings().base_url}{base_path}/reset?token={token}"


def admin_platform_ids(db: Session, user: User) -> frozenset[int] | None:
    """The platforms ``user`` administers: None for a super admin (every platform), the assigned
    ones for a platform admin, none for anybody else."""
    if user.role == UserRole.SUPER_ADMIN.value:
        return None
    if user.role != UserRole.PLATFORM_ADMIN.value:
        return frozenset()
    return frozenset(db.scalars(select(admin_platforms.c.platform_id).where(admin_platforms.c.user_id == user.id)))


def assigned_platforms(db: Session, user_ids: list[int]) -> dict[int, list[Platform]]:
    """The platforms assigned to each of these admins, by name."""
    rows = db.execute(
        select(admin_platforms.c.user_id, Platform)
        .join(Platform, Platform.id == admin_platforms.c.platform_id)
        .where(admin_platforms.c.user_id.in_(user_ids))
        .order_by(Platform.name)
    )
    found: dict[int, list[Platform]] = {}
    for user_id, platform in rows:
        found.setdefault(user_id, []).append(platform)
    return found


def _platforms_chosen(db: Session, problems: list[Problem], role: str, codes: list[str]) -> list[Platform]:
    """The platforms named by ``codes``; a platform admin needs at least one, unknown codes are
    named."""
    wanted = sorted({(code or "").strip().lower() for code in codes if (code or "").strip()})
    found = list(db.scalars(select(Platform).where(Platform.code.in_(wanted)))) if wanted else []
    unknown = sorted(set(wanted) - {p.code for p in found})
    if unknown:
        problems.append(Problem("platforms", "account.errors.platform_unknown", {"codes": ", ".join(unknown)}))
    elif role == UserRole.PLATFORM_ADMIN.value and not found:
        problems.append(Problem("platforms", "account.errors.platforms_required"))
    return found


def _assign(db: Session, user: User, platforms: list[Platform]) -> None:
    db.execute(admin_platforms.delete().where(admin_platforms.c.user_id == user.id))
    if platforms and user.role == UserRole.PLATFORM_ADMIN.value:
        db.execute(admin_platforms.insert(), [{"user_id": user.id, "platform_id": p.id} for p in platforms])


def set_admin_platforms(db: Session, *, actor: User | None, user_id: int, platform_codes: list[str]) -> User:
    """Assign a platform admin to exactly these platforms (at least one); recorded with before
    and after."""
    user = db.get(User, user_id)
    if user is None or user.role != UserRole.PLATFORM_ADMIN.value:
        raise NotFoundError("no such platform admin")
    problems: list[Problem] = []
    platforms = _platforms_chosen(db, problems, user.role, platform_codes)
    if problems:
        raise AccountInputError(problems)
    before = sorted(p.code for p in assigned_platforms(db, [user.id]).get(user.id, []))
    after = sorted(p.code for p in platforms)
    if before != after:
        _assign(db, user, platforms)
        audit.record(db, "account.admin_platforms_changed", actor=actor, actor_label=CLI, target=user.email,
                     before=before, after=after)
    db.commit()
    return user


def create_admin(
    db: Session, *, actor: User | None, email: str, full_name: str, role: str, language: str,
    platform_codes: list[str] | None = None,
) -> tuple[User, str]:
    """A new admin without a password, and the link (good for ``SET_PASSWORD_HOURS``) with which
    they choose one: the super admin hands it over. A platform admin is assigned to the platforms
    of ``platform_codes`` (at least one). Every field's problem is named at once."""
    from orion_server.config import get_settings

    problems: list[Problem] = []
    address = (email or "").strip().lower()
    if not EMAIL_PATTERN.match(address):
        problems.append(Problem("email", "account.errors.email_invalid"))
    elif db.scalar(select(User.id).where(User.email == address)):
        problems.append(Problem("email", "account.errors.email_taken"))
    if len((full_name or "").strip()) > 200:
        problems.append(Problem("full_name", "account.errors.name_too_long", {"max": 200}))
    if role not in ADMIN_ROLES:
        problems.append(Problem("role", "account.errors.role_unknown"))
    if language not in get_settings().supported_languages:
        problems.append(Problem("language", "account.errors.language_unknown"))
    platforms = _platforms_chosen(db, problems, role, platform_codes or [])
    if problems:
        raise AccountInputError(problems)
    user = User(email=address, full_name=full_name.strip(), role=role, language=language, is_active=True,
                password_hash=hash_password(secrets.token_urlsafe(32)))  # unusable until they choose one
    db.add(user)
    db.flush()
    _assign(db, user, platforms)
    link = _set_password_link(db, user, "/admin", SET_PASSWORD_HOURS)
    audit.record(db, "account.admin_created", actor=actor, actor_label=CLI, target=address, role=role,
                 platforms=[p.code for p in platforms] if role == UserRole.PLATFORM_ADMIN.value else "all")
    db.commit()
    return user, link


def set_admin_active(db: Session, *, actor: User | None, user_id: int, active: bool) -> User:
    """Deactivate an admin (their sessions end at once) or bring them back. Nobody deactivates
    themselves, and the last active super admin stays."""
    user = db.get(User, user_id)
    if user is None or user.role not in ADMIN_ROLES:
        raise NotFoundError("no such admin")
    if not active:
        if actor is not None and user.id == actor.id:
            raise AccountInputError([Problem("user", "account.errors.not_yourself")])
        if user.role == UserRole.SUPER_ADMIN.value and user.is_active:
            others = db.scalar(select(func.count(User.id)).where(
                User.role == UserRole.SUPER_ADMIN.value, User.is_active.is_(True), User.id != user.id))
            if not others:
                raise AccountInputError([Problem("user", "account.errors.last_super_admin")])
    if user.is_active == active:
        return user
    user.is_active = active
    if not active:
        _end_sessions(db, user, None)
    audit.record(db, "account.admin_activated" if active else "account.admin_deactivated", actor=actor,
                 actor_label=CLI, target=user.email)
    db.commit()
    return user


def send_admin_reset_link(db: Session, *, actor: User | None, user_id: int, platform_id: int) -> str:
    """A super admin resets another admin's password: a one-hour link, e-mailed to them and
    returned to hand over in person. Their password works until they use it."""
    from modules.contracts.events import StaffPasswordResetRequested
    from orion_server.config import get_settings
    from orion_server.events import emit

    user = db.get(User, user_id)
    if user is None or user.role not in ADMIN_ROLES:
        raise NotFoundError("no such admin")
    if not user.is_active:
        raise AccountInputError([Problem("user", "account.errors.inactive")])
    link = _set_password_link(db, user, "/admin", RESET_HOURS)
    emit(db, StaffPasswordResetRequested(
        platform_id=platform_id, store_id=None, user_id=user.id, email=user.email,
        name=user.full_name or user.email, language=user.language, place_name=get_settings().project_name,
        link=link, expires_hours=RESET_HOURS,
    ))
    audit.record(db, "account.password_reset_sent", actor=actor, actor_label=CLI, target=user.email)
    db.commit()
    return link
