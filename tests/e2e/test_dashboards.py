"""The dashboards in the browser: `ministerie` opens the national dashboard, filters on a province, makes the spending
overview as XLSX (a Celery job; eager here) and downloads it from the downloads page (content checked with
openpyxl); `gemeente` records a ketenaanpak state (first a date in the future: the error at the field, the input
kept). Every chart has its table; axe clean; screenshots at 1280 and 390 px in var/screenshots/."""

import datetime
import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import a11y, log_in, shoot



def _every_chart_has_its_table(page):
    sections = page.locator("section.dashboard-panel").filter(has=page.locator("svg.dashboard-chart"))
    assert sections.count() >= 1
    for i in range(sections.count()):
        section = sections.nth(i)
        expect(section.locator("svg.dashboard-chart")).to_have_count(1)
        expect(section.locator("details table")).to_have_count(1)
        expect(section.get_by_role("link", name="grafiek als SVG")).to_be_visible()


def test_ministerie_filters_the_national_dashboard_and_exports_the_spending_overview(page):
    log_in(page, "ministerie")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Monitoring").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Landelijk dashboard")
    a11y(page)
    _every_chart_has_its_table(page)
    shoot(page, "landelijk-dashboard")

    page.get_by_label("Provincie", exact=True).select_option("Flevoland")
    page.get_by_role("button", name="Filter toepassen").click()
    expect(page.locator("main")).to_contain_text("in de provincie Flevoland")
    a11y(page)
    _every_chart_has_its_table(page)
    # The table behind the chart opens for those who want the figures.
    panel = page.locator("section.dashboard-panel").filter(has_text="per provincie")
    panel.locator("summary").click()
    expect(panel.locator("table")).to_contain_text("Flevoland")
    expect(panel.locator("table")).not_to_contain_text("Limburg")
    shoot(page, "landelijk-dashboard-flevoland")

    page.get_by_role("button", name="Landelijk bestedingsoverzicht als Excel (XLSX) maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Downloads")
    expect(page.locator("#downloads")).to_contain_text("Klaar")
    expect(page.locator("#downloads")).to_contain_text("geleden")
    expect(page.locator("#downloads")).to_contain_text("Eva Smit")
    a11y(page)
    shoot(page, "downloads")
    with page.expect_download() as info:
        page.locator("#downloads").get_by_role("link", name="downloaden").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    sheet = workbook["Gemeenten 2025"] if "Gemeenten 2025" in workbook.sheetnames else workbook.worksheets[0]
    assert sheet["A1"].value == "Gemeente" and sheet.freeze_panes == "A2"
    provinces = {row[2].value for row in sheet.iter_rows(min_row=2)}
    assert provinces == {"Flevoland"}
    assert "Almere" in {row[0].value for row in sheet.iter_rows(min_row=2)}


def test_gemeente_records_a_ketenaanpak_state(page):
    log_in(page, "gemeente")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Monitoring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoring gemeente Almere")
    a11y(page)
    shoot(page, "monitoring-gemeente")
    page.get_by_role("link", name="Nieuwe stand vastleggen").click()
    a11y(page)
    page.get_by_label("Ketenaanpak").select_option(label="Welzijn op recept")
    page.get_by_label("Toegankelijk").check()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    page.get_by_label("Sinds").fill(tomorrow.isoformat())
    page.get_by_label("Toelichting (niet verplicht)").fill("Loket bij de huisartsen open")
    page.get_by_role("button", name="Stand vastleggen").click()
    expect(page.locator("#foutoverzicht")).to_contain_text("De datum ligt in de toekomst")
    expect(page.get_by_label("Toelichting (niet verplicht)")).to_have_value("Loket bij de huisartsen open")
    a11y(page)
    shoot(page, "ketenaanpak-fout")
    page.get_by_label("Sinds").fill(datetime.date.today().isoformat())
    page.get_by_role("button", name="Stand vastleggen").click()
    expect(page.locator("main")).to_contain_text("stand ‘Toegankelijk’ vastgelegd")
    expect(page.locator('td[data-stand="welzijn_op_recept"]')).to_have_text("Toegankelijk")
    a11y(page)
    page.get_by_role("link", name="dashboard van IZA-regio Flevoland").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard IZA-regio Flevoland")
    a11y(page)
    _every_chart_has_its_table(page)
    shoot(page, "regio-dashboard")
