"""Wallet passes of loyalty cards.

- **Apple Wallet**: a ``.pkpass`` (a zip of ``pass.json``, images, ``manifest.json`` with the SHA-1
  of every file and ``signature``, a detached PKCS#7 signature in DER of the manifest made with the
  platform's Pass Type ID certificate, Apple's WWDR intermediate added when configured). Each pass
  names the PassKit web service of its store: devices register there and fetch the pass again
  after ``card.updated_at`` moved (every balance change moves it). Pushing the "pass changed"
  notification needs Apple's push service (APNs) and is not sent from here.
- **Google Wallet**: a "save" link whose JWT (RS256, signed with the platform's service-account
  key) carries the loyalty class and the card's loyalty object.

The credentials are the platform's (set by its admin); the private keys are stored sealed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import re
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.loyalty.exceptions import LoyaltyInputError, Problem
from modules.loyalty.models import (
    LoyaltyCard,
    LoyaltyPassRegistration,
    LoyaltyProgram,
    LoyaltyWalletSettings,
)
from orion_server import secrets_box
from orion_server.config import get_settings
from orion_server.database import begin_write, utcnow

PASS_TYPE_RE = re.compile(r"^pass(\.[A-Za-z0-9-]+)+$")
TEAM_RE = re.compile(r"^[A-Z0-9]{10}$")
ISSUER_RE = re.compile(r"^[0-9]{5,30}$")
GOOGLE_SAVE_URL = "https://pay.google.com/gp/v/save/"
BRAND_RGB = (37, 99, 235)
IMAGE_SIZES = {"icon.png": (29, 29), "icon@2x.png": (58, 58), "logo.png": (160, 50), "logo@2x.png": (320, 100)}


# --- settings --------------------------------------------------------------------------------

def settings_of(db: Session, platform_id: int) -> LoyaltyWalletSettings | None:
    return db.scalar(select(LoyaltyWalletSettings).where(LoyaltyWalletSettings.platform_id == platform_id))


def apple_missing(settings: LoyaltyWalletSettings | None) -> list[str]:
    """What the platform lacks for Apple Wallet passes (field names; empty when complete)."""
    wanted = ("apple_pass_type_id", "apple_team_id", "apple_certificate_pem", "apple_private_key")
    return [name for name in wanted if settings is None or not getattr(settings, name)]


def google_missing(settings: LoyaltyWalletSettings | None) -> list[str]:
    wanted = ("google_issuer_id", "google_service_account")
    return [name for name in wanted if settings is None or not getattr(settings, name)]


def _certificate(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.strip().encode("ascii"))


def _private_key(pem: str) -> Any:
    return serialization.load_pem_private_key(pem.strip().encode("ascii"), password=None)


def _same_key(certificate: x509.Certificate, key: Any) -> bool:
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return certificate.public_key().public_bytes(*der) == key.public_key().public_bytes(*der)


def _service_account(text: str) -> dict[str, Any]:
    data = json.loads(text)
    if not isinstance(data, dict) or not data.get("client_email") or not data.get("private_key"):
        raise ValueError("not a service-account key")
    if not isinstance(_private_key(data["private_key"]), rsa.RSAPrivateKey):
        raise ValueError("not an RSA key")
    return data


def uploaded_text(data: bytes) -> str:
    """What an uploaded credential file holds, as the form's text: PEM or JSON as it is, a DER
    certificate (Apple's ``.cer``) turned into PEM; anything else as text, refused by the checks."""
    if len(data) > 64 * 1024:
        return "(too large)"
    try:
        return x509.load_der_x509_certificate(data).public_bytes(
            serialization.Encoding.PEM).decode("ascii")
    except ValueError:
        return data.decode("utf-8", errors="replace")


def save_settings(db: Session, *, platform_id: int, values: Mapping[str, str]) -> LoyaltyWalletSettings:
    """Check and store the platform's credentials. An empty secret field keeps the stored one;
    ``remove_apple`` / ``remove_google`` clear a wallet's credentials."""
    begin_write(db)
    row = settings_of(db, platform_id)
    if row is None:
        row = LoyaltyWalletSettings(platform_id=platform_id)
        db.add(row)
    text = {name: (values.get(name) or "").strip() for name in (
        "apple_pass_type_id", "apple_team_id", "apple_certificate_pem", "apple_private_key", "apple_wwdr_pem",
        "google_issuer_id", "google_service_account")}
    problems: list[Problem] = []

    def bad(name: str, key: str) -> None:
        problems.append(Problem(name, f"loyalty.wallet.errors.{key}", {}))

    if text["apple_pass_type_id"] and not PASS_TYPE_RE.match(text["apple_pass_type_id"]):
        bad("apple_pass_type_id", "pass_type_id")
    if text["apple_team_id"] and not TEAM_RE.match(text["apple_team_id"]):
        bad("apple_team_id", "team_id")
    certificate = key = None
    for name in ("apple_certificate_pem", "apple_wwdr_pem"):
        if text[name]:
            try:
                parsed = _certificate(text[name])
            except (ValueError, UnicodeError):
                bad(name, "certificate")
                continue
            if name == "apple_certificate_pem":
                certificate = parsed
    if text["apple_private_key"]:
        try:
            key = _private_key(text["apple_private_key"])
            if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
                raise ValueError("unsupported key")
        except (ValueError, TypeError, UnicodeError):
            bad("apple_private_key", "private_key")
            key = None
    elif row.apple_private_key and certificate is not None:
        key = _private_key(secrets_box.reveal(row.apple_private_key))
    if certificate is not None and key is not None and not _same_key(certificate, key):
        bad("apple_private_key", "key_mismatch")
    if text["google_issuer_id"] and not ISSUER_RE.match(text["google_issuer_id"]):
        bad("google_issuer_id", "issuer_id")
    if text["google_service_account"]:
        try:
            _service_account(text["google_service_account"])
        except (ValueError, TypeError, UnicodeError):
            bad("google_service_account", "service_account")
    if problems:
        raise LoyaltyInputError(problems)

    row.apple_pass_type_id = text["apple_pass_type_id"]
    row.apple_team_id = text["apple_team_id"]
    row.google_issuer_id = text["google_issuer_id"]
    if text["apple_certificate_pem"]:
        row.apple_certificate_pem = text["apple_certificate_pem"]
    if text["apple_wwdr_pem"]:
        row.apple_wwdr_pem = text["apple_wwdr_pem"]
    if text["apple_private_key"]:
        row.apple_private_key = secrets_box.seal(text["apple_private_key"])
    if text["google_service_account"]:
        row.google_service_account = secrets_box.seal(text["google_service_account"])
    if values.get("remove_apple"):
        row.apple_certificate_pem = row.apple_private_key = row.apple_wwdr_pem = ""
    if values.get("remove_google"):
        row.google_service_account = ""
    row.updated_at = utcnow()
    db.commit()
    return row


# --- Apple Wallet ----------------------------------------------------------------------------

def authentication_token(card: LoyaltyCard) -> str:
    """The card's PassKit token: an HMAC of its code with the installation's secret key, so it
    is never stored and changes with nothing but the key."""
    key = get_settings().secret_key.encode("utf-8")
    return hmac.new(key, b"loyalty-pass:" + card.code.encode("ascii"), hashlib.sha256).hexdigest()[:40]


def token_matches(card: LoyaltyCard, authorization: str | None) -> bool:
    scheme, _, token = (authorization or "").partition(" ")
    return scheme == "ApplePass" and hmac.compare_digest(token.strip(), authentication_token(card))


def web_service_url(platform_code: str, store_code: str) -> str:
    """The PassKit web service of a store's passes, in path mode from the configured base URL."""
    base = get_settings().base_url.rstrip("/")
    return f"{base}/platforms/{platform_code}/storefront/{store_code}/api/v1/loyalty/passkit"


@dataclass(frozen=True)
class PassLabels:
    """The pass's words in the card holder's language."""

    stamps: str
    points: str
    member: str


def pass_json(card: LoyaltyCard, program: LoyaltyProgram, settings: LoyaltyWalletSettings, *, store_name: str,
              service_url: str, labels: PassLabels) -> dict[str, Any]:
    primary = []
    if program.stamps_enabled:
        primary.append({"key": "stamps", "label": labels.stamps, "value": card.stamps_balance,
                        "changeMessage": "%@"})
    secondary = []
    if program.points_enabled:
        field = {"key": "points", "label": labels.points, "value": card.points_balance, "changeMessage": "%@"}
        (secondary if primary else primary).append(field)
    return {
        "formatVersion": 1,
        "passTypeIdentifier": settings.apple_pass_type_id,
        "teamIdentifier": settings.apple_team_id,
        "serialNumber": card.code,
        "authenticationToken": authentication_token(card),
        "webServiceURL": service_url,
        "organizationName": store_name,
        "description": program.name or store_name,
        "logoText": store_name,
        "foregroundColor": "rgb(255, 255, 255)",
        "backgroundColor": "rgb({}, {}, {})".format(*BRAND_RGB),
        "labelColor": "rgb(219, 234, 254)",
        "barcodes": [{"format": "PKBarcodeFormatQR", "message": card.code, "messageEncoding": "iso-8859-1",
                      "altText": "-".join(card.code[i:i + 4] for i in range(0, len(card.code), 4))}],
        "storeCard": {
            "primaryFields": primary,
            "secondaryFields": secondary,
            "auxiliaryFields": [{"key": "member", "label": labels.member, "value": program.name or store_name}],
        },
    }


def store_logo_path(store_id: int, logo_file: str | None) -> Path | None:
    """The store's uploaded logo, if it has one on disk."""
    if not logo_file:
        return None
    path = get_settings().data_dir / "media" / str(store_id) / "store" / Path(logo_file).name
    return path if path.is_file() else None


def pass_images(store_name: str, logo: Path | None) -> dict[str, bytes]:
    """icon and logo in both resolutions: the store's logo fitted in, or its initial on the brand colour."""
    source = None
    if logo is not None:
        try:
            with Image.open(logo) as opened:
                source = opened.convert("RGBA")
        except (OSError, ValueError):
            source = None
    images = {}
    for name, size in IMAGE_SIZES.items():
        canvas = Image.new("RGBA", size, (0, 0, 0, 0) if name.startswith("logo") else (*BRAND_RGB, 255))
        if source is not None:
            fitted = source.copy()
            fitted.thumbnail(size)
            canvas.paste(fitted, ((size[0] - fitted.width) // 2, (size[1] - fitted.height) // 2), fitted)
        else:
            draw = ImageDraw.Draw(canvas)
            side = min(size)
            box = (0, 0, side - 1, side - 1)
            draw.ellipse(box, fill=(255, 255, 255, 255))
            initial = (store_name.strip()[:1] or "O").upper()
            draw.text((side / 2, side / 2), initial, fill=(*BRAND_RGB, 255), anchor="mm",
                      font_size=max(10, side * 0.6))
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        images[name] = buffer.getvalue()
    return images


def sign_manifest(manifest: bytes, settings: LoyaltyWalletSettings) -> bytes:
    """The detached PKCS#7 signature (DER) of ``manifest`` with the platform's certificate."""
    certificate = _certificate(settings.apple_certificate_pem)
    key = _private_key(secrets_box.reveal(settings.apple_private_key))
    builder = pkcs7.PKCS7SignatureBuilder().set_data(manifest).add_signer(certificate, key, hashes.SHA256())
    if settings.apple_wwdr_pem:
        builder = builder.add_certificate(_certificate(settings.apple_wwdr_pem))
    return builder.sign(serialization.Encoding.DER,
                        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])


def build_pkpass(card: LoyaltyCard, program: LoyaltyProgram, settings: LoyaltyWalletSettings, *, store_name: str,
                 service_url: str, labels: PassLabels, logo: Path | None = None) -> bytes:
    """The card's signed ``.pkpass``."""
    files = {"pass.json": json.dumps(pass_json(card, program, settings, store_name=store_name,
                                               service_url=service_url, labels=labels),
                                     ensure_ascii=False, indent=1).encode("utf-8")}
    files.update(pass_images(store_name, logo))
    manifest = json.dumps({name: hashlib.sha1(data).hexdigest() for name, data in files.items()},  # noqa: S324 - Apple's format
                          indent=1, sort_keys=True).encode("utf-8")
    files["manifest.json"] = manifest
    files["signature"] = sign_manifest(manifest, settings)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- PassKit web service ---------------------------------------------------------------------

def card_for_pass(db: Session, *, store_id: int, pass_type_id: str, serial: str) -> LoyaltyCard | None:
    """The store's card behind a pass, when the platform's pass type is the one asked for."""
    card = db.scalar(select(LoyaltyCard).where(LoyaltyCard.code == serial[:40], LoyaltyCard.store_id == store_id))
    if card is None:
        return None
    program = db.get(LoyaltyProgram, card.program_id)
    settings = settings_of(db, program.platform_id) if program else None
    if settings is None or not settings.apple_pass_type_id or settings.apple_pass_type_id != pass_type_id:
        return None
    return card


def register_device(db: Session, card: LoyaltyCard, *, device: str, pass_type_id: str, push_token: str) -> bool:
    """Record the device for the card's updates: True when new, False when it was registered."""
    begin_write(db)
    row = db.scalar(select(LoyaltyPassRegistration).where(
        LoyaltyPassRegistration.card_id == card.id, LoyaltyPassRegistration.device_library_id == device,
        LoyaltyPassRegistration.pass_type_id == pass_type_id))
    created = row is None
    if row is None:
        row = LoyaltyPassRegistration(card_id=card.id, device_library_id=device, pass_type_id=pass_type_id,
                                      created_at=utcnow())
        db.add(row)
    row.push_token = push_token[:200]
    db.commit()
    return created


def unregister_device(db: Session, card: LoyaltyCard, *, device: str, pass_type_id: str) -> None:
    begin_write(db)
    row = db.scalar(select(LoyaltyPassRegistration).where(
        LoyaltyPassRegistration.card_id == card.id, LoyaltyPassRegistration.device_library_id == device,
        LoyaltyPassRegistration.pass_type_id == pass_type_id))
    if row is not None:
        db.delete(row)
    db.commit()


def update_tag(moment: datetime) -> str:
    """``lastUpdated`` of the web service: microseconds since the epoch."""
    return str(int(moment.timestamp() * 1_000_000))


def moment_of(tag: str | None) -> datetime | None:
    if not tag or not tag.isdigit() or len(tag) > 20:
        return None
    try:
        return datetime.fromtimestamp(int(tag) / 1_000_000, tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def updated_serials(db: Session, *, store_id: int, device: str, pass_type_id: str,
                    since: str | None) -> tuple[list[str], str] | None:
    """The serial numbers of the device's passes (of this store) changed after ``since``, and the
    tag to send next time; None when the device registered no pass of this store."""
    rows = db.execute(
        select(LoyaltyCard.code, LoyaltyCard.updated_at)
        .join(LoyaltyPassRegistration, LoyaltyPassRegistration.card_id == LoyaltyCard.id)
        .where(LoyaltyPassRegistration.device_library_id == device,
               LoyaltyPassRegistration.pass_type_id == pass_type_id, LoyaltyCard.store_id == store_id)
    ).all()
    if not rows:
        return None
    after = moment_of(since)
    changed = sorted(code for code, updated in rows if after is None or updated > after)
    latest = max((updated for _code, updated in rows), default=None)
    return changed, update_tag(latest) if latest else ""


# --- Google Wallet ---------------------------------------------------------------------------

def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def google_object_id(issuer_id: str, card: LoyaltyCard) -> str:
    return f"{issuer_id}.{card.code}"


def google_jwt(card: LoyaltyCard, program: LoyaltyProgram, settings: LoyaltyWalletSettings, *, store_name: str,
               points_label: str, stamps_label: str, now: float | None = None) -> str:
    """The RS256 JWT of a "save to Google Wallet" link for the card (with its class)."""
    account = _service_account(secrets_box.reveal(settings.google_service_account))
    issuer = settings.google_issuer_id
    class_id = f"{issuer}.loyalty_program_{program.id}"
    balance, label, other = (
        (card.points_balance, points_label, (card.stamps_balance, stamps_label) if program.stamps_enabled else None)
        if program.points_enabled else (card.stamps_balance, stamps_label, None))
    loyalty_object: dict[str, Any] = {
        "id": google_object_id(issuer, card),
        "classId": class_id,
        "state": "ACTIVE",
        "accountId": card.code,
        "accountName": card.code,
        "loyaltyPoints": {"label": label, "balance": {"int": balance}},
        "barcode": {"type": "QR_CODE", "value": card.code},
    }
    if other is not None:
        loyalty_object["secondaryLoyaltyPoints"] = {"label": other[1], "balance": {"int": other[0]}}
    claims = {
        "iss": account["client_email"],
        "aud": "google",
        "typ": "savetowallet",
        "iat": int(now if now is not None else time.time()),
        "origins": [],
        "payload": {
            "loyaltyClasses": [{"id": class_id, "issuerName": store_name, "programName": program.name or store_name,
                                "reviewStatus": "UNDER_REVIEW",
                                "hexBackgroundColor": "#{:02x}{:02x}{:02x}".format(*BRAND_RGB)}],
            "loyaltyObjects": [loyalty_object],
        },
    }
    header = {"alg": "RS256", "typ": "JWT"}
    if account.get("private_key_id"):
        header["kid"] = account["private_key_id"]
    signing_input = (_b64url(json.dumps(header, separators=(",", ":")).encode())
                     + "." + _b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()))
    key = _private_key(account["private_key"])
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + _b64url(signature)


def google_save_url(*args: Any, **kwargs: Any) -> str:
    return GOOGLE_SAVE_URL + google_jwt(*args, **kwargs)


# --- what the routes ask for -----------------------------------------------------------------

def labels_in(language: str) -> PassLabels:
    from orion_server.i18n import t

    return PassLabels(stamps=t("loyalty.wallet.pass_stamps", language),
                      points=t("loyalty.wallet.pass_points", language),
                      member=t("loyalty.wallet.pass_member", language))


@dataclass(frozen=True)
class WalletOffer:
    """Which wallet buttons a card page shows."""

    apple: bool
    google: bool


def offer_for(db: Session, program: LoyaltyProgram) -> WalletOffer:
    settings = settings_of(db, program.platform_id)
    return WalletOffer(apple=not apple_missing(settings), google=not google_missing(settings))


def card_pass(db: Session, card: LoyaltyCard, *, store: Any, platform_code: str, language: str) -> bytes | None:
    """The card's signed ``.pkpass`` for ``store`` (a StoreInfo), or None when the platform has no
    Apple Wallet credentials."""
    program = db.get(LoyaltyProgram, card.program_id)
    settings = settings_of(db, program.platform_id)
    if apple_missing(settings):
        return None
    return build_pkpass(card, program, settings, store_name=store.name,
                        service_url=web_service_url(platform_code, store.code), labels=labels_in(language),
                        logo=store_logo_path(store.id, store.logo_file))


def card_google_url(db: Session, card: LoyaltyCard, *, store_name: str, language: str) -> str | None:
    program = db.get(LoyaltyProgram, card.program_id)
    settings = settings_of(db, program.platform_id)
    if google_missing(settings):
        return None
    labels = labels_in(language)
    return google_save_url(card, program, settings, store_name=store_name, points_label=labels.points,
                           stamps_label=labels.stamps)
