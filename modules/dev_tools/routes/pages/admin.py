"""Admin pages of the Developer Tools module: the component library, the icon browser and the
module explorer. An internal module: anyone but a platform admin is told there is nothing here."""

from __future__ import annotations

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from modules.dev_tools.services import components, explorer, icons
from orion_server.deps import AdminReach, CurrentUser, Reach, SessionDep, not_found_as_404
from orion_server.i18n import t
from orion_server.models import Platform
from orion_server.modules.base import ModuleDefinition
from orion_server.modules.context import get_admin_context
from orion_server.routing import ModuleRouter
from orion_server.templating import environment, render

TIERS = ("core", "optional", "internal")


async def admins_only(user: CurrentUser) -> None:
    """An internal module: anyone but a platform admin is told there is nothing here."""
    if not user.is_admin:
        raise HTTPException(status_code=404)


router = ModuleRouter(dependencies=[Depends(not_found_as_404), Depends(admins_only)])


def _module_text(language: str):
    """``module_text(module, 'name')``: the module's name or description in the reader's
    language (its locale files), else as its definition says."""

    def module_text(module: ModuleDefinition, what: str) -> str:
        key = f"{module.package_name}.{what}"
        text = t(key, language)
        return getattr(module, what) if text == key else text

    return module_text


def _tier_labels(language: str) -> dict[str, str]:
    return {tier: t(f"dev_tools.tier.{tier}", language) for tier in TIERS}


@router.get("/dev-tools/components")
def components_page(request: Request, db: SessionDep) -> Response:
    """Every shared macro, partial and pattern, each variant rendered in light and dark with
    the code that makes it."""
    language = request.state.language
    context = get_admin_context(
        request, db, page_title=t("dev_tools.components.title", language), active="dev-tools-components",
    )
    context.update(
        rendered=components.render_catalogue(environment, context),
        missing=components.missing_entries(environment),
    )
    return render(request, "dev_tools/admin/components.html", context)


@router.get("/dev-tools/icons")
def icons_page(
    request: Request, db: SessionDep,
    q: str = Query("", max_length=200), page: int = Query(1, ge=1, le=10_000),
) -> Response:
    """The icon set, searched by name and search words, each icon at two sizes."""
    language = request.state.language
    found = icons.search(q, page)
    context = get_admin_context(
        request, db, page_title=t("dev_tools.icons.title", language), active="dev-tools-icons", found=found,
    )
    return render(request, "dev_tools/admin/icons.html", context)


PlatformFilter = Query("", max_length=64, description="Only this platform's enablement (one in reach).")


def _platforms(request: Request, db: Session, reach: AdminReach, platform: str) -> list[Platform]:
    """The platforms whose enablement a page shows: every one in reach, or the one picked
    (404 for one out of reach)."""
    return [reach.chosen_platform(db, request, platform)] if platform else reach.platforms(db)


@router.get("/dev-tools/modules")
def modules_page(request: Request, db: SessionDep, reach: Reach, platform: str = PlatformFilter) -> Response:
    """Every discovered module: the dependency graph, then a table of tiers, requirements and
    where each module is on."""
    language = request.state.language
    platforms = _platforms(request, db, reach, platform)
    context = get_admin_context(
        request, db, page_title=t("dev_tools.modules.title", language), active="dev-tools-modules",
        rows=explorer.overview(db, platforms), platforms=platforms, picked=platform, in_reach=reach.platforms(db),
        graph=explorer.graph_svg(title=t("dev_tools.modules.graph", language), tier_labels=_tier_labels(language)),
        tier_labels=_tier_labels(language), module_text=_module_text(language),
    )
    return render(request, "dev_tools/admin/modules.html", context)


@router.get("/dev-tools/modules/{module}")
def module_page(
    request: Request, db: SessionDep, reach: Reach, module: str, platform: str = PlatformFilter,
) -> Response:
    """One module: its place in the graph, routes, permissions, features, menus, wiring, tasks,
    migrations, where it is on, and what ``orion validate`` says about it."""
    language = request.state.language
    facts = explorer.module_facts(db, request.app, module, _platforms(request, db, reach, platform))
    if facts is None:
        raise HTTPException(status_code=404)
    context = get_admin_context(
        request, db, page_title=t("dev_tools.module.title", language, name=_module_text(language)(facts.module, "name")),
        module_text=_module_text(language),
        active="dev-tools-modules", facts=facts, tier_labels=_tier_labels(language), picked=platform,
        in_reach=reach.platforms(db),
        graph=explorer.graph_svg(
            facts.module.code, title=t("dev_tools.modules.graph", language), tier_labels=_tier_labels(language)),
    )
    return render(request, "dev_tools/admin/module.html", context)
