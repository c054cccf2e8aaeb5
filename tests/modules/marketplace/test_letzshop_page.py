"""The Letzshop page's orders part: the connection form (field messages, the key never shown
back), "sync now" with its history, and a Letzshop order's page where staff confirm units and
send the tracking number."""

from __future__ import annotations

import re

from sqlalchemy import select

from modules.marketplace.models import LetzshopOrder, LetzshopSync
from modules.marketplace.services.letzshop_orders import letzshop_orders
from orion_server.models import AuditEntry
from tests.modules.marketplace.fake_letzshop import KEY, order, unit

PAGE = "/store/bakery/marketplace"


def _fresh(db):
    """See what the requests wrote (and let this session write again after them)."""
    db.commit()
    db.expire_all()


def _sync(client, csrf):
    return client.post(f"{PAGE}/letzshop/sync?lang=en", data={"csrf_token": csrf}, follow_redirects=True)


def test_the_connection_form_refuses_bad_fields_with_their_messages(client, db_session, factories):
    store = factories.shop(modules=("orders", "marketplace"), code="bakery")
    csrf = factories.owner(client, store)
    html = client.get(f"{PAGE}?lang=en").text
    assert "Orders from Letzshop" in html and "No order has come from Letzshop yet." in html
    assert "No sync has run yet." in html and "Save the API address and key first." in html

    empty = client.post(f"{PAGE}/letzshop/connection?lang=en", data={"csrf_token": csrf, "endpoint": "", "api_key": ""})
    assert empty.status_code == 422
    assert "Enter Letzshop&#39;s API address." in empty.text and "Enter the API key." in empty.text

    elsewhere = client.post(f"{PAGE}/letzshop/connection?lang=en",
                            data={"csrf_token": csrf, "endpoint": "https://intranet.example/graphql", "api_key": "short"})
    assert elsewhere.status_code == 422
    assert "The address must be on letzshop.lu, *.letzshop.lu." in elsewhere.text
    assert "The key has 8 to 500 characters and no spaces." in elsewhere.text
    assert 'value="https://intranet.example/graphql"' in elsewhere.text  # the form comes back as typed

    plain = client.post(f"{PAGE}/letzshop/connection?lang=fr",
                        data={"csrf_token": csrf, "endpoint": "http://letzshop.lu/graphql", "api_key": KEY})
    assert plain.status_code == 422 and "Saisissez une adresse en https://." in plain.text

    saved = client.post(f"{PAGE}/letzshop/connection?lang=en", follow_redirects=True,
                        data={"csrf_token": csrf, "endpoint": "https://letzshop.lu/graphql", "api_key": KEY})
    assert saved.status_code == 200 and "The Letzshop connection is saved." in saved.text
    assert KEY not in saved.text and "A key ending in …6789 is saved." in saved.text
    assert 'value="https://letzshop.lu/graphql"' in saved.text

    # an empty key keeps the stored one
    again = client.post(f"{PAGE}/letzshop/connection?lang=en", follow_redirects=True,
                        data={"csrf_token": csrf, "endpoint": "https://api.letzshop.lu/graphql", "api_key": ""})
    assert "The Letzshop connection is saved." in again.text
    _fresh(db_session)
    view = letzshop_orders.connection(db_session, store_id=store.id)
    assert (view.endpoint, view.key_hint) == ("https://api.letzshop.lu/graphql", "6789")
    entries = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "marketplace.letzshop.connection_saved")
                                 .order_by(AuditEntry.id)).all()
    assert [e.details["key_typed"] for e in entries] == [True, False]
    assert all(KEY not in str(e.details) for e in entries)


def test_sync_now_brings_the_orders_in_and_shows_the_history(client, db_session, factories, letzshop):
    fake, store = letzshop
    factories.product(store, "tarte", price=450, stock=3)
    fake.orders = [order("1001", unit("u1", "TARTE"), number="R-1001"), order("1002", unit("u2", "TARTE"))]
    csrf = factories.owner(client, store)

    page = _sync(client, csrf)

    assert page.status_code == 200 and "has run or is running" in page.text
    assert "R-1001" in page.text and "BAK-" in page.text and "To confirm" in page.text
    history = re.search(r'<tr id="sync-\d+">(.*?)</tr>', page.text, re.S).group(1)
    assert "Staff" in history and "Done" in history and ">2<" in history

    fake.hang_on_page = 0
    failed = _sync(client, csrf)
    assert "The sync with Letzshop stopped" in failed.text and "did not answer within 0.5 s" in failed.text
    fake.released.set()


def test_staff_confirm_units_and_send_the_tracking_number(client, db_session, factories, letzshop):
    fake, store = letzshop
    factories.product(store, "tarte", price=450, stock=3)
    fake.orders = [order("1001", unit("u1", "TARTE"), unit("u2", "TARTE"))]
    csrf = factories.owner(client, store)
    _sync(client, csrf)
    _fresh(db_session)
    record = db_session.scalar(select(LetzshopOrder).where(LetzshopOrder.store_id == store.id))
    url = f"{PAGE}/letzshop/orders/{record.id}"
    first, second = record.units

    page = client.get(f"{url}?lang=en").text
    assert "Set aside" in page and f'name="unit-{first.id}"' in page
    assert "Confirm every item first" in page

    nothing = client.post(f"{url}/confirm?lang=en", data={"csrf_token": csrf})
    assert nothing.status_code == 422 and "Choose available or unavailable for at least one item." in nothing.text

    done = client.post(f"{url}/confirm?lang=en", follow_redirects=True,
                       data={"csrf_token": csrf, f"unit-{first.id}": "available", f"unit-{second.id}": "unavailable"})
    assert done.status_code == 200 and "Letzshop has your answer for these items." in done.text
    assert re.search(r'id="lz-state">Confirmed<', done.text)
    assert fake.unit_state("u1") == "confirmed_available" and fake.unit_state("u2") == "confirmed_unavailable"

    blank = client.post(f"{url}/ship?lang=en", data={"csrf_token": csrf, "tracking_code": "",
                                                     "tracking_provider": "post_lu"})
    assert blank.status_code == 422 and "Enter the tracking number." in blank.text
    unknown = client.post(f"{url}/ship?lang=en", data={"csrf_token": csrf, "tracking_code": "LU1",
                                                       "tracking_provider": "pigeon"})
    assert unknown.status_code == 422 and "Choose a carrier from the list." in unknown.text

    shipped = client.post(f"{url}/ship?lang=de", follow_redirects=True,
                          data={"csrf_token": csrf, "tracking_code": "LU123", "tracking_provider": "post_lu"})
    assert "die Bestellung ist versandt" in shipped.text
    assert "Sendungsnummer LU123 (POST Luxembourg) an Letzshop übermittelt." in shipped.text
    assert fake.trackings == [{"shipmentId": "S1001", "code": "LU123", "provider": "post_lu"}]


def test_letzshop_failing_during_a_confirmation_is_told_on_the_page(client, db_session, factories, letzshop):
    fake, store = letzshop
    fake.orders = [order("1001", unit("u1", "TARTE"))]
    csrf = factories.owner(client, store)
    _sync(client, csrf)
    _fresh(db_session)
    record = db_session.scalar(select(LetzshopOrder).where(LetzshopOrder.store_id == store.id))
    fake.http_status = 503

    answer = client.post(f"{PAGE}/letzshop/orders/{record.id}/confirm?lang=fr",
                         data={"csrf_token": csrf, f"unit-{record.units[0].id}": "available"})

    assert answer.status_code == 502 and "Letzshop a répondu par l&#39;erreur 503." in answer.text
    _fresh(db_session)
    assert db_session.get(LetzshopOrder, record.id).units[0].state == "unconfirmed"


def test_the_lists_are_paginated(client, db_session, factories, letzshop):
    _fake, store = letzshop
    csrf = factories.owner(client, store)
    for _ in range(21):
        letzshop_orders.start_sync(db_session, store_id=store.id, trigger="schedule")
    page = client.get(f"{PAGE}?lang=en").text
    assert page.count('<tr id="sync-') == 20 and "1 / 2" in page
    second = client.get(f"{PAGE}?lang=en&syncs_page=2").text
    assert second.count('<tr id="sync-') == 1 and "2 / 2" in second
    assert csrf


def test_another_stores_letzshop_order_is_not_found(client, db_session, factories, letzshop):
    fake, store = letzshop
    fake.orders = [order("1001", unit("u1", "TARTE"))]
    csrf = factories.owner(client, store)
    _sync(client, csrf)
    _fresh(db_session)
    record = db_session.scalar(select(LetzshopOrder))
    other = factories.store(store.platform, code="grocer")
    other_csrf = factories.owner(client, other)

    assert client.get(f"/store/grocer/marketplace/letzshop/orders/{record.id}").status_code == 404
    assert client.post(f"/store/grocer/marketplace/letzshop/orders/{record.id}/confirm",
                       data={"csrf_token": other_csrf, f"unit-{record.units[0].id}": "available"}).status_code == 404


def test_the_orders_part_is_translated_and_guarded(client, db_session, factories, letzshop):
    _fake, store = letzshop
    factories.owner(client, store)
    assert "Bestellungen von Letzshop" in client.get(f"{PAGE}?lang=de").text
    assert "Commandes de Letzshop" in client.get(f"{PAGE}?lang=fr").text
    assert "Bestellunge vu Letzshop" in client.get(f"{PAGE}?lang=lb").text
    client.cookies.clear()
    _fresh(db_session)
    csrf = factories.login(client, factories.staff(store, permissions=["catalog.view"]))
    assert client.post(f"{PAGE}/letzshop/sync", data={"csrf_token": csrf}).status_code == 403
    assert client.post(f"{PAGE}/letzshop/connection", data={"csrf_token": csrf, "endpoint": "x"}).status_code == 403


def test_a_sync_without_connection_is_recorded_as_failed(db_session, factories):
    from modules.marketplace.tasks import run_sync

    store = factories.shop(modules=("orders", "marketplace"), code="bakery")
    assert run_sync(store.id) == "failed"
    _fresh(db_session)
    assert "no Letzshop connection" in db_session.scalar(select(LetzshopSync.error))
