"""A store's team in its dashboard: members and their roles, invitations, the store's own roles
(``core.team.manage``), and the page an invitee opens from their e-mail (``/join``, no sign-in).

Mounted by ``store.py`` (``include_router``), so the module gate and the CSRF check apply.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from modules.core.routes.sign_in_views import finish_login
from modules.core.services import team_service
from orion_server.config import LANGUAGE_NAMES, get_settings
from orion_server.deps import CurrentStore, SessionDep, StaffContext, StaffWith
from orion_server.errors import AuthenticationError, TooManyAttemptsError
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, form_text, form_texts
from orion_server.i18n import t
from orion_server.models import StoreRole
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.store_roles import BUILT_IN_ROLES, built_in_permissions, store_permissions
from orion_server.templating import render

store_team = ModuleRouter()
Text = Annotated[str, Form()]
Manager = StaffWith("core.team.manage")

FLASHES = ("invited", "resent", "revoked", "roles_changed", "removed", "role_saved", "role_deleted")


def _ids(form: Any, name: str) -> list[int]:
    """The whole numbers among a form's repeated field (ticked boxes)."""
    return [int(value) for value in form_texts(form, name) if value.isdigit()]


def _labels(request: Request) -> dict[str, tuple[str, str]]:
    """Permission id -> (label, description) in the page's language, for every store permission."""
    language = request.state.language
    return {
        permission.id: (t(permission.label_key, language),
                        t(permission.description_key, language) if permission.description_key else "")
        for permission in store_permissions()
    }


def _team_page(
    request: Request, db: Session, staff: StaffContext, *, errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None, status: int = 200,
) -> Response:
    language = request.state.language
    store = staff.store
    context = get_store_context(
        request, db, active="team",
        members=team_service.members(db, store.id),
        invitations=team_service.open_invitations(db, store.id),
        seats=team_service.seats(db, store),
        custom_roles=team_service.roles(db, store.id),
        built_in_roles=BUILT_IN_ROLES,
        languages={code: LANGUAGE_NAMES[code] for code in get_settings().supported_languages},
        me=staff.user, i_am_owner=staff.is_owner,
        errors=errors or {}, values=values or {},
        flash=flash_for(request.query_params.get("done"), prefix="core.team.flash.", allowed=FLASHES,
                        language=language),
    )
    context["page_title"] = context["t"]("core.team.title")
    return render(request, "core/store/team.html", context, status_code=status)


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/team"


@store_team.get("/{store_code}/team")
def team(request: Request, store_code: str, db: SessionDep, staff: Manager) -> Response:
    """Who works in the store, who is invited, and the form to invite someone."""
    return _team_page(request, db, staff)


@store_team.post("/{store_code}/team/invite")
def invite(request: Request, store_code: str, db: SessionDep, staff: Manager, form: PostedForm) -> Response:
    """Invite someone by e-mail."""
    values = {"email": form_text(form, "email", strip=True), "full_name": form_text(form, "full_name", strip=True),
              "role": form_text(form, "role"), "role_ids": _ids(form, "role_ids"),
              "language": form_text(form, "language")}
    try:
        team_service.invite(db, store=staff.store, actor=staff, email=values["email"], full_name=values["full_name"],
                            role_name=values["role"], role_ids=values["role_ids"], language=values["language"])
    except team_service.TeamInputError as exc:
        return _team_page(request, db, staff, errors=exc.field_messages(request.state.language), values=values,
                          status=422)
    return RedirectResponse(with_done(_base(staff), "invited"), status_code=303)


@store_team.post("/{store_code}/team/invitations/{invitation_id}/resend")
def resend(request: Request, store_code: str, invitation_id: int, db: SessionDep, staff: Manager) -> Response:
    """A new link for an open invitation, e-mailed again."""
    team_service.resend(db, store=staff.store, actor=staff, invitation_id=invitation_id)
    return RedirectResponse(with_done(_base(staff), "resent"), status_code=303)


@store_team.post("/{store_code}/team/invitations/{invitation_id}/revoke")
def revoke(request: Request, store_code: str, invitation_id: int, db: SessionDep, staff: Manager) -> Response:
    """Withdraw an open invitation."""
    team_service.revoke(db, store=staff.store, actor=staff, invitation_id=invitation_id)
    return RedirectResponse(with_done(_base(staff), "revoked"), status_code=303)


def _member_page(
    request: Request, db: Session, staff: StaffContext, membership_id: int, *, errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None, confirm_remove: bool = False, status: int = 200,
) -> Response:
    found = team_service.member(db, staff.store.id, membership_id)
    context = get_store_context(
        request, db, active="team", member=found, custom_roles=team_service.roles(db, staff.store.id),
        built_in_roles=BUILT_IN_ROLES, i_am_owner=staff.is_owner, me=staff.user, confirm_remove=confirm_remove,
        errors=errors or {},
        values=values or {"role": found.role or "", "role_ids": [r.id for r in found.custom_roles]},
    )
    context["page_title"] = found.name or found.email
    return render(request, "core/store/team_member.html", context, status_code=status)


@store_team.get("/{store_code}/team/members/{membership_id}")
def member(request: Request, store_code: str, membership_id: int, db: SessionDep, staff: Manager) -> Response:
    """One member's roles, to change them."""
    return _member_page(request, db, staff, membership_id)


@store_team.post("/{store_code}/team/members/{membership_id}")
def change_roles(
    request: Request, store_code: str, membership_id: int, db: SessionDep, staff: Manager, form: PostedForm
) -> Response:
    """Save a member's roles (they apply from the member's next request)."""
    values = {"role": form_text(form, "role"), "role_ids": _ids(form, "role_ids")}
    try:
        team_service.change_roles(db, store=staff.store, actor=staff, membership_id=membership_id,
                                  role_name=values["role"], role_ids=values["role_ids"])
    except team_service.TeamInputError as exc:
        return _member_page(request, db, staff, membership_id, errors=exc.field_messages(request.state.language),
                            values=values, status=422)
    return RedirectResponse(with_done(_base(staff), "roles_changed"), status_code=303)


@store_team.get("/{store_code}/team/members/{membership_id}/remove")
def confirm_remove(request: Request, store_code: str, membership_id: int, db: SessionDep, staff: Manager) -> Response:
    """Ask before taking someone off the team."""
    return _member_page(request, db, staff, membership_id, confirm_remove=True)


@store_team.post("/{store_code}/team/members/{membership_id}/remove")
def remove(request: Request, store_code: str, membership_id: int, db: SessionDep, staff: Manager) -> Response:
    """Take someone off the team; their access ends at once."""
    try:
        team_service.remove(db, store=staff.store, actor=staff, membership_id=membership_id)
    except team_service.TeamInputError as exc:
        return _member_page(request, db, staff, membership_id, confirm_remove=True,
                            errors=exc.field_messages(request.state.language), status=422)
    return RedirectResponse(with_done(_base(staff), "removed"), status_code=303)


# -- roles ------------------------------------------------------------------------------------


def _roles_page(request: Request, db: Session, staff: StaffContext) -> Response:
    labels = _labels(request)
    context = get_store_context(
        request, db, active="team",
        built_in={name: sorted(built_in_permissions(name), key=lambda p: labels.get(p, (p,))[0])
                  for name in BUILT_IN_ROLES},
        custom_roles=team_service.roles(db, staff.store.id),
        holders=team_service.role_holders(db, staff.store.id),
        labels=labels,
        flash=flash_for(request.query_params.get("done"), prefix="core.team.flash.", allowed=FLASHES,
                        language=request.state.language),
    )
    context["page_title"] = context["t"]("core.roles.title")
    return render(request, "core/store/roles.html", context)


def _role_form(
    request: Request, db: Session, staff: StaffContext, found: StoreRole | None, *, errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None, confirm_delete: bool = False, status: int = 200,
) -> Response:
    if values is None:
        values = {"name": found.name, "description": found.description, "permissions": list(found.permissions)} \
            if found is not None else {"name": "", "description": "", "permissions": []}
    context = get_store_context(
        request, db, active="team", role=found, groups=team_service.permission_groups(db, staff.store.platform_id),
        labels=_labels(request), errors=errors or {}, values=values, confirm_delete=confirm_delete,
        holders=team_service.role_holders(db, staff.store.id).get(found.id, 0) if found is not None else 0,
        grantable=None if staff.is_owner else staff.permissions,
    )
    context["page_title"] = found.name if found is not None else context["t"]("core.roles.new")
    return render(request, "core/store/role_form.html", context, status_code=status)


@store_team.get("/{store_code}/team/roles")
def roles(request: Request, store_code: str, db: SessionDep, staff: Manager) -> Response:
    """The built-in roles with what they allow, and the store's own roles."""
    return _roles_page(request, db, staff)


@store_team.get("/{store_code}/team/roles/new")
def new_role(request: Request, store_code: str, db: SessionDep, staff: Manager) -> Response:
    """The role editor, empty."""
    return _role_form(request, db, staff, None)


def _save(request: Request, db: Session, staff: StaffContext, role_id: int | None, form: Any) -> Response:
    values = {"name": form_text(form, "name", strip=True), "description": form_text(form, "description", strip=True),
              "permissions": form_texts(form, "permissions")}
    found = team_service.role(db, staff.store.id, role_id) if role_id is not None else None
    try:
        team_service.save_role(db, store=staff.store, actor=staff, role_id=role_id, name=values["name"],
                               description=values["description"], permissions=values["permissions"])
    except team_service.TeamInputError as exc:
        return _role_form(request, db, staff, found, errors=exc.field_messages(request.state.language),
                          values=values, status=422)
    return RedirectResponse(with_done(f"{_base(staff)}/roles", "role_saved"), status_code=303)


@store_team.post("/{store_code}/team/roles/new")
def create_role(request: Request, store_code: str, db: SessionDep, staff: Manager, form: PostedForm) -> Response:
    """Create one of the store's own roles."""
    return _save(request, db, staff, None, form)


@store_team.get("/{store_code}/team/roles/{role_id}")
def edit_role(request: Request, store_code: str, role_id: int, db: SessionDep, staff: Manager) -> Response:
    """The role editor for one of the store's roles."""
    return _role_form(request, db, staff, team_service.role(db, staff.store.id, role_id))


@store_team.post("/{store_code}/team/roles/{role_id}")
def update_role(
    request: Request, store_code: str, role_id: int, db: SessionDep, staff: Manager, form: PostedForm
) -> Response:
    """Save one of the store's roles; its holders get the change from their next request."""
    return _save(request, db, staff, role_id, form)


@store_team.get("/{store_code}/team/roles/{role_id}/delete")
def confirm_delete_role(request: Request, store_code: str, role_id: int, db: SessionDep, staff: Manager) -> Response:
    """Ask before deleting a role."""
    return _role_form(request, db, staff, team_service.role(db, staff.store.id, role_id), confirm_delete=True)


@store_team.post("/{store_code}/team/roles/{role_id}/delete")
def delete_role(request: Request, store_code: str, role_id: int, db: SessionDep, staff: Manager) -> Response:
    """Delete a role; its holders keep their other roles."""
    found = team_service.role(db, staff.store.id, role_id)
    try:
        team_service.delete_role(db, store=staff.store, actor=staff, role_id=role_id)
    except team_service.TeamInputError as exc:
        return _role_form(request, db, staff, found, confirm_delete=True,
                          errors=exc.field_messages(request.state.language), status=422)
    return RedirectResponse(with_done(f"{_base(staff)}/roles", "role_deleted"), status_code=303)


# -- joining from an invitation (no sign-in) --------------------------------------------------


def _join_page(
    request: Request, db: Session, store: Any, token: str, *, errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None, status: int = 200,
) -> Response:
    invitation = team_service.invitation_for(db, store.id, token)
    context = get_store_context(
        request, db, invitation=invitation, token=token, errors=errors or {}, values=values or {},
        existing=team_service.has_account(db, invitation) if invitation is not None else False,
        store_name=store.name,
    )
    context["page_title"] = context["t"]("core.join.title", store=store.name)
    return render(request, "core/join.html", context, status_code=status if invitation is not None else 410)


@store_team.get("/{store_code}/join")
def join_form(request: Request, store_code: str, db: SessionDep, store: CurrentStore, token: str = "") -> Response:
    """The invitee's page: choose a password (or confirm the one they have) and join."""
    return _join_page(request, db, store, token)


@store_team.post("/{store_code}/join")
def join(request: Request, store_code: str, db: SessionDep, store: CurrentStore, form: PostedForm) -> Response:
    """Accept the invitation, sign in and land in the store."""
    token = form_text(form, "token")
    values = {"full_name": form_text(form, "full_name", strip=True)}
    language = request.state.language
    try:
        session_token = team_service.accept(
            db, store=store, token=token, full_name=values["full_name"], password=form_text(form, "password"),
            repeat=form_text(form, "repeat_password"), address=request.client.host if request.client else None,
            agent=request.headers.get("user-agent"),
        )
    except team_service.TeamInputError as exc:
        return _join_page(request, db, store, token, errors=exc.field_messages(language), values=values,
                          status=422)
    except TooManyAttemptsError as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        response = _join_page(request, db, store, token, errors={"password": t("auth.too_many", language,
                                                                               minutes=minutes)}, status=429)
        response.headers.update(exc.headers())
        return response
    except AuthenticationError:
        if team_service.invitation_for(db, store.id, token) is None:
            return _join_page(request, db, store, token)
        return _join_page(request, db, store, token, errors={"password": t("core.join.wrong_password", language)},
                          values=values, status=401)
    return finish_login(session_token, f"/store/{store.code}/")
