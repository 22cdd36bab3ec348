"""The portal's form renderer writes <input>, <textarea> and <select> widgets itself: the HTML must be exactly
what Django's widget templates give, for every kind of input, value and attribute."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import lazy
from django.utils import html as django_html
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from spukportal import form_renderer
from spukportal.form_renderer import INPUT_TEMPLATES, TEXTAREA_TEMPLATE, FormRenderer, escape_html


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
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}), required=False)
    remark = forms.CharField(widget=forms.Textarea, required=False)


@pytest.mark.parametrize("data", [
    None,
    {"text": "<script>&amp;\"'", "number": "12", "email": "a@b.nl", "url": "javascript:x", "password": "geheim",
     "hidden": "3", "date": "2026-03-31", "moment": "2026-03-31 12:00", "time": "12:00", "check": "on",
     "reason": "Regel 1\n<b>Regel</b> & 2 \"'", "remark": "0"},
    {"text": "", "number": "x", "reason": ""},
])
def test_inputs_are_written_exactly_as_django_writes_them(data):
    initial = {"text": "Ä & ö", "number": 0, "hidden": 7, "date": datetime.date(2026, 1, 2), "check": True,
               "reason": "Al 1.234 keer <gedaan>"}
    ours, django = (Everything(data, initial=initial, renderer=r) for r in (FormRenderer(), DjangoTemplates()))
    for name in Everything.base_fields:
        a, b = ours[name], django[name]
        assert str(a) == str(b), name
        assert str(a.as_widget(attrs={"aria-invalid": "true", "class": "x y"})) == str(
            b.as_widget(attrs={"aria-invalid": "true", "class": "x y"})), name


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Alle"), ("a&b", "A & B"), ("2", "<twee>")], required=False)
    years = forms.TypedChoiceField(choices=[(2024, 2024), (2025, 2025)], coerce=int)
    grouped = forms.ChoiceField(choices=[("Noord", [("gr", "Groningen"), ("fr", "Friesland")]),
                                         ("Zuid", [("li", "Limburg")]), ("nl", "Heel Nederland")])
    several = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False)
    maybe = forms.NullBooleanField()
    fraction = forms.ChoiceField(choices=[("0.5", 0.5), ("1.5", 1.5)], required=False)


@pytest.mark.parametrize("data", [None, {"plain": "a&b", "years": "2025", "grouped": "li", "several": ["x", "z"],
                                         "maybe": "true", "fraction": "1.5"},
                                  {"plain": "<onbekend>", "years": "1999", "grouped": "", "maybe": ""}])
def test_selects_are_written_exactly_as_django_writes_them(data):
    ours, django = (Choices(data, initial={"grouped": "fr"}, renderer=r) for r in (FormRenderer(), DjangoTemplates()))
    for name in Choices.base_fields:
        assert str(ours[name]) == str(django[name]), name
        assert str(ours[name].as_widget(attrs={"aria-describedby": "a b", "class": "x", "disabled": True})) == str(
            django[name].as_widget(attrs={"aria-describedby": "a b", "class": "x", "disabled": True})), name


def test_selects_are_written_without_a_template_per_option(monkeypatch):
    rendered = []
    monkeypatch.setattr(DjangoTemplates, "render", lambda self, name, *args, **kwargs: rendered.append(name) or "")
    form = Choices(renderer=FormRenderer())
    html = "".join(str(form[name].as_widget()) for name in ("plain", "years", "grouped", "several", "maybe"))
    assert html.count("<option") == 15 and rendered == []


def test_inputs_and_textareas_are_written_without_a_template(monkeypatch):
    rendered = []
    monkeypatch.setattr(DjangoTemplates, "render", lambda self, name, *args, **kwargs: rendered.append(name) or "")
    form = Everything({"text": "a", "reason": "b"}, renderer=FormRenderer())
    html = "".join(str(form[name].as_widget()) for name in ("text", "number", "check", "reason", "remark"))
    assert html.count("<input") == 3 and html.count("<textarea") == 2 and rendered == []


def test_the_textarea_template_is_the_one_written_directly():
    source = open(DjangoTemplates().get_template(TEXTAREA_TEMPLATE).origin.name).read()
    assert source == ('<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
                      '{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n')


def test_only_input_templates_are_written_directly():
    for template_name in INPUT_TEMPLATES:
        source = open(DjangoTemplates().get_template(template_name).origin.name).read().strip()
        assert source == '{% include "django/forms/widgets/input.html" %}', template_name


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(), st.integers(), st.decimals(allow_nan=False), st.none(), st.booleans(),
                       st.text().map(mark_safe), st.text().map(lambda t: lazy(lambda: t, str)())))
def test_the_renderer_escapes_exactly_as_django_does(value):
    """Text, numbers, safe strings (left as they are) and lazy translations: the same as `conditional_escape`."""
    assert escape_html(value) == conditional_escape(value)


VALUES = st.one_of(st.text(), st.integers(), st.none(), st.text().map(mark_safe),
                   st.text().map(lambda t: lazy(lambda: t, str)()))


@settings(max_examples=300, deadline=None)
@given(values=st.lists(VALUES, min_size=1, max_size=4), rows=st.lists(st.tuples(VALUES, VALUES), max_size=4))
def test_format_html_writes_what_djangos_writes(values, rows):
    """The NL Design System field (spukportal/templatetags/nlds.py) is written with these: markup in a value is
    escaped, a safe string is left as it is, exactly as Django's format_html and format_html_join do."""
    template = "<p class=\"{}\">" + "{}" * (len(values) - 1) + "</p>"
    assert form_renderer.format_html(template, *values) == django_html.format_html(template, *values)
    assert (form_renderer.format_html_join("\n", "<li>{}: {}</li>", rows)
            == django_html.format_html_join("\n", "<li>{}: {}</li>", rows))
