"""The form renderer: Django's own (DjangoTemplates), with the <input>, <textarea> and <select> widgets written
directly.

Django renders every widget through a template (`django/forms/widgets/text.html` includes `input.html`, which
includes `attrs.html`): three template renders per input field. On a form of 74 fields (the components and
amounts of an application) that was a third of the page's processor time. The input widgets' templates only
print the widget's context; this renderer prints the same HTML from the same context in Python. The same holds
for a <select>: two template renders per option (the option and its attributes), so a list of the 42 regions
cost more than the rest of the filter form; and for a <textarea> (two renders each: the 14 reasons on the
components page took 6 of its 50 ms). Every other template (radio lists, the form and field templates) is
rendered as before. tests/spukportal/test_form_renderer.py checks that both give the same HTML."""

import functools
import html

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

# Django's widget templates that are exactly `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel", "color",
    "checkbox", "file"))


TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


SHORT_TEXT = 80  # the escaped form of a plain text up to this length is remembered (see escape_html)


@functools.lru_cache(maxsize=4096)
def _escape_short(text: str) -> str:
    return html.escape(text)


def escape_html(value) -> str:
    """Django's `conditional_escape` (what `{{ value }}` does), without its wrapper for lazy objects: the same
    text, in about a third of the time. A form page escapes a thousand attribute values and more, nearly all
    of them short texts that every page writes again (attribute names, classes, ids, field names, labels): for
    a plain text up to SHORT_TEXT characters the escaped text is remembered per process (4,096 of them at most,
    the least recently used go first), so memory stays bounded whatever is typed."""
    if type(value) is str:
        return _escape_short(value) if len(value) <= SHORT_TEXT else html.escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html(template: str, *args) -> str:
    """Django's `format_html` with `escape_html`: the same HTML, without the lazy-object wrapper around each
    argument's escaping (a form field is written with five or six of these). The HTML written in this module is
    always a str, so it is marked safe as `SafeString` (what `mark_safe` gives a str) without `mark_safe`'s own
    lazy-object wrapper, a check of its argument on each of some 800 calls on a form page."""
    return SafeString(template.format(*map(escape_html, args)))


def format_html_join(separator: str, template: str, rows) -> str:
    """Django's `format_html_join` (each row's values escaped into `template`), with `format_html` above."""
    return SafeString(separator.join(format_html(template, *row) for row in rows))


def _attrs(parts, attrs):
    """attrs.html: a False attribute is left out, a True one is written without a value."""
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {escape_html(name)}" if value is True
                     else f' {escape_html(name)}="{escape_html(value)}"')


def _text(value):
    """{{ value }} in a template: local time, localized, escaped unless already safe."""
    return escape_html(localize(template_localtime(value)))


def render_input(widget):
    """input.html and attrs.html of Django, in Python: type, name, value (when not None) and the attributes."""
    parts = [f'<input type="{escape_html(widget["type"])}" name="{escape_html(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{html.escape(str(widget["value"]))}"')
    _attrs(parts, widget["attrs"])
    parts.append(">")
    return SafeString("".join(parts))


def render_textarea(widget):
    """textarea.html of Django, in Python: the value on a line of its own after the tag, when there is one."""
    parts = [f'<textarea name="{escape_html(widget["name"])}"']
    _attrs(parts, widget["attrs"])
    parts.append(">\n")
    if widget["value"]:
        parts.append(_text(widget["value"]))
    parts.append("</textarea>")
    return SafeString("".join(parts))


def render_select(widget):
    """select.html with select_option.html for each option, in Python (optgroups included)."""
    parts = [f'<select name="{escape_html(widget["name"])}"']
    _attrs(parts, widget["attrs"])
    parts.append(">")
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append(f'\n  <option value="{escape_html(option["value"])}"')
            _attrs(parts, option["attrs"])
            parts.append(f'>{_text(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the widget's HTML; an option keeps its newline
    return SafeString("".join(parts))


def _plain_select(widget):
    return "optgroups" in widget and all(option["template_name"] == OPTION_TEMPLATE
                                         for _, group, _ in widget["optgroups"] for option in group)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES and "widget" in context:
            return render_input(context["widget"])
        if template_name == TEXTAREA_TEMPLATE and "widget" in context:
            return render_textarea(context["widget"])
        if template_name == SELECT_TEMPLATE and "widget" in context and _plain_select(context["widget"]):
            return render_select(context["widget"])
        return super().render(template_name, context, request=request)
