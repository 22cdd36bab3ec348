"""SiSa in the browser: `gemeente` (Almere) files its brede SPUK 2025 report (a negative amount first: the
error at the field, the input kept), submits it and downloads the SiSa PDF (tasks run eagerly); then, as
Flevoland's mandate holder, files the region's SPUK IZA 2025 report with its H35B row for Lelystad.
axe on every page; screenshots at 1280 and 390 px go to var/screenshots/."""

from pathlib import Path

from playwright.sync_api import expect

from monitoring.accountability import services as sisa_services
from tests.monitoring import sisa_factories as f
from tests.pdf import pdf_text

from .conftest import SCREENSHOTS, a11y, log_in, shoot



def _nl(amount):
    return f"{amount:,}".replace(",", ".")


def test_gemeente_files_its_2025_report_downloads_the_pdf_and_files_the_iza_report(page):
    draft = f.almere_2025()
    frame = sisa_services.frame_of(draft)
    previous = frame.previous[None]
    log_in(page, "gemeente")
    page.goto(page.base + "/verantwoording/")
    a11y(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Verantwoording (SiSa)")
    expect(page.locator("main")).to_contain_text("toegekend vóór het portaal, kenmerk DUS-I-2025-BSPUK-GM0034")
    shoot(page, "sisa-lijst")
    page.locator(f'a[href="/verantwoording/{draft.pk}/"]').first.click()
    a11y(page)
    page.get_by_role("link", name="Bewerken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verantwoording Brede SPUK 2025 bewerken")
    a11y(page)
    # Negative spending: the error at the field, the input kept, nothing stored.
    page.locator("#id_l0_expenditure").fill("-1.000")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator("#foutoverzicht")).to_contain_text("De besteding kan niet negatief zijn.")
    expect(page.locator("#id_l0_expenditure")).to_have_value("-1.000")
    shoot(page, "sisa-bewerken-fout")
    spent = 1_250_000
    page.locator("#id_l0_expenditure").fill(_nl(spent))
    page.locator("#id_l0_correction").fill("0")
    expect(page.locator("#id_l0_cumulative")).to_be_disabled()  # /04 is computed by the portal, not typed
    page.locator("#id_carry_over").fill("10.000")
    page.get_by_role("button", name="Opslaan en verder naar indienen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("indienen")
    shoot(page, "sisa-indienen")
    page.get_by_label("Ik heb de verantwoording gecontroleerd").check()
    page.get_by_role("button", name="Indienen", exact=True).click()
    expect(page.locator("main")).to_contain_text("De verantwoording is ingediend en vergrendeld")
    a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="SiSa-bijlage downloaden (pdf)").click()
    content = Path(download.value.path()).read_bytes()
    (SCREENSHOTS / "sisa-bijlage.pdf").write_bytes(content)
    text = pdf_text(content)
    assert "Gemeente Almere (GM0034)" in text and "/01 Besteding" in text and _nl(spent) in text
    assert _nl(previous + spent) in text and "Doorgeschoven naar 2026" in text

    # As Flevoland's mandate holder: the region's IZA report 2025, with the H35B row for Lelystad.
    page.goto(page.base + "/verantwoording/")
    a11y(page)
    page.get_by_label("Regeling").select_option("spuk_iza")
    page.get_by_label("Jaar").select_option("2025")
    page.get_by_role("button", name="Verantwoording starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verantwoording SPUK IZA 2025 bewerken")
    expect(page.locator("main")).to_contain_text("H35B – doorbetaald aan gemeenten in de regio")
    expect(page.locator("main")).to_contain_text("Lelystad (GM0995)")
    report = f.report(2025, "spuk_iza", status="concept")
    frame = sisa_services.frame_of(report)
    lelystad = f.Municipality.objects.get(cbs_code="GM0995")
    page.locator("#id_l0_expenditure").fill("2.000.000")
    page.locator(f"#id_t{lelystad.pk}_expenditure").fill("500.000")
    expect(page.locator(f"#id_t{lelystad.pk}_cumulative")).to_be_disabled()
    shoot(page, "sisa-iza-bewerken")
    page.get_by_role("button", name="Opslaan en verder naar indienen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("indienen")
    a11y(page)
    page.get_by_label("Ik heb de verantwoording gecontroleerd").check()
    page.get_by_role("button", name="Indienen", exact=True).click()
    expect(page.locator("main")).to_contain_text("De verantwoording is ingediend en vergrendeld")
    expect(page.locator("main")).to_contain_text("H35B")
    expect(page.get_by_role("link", name="SiSa-bijlage downloaden (pdf)")).to_be_visible()
    shoot(page, "sisa-iza-ingediend")
