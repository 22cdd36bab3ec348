"""The maps of the dashboards: every gemeente drawn and reachable with its value, legend counts that add up to
the map, the table behind it, the downloads, the region highlighted on a gemeente's page."""

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model

from monitoring.models import ASSESSMENT_TARGET_PERCENT, FallPreventionFigures
from regions import geo
from regions.models import Municipality

pytestmark = pytest.mark.django_db

NATIONAL = "/monitoring/landelijk/"


def _map(html):
    return html.split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]


def test_every_gemeente_has_a_boundary_and_every_boundary_a_gemeente():
    assert geo.check_against(Municipality.objects.values_list("cbs_code", flat=True)) == []
    assert all(geo.shapes().paths.values())


def test_the_national_map_has_every_gemeente_as_a_link_with_its_value_and_a_legend_that_adds_up(login):
    html = login("ministerie").get(NATIONAL, {"jaar": "2025"}).content.decode()
    svg = _map(html)
    labels = re.findall(r'<a href="/monitoring/gemeente/GM\d{4}/" aria-label="([^"]+)"', svg)
    assert len(labels) == Municipality.objects.count() == 342
    almere = next(label for label in labels if label.startswith("Almere: "))
    assert re.fullmatch(r"Almere: € \d+,\d\d per inwoner", almere.replace("\xa0", " ")), almere
    legend = html.split('class="dashboard-map-legend"')[1].split("</ul>")[0]
    assert sum(int(n) for n in re.findall(r"\((\d+) gemeenten?\)", legend)) == 342
    table = html.split('data-panel-table="kaart-verdeling"')[1].split("</table>")[0]
    assert table.count('<th scope="row"') == 342


def test_the_valpreventie_map_classes_a_gemeente_against_the_national_target(login):
    almere = Municipality.objects.get(cbs_code="GM0034")
    FallPreventionFigures.objects.filter(municipality=almere, year=2025).delete()
    FallPreventionFigures.objects.create(municipality=almere, year=2025, home_dwelling_65_plus=1000,
                                         assessments=ASSESSMENT_TARGET_PERCENT * 10, interventions=0,
                                         updated_by=get_user_model().objects.get(username="gemeente"))
    html = login("ministerie").get(NATIONAL, {"jaar": "2025", "kaart": "kaart-valrisico"}).content.decode()
    label = re.search(r'aria-label="(Almere: [^"]+)"', _map(html)).group(1)
    assert label == f"Almere: 14,0% valrisico-inschattingen (doel {ASSESSMENT_TARGET_PERCENT}%)"
    row = html.split('data-panel-table="kaart-valrisico"')[1].split("Almere")[1].split("</tr>")[0]
    assert "(doel gehaald)" in row


def test_a_region_map_draws_the_42_regions_as_links_to_their_dashboards(login):
    html = login("kerngroep").get(NATIONAL, {"jaar": "2025", "kaart": "kaart-regio-aanvraag"}).content.decode()
    links = re.findall(r'<a href="/monitoring/regio/[\w-]+/" aria-label="([^"]+)"', _map(html))
    assert len(links) == 42
    assert "Flevoland: Concept" in links


def test_an_unknown_map_shows_the_default_map(login):
    response = login("ministerie").get(NATIONAL, {"kaart": "<script>"})
    assert response.status_code == 200
    assert "Kaart: Verdeling per inwoner" in response.content.decode()


def test_the_map_downloads_are_a_standalone_svg_with_legend_and_credit_and_a_csv_of_every_gemeente(login):
    client = login("ministerie")
    svg = client.get(f"{NATIONAL}kaart-verdeling.svg", {"jaar": "2025"})
    assert svg["Content-Disposition"] == 'attachment; filename="landelijk-2025-kaart-verdeling.svg"'
    root = ET.fromstring(svg.content)
    text = "".join(root.itertext())
    assert "Legenda" in text and geo.CREDIT in text
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) >= 342
    rows = list(csv.reader(io.StringIO(client.get(f"{NATIONAL}kaart-verdeling.csv",
                                                  {"jaar": "2025"}).content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Gemeente", "CBS-code"] and len(rows) == 343


def test_a_gemeente_page_shows_its_region_outlined_and_only_the_region_as_links(login):
    html = login("gemeente").get("/monitoring/gemeente/GM0034/").content.decode()
    svg = _map(html)
    links = re.findall(r'aria-label="([^"]+)"', svg)
    assert "Almere: deze gemeente" in links
    assert sorted(links) == sorted(["Almere: deze gemeente"] + [f"{name}: in de IZA-regio Flevoland" for name in
                                                              ("Dronten", "Lelystad", "Noordoostpolder", "Urk")])
    assert 'stroke="#000000" stroke-width="5"' in svg  # the region's outline


def test_the_national_map_page_reaches_a_browser_compressed_and_whole(login):
    client = login("ministerie")
    plain = client.get(NATIONAL, {"jaar": "2025"})
    sent = client.get(NATIONAL, {"jaar": "2025"}, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert sent["Content-Encoding"] == "gzip"
    page = gzip.decompress(sent.content).decode()
    assert _map(page).count('<a href="/monitoring/gemeente/GM') == 342
    assert len(sent.content) < len(plain.content) / 4  # ~400 kB of HTML and SVG travel as under 100 kB
