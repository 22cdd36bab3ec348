import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from spukportal.dates import long_date
from spukportal.money import format_decimal, format_euro, format_number

register = template.Library()


@register.filter
def euro(value, decimals=0):
    """{{ amount|euro }} → € 1.234.567"""
    return format_euro(value, int(decimals))


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
