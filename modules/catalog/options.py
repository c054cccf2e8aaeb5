"""Variant option names in the shopper's language.

Variants store their options as typed by the store (``{"weight": "1 kg"}``). Names the catalog
knows (size, colour, weight, ...) are translated from the locales' ``catalog.option.*`` keys;
any other name is shown as typed, with a capital first letter. Values are the store's own words
and are never translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orion_server.i18n import t

KNOWN_OPTIONS = (
    "size",
    "colour",
    "weight",
    "format",
    "material",
    "length",
    "width",
    "volume",
    "flavour",
    "pack",
    "language",
)
"""Option names with a translation (``catalog.option.<name>`` in every locale)."""

ALIASES = {
    "color": "colour",
    "flavor": "flavour",
    "pack_size": "pack",
    "packsize": "pack",
    "taste": "flavour",
}
"""Other spellings of known names."""


def option_key(name: str) -> str | None:
    """The known option ``name`` stands for (``Color`` -> ``colour``), None for another name."""
    key = str(name).strip().casefold().replace(" ", "_").replace("-", "_")
    key = ALIASES.get(key, key)
    return key if key in KNOWN_OPTIONS else None


def option_label(name: str, language: str) -> str:
    """``weight`` -> ``Gewicht`` (de); an unknown name as typed, with a capital first letter."""
    key = option_key(name)
    if key is not None:
        return t(f"catalog.option.{key}", language)
    text = str(name).strip()
    return text[:1].upper() + text[1:]


def labelled_options(options: Mapping[str, Any], language: str) -> dict[str, str]:
    """``{"weight": "1 kg"}`` -> ``{"Gewicht": "1 kg"}`` (de), in the variant's order."""
    return {option_label(name, language): str(value) for name, value in options.items()}
