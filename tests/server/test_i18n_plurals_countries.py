"""Plural forms in the catalogue (``{"one": ..., "other": ...}`` chosen by CLDR's rules for the
language and ``count``) and country names (the ``country`` template filter)."""

from __future__ import annotations

import json

import pytest

from orion_server.i18n import (
    catalogue,
    country_name,
    format_number,
    plural_form,
    read_locale_file,
    t,
)
from orion_server.templating import environment

ALL = ("en", "de", "fr", "lb")
FORMS = {
    "en": {"one": "{count} loaf", "other": "{count} loaves"},
    "de": {"one": "{count} Brot", "other": "{count} Brote"},
    "fr": {"one": "{count} pain", "other": "{count} pains"},
    "lb": {"one": "{count} Brout", "other": "{count} Brouter"},
}


@pytest.fixture
def loaves():
    """``test.loaves`` with plural forms in every language, ``test.only_en`` in English only,
    ``test.flat`` a plain text with a count; removed afterwards."""
    added: dict[str, list[str]] = {}
    for lang in ALL:
        messages = catalogue.messages[lang]
        entries = {f"test.loaves.{form}": text for form, text in FORMS[lang].items()}
        entries["test.flat"] = "{count} x"
        if lang == "en":
            entries.update({"test.only_en.one": "{count} thing", "test.only_en.other": "{count} things"})
        if lang == "de":
            entries["test.only_other.other"] = "{count} Stück"
        messages.update(entries)
        added[lang] = list(entries)
    yield
    for lang, keys in added.items():
        for key in keys:
            catalogue.messages[lang].pop(key, None)


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "1 loaf"), ("en", 0, "0 loaves"), ("en", 2, "2 loaves"),
        ("de", 1, "1 Brot"), ("de", 0, "0 Brote"), ("de", 5, "5 Brote"),
        ("fr", 1, "1 pain"), ("fr", 0, "0 pain"), ("fr", 2, "2 pains"),
        ("lb", 1, "1 Brout"), ("lb", 0, "0 Brouter"), ("lb", 3, "3 Brouter"),
    ],
)
def test_the_plural_form_follows_the_languages_rules(loaves, language, count, expected):
    assert t("test.loaves", language, count=count) == expected


def test_a_numeric_count_is_written_the_languages_way(loaves):
    assert t("test.loaves", "en", count=1234) == "1,234 loaves"
    assert t("test.loaves", "de", count=1234) == f"{format_number(1234, 'de')} Brote"
    assert t("test.loaves", "fr", count=1_000_000) == f"{format_number(1_000_000, 'fr')} pains"  # "many" -> other
    assert t("test.loaves", "de", count="1") == "1 Brot"  # a count already written as text


def test_missing_forms_fall_back_to_other_then_to_english_then_to_the_key(loaves):
    assert t("test.only_other", "de", count=1) == "1 Stück"
    assert t("test.only_en", "fr", count=1) == "1 thing"
    assert t("test.only_en", "fr", count=3) == "3 things"
    assert t("test.nothing", "de", count=1) == "test.nothing"
    assert t("test.flat", "de", count=1) == "1 x"  # a plain text takes a count as before


def test_plural_forms_read_from_a_locale_file(tmp_path):
    path = tmp_path / "de.json"
    path.write_text(json.dumps({"orders.count": {"one": "{count} Bestellung", "other": "{count} Bestellungen"}}))
    assert read_locale_file(path) == {
        "orders.count.one": "{count} Bestellung",
        "orders.count.other": "{count} Bestellungen",
    }


def test_plural_categories_per_language():
    assert [plural_form(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [plural_form(n, "fr") for n in (0, 1, 2)] == ["one", "one", "other"]
    assert plural_form("not a number", "de") == "other"
    assert plural_form(True, "de") == "other"


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [("en", "1 order", "3 orders"), ("de", "1 Bestellung", "3 Bestellungen"),
     ("fr", "1 commande", "3 commandes"), ("lb", "1 Bestellung", "3 Bestellungen")],
)
def test_the_order_counts_have_a_singular(language, one, many):
    for key in ("orders.account.count", "orders.list.count"):
        assert t(key, language, count=1) == one
        assert t(key, language, count=3) == many


def test_country_names_in_each_language():
    assert [country_name("LU", lang) for lang in ALL] == ["Luxembourg", "Luxemburg", "Luxembourg", "Lëtzebuerg"]
    assert country_name("de", "fr") == "Allemagne"
    assert country_name("QQ", "de") == "QQ"
    assert country_name(None, "de") == ""


def test_the_country_filter_uses_the_pages_language():
    template = environment.from_string("{{ code|country }}")
    assert template.render(code="BE", current_language="de") == "Belgien"
    assert template.render(code="BE", current_language="lb") == country_name("BE", "lb")
    assert template.render(code="", current_language="de") == ""
