import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from spukportal.dates import long_date, year_span
from spukportal.money import format_decimal, format_euro, format_number

register = template.Library()


@register.filter
def euro(value, decimals=0):
    """{{ amount|euro }} → € 1.234.567"""
    return format_euro(value, int(decimals))


@register.filter
def persoon(user, default="systeem"):
    """{{ run.created_by|persoon }} → "Eva Smit": a person by name (the username only when no name is known)."""
    if not user:
        return default
    return user.get_full_name() or user.get_username()


@register.filter
def vingerafdruk(sha256):
    """{{ run.input_fingerprint|vingerafdruk }} → "d3881ad5 637e": the first twelve characters of a SHA-256 in
    two groups, enough to compare by eye; the whole value is in the reports and exports."""
    if not sha256:
        return ""
    return f"{sha256[:6]} {sha256[6:12]}"


@register.simple_tag
def jaren(first, last=None):
    """{% jaren period.first_year period.last_year %} → "2024–2026", or "2023" for one year; {% jaren run.years %}."""
    return year_span(first, last)


@register.filter
def klein(text):
    """{{ label|klein }}: the label inside a sentence — its first letter small, the rest as written, so names and
    abbreviations keep their capitals ("Verantwoording SiSa" → "verantwoording SiSa", "SPUK IZA" stays). Use it
    instead of |lower, which makes "sisa" and "spuk iza"."""
    text = "" if text is None else str(text)
    if len(text) > 1 and text[1].isupper():
        return text  # an abbreviation (SPUK, IZA, GGD) or a name with a capital inside
    return text[:1].lower() + text[1:]


@register.filter
def getal(value, decimals=0):
    """{{ count|getal }} → 1.234.567"""
    return format_number(value, int(decimals))


@register.filter
def decimaal(value):
    """{{ weight|decimaal }} → 0,5 (no trailing zeros)"""
    return format_decimal(value)


@register.filter
def datum(value):
    """{{ date|datum }} → 12 september 2025 (also for a datetime or an ISO string)"""
    return long_date(value)


@register.filter
def procent(value, decimals=1):
    """{{ 0.1234|procent }} → 12,3%"""
    if value is None or value == "":
        return ""

    return f"{format_number(Decimal(str(value)) * 100, int(decimals))}%"


@register.filter
def at(sequence, index):
    """`{{ years|at:forloop.counter0 }}`: the item of a list at a position (e.g. a column's name for a cell's
    `data-label` in a table shown as cards on a phone); empty when there is none."""
    try:
        return sequence[index]
    except (IndexError, TypeError, KeyError):
        return ""


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dictionary value by a key held in a variable."""
    return mapping.get(key, "")


@register.filter
def machine_time(value):
    """{{ moment|machine_time }} → 2025-09-12T14:03:07+02:00: a valid `<time datetime>` (local time, whole
    seconds; HTML allows at most three digits of a fraction, Python writes six)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else ""
