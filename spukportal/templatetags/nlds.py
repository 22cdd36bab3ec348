"""The NL Design System form field and its widget, for the crispy-forms template pack in templates/nlds/."""

from django import forms, template
from django.utils.safestring import SafeString, mark_safe

from spukportal.form_renderer import escape_html, format_html, format_html_join

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


def described_by(field, errors):
    ids = []
    if field.help_text and field.auto_id:
        ids.append(f"{field.auto_id}_helptext")
    if errors and field.auto_id:
        ids.append(f"{field.auto_id}_fout")
    return " ".join(ids)


def nlds_widget(field, errors):
    """The field's widget with the design system's classes; an invalid field says so (aria-invalid) and
    points at its error message and help text (aria-describedby). `errors`: the field's (`field.errors`, which
    makes a new empty list on every read of a valid field: read once per field)."""
    widget = field.field.widget
    base, invalid = _component(widget)
    classes = [c for c in (widget.attrs.get("class", "") + " " + base).split() if c]
    attrs = {}
    if errors:
        classes += [invalid] if invalid else []
        attrs["aria-invalid"] = "true"
    if described := described_by(field, errors):
        attrs["aria-describedby"] = described
    attrs["class"] = " ".join(dict.fromkeys(classes))
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def nlds_field(context):
    """One form field as an NL Design System form field (the pack's `field.html`), written in Python: as a
    template and its include, with a dozen tests each, a field cost 2.5 times as much, and a form page has many
    (74 on the components and amounts of an application).

    Label, help text (description), error messages, input. An optional field says "(niet verplicht)"; an
    invalid field gets the invalid modifier (a red bar), its messages and aria-invalid. A group of radio buttons
    or checkboxes is a fieldset, and only each option is a `utrecht-form-field--radio`: that modifier makes a
    grid whose first column is one radio button wide, and on the group it squeezed the whole fieldset into it.
    Reads what crispy-forms puts in the context: `field`, `form_show_labels`, `form_show_errors`, and `tag` and
    `wrapper_class` when a layout gives them."""
    field = context["field"]
    if field.is_hidden:
        return escape_html(field)
    errors = field.errors
    checkbox, choice_list = nlds_is_checkbox(field), nlds_is_choice_list(field)
    kind = ("utrecht-form-field--checkbox" if checkbox else "portal-choice-group" if choice_list
            else "utrecht-form-field--text")
    classes = ["utrecht-form-field", kind]
    if errors:
        classes.append("utrecht-form-field--invalid")
    classes += [c for c in (context.get("wrapper_class"), field.css_classes()) if c]
    tag = context.get("tag") or "div"
    show_labels = context.get("form_show_labels")
    notes = _help_text_and_errors(field, errors if context.get("form_show_errors") else None)
    if choice_list:
        described = described_by(field, errors)
        choices = format_html_join(
            "", '<div class="utrecht-form-field utrecht-form-field--radio portal-choice">{} <label '
            'class="utrecht-form-label utrecht-form-label--radio" for="{}">{}</label></div>',
            ((choice.tag(), choice.id_for_label, choice.choice_label) for choice in field))
        body = format_html(
            '<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"{}>'
            '<legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend '
            'utrecht-form-label">{}{}</legend>{}{}</fieldset>',
            format_html(' aria-describedby="{}"', described) if described else "",
            field.label, " (niet verplicht)" if nlds_optional(field) else "", notes, choices)
    elif checkbox:
        label = format_html(
            '<label class="utrecht-form-label utrecht-form-label--checkbox" for="{}">{}</label>',
            field.id_for_label, field.label) if show_labels else ""
        body = format_html('<div class="utrecht-form-field__input portal-checkbox">{}{}</div>{}',
                           nlds_widget(field, errors), label, notes)
    else:
        optional = SafeString(' <span class="portal-optional">(niet verplicht)</span>') if nlds_optional(field) else ""
        label = format_html(
            '<div class="utrecht-form-field__label"><label class="utrecht-form-label" for="{}">{}{}</label></div>',
            field.id_for_label, field.label, optional) if field.label and show_labels else ""
        body = format_html('{}{}<div class="utrecht-form-field__input">{}</div>', label, notes, nlds_widget(field, errors))
    return format_html('<{} id="div_{}" class="{}">{}</{}>', tag, field.auto_id, " ".join(classes), body, tag)


@register.filter
def as_nlds_field(field):
    """`{{ field|as_nlds_field }}`: what `|as_crispy_field` writes with this pack, without its detour through the
    pack's field.html (a template looked up and rendered per field: 55 instead of 36 µs per field measured, on a
    page of 74 to 93 fields)."""
    return nlds_field({"field": field, "form_show_errors": True, "form_show_labels": True})


def _help_text_and_errors(field, errors):
    """The description (help text, which the form writes as HTML) and the error messages (`errors`; None when
    the form does not show them), each with the id that the input's aria-describedby names."""
    parts = []
    if field.help_text:
        helptext_id = format_html(' id="{}_helptext"', field.auto_id) if field.auto_id else ""
        parts.append(format_html(
            '<div class="utrecht-form-field-description utrecht-form-field__description"{}>{}</div>',
            helptext_id, mark_safe(field.help_text)))
    if errors:
        messages = format_html_join(
            "", '<p id="error_{}_{}" class="m-0"><span class="portal-visually-hidden">Fout: </span>{}</p>',
            ((i, field.auto_id, error) for i, error in enumerate(errors, 1)))
        parts.append(format_html(
            '<div class="utrecht-form-field-error-message utrecht-form-field__error-message" id="{}_fout">{}</div>',
            field.auto_id, messages))
    return SafeString("".join(parts))


def nlds_optional(field):
    """Whether the label says "(niet verplicht)": the form's own word on it, once. A field the form lets you
    leave empty for now but that is needed in the end (to submit, to propose, to record figures) says so by
    `needed = True` on the form field, and is not labelled optional; a label that already says it, is not
    labelled twice."""
    return (not field.field.required and not getattr(field.field, "needed", False)
            and "niet verplicht" not in str(field.label))


def nlds_is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


def nlds_is_choice_list(field):
    return isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))

