"""The portal's form renderer writes <input> widgets itself: the HTML must be exactly what Django's widget
templates give, for every kind of input, value and attribute."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from spukportal.form_renderer import INPUT_TEMPLATES, FormRenderer


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="Hulp", widget=forms.TextInput(attrs={"placeholder": 'a "b" <c>'}))
    number = forms.IntegerField(min_value=0, required=False)
    email = forms.EmailField(disabled=True)
    url = forms.URLField(assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    moment = forms.DateTimeField()
    time = forms.TimeField()
    check = forms.BooleanField(required=False)
    upload = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    plain_file = forms.FileField(widget=forms.FileInput)


@pytest.mark.parametrize("data", [
    None,
    {"text": "<script>&amp;\"'", "number": "12", "email": "a@b.nl", "url": "javascript:x", "password": "geheim",
     "hidden": "3", "date": "2026-03-31", "moment": "2026-03-31 12:00", "time": "12:00", "check": "on"},
    {"text": "", "number": "x"},
])
def test_inputs_are_written_exactly_as_django_writes_them(data):
    initial = {"text": "Ä & ö", "number": 0, "hidden": 7, "date": datetime.date(2026, 1, 2), "check": True}
    ours, django = (Everything(data, initial=initial, renderer=r) for r in (FormRenderer(), DjangoTemplates()))
    for name in Everything.base_fields:
        a, b = ours[name], django[name]
        assert str(a) == str(b), name
        assert str(a.as_widget(attrs={"aria-invalid": "true", "class": "x y"})) == str(
            b.as_widget(attrs={"aria-invalid": "true", "class": "x y"})), name


def test_only_input_templates_are_written_directly():
    for template_name in INPUT_TEMPLATES:
        source = open(DjangoTemplates().get_template(template_name).origin.name).read().strip()
        assert source == '{% include "django/forms/widgets/input.html" %}', template_name
