"""The model's value types: each parsed, bounded and typed in XSD in one place, with one message.

Records, GraphQL inputs, HTTP parameters, the command line and the RDF mapping all call these, so a
value one of them accepts the others accept too. ``parse`` returns the value in its stored form or
raises ``BadValue``, whose message says what the value should look like and names no field: the
caller adds where it was (a file's row, a GraphQL argument, a query parameter).
"""

from __future__ import annotations

import calendar
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from typing import ClassVar

from graph.text import shorten


class BadValue(ValueError):
    """A value that is not of its type."""


def real_date(year: int, month: int | None = None, day: int | None = None) -> bool:
    """Whether year, month and day (each as far as given) name a day of the calendar."""
    if not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        return False
    return day is None or (month is not None and 1 <= day <= calendar.monthrange(year, month)[1])


class PartialDate:
    """A date as precise as its source: ``2009`` is a year, ``2009-06`` a month, ``2009-06-15`` a day."""

    # As far as a pattern can tell (JSON Schema): months and days in range, not whether the day exists.
    PATTERN: ClassVar = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
    _SHAPE: ClassVar = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")  # read apart to say what is wrong
    DOC: ClassVar = "YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source (a real month and day)"
    _XSD: ClassVar = {4: "gYear", 7: "gYearMonth", 10: "date"}

    @classmethod
    def parse(cls, value: str | int) -> str:
        """The ISO text; a year written as a number (YAML's and JSON's 2009) is the year."""
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else str(value)
        match = cls._SHAPE.match(text)
        problem = None
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            if year == 0:
                problem = "there is no year 0000"
            elif month is not None and not 1 <= month <= 12:
                problem = f"the month must be 01 to 12, not {match[2]}"
            elif not real_date(year or 0, month, day):
                problem = f"{year:04d}-{month:02d} has no day {match[3]}"
            else:
                return text
        raise BadValue(f"{shorten(text)!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source"
                       + (f" ({problem})" if problem else ""))

    @staticmethod
    def first_day(value: str) -> str:
        """The earliest day a (checked) partial date can mean."""
        return value + ("-01-01", "-01", "")[(len(value) - 4) // 3]

    @staticmethod
    def last_day(value: str) -> str:
        """The latest day a (checked) partial date can mean."""
        if len(value) == 10:
            return value
        year, month = int(value[:4]), int(value[5:7]) if len(value) == 7 else 12
        return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"

    @classmethod
    def xsd(cls, value: str) -> str:
        """xsd:gYear, xsd:gYearMonth or xsd:date, as precise as the value."""
        return cls._XSD[len(cls.parse(value))]


def period_bounds(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """The earliest day a start can mean and the latest day an end can mean."""
    return (PartialDate.first_day(start) if start else None, PartialDate.last_day(end) if end else None)


class Money:
    """An exact amount of CZK: finite, not negative, at most ``MAX`` and a whole number of haléř.
    Stored as an integer count of haléř (``to_minor`` / ``from_minor``)."""

    MAX: ClassVar = Decimal(10) ** 15  # far above any project, far below INT64 haléř
    DOC: ClassVar = "CZK, exact: from 0 to 10^15, at most 2 decimal places"
    XSD: ClassVar = "decimal"
    _CENT: ClassVar = Decimal("0.01")

    @classmethod
    def parse(cls, value: Decimal | str | int | float) -> Decimal:
        if isinstance(value, bool):
            raise BadValue(f"{value} is not an amount of CZK")
        try:
            amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        except InvalidOperation:
            raise BadValue(f"{shorten(str(value))!r} is not an amount of CZK") from None
        if not amount.is_finite():
            raise BadValue(f"{amount} is not a finite amount of CZK")
        if amount < 0:
            raise BadValue(f"{amount} is negative: amounts are 0 or more")
        if amount > cls.MAX:
            raise BadValue(f"{amount} is more than the largest amount accepted ({cls.MAX:f} CZK)")
        if amount != amount.quantize(cls._CENT):
            raise BadValue(f"{amount} has more than 2 decimal places: amounts are exact to the haléř (0.01 CZK)")
        return amount

    @classmethod
    def to_minor(cls, amount: Decimal) -> int:
        """Exact CZK -> haléř; refuses amounts finer than a haléř."""
        quantised = amount.quantize(cls._CENT, rounding=ROUND_HALF_EVEN)
        if quantised != amount:
            raise BadValue(f"{amount} CZK is not a whole number of haléř")
        return int(quantised * 100)

    @classmethod
    def from_minor(cls, minor: int) -> Decimal:
        return (Decimal(minor) / 100).quantize(cls._CENT)


class Code:
    """A code of a fixed form: ``parse`` returns it as given or refuses it, saying what it should be."""

    PATTERN: ClassVar[re.Pattern[str]]
    DOC: ClassVar[str]
    XSD: ClassVar = "string"
    MAX_LENGTH: ClassVar = 60

    @classmethod
    def parse(cls, value: str) -> str:
        if not cls.valid(value):
            raise BadValue(f"{shorten(str(value))!r} is not {cls.DOC}")
        return value

    @classmethod
    def valid(cls, value: str) -> bool:
        return isinstance(value, str) and _matches(cls.PATTERN, cls.MAX_LENGTH, value)


@lru_cache(maxsize=1 << 16)  # a load checks each project's number once per row naming it
def _matches(pattern: re.Pattern[str], max_length: int, value: str) -> bool:
    return len(value) <= max_length and bool(pattern.fullmatch(value))


class NutsCode(Code):
    PATTERN = re.compile(r"[A-Z]{2}[0-9A-Z]{1,3}")
    DOC = ("a NUTS code: two capital letters then one to three capital letters or digits, e.g. CZ072 (a kraj) "
           "or CZ07 (a cohesion region)")


class CountryCode(Code):
    PATTERN = re.compile(r"[A-Z]{2}")
    DOC = "an ISO 3166-1 alpha-2 country code: two capital letters, e.g. CZ"


class OrpCode(Code):
    PATTERN = re.compile(r"[0-9]{4}")
    DOC = "a ČSÚ ORP code: four digits, e.g. 7205"


class OkresCode(Code):
    PATTERN = re.compile(r"CZ0[0-9A-Z]{3}")
    DOC = "a LAU 1 code of an okres, e.g. CZ0724"


class ProgrammeCode(Code):
    PATTERN = re.compile(r"CZ(\.\d{1,2}){1,3}\+?")  # "+": OP Z+ 2021–27 (CZ.03+), see loaders.czech
    DOC = "a programme code such as CZ.1.04 (CZ.03+ for OP Z+)"


class RegistrationNumber(Code):
    # Found in running text as well (loaders.czech), hence the word boundaries.
    PATTERN = re.compile(r"\bCZ\.\d{1,2}(?:\.\d{1,2}){1,3}(?:/[0-9A-Z]+(?:[._][0-9A-Z]+)*){2,4}\b")
    DOC = "a registration number such as CZ.1.04/3.1.03/65.00042 or CZ.04.1.05/3.2.55.1/1823"
