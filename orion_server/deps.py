"""FastAPI dependencies for routes: the database session, the user, the store, permissions.

A dependency that only reads what is already known (the request's state, another dependency's
answer) is ``async def``: FastAPI runs a plain ``def`` dependency on a worker thread, and the
hop there and back cost more than the work. Those that read the database stay ``def``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from starlette.concurrency import run_in_threadpool

from orion_server import support_access
from orion_server.accounts import admin_platform_ids
from orion_server.auth.csrf import CSRF_FIELD, CSRF_HEADER, csrf_token_matches
from orion_server.auth.sessions import SESSION_COOKIE, load_session
from orion_server.database import db as database
from orion_server.errors import NotFoundError, OrionError, PermissionDeniedError
from orion_server.models import Platform, StoreMembership, SupportAccess, User, UserRole
from orion_server.modules.enums import FrontendType
from orion_server.read_only import SAFE_METHODS, refuse_changes_if_read_only
from orion_server.store_roles import member_access
from orion_server.tenants import PlatformInfo, StoreInfo


def route_guard(call: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a dependency the framework puts on every module route it mounts (the module gate,
    CSRF, the input checks: ``orion_server.modules.routes``). What a route itself asks for (a
    permission, the signed-in user, a rate limit) is read from its dependencies without these."""
    call.route_guard = True  # type: ignore[attr-defined]
    return call


def is_route_guard(call: Any) -> bool:
    return getattr(call, "route_guard", False)


def storefront_root(request: Any) -> str:
    """Where the request's storefront starts (``/`` in host mode, ``/storefront/{code}/`` in path
    mode); storefront pages build their links on it."""
    return getattr(request.state, "storefront_root", None) or "/"


class LoginRequired(OrionError):
    """Not signed in: pages redirect to the login form, the API answers 401."""

    status = 401
    code = "login_required"

    def __init__(self, login_path: str) -> None:
        super().__init__("sign in to continue")
        self.login_path = login_path


class CsrfError(OrionError):
    """A form or API call came without the token of this session."""

    status = 403
    code = "csrf_failed"


async def get_db() -> AsyncIterator[Session]:
    """A database session for one request, closed afterwards; services commit their work.

    Made and closed on the event loop: a session connects on first use (in the request's
    thread), and closing one whose work ended (committed, or never begun) touches no
    connection. Only a transaction left open (a page that only read) is rolled back in a
    thread, so a request that wrote pays no extra hop between threads for its session."""
    session = database.session()
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_db)]


async def get_optional_user(request: Request, db: SessionDep) -> User | None:
    """The signed-in user, or None. Without a session cookie (every shopper, every anonymous
    API call) that is known without the database, on the event loop; a cookie is looked up in
    a thread."""
    if hasattr(request.state, "user"):
        return request.state.user
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        request.state.user_session = request.state.user = None
        return None
    return await run_in_threadpool(_signed_in_user, request, db, token)


def _signed_in_user(request: Request, db: Session, token: str) -> User | None:
    user_session = load_session(db, token)
    request.state.user_session = user_session
    if user_session is not None:  # kept as text: a rollback later in the request expires the row
        request.state.session_csrf = user_session.csrf_token
    request.state.user = user = user_session.user if user_session else None
    if (
        user is not None
        and user.language
        and not getattr(request.state, "language_chosen", True)
        and getattr(request.state, "frontend", None) in (FrontendType.ADMIN, FrontendType.STORE)
    ):
        request.state.language = user.language  # the dashboard language of the user's profile
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


@route_guard
async def storefront_shopper_language(request: Request, db: SessionDep) -> None:
    """On the storefront, a signed-in customer's preferred language comes before the cookie
    (REFERENCE.md, Languages); a language picked on this very request (``?lang=``) still wins.
    Only a request carrying a shopper's session cookie asks the database who is signed in."""
    from modules.contracts.storefront_customer import shopper_cookies

    state = request.state
    store = getattr(state, "store", None)
    if (
        store is None
        or getattr(state, "frontend", None) is not FrontendType.STOREFRONT
        or getattr(state, "language_explicit", False)
        or not any(request.cookies.get(name) for name in shopper_cookies())
    ):
        return
    await run_in_threadpool(_apply_shopper_language, request, db, store)


def _apply_shopper_language(request: Request, db: Session, store: StoreInfo) -> None:
    from modules.contracts.storefront_customer import current_shopper

    shopper = current_shopper(request, db)  # the request's own session: the route reuses it
    if shopper is not None and shopper.language in (store.languages or (store.default_language,)):
        request.state.language = shopper.language


def _login_path(request: Request) -> str:
    store: StoreInfo | None = getattr(request.state, "store", None)
    if store is not None and getattr(request.state, "frontend", None) == "store":
        return f"/store/{store.code}/login"
    return "/admin/login"


async def get_current_user(request: Request, user: OptionalUser) -> User:
    """The signed-in user, or LoginRequired."""
    if user is None:
        raise LoginRequired(_login_path(request))
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_current_admin(request: Request, user: CurrentUser) -> User:
    """A signed-in platform admin."""
    if not user.is_admin:
        raise PermissionDeniedError("this page is for platform administrators")
    return user


CurrentAdmin = Annotated[User, Depends(get_current_admin)]


async def get_platform(request: Request) -> PlatformInfo:
    """The platform the request belongs to."""
    platform = getattr(request.state, "platform", None)
    if platform is None:
        raise NotFoundError("no platform here")
    return platform


CurrentPlatform = Annotated[PlatformInfo, Depends(get_platform)]


async def get_store(request: Request) -> StoreInfo:
    """The store the request belongs to (storefront or store dashboard)."""
    store = getattr(request.state, "store", None)
    if store is None:
        raise NotFoundError("no store here")
    return store


CurrentStore = Annotated[StoreInfo, Depends(get_store)]


async def public_page(request: Request) -> None:
    """Marks a storefront page as the same for every anonymous shopper, so the page cache may
    serve one copy of it to all of them (``orion_server.page_cache``): nothing on it may depend
    on the visitor but what the visitor providers add (the cart count, who is signed in) and
    the CSRF token."""
    request.state.page_public = True


PublicPage = Depends(public_page)
"""``@router.get("/products", dependencies=[PublicPage])``."""


@dataclass(frozen=True)
class StaffContext:
    """A signed-in user working in a store, with what they may do there."""

    user: User
    store: StoreInfo
    role: str
    permissions: frozenset[str]
    is_owner: bool
    support: SupportAccess | None = None
    """An admin's running support access (they act with an owner's permissions while it lasts)."""

    def can(self, permission: str) -> bool:
        return self.is_owner or permission in self.permissions


def get_staff(request: Request, db: SessionDep, user: CurrentUser, store: CurrentStore) -> StaffContext:
    """The user's membership of the request's store; other stores look like they do not exist.
    Permissions are read from the member's roles on every request, so a change to a role applies
    at the next one. An admin is nobody's member: they need running support access to the store
    (a store out of their reach does not exist for them)."""
    if user.is_admin:
        if not get_admin_reach(request, db, user).covers(store.platform_id):
            raise NotFoundError("store not found")
        user_session = getattr(request.state, "user_session", None)
        access = support_access.active_access(
            db, user_id=user.id, session_id=user_session.id if user_session else None, store_id=store.id
        )
        if access is None:
            raise support_access.SupportAccessRequired(store.code)
        request.state.staff = StaffContext(user, store, "support", frozenset(), True, support=access)
        return request.state.staff
    membership = db.scalars(
        select(StoreMembership)
        .options(joinedload(StoreMembership.custom_roles))  # one query on every store request
        .where(StoreMembership.store_id == store.id, StoreMembership.user_id == user.id)
    ).unique().first()
    if membership is None:
        raise NotFoundError("store not found")
    access = member_access(membership.role, [role.permissions for role in membership.custom_roles])
    request.state.staff = StaffContext(
        user, store, membership.role or "", access.permissions, access.is_owner
    )
    return request.state.staff


CurrentStaff = Annotated[StaffContext, Depends(get_staff)]


def require_permission(permission: str) -> Callable[..., StaffContext]:
    """A dependency that lets through only staff holding ``permission``; a change (an unsafe
    method) to a store that is read-only for an unpaid invoice is refused
    (``orion_server.read_only``). A member's own profile (``AnyMember``) stays theirs to change."""

    async def check(request: Request, staff: CurrentStaff, db: SessionDep) -> StaffContext:
        if not staff.can(permission):
            raise PermissionDeniedError(f"you need the permission {permission}")
        if request.method not in SAFE_METHODS:
            await run_in_threadpool(refuse_changes_if_read_only, request, db, store_id=staff.store.id)
        return staff

    check.required_permission = permission  # type: ignore[attr-defined]
    return check


def StaffWith(permission: str) -> Any:  # noqa: N802 - it reads as a type where it is used
    """The one way a store route asks for a permission: ``staff: StaffWith("catalog.edit")`` is
    the signed-in member of the request's store holding ``permission`` (403 otherwise); ORION-105
    checks that some module declares it."""
    return Annotated[StaffContext, Depends(require_permission(permission))]


async def any_member(staff: CurrentStaff) -> StaffContext:
    """Any member of the request's store, whatever their permissions (their own profile)."""
    return staff


any_member.open_to_every_member = True  # type: ignore[attr-defined]
AnyMember = Annotated[StaffContext, Depends(any_member)]
"""A store route open to every member, said out loud: ORION-112 refuses a store route that asks
for neither a permission (``StaffWith``) nor this."""


@route_guard
async def verify_csrf(request: Request) -> None:
    """Refuse unsafe requests that lack this session's CSRF token (form field or header)."""
    if request.method in SAFE_METHODS:
        return
    submitted = request.headers.get(CSRF_HEADER)
    if not submitted:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
    if not csrf_token_matches(request, submitted):
        raise CsrfError("the form expired or came from elsewhere; reload the page and try again")


@route_guard
async def load_user_for_csrf(request: Request, user: OptionalUser) -> None:
    """Make sure the session (and so its CSRF token) is loaded before the check."""


CsrfProtected = [Depends(load_user_for_csrf), Depends(verify_csrf)]


def _nul_locations(value: Any, location: tuple) -> Iterator[tuple]:
    if isinstance(value, str):
        if "\x00" in value:
            yield location
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                yield (*location, key)
            else:
                yield from _nul_locations(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_locations(item, (*location, index))


@route_guard
async def refuse_nul(request: Request) -> None:
    """Refuse NUL characters in the path, the query, JSON bodies and forms (422 naming each
    input): PostgreSQL text cannot hold them, so every query using one would fail (a 500)."""
    found = [("path", name) for name, value in request.path_params.items() if "\x00" in str(value)]
    found += [("query", name) for name, value in request.query_params.multi_items()
              if "\x00" in name or "\x00" in value]
    if request.method not in SAFE_METHODS:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            raw = await request.body()
            if b"\\u0000" in raw:  # the only way JSON carries a NUL
                try:
                    found += [("body", *loc) for loc in _nul_locations(json.loads(raw), ())]
                except ValueError:
                    pass  # not JSON: FastAPI reports that itself
        elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            found += [("body", name) for name, value in form.multi_items()
                      if "\x00" in name or (isinstance(value, str) and "\x00" in value)]
    if found:
        raise RequestValidationError(
            [{"type": "string_nul", "loc": loc, "msg": "must not contain a NUL character"} for loc in found]
        )


@route_guard
async def refuse_booleans_for_numbers(request: Request) -> None:
    """Refuse ``true``/``false`` where the body's schema wants a number (422 naming each field).
    Pydantic reads them as 1 and 0; the API's description says ``integer`` (or ``number``), which
    JSON Schema keeps apart from booleans, so ``{"quantity": false}`` must not empty a cart line."""
    route = request.scope.get("route")
    body_field = getattr(route, "body_field", None)
    if body_field is None or request.method in SAFE_METHODS:
        return
    if not request.headers.get("content-type", "").startswith("application/json"):
        return
    raw = await request.body()
    if b"true" not in raw and b"false" not in raw:
        return
    try:
        value = json.loads(raw)
    except ValueError:
        return  # not JSON: FastAPI reports that itself
    schema = _body_schema(body_field.field_info.annotation)
    found = [("body", *loc) for loc in _boolean_numbers(value, schema, schema.get("$defs", {}), ())]
    if found:
        raise RequestValidationError(
            [{"type": "int_type", "loc": loc, "msg": "must be a number, not true or false"} for loc in found]
        )


@functools.cache
def _body_schema(annotation: Any) -> dict[str, Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(annotation).json_schema(mode="validation")


def _branches(schema: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema's alternatives (``anyOf``/``oneOf``), each with its ``$ref`` followed."""
    while "$ref" in schema:
        schema = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if not alternatives:
        return [schema]
    return [branch for alternative in alternatives for branch in _branches(alternative, defs)]


def _boolean_numbers(value: Any, schema: dict[str, Any], defs: dict[str, Any], location: tuple) -> Iterator[tuple]:
    branches = _branches(schema, defs)
    types = {branch.get("type") for branch in branches}
    if isinstance(value, bool):
        if types & {"integer", "number"} and "boolean" not in types and None not in types:
            yield location
    elif isinstance(value, dict):
        for key, item in value.items():
            for branch in branches:
                extra = branch.get("additionalProperties")
                sub = (branch.get("properties") or {}).get(key) or (extra if isinstance(extra, dict) else None)
                if sub is not None:
                    yield from _boolean_numbers(item, sub, defs, (*location, key))
                    break
    elif isinstance(value, list):
        items = next((b["items"] for b in branches if isinstance(b.get("items"), dict)), None)
        if items is not None:
            for index, item in enumerate(value):
                yield from _boolean_numbers(item, items, defs, (*location, index))


MAX_ID = 2**31 - 1
"""The largest id a table holds (ids are 32-bit on PostgreSQL): looking up a bigger one fails in
the database (past 64 bits it cannot even be bound on SQLite) instead of finding nothing."""


@route_guard
async def refuse_impossible_ids(request: Request) -> None:
    """404 for a page whose path names an object by an id no table can hold (0, negative, past
    ``MAX_ID``): nothing is found, as for any other id that does not exist. Page routes only:
    the API declares its id parameters' range, so such an id is a 422 naming the parameter."""
    route = request.scope.get("route")
    for param in getattr(getattr(route, "dependant", None), "path_params", ()):
        if param.field_info.annotation is not int:
            continue
        value = request.path_params.get(param.alias or param.name)
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue  # not a number: FastAPI answers 422 for it
        if not 0 < number <= MAX_ID:
            raise HTTPException(status_code=404)


SUPER_ADMIN_PERMISSIONS = frozenset({"core.admins.manage", "tenancy.platforms.create"})
"""What only super admins may do in the admin; platform admins hold every other admin permission."""


def admin_can(user: User | None, permission: str) -> bool:
    """Whether the admin ``user`` holds ``permission`` (menus use it to hide what they cannot open)."""
    if user is None or not user.is_admin:
        return False
    return user.role == UserRole.SUPER_ADMIN or permission not in SUPER_ADMIN_PERMISSIONS


async def get_super_admin(request: Request, admin: CurrentAdmin) -> User:
    """A signed-in super admin (platform admins may not manage the installation's admins)."""
    if not admin_can(admin, "core.admins.manage"):
        raise PermissionDeniedError("this page is for super admins")
    return admin


CurrentSuperAdmin = Annotated[User, Depends(get_super_admin)]


def require_admin_permission(permission: str) -> Callable[..., User]:
    """A dependency that lets through only admins holding the admin-scope ``permission``."""

    async def check(admin: CurrentAdmin) -> User:
        if not admin_can(admin, permission):
            raise PermissionDeniedError(f"you need the permission {permission}")
        return admin

    check.required_permission = permission  # type: ignore[attr-defined]
    return check


def AdminWith(permission: str) -> Any:  # noqa: N802 - it reads as a type where it is used
    """An admin route's permission: ``admin: AdminWith("tenancy.stores.manage")`` is the signed-in
    admin holding it (403 otherwise), like ``StaffWith`` for store routes."""
    return Annotated[User, Depends(require_admin_permission(permission))]


@dataclass(frozen=True)
class AdminReach:
    """The platforms a signed-in admin sees and changes: ``platform_ids`` None for a super admin
    (every platform), the assigned ones for a platform admin. Services take it as ``within``;
    anything outside answers as if it did not exist."""

    user: User
    platform_ids: frozenset[int] | None

    def covers(self, platform_id: int | None) -> bool:
        return self.platform_ids is None or platform_id in self.platform_ids

    def check(self, platform_id: int | None) -> None:
        """NotFoundError unless ``platform_id`` is within reach."""
        if not self.covers(platform_id):
            raise NotFoundError("not found")

    def platforms(self, db: Session) -> list[Platform]:
        """The platforms in reach, by name (for pickers)."""
        query = select(Platform).order_by(Platform.name, Platform.code)
        if self.platform_ids is not None:
            query = query.where(Platform.id.in_(list(self.platform_ids)))
        return list(db.scalars(query))

    def chosen_platform(self, db: Session, request: Request, code: str = "") -> Platform:
        """The platform an admin page works on: the one ``?platform=`` names, else the platform
        the admin is browsing if in reach, else the first in reach. NotFoundError for a code
        that is unknown or out of reach."""
        code = (code or "").strip().lower()
        if code:
            platform = db.scalar(select(Platform).where(Platform.code == code))
            if platform is None or not self.covers(platform.id):
                raise NotFoundError(f"no platform with code {code!r}")
            return platform
        browsing = getattr(request.state, "platform", None)
        if browsing is not None and self.covers(browsing.id):
            platform = db.get(Platform, browsing.id)
            if platform is not None:
                return platform
        first = next(iter(self.platforms(db)), None)
        if first is None:
            raise NotFoundError("no platform is assigned to you")
        return first


def get_admin_reach(request: Request, db: SessionDep, admin: CurrentAdmin) -> AdminReach:
    """The signed-in admin's reach, read once per request."""
    reach = getattr(request.state, "admin_reach", None)
    if reach is None or reach.user is not admin:
        reach = request.state.admin_reach = AdminReach(admin, admin_platform_ids(db, admin))
    return reach


Reach = Annotated[AdminReach, Depends(get_admin_reach)]
"""What an admin route that reads or changes a platform's things asks for besides the admin."""


def support_entrant(request: Request, db: SessionDep, admin: CurrentAdmin, store: CurrentStore) -> User:
    """An admin at the door of the request's store (in their reach): the pages that start and
    end support access, the only store routes an admin opens without it."""
    if not get_admin_reach(request, db, admin).covers(store.platform_id):
        raise NotFoundError("store not found")
    return admin


support_entrant.open_to_admins = True  # type: ignore[attr-defined]
SupportEntrant = Annotated[User, Depends(support_entrant)]
"""An admin starting or ending support access to the request's store (store routes for admins)."""


async def not_found_as_404() -> AsyncIterator[None]:
    """Router dependency of page routes: a missing record shows the translated 404 page."""
    try:
        yield
    except NotFoundError:
        raise HTTPException(status_code=404) from None
