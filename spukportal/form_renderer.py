"""The form renderer: Django's own (DjangoTemplates), with the <input> widgets written directly.

Django renders every widget through a template (`django/forms/widgets/text.html` includes `input.html`, which
includes `attrs.html`): three template renders per input field. On a form of 74 fields (the components and
amounts of an application) that was a third of the page's processor time. The input widgets' templates only
print the widget's context; this renderer prints the same HTML from the same context in Python. Every other
template (select, textarea, radio lists, the form and field templates) is rendered as before.
tests/spukportal/test_form_renderer.py checks that both give the same HTML."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

# Django's widget templates that are exactly `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel", "color",
    "checkbox", "file"))


def render_input(widget):
    """input.html and attrs.html of Django, in Python: type, name, value (when not None) and the attributes (a
    False attribute is left out, a True one is written without a value)."""
    parts = [f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{escape(str(widget["value"]))}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}" if value is True
                     else f' {conditional_escape(name)}="{escape(str(value))}"')
    parts.append(">")
    return mark_safe("".join(parts))


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES and "widget" in context:
            return render_input(context["widget"])
        return super().render(template_name, context, request=request)
