"""A change request in the browser: Almere's officer asks to change a granted decision (one amount up, with
reasons), the ministry finds it in its queue and grants it after the confirmation step, and Almere sees the
amended amounts and downloads the amended decision's letter, whose text shows the old and new amounts.
Screenshots at 1280 and 390 px go to var/screenshots/."""

import io
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from applications.amendments.models import AmendedDecision
from tests.amendments.helpers import granted
from tests.applications import factories as f

from .conftest import SCREENSHOTS, a11y, log_in, shoot


def test_gemeente_asks_ministry_decides_gemeente_sees_the_amended_amounts_and_letter(page):
    period = f.scenario()
    period.name = "Wijzigingsperiode"
    period.save()
    decision = granted(period)
    app = decision.application
    first = f.components()[0]

    log_in(page, "gemeente")
    page.goto(f"{page.base}/aanvragen/{app.pk}/")
    a11y(page)
    page.get_by_role("button", name="Wijziging aanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijziging aanvragen")
    a11y(page)
    field = page.locator(f"#id_bedrag-component-{first.pk}-2025")
    expect(field).to_have_value("50.000")
    # Above the allocation the original decision used: the error at the field, nothing stored.
    page.get_by_label("Reden van de wijziging").fill("De valpreventie vraagt in 2025 meer inzet.")
    field.fill("100.001")
    page.get_by_role("button", name="Opslaan en controleren").click()
    expect(page.locator("main")).to_contain_text("ten hoogste € 100.000")
    a11y(page)
    shoot(page, "wijziging-formulier-fout")
    page.locator(f"#id_bedrag-component-{first.pk}-2025").fill("80.000")
    page.get_by_role("button", name="Opslaan en controleren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verzoek om wijziging van beschikking")
    expect(page.locator("main")).to_contain_text("€ 2.280.000")
    a11y(page)
    shoot(page, "wijziging-verzoek-gemeente")
    page.get_by_role("button", name="Verzoek indienen").click()
    expect(page.locator("main")).to_contain_text("Het verzoek om wijziging is ingediend.")
    expect(page.locator("main")).to_contain_text("Status: Ingediend")
    a11y(page)

    page.context.clear_cookies()
    log_in(page, "ministerie")
    page.goto(f"{page.base}/aanvragen/wijzigingen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzoeken om wijziging")
    a11y(page)
    shoot(page, "wijziging-wachtrij-ministerie")
    page.get_by_role("link", name="Almere").first.click()
    a11y(page)
    page.get_by_role("link", name="Besluit nemen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Besluit over de wijziging")
    a11y(page)
    shoot(page, "wijziging-besluit")
    page.get_by_label("Wijziging toekennen").check()
    page.get_by_role("button", name="Verder naar bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besluit bevestigen")
    expect(page.locator("main")).to_contain_text("€ 2.250.000 wordt € 2.280.000")
    a11y(page)
    shoot(page, "wijziging-besluit-bevestigen")
    page.get_by_role("button", name="Bevestigen: wijziging toekennen").click()
    expect(page.locator("main")).to_contain_text("Het besluit is vastgelegd.")
    a11y(page)
    amended = AmendedDecision.objects.get(decision=decision)
    assert amended.reference == decision.reference + "-W1"

    page.context.clear_cookies()
    log_in(page, "gemeente")
    page.goto(f"{page.base}/aanvragen/{app.pk}/")
    a11y(page)
    main = page.locator("main")
    expect(main).to_contain_text(f"Gewijzigd bij besluit {amended.reference}")
    expect(page.locator("#kop-wijzigingen + p + dl")).to_contain_text(
        "€ 2.280.000 (2024: € 750.000; 2025: € 780.000; 2026: € 750.000)")
    # The original decision stays readable, its letter too.
    expect(page.get_by_role("link", name=f"Beschikking {decision.reference} downloaden (pdf)")).to_be_visible()
    shoot(page, "wijziging-aanvraag-gemeente")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Wijzigingsbesluit {amended.reference} downloaden (pdf)").click()
    content = Path(download.value.path()).read_bytes()
    (SCREENSHOTS / "wijzigingsbesluit.pdf").write_bytes(content)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    text = text.replace("\xa0", " ")
    assert amended.reference in text and f"beschikking {decision.reference}" in text
    assert "€ 2.280.000" in text and "(was € 2.250.000)" in text and "€ 80.000" in text


def test_a_budget_cut_after_the_request_sends_it_back_to_the_gemeente(page):
    """Almere asks for more in 2026; before the ministry decides, a budget-change batch lowers 2026. The ministry
    sees why the request cannot be granted as it stands and sends it back; Almere sees what is granted now,
    saves its request again within the new allocation and submits it."""
    from applications.amendments import services
    from budgets.models import Allocation

    period = f.scenario()
    period.name = "Wijzigingsperiode"
    period.save()
    decision = granted(period)
    app = decision.application
    first = f.components()[0]
    request = services.change_request_start(actor=f.user("gemeente"), application=app)
    lines = [{**line, "amount": 60_000 if (line["component"], line["year"]) == (first.pk, 2026) else line["amount"]}
             for line in request.lines]
    request = services.change_request_save(actor=f.user("gemeente"), change_request=request, plan_text="",
                                           reasons="Meer valpreventie in 2026.", lines=lines)
    request = services.change_request_transition(actor=f.user("gemeente"), change_request=request,
                                                 transition="indienen")
    cut = f.AllocationRunFactory(name="Na korting 2026", years=[2026])
    f.allocate(cut, app.municipality, 40_000)
    Allocation.objects.filter(run=cut).exclude(year=2026).delete()
    batch = services.amendment_batch_start(actor=f.user("ministerie"), run=cut, decisions_=[decision],
                                           decided_on=decision.decided_on, reasons="Korting op de begroting 2026.")
    services.amendment_batch_run(batch_id=batch.pk)
    cut_reference = decision.reference + "-W1"

    log_in(page, "ministerie")
    page.goto(f"{page.base}/aanvragen/wijzigingen/{request.pk}/besluit/")
    a11y(page)
    expect(page.locator("main")).to_contain_text("De beschikking is gewijzigd nadat dit verzoek werd opgesteld.")
    expect(page.locator("main")).to_contain_text(cut_reference)
    shoot(page, "wijziging-besluit-na-korting")
    page.get_by_role("link", name="Annuleren").click()
    a11y(page)
    # The form to send it back is open already: the request cannot be granted as it stands.
    page.get_by_label("Toelichting").fill("Bekijk uw bedragen na de korting van 2026.")
    shoot(page, "wijziging-terugsturen")
    page.get_by_role("button", name="Ja, terugsturen").click()
    expect(page.locator("main")).to_contain_text("Het verzoek is teruggestuurd naar de aanvrager.")
    a11y(page)

    page.context.clear_cookies()
    log_in(page, "gemeente")
    page.goto(f"{page.base}/aanvragen/wijzigingen/{request.pk}/")
    a11y(page)
    expect(page.locator("main")).to_contain_text("Open het verzoek, controleer de bedragen")
    page.get_by_role("button", name="Verzoek indienen").click()  # unchanged: refused with the reason
    expect(page.locator("main")).to_contain_text("sla het opnieuw op")
    a11y(page)
    page.get_by_role("link", name="Verzoek bewerken").click()
    a11y(page)
    field = page.locator(f"#id_bedrag-component-{first.pk}-2026")
    expect(page.locator("main")).to_contain_text("Nu toegekend: € 40.000")
    shoot(page, "wijziging-bewerken-na-korting")
    field.fill("60.000")  # above the new allocation: the error at the field
    page.get_by_role("button", name="Opslaan en controleren").click()
    expect(page.locator("main")).to_contain_text("ten hoogste € 40.000")
    a11y(page)
    page.locator(f"#id_bedrag-component-{first.pk}-2026").fill("35.000")
    for other in f.components()[1:]:
        page.locator(f"#id_bedrag-component-{other.pk}-2026").fill("40.000")
    page.get_by_role("button", name="Opslaan en controleren").click()
    expect(page.locator("main")).not_to_contain_text("De beschikking is gewijzigd nadat")
    a11y(page)
    page.get_by_role("button", name="Verzoek indienen").click()
    expect(page.locator("main")).to_contain_text("Het verzoek om wijziging is ingediend.")
    a11y(page)
