"""The final determination in the browser: the ministry finds Kerkrade's final accounting (demo: brede SPUK
2025–2026, 2025 underspent beyond the 10 % cap, 2026 overspent), makes the concept, checks the figures and
determines it (confirmation with the date); then Kerkrade (gemeente3) sees its determination, the letter and the
reclaim — the same amount on every page that shows it, the letter included. axe on every page; screenshots at
1280 and 390 px go to var/screenshots/."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from spukportal.dates import long_date

from tests.monitoring import determination_factories as f
from tests.pdf import pdf_text

from .conftest import SCREENSHOTS, a11y, log_in, shoot

RECLAIM = "€ 20.000"


def _reclaims(page):
    return [t.replace("\xa0", " ").strip() for t in page.locator('[data-testid="reclaim"]').all_inner_texts()]


def test_ministry_determines_and_the_gemeente_sees_the_same_reclaim_everywhere(page):
    report = f.final_report()
    # The demo's accountings are submitted when the test data is loaded: the letter is dated today.
    objection_until = long_date(timezone.localdate() + datetime.timedelta(weeks=6))
    log_in(page, "ministerie")
    page.get_by_role("link", name="Vaststelling", exact=True).click()
    a11y(page)
    page.get_by_label("Regeling").select_option("brede_spuk")
    page.get_by_role("button", name="Tonen").click()
    a11y(page)
    shoot(page, "vaststelling-wachtrij")
    row = page.locator("tr", has_text="Kerkrade")
    row.get_by_role("button", name="Concept maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vaststelling Brede SPUK – Kerkrade")
    a11y(page)
    assert _reclaims(page) == [RECLAIM]
    expect(page.get_by_test_id("determination-years")).to_contain_text("2025")
    shoot(page, "vaststelling-concept")
    page.get_by_role("link", name="Vaststellen").click()
    a11y(page)
    assert _reclaims(page) == [RECLAIM]
    page.get_by_role("button", name="Vaststellen").click()  # without the confirmation: refused, nothing stored
    expect(page.locator("main")).to_contain_text("Vink aan dat u de bedragen hebt gecontroleerd.")
    a11y(page)
    expect(page.get_by_label("Datum van de vaststelling (de brief)")).to_have_value(timezone.localdate().isoformat())
    page.get_by_label("Ik heb de bedragen gecontroleerd").check()
    shoot(page, "vaststelling-bevestigen")
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_test_id("objection-until")).to_contain_text(objection_until)
    a11y(page)
    assert _reclaims(page) == [RECLAIM]
    expect(page.get_by_role("link", name="Vaststellingsbrief openen (pdf)")).to_be_visible()
    shoot(page, "vaststelling-vastgesteld")
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, "gemeente3")
    page.get_by_role("link", name="Vaststelling", exact=True).click()
    a11y(page)
    assert _reclaims(page) == [RECLAIM]
    shoot(page, "vaststelling-gemeente-lijst")
    page.get_by_role("link", name="Brede SPUK").click()
    a11y(page)
    assert _reclaims(page) == [RECLAIM]
    expect(page.get_by_test_id("objection-until")).to_contain_text(objection_until)
    shoot(page, "vaststelling-gemeente")
    href = page.get_by_role("link", name="Vaststellingsbrief openen (pdf)").get_attribute("href")
    response = page.request.get(page.base + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    (SCREENSHOTS / "vaststelling-brief.pdf").write_bytes(response.body())
    letter = pdf_text(response.body())
    assert f"Ik vorder {RECLAIM} terug" in letter and objection_until in letter
    page.get_by_role("link", name="Eindverantwoording 2026 bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verantwoording Brede SPUK 2026")
    a11y(page)
    assert _reclaims(page) == [RECLAIM]
    assert report.pk and page.url.endswith(f"/verantwoording/{report.pk}/")
    shoot(page, "vaststelling-gemeente-sisa")
