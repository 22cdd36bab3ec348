"""The region and national dashboards: what they show, their filters, each chart with its table, the table and
chart downloads (Dutch headers, euro format, frozen header, formula escaping)."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from monitoring.models import ChainStateChange
from regions.models import Municipality, Region, RegionMembership

pytestmark = pytest.mark.django_db

NATIONAL = "/monitoring/landelijk/"


def _flevoland():
    return Region.objects.get(name="Flevoland")


def test_every_chart_has_its_table_with_the_same_rows(login):
    html = login("ministerie").get(NATIONAL, {"jaar": "2025"}).content.decode()
    charts = re.findall(r'<svg[^>]*aria-labelledby="grafiek-([\w-]+)-titel"', html)
    assert len(charts) >= 6
    for key in charts:
        assert f'data-panel-table="{key}"' in html, f"grafiek {key} zonder tabel"
        table = html.split(f'data-panel-table="{key}"')[1].split("</table>")[0]
        svg = html.split(f'<title id="grafiek-{key}-titel"')[1].split("</svg>")[0]
        rows = table.count('<th scope="row"')
        assert rows and svg.count('font-weight="bold"') == rows  # one label per table row


def test_filter_on_a_province_narrows_every_panel(login):
    client = login("ministerie")
    flevoland = Municipality.objects.filter(province="Flevoland").count()
    html = client.get(NATIONAL, {"provincie": "Flevoland", "jaar": "2025"}).content.decode()
    assert f"({flevoland} gemeenten" in html and "in de provincie Flevoland" in html
    assert f"Stand per ketenaanpak van {flevoland} gemeenten" in html
    table = html.split('data-panel-table="besteding-provincie"')[1].split("</table>")[0]
    assert ">Flevoland<" in table and ">Limburg<" not in table


def test_an_unknown_filter_value_gives_a_dutch_error_and_the_whole_country(login):
    html = login("kerngroep").get(NATIONAL, {"provincie": "Atlantis", "jaar": "2025"}).content.decode()
    assert "Kies een provincie uit de lijst." in html
    assert f"({Municipality.objects.count()} gemeenten" in html


def test_coverage_counts_the_current_state_of_each_gemeente(login):
    members = RegionMembership.objects.valid_on().filter(region=_flevoland()).count()
    html = login("ministerie").get(NATIONAL, {"regio": _flevoland().slug, "jaar": "2025"}).content.decode()
    table = html.split('data-panel-table="ketenaanpak"')[1].split("</table>")[0]
    rows = re.findall(r'<tr class="utrecht-table__row"><th scope="row" class="[^"]*">([^<]+)</th>(.*?)</tr>', table)
    assert [r[0] for r in rows] == ["Kansrijke start", "Valpreventie", "Overgewicht kinderen", "GLI volwassenen",
                                    "Welzijn op recept"]
    for _label, cells in rows:
        numbers = [int(n.replace(".", "")) for n in re.findall(r'<td class="[^"]*numeric[^"]*">([\d.]+)</td>', cells)]
        assert sum(numbers[:5]) == members  # every gemeente in exactly one state


def test_regions_without_a_mandate_holder_are_listed(login):
    Region.objects.create(name="Testregio zonder mandaat", slug="testregio-zonder-mandaat")
    html = login("ministerie").get(NATIONAL).content.decode()
    panel = html.split('id="paneel-zonder-mandaathouder"')[1].split("</section>")[0]
    assert "Testregio zonder mandaat" in panel and "Flevoland" not in panel


def test_csv_download_has_dutch_headers_a_bom_and_escapes_formulas(login):
    region = Region.objects.create(name="=HYPERLINK(\"x\")", slug="formule")
    m = Municipality.objects.get(cbs_code="GM0034")
    response = login("ministerie").get(NATIONAL + "zonder-mandaathouder.csv", {"jaar": "2025"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="landelijk-2025-zonder-mandaathouder.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["IZA-regio", "Gemeenten"]
    assert not any(r[0].startswith("=") for r in rows[1:])
    del region, m


def test_xlsx_download_has_a_frozen_bold_header_and_euro_amounts(login):
    response = login("ministerie").get(NATIONAL + "besteding-provincie.xlsx", {"jaar": "2025"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["Provincie", "Verdeling", "Toegekend", "Besteding", "Besteed (%)"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    amounts = [row[1] for row in sheet.iter_rows(min_row=2) if isinstance(row[1].value, int)]
    assert amounts and all("€" in c.number_format for c in amounts)
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} >= {"Flevoland", "Limburg"}


def test_svg_download_is_a_standalone_svg_file_with_a_title(login):
    response = login("kerngroep").get(NATIONAL + "ketenaanpak.svg", {"jaar": "2025"})
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Dekking ketenaanpakken" in root.find("{http://www.w3.org/2000/svg}title").text


def test_a_table_without_chart_has_no_svg_download_and_unknown_panels_404(login):
    client = login("ministerie")
    assert client.get(NATIONAL + "zonder-mandaathouder.svg").status_code == 404
    assert client.get(NATIONAL + "bestaat-niet.csv").status_code == 404
    assert client.get(NATIONAL + "aanvragen.exe").status_code == 404


def test_region_dashboard_shows_mandate_holder_declarations_and_regioplan(login):
    html = login("gemeente2").get(f"/monitoring/regio/{_flevoland().slug}/").content.decode()
    assert "Almere, sinds" in html
    members = RegionMembership.objects.valid_on().filter(region=_flevoland()).count()
    assert f"van {members - 1} gemeenten" in html  # every member but the mandate holder declares
    assert re.search(r'Lelystad</th><td class="utrecht-table__cell">Ondertekend op \d\d-\d\d-\d{4}</td>', html)
    assert re.search(r'Dronten</th><td class="utrecht-table__cell">Ontbreekt</td>', html)
    assert "Regioplan</dt>\n  <dd class=\"col-sm-8\">Aanwezig in de aanvraag" in html
    assert 'data-panel-table="verdeling-besteding"' in html


def test_region_dashboard_counts_only_its_own_members(login):
    ChainStateChange.objects.filter(municipality__memberships__region=_flevoland()).delete()
    html = login("gemeente").get(f"/monitoring/regio/{_flevoland().slug}/").content.decode()
    members = RegionMembership.objects.valid_on().filter(region=_flevoland()).count()
    assert f"Stand per ketenaanpak van {members} gemeenten" in html


def test_gemeenten_reach_their_page_and_their_regions_dashboard_from_the_menu(login):
    client = login("gemeente3")
    start = client.get("/").content.decode()
    assert 'href="/monitoring/"' in start
    response = client.get("/monitoring/")
    assert response.status_code == 302 and response["Location"].endswith("/monitoring/gemeente/GM0928/")
    page = client.get(response["Location"]).content.decode()
    assert "/monitoring/regio/zuid-limburg/" in page or "dashboard van IZA-regio Zuid-Limburg" in page


def _province_row(client, province, year):
    response = client.get(NATIONAL + "besteding-provincie.xlsx", {"jaar": str(year)})
    sheet = load_workbook(io.BytesIO(response.content)).active
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] == province:
            return row
    return (province, 0, 0, 0, None)


def test_spending_of_a_submitted_sisa_report_counts_against_the_allocation_and_a_concept_does_not(login):
    from django.contrib.auth import get_user_model

    from monitoring import ledger_posting
    from monitoring.models import SpendingLine, SpendingReport

    client = login("ministerie")
    before = _province_row(client, "Flevoland", 2025)
    user = get_user_model().objects.get(username="gemeente2")
    lelystad = Municipality.objects.get(cbs_code="GM0995")
    SpendingReport.objects.filter(municipality=lelystad, year=2025).delete()
    submitted = SpendingReport.objects.create(municipality=lelystad, regulation="brede_spuk", year=2025,
                                              status="ingediend", created_by=user)
    SpendingLine.objects.create(report=submitted, component=None, expenditure=12_345, cumulative=12_345)
    ledger_posting.post_report(submitted)  # what submitting books in the grant ledger, which the dashboard reads
    concept = SpendingReport.objects.create(municipality=lelystad, regulation="brede_spuk", year=2025, version=2,
                                            status="concept", created_by=user)
    SpendingLine.objects.create(report=concept, component=None, expenditure=99_999, cumulative=99_999)
    after = _province_row(client, "Flevoland", 2025)
    assert after[3] - (before[3] or 0) == 12_345 and after[1] == before[1]  # Besteding; Verdeling unchanged
    assert after[1] > 0  # the allocation of the demo run
    html = client.get(NATIONAL, {"jaar": "2025", "provincie": "Flevoland"}).content.decode()
    table = html.split('data-panel-table="besteding-onderdeel"')[1].split("</table>")[0]
    assert "Brede SPUK (één regel, alle onderdelen)" in table  # from 2025 one SiSa line


def test_gemeenten_late_with_sisa_are_listed_after_the_deadline(login):
    from monitoring import ledger_posting
    from monitoring.models import PriorGrant

    kerkrade = Municipality.objects.get(cbs_code="GM0928")
    ledger_posting.post_prior_grant(PriorGrant.objects.create(municipality=kerkrade, regulation="brede_spuk", year=2023,
                                                              amount=50_000, reference="DUS-I 2023-TEST"))
    html = login("kerngroep").get(NATIONAL, {"jaar": "2023"}).content.decode()
    panel = html.split('id="paneel-sisa-te-laat"')[1].split("</section>")[0]
    assert "Kerkrade" in panel
    html = login("kerngroep").get(NATIONAL, {"jaar": "2023", "provincie": "Flevoland"}).content.decode()
    panel = html.split('id="paneel-sisa-te-laat"')[1].split("</section>")[0]
    assert "Kerkrade" not in panel  # the filter applies


def test_advice_and_decisions_per_month_follow_the_year_filter(login):
    """The monthly panel shows the months of the chosen year, like every other panel: the demo's decision of today
    (Urk, granted) is in this month's row when this year is chosen, and not in last year's months."""
    from django.utils import timezone

    from applications.models import GrantDecision

    today = timezone.localdate()
    decided_now = GrantDecision.objects.filter(decided_on__year=today.year, decided_on__month=today.month).count()
    assert decided_now >= 1  # the demo's decision
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december"]

    def rows_for(year):
        html = login("ministerie").get(NATIONAL, {"jaar": str(year)}).content.decode()
        table = html.split('data-panel-table="advies-besluiten"')[1].split("</table>")[0]
        return re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]

    this_year = rows_for(today.year)
    assert len(this_year) == today.month and f"januari {today.year}" in this_year[0]
    assert f"{months[today.month - 1]} {today.year}" in this_year[-1]
    assert re.findall(r"<td[^>]*>\s*([\d.]+)\s*</td>", this_year[-1])[-1] == str(decided_now)
    last_year = rows_for(today.year - 1)
    assert len(last_year) == 12 and f"januari {today.year - 1}" in last_year[0]
    assert f"december {today.year - 1}" in last_year[-1]


def test_a_province_and_a_region_that_exclude_each_other_say_so_instead_of_zero_gemeenten(login):
    client = login("ministerie")
    html = client.get(NATIONAL, {"provincie": "Limburg", "regio": _flevoland().slug, "jaar": "2025"}).content.decode()
    assert "De filters sluiten elkaar uit: IZA-regio Flevoland ligt in Flevoland, niet in Limburg." in html
    assert "(0 gemeenten" not in html
    fits = client.get(NATIONAL, {"provincie": "Flevoland", "regio": _flevoland().slug, "jaar": "2025"}).content.decode()
    shown = re.search(r"\((\d+) gemeenten", fits)
    assert "sluiten elkaar uit" not in fits and shown and int(shown.group(1)) > 0


def test_chart_text_stays_readable_on_a_phone():
    """The chart is drawn 1:1 up to its own width; a 390 px phone leaves about 260 px for it (the browser test
    measures the real text): its text must stay at least 11 px high there (it was about 5 px)."""
    from spukportal.charts import COUNT, FONT_SIZE, WIDTH, Column, Panel, Table, bar_chart

    svg = bar_chart(Panel("p", "Proef", Table([Column("Maand"), Column("Adviezen", COUNT), Column("Besluiten", COUNT)],
                                              [["januari 2026", 3, 4]]), series=[1, 2]))
    assert f'viewBox="0 0 {WIDTH} ' in svg and f'font-size="{FONT_SIZE}"' in svg
    assert FONT_SIZE * min(1, 260 / WIDTH) >= 11


@pytest.mark.parametrize("params", [{"kaart": "kaart-besteding"}, {"provincie": "Flevoland"}, {"jaar": ""}])
def test_without_a_year_the_year_list_shows_the_year_the_page_shows(login, params):
    """A map or filter asked for without a year (a bookmark, a typed link) shows last year's figures, and the year
    list says that year instead of its first entry (which a next 'Filter toepassen' would have sent)."""
    from monitoring.dashboards.selectors import default_year

    html = login("ministerie").get(NATIONAL, params).content.decode()
    year = default_year()
    assert f"Landelijk dashboard {year}" in html
    year_list = html.split('name="jaar"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\d+)"[^>]*selected', year_list) == [str(year)]
    region = login("gemeente").get("/monitoring/regio/flevoland/", {"kaart": "x"}).content.decode()
    assert re.findall(r'<option value="(\d+)"[^>]*selected', region.split('name="jaar"')[1].split("</select>")[0]) \
        == [str(year)]
