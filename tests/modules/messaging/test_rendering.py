"""Rendering email templates: built-in texts, overrides, languages, variables and the sandbox."""

from __future__ import annotations

import pytest

from modules.messaging.models import EmailTemplate
from modules.messaging.services import email_service
from modules.messaging.templates_builtin import BUILTIN_TEMPLATES
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.errors import ValidationError
from tests.modules.messaging.conftest import ORDER_VARIABLES


def render(db, platform, store=None, code="order_confirmation", language="de", variables=None):
    return email_service.render(
        db,
        platform_id=platform.id,
        store_id=store.id if store else None,
        code=code,
        language=language,
        variables=variables if variables is not None else ORDER_VARIABLES,
    )


def test_every_builtin_template_renders_its_samples_in_every_language(db_session, shop):
    """Each code has a real text in en, de, fr and lb that renders with its sample values."""
    platform, store = shop
    subjects = set()
    for code, spec in BUILTIN_TEMPLATES.items():
        for lang in SUPPORTED_LANGUAGES:
            subject, html, text = render(db_session, platform, store, code, lang, spec.sample)
            assert subject and html and text
            subjects.add(subject)
    assert len(subjects) >= len(BUILTIN_TEMPLATES) * 3  # translated, not English copies


def test_the_german_order_confirmation_formats_money_in_german(db_session, shop):
    """The German email says "Bestellung" and shows 11,90 €."""
    subject, html, text = render(db_session, *shop)

    assert subject == "Ihre Bestellung B-1001 bei Bäckerei Dupont"
    assert "11,90\xa0€" in text
    assert "Versand: 4,90\xa0€" in text
    assert "Zwischensumme" not in text  # optional value not given


def test_html_is_escaped_but_the_text_body_is_not(db_session, shop):
    """A customer name with markup is escaped in HTML only."""
    variables = {**ORDER_VARIABLES, "customer_name": "<b>Anna</b>"}

    _subject, html, text = render(db_session, *shop, variables=variables)

    assert "&lt;b&gt;Anna&lt;/b&gt;" in html
    assert "<b>Anna</b>" in text


def test_a_store_template_beats_the_platform_one_which_beats_the_builtin(db_session, shop, factories):
    """Store override > platform template > built-in, and only for that store."""
    platform, store = shop
    other = factories.store(platform, code="other-shop", default_language="de")
    email_service.save_template(
        db_session, platform_id=platform.id, store_id=None, code="welcome", language="de",
        subject="Plattform: {{ store_name }}", body_html="<p>{{ customer_name }}</p>", body_text="{{ customer_name }}",
    )
    email_service.save_template(
        db_session, platform_id=platform.id, store_id=store.id, code="welcome", language="de",
        subject="Laden: {{ store_name }}", body_html="<p>{{ customer_name }}</p>", body_text="{{ customer_name }}",
    )
    variables = {"customer_name": "Anna", "store_name": "Dupont"}

    assert render(db_session, platform, store, "welcome", "de", variables).subject == "Laden: Dupont"
    assert render(db_session, platform, other, "welcome", "de", variables).subject == "Plattform: Dupont"
    assert render(db_session, platform, other, "welcome", "fr", variables).subject == "Bienvenue chez Dupont"


def test_the_language_is_the_customers_then_the_stores_then_the_platforms(db_session, shop):
    """customer → store → platform, English when none is supported."""
    platform, store = shop

    assert email_service.choose_language(db_session, platform_id=platform.id, store_id=store.id, customer_language="lb") == "lb"
    assert email_service.choose_language(db_session, platform_id=platform.id, store_id=store.id, customer_language="es") == "de"
    assert email_service.choose_language(db_session, platform_id=platform.id, store_id=None) == platform.default_language
    assert render(db_session, platform, store, language=None).subject.startswith("Ihre Bestellung")


def test_a_missing_required_value_is_a_clear_validation_error(db_session, shop):
    """Forgetting the order number names it."""
    variables = {k: v for k, v in ORDER_VARIABLES.items() if k != "order_number"}

    with pytest.raises(ValidationError, match="order_number"):
        render(db_session, *shop, variables=variables)


def test_a_stored_template_with_an_unknown_variable_fails_clearly(db_session, shop):
    """A template written straight into the table with an unknown name is refused at render."""
    platform, store = shop
    db_session.add(EmailTemplate(
        platform_id=platform.id, store_id=store.id, code="order_confirmation", language="de",
        subject="{{ secret_key }}", body_html="{{ order_number }}", body_text="{{ order_number }}",
    ))
    db_session.commit()

    with pytest.raises(ValidationError, match="secret_key"):
        render(db_session, platform, store)


@pytest.mark.parametrize(
    "body",
    [
        "{{ customer_name.__class__.__mro__ }}",
        "{{ customer_name.format.__globals__ }}",
        "{{ order_number }}{% for x in items %}{{ x.__class__.__subclasses__() }}{% endfor %}",
    ],
)
def test_the_sandbox_refuses_to_reach_python_internals(db_session, shop, body):
    """Unsafe attribute access in a template is a validation error, never a leak."""
    with pytest.raises(ValidationError):
        email_service.preview(
            code="order_confirmation", language="en", subject="Hi", body_html=body, body_text="{{ order_number }}"
        )


def test_an_edited_reset_email_must_keep_its_link(db_session, shop):
    """A password reset template without reset_url is refused."""
    with pytest.raises(ValidationError, match="reset_url"):
        email_service.preview(
            code="password_reset", language="en", subject="Reset", body_html="<p>Hello</p>", body_text="Hello"
        )


def test_an_unknown_template_code_is_a_validation_error(db_session, shop):
    """Asking for a code that does not exist says so."""
    with pytest.raises(ValidationError, match="nope"):
        render(db_session, *shop, code="nope")
