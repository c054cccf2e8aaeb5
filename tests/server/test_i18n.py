"""Translations with fallbacks, language negotiation, and Babel formatting per locale."""

from __future__ import annotations

from datetime import UTC, date, datetime

from orion_server.i18n import choose_language, format_date, format_money, parse_accept_language, t

ALL = ("en", "de", "fr", "lb")


def test_translation_in_the_asked_language():
    """t() returns the text of the asked language."""
    assert t("auth.login", "de") == "Anmelden"
    assert t("auth.login", "lb") == "Umellen"


def test_translation_falls_back_to_english_then_to_the_key():
    """A missing language falls back to en; an unknown key returns the key."""
    assert t("auth.login", "xx") == "Sign in"
    assert t("no.such.key", "fr") == "no.such.key"


def test_translation_fills_placeholders():
    """Named parameters fill {placeholders}."""
    assert t("auth.login_title", "fr", name="Orion") == "Connexion à Orion"


def test_module_locales_are_merged_into_the_catalogue():
    """Keys from module locale files are available."""
    assert t("catalog.permissions.view", "en") == "View products"


def test_language_order_url_cookie_accept_default():
    """The URL beats the cookie, which beats Accept-Language, which beats the default."""
    assert choose_language(allowed=ALL, url_language="de", cookie_language="fr") == "de"
    assert choose_language(allowed=ALL, cookie_language="fr", accept_language="de") == "fr"
    assert choose_language(allowed=ALL, accept_language="de-LU,de;q=0.9") == "de"
    assert choose_language(allowed=ALL, accept_language="ja", default="lb") == "lb"


def test_accept_language_respects_quality():
    """The highest quality allowed language wins."""
    assert parse_accept_language("en;q=0.2, fr;q=0.9, de;q=0.5", ALL) == "fr"
    assert parse_accept_language("es, it", ALL) is None


def test_money_is_formatted_per_locale():
    """EUR amounts follow each language's conventions in Luxembourg (CLDR fr_LU groups with a dot)."""
    assert format_money(123456, "fr").replace("\xa0", " ") == "1.234,56 €"
    assert format_money(123456, "de").replace("\xa0", " ") == "1.234,56 €"
    assert format_money(123456, "en") == "€1,234.56"
    assert format_money(123456, "lb").replace("\xa0", " ") == "1.234,56 €"
    assert format_money(5, "de").replace("\xa0", " ") == "0,05 €"


def test_dates_are_formatted_per_locale():
    """Dates use the language's month names."""
    assert "März" in format_date(date(2026, 3, 5), "de", "long")
    assert "mars" in format_date(datetime(2026, 3, 5, tzinfo=UTC), "fr", "long")
