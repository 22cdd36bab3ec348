import datetime

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def datum(value):
    """An ISO date from a frozen version ('2026-11-20') → '20 november 2026'."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "j F Y")


@register.filter
def jaar(value):
    """A year without thousands separator: 2024, not 2.024."""
    return "" if value is None else str(value)


@register.filter
def line_totals(lines):
    """A snapshot's plan lines summed per year (regional and local apart) and over all years:
    {"years": [{year, regional, local, total}], "total": n}."""
    from applications.intake.selectors import line_totals as totals

    years = totals(lines or [])
    return {"years": years, "total": sum(t["total"] for t in years)}


@register.simple_tag(takes_context=True)
def step_url(context, step_key, anchor=""):
    """The address of one step of the application on screen (from the view's `step_urls`), plus an anchor."""
    return context["step_urls"][step_key] + anchor
