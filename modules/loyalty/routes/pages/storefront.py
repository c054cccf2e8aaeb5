"""Storefront pages of Loyalty: the program's page (how it works, its rewards and terms, in the
shopper's language), and the signed-in customer's card: join, balance, progress to the next
reward, history and the QR code staff scan at the counter. Made for a phone first."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.contracts.storefront_customer import require_shopper
from modules.loyalty.models import LoyaltyProgram
from modules.loyalty.services import cards, programs, wallet
from orion_server.deps import (
    CurrentPlatform,
    CurrentStore,
    PublicPage,
    SessionDep,
    not_found_as_404,
    storefront_root,
)
from orion_server.errors import NotFoundError
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm
from orion_server.i18n import t
from orion_server.modules.context import get_storefront_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])
FLASHES = {"joined"}


def _render(request: Request, db: SessionDep, template: str, program: LoyaltyProgram, **extra: Any) -> Response:
    language = request.state.language
    store = request.state.store
    context = get_storefront_context(
        request, db,
        page_title=program.name or t("loyalty.storefront.title", language),
        program=program,
        terms=programs.terms_in(program, language, store.default_language),
        rewards=programs.rewards_of(program),
        reward_name=lambda reward: reward.name_in(language, store.default_language),
        shown_code=cards.shown_code,
        **extra,
    )
    return render(request, f"loyalty/storefront/{template}", context)


@router.get("/loyalty", dependencies=[PublicPage])
def program_page(request: Request, db: SessionDep, store: CurrentStore) -> Response:
    """How the store's program works: what earns stamps and points, the rewards, the terms."""
    program = programs.active_program(db, store.id)
    return _render(request, db, "program.html", program)


@router.get("/account/loyalty")
def my_card(request: Request, db: SessionDep, store: CurrentStore) -> Response:
    """The customer's card (or the offer to join)."""
    shopper = require_shopper(request, db, store.id)
    program = programs.active_program(db, store.id)
    card = cards.card_for_customer(db, program, shopper.customer_id)
    lines = cards.history(db, card, page=1, per_page=cards.HISTORY_PAGE) if card else None
    return _render(
        request, db, "card.html", program, card=card,
        progress=cards.progress_of(program, card) if card else [],
        history=lines, voided=cards.voided_ids(db, lines.items) if lines else set(),
        qr=cards.qr_svg(card.code) if card else "",
        wallet_offer=wallet.offer_for(db, program) if card else None,
        flash=flash_for(request.query_params.get("done", ""), prefix="loyalty.flash.", allowed=FLASHES,
                        language=request.state.language),
    )


@router.post("/account/loyalty/join")
def join(request: Request, db: SessionDep, store: CurrentStore, form: PostedForm) -> Response:
    """Join the program: the customer gets a card at once."""
    shopper = require_shopper(request, db, store.id)
    program = programs.active_program(db, store.id)
    cards.join(db, program=program, store_id=store.id, customer_id=shopper.customer_id)
    return RedirectResponse(with_done(storefront_root(request) + "account/loyalty", "joined"), status_code=303)


def _own_card(request: Request, db: SessionDep, store_id: int):
    shopper = require_shopper(request, db, store_id)
    program = programs.active_program(db, store_id)
    card = cards.card_for_customer(db, program, shopper.customer_id)
    if card is None:
        raise NotFoundError("no card")
    return card


@router.get("/account/loyalty/wallet.pkpass")
def apple_wallet_pass(request: Request, db: SessionDep, store: CurrentStore, platform: CurrentPlatform) -> Response:
    """The customer's card as an Apple Wallet pass (404 where the platform has no certificate)."""
    card = _own_card(request, db, store.id)
    data = wallet.card_pass(db, card, store=store, platform_code=platform.code, language=request.state.language)
    if data is None:
        raise NotFoundError("no Apple Wallet certificate")
    return Response(data, media_type="application/vnd.apple.pkpass", headers={
        "Content-Disposition": f'attachment; filename="{store.code}-loyalty.pkpass"', "Cache-Control": "no-store"})


@router.get("/account/loyalty/google-wallet")
def google_wallet(request: Request, db: SessionDep, store: CurrentStore) -> Response:
    """To Google Wallet with the card (404 where the platform has no service account)."""
    card = _own_card(request, db, store.id)
    url = wallet.card_google_url(db, card, store_name=store.name, language=request.state.language)
    if url is None:
        raise NotFoundError("no Google Wallet service account")
    return RedirectResponse(url, status_code=303)
