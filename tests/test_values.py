"""The model's value types (graph.values): each accepts exactly its form, checked against
independent oracles (the calendar of ``datetime``, ``Decimal`` arithmetic), and says what it wants."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.values import (
    BadValue,
    CountryCode,
    Money,
    NutsCode,
    PartialDate,
    ProgrammeCode,
    RegistrationNumber,
    period_bounds,
)


@given(st.dates(min_value=date(1, 1, 1)))
def test_every_real_day_month_and_year_is_a_partial_date(day):
    for text, xsd in ((day.isoformat(), "date"), (day.isoformat()[:7], "gYearMonth"), (day.isoformat()[:4], "gYear")):
        assert PartialDate.parse(text) == text and PartialDate.xsd(text) == xsd


@given(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
def test_a_partial_date_is_refused_exactly_when_the_calendar_has_no_such_day(year, month, day):
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        date.fromisoformat(text)
        real = True
    except ValueError:
        real = False
    if real:
        assert PartialDate.parse(text) == text
    else:
        with pytest.raises(BadValue, match=r"is not a date: .* \(.*(the month|has no day|there is no year)"):
            PartialDate.parse(text)


@pytest.mark.parametrize("text", ["15. 6. 2009", "2009-6", "09", "", "2009-06-15T00:00", "2009/06"])
def test_a_date_in_another_form_is_refused_saying_the_forms(text):
    with pytest.raises(BadValue, match="write YYYY, YYYY-MM or YYYY-MM-DD"):
        PartialDate.parse(text)


def test_a_year_given_as_a_number_is_the_year():
    assert PartialDate.parse(2009) == "2009"


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 11, 30)))
def test_bounds_are_the_first_and_last_day_the_text_can_mean(day):
    month = day.isoformat()[:7]
    next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    assert period_bounds(month, month) == (f"{month}-01", (next_month - timedelta(days=1)).isoformat())
    assert period_bounds(str(day.year).zfill(4), None) == (f"{day.year:04d}-01-01", None)
    assert period_bounds(None, day.isoformat()) == (None, day.isoformat())
    assert PartialDate.last_day(month)[-2:] == str(calendar.monthrange(day.year, day.month)[1])


@given(st.integers(0, 10**17))
def test_money_is_whole_haler_up_to_the_cap(minor):
    amount = Decimal(minor) / 100
    if amount <= Money.MAX:
        assert Money.to_minor(Money.parse(amount)) == minor
        assert Money.from_minor(minor) == amount
    else:
        with pytest.raises(BadValue, match="largest amount"):
            Money.parse(amount)


@pytest.mark.parametrize(("value", "says"), [
    ("NaN", "finite"), ("Infinity", "finite"), (Decimal("-0.01"), "negative"), ("0.001", "more than 2 decimal places"),
    ("1e-999999", "more than 2 decimal places"), ("1e16", "largest amount"), ("12 tisíc", "not an amount"),
    (True, "not an amount"),
])
def test_money_refuses_what_is_no_exact_amount_of_czk(value, says):
    with pytest.raises(BadValue, match=says):
        Money.parse(value)


def test_money_reads_text_numbers_and_floats_exactly():
    assert Money.parse(" 1677718.10 ") == Decimal("1677718.10")
    assert Money.parse(1677718.1) == Decimal("1677718.1")
    assert Money.parse(5) == Decimal(5)


@pytest.mark.parametrize(("code", "good", "bad"), [
    (NutsCode, ["CZ0", "CZ07", "CZ072", "SK031"], ["CZ", "cz072", "CZ0720", "CZ 072", "", "Zlínský kraj"]),
    (CountryCode, ["CZ", "SK", "GB"], ["C", "CZE", "cz", " CZ"]),
    (ProgrammeCode, ["CZ.1.04", "CZ.04.1.05", "CZ.03"], ["CZ", "CZ.1.004", "OP LZZ", "cz.1.04"]),
    (RegistrationNumber, ["CZ.1.04/3.1.03/65.00042", "CZ.04.1.05/3.2.55.1/1823", "CZ.03.2.63/0.0/0.0/16_063/0006530"],
     ["CZ.1.04", "CZ.1.04/3.1.03/", "cz.1.04/3.1.03/65.00042", "CZ.1.04/3.1.03/65.00042 ", "CZ.1.04/" + "1/" * 40 + "1"]),
])
def test_codes_accept_their_form_and_say_what_it_is(code, good, bad):
    assert [code.parse(g) for g in good] == good
    for b in bad:
        with pytest.raises(BadValue, match=re.escape(f"is not {code.DOC}")):
            code.parse(b)


@given(st.text(max_size=12))
def test_a_code_parse_agrees_with_valid(text):
    for code in (NutsCode, CountryCode, ProgrammeCode, RegistrationNumber):
        if code.valid(text):
            assert code.parse(text) == text
        else:
            with pytest.raises(BadValue):
                code.parse(text)


def test_xsd_types_are_declared():
    assert (Money.XSD, NutsCode.XSD, RegistrationNumber.XSD) == ("decimal", "string", "string")
