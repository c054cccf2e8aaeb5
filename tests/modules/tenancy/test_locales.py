"""Every text of the tenancy admin is translated into English, German, French and Luxembourgish."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

MODULE = Path(__file__).resolve().parents[3] / "modules" / "tenancy"
LANGUAGES = ("en", "de", "fr", "lb")
KEY_IN_CODE = re.compile(r"""["'](tenancy\.[a-z_]+\.[a-z_]+)["']""")
DYNAMIC_KEYS = {
    *(
        f"tenancy.modules.tier_{tier}{suffix}"
        for tier in ("core", "optional", "internal")
        for suffix in ("", "_hint")
    ),
    *(f"tenancy.modules.tier_badge_{tier}" for tier in ("core", "optional", "internal")),
    *(
        f"tenancy.{key}_{action}"
        for action in ("enable", "disable")
        for key in (
            "modules.nothing_to",
            "modules.cascade",
            "modules.list_intro",
            "modules.because",
        )
    ),
    *(
        f"tenancy.modules.confirm_{a}_{p}"
        for a in ("enable", "disable")
        for p in ("title", "question", "button")
    ),
    "tenancy.flash.modules_enabled",
    "tenancy.flash.modules_disabled",
}
"""Keys the templates and routes build from parts (``'tenancy.modules.tier_' ~ tier``)."""


def _catalogue(language: str) -> dict[str, str]:
    return json.loads((MODULE / "locales" / f"{language}.json").read_text(encoding="utf-8"))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_locale_has_exactly_the_english_keys(language):
    """de, fr and lb have the same keys as en.json, no more and no fewer."""
    assert set(_catalogue(language)) == set(_catalogue("en"))


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_translations_keep_the_placeholders_and_are_not_english(language):
    """Each translation uses the English text's placeholders, and nearly all differ from it."""
    english, translated = _catalogue("en"), _catalogue(language)
    for key, text in english.items():
        assert _placeholders(translated[key]) == _placeholders(text), key
    same = [key for key, text in english.items() if translated[key] == text]
    assert len(same) < len(english) * 0.1, same


def test_every_key_the_code_uses_exists():
    """Each tenancy.* key written in the templates, routes, services or definition is in en.json."""
    used = set(DYNAMIC_KEYS)
    for path in [*MODULE.rglob("*.py"), *MODULE.rglob("*.html")]:
        used |= set(KEY_IN_CODE.findall(path.read_text(encoding="utf-8")))
    from modules.tenancy.definition import tenancy_module

    used -= tenancy_module.permission_ids()  # ids such as tenancy.stores.view, not texts
    missing = sorted(key for key in used if key not in _catalogue("en") and not key.endswith("_"))
    assert missing == []


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("de", ["Plattform anlegen", "Plattformen", "Standardsprache"]),
        ("fr", ["Créer une plateforme", "Plateformes", "Langue par défaut"]),
        ("lb", ["Plattform uleeën", "Butteker", "Standardsprooch"]),
    ],
)
def test_the_admin_pages_speak_the_chosen_language(client, csrf, language, texts):
    """With ?lang= the platforms page, its menu and its form are translated."""
    page = client.get("/admin/platforms", params={"lang": language}).text
    for text in texts:
        assert text in page


def test_form_errors_are_translated_too(client, csrf):
    """A service error reaches a German page in German."""
    client.cookies.set("orion_lang", "de")
    response = client.post(
        "/admin/platforms", data={"code": "admin", "name": "", "csrf_token": csrf}
    )
    assert response.status_code == 422
    assert "„admin“ ist von Orion reserviert" in response.text
    assert "Geben Sie einen Namen ein." in response.text
