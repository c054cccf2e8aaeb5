"""The PassKit web service of a store's Apple Wallet passes (Apple's protocol), at
``{storefront root}api/v1/loyalty/passkit/v1/...``:

| method and path | what |
|---|---|
| ``POST devices/{device}/registrations/{passType}/{serial}`` | register a device for a pass's updates (201 new, 200 known) |
| ``DELETE devices/{device}/registrations/{passType}/{serial}`` | unregister |
| ``GET devices/{device}/registrations/{passType}?passesUpdatedSince=`` | the serial numbers changed since (204 none) |
| ``GET passes/{passType}/{serial}`` | the latest pass (``Last-Modified``; 304 after ``If-Modified-Since``) |
| ``POST log`` | the device's error messages, written to the server log |

A pass's requests carry ``Authorization: ApplePass <token>`` (401 without the card's token).
CSRF does not apply: devices have no session; the token is the proof. A serial number is the
card's code; an unknown one answers 401 as a wrong token does (nothing tells the codes apart).
"""

from __future__ import annotations

import logging
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Header, Request
from fastapi.responses import JSONResponse, Response

from modules.loyalty.schemas.passkit import DeviceLog, PushRegistration
from modules.loyalty.services import wallet
from orion_server.deps import CurrentPlatform, CurrentStore, SessionDep
from orion_server.errors import NotFoundError
from orion_server.routing import ModuleRouter

router = ModuleRouter(csrf_exempt=True)
logger = logging.getLogger("orion.loyalty.passkit")

BASE = "/passkit/v1"
PKPASS = "application/vnd.apple.pkpass"


UNAUTHORISED = {401: {"description": "No pass with this serial number, or not its token"}}
REGISTERED = {201: {"description": "Registered now"}, 200: {"description": "Already registered"}, **UNAUTHORISED}


def _unauthorised() -> Response:
    return Response(status_code=401)


@router.post(BASE + "/devices/{device}/registrations/{pass_type}/{serial}", responses=REGISTERED)
def register_device(device: str, pass_type: str, serial: str, body: PushRegistration, db: SessionDep,
                    store: CurrentStore, authorization: str | None = Header(default=None)) -> Response:
    """Register a device for a pass's updates."""
    card = wallet.card_for_pass(db, store_id=store.id, pass_type_id=pass_type, serial=serial)
    if card is None or not wallet.token_matches(card, authorization) or len(device) > 100:
        return _unauthorised()
    created = wallet.register_device(db, card, device=device, pass_type_id=pass_type, push_token=body.pushToken)
    return JSONResponse({}, status_code=201 if created else 200)


@router.delete(BASE + "/devices/{device}/registrations/{pass_type}/{serial}", responses=UNAUTHORISED)
def unregister_device(device: str, pass_type: str, serial: str, db: SessionDep, store: CurrentStore,
                      authorization: str | None = Header(default=None)) -> Response:
    """The device no longer wants the pass's updates."""
    card = wallet.card_for_pass(db, store_id=store.id, pass_type_id=pass_type, serial=serial)
    if card is None or not wallet.token_matches(card, authorization):
        return _unauthorised()
    wallet.unregister_device(db, card, device=device[:100], pass_type_id=pass_type)
    return JSONResponse({})


@router.get(BASE + "/devices/{device}/registrations/{pass_type}",
            responses={204: {"description": "None of the device's passes changed"}})
def updated_passes(device: str, pass_type: str, db: SessionDep, store: CurrentStore,
                   passesUpdatedSince: str | None = None) -> Response:  # noqa: N803 - Apple's name
    """The device's passes that changed since its last look."""
    found = wallet.updated_serials(db, store_id=store.id, device=device[:100], pass_type_id=pass_type,
                                   since=passesUpdatedSince)
    if found is None:
        raise NotFoundError("the device registered no pass here")
    serials, tag = found
    if not serials:
        return Response(status_code=204)
    return JSONResponse({"serialNumbers": serials, "lastUpdated": tag})


@router.get(BASE + "/passes/{pass_type}/{serial}", response_class=Response, responses={
    200: {"content": {PKPASS: {}}, "description": "The signed pass"},
    304: {"description": "Not changed since If-Modified-Since"}, **UNAUTHORISED})
def latest_pass(request: Request, pass_type: str, serial: str, db: SessionDep, store: CurrentStore,
                platform: CurrentPlatform, authorization: str | None = Header(default=None),
                if_modified_since: str | None = Header(default=None)) -> Response:
    """The pass as it is now."""
    card = wallet.card_for_pass(db, store_id=store.id, pass_type_id=pass_type, serial=serial)
    if card is None or not wallet.token_matches(card, authorization):
        return _unauthorised()
    changed = card.updated_at.replace(microsecond=0)
    if if_modified_since:
        try:
            seen = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            seen = None
        if seen is not None and seen.tzinfo is not None and changed <= seen:
            return Response(status_code=304)
    data = wallet.card_pass(db, card, store=store, platform_code=platform.code, language=store.default_language)
    if data is None:
        return _unauthorised()
    return Response(data, media_type=PKPASS, headers={"Last-Modified": format_datetime(changed, usegmt=True)})


@router.post(BASE + "/log")
def device_log(body: DeviceLog, store: CurrentStore) -> Response:
    """Apple Wallet's error messages about this store's passes."""
    for line in body.logs:
        logger.warning("wallet device log (store %s): %s", store.code, line[:500])
    return JSONResponse({})
