"""The FastAPI application: middleware, static files, health, and every module's routes."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError as DatabaseOperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from orion_server import __version__
from orion_server.config import Settings, get_settings
from orion_server.database import db as database
from orion_server.deps import CsrfError, LoginRequired
from orion_server.error_reports import make_report, report_unhandled
from orion_server.errors import NotFoundError, OrionError, PermissionDeniedError
from orion_server.health import router as health_router
from orion_server.i18n import t
from orion_server.metrics import (
    RequestMetricsMiddleware,
    mark_dead,
    metrics_endpoint,
    watch_pools,
    watch_tasks,
)
from orion_server.middleware.body_limit import BodyLimitMiddleware
from orion_server.middleware.csrf_cookie import CsrfCookieMiddleware
from orion_server.middleware.page_cache import PageCacheMiddleware
from orion_server.middleware.platform_context import ERROR_PATH, PlatformContextMiddleware
from orion_server.middleware.security_headers import SecurityHeadersMiddleware
from orion_server.modules import registry
from orion_server.modules.enums import FrontendType
from orion_server.modules.routes import include_module_routes
from orion_server.openapi_paths import DESCRIPTION as API_DESCRIPTION
from orion_server.openapi_paths import describe_public_paths
from orion_server.page_cache import PageCache
from orion_server.paths import RESOURCES_DIR
from orion_server.support_access import SupportAccessRequired
from orion_server.task_queue import discover_tasks

logger = logging.getLogger(__name__)

STATUS_KEYS = {
    400: "errors.bad_request",
    401: "errors.login_required",
    403: "errors.forbidden",
    404: "errors.page_not_found",
    405: "errors.method_not_allowed",
    409: "errors.conflict",
    410: "errors.gone",
    413: "errors.too_large",
    422: "errors.invalid_input",
    429: "errors.too_many_requests",
    500: "errors.server_error",
    503: "errors.unavailable",
}


def _wants_json(request: Request) -> bool:
    return bool(getattr(request.state, "is_api", False)) or request.scope["path"].startswith("/api/")


def _error_response(request: Request, status: int, message: str, body: dict[str, Any] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse(body or {"error": "error", "message": message}, status_code=status)
    from orion_server.database import db as _db
    from orion_server.modules.context import get_context_for_frontend
    from orion_server.templating import render

    frontend = getattr(request.state, "frontend", None) or FrontendType.PLATFORM
    session = _db.session()
    try:
        try:
            context = get_context_for_frontend(FrontendType(frontend), request, session)
        except Exception:
            logger.warning("could not build the context of an error page", exc_info=True)
            session.rollback()
            context = {"request": request, "current_language": getattr(request.state, "language", "en")}
            context["t"] = context["_"] = lambda key, **kw: t(key, context["current_language"], **kw)
        context.update(status_code=status, message=message)
        return render(request, "errors/error.html", context, status_code=status)
    finally:
        session.close()


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        language = getattr(request.state, "language", "en")
        key = exc.detail if isinstance(exc.detail, str) and exc.detail.startswith("errors.") else None
        if key is None:
            key = STATUS_KEYS.get(exc.status_code, "errors.server_error")
        message = t(key, language)
        if isinstance(exc.detail, str) and not exc.detail.startswith("errors.") and exc.status_code not in (404, 405):
            message = exc.detail
        body = {"error": key.removeprefix("errors."), "message": message}
        response = _error_response(request, exc.status_code, message, body)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse(exc.to_dict(), status_code=401)
        target = getattr(request.state, "original_path", "/")
        if request.url.query:
            target = f"{target}?{request.url.query}"
        return RedirectResponse(f"{exc.login_path}?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(SupportAccessRequired)
    async def support_access_required(request: Request, exc: SupportAccessRequired) -> Response:
        if _wants_json(request):
            return JSONResponse(exc.to_dict(), status_code=exc.status)
        target = getattr(request.state, "original_path", "/")
        if request.url.query:
            target = f"{target}?{request.url.query}"
        return RedirectResponse(f"{exc.entry_path}?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(OrionError)
    async def orion_error(request: Request, exc: OrionError) -> Response:
        message = exc.message
        if (not _wants_json(request) and isinstance(exc, NotFoundError | PermissionDeniedError | CsrfError)
                and not exc.worded_for_people):
            # Service messages are English sentences for logs and the API; pages speak the user's language.
            message = t(STATUS_KEYS.get(exc.status, "errors.server_error"), getattr(request.state, "language", "en"))
            if isinstance(exc, CsrfError):
                message = t("errors.csrf", getattr(request.state, "language", "en"))
        response = _error_response(request, exc.status, message, exc.to_dict())
        response.headers.update(exc.headers())
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields = []
        for error in exc.errors():
            location = list(error.get("loc", ()))
            if location and location[0] in ("body", "query", "path", "header", "cookie"):
                location = location[1:]  # only the source; a field may itself be called "body"
            fields.append({"field": ".".join(str(p) for p in location), "message": error.get("msg", "invalid")})
        body = {"error": "validation_error", "message": "some fields are invalid", "fields": fields}
        return _error_response(request, 422, body["message"], body)

    @app.exception_handler(sqlite3.OperationalError)
    @app.exception_handler(DatabaseOperationalError)
    async def database_busy(request: Request, exc: Exception) -> Response:
        """SQLite's writer stayed busy past the busy timeout: 503 with Retry-After, the visitor's
        input kept by the browser; anything else of the kind is an unexpected error."""
        if "database is locked" not in str(exc):
            return await unexpected(request, exc)
        logger.warning("no turn to write on %s %s: %s", request.method, request.url.path, exc)
        message = t("errors.unavailable", getattr(request.state, "language", "en"))
        response = _error_response(request, 503, message, {"error": "busy", "message": message})
        response.headers["Retry-After"] = "2"
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        report = make_report(request, exc)
        await run_in_threadpool(report_unhandled, report)  # grouped by the monitoring module
        language = getattr(request.state, "language", "en")
        message = t("errors.server_error", language)
        return _error_response(request, 500, message, {"error": "server_error", "message": message})


def _mount_static(app: FastAPI) -> None:
    for module in registry.MODULES.values():
        folder = module.resource_dir("static")
        if folder:
            app.mount(f"/static/modules/{module.code}", StaticFiles(directory=folder), name=f"{module.code}_static")
    app.mount("/static", StaticFiles(directory=RESOURCES_DIR / "static"), name="static")


@asynccontextmanager
async def _metrics_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """A worker that stops drops its live gauges from the summed metrics."""
    yield
    mark_dead()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application from the settings and the discovered modules."""
    settings = settings or get_settings()

    app = FastAPI(
        lifespan=_metrics_lifespan if settings.metrics_token else None,
        title=settings.project_name,
        version=__version__,
        description=API_DESCRIPTION,
        docs_url="/docs" if settings.enable_docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.enable_docs else None,
    )
    app.state.settings = settings
    _install_error_handlers(app)

    @app.api_route(ERROR_PATH, methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], include_in_schema=False)
    def resolution_error(request: Request) -> Response:
        status, key = request.state.resolution_error or (404, "errors.page_not_found")
        raise HTTPException(status_code=status, detail=key)

    app.include_router(health_router)
    app.add_api_route("/metrics", metrics_endpoint, methods=["GET"], include_in_schema=False)
    discover_tasks()
    include_module_routes(app, list(registry.MODULES.values()))
    describe_public_paths(app)
    _mount_static(app)

    app.state.page_cache = PageCache(settings.page_cache_seconds) if settings.page_cache_seconds > 0 else None
    app.add_middleware(PageCacheMiddleware, cache=app.state.page_cache)
    app.add_middleware(CsrfCookieMiddleware, secure=settings.secure_cookies)
    app.add_middleware(PlatformContextMiddleware, settings=settings)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.metrics_token:  # without a token nothing is counted: no cost on any request
        watch_pools()
        if settings.tasks_immediate:  # tasks run in this process
            from orion_server.task_queue import huey

            watch_tasks(huey.instance)
        app.add_middleware(RequestMetricsMiddleware)
    # last, so outermost: every response gets the headers, and the scheme is known by then
    app.add_middleware(SecurityHeadersMiddleware)
    database.engine  # noqa: B018 - fail early when the database URL is unusable
    return app
