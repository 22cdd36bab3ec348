"""Helpers for table rows written in Python instead of a template loop (a long table: the review queue, the
applications awaiting a decision). Every such writer is tested against the template it replaced."""

from django.urls import reverse


def url_with_pk(name: str) -> str:
    """The URL of `name` for any pk, reversed once: a format string with the pk's place (`.format(pk)`)."""
    marker = 987654321
    return reverse(name, args=(marker,)).replace(str(marker), "{}")


def choice_labels(model, field: str) -> dict:
    """{stored value: label} of a field with choices, translated once (what `get_FOO_display` gives per row)."""
    return {code: str(label) for code, label in model._meta.get_field(field).flatchoices}
