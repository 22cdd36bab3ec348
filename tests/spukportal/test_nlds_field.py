"""The crispy-forms pack's form field (`nlds/field.html`, written in Python by `nlds_field`): what a reader and
a screen reader get from each kind of field, through the two ways the portal renders a field."""

import re

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms


class Form(forms.Form):
    name = forms.CharField(label="Naam <en> adres", help_text="Zoals in het <em>handelsregister</em>",
                           max_length=3)
    note = forms.CharField(label="Opmerking", required=False)
    agree = forms.BooleanField(label="Ik ga akkoord")
    kind = forms.ChoiceField(label="Soort", choices=[("a", "A & B"), ("b", "C")], widget=forms.RadioSelect,
                             required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def invalid_form():
    form = Form({"name": "te lang", "kind": "z"})
    assert not form.is_valid()
    return form


def test_a_text_field_has_label_description_and_numbered_messages_and_the_input_points_at_both():
    html = str(as_crispy_field(invalid_form()["name"]))
    assert html.startswith('<div id="div_id_name" class="utrecht-form-field utrecht-form-field--text '
                           'utrecht-form-field--invalid">')
    assert '<label class="utrecht-form-label" for="id_name">Naam &lt;en&gt; adres</label>' in html
    assert 'id="id_name_helptext">Zoals in het <em>handelsregister</em></div>' in html  # the form's HTML
    assert re.search(r'<div class="utrecht-form-field-error-message[^"]*" id="id_name_fout">'
                     r'<p id="error_1_id_name"', html)
    assert '<span class="portal-visually-hidden">Fout: </span>' in html
    the_input = re.search(r"<input [^>]*>", html).group()
    assert 'aria-invalid="true"' in the_input and 'aria-describedby="id_name_helptext id_name_fout"' in the_input
    assert "utrecht-textbox--invalid" in the_input
    assert html.index("<label") < html.index("_helptext") < html.index("_fout") < html.index("<input")


def test_an_optional_field_says_so_once_and_a_valid_field_is_not_marked_invalid():
    html = str(as_crispy_field(invalid_form()["note"]))
    assert html.count("(niet verplicht)") == 1 and "invalid" not in html and "aria-describedby" not in html


def test_a_group_of_radio_buttons_is_a_fieldset_with_a_legend_and_one_field_per_choice():
    html = str(as_crispy_field(invalid_form()["kind"]))
    assert 'class="utrecht-form-field portal-choice-group utrecht-form-field--invalid"' in html
    assert re.search(r'<fieldset [^>]*aria-describedby="id_kind_fout">'
                     r'<legend [^>]*>Soort \(niet verplicht\)</legend>', html)
    assert html.count("utrecht-form-field--radio portal-choice") == 2
    assert '<label class="utrecht-form-label utrecht-form-label--radio" for="id_kind_0">A &amp; B</label>' \
        in html


def test_a_checkbox_comes_before_its_label_and_its_message_after_both():
    html = str(as_crispy_field(invalid_form()["agree"]))
    assert "utrecht-form-field--checkbox" in html
    assert html.index('type="checkbox"') < html.index('for="id_agree"') < html.index('id="id_agree_fout"')


def test_a_hidden_field_is_only_its_input_and_a_whole_form_renders_every_field_once():
    hidden = str(as_crispy_field(invalid_form()["secret"])).strip()
    assert hidden == '<input type="hidden" name="secret" id="id_secret">'
    assert re.findall(r'id="div_id_(\w+)"', as_crispy_form(invalid_form())) == ["name", "note", "agree", "kind"]


def test_the_packs_own_field_filter_writes_exactly_what_crispys_filter_writes():
    """The pages write a field with `|as_nlds_field` (no detour through field.html); crispy's `|as_crispy_field`
    with this pack must give the same HTML, for every kind of field, valid, invalid and unbound."""
    from spukportal.templatetags.nlds import as_nlds_field

    class Widgets(Form):
        amount = forms.IntegerField(label="Bedrag", min_value=0, widget=forms.NumberInput(attrs={"class": "eigen"}))
        text = forms.CharField(label="Toelichting", widget=forms.Textarea, required=False)
        choice = forms.ChoiceField(label="Keuze", choices=[("", "—"), ("x", "X")])
        many = forms.MultipleChoiceField(label="Meer", choices=[("1", "Een"), ("2", "Twee")],
                                         widget=forms.CheckboxSelectMultiple)
        upload = forms.FileField(label="Bestand", required=False)

    for form in (Widgets(), Widgets({"name": "te lang", "kind": "z", "amount": "-1", "choice": "y"}),
                 Widgets({"name": "ok", "agree": "on", "amount": "3", "choice": "x", "many": ["1"]})):
        form.is_valid()
        for field in form:
            # field.html ends in a line break, which the filter leaves out: the rest is the same to the byte.
            assert str(as_nlds_field(field)) + "\n" == str(as_crispy_field(field)), field.name
