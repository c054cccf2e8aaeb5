"""Money and VAT in one place: typed amounts, formatting, rates in basis points, the VAT inside a gross."""

from __future__ import annotations

import random

import pytest

from orion_server.i18n import t
from orion_server.money import (
    DEFAULT_VAT_RATE,
    VAT_RATES,
    MoneyError,
    amount_text,
    format_money,
    net_of,
    parse_amount,
    parse_vat_rate,
    percent_from_rate,
    rate_from_percent,
    split_vat,
    vat_label,
    vat_of,
    vat_percent,
    vat_rows,
    vat_total,
)

LANGUAGES = ("en", "de", "fr", "lb")


def refusal(value: object, **kwargs: int) -> str:
    """The error key ``parse_amount`` refuses ``value`` with."""
    with pytest.raises(MoneyError) as caught:
        parse_amount(value, **kwargs)  # type: ignore[arg-type]
    return caught.value.key


# -- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12.50", 1250),
        ("12,50", 1250),
        ("12.5", 1250),
        ("12,5", 1250),
        ("12", 1200),
        ("0", 0),
        ("0,05", 5),
        (",50", 50),
        (" 7,90 ", 790),
    ],
)
def test_a_decimal_point_or_a_decimal_comma_reads_the_same(typed, cents):
    """English staff type a point, German, French and Luxembourgish staff a comma: both work."""
    assert parse_amount(typed) == cents


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("1,234.50", 123450),  # en
        ("1.234,50", 123450),  # de, fr_LU, lb
        ("1 234,50", 123450),  # fr elsewhere
        ("1\u202f234,50", 123450),  # fr with Babel's narrow no-break space
        ("1\u00a0234,50", 123450),
        ("1.234.567,89", 123456789),
        ("1,234,567.89", 123456789),
        ("1 234 567", 123456700),
        ("1.234.567", 123456700),
    ],
)
def test_thousands_separators_of_every_language_are_understood(typed, cents):
    """A mark that appears twice, or before the other mark, groups thousands."""
    assert parse_amount(typed) == cents


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("€ 12", 1200), ("€12.50", 1250), ("12 €", 1200), ("12,50€", 1250), ("EUR 3,10", 310), ("3,10 eur", 310)],
)
def test_the_euro_sign_or_code_before_or_after_the_number_is_ignored(typed, cents):
    """Staff who type the currency are not refused for it."""
    assert parse_amount(typed) == cents


@pytest.mark.parametrize(("typed", "cents"), [("5,-", 500), ("5.–", 500), ("1.234,-", 123400)])
def test_the_german_whole_euro_dash_means_no_cents(typed, cents):
    """``5,-`` is how German and Luxembourgish price tags write five euros."""
    assert parse_amount(typed) == cents


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("cents", [0, 5, 99, 1250, 123456, 100_000_000])
def test_what_a_page_or_a_form_shows_in_any_language_can_be_typed_back(language, cents):
    """Display (with grouping and the euro sign) and form text both parse back to the same cents."""
    assert parse_amount(format_money(cents, language)) == cents
    assert parse_amount(amount_text(cents, language=language)) == cents


@pytest.mark.parametrize(("blank"), [None, "", "   ", "\u00a0", "€"])
def test_a_blank_field_is_no_amount_rather_than_an_error(blank):
    """Callers decide whether an amount is required: blank gives None."""
    assert parse_amount(blank) is None


@pytest.mark.parametrize("typed", ["-5", "-0,01", "−5,50", "- € 5", "€ -5", "-1.234,50"])
def test_negative_amounts_are_refused_as_negative(typed):
    """A minus sign (ASCII or Unicode) is understood, and refused with its own key."""
    assert refusal(typed) == "money.errors.negative"


def test_minus_zero_is_zero():
    """``-0`` is not a negative amount."""
    assert parse_amount("-0") == 0


@pytest.mark.parametrize("typed", ["12.505", "0,001", "1.234", "1,000", "12.500", "1.234,567"])
def test_more_than_two_decimals_are_refused_rather_than_guessed(typed):
    """A lone mark is the decimal mark, so ``1.234`` is refused instead of being read as 1.23 or 1234."""
    assert refusal(typed) == "money.errors.decimals"


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "cinq",
        "12,",
        ".",
        "-",
        "--5",
        "+5",
        "1e3",
        "NaN",
        "Infinity",
        "0x10",
        "12 34",
        "12.34.56",
        "1,2.34",
        "1,234.567,89",
        "1.234 567",
        "12€50",
        "١٢",  # Arabic-Indic digits are digits to Python, not to a till
        "9" * 41,
    ],
)
def test_garbage_is_refused_as_not_an_amount(typed):
    """Anything that is not a plainly written amount gets ``money.errors.invalid``."""
    assert refusal(typed) == "money.errors.invalid"


def test_an_int_is_already_cents_and_is_checked_the_same_way():
    """API fields carry cents: an int passes through, still refused when negative or too high."""
    assert parse_amount(1250) == 1250
    assert refusal(-1) == "money.errors.negative"
    assert refusal(10_001, maximum_cents=10_000) == "money.errors.too_high"


@pytest.mark.parametrize("value", [True, 12.5, b"12", [12]])
def test_other_types_are_refused(value):
    """A bool or a float is never taken for an amount: a float could be cents or euros."""
    assert refusal(value) == "money.errors.invalid"


def test_an_upper_bound_is_inclusive_and_names_itself():
    """The maximum itself is allowed; one cent more is refused with the maximum in the params."""
    assert parse_amount("1.000,00", maximum_cents=100_000) == 100_000
    with pytest.raises(MoneyError) as caught:
        parse_amount("1.000,01", maximum_cents=100_000)
    assert caught.value.key == "money.errors.too_high"
    assert caught.value.params == {"maximum_cents": 100_000}


def test_a_refusal_is_a_value_error():
    """Code that catches ValueError keeps working."""
    with pytest.raises(ValueError):
        parse_amount("abc")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_error_key_has_a_message_in_every_language(language):
    """The keys name messages in the framework's locales, placeholders filled."""
    for key in ("invalid", "decimals", "negative", "too_high"):
        assert t(f"money.errors.{key}", language) != f"money.errors.{key}"
    assert "17 %" in t("money.errors.vat_rate", language, rates="17 %, 3 %")


# -- formatting -------------------------------------------------------------------------------


def test_display_follows_each_language_in_luxembourg():
    """``format_money`` keeps Babel's per-locale style (fr_LU, de_LU, lb_LU group with a dot)."""
    assert format_money(123456, "en") == "€1,234.56"
    for language in ("de", "fr", "lb"):
        assert format_money(123456, language) == "1.234,56\xa0€"
    assert format_money(-5, "de") == "-0,05\xa0€"
    assert format_money(1000, "en", "CHF") == "CHF10.00"


def test_the_i18n_name_is_the_same_function():
    """``orion_server.i18n.format_money`` is a re-export, not a second implementation."""
    from orion_server import i18n

    assert i18n.format_money is format_money


@pytest.mark.parametrize(
    ("cents", "language", "text"),
    [
        (1250, "en", "12.50"),
        (1250, "de", "12,50"),
        (1250, "fr", "12,50"),
        (1250, "lb", "12,50"),
        (7500, "de", "75,00"),
        (123456, "de", "1234,56"),
        (5, "en", "0.05"),
        (None, "de", ""),
    ],
)
def test_a_form_field_shows_the_languages_decimal_mark_without_grouping(cents, language, text):
    """Two decimals, no thousands separator, no currency: the field reads back unambiguously."""
    assert amount_text(cents, language=language) == text


def test_without_a_language_amounts_are_written_with_a_point_as_in_the_csv_export():
    """The machine format: ``15.00``, ``-0.05``."""
    assert amount_text(1500) == "15.00"
    assert amount_text(-5) == "-0.05"
    assert amount_text(0) == "0.00"


# -- VAT rates --------------------------------------------------------------------------------


def test_the_allowed_rates_are_luxembourgs_in_basis_points():
    """17, 14, 8 and 3 %, and 0 for exempt goods; 17 % is the default."""
    assert VAT_RATES == (1700, 1400, 800, 300, 0)
    assert DEFAULT_VAT_RATE == 1700


@pytest.mark.parametrize(
    ("value", "rate"),
    [(1700, 1700), ("1700", 1700), (17, 1700), ("17", 1700), ("17 %", 1700), ("17%", 1700),
     ("3", 300), (" 8 ", 800), ("14,0", 1400), (0, 0), ("0", 0), ("0 %", 0)],
)
def test_a_rate_is_read_from_basis_points_or_a_percent(value, rate):
    """Forms send basis points, the CSV and people write percents: both give basis points."""
    assert parse_vat_rate(value) == rate


@pytest.mark.parametrize("value", [None, "", True, 1900, "21", 21, "5.5", 550, "-17", "x", 17.0, "1,7", "170"])
def test_any_other_rate_is_refused_with_the_allowed_ones_named(value):
    """The refusal's params list the allowed rates as people read them."""
    with pytest.raises(MoneyError) as caught:
        parse_vat_rate(value)
    assert caught.value.key == "money.errors.vat_rate"
    assert caught.value.params == {"rates": "17 %, 14 %, 8 %, 3 %, 0 %"}


def test_rates_are_shown_as_percents():
    """``1700`` is shown as ``17`` (``17 %`` in a list of choices); a rate with a fraction keeps it."""
    assert [vat_percent(rate) for rate in VAT_RATES] == ["17", "14", "8", "3", "0"]
    assert vat_percent(550) == "5.5"
    assert vat_label(800) == "8 %"


def test_whole_percents_kept_by_orders_convert_both_ways():
    """Orders and checkout keep ``17``; money works in ``1700``."""
    assert [rate_from_percent(p) for p in (17, 14, 8, 3, 0)] == list(VAT_RATES)
    assert [percent_from_rate(rate) for rate in VAT_RATES] == [17, 14, 8, 3, 0]


# -- VAT inside a gross -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gross", "rate", "net"),
    [(1170, 1700, 1000), (100, 1700, 85), (103, 300, 100), (1, 1700, 1), (0, 1700, 0),
     (1000, 0, 1000), (-1170, 1700, -1000), (-1, 1700, -1)],
)
def test_the_net_is_rounded_half_up_to_the_cent(gross, rate, net):
    """net = gross × 10000 / (10000 + rate), halves away from zero (1 cent at 17 % is 0.855 -> 1)."""
    assert net_of(gross, rate=rate) == net


def test_a_half_cent_is_rounded_up():
    """At 8 %, 54 cents hold exactly 50 net; an exact half (2 cents at 300 %: 0.5) goes away from zero."""
    assert net_of(54, rate=800) == 50
    assert net_of(2, rate=30_000) == 1  # 0.5 -> 1: half up
    assert net_of(-2, rate=30_000) == -1


@pytest.mark.parametrize("rate", VAT_RATES)
def test_net_and_vat_always_add_up_to_the_gross(rate):
    """For every gross up to 100 € and every rate: no cent appears or goes missing."""
    for gross in range(0, 10_001):
        assert net_of(gross, rate=rate) + vat_of(gross, rate=rate) == gross


def test_amounts_are_summed_per_rate_highest_rate_first():
    """Lines and shipping at the same rate share one row; rounding happens per amount, not on sums."""
    rows = split_vat([(1700, 2340), (300, 1545), (1700, 500)])

    assert list(rows) == [1700, 300]
    assert rows[1700] == {"net": 2000 + 427, "vat": 340 + 73, "gross": 2840}
    assert rows[300] == {"net": 1500, "vat": 45, "gross": 1545}


def test_a_discount_is_shared_by_gross_and_the_rest_goes_to_the_largest_rate():
    """100 cents off 2840 + 1545: 64 and 35 by proportion, the cent left over to 17 %."""
    rows = split_vat([(1700, 2840), (300, 1545)], discount_cents=100)

    assert rows[1700]["gross"] == 2840 - 65
    assert rows[300]["gross"] == 1545 - 35


def test_the_leftover_cent_goes_to_the_higher_rate_when_two_rates_weigh_the_same():
    """Equal gross amounts: the tie goes to the higher rate, whatever the order given."""
    rows = split_vat([(300, 1000), (1700, 1000)], discount_cents=1)

    assert rows[1700]["gross"] == 999 and rows[300]["gross"] == 1000


def test_a_discount_on_nothing_is_refused():
    """There is nothing to take it off."""
    with pytest.raises(ValueError):
        split_vat([], discount_cents=100)


def test_no_split_ever_loses_a_cent():
    """Random baskets with shipping and discounts: every row adds up and the rows make the total."""
    chance = random.Random(1700)
    for _ in range(2_000):
        amounts = [(chance.choice(VAT_RATES), chance.randint(0, 50_000)) for _ in range(chance.randint(1, 8))]
        total = sum(gross for _, gross in amounts)
        discount = chance.randint(0, total) if total else 0
        rows = split_vat(amounts, discount_cents=discount)

        assert sum(row["gross"] for row in rows.values()) == total - discount
        for row in rows.values():
            assert row["net"] + row["vat"] == row["gross"]
        assert vat_total(rows) == sum(row["vat"] for row in rows.values())


def test_a_stored_breakdown_reads_highest_rate_first_and_sums_its_vat():
    """Orders keep ``{"3": ..., "17": ...}`` as JSON: rows come out 17 first, numerically not by text."""
    breakdown = {"3": {"net": 100, "vat": 3, "gross": 103}, "17": {"net": 1000, "vat": 170, "gross": 1170},
                 "8": {"net": 50, "vat": 4, "gross": 54}}

    assert [rate for rate, _ in vat_rows(breakdown)] == ["17", "8", "3"]
    assert vat_total(breakdown) == 177
