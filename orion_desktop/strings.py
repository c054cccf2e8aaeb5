"""Console text: every sentence the operator reads goes through ``tr``.

The English text is the key; ``locales/{de,fr,lb}.json`` map it to the translation. The console
language is chosen once at launch (``set_language``), so pages built afterwards read it.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).parent / "locales"
CONSOLE_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "lb")
SOURCE_LANGUAGE = "en"

_language = SOURCE_LANGUAGE


@cache
def catalogue(language: str) -> dict[str, str]:
    """English text -> translation for ``language`` (empty for English or a missing file)."""
    path = LOCALES_DIR / f"{language}.json"
    if language == SOURCE_LANGUAGE or not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def set_language(language: str) -> str:
    """Use ``language`` for the text read from now on (unknown codes fall back to English)."""
    global _language
    _language = language if language in CONSOLE_LANGUAGES else SOURCE_LANGUAGE
    return _language


def current_language() -> str:
    """The console language in use."""
    return _language


def tr(text: str, **params: Any) -> str:
    """The console text ``text`` in the console language, with ``{name}`` placeholders filled."""
    translated = catalogue(_language).get(text, text) if _language != SOURCE_LANGUAGE else text
    if not params:
        return translated
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        # A translation with a wrong placeholder must not hide the sentence: use the English one.
        logger.warning("console translation of %r (%s) has wrong placeholders", text, _language)
        return text.format(**params)


def join_names(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return tr("{first} and {last}", first=", ".join(names[:-1]), last=names[-1])
