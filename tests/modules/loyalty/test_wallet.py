"""Wallet passes: the platform admin sets the Apple and Google credentials (secrets sealed, never
shown again; what is missing named); a customer downloads a signed .pkpass whose manifest hashes
its files and whose detached PKCS#7 signature openssl verifies; Apple Wallet's web service
registers devices, lists passes changed since a tag, serves the pass only with its token and
unregisters; the Google Wallet link carries an RS256 JWT the service account's public key
verifies. Without credentials the card page shows no wallet button."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from modules.loyalty.models import LoyaltyPassRegistration, LoyaltyWalletSettings
from modules.loyalty.services import ledger, wallet
from orion_server import secrets_box
from tests.modules.loyalty.conftest import enable
from tests.modules.loyalty.test_pages import sf, sign_in

pytestmark = pytest.mark.usefixtures("clean_db")

PASS_TYPE = "pass.lu.example.loyalty"
TEAM = "AB12CD34EF"
ISSUER = "3388000000012345678"
ADMIN_PAGE = "/admin/loyalty/wallet?platform=lux&lang=en"


def _pem(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _certificate(subject: str, key, issuer_key=None, issuer_name: str | None = None, ca: bool = False):
    now = datetime.now(UTC)
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name or subject)]))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(issuer_key or key, hashes.SHA256()))


@pytest.fixture(scope="module")
def credentials() -> dict:
    """A test CA standing in for Apple's WWDR, a pass certificate it issued, and a Google service account."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _certificate("Test WWDR", ca_key, ca=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _certificate(f"Pass Type ID: {PASS_TYPE}", key, issuer_key=ca_key, issuer_name="Test WWDR")
    google_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    account = {"type": "service_account", "client_email": "wallet@orion-test.iam.gserviceaccount.com",
               "private_key_id": "k1", "private_key": _pem(google_key)}
    return {
        "apple_pass_type_id": PASS_TYPE, "apple_team_id": TEAM,
        "apple_certificate_pem": cert.public_bytes(serialization.Encoding.PEM).decode(),
        "apple_private_key": _pem(key), "apple_wwdr_pem": ca.public_bytes(serialization.Encoding.PEM).decode(),
        "google_issuer_id": ISSUER, "google_service_account": json.dumps(account),
        "google_public_key": google_key.public_key(), "ca": ca,
    }


@pytest.fixture
def admin_side(main_platform, db_session):
    """The admin is served on the main platform: loyalty on there."""
    enable(db_session, main_platform, modules=("customers", "loyalty"))
    return main_platform


def _settings(credentials: dict) -> dict:
    return {k: v for k, v in credentials.items() if k.startswith(("apple_", "google_")) and isinstance(v, str)}


@pytest.fixture
def configured(club, db_session, credentials):
    wallet.save_settings(db_session, platform_id=club.platform.id, values=_settings(credentials))
    return club


def _download(client, db_session) -> bytes:
    sign_in(client)
    page = client.get(sf("account/loyalty")).text
    assert "Add to Apple Wallet" in page and "Save to Google Wallet" in page
    response = client.get(sf("account/loyalty/wallet.pkpass"))
    assert response.status_code == 200 and response.headers["content-type"] == "application/vnd.apple.pkpass"
    return response.content


def test_without_credentials_no_wallet_button_and_the_admin_page_names_what_is_missing(client, club, factories, admin_side):
    sign_in(client)
    page = client.get(sf("account/loyalty")).text
    assert "Apple Wallet" not in page and "Google Wallet" not in page
    assert client.get(sf("account/loyalty/wallet.pkpass")).status_code == 404
    assert client.get(sf("account/loyalty/google-wallet"), follow_redirects=False).status_code == 404

    factories.login(client, factories.admin(email="admin@example.lu"))
    admin = client.get(ADMIN_PAGE)
    assert admin.status_code == 200
    assert 'id="apple-missing"' in admin.text and 'id="google-missing"' in admin.text
    assert "Pass Type ID certificate (PEM)" in admin.text and "Service account key (JSON)" in admin.text


def test_the_admin_saves_credentials_sealed_and_wrong_ones_come_back_with_messages(
        client, club, factories, db_session, credentials, admin_side):
    csrf = factories.login(client, factories.admin(email="admin@example.lu"))
    bad = client.post(ADMIN_PAGE, data={**_settings(credentials), "csrf_token": csrf, "apple_team_id": "nope",
                                        "apple_certificate_pem": "not a certificate"})
    assert bad.status_code == 422
    assert "A Team ID is 10 capital letters or digits." in bad.text and "This is not a PEM certificate." in bad.text
    other_key = _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    mismatch = client.post(ADMIN_PAGE, data={**_settings(credentials), "csrf_token": csrf, "apple_private_key": other_key})
    assert mismatch.status_code == 422 and "This key does not belong to the certificate." in mismatch.text

    saved = client.post(ADMIN_PAGE, data={**_settings(credentials), "csrf_token": csrf}, follow_redirects=True)
    assert saved.status_code == 200 and saved.text.count("Wallet settings saved.") == 1
    assert 'id="apple-ready"' in saved.text and 'id="google-ready"' in saved.text
    assert credentials["apple_private_key"] not in saved.text and "private_key_id" not in saved.text
    db_session.rollback()
    row = db_session.scalar(select(LoyaltyWalletSettings))
    assert secrets_box.is_encrypted(row.apple_private_key) and secrets_box.is_encrypted(row.google_service_account)
    assert secrets_box.reveal(row.apple_private_key).strip() == credentials["apple_private_key"].strip()

    # saving again with the secrets empty keeps them
    client.post(ADMIN_PAGE, data={**_settings(credentials), "csrf_token": csrf, "apple_private_key": "",
                                  "google_service_account": ""})
    db_session.rollback()
    assert db_session.scalar(select(LoyaltyWalletSettings)).apple_private_key == row.apple_private_key
    # the files themselves: Apple's .cer (DER) and the key in PEM
    cert_der = x509.load_pem_x509_certificate(credentials["apple_certificate_pem"].encode()).public_bytes(
        serialization.Encoding.DER)
    uploaded = client.post(ADMIN_PAGE, data={"csrf_token": csrf, "apple_pass_type_id": PASS_TYPE, "apple_team_id": TEAM,
                                             "google_issuer_id": ISSUER},
                           files={"apple_certificate_pem_file": ("pass.cer", cert_der, "application/pkix-cert"),
                                  "apple_private_key_file": ("key.pem", credentials["apple_private_key"].encode(),
                                                             "application/x-pem-file")}, follow_redirects=False)
    assert uploaded.status_code == 303, uploaded.text
    db_session.rollback()
    stored = db_session.scalar(select(LoyaltyWalletSettings))
    assert stored.apple_certificate_pem.strip() == credentials["apple_certificate_pem"].strip()
    junk = client.post(ADMIN_PAGE, data={"csrf_token": csrf},
                       files={"apple_certificate_pem_file": ("pass.cer", b"\x00junk", "application/pkix-cert")})
    assert junk.status_code == 422 and "This is not a PEM certificate." in junk.text
    # a platform admin of another platform cannot open it
    other = factories.platform(code="elsewhere")
    factories.login(client, factories.platform_admin(other))
    assert client.get(ADMIN_PAGE).status_code == 404


def test_a_signed_pkpass_whose_manifest_and_signature_verify(client, configured, db_session, credentials, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(_download(client, db_session)))
    names = set(archive.namelist())
    assert {"pass.json", "manifest.json", "signature", "icon.png", "icon@2x.png", "logo.png", "logo@2x.png"} <= names
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest) == names - {"manifest.json", "signature"}
    for name, digest in manifest.items():
        assert hashlib.sha1(archive.read(name)).hexdigest() == digest, name  # noqa: S324 - Apple's format

    data = json.loads(archive.read("pass.json"))
    card = configured.card
    assert data["serialNumber"] == card.code and data["passTypeIdentifier"] == PASS_TYPE
    assert data["teamIdentifier"] == TEAM and data["organizationName"] == configured.store.name
    assert data["barcodes"][0] == {**data["barcodes"][0], "format": "PKBarcodeFormatQR", "message": card.code}
    assert data["authenticationToken"] == wallet.authentication_token(card) and len(data["authenticationToken"]) >= 16
    assert data["webServiceURL"].endswith("/platforms/lux/storefront/bakery/api/v1/loyalty/passkit")
    fields = {f["key"]: f["value"] for group in data["storeCard"].values() for f in group}
    assert fields["stamps"] == card.stamps_balance and fields["points"] == card.points_balance

    for name in ("manifest.json", "signature"):
        (tmp_path / name).write_bytes(archive.read(name))
    (tmp_path / "ca.pem").write_bytes(credentials["ca"].public_bytes(serialization.Encoding.PEM))
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to check the signature"
    verified = subprocess.run(  # noqa: S603 - fixed arguments
        [openssl, "smime", "-verify", "-inform", "DER", "-binary", "-noverify", "-content",
         str(tmp_path / "manifest.json"), "-in", str(tmp_path / "signature"), "-out", str(tmp_path / "out")],
        capture_output=True, text=True, check=False)
    assert verified.returncode == 0, verified.stderr
    assert (tmp_path / "out").read_bytes() == archive.read("manifest.json")
    # the WWDR certificate rides along: the chain verifies against it as the trust anchor
    chained = subprocess.run(  # noqa: S603
        [openssl, "smime", "-verify", "-inform", "DER", "-binary", "-purpose", "any", "-CAfile",
         str(tmp_path / "ca.pem"), "-content", str(tmp_path / "manifest.json"), "-in", str(tmp_path / "signature"),
         "-out", str(tmp_path / "out2")], capture_output=True, text=True, check=False)
    assert chained.returncode == 0, chained.stderr
    # a tampered manifest fails
    (tmp_path / "manifest.json").write_bytes(archive.read("manifest.json").replace(b'"', b"'", 1))
    tampered = subprocess.run(  # noqa: S603
        [openssl, "smime", "-verify", "-inform", "DER", "-binary", "-noverify", "-content",
         str(tmp_path / "manifest.json"), "-in", str(tmp_path / "signature"), "-out", str(tmp_path / "out3")],
        capture_output=True, text=True, check=False)
    assert tampered.returncode != 0


def test_the_passkit_web_service(client, configured, db_session, factories):
    card = configured.card
    base = "/platforms/lux/storefront/bakery/api/v1/loyalty/passkit/v1"
    device = "d3v1c3library"
    register = f"{base}/devices/{device}/registrations/{PASS_TYPE}/{card.code}"
    auth = {"Authorization": f"ApplePass {wallet.authentication_token(card)}"}

    assert client.post(register, json={"pushToken": "abc"}).status_code == 401
    assert client.post(register, json={"pushToken": "abc"},
                       headers={"Authorization": "ApplePass wrong"}).status_code == 401
    assert client.post(register.replace(card.code, "NOSUCHCARD"), json={"pushToken": "abc"},
                       headers=auth).status_code == 401
    # another store of the platform does not know the card, token or not
    elsewhere = factories.store(configured.platform, code="pastry")
    db_session.commit()
    assert client.post(register.replace("/bakery/", f"/{elsewhere.code}/"), json={"pushToken": "abc"},
                       headers=auth).status_code == 401
    assert client.post(register, json={"pushToken": "abc"}, headers=auth).status_code == 201
    assert client.post(register, json={"pushToken": "abc2"}, headers=auth).status_code == 200
    row = db_session.scalar(select(LoyaltyPassRegistration))
    assert row.push_token == "abc2" and row.card_id == card.id

    listed = client.get(f"{base}/devices/{device}/registrations/{PASS_TYPE}")
    assert listed.status_code == 200 and listed.json()["serialNumbers"] == [card.code]
    tag = listed.json()["lastUpdated"]
    assert client.get(f"{base}/devices/{device}/registrations/{PASS_TYPE}",
                      params={"passesUpdatedSince": tag}).status_code == 204
    assert client.get(f"{base}/devices/other/registrations/{PASS_TYPE}").status_code == 404  # registered nothing

    latest = f"{base}/passes/{PASS_TYPE}/{card.code}"
    assert client.get(latest).status_code == 401
    assert client.get(latest, headers={"Authorization": "ApplePass nope"}).status_code == 401
    fetched = client.get(latest, headers=auth)
    assert fetched.status_code == 200 and fetched.headers["content-type"] == "application/vnd.apple.pkpass"
    modified = fetched.headers["last-modified"]
    assert client.get(latest, headers={**auth, "If-Modified-Since": modified}).status_code == 304

    # a balance change: the pass is listed again and served anew
    ledger.adjust(db_session, program=configured.program, card_id=card.id, stamps=2, points=0, reason="welcome",
                  counter=ledger.Counter(store_id=configured.store.id, staff_user_id=None),
                  at=datetime.now(UTC) + timedelta(seconds=2))
    db_session.rollback()
    changed = client.get(f"{base}/devices/{device}/registrations/{PASS_TYPE}", params={"passesUpdatedSince": tag})
    assert changed.status_code == 200 and changed.json()["serialNumbers"] == [card.code]
    assert changed.json()["lastUpdated"] != tag
    again = client.get(latest, headers={**auth, "If-Modified-Since": modified})
    assert again.status_code == 200
    fields = json.loads(zipfile.ZipFile(io.BytesIO(again.content)).read("pass.json"))["storeCard"]["primaryFields"]
    assert fields[0]["value"] == card.stamps_balance + 0 and fields[0]["value"] >= 2

    assert client.post(f"{base}/log", json={"logs": ["something failed"]}).status_code == 200
    assert client.delete(register).status_code == 401
    assert client.delete(register, headers=auth).status_code == 200
    db_session.rollback()
    assert db_session.scalar(select(LoyaltyPassRegistration)) is None
    assert client.get(f"{base}/devices/{device}/registrations/{PASS_TYPE}").status_code == 404


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_the_google_wallet_link_carries_a_verifiable_jwt(client, configured, db_session, credentials):
    sign_in(client)
    moved = client.get(sf("account/loyalty/google-wallet"), follow_redirects=False)
    assert moved.status_code == 303
    url = moved.headers["location"]
    assert url.startswith("https://pay.google.com/gp/v/save/")
    token = urlsplit(url).path.rsplit("/", 1)[1]
    header, claims, signature = token.split(".")
    public_key = credentials["google_public_key"]
    public_key.verify(_b64decode(signature), f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())
    with pytest.raises(InvalidSignature):
        public_key.verify(_b64decode(signature), f"{header}.{claims}x".encode(), padding.PKCS1v15(), hashes.SHA256())
    assert json.loads(_b64decode(header)) == {"alg": "RS256", "typ": "JWT", "kid": "k1"}
    body = json.loads(_b64decode(claims))
    assert body["aud"] == "google" and body["typ"] == "savetowallet"
    assert body["iss"] == "wallet@orion-test.iam.gserviceaccount.com"
    loyalty_object = body["payload"]["loyaltyObjects"][0]
    card = configured.card
    assert loyalty_object["id"] == f"{ISSUER}.{card.code}" and loyalty_object["accountId"] == card.code
    assert loyalty_object["classId"] == body["payload"]["loyaltyClasses"][0]["id"]
    assert loyalty_object["classId"].startswith(f"{ISSUER}.") and loyalty_object["state"] == "ACTIVE"
    assert loyalty_object["loyaltyPoints"]["balance"] == {"int": card.points_balance}
    assert loyalty_object["barcode"] == {"type": "QR_CODE", "value": card.code}


def test_the_store_logo_becomes_the_pass_images(configured, tmp_path):
    from PIL import Image

    logo = Path(tmp_path) / "logo.png"
    Image.new("RGB", (400, 100), (200, 30, 30)).save(logo)
    images = wallet.pass_images("Boulangerie", logo)
    with Image.open(io.BytesIO(images["logo@2x.png"])) as drawn:
        assert drawn.size == (320, 100) and drawn.getpixel((160, 50))[:3] == (200, 30, 30)
    with Image.open(io.BytesIO(wallet.pass_images("Boulangerie", None)["icon.png"])) as icon:
        assert icon.size == (29, 29)
