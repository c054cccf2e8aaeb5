"""Jinja2: ``resources/templates`` first, then each module's ``templates/``; autoescape always on."""

from __future__ import annotations

from typing import Any

import jinja2
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Router

from orion_server import seo
from orion_server.config import get_settings
from orion_server.deps import storefront_root
from orion_server.i18n import (
    country_name,
    format_date,
    format_datetime,
    format_money,
    format_number,
    t,
)
from orion_server.middleware.security_headers import content_security_policy
from orion_server.modules import hooks, registry
from orion_server.paths import RESOURCES_DIR


class ModuleTemplateLoader(jinja2.BaseLoader):
    """The shared templates, then every discovered module's templates, in dependency order."""

    def __init__(self) -> None:
        self._loader: jinja2.ChoiceLoader | None = None

    def _build(self) -> jinja2.ChoiceLoader:
        folders = [str(RESOURCES_DIR / "templates")]
        for module in registry.MODULES.values():
            folder = module.resource_dir("templates")
            if folder:
                folders.append(str(folder))
        return jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders])

    def reset(self) -> None:
        self._loader = None

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        if self._loader is None:
            self._loader = self._build()
        return self._loader.get_source(environment, template)

    def list_templates(self) -> list[str]:
        if self._loader is None:
            self._loader = self._build()
        return self._loader.list_templates()


PATHS_KEPT = 10_000
"""Most paths kept per app (``route_path``); later ones are computed each time."""


def route_path(router: Router, name: str, path_params: dict[str, Any]) -> str:
    """The path of a named route or mount of ``router``.

    Starlette finds it by asking every route of the app in turn (some 300 here, a dozen links
    per page: 4 ms of a product listing). The route table does not change once the app is
    built, and the first route answering a name keeps answering it, so each path is computed
    once per app and kept on its router."""
    paths: dict[Any, str] = router.__dict__.setdefault("_orion_paths", {})
    try:
        key = (name, tuple(sorted(path_params.items())))
        return paths[key]
    except KeyError:
        pass
    except TypeError:  # a parameter that cannot be a key: computed each time
        return str(router.url_path_for(name, **path_params))
    path = str(router.url_path_for(name, **path_params))
    if len(paths) < PATHS_KEPT:
        paths[key] = path
    return path


@jinja2.pass_context
def _url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> str:
    """A path (never an absolute URL built from the Host header) for a named route or mount."""
    request: Request = context["request"]
    return route_path(request.app.router, name, path_params)


@jinja2.pass_context
def _storefront_url(context: dict[str, Any], path: str = "") -> str:
    """A path inside the current storefront, whichever URL mode the request came in."""
    root = storefront_root(context["request"])
    return root + path.lstrip("/")


@jinja2.pass_context
def _platform_url(context: dict[str, Any], path: str = "") -> str:
    """A path inside the current platform's public pages."""
    root = getattr(context["request"].state, "platform_root", None) or "/"
    return root + path.lstrip("/")


@jinja2.pass_context
def _money(context: dict[str, Any], cents: int, currency: str = "EUR") -> str:
    return format_money(cents, context.get("current_language", "en"), currency)


@jinja2.pass_context
def _number(context: dict[str, Any], value: Any) -> str:
    return format_number(value, context.get("current_language", "en"))


@jinja2.pass_context
def _date(context: dict[str, Any], value: Any, fmt: str = "medium") -> str:
    return format_date(value, context.get("current_language", "en"), fmt)


@jinja2.pass_context
def _datetime(context: dict[str, Any], value: Any, fmt: str = "medium") -> str:
    return format_datetime(value, context.get("current_language", "en"), fmt)


@jinja2.pass_context
def _country(context: dict[str, Any], code: Any) -> str:
    """``{{ address.country|country }}``: ``LU`` -> ``Luxemburg`` in the request's language."""
    return country_name(code, context.get("current_language", "en"))


@jinja2.pass_context
def _json_ld_script(context: dict[str, Any], data: Any) -> Markup:
    """``{{ json_ld_script(data) }}``: schema.org data in a script element the page's
    Content-Security-Policy allows by its hash (``orion_server.seo``)."""
    text = seo.json_ld(data)
    seo.remember_hash(context["request"], text)
    return Markup(f'<script type="application/ld+json">{text}</script>')


loader = ModuleTemplateLoader()
environment = jinja2.Environment(
    loader=loader,
    autoescape=True,  # every template, whatever its extension
    undefined=jinja2.ChainableUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(
    url_for=_url_for,
    storefront_url=_storefront_url,
    platform_url=_platform_url,
    translate=t,
    json_ld_script=_json_ld_script,
)
environment.filters.update(money=_money, number=_number, date=_date, datetime=_datetime, country=_country)
# In production the templates are those installed: checking every template file's time on each
# render (Jinja's default) was a stat() per template and page. Development sees edits at once.
environment.auto_reload = get_settings().env == "development"
templates = Jinja2Templates(env=environment)


def _modules_changed() -> None:
    loader.reset()
    environment.cache.clear()  # templates compiled from the modules there were


hooks.on_registry_reload(_modules_changed)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a template as an HTML response."""
    response = templates.TemplateResponse(request=request, name=name, context=context, status_code=status_code)
    hashes = getattr(request.state, seo.HASHES_STATE, None)
    if hashes and "content-security-policy" not in response.headers:
        # the page's JSON-LD blocks, allowed one by one (never 'unsafe-inline')
        response.headers["Content-Security-Policy"] = content_security_policy(add={"script-src": hashes})
    return response
