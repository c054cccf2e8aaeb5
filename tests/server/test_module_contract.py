"""Every discovered module keeps the contract: translations, permissions, paths."""

from __future__ import annotations

import pytest

from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.i18n import read_locale_file
from orion_server.modules import registry
from orion_server.modules.base import MenuItem

CODES = sorted(registry.MODULES)


@pytest.mark.parametrize("code", CODES)
def test_module_has_every_language_with_the_same_keys(code):
    """locales/{en,de,fr,lb}.json exist with identical keys."""
    module = registry.get_module(code)
    folder = module.resource_dir("locales")
    assert folder is not None, f"{code} has no locales folder"
    keys = {lang: set(read_locale_file(folder / f"{lang}.json")) for lang in SUPPORTED_LANGUAGES}
    for lang in SUPPORTED_LANGUAGES:
        assert keys[lang] == keys["en"], f"{code}/{lang}.json differs from en.json"


@pytest.mark.parametrize("code", CODES)
def test_module_texts_are_really_translated(code):
    """German, French and Luxembourgish are translations, not English copies: at most one text
    in ten may read as in English (names, "PayPal", "IBAN" and the like)."""
    module = registry.get_module(code)
    folder = module.resource_dir("locales")
    english = read_locale_file(folder / "en.json")
    for lang in SUPPORTED_LANGUAGES:
        if lang == "en":
            continue
        texts = read_locale_file(folder / f"{lang}.json")
        same = sorted(key for key, text in english.items() if texts.get(key) == text)
        assert len(same) <= max(1, len(english) // 10), f"{code}/{lang}.json copies English: {same}"


@pytest.mark.parametrize("code", CODES)
def test_module_permissions_are_prefixed_and_translated(code):
    """Each permission id starts with the module code and its label exists in English."""
    from orion_server.i18n import t

    module = registry.get_module(code)
    for permission in module.permissions:
        assert permission.id.startswith(f"{code}."), permission.id
        assert t(permission.label_key, "en") != permission.label_key, f"{permission.label_key} untranslated"


@pytest.mark.parametrize("code", CODES)
def test_module_menu_permissions_are_declared(code):
    """Menu items only use permissions declared by the module or what it requires."""
    module = registry.get_module(code)
    declared = module.permission_ids()
    for required in registry.requirements_of(code):
        declared |= registry.get_module(required).permission_ids()
    for items in module.menu_items.values():
        for item in items:
            if isinstance(item, MenuItem) and item.permission:
                assert item.permission in declared, f"{code} menu uses undeclared {item.permission}"


@pytest.mark.parametrize("code", CODES)
def test_module_definition_names_a_version_and_features(code):
    """code, name, description, version and features are filled in."""
    module = registry.get_module(code)
    assert module.name and module.description and module.version
    assert module.features
