"""The gemeente kept informed: submit, see the kenmerk, download the receipt, see the notification
with the unread badge, withdraw with confirmation and start again in the same period."""

import re

from playwright.sync_api import expect

from applications.models import Application
from tests.applications import factories as f

from .conftest import a11y, log_in, shoot




def test_gemeente_submits_gets_receipt_and_notification_withdraws_and_starts_again(page):
    period = f.scenario()
    period.name = "Informatieperiode"
    period.save()
    app = f.fill_completely(f.draft(period))

    log_in(page, "gemeente")
    page.goto(page.base + f"/aanvragen/{app.pk}/indienen/")
    a11y(page)
    page.get_by_label(re.compile("Ik bevestig dat deze aanvraag is ondertekend")).check()
    page.get_by_role("button", name="Aanvraag definitief indienen").click()
    app.refresh_from_db()
    expect(page.locator("main")).to_contain_text(f"Kenmerk: {app.reference}")
    a11y(page)
    shoot(page, "informed-detail")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ontvangstbevestiging (pdf)").first.click()
    assert download.value.suggested_filename.endswith(".pdf")

    expect(page.locator(".portal-header__user")).to_contain_text("Meldingen 1")
    page.get_by_role("link", name=re.compile("^Meldingen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    expect(page.locator("main")).to_contain_text(f"Ontvangstbevestiging {app.reference}")
    a11y(page)
    shoot(page, "informed-meldingen")

    page.goto(page.base + "/")
    a11y(page)
    shoot(page, "informed-start-gemeente")

    page.goto(page.base + f"/aanvragen/{app.pk}/intrekken/")
    a11y(page)
    page.get_by_role("button", name="Aanvraag intrekken").click()
    expect(page.locator("main")).to_contain_text("Vink aan dat u de aanvraag wilt intrekken.")
    a11y(page)
    page.get_by_label("Waarom trekt u de aanvraag in?").fill("We dienen een herzien plan in.")
    page.get_by_label(re.compile("Ik wil deze aanvraag intrekken")).check()
    page.get_by_role("button", name="Aanvraag intrekken").click()
    expect(page.locator("main")).to_contain_text("Ingetrokken")
    a11y(page)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Aanvragen").click()
    a11y(page)
    page.get_by_role("link", name="Aanvraag starten: Informatieperiode (Almere)").click()
    a11y(page)
    page.get_by_role("button", name="Aanvraag aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Onderdelen en bedragen")
    a11y(page)
    assert Application.objects.filter(period=period, municipality__cbs_code="GM0034").count() == 2
    assert Application.objects.get(pk=app.pk).state == "ingetrokken"
