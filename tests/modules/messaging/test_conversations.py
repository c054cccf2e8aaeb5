"""Customer ↔ store conversations through HTTP: the storefront account pages, the dashboard
pages, the store API, the staff notice, the reply e-mail and tenant isolation."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from modules.customers.services import customer_service
from modules.messaging.models import Conversation, ConversationMessage, EmailOutbox, Notification

PASSWORD = "a-long-secret-1"


def sf(platform, store, path: str = "") -> str:
    return f"/platforms/{platform.code}/storefront/{store.code}/{path}"


def make_customer(db, store, email="anna@example.lu", language="fr", **fields):
    return customer_service.register(
        db,
        store_id=store.id,
        email=email,
        password=PASSWORD,
        first_name=fields.pop("first_name", "Anna"),
        last_name=fields.pop("last_name", "Weber"),
        preferred_language=language,
    )


def sign_in(client, platform, store, email="anna@example.lu") -> str:
    """Sign a customer in through the login form; returns the CSRF token of their forms."""
    client.get(sf(platform, store, "account/login"))
    token = client.cookies["orion_csrf"]
    response = client.post(
        sf(platform, store, "account/login"),
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


@pytest.fixture
def staff_client(orion_app, clean_db):
    """A second browser for the store's staff (the customer uses ``client``)."""
    with TestClient(orion_app, base_url="http://testserver") as other:
        other.cookies.set("orion_lang", "en")
        yield other


@pytest.fixture
def anna(db_session, shop):
    """A French-speaking customer of the German store."""
    return make_customer(db_session, shop[1])


@pytest.fixture
def customer_csrf(client, shop, anna):
    """Anna signed in at the storefront (English pages)."""
    client.cookies.set("orion_lang", "en")
    return sign_in(client, *shop)


@pytest.fixture
def staff_csrf(staff_client, factories, shop):
    """The store's owner signed in on the dashboard."""
    return factories.login(staff_client, factories.staff(shop[1], role="owner"))


def start(client, shop, csrf, subject="Gluten-free bread?", body="Do you bake gluten-free bread?"):
    return client.post(
        sf(*shop, "account/messages/new"),
        data={"csrf_token": csrf, "subject": subject, "body": body},
        follow_redirects=False,
    )


def only_conversation(db) -> Conversation:
    db.rollback()
    db.expire_all()
    return db.query(Conversation).one()


def test_a_customer_writes_staff_are_told_answer_and_the_customer_gets_an_email(
    client, staff_client, db_session, shop, anna, customer_csrf, staff_csrf
):
    """The whole round trip: message → notice → unread count → reply → e-mail in French → read."""
    platform, store = shop
    response = start(client, shop, customer_csrf)
    assert response.status_code == 303
    conversation = only_conversation(db_session)
    assert response.headers["location"].endswith(f"account/messages/{conversation.id}?done=sent")
    assert (conversation.store_id, conversation.customer_id, conversation.status) == (store.id, anna.id, "open")

    notice = db_session.query(Notification).one()
    assert notice.store_id == store.id and notice.kind == "customer_message"
    assert "Anna Weber" in notice.title and "Gluten-free bread?" in notice.title
    assert notice.link == f"/store/bakery/messages/{conversation.id}"

    listing = staff_client.get("/store/bakery/messages")
    assert listing.status_code == 200
    assert "Gluten-free bread?" in listing.text and 'data-unread="1"' in listing.text
    assert "Unread messages: 1" in listing.text

    api = staff_client.get("/api/v1/store/bakery/messaging/conversations").json()
    assert api["unread"] == 1 and api["items"][0]["unread"] == 1 and api["items"][0]["customer_email"] == anna.email

    thread = staff_client.get(f"/store/bakery/messages/{conversation.id}")
    assert "Do you bake gluten-free bread?" in thread.text
    assert staff_client.get("/api/v1/store/bakery/messaging/conversations").json()["unread"] == 0

    reply = staff_client.post(
        f"/store/bakery/messages/{conversation.id}/reply",
        data={"csrf_token": staff_csrf, "body": "Oui, chaque vendredi.\nÀ bientôt !"},
        follow_redirects=False,
    )
    assert reply.status_code == 303

    db_session.rollback()
    email = db_session.query(EmailOutbox).filter_by(code="message_reply").one()
    assert (email.to_address, email.language, email.store_id) == (anna.email, "fr", store.id)
    assert email.subject == "Re : Gluten-free bread? – Bäckerei Dupont"
    assert "Bonjour Anna Weber" in email.body_text and "Oui, chaque vendredi." in email.body_text
    assert f"/account/messages/{conversation.id}" in email.body_text

    mine = client.get(sf(*shop, "account/messages"))
    assert "Nouvelles réponses : 1" in mine.text  # the customer's language
    page = client.get(sf(*shop, f"account/messages/{conversation.id}"))
    assert "Oui, chaque vendredi." in page.text and "Bäckerei Dupont" in page.text
    assert "Nouvelles réponses" not in client.get(sf(*shop, "account/messages")).text


def test_the_customer_writes_again_and_staff_close_and_reopen(
    client, staff_client, db_session, shop, customer_csrf, staff_csrf
):
    """Closing and reopening work; a customer writing in a closed conversation opens it again
    and the staff get another notice."""
    start(client, shop, customer_csrf)
    conversation = only_conversation(db_session)

    staff_client.post(f"/store/bakery/messages/{conversation.id}/close", data={"csrf_token": staff_csrf})
    assert only_conversation(db_session).status == "closed"
    closed = staff_client.get("/store/bakery/messages?status=closed").text
    assert "Gluten-free bread?" in closed
    assert "Gluten-free bread?" not in staff_client.get("/store/bakery/messages?status=open").text

    response = client.post(
        sf(*shop, f"account/messages/{conversation.id}/reply"),
        data={"csrf_token": customer_csrf, "body": "And on Saturdays?"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert only_conversation(db_session).status == "open"
    assert db_session.query(Notification).count() == 2
    assert db_session.query(ConversationMessage).filter_by(sender="customer").count() == 2

    staff_client.post(f"/store/bakery/messages/{conversation.id}/close", data={"csrf_token": staff_csrf})
    staff_client.post(f"/store/bakery/messages/{conversation.id}/reopen", data={"csrf_token": staff_csrf})
    assert only_conversation(db_session).status == "open"


@pytest.mark.parametrize(
    ("subject", "body", "field_message", "kept"),
    [
        ("Question", "   ", "Écrivez un message.", "Question"),
        ("", "Some words", "Saisissez un objet.", "Some words"),
        ("x" * 201, "Some words", "Utilisez au plus 200 caractères.", "Some words"),
        ("Question", "y" * 5001, "Utilisez au plus 5000 caractères.", "Question"),
    ],
)
def test_bad_input_comes_back_with_the_field_message_and_what_was_typed(
    client, db_session, shop, customer_csrf, subject, body, field_message, kept
):
    """An empty or too long field: 422, the field's message in the customer's language (French),
    the typed text kept, nothing saved."""
    response = start(client, shop, customer_csrf, subject=subject, body=body)

    assert response.status_code == 422
    assert field_message in response.text
    assert kept in response.text
    db_session.rollback()
    assert db_session.query(Conversation).count() == 0


def test_an_empty_staff_reply_keeps_the_page_and_sends_nothing(
    client, staff_client, db_session, shop, customer_csrf, staff_csrf
):
    """The dashboard shows the message on the field; no email is queued."""
    start(client, shop, customer_csrf)
    conversation = only_conversation(db_session)

    response = staff_client.post(
        f"/store/bakery/messages/{conversation.id}/reply", data={"csrf_token": staff_csrf, "body": "  "}
    )

    assert response.status_code == 422
    assert "Write a message." in response.text
    db_session.rollback()
    assert db_session.query(EmailOutbox).count() == 0


def test_the_account_pages_need_a_signed_in_customer(client, shop):
    """Anonymous visitors are sent to the login form."""
    response = client.get(sf(*shop, "account/messages"), follow_redirects=False)

    assert response.status_code in (302, 303)
    assert "account/login" in response.headers["location"]


def test_another_customers_and_another_stores_conversations_are_404(
    client, staff_client, factories, db_session, shop, customer_csrf, staff_csrf
):
    """Ben cannot read Anna's conversation; another store's staff and API get 404."""
    platform, store = shop
    start(client, shop, customer_csrf)
    conversation = only_conversation(db_session)

    make_customer(db_session, store, email="ben@example.lu", first_name="Ben")
    with TestClient(client.app, base_url="http://testserver") as ben:
        ben_csrf = sign_in(ben, platform, store, email="ben@example.lu")
        assert ben.get(sf(*shop, f"account/messages/{conversation.id}")).status_code == 404
        stolen = ben.post(
            sf(*shop, f"account/messages/{conversation.id}/reply"), data={"csrf_token": ben_csrf, "body": "hi"}
        )
        assert stolen.status_code == 404
        assert "Gluten-free bread?" not in ben.get(sf(*shop, "account/messages")).text

    other = factories.store(platform, code="books", name="Books")
    with TestClient(client.app, base_url="http://testserver") as rival:
        csrf = factories.login(rival, factories.staff(other, role="owner"))
        assert rival.get(f"/store/books/messages/{conversation.id}").status_code == 404
        api = f"/api/v1/store/books/messaging/conversations/{conversation.id}"
        assert rival.get(api).status_code == 404
        posted = rival.post(f"{api}/messages", json={"body": "hi"}, headers={"x-csrf-token": csrf})
        assert posted.status_code == 404
        assert rival.get("/api/v1/store/books/messaging/conversations").json()["items"] == []
    db_session.rollback()
    assert db_session.query(ConversationMessage).count() == 1


def test_the_store_api_lists_reads_and_answers_with_422s(
    client, staff_client, db_session, shop, anna, customer_csrf, staff_csrf
):
    """GET list/one, POST an answer (201, e-mailed), 422 for an empty or too long answer."""
    start(client, shop, customer_csrf)
    conversation = only_conversation(db_session)
    base = "/api/v1/store/bakery/messaging/conversations"
    headers = {"x-csrf-token": staff_csrf}

    one = staff_client.get(f"{base}/{conversation.id}").json()
    assert one["subject"] == "Gluten-free bread?" and one["unread"] == 1
    assert [m["sender"] for m in one["messages"]] == ["customer"]

    empty = staff_client.post(f"{base}/{conversation.id}/messages", json={"body": " "}, headers=headers)
    assert empty.status_code == 422 and empty.json()["field"] == "body"
    too_long = staff_client.post(f"{base}/{conversation.id}/messages", json={"body": "z" * 5001}, headers=headers)
    assert too_long.status_code == 422
    missing = staff_client.post(f"{base}/{conversation.id}/messages", json={}, headers=headers)
    assert missing.status_code == 422
    assert staff_client.get(f"{base}?status=archived").status_code == 422

    answered = staff_client.post(f"{base}/{conversation.id}/messages", json={"body": "Yes!"}, headers=headers)
    assert answered.status_code == 201 and answered.json()["sender"] == "staff"
    closed = staff_client.post(f"{base}/{conversation.id}/status", json={"status": "closed"}, headers=headers)
    assert closed.json()["status"] == "closed"
    assert [m["body"] for m in staff_client.get(f"{base}/{conversation.id}").json()["messages"]] == [
        "Do you bake gluten-free bread?",
        "Yes!",
    ]
    db_session.rollback()
    assert db_session.query(EmailOutbox).filter_by(code="message_reply", to_address=anna.email).count() == 1


def test_staff_without_the_messaging_permission_cannot_see_conversations(
    staff_client, factories, shop
):
    """A member without messaging.view gets 403 on the list and the API."""
    factories.login(staff_client, factories.staff(shop[1], permissions=["orders.view"]))

    assert staff_client.get("/store/bakery/messages").status_code == 403
    assert staff_client.get("/api/v1/store/bakery/messaging/conversations").status_code == 403



def test_the_account_page_links_to_the_messages(client, shop, customer_csrf):
    """The customer finds their messages from the account page."""
    html = client.get(sf(*shop, "account/")).text

    assert f'href="{sf(*shop, "account/messages")}"' in html
    assert "Mes messages" in html
