"""The page frame's helpers: the error summary at the top of a page and the "Fout: " title prefix, the main
menu, and the URLs of the frame's links.

The first two look at every form and formset in the template context, so each view that renders a bound form
with errors gets them without doing anything (the GOV.UK / NL Design System error summary pattern).
"""

import functools

from django import template
from django.forms import BaseForm, CheckboxInput
from django.forms.formsets import BaseFormSet
from django.urls import get_script_prefix, reverse
from django.utils.html import escape

from .. import navigation

register = template.Library()


def _forms_in(context):
    seen = set()
    for value in context.flatten().values():
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, BaseForm):
            yield value
        elif isinstance(value, BaseFormSet):
            for index, form in enumerate(value.forms):
                yield _FormsetRow(form, value, index)
            if value.is_bound:
                yield _FormsetErrors(value)


class _FormsetRow:
    """A form of a formset with where it stands: its errors in the summary start with "Regel 2" (the row's
    legend; a formset may name its rows otherwise with `row_label(index)` and `row_anchor(index)`)."""

    def __init__(self, form, formset, index):
        self.form = form
        row_label = getattr(formset, "row_label", None)
        row_anchor = getattr(formset, "row_anchor", None)
        self.row_label = row_label(index) if row_label else f"Regel {index + 1}"
        self.row_anchor = row_anchor(index) if row_anchor else ""

    def __getattr__(self, name):
        return getattr(self.form, name)

    def __getitem__(self, name):
        return self.form[name]


def _lower_first(label):
    """"Bedrag" -> "bedrag" after a row's name; "IZA-regio" stays as it is."""
    return label[0].lower() + label[1:] if label[:2].istitle() or len(label) < 2 else label


class _FormsetErrors:
    """The formset's own (non-form) errors, shaped like a form without fields."""

    def __init__(self, formset):
        self.formset = formset
        self.is_bound = True

    @property
    def errors(self):
        return {"__all__": self.formset.non_form_errors()} if self.formset.non_form_errors() else {}


def form_errors(context):
    """[(text, anchor or "")] for every error of every bound form in the context, in field order. Worked out
    once per page: the title prefix and the summary ask the same question of the same context."""
    cache = getattr(context, "render_context", None)
    if cache is not None and "spuk_form_errors" in cache:
        return cache["spuk_form_errors"]
    items = _form_errors(context)
    if cache is not None:
        cache["spuk_form_errors"] = items
    return items


def _form_errors(context):
    items = []
    for form in _forms_in(context):
        if not getattr(form, "is_bound", False) or not form.errors:
            continue
        fields = getattr(form, "fields", {})
        row = getattr(form, "row_label", "")
        position = {name: i for i, name in enumerate(fields)}
        for name, errors in sorted(form.errors.items(), key=lambda item: position.get(item[0], -1)):
            if name == "__all__" or name not in fields:
                anchor = getattr(form, "row_anchor", "")
                items += [(f"{row}: {e}" if row else str(e), anchor) for e in errors]
                continue
            bound = form[name]
            label = getattr(bound.field, "summary_label", None) or bound.label  # where, when the label alone is not
            anchor = bound.id_for_label or bound.auto_id or ""
            if bound.is_hidden:
                anchor = ""
            if isinstance(bound.field.widget, CheckboxInput):
                label = ""  # a checkbox's label is a whole statement; its error says what to do on its own
            label = str(label or "")  # a lazy translation (Django's own forms) becomes text here
            where = ", ".join(part for part in (row, _lower_first(label) if row and label else label) if part)
            items += [(f"{where}: {e}" if where else str(e), anchor) for e in errors]
    return items


@register.simple_tag(takes_context=True)
def form_error_title_prefix(context):
    return "Fout: " if form_errors(context) else ""


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context):
    return {"errors": form_errors(context)}


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*labels_and_urls):
    """`{% breadcrumbs "Gemeenten" list_url municipality.name %}`: label/url pairs, then the current page's label
    (left out, or empty, when the trail ends at the page above: a form whose heading says where one is)."""
    if len(labels_and_urls) % 2:
        *pairs, current = labels_and_urls
    else:
        pairs, current = list(labels_and_urls), ""
    items = list(zip(pairs[::2], pairs[1::2]))
    return {"items": items, "current": current}


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The items of the main menu (spukportal.navigation), for the roles in `nav` and the current page."""
    return navigation.menu_items(context.get("nav") or {}, context["request"].path)


@register.tag
def frame_url(parser, token):
    """`{% frame_url 'privacy' %}`: the URL of a page that takes no arguments, for the links every page's frame
    shows (header and footer). Django's `{% url %}` reverses on every render: the frame's eight links took about
    0.15 ms of every page. Here each is reversed once per process (and script prefix)."""
    bits = token.split_contents()
    name = template.Variable(bits[1]).literal if len(bits) == 2 else None  # a quoted name is a literal string
    if not isinstance(name, str) or not name:
        raise template.TemplateSyntaxError("{% frame_url %} verwacht één URL-naam tussen aanhalingstekens.")
    return _FrameUrlNode(name)


class _FrameUrlNode(template.Node):
    def __init__(self, name):
        self.name = name

    def render(self, context):
        return _frame_url(self.name, get_script_prefix())


@functools.lru_cache(maxsize=64)
def _frame_url(name, script_prefix):
    """`script_prefix` is part of the key: reverse() puts it in front of the path."""
    return escape(reverse(name))
