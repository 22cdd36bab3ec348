"""Words for the reader: years written once ("2023", not "2023–2023"), labels inside a sentence that keep their
capitals ("SiSa", "SPUK IZA"), "het portaal", and no developer words in the templates."""

import pathlib
import re

from django.template import Context, Template

from spukportal.dates import year_span

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "templates"


def test_a_year_span_of_one_year_is_that_year():
    assert year_span(2023, 2023) == "2023"
    assert year_span(2024, 2026) == "2024–2026"
    assert year_span([2025, 2023, 2024]) == "2023–2025"
    assert year_span([2023, 2025]) == "2023, 2025"
    assert year_span([]) == ""


def test_the_template_tag_writes_the_same_span():
    html = Template("{% load spuk %}{% jaren 2023 2023 %} / {% jaren 2024 2026 %}").render(Context())
    assert html == "2023 / 2024–2026"


def test_labels_in_a_sentence_keep_their_capitals():
    html = Template("{% load spuk %}{{ a|klein }} | {{ b|klein }} | {{ c|klein }}").render(
        Context({"a": "Verantwoording SiSa", "b": "SPUK IZA", "c": "Aanvraag ingediend"}))
    assert html == "verantwoording SiSa | SPUK IZA | aanvraag ingediend"


def test_templates_lower_no_labels_and_say_het_portaal():
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for number, line in enumerate(text.splitlines(), start=1):
            if "|lower" in line:
                problems.append(f"{path.relative_to(TEMPLATES)}:{number}: |lower (use |klein)")
            if re.search(r"\b[Dd]e portal\b", line):
                problems.append(f"{path.relative_to(TEMPLATES)}:{number}: 'de portal' (het portaal)")
            if re.search(r"\b(sisa|spuk iza)\b", re.sub(r"\{[%{#].*?[%}#]\}|[\w/.-]*sisa[\w/.-]*[/_.-]\w*", "", line)):
                problems.append(f"{path.relative_to(TEMPLATES)}:{number}: lower-case sisa / spuk iza")
    assert problems == []
