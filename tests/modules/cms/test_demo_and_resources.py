"""Demo content and translations of the Content module."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import func, select

from modules.cms import demo
from modules.cms.models import ContentPage

MODULE = Path(demo.__file__).parent
LANGUAGES = ("en", "de", "fr", "lb")


def _demo_platform(factories):
    platform = factories.platform(code="demo", name="Letzshop Demo")
    languages = ["fr", "de", "en", "lb"]
    stores = [
        factories.store(platform, code="boulangerie-dupont", languages=languages),
        factories.store(platform, code="librairie-ernster", languages=languages),
    ]
    return platform, stores


def test_the_demo_creates_about_delivery_and_legal_notice_in_four_languages(
    client, factories, db_session
):
    """Three published platform pages with en/de/fr/lb text, and the bakery's own About page."""
    platform, stores = _demo_platform(factories)

    lines = demo.load_demo(db_session, platform, stores)

    assert len(lines) == 4
    root = "/platforms/demo/storefront"
    assert "Impressum" in client.get(f"{root}/librairie-ernster/pages/legal-notice?lang=de").text
    assert (
        "Mentions légales"
        in client.get(f"{root}/librairie-ernster/pages/legal-notice?lang=fr").text
    )
    assert "Liwwerung" in client.get(f"{root}/librairie-ernster/pages/delivery?lang=lb").text
    assert "Eis Bäckerei" in client.get(f"{root}/boulangerie-dupont/pages/about?lang=lb").text
    assert "Iwwer eis" in client.get(f"{root}/librairie-ernster/pages/about?lang=lb").text
    for page in db_session.scalars(select(ContentPage)):
        assert sorted(tr.language for tr in page.translations) == sorted(LANGUAGES)


def test_running_the_demo_twice_adds_nothing(factories, db_session):
    """load_demo is idempotent."""
    platform, stores = _demo_platform(factories)
    demo.load_demo(db_session, platform, stores)

    assert demo.load_demo(db_session, platform, stores) == []
    assert db_session.scalar(select(func.count()).select_from(ContentPage)) == 4


def test_every_locale_file_has_the_same_keys():
    """en, de, fr and lb define exactly the same keys, none left empty."""
    catalogues = {
        lang: json.loads((MODULE / "locales" / f"{lang}.json").read_text("utf-8"))
        for lang in LANGUAGES
    }

    for lang, messages in catalogues.items():
        assert set(messages) == set(catalogues["en"]), lang
        assert all(text.strip() for text in messages.values()), lang


def test_translations_are_real_translations_not_english_copies():
    """Most German, French and Luxembourgish texts differ from the English ones."""
    en = json.loads((MODULE / "locales" / "en.json").read_text("utf-8"))
    for lang in ("de", "fr", "lb"):
        other = json.loads((MODULE / "locales" / f"{lang}.json").read_text("utf-8"))
        same = [key for key in en if en[key] == other[key]]
        assert len(same) < len(en) * 0.1, (lang, same)


def test_every_key_used_by_templates_and_code_exists():
    """Each cms.* key named in the templates and Python files is in en.json."""
    en = json.loads((MODULE / "locales" / "en.json").read_text("utf-8"))
    used: set[str] = set()
    for path in list(MODULE.rglob("*.html")) + list(MODULE.rglob("*.py")):
        used.update(re.findall(r"['\"](cms\.[a-z_]+\.[a-z_]+)['\"]", path.read_text("utf-8")))
    used = {key for key in used if not key.startswith(("cms.pages.", "cms.media.", "cms.themes."))}

    assert used, "no keys found"
    assert sorted(used - set(en)) == []
