"""A store's settings page: owners change the name, contact details, address, languages, VAT
number (checked by python-stdnum) and logo; managers read them; bad input is shown field by
field and nothing is lost; every change is in the audit log with before and after."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from orion_server.models import AuditEntry, Store

EN = {"accept-language": "en"}


@pytest.fixture
def store(factories, main_platform):
    return factories.store(main_platform, code="bakery", name="Bakery")


def _form(**changes):
    form = {"name": "Boulangerie Dupont", "contact_email": "Bonjour@Dupont.lu", "contact_phone": "+352 26 37 52 45",
            "address": "12, rue du Marché\nL-1728 Luxembourg", "vat_number": "LU 2637 5245",
            "languages": ["fr", "de", "en"], "default_language": "fr"}
    form.update(changes)
    return form


def _png(width=800, height=300) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_owner_saves_the_details_and_the_audit_keeps_before_and_after(client, store, owner, db_session):
    saved = client.post("/store/bakery/settings", data={**_form(), "csrf_token": owner}, headers=EN,
                        follow_redirects=False)
    assert saved.status_code == 303
    db_session.rollback()
    row = db_session.get(Store, store.id)
    assert (row.name, row.contact_email, row.vat_number) == ("Boulangerie Dupont", "bonjour@dupont.lu", "LU26375245")
    assert row.address == "12, rue du Marché\nL-1728 Luxembourg"
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "store.update"))
    assert entry.details["before"]["name"] == "Bakery" and entry.details["after"]["vat_number"] == "LU26375245"
    page = client.get("/store/bakery/settings", headers=EN)
    assert "LU26375245" in page.text and "Boulangerie Dupont" in page.text


def test_every_bad_field_is_named_and_the_typed_values_stay(client, store, owner, db_session):
    response = client.post("/store/bakery/settings", headers=EN, data={
        **_form(name="", contact_email="not-mail", vat_number="LU12345678", languages=["de"],
                default_language="fr"), "csrf_token": owner})
    assert response.status_code == 422
    text = response.text
    assert "Enter a name" in text and "valid e-mail address" in text
    assert "not a valid EU VAT number" in text and "must be one of the store" in text
    assert 'value="not-mail"' in text and "LU12345678" in text
    db_session.rollback()
    assert db_session.get(Store, store.id).name == "Bakery"


def test_a_logo_is_scaled_served_to_the_storefront_and_removed(client, store, owner, db_session):
    uploaded = client.post("/store/bakery/settings/logo", headers=EN, follow_redirects=False,
                           data={"csrf_token": owner}, files={"logo": ("logo.png", _png(), "image/png")})
    assert uploaded.status_code == 303
    db_session.rollback()
    logo = db_session.get(Store, store.id).logo_file
    assert logo and logo.endswith(".webp")
    shop = client.get("/platforms/" + store.platform.code + "/storefront/bakery/", headers=EN)
    assert f"logo?v={logo}" in shop.text
    served = client.get(f"/platforms/{store.platform.code}/storefront/bakery/logo")
    assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
    assert max(Image.open(io.BytesIO(served.content)).size) == 512
    removed = client.post("/store/bakery/settings/logo/remove", data={"csrf_token": owner}, follow_redirects=False)
    assert removed.status_code == 303
    assert client.get(f"/platforms/{store.platform.code}/storefront/bakery/logo").status_code == 404


@pytest.mark.parametrize("payload, message", [
    (b"", "Choose a picture file"),
    (b"%PDF-1.4 not a picture", "Use a PNG, JPEG or WebP picture"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "cannot be read"),
])
def test_a_bad_logo_is_refused_with_a_message(client, store, owner, db_session, payload, message):
    response = client.post("/store/bakery/settings/logo", headers=EN, data={"csrf_token": owner},
                           files={"logo": ("logo.png", payload, "image/png")})
    assert response.status_code == 422 and message in response.text
    db_session.rollback()
    assert db_session.get(Store, store.id).logo_file is None


def test_a_manager_reads_the_settings_but_cannot_change_them(client, store, factories):
    csrf = factories.login(client, factories.staff(store, role="manager"))
    page = client.get("/store/bakery/settings", headers=EN)
    assert page.status_code == 200 and "an owner, or a role" in page.text and "disabled" in page.text
    refused = client.post("/store/bakery/settings", data={**_form(), "csrf_token": csrf}, headers=EN)
    assert refused.status_code == 403
    assert client.post("/store/bakery/settings/logo/remove", data={"csrf_token": csrf}).status_code == 403
