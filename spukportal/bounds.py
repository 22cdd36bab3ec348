"""The bounds of every input, in one place: used by forms, model validators and imports alike, so that no
input can reach a database overflow (BIGINT, SMALLINT, SUM) or a page that hangs.

Each `*_problem` function returns a Dutch message fit for a form field or an import line, or None.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.formats import date_format

# The largest amount in whole euros anywhere in the portal: € 99.999.999.999. A whole year's SPUK budget is
# about € 0,3 bn; the sum of every allocation of 342 gemeenten × 16 lines × 21 years stays far below the
# BIGINT limit (9,2 × 10^18), so no SUM can overflow.
MAX_AMOUNT_EUR = 10**11 - 1

# Budget, period and allocation years.
MIN_YEAR = 2020
MAX_YEAR = 2040
# Reference years of statistics may lie before the regulation's years.
MIN_STATISTICS_YEAR = 1990
# How many years one application period may span.
MAX_PERIOD_YEARS = 10

# Dates typed by people (period dates, extensions, signatures, reference dates).
MIN_DATE = datetime.date(MIN_YEAR, 1, 1)
MAX_DATE = datetime.date(MAX_YEAR, 12, 31)

# How many weeks the kerngroep has for its advice after a (re)submission.
MIN_REVIEW_WEEKS, MAX_REVIEW_WEEKS = 1, 26

# Free text.
MAX_PLAN_TEXT_CHARS = 20_000
MAX_NOTE_CHARS = 5_000

# Files.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 500


def _nl(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def amount_problem(value: int | None) -> str | None:
    if value is None:
        return None
    if value < 0:
        return "Een bedrag kan niet negatief zijn."
    if value > MAX_AMOUNT_EUR:
        return f"Een bedrag kan ten hoogste € {_nl(MAX_AMOUNT_EUR)} zijn."
    return None


def year_problem(value: int | None, *, minimum: int = MIN_YEAR, maximum: int = MAX_YEAR) -> str | None:
    if value is None:
        return None
    if not minimum <= value <= maximum:
        return f"Kies een jaar van {minimum} tot en met {maximum} (niet {value})."
    return None


def date_problem(value: datetime.date | None, *, earliest: datetime.date = MIN_DATE,
                 latest: datetime.date = MAX_DATE) -> str | None:
    if value is None:
        return None
    if not earliest <= value <= latest:
        return f"Vul een datum in tussen {date_format(earliest, 'j F Y')} en {date_format(latest, 'j F Y')}."
    return None


def text_problem(value: str | None, *, max_chars: int = MAX_PLAN_TEXT_CHARS) -> str | None:
    if not value:
        return None
    if "\x00" in value:
        return "De tekst bevat een ongeldig teken (NUL)."
    if len(value) > max_chars:
        return f"De tekst is {_nl(len(value))} tekens lang; ten hoogste {_nl(max_chars)} tekens zijn toegestaan."
    return None


# --- Django validators (models and forms) ------------------------------------------------------------

def validate_amount(value):
    problem = amount_problem(value)
    if problem:
        raise ValidationError(problem, code="amount_out_of_bounds")


def validate_year(value):
    problem = year_problem(value)
    if problem:
        raise ValidationError(problem, code="year_out_of_bounds")


def validate_date(value):
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="date_out_of_bounds")


def validate_review_weeks(value):
    if value is not None and not MIN_REVIEW_WEEKS <= value <= MAX_REVIEW_WEEKS:
        raise ValidationError(f"Kies een termijn van {MIN_REVIEW_WEEKS} tot en met {MAX_REVIEW_WEEKS} weken.")


def validate_plan_text(value):
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem, code="text_out_of_bounds")


# A whole number in a query or form parameter: ASCII digits with an optional minus, short enough for any column.
_PLAIN_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")
MAX_REQUEST_INT = 2**31 - 1


def request_int(params, name: str, default=None, *, minimum: int = -MAX_REQUEST_INT,
                maximum: int = MAX_REQUEST_INT):
    """The one way to read a whole number from a request (`request.GET`, `request.POST` or any mapping): plain
    ASCII digits with an optional minus, between `minimum` and `maximum`; anything else — absent, empty, `²`,
    other scripts' digits, `1e5`, `9999999999999999999999`, out of bounds — gives `default`, never an
    exception."""
    value = params.get(name, "")
    if not isinstance(value, str):
        return default
    value = value.strip()
    if not _PLAIN_WHOLE_NUMBER.fullmatch(value):
        return default
    number = int(value)
    return number if minimum <= number <= maximum else default
