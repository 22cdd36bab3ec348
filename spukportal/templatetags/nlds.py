"""Widgets with the NL Design System's form classes, for the crispy-forms template pack in templates/nlds/."""

from django import forms, template

register = template.Library()


def _component(widget):
    if isinstance(widget, forms.CheckboxInput):
        return "utrecht-checkbox utrecht-checkbox--html-input", "utrecht-checkbox--invalid"
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "", ""
    if isinstance(widget, forms.Select):
        return "utrecht-select utrecht-select--html-select", "utrecht-select--invalid"
    if isinstance(widget, forms.Textarea):
        return "utrecht-textarea utrecht-textarea--html-textarea", "utrecht-textarea--invalid"
    if isinstance(widget, forms.FileInput):
        return "portal-file-input", ""
    return "utrecht-textbox utrecht-textbox--html-input", "utrecht-textbox--invalid"


def described_by(field):
    ids = []
    if field.help_text and field.auto_id:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors and field.auto_id:
        ids.append(f"{field.auto_id}_fout")
    return " ".join(ids)


@register.simple_tag
def nlds_widget(field):
    """The field's widget with the design system's classes; an invalid field says so (aria-invalid) and
    points at its error message and help text (aria-describedby)."""
    widget = field.field.widget
    base, invalid = _component(widget)
    classes = [c for c in (widget.attrs.get("class", "") + " " + base).split() if c]
    attrs = {}
    if field.errors:
        classes += [invalid] if invalid else []
        attrs["aria-invalid"] = "true"
    if described_by(field):
        attrs["aria-describedby"] = described_by(field)
    attrs["class"] = " ".join(dict.fromkeys(classes))
    return field.as_widget(attrs=attrs)


@register.filter
def nlds_optional(field):
    """Whether the label says "(niet verplicht)": the form's own word on it, once. A field the form lets you
    leave empty for now but that is needed in the end (to submit, to propose, to record figures) says so by
    `needed = True` on the form field, and is not labelled optional; a label that already says it, is not
    labelled twice."""
    return (not field.field.required and not getattr(field.field, "needed", False)
            and "niet verplicht" not in str(field.label))


@register.filter
def nlds_is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def nlds_is_choice_list(field):
    return isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))


@register.filter
def nlds_described_by(field):
    return described_by(field)
