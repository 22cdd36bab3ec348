"""The gemeente kept informed (issue 9): submit, see the kenmerk, download the receipt, see the notification
with the unread badge, withdraw with confirmation and start again in the same period."""

import re
from pathlib import Path

from playwright.sync_api import expect

from applications.models import Application
from tests.applications import factories as f

from .conftest import a11y, log_in

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"informed-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


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
    shoot(page, "detail")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ontvangstbevestiging (pdf)").first.click()
    assert download.value.suggested_filename.endswith(".pdf")

    expect(page.locator(".portal-header__user")).to_contain_text("Meldingen 1")
    page.get_by_role("link", name=re.compile("^Meldingen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    expect(page.locator("main")).to_contain_text(f"Ontvangstbevestiging {app.reference}")
    a11y(page)
    shoot(page, "meldingen")

    page.goto(page.base + "/")
    a11y(page)
    shoot(page, "start-gemeente")

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
