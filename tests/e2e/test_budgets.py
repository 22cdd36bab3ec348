"""The budgets flow in a real browser (Debian Chromium), with a real Celery worker doing the work:
the ministry starts a run, watches it, opens the result, compares it with the official 2025 table and
downloads the reports; the officer of Almere sees only Almere's amounts and explanation."""

import re

import pytest

from .conftest import a11y, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.worker]


def test_ministry_runs_compares_and_downloads_and_an_officer_sees_only_their_own(celery_worker_process, page):
    log_in(page, "ministerie")
    page.goto(f"{page.base}/budgetten/berekeningen/nieuw/")
    a11y(page)
    page.get_by_label("2025", exact=True).check()
    page.get_by_label("Naam van de berekening").fill("Browserproef 2025")
    page.get_by_role("button", name="Berekening starten").click()
    # The page polls the run (htmx) and shows the result once the worker is done.
    page.get_by_role("heading", name="Bedragen per gemeente").wait_for(timeout=60_000)
    assert "Klaar" in page.locator("#run-status").inner_text()
    assert page.get_by_role("row", name=re.compile("^Almere GM0034")).is_visible()
    a11y(page)

    page.get_by_role("link", name=re.compile("^Vergelijken met ")).click()  # another finished run, never the run itself
    a11y(page)
    page.get_by_label("Berekening B (of officiële tabel)").select_option(
        label="Vastgesteld 2025–2026 (VWS-brief 12-09-2025, bijlage 2A)")
    page.get_by_label("Sorteren op").select_option("-verschil")
    page.get_by_role("button", name="Vergelijken").click()
    summary = page.get_by_text("Grootste verschil").inner_text()
    assert re.search(r"Grootste verschil: €\s?(\d|[12]\d|3[01])\.", summary), summary
    a11y(page)

    page.go_back()
    page.go_back()
    for fmt, label in (("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF")):
        page.get_by_label("Formaat").select_option(label=label)
        page.get_by_role("button", name="Rapport maken").click()
        link = page.get_by_role("link", name=re.compile(rf"\.{fmt} downloaden"))
        link.wait_for(timeout=90_000)
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith(f".{fmt}")
        assert download.value.path().stat().st_size > 1000

    page.get_by_role("button", name="Uitloggen").click()
    a11y(page)
    officer = page
    log_in(officer, "gemeente")
    officer.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn bedragen").click()
    text = officer.locator("main").inner_text()
    assert "Almere" in text and "Totaal IZA-regio Flevoland" in text and "Lelystad" not in text
    assert "Browserproef" not in text  # not made visible to gemeenten
    a11y(officer)
    officer.get_by_role("link", name=re.compile("^Hoe is dit bedrag berekend")).first.click()
    assert "Hoe is het bedrag van Almere berekend?" in officer.locator("h1").inner_text()
    a11y(officer)
    explanation_url = officer.url
    response = officer.goto(explanation_url.replace("GM0034", "GM0928"))
    assert response.status == 403
    a11y(officer)
