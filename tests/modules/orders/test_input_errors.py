"""The orders' input errors name a field and a translation key; the routes translate them."""

from __future__ import annotations

import pytest

from modules.orders.exceptions import OrdersInputError, TransitionNotAllowedError, field_messages
from modules.orders.services import order_service
from tests.modules.orders.conftest import BREAD

LANGUAGES = ("en", "de", "fr", "lb")


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"lines": []}, "orders.errors.lines_required"),
        ({"lines": [{**BREAD, "quantity": "two"}]}, "orders.errors.whole_number"),
        ({"lines": [{**BREAD, "vat_rate": 19}]}, "orders.errors.one_of"),
        ({"customer": {"email": "not-an-address"}}, "orders.errors.email_invalid"),
        ({"discount_cents": 999_999}, "orders.errors.discount_too_large"),
        ({"status": "shipped"}, "orders.errors.initial_status"),
    ],
)
def test_order_rules_raise_keys_with_a_message_in_every_language(shop, place, change, key):
    with pytest.raises(OrdersInputError) as caught:
        place(shop[1], **change)

    assert [p.key for p in caught.value.problems] == [key]
    for language in LANGUAGES:
        message = next(iter(field_messages(caught.value, language).values()))
        assert message and not message.startswith("orders.errors."), (language, message)


def test_the_api_message_of_an_order_rule_stays_in_english(shop, place):
    with pytest.raises(OrdersInputError) as caught:
        place(shop[1], lines=[{**BREAD, "quantity": 0}])

    assert caught.value.to_dict()["fields"] == [
        {"field": "lines.0.quantity", "message": "must be between 1 and 10000"}
    ]


def test_a_refused_move_names_the_statuses_in_the_staff_member_s_words(shop, place, db_session):
    order = place(shop[1])

    with pytest.raises(TransitionNotAllowedError) as caught:
        order_service.change_status(
            db_session, order_id=order.id, store_id=shop[1].id, to="shipped"
        )

    assert "pending_payment" in caught.value.message  # the API's message keeps the codes
    assert field_messages(caught.value, "de") == {
        "to": "Eine Bestellung kann nicht von „Zahlung ausstehend“ zu „Versandt“ wechseln."
    }


def test_notes_and_unknown_statuses_are_keys_the_dashboard_translates(shop, place, db_session):
    order = place(shop[1])

    with pytest.raises(OrdersInputError) as empty:
        order_service.add_note(db_session, order_id=order.id, store_id=shop[1].id, body=" ")
    with pytest.raises(OrdersInputError) as unknown:
        order_service.change_status(db_session, order_id=order.id, store_id=shop[1].id, to="lost")

    assert field_messages(empty.value, "fr") == {"body": "Écrivez la note avant de l'enregistrer."}
    assert unknown.value.problems[0].key == "orders.errors.status_unknown"
