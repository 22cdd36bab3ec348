"""The whole money chain of one gemeente, as the demo has it: Heerlen (gemeente4) was granted 2024–2026 in the
portal, its change request lowered 2026 in an amended decision (-W1), every advance was paid, and its SiSa 2024,
2025 and 2026 (the final accounting) are in. The ministry determines it in the browser; then every page and PDF
that shows Heerlen's money shows the same amounts: what is granted per year after the amendment (Mijn bedragen,
the SiSa pages, the amended decision's letter), and the granted total, the determined amount and the reclaim
(the determination page, its letter, the SiSa page and the SiSa appendix). axe on every page; screenshots at 1280
and 390 px go to var/screenshots/."""

from django.urls import reverse

from applications.models import AmendedDecision, GrantDecision
from budgets.ledger import selectors as ledger
from monitoring.determination import selectors as determination_selectors
from monitoring.models import SpendingReport
from regions.models import Municipality
from spukportal.money import format_euro
from tests.pdf import pdf_text

from .conftest import a11y, log_in, shoot


def euro(amount) -> str:
    return format_euro(amount).replace("\xa0", " ")


def main_text(page) -> str:
    return page.locator("main").inner_text().replace("\xa0", " ")


def pdf(page, href) -> str:
    response = page.request.get(page.base + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    return " ".join(pdf_text(response.body()).replace("\xa0", " ").split())


def test_heerlens_money_agrees_on_every_page_and_pdf(page):
    heerlen = Municipality.objects.get(cbs_code="GM0917")
    granted = {year: p.granted for year, p in ledger.position(heerlen, "brede_spuk").items()}
    decision = GrantDecision.objects.get(application__municipality=heerlen)
    amended = AmendedDecision.objects.get(decision=decision)
    settlement = determination_selectors.settlement(heerlen, "brede_spuk")
    # The ledger holds the amended amounts: the amended decision's total, lower than the decision's in 2026 only.
    assert sorted(granted) == [2024, 2025, 2026] and amended.total == sum(granted.values())
    assert {line.year for line in amended.lines.all() if line.amount != line.old_amount} == {2026}
    assert settlement.reclaim == 12_500 and settlement.granted == amended.total
    total, determined, reclaim = euro(amended.total), euro(settlement.determined), euro(settlement.reclaim)

    log_in(page, "ministerie")
    page.get_by_role("link", name="Vaststelling", exact=True).click()
    a11y(page)
    page.get_by_label("Regeling").select_option("brede_spuk")
    page.get_by_role("button", name="Tonen").click()
    a11y(page)
    page.locator("tr", has_text="Heerlen").get_by_role("button", name="Concept maken").click()
    a11y(page)
    page.get_by_role("link", name="Vaststellen").click()
    a11y(page)
    page.get_by_label("Ik heb de bedragen gecontroleerd").check()
    page.get_by_role("button", name="Vaststellen").click()
    page.get_by_role("link", name="Vaststellingsbrief openen (pdf)").wait_for()
    text = main_text(page)
    assert reclaim in text and determined in text and total in text
    shoot(page, "keten-vaststelling-ministerie")
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, "gemeente4")
    # Mijn bedragen: what was granted per year, after the amended decision.
    page.get_by_role("link", name="Mijn bedragen").first.click()
    a11y(page)
    row = page.locator("tr", has_text="Toegekend aan Heerlen").first.inner_text().replace("\xa0", " ")
    for year in (2024, 2025, 2026):
        assert euro(granted[year]) in row, (year, row)
    shoot(page, "keten-mijn-bedragen")

    # The application: the amended decision with its letter, whose new amounts are the ledger's.
    page.goto(page.base + reverse("applications:detail", args=[decision.application_id]))
    a11y(page)
    assert amended.reference in main_text(page)
    shoot(page, "keten-aanvraag")
    letter = pdf(page, page.get_by_role("link", name=f"Wijzigingsbesluit {amended.reference} downloaden (pdf)")
                 .get_attribute("href"))
    assert total in letter and euro(granted[2026]) in letter

    # The determination, its letter, the final accounting and its SiSa appendix: the same three figures.
    page.get_by_role("link", name="Vaststelling", exact=True).click()
    a11y(page)
    page.get_by_role("link", name="Brede SPUK").click()
    a11y(page)
    text = main_text(page)
    assert reclaim in text and determined in text and total in text
    shoot(page, "keten-vaststelling-gemeente")
    letter = pdf(page, page.get_by_role("link", name="Vaststellingsbrief openen (pdf)").get_attribute("href"))
    assert f"vast op {determined} van de toegekende {total}" in letter and f"Ik vorder {reclaim} terug" in letter
    page.get_by_role("link", name="Eindverantwoording 2026 bekijken").click()
    a11y(page)
    text = main_text(page)
    assert f"Toegekend voor 2026: {euro(granted[2026])}" in text
    assert [t.replace("\xa0", " ").strip() for t in page.get_by_test_id("reclaim").all_inner_texts()] == [reclaim]
    shoot(page, "keten-sisa-2026")
    appendix = pdf(page, page.get_by_role("link", name="SiSa-bijlage downloaden (pdf)").get_attribute("href"))
    assert reclaim in appendix
    # The earlier years' reports show their own granted amounts.
    for year in (2024, 2025):
        report = SpendingReport.objects.get(municipality=heerlen, regulation="brede_spuk", year=year,
                                            status=SpendingReport.Status.SUBMITTED)
        page.goto(page.base + reverse("monitoring:sisa_detail", args=[report.pk]))
        a11y(page)
        assert f"Toegekend voor {year}: {euro(granted[year])}" in main_text(page)
