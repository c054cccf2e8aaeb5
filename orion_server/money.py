"""Money and VAT in one place: amounts are integer cents, VAT included; VAT rates are basis points.

* Parsing: ``parse_amount`` reads euros as staff type them in any of Orion's languages
  (``12.50``, ``12,50``, ``1.234,50``, ``1 234,50``, ``1,234.50``, ``€ 12``, ``5,-``). A single
  ``.`` or ``,`` is always the decimal mark, so ``1.234`` is refused (three decimals) rather than
  guessed; a mark that appears twice, or before the other one, groups thousands. Refusals raise
  ``MoneyError`` whose ``key`` names a message in the framework's locales (``money.errors.*``).
* Formatting: ``format_money`` for display (Babel, the language's conventions), ``amount_text``
  for a form field or a CSV cell (no grouping, no currency, two decimals).
* VAT: ``VAT_RATES`` are Luxembourg's rates (17, 14, 8 and 3 %, and 0 for exempt goods) in basis
  points (1700 = 17 %). A VAT-inclusive gross splits into a net rounded half up to the cent and
  the VAT as the rest, so net + VAT is always the gross; ``split_vat`` sums amounts per rate and
  spreads a discount over the rates without losing a cent. Orders and checkout still keep whole
  percents in their tables and APIs: ``rate_from_percent`` and ``percent_from_rate`` convert.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypedDict

from babel.numbers import format_currency, get_decimal_symbol

VAT_RATES: tuple[int, ...] = (1700, 1400, 800, 300, 0)
"""Luxembourg's VAT rates in basis points, highest first: 17, 14, 8, 3 and 0 % (exempt)."""
DEFAULT_VAT_RATE = 1700
"""The standard rate, for goods and shipping unless said otherwise."""

MAX_TYPED_LENGTH = 40
"""Longer text is not an amount anyone typed (and is not worth parsing)."""
_CURRENCY = r"(?:€|EUR)"
_TYPED = re.compile(
    rf"^{_CURRENCY}?\s*(?P<sign>[-−])?\s*{_CURRENCY}?\s*(?P<number>.*?)\s*{_CURRENCY}?$", re.IGNORECASE
)
_GROUPED = {mark: re.compile(rf"^[0-9]{{1,3}}(?:{re.escape(mark)}[0-9]{{3}})+$") for mark in " .,"}
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " "})


class MoneyError(ValueError):
    """An amount or VAT rate that was refused; ``key`` names the message, ``params`` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class VatRow(TypedDict):
    """One rate's share of an amount, in cents: ``net + vat == gross``."""

    net: int
    vat: int
    gross: int


# -- parsing ----------------------------------------------------------------------------------


def parse_amount(value: int | str | None, *, maximum_cents: int | None = None) -> int | None:
    """Cents from cents (an int) or euros typed in a form (a str); None when blank, MoneyError when refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MoneyError("money.errors.invalid")
    if isinstance(value, int):
        cents, negative = abs(value), value < 0
    else:
        text = value.translate(_SPACES).strip()
        if not text:
            return None
        if len(text) > MAX_TYPED_LENGTH:
            raise MoneyError("money.errors.invalid")
        match = _TYPED.match(text)
        if match is None:  # pragma: no cover - every text matches: the number part takes anything
            raise MoneyError("money.errors.invalid")
        number = match["number"]
        if not number:
            if match["sign"]:
                raise MoneyError("money.errors.invalid")
            return None
        cents, negative = _cents_of(number), bool(match["sign"])
    if negative and cents:
        raise MoneyError("money.errors.negative")
    if maximum_cents is not None and cents > maximum_cents:
        raise MoneyError("money.errors.too_high", maximum_cents=maximum_cents)
    return cents


def _cents_of(number: str) -> int:
    """Cents of an unsigned number such as ``1.234,50``; MoneyError when it is not one."""
    whole_euros = re.search(r"[.,]\s*[-–]$", number)  # "5,-": five euros, no cents
    if whole_euros:
        number = number[: whole_euros.start()]
    if any(char not in "0123456789 .," for char in number):
        raise MoneyError("money.errors.invalid")
    marks = [char for char in number if char in ".,"]
    whole, fraction = number, ""
    if marks and not whole_euros and (len(marks) == 1 or marks[-1] != marks[0]):
        # A lone mark, or the last of two different ones, is the decimal mark.
        whole, _, fraction = number.rpartition(marks[-1])
        if not fraction.isdigit():
            raise MoneyError("money.errors.invalid")
        if len(fraction) > 2:
            raise MoneyError("money.errors.decimals")
    separators = set(whole) - set("0123456789")
    if len(separators) > 1:
        raise MoneyError("money.errors.invalid")
    if separators and not _GROUPED[separators.pop()].match(whole):
        raise MoneyError("money.errors.invalid")
    digits = re.sub(r"[ .,]", "", whole)
    if not digits and not fraction:
        raise MoneyError("money.errors.invalid")
    return int(digits or "0") * 100 + int(fraction.ljust(2, "0"))


def parse_vat_rate(value: int | str | None) -> int:
    """An allowed rate in basis points from basis points (``1700``) or a percent (``17``, ``"17 %"``); MoneyError otherwise."""
    text = "" if isinstance(value, bool) or not isinstance(value, int | str) else str(value)
    text = text.strip().removesuffix("%").strip().replace(",", ".")
    rate = -1
    if re.fullmatch(r"[0-9]{1,5}(?:\.0{1,2})?", text):
        rate = int(Decimal(text))
        if rate != 0 and rate * 100 in VAT_RATES:
            rate *= 100
    if rate not in VAT_RATES:
        raise MoneyError("money.errors.vat_rate", rates=", ".join(vat_label(r) for r in VAT_RATES))
    return rate


def rate_from_percent(percent: int) -> int:
    """Basis points of a rate kept in whole percent, as orders and checkout keep them: ``17`` -> ``1700``."""
    return percent * 100


def percent_from_rate(rate: int) -> int:
    """A whole-percent rate, as orders and checkout keep them, from basis points: ``1700`` -> ``17``."""
    return rate // 100


# -- formatting -------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def format_money(cents: int, language: str, currency: str = "EUR") -> str:
    """``1234`` cents -> ``12,34 €`` (fr), ``€12.34`` (en): for people to read, with the language's conventions.

    Kept per amount and language: a shop's prices repeat, and Babel's formatting was a tenth of
    a product listing's rendering."""
    from orion_server.i18n import babel_locale  # i18n re-exports this function, so not at the top

    return format_currency(Decimal(cents) / 100, currency, locale=babel_locale(language))


def amount_text(cents: int | None, *, language: str | None = None) -> str:
    """``1250`` -> ``12,50`` as a form field shows it in ``language`` (``12.50`` in English and for None, CSV); ``""`` for None."""
    if cents is None:
        return ""
    mark = "."
    if language is not None:
        from orion_server.i18n import babel_locale  # see format_money

        mark = get_decimal_symbol(babel_locale(language))
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}{mark}{rest:02d}"


def vat_percent(rate: int) -> str:
    """A rate in basis points as a percent number: ``1700`` -> ``17``, ``550`` -> ``5.5``."""
    return str(rate // 100) if rate % 100 == 0 else f"{rate / 100:g}"


def vat_label(rate: int) -> str:
    """A rate in basis points as people read it in a list of choices: ``1700`` -> ``17 %``."""
    return f"{vat_percent(rate)} %"


# -- VAT inside a gross amount ----------------------------------------------------------------


def net_of(gross_cents: int, *, rate: int) -> int:
    """The net inside a VAT-inclusive ``gross_cents`` at ``rate`` basis points, rounded half up (away from zero)."""
    if gross_cents < 0:
        return -net_of(-gross_cents, rate=rate)
    divisor = 10_000 + rate
    return (2 * gross_cents * 10_000 + divisor) // (2 * divisor)


def vat_of(gross_cents: int, *, rate: int) -> int:
    """The VAT inside a VAT-inclusive ``gross_cents`` at ``rate`` basis points: the gross less its net."""
    return gross_cents - net_of(gross_cents, rate=rate)


def split_vat(amounts: Iterable[tuple[int, int]], *, discount_cents: int = 0) -> dict[int, VatRow]:
    """``(rate, gross)`` amounts summed per rate, highest rate first, less a discount shared by gross."""
    rows: dict[int, VatRow] = {}

    def add(rate: int, gross: int) -> None:
        net = net_of(gross, rate=rate)
        row = rows.setdefault(rate, VatRow(net=0, vat=0, gross=0))
        row["net"] += net
        row["vat"] += gross - net
        row["gross"] += gross

    for rate, gross in amounts:
        add(rate, gross)
    if discount_cents:
        total = sum(row["gross"] for row in rows.values())
        if total <= 0:
            raise ValueError("a discount needs a positive amount to come off")
        largest = min(rows, key=lambda rate: (-rows[rate]["gross"], -rate))
        parts = {rate: discount_cents * rows[rate]["gross"] // total for rate in rows}
        parts[largest] += discount_cents - sum(parts.values())
        for rate, part in parts.items():
            if part:
                add(rate, -part)
    return {rate: rows[rate] for rate in sorted(rows, reverse=True)}


def vat_rows(breakdown: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """A stored breakdown (keyed by the rate as text) as ``(rate, row)`` pairs, highest rate first."""
    return sorted(breakdown.items(), key=lambda item: -float(item[0]))


def vat_total(breakdown: Mapping[Any, Mapping[str, int]]) -> int:
    """All the VAT a breakdown holds, in cents."""
    return sum(int(row["vat"]) for row in breakdown.values())
