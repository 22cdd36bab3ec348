"""The kerngroep reviews Almere's application in the browser: additions asked and answered, four eyes,
positive advice. Screenshots of the queue and the assessment page at 1280 and 390 px."""

import re

from playwright.sync_api import expect

from tests.applications import factories as f

from .conftest import a11y, log_in, shoot




def log_out(page):
    page.get_by_role("button", name="Uitloggen").click()


def test_review_with_additions_and_four_eyes(page):
    period = f.scenario()
    period.name = "Beoordelingstestperiode"
    period.save()
    app = f.submitted(period)
    detail = f"{page.base}/aanvragen/{app.pk}/"

    log_in(page, "kerngroep")
    page.goto(page.base + "/aanvragen/beoordeling/?q=Almere")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beoordeling van aanvragen")
    shoot(page, "review-queue")
    page.get_by_role("link", name=app.reference).click()
    a11y(page)
    page.get_by_role("button", name="In behandeling nemen").click()
    expect(page.get_by_text("Status: In beoordeling")).to_be_visible()
    page.get_by_role("link", name="Naar de beoordeling").click()
    shoot(page, "review-assessment")
    page.get_by_role("link", name="Aanvulling vragen aan de gemeente").click()
    a11y(page)
    page.get_by_label("Punt 1").fill("Werk de valpreventie uit.")
    page.get_by_label("Punt 2").fill("Noem de partners.")
    page.get_by_role("button", name="Aanvulling vragen").click()
    expect(page.get_by_text("Status: Aanvulling gevraagd")).to_be_visible()
    log_out(page)

    log_in(page, "gemeente")
    page.goto(detail)
    a11y(page)
    expect(page.get_by_text("Werk de valpreventie uit.")).to_be_visible()
    page.get_by_label("Uw antwoord op punt 1").fill("Uitgewerkt in het plan.")
    page.get_by_label("Uw antwoord op punt 2").fill("GGD en welzijn.")
    page.get_by_role("button", name="Antwoorden opslaan").click()
    expect(page.get_by_label("Uw antwoord op punt 2")).to_have_value("GGD en welzijn.")
    page.goto(f"{page.base}/aanvragen/{app.pk}/indienen/")
    a11y(page)
    page.get_by_label(re.compile("Ik bevestig")).check()
    page.get_by_role("button", name=re.compile("indienen")).last.click()
    a11y(page)
    log_out(page)

    log_in(page, "kerngroep")
    page.goto(detail)
    expect(page.get_by_text("GGD en welzijn.")).to_be_visible()
    # the resubmission came straight back to its first reviewer: nothing to take again
    expect(page.get_by_text("Status: In beoordeling")).to_be_visible()
    expect(page.get_by_role("button", name="In behandeling nemen")).to_have_count(0)
    log_out(page)

    log_in(page, "kerngroep2")
    page.goto(detail)
    page.get_by_role("button", name="Tweede beoordelaar worden").click()
    expect(page.get_by_role("button", name="Tweede beoordelaar worden")).to_have_count(0)
    log_out(page)

    log_in(page, "kerngroep")
    page.goto(detail + "beoordeling/")
    for radio in page.get_by_role("radio", name="Voldoet", exact=True).all():
        radio.check()
    page.get_by_role("radio", name="Positief").check()
    page.get_by_label("Motivering van het advies").fill("Het plan voldoet aan het GALA.")
    page.get_by_role("button", name="Voorleggen aan de tweede beoordelaar").click()
    expect(page.get_by_text("Ter controle bij de tweede beoordelaar")).to_be_visible()
    a11y(page)
    log_out(page)

    log_in(page, "kerngroep2")
    page.goto(detail + "beoordeling/")
    a11y(page)
    page.get_by_role("button", name="Akkoord: positief advies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advies bevestigen")
    expect(page.get_by_text("Status: In beoordeling")).to_be_visible()
    a11y(page)
    shoot(page, "advies-bevestigen")
    page.get_by_role("button", name="Bevestigen: positief advies definitief maken").click()
    expect(page.get_by_text("Status: Positief advies")).to_be_visible()
    a11y(page)
