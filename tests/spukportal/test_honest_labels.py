"""Labels that tell the truth: "(niet verplicht)" only on what may really stay empty, said once; a page title
says "Fout:" once; a checkbox's error in the summary does not repeat its whole label."""

import re

import pytest
from django.urls import reverse

from tests.applications import factories as f

pytestmark = pytest.mark.django_db


def label_of(html, field_id):
    match = re.search(rf'<(?:label|legend)[^>]*(?:for="{field_id}")?[^>]*>(.*?)</(?:label|legend)>',
                      html.split(f'id="div_{field_id}"', 1)[1], re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_signatory_is_not_labelled_optional_but_the_consent_text_stays_itself(login):
    app = f.draft(f.scenario())
    html = login("gemeente").get(reverse("applications:signature", args=(app.pk,))).content.decode()
    for field in ("id_signatory_name", "id_signatory_role", "id_signed_on"):
        assert "niet verplicht" not in label_of(html, field), field


def test_the_advice_and_its_motivation_are_not_labelled_optional(login):
    app = f.in_review(f.submitted(f.scenario()))
    html = login("kerngroep").get(reverse("applications:assessment", args=(app.pk,))).content.decode()
    assert "Motivering van het advies" in html
    assert label_of(html, "id_reasons") == "Motivering van het advies"
    assert "Advies (niet verplicht)" not in html and "Oordeel: " in html and "Oordeel: Uitgangssituatie (niet" not in html


def test_valpreventie_counts_are_needed_and_the_chain_note_says_optional_once(login):
    client = login("gemeente")
    figures = client.get("/monitoring/gemeente/GM0034/valpreventie/").content.decode()
    for field in ("id_home_dwelling_65_plus", "id_assessments", "id_interventions"):
        assert "niet verplicht" not in label_of(figures, field), field
    chain = client.get("/monitoring/gemeente/GM0034/ketenaanpak/").content.decode()
    assert label_of(chain, "id_note") == "Toelichting (niet verplicht)"


def test_an_error_page_title_says_fout_once(login):
    client = login("gemeente")
    page = client.post("/monitoring/gemeente/GM0034/valpreventie/", {"year": "2025", "home_dwelling_65_plus": "veel"})
    title = re.search(r"<title>(.*?)</title>", page.content.decode(), re.S).group(1)
    assert title.startswith("Fout: ") and title.count("Fout:") == 1


def test_a_checkbox_error_in_the_summary_does_not_repeat_its_label():
    from django import forms
    from django.template import Context

    from spukportal.templatetags.spuk_layout import form_errors

    class Consent(forms.Form):
        agree = forms.BooleanField(label="De gemeente stemt in met een heel lange verklaring over de monitoring",
                                   error_messages={"required": "Vink aan dat de gemeente instemt."})

    form = Consent({})
    assert form_errors(Context({"form": form})) == [("Vink aan dat de gemeente instemt.", "id_agree")]
