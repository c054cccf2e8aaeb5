"""The countries a customer's address may be in, and their names for the address forms."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale

NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"})
"""Two-letter codes Babel names that are no country to ship to: unions (EU, EZ, UN), outlying
Oceania, pseudo-locales, "unknown region" and the exceptionally reserved codes of territories
ISO files under another country (Ascension, Clipperton, Sark, Diego Garcia, Ceuta and Melilla,
the Canary Islands, Tristan da Cunha). Kosovo (XK) stays: shops ship there."""

USUAL_COUNTRIES = ("LU", "DE", "FR", "BE")
"""Listed first: where a Luxembourg shop's customers nearly always live."""


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 country codes Babel knows (regions such as ``150``, the EU and
    pseudo-regions left out)."""
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isascii() and code.isalpha() and code.isupper() and code not in NOT_COUNTRIES
    )


def _sort_key(name: str) -> str:
    """``Österreich`` sorts with ``O``: accents folded, case ignored."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()


def country_options(language: str) -> list[tuple[str, str]]:
    """``(code, name)`` pairs of every country in ``language``: Luxembourg, Germany, France and
    Belgium first, then the others sorted by their name in ``language``."""
    try:
        names = Locale.parse(language).territories
    except Exception:  # pragma: no cover - every supported language is known to Babel
        names = Locale("en").territories
    codes = country_codes()
    first = [(c, names.get(c, c)) for c in USUAL_COUNTRIES if c in codes]
    rest = sorted(
        ((c, names.get(c, c)) for c in codes if c not in USUAL_COUNTRIES),
        key=lambda item: _sort_key(item[1]),
    )
    return first + rest
