"""Date and year fields with sensible bounds: a date input (the browser's own picker,
in Dutch), a Dutch hint for typing it, `min`/`max` in the browser and the same bounds checked on the
server, so "0001-01-01" or a signature dated next year never gets in."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from . import bounds

EARLIEST, LATEST = bounds.MIN_DATE, bounds.MAX_DATE  # the bounds of every date, in spukportal/bounds.py
HINT = "Dag-maand-jaar, bijvoorbeeld 12-09-2025."


def _today():
    return timezone.localdate()


def bound_date(field: forms.Field, *, earliest=EARLIEST, latest=LATEST) -> forms.Field:
    """Make `field` a bounded date input; `latest` may be a callable (e.g. today for a signature)."""
    field.widget = forms.DateInput(attrs={"type": "date", **field.widget.attrs}, format="%Y-%m-%d")
    field.widget.attrs.update(min=earliest.isoformat())
    if not callable(latest):
        field.widget.attrs["max"] = latest.isoformat()
    if not field.help_text:
        field.help_text = HINT

    def check(value):
        problem = bounds.date_problem(value, earliest=earliest, latest=latest() if callable(latest) else latest)
        if problem:
            raise ValidationError(problem, code="out_of_bounds")

    field.validators.append(check)
    return field


def bound_year(field: forms.Field, *, earliest=bounds.MIN_YEAR, latest=bounds.MAX_YEAR) -> forms.Field:
    field.widget.attrs.update(min=earliest, max=latest, inputmode="numeric")

    def check(value):
        if value is not None and not (earliest <= value <= latest):
            raise ValidationError(f"Vul een jaar in van {earliest} tot en met {latest}.", code="out_of_bounds")

    field.validators.append(check)
    return field


def bounded_signature_date(field):
    """A signature lies in the past or today."""
    bound_date(field, latest=_today)
    field.widget.attrs["max"] = _today().isoformat()
    return field


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def long_date(value) -> str:
    """A date written out the Dutch way, whatever language is active: '12 september 2025'. Takes a date, a
    datetime (in local time) or an ISO string ('2025-09-12'); None or '' → ''."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def dutch_date(value) -> str:
    """A date as the letters and messages write it: "3 maart 2026"."""
    return date_format(value, "j F Y")


def is_working_day(day) -> bool:
    """Monday to Friday and not a Dutch public holiday (the `holidays` package: New Year, Easter, King's Day,
    Ascension, Whitsun, Christmas; Liberation Day in its lustrum years)."""
    import holidays

    return day.weekday() < 5 and day not in holidays.country_holidays("NL", years=day.year)


def next_working_day(day):
    """`day` itself when it is a working day, otherwise the first working day after it."""
    import datetime

    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def year_span(first, last=None) -> str:
    """Years as people write them: "2024–2026", one year as "2023" (not "2023–2023"); a list of years that is
    not consecutive as "2023, 2025"."""
    if last is None:
        years = sorted(first or [])
        if not years:
            return ""
        if years != list(range(years[0], years[-1] + 1)):
            return ", ".join(str(y) for y in years)
        first, last = years[0], years[-1]
    return str(first) if first == last else f"{first}–{last}"
