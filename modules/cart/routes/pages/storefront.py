"""The storefront's cart page and the forms that change the cart."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from modules.cart.config import CART_WRITES
from modules.cart.cookies import cart_token, ensure_token, keep_token
from modules.cart.services import cart_service
from orion_server.deps import CurrentStore, SessionDep, storefront_root
from orion_server.errors import NotFoundError, ValidationError
from orion_server.forms import PostedForm
from orion_server.i18n import t
from orion_server.modules.context import get_storefront_context
from orion_server.rate_limits import RateLimited
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()
NOTICES = {"added": "cart.notice.added", "updated": "cart.notice.updated", "removed": "cart.notice.removed"}


def _safe_next(value: object, root: str) -> str:
    """A path inside this storefront to go back to; the cart page otherwise."""
    text = str(value or "").strip()
    if not text or text.startswith(("/", "\\")) or ":" in text.split("?")[0] or "//" in text:
        return f"{root}cart"
    return root + text


def _page(
    request: Request,
    db: SessionDep,
    store: CurrentStore,
    *,
    error: ValidationError | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    language = request.state.language
    cart = cart_service.find(db, store_id=store.id, token=cart_token(request))
    refreshed = cart_service.refresh(db, cart=cart, language=language)
    notice_key = NOTICES.get(request.query_params.get("done", ""))
    context = get_storefront_context(
        request,
        db,
        page_title=t("cart.page.title", language),
        cart=refreshed.cart,
        lines=refreshed.cart.lines if refreshed.cart else [],
        totals=cart_service.totals(refreshed.cart),
        messages=refreshed.messages,
        notice=t(notice_key, language) if notice_key else "",
        error=error,
        typed=typed or {},
    )
    status = 422 if error is not None else 200
    return render(request, "cart/storefront/cart.html", context, status_code=status)


@router.get("/cart")
def cart_page(request: Request, db: SessionDep, store: CurrentStore) -> Response:
    """The cart: lines with quantities, totals and what changed since they were added."""
    return _page(request, db, store)


@router.post("/cart/add", dependencies=[RateLimited("cart.write", CART_WRITES)])
def add_to_cart(request: Request, db: SessionDep, store: CurrentStore, form: PostedForm) -> Response:
    """Form fields ``sku``, ``quantity`` (default 1) and ``next`` (a storefront path to go
    back to, e.g. ``products/bread``); redirects there with ``?done=added``."""
    token, made_now = ensure_token(request)
    try:
        cart_service.add(
            db,
            store_id=store.id,
            token=token,
            new_token=made_now,
            sku=form.get("sku"),
            quantity=form.get("quantity") or 1,
            language=request.state.language,
        )
    except ValidationError as error:
        typed = {"sku": str(form.get("sku") or ""), "quantity": str(form.get("quantity") or "")}
        return keep_token(request, _page(request, db, store, error=error, typed=typed))
    target = _safe_next(form.get("next"), storefront_root(request))
    target += ("&" if "?" in target else "?") + "done=added"
    return keep_token(request, RedirectResponse(target, status_code=303))


@router.post("/cart/update", dependencies=[RateLimited("cart.write", CART_WRITES)])
def update_cart(request: Request, db: SessionDep, store: CurrentStore, form: PostedForm) -> Response:
    """Form fields ``sku`` and ``quantity`` (0 removes the line)."""
    try:
        cart_service.change_quantity(
            db,
            store_id=store.id,
            token=cart_token(request) or "",
            sku=form.get("sku"),
            quantity=form.get("quantity"),
            language=request.state.language,
        )
    except ValidationError as error:
        typed = {"sku": str(form.get("sku") or ""), "quantity": str(form.get("quantity") or "")}
        return _page(request, db, store, error=error, typed=typed)
    except NotFoundError:
        pass  # the line went away meanwhile (another tab): show the cart as it is
    return RedirectResponse(f"{storefront_root(request)}cart?done=updated", status_code=303)


@router.post("/cart/remove", dependencies=[RateLimited("cart.write", CART_WRITES)])
def remove_from_cart(request: Request, db: SessionDep, store: CurrentStore, form: PostedForm) -> Response:
    """Form field ``sku``: take that line out."""
    try:
        cart_service.remove(
            db, store_id=store.id, token=cart_token(request) or "", sku=form.get("sku")
        )
    except NotFoundError:
        pass
    return RedirectResponse(f"{storefront_root(request)}cart?done=removed", status_code=303)
