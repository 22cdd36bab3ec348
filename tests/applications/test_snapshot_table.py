"""The table of components and amounts of a submitted version (application page, assessment, version page,
submit step): a year without an amount says so with a dash, also on a phone where each cell is a labelled card
line; an amount of nothing is still an amount."""

import re

from django.template.loader import render_to_string


def test_a_component_not_applied_for_shows_a_dash_per_year_and_an_applied_one_its_amounts():
    snapshot = {"years": [2025, 2026],
                "components": [{"number": 1, "name": "Sport", "applied": True, "reason": "",
                                "amounts": {"2025": 50000, "2026": 0}},
                               {"number": 3, "name": "Achterstanden", "applied": False,
                                "reason": "Dit pakken we regionaal op.", "amounts": {}}]}
    html = render_to_string("applications/_snapshot.html", {"snapshot": snapshot})
    body_rows = re.findall(r'<tr class="utrecht-table__row"><th scope="row".*?</tr>', html, re.S)
    rows = {re.search(r'<th scope="row"[^>]*>(.*?)</th>', row).group(1): re.findall(r'data-label="(\d{4})">(.*?)</td>', row)
            for row in body_rows}
    assert rows["1. Sport"] == [("2025", "€\xa050.000"), ("2026", "€\xa00")]
    assert rows["3. Achterstanden"] == [("2025", "–"), ("2026", "–")]
