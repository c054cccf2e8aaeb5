"""Translations (``t``), language negotiation and locale-aware formatting with Babel."""

from __future__ import annotations

import json
import logging
import threading
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal

from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.money import format_money  # noqa: F401 - the templates' ``money`` filter and older imports
from orion_server.paths import RESOURCES_DIR

logger = logging.getLogger(__name__)

FALLBACK_LANGUAGE = "en"
LANGUAGE_COOKIE = "orion_lang"


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{full}."))
        else:
            flat[full] = str(value)
    return flat


def read_locale_file(path: Path) -> dict[str, str]:
    """The flat ``key -> text`` pairs of one locale JSON file (nested objects become dots)."""
    with path.open(encoding="utf-8") as handle:
        return _flatten(json.load(handle))


class Catalogue:
    """All translations: the framework's ``resources/locales`` plus each module's ``locales``."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._messages: dict[str, dict[str, str]] | None = None

    def _load(self) -> dict[str, dict[str, str]]:
        from orion_server.modules import registry

        folders = [RESOURCES_DIR / "locales"]
        for module in registry.MODULES.values():
            folder = module.resource_dir("locales")
            if folder:
                folders.append(folder)
        messages: dict[str, dict[str, str]] = {lang: {} for lang in SUPPORTED_LANGUAGES}
        for folder in folders:
            for lang in SUPPORTED_LANGUAGES:
                path = folder / f"{lang}.json"
                if path.is_file():
                    messages[lang].update(read_locale_file(path))
        return messages

    @property
    def messages(self) -> dict[str, dict[str, str]]:
        # Importing the registry may run discovery, which calls reload(): do it before locking.
        from orion_server.modules import registry  # noqa: F401

        with self._lock:
            if self._messages is None:
                self._messages = self._load()
            return self._messages

    def reload(self) -> None:
        with self._lock:
            self._messages = None

    def lookup(self, key: str, locale: str) -> str | None:
        messages = self.messages
        for lang in (locale, FALLBACK_LANGUAGE):
            text = messages.get(lang, {}).get(key)
            if text is not None:
                return text
        return None

    def lookup_plural(self, key: str, locale: str, count: Any) -> tuple[str | None, bool]:
        """The form of ``key`` for ``count``: a plain text, or the plural form the language's
        rules choose among ``key.one``, ``key.other``, ... (a JSON object ``{"one": ..., "other": ...}``
        in the locale file); ``other`` when the chosen form is missing. True with a plural form."""
        messages = self.messages
        for lang in (locale, FALLBACK_LANGUAGE):
            texts = messages.get(lang, {})
            if key in texts:
                return texts[key], False
            if f"{key}.other" in texts:
                form = plural_form(count, lang)
                return texts.get(f"{key}.{form}", texts[f"{key}.other"]), True
        return None, False


catalogue = Catalogue()


def _registry_changed() -> None:
    catalogue.reload()


PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories; a catalogue value may be an object with some of them as keys."""


def _as_number(count: Any) -> int | float | Decimal | None:
    if isinstance(count, bool):
        return None
    if isinstance(count, int | float | Decimal):
        return count
    try:
        return int(str(count).strip())
    except ValueError:
        return None


def plural_form(count: Any, language: str) -> str:
    """The CLDR plural category of ``count`` in ``language``: ``one`` or ``other`` in en/de/lb,
    ``one`` for 0 and 1 in fr; ``other`` for what is not a number."""
    number = _as_number(count)
    if number is None:
        return "other"
    try:
        return babel_locale(language).plural_form(abs(number))
    except Exception:  # pragma: no cover - every supported language has plural rules
        return "other"


def t(key: str, locale: str | None = None, /, **params: Any) -> str:
    """The text for ``key`` in ``locale``, falling back to English, then to the key itself.

    With a ``count`` parameter a key may have plural forms (``{"one": "{count} order",
    "other": "{count} orders"}`` in the locale file): the language's plural rules choose one,
    and a numeric ``count`` is then written with the language's digit grouping."""
    language = locale or FALLBACK_LANGUAGE
    if "count" in params:
        text, plural = catalogue.lookup_plural(key, language, params["count"])
        number = _as_number(params["count"])
        if plural and number is not None and not isinstance(params["count"], str):
            params = {**params, "count": format_number(number, language)}
    else:
        text = catalogue.lookup(key, language)
    if text is None:
        return key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            logger.warning("translation %r (%s) has placeholders that were not given", key, locale)
            return text
    return text


def normalise_language(value: str | None, allowed: list[str] | tuple[str, ...]) -> str | None:
    """``de-LU`` -> ``de`` when allowed, else None."""
    if not value:
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if code in allowed else None


def parse_accept_language(header: str | None, allowed: list[str] | tuple[str, ...]) -> str | None:
    """The first allowed language of an Accept-Language header, by quality."""
    if not header:
        return None
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        quality = 1.0
        for piece in pieces[1:]:
            if piece.strip().startswith("q="):
                try:
                    quality = float(piece.strip()[2:])
                except ValueError:
                    quality = 0.0
        choices.append((-quality, index, pieces[0]))
    for negative_quality, _index, tag in sorted(choices):
        if negative_quality >= 0:
            continue
        code = normalise_language(tag, allowed)
        if code:
            return code
    return None


def choose_language(
    *,
    allowed: list[str] | tuple[str, ...],
    url_language: str | None = None,
    cookie_language: str | None = None,
    user_language: str | None = None,
    store_language: str | None = None,
    accept_language: str | None = None,
    default: str | None = None,
    fallback: str = "fr",
) -> str:
    """First match wins: URL, cookie, the user's preference, the store's own language (a
    storefront speaks its store's language before the browser's), Accept-Language, the default."""
    for candidate in (url_language, cookie_language, user_language, store_language):
        code = normalise_language(candidate, allowed)
        if code:
            return code
    code = parse_accept_language(accept_language, allowed)
    if code:
        return code
    for candidate in (default, fallback):
        code = normalise_language(candidate, allowed)
        if code:
            return code
    return allowed[0] if allowed else FALLBACK_LANGUAGE


@lru_cache(maxsize=64)
def babel_locale(language: str) -> Locale:
    """Babel's locale for an Orion language; Luxembourg's variants where CLDR has them.

    Made once per language and process: parsing it again for every price on a page cost a
    product listing 2 ms."""
    regional = {"fr": "fr_LU", "de": "de_LU", "lb": "lb_LU", "en": "en_GB"}.get(language, language)
    try:
        return Locale.parse(regional)
    except Exception:
        return Locale.parse(language)


def country_name(code: str | None, language: str) -> str:
    """An ISO country code (``LU``) in words in ``language`` (``Luxemburg``); the code itself
    when Babel does not know it, ``""`` for none."""
    if not code:
        return ""
    text = str(code).strip().upper()
    try:
        return babel_locale(language).territories.get(text, text)
    except Exception:  # pragma: no cover - every supported language is known to Babel
        return text


def format_number(value: int | float | Decimal, language: str) -> str:
    """A number with the locale's separators."""
    return format_decimal(value, locale=babel_locale(language))


def format_date(value: date | datetime, language: str, fmt: str = "medium") -> str:
    """A date in the locale's style."""
    if isinstance(value, datetime):
        value = value.date()
    return _babel_date(value, format=fmt, locale=babel_locale(language))


def format_datetime(value: datetime, language: str, fmt: str = "medium", tz: str = "Europe/Luxembourg") -> str:
    """A timestamp in the locale's style, shown in Luxembourg time."""
    return _babel_datetime(value, format=fmt, tzinfo=tz, locale=babel_locale(language))


from orion_server.modules import hooks  # noqa: E402

hooks.on_registry_reload(_registry_changed)
