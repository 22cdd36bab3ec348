"""The ministry's decision in the browser: ministerie opens Almere's application with a final positive advice,
keeps the requested amounts (lowering one), confirms, the letter is made (tasks run eagerly), and gemeente
downloads the PDF, whose text shows the granted amounts. Screenshots of the form and the batch page at 1280
and 390 px go to var/screenshots/."""

import io
import re
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.applications import factories as f

from .conftest import SCREENSHOTS, a11y, log_in, shoot




def test_ministerie_grants_and_gemeente_downloads_the_letter_with_the_amounts(page):
    period = f.scenario()
    period.name = "Besluitperiode"
    period.save()
    app = f.with_final_advice(f.submitted(period), "positief")
    f.with_final_advice(f.submitted(period, "GM0995", "gemeente2"), "positief")  # for the batch page
    first = f.components()[0]

    log_in(page, "ministerie")
    page.goto(f"{page.base}/aanvragen/{app.pk}/")
    a11y(page)
    page.get_by_role("link", name="Besluit nemen (beschikking)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besluit over de aanvraag van Almere")
    a11y(page)
    shoot(page, "beschikking-formulier")
    field = page.locator(f"#id_bedrag-component-{first.pk}-2026")
    expect(field).to_have_value("50.000")
    # Above the allocation: the error at the field, the input kept, nothing decided.
    field.fill("150.000")
    page.get_by_role("button", name="Verder naar bevestigen").click()
    expect(page.locator("#foutoverzicht")).to_contain_text("ten hoogste € 100.000")
    expect(page.locator(f"#id_bedrag-component-{first.pk}-2026")).to_have_value("150.000")
    a11y(page)
    shoot(page, "beschikking-formulier-fout")
    page.locator(f"#id_bedrag-component-{first.pk}-2026").fill("40.000")
    page.get_by_role("button", name="Verder naar bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besluit bevestigen")
    expect(page.locator("main")).to_contain_text("€ 2.240.000")
    a11y(page)
    shoot(page, "beschikking-bevestigen")
    page.get_by_role("button", name="Bevestigen: aanvraag toekennen").click()
    expect(page.locator("main")).to_contain_text("Het besluit is vastgelegd")
    expect(page.locator("#kop-beschikking")).to_be_visible()
    a11y(page)
    decision = f.Application.objects.get(pk=app.pk).decision
    expect(page.get_by_role("link", name=f"Beschikking {decision.reference} downloaden (pdf)")).to_be_visible()

    page.goto(f"{page.base}/aanvragen/beschikkingen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschikkingen maken")
    a11y(page)
    page.get_by_label("Alles selecteren").check()
    boxes = page.locator('input[name="applications"]')  # ours and the demo's waiting application(s)
    assert boxes.count() >= 1
    expect(page.locator('input[name="applications"]:checked')).to_have_count(boxes.count())
    shoot(page, "beschikkingen-reeks")
    page.get_by_role("button", name="Beschikkingen maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reeks beschikkingen bevestigen")
    expect(page.get_by_role("button", name=re.compile(r"^Bevestigen: \d+ beschikking"))).to_be_visible()
    shoot(page, "beschikkingen-reeks-bevestigen")
    page.get_by_role("button", name="Terug en wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschikkingen maken")
    expect(page.locator('input[name="applications"]:checked')).to_have_count(boxes.count())

    # Almere's officer downloads the letter; its text shows the granted amounts.
    page.context.clear_cookies()
    log_in(page, "gemeente")
    page.goto(f"{page.base}/aanvragen/{app.pk}/")
    a11y(page)
    expect(page.locator("main")).to_contain_text("Toegekend")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Beschikking {decision.reference} downloaden (pdf)").click()
    content = Path(download.value.path()).read_bytes()
    (SCREENSHOTS / "beschikking.pdf").write_bytes(content)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    text = text.replace("\xa0", " ")
    assert decision.reference in text and "gemeente Almere" in text
    assert "€ 2.240.000" in text and "€ 40.000" in text and "€ 50.000" in text
