"""SPUK IZA money in the browser, as the mandate holder (Almere, "gemeente"), the kerngroep and the ministry use it:
- a change request: Almere asks to raise Flevoland's 2025 line; the ministry asks the kerngroep's advice; the
  kerngroep advises; the ministry grants it; Almere sees the amended amounts, the same as the region's page;
- the region's determination: Almere reads it (figures, reclaim, letter) with the same reclaim as the SiSa page of
  the final accounting; Lelystad (a member) reads that SiSa page with the amount, without a link it cannot follow.
axe on every page; screenshots at 1280 and 390 px (var/screenshots/)."""

import datetime

from playwright.sync_api import expect

from applications.amendments.models import AmendedDecision
from applications.decisions import services as decision_services
from applications.intake import services as app_services
from budgets.ledger import selectors as ledger
from tests.applications import factories as f
from tests.monitoring import iza_determination_factories as iza

from .conftest import a11y, log_in, shoot


def euro(amount):
    return f"€ {amount:,}".replace(",", ".")


def _in_view_on_a_phone(page, locator):
    """At 390 px the figure is on screen, not behind a table's sideways scroll."""
    page.set_viewport_size({"width": 390, "height": 900})
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    page.set_viewport_size({"width": 1280, "height": 900})


def _iza_decision():
    """Flevoland's SPUK IZA 2025–2026 granted in the portal: a regional line per year (€ 600.000 in 2025) and a
    local line for Lelystad in 2026."""
    from tests.applications.test_decisions import _complete_iza

    period = f.iza_scenario(cap=1_000_000)
    f.without_prior_grants()  # the demo's pre-portal grant for Flevoland covers these years
    app = f.iza_draft(period)
    app = app_services.application_save_lines(
        actor=f.user("gemeente"), application=app, base_version=app.edit_version,
        lines=[f.line(amount=600_000), f.line("Lokale inzet", "lokaal", "GM0995", 2026, 300_000)])
    app = f.with_final_advice(_complete_iza(app), "positief")
    return decision_services.decision_make(actor=f.user("ministerie"), application=app, outcome="toegekend",
                                           decided_on=datetime.date(2025, 3, 10))


def test_mandate_holder_asks_kerngroep_advises_ministry_grants_the_iza_change(page):
    decision = _iza_decision()
    app = decision.application
    main = page.locator("main")

    log_in(page, "gemeente")
    page.goto(f"{page.base}/aanvragen/{app.pk}/")
    a11y(page)
    page.get_by_role("button", name="Wijziging aanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijziging aanvragen")
    a11y(page)
    field = page.locator("input[id^='id_bedrag-plan_line-'][id$='-2025']")
    expect(field).to_have_value("600.000")
    page.get_by_label("Reden van de wijziging").fill("Meer regionale coördinatie in 2025.")
    page.get_by_label("Wijziging van het plan van aanpak").fill("Een extra regionale coördinator.")
    field.fill("700.000")
    shoot(page, "iza-wijziging-formulier")
    page.get_by_role("button", name="Opslaan en controleren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verzoek om wijziging van beschikking")
    expect(main).to_contain_text("€ 1.000.000")
    a11y(page)
    shoot(page, "iza-wijziging-verzoek")
    page.get_by_role("button", name="Verzoek indienen").click()
    expect(main).to_contain_text("Status: Ingediend")
    a11y(page)

    page.context.clear_cookies()
    log_in(page, "ministerie")
    page.goto(f"{page.base}/aanvragen/wijzigingen/")
    a11y(page)
    page.get_by_role("link", name="Flevoland").first.click()
    a11y(page)
    expect(page.get_by_role("link", name="Besluit nemen")).to_have_count(0)  # the kerngroep advises first
    page.get_by_role("button", name="Advies vragen aan de kerngroep").click()
    expect(main).to_contain_text("Advies gevraagd aan de kerngroep")
    a11y(page)

    page.context.clear_cookies()
    log_in(page, "kerngroep")
    page.goto(f"{page.base}/aanvragen/wijzigingen/")
    a11y(page)
    shoot(page, "iza-wijziging-wachtrij-kerngroep")
    page.get_by_role("link", name="Flevoland").first.click()
    a11y(page)
    page.get_by_role("link", name="Advies geven").click()
    a11y(page)
    shoot(page, "iza-wijziging-advies")
    page.get_by_label("Positief").check()
    page.get_by_label("Motivering").fill("Past in het regioplan van Flevoland.")
    page.get_by_role("button", name="Advies vastleggen").click()
    expect(main).to_contain_text("Geadviseerd")
    a11y(page)
    shoot(page, "iza-wijziging-geadviseerd")

    page.context.clear_cookies()
    log_in(page, "ministerie")
    page.goto(f"{page.base}/aanvragen/wijzigingen/")
    a11y(page)
    page.get_by_role("link", name="Flevoland").first.click()
    a11y(page)
    expect(main).to_contain_text("Past in het regioplan van Flevoland.")
    page.get_by_role("link", name="Besluit nemen").click()
    a11y(page)
    page.get_by_label("Wijziging toekennen").check()
    page.get_by_role("button", name="Verder naar bevestigen").click()
    expect(main).to_contain_text("€ 900.000 wordt € 1.000.000")
    a11y(page)
    page.get_by_role("button", name="Bevestigen: wijziging toekennen").click()
    expect(main).to_contain_text("Het besluit is vastgelegd.")
    a11y(page)
    amended = AmendedDecision.objects.get(decision=decision)
    granted = {y: p.granted for y, p in ledger.position(app.region, app.regulation).items() if p.granted}
    assert granted == {2025: 700_000, 2026: 300_000}

    page.context.clear_cookies()
    log_in(page, "gemeente")
    page.goto(f"{page.base}/aanvragen/{app.pk}/")
    a11y(page)
    expect(main).to_contain_text(f"Gewijzigd bij besluit {amended.reference}")
    expect(main).to_contain_text("€ 1.000.000 (2025: € 700.000; 2026: € 300.000)")
    shoot(page, "iza-wijziging-aanvraag-mandaathouder")


def test_mandate_holder_reads_the_regions_determination_and_a_member_its_reclaim(page):
    d = iza.determined(render=True)
    reclaim = euro(d.reclaim)
    main = page.locator("main")

    log_in(page, "gemeente")
    page.goto(f"{page.base}/vaststelling/")
    a11y(page)
    expect(main).to_contain_text(reclaim)
    shoot(page, "iza-vaststelling-lijst-mandaathouder")
    _in_view_on_a_phone(page, page.get_by_test_id("reclaim"))
    page.get_by_role("link", name="SPUK IZA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vaststelling SPUK IZA – Flevoland")
    a11y(page)
    expect(page.get_by_test_id("reclaim")).to_have_text(reclaim)
    expect(main).to_contain_text("IZA-regio Flevoland, mandaathouder Almere")
    expect(main).to_contain_text("niet naar een volgend jaar")
    expect(page.get_by_role("link", name="Vaststellingsbrief openen (pdf)")).to_be_visible()
    shoot(page, "iza-vaststelling-mandaathouder")
    page.get_by_role("link", name="Eindverantwoording 2026 bekijken").click()
    a11y(page)
    expect(page.get_by_test_id("reclaim")).to_have_text(reclaim)
    expect(page.get_by_role("link", name=f"vaststelling {d.reference}")).to_be_visible()
    shoot(page, "iza-eindverantwoording-mandaathouder")
    _in_view_on_a_phone(page, page.get_by_role("cell", name=euro(d.final_report.lines.get().cumulative)))

    page.context.clear_cookies()
    log_in(page, "gemeente2")
    page.goto(f"{page.base}/verantwoording/{d.final_report.pk}/")
    a11y(page)
    expect(page.get_by_test_id("reclaim")).to_have_text(reclaim)
    expect(main).to_contain_text(f"vaststelling {d.reference}, gericht aan Almere")
    expect(page.get_by_role("link", name=f"vaststelling {d.reference}")).to_have_count(0)
    shoot(page, "iza-eindverantwoording-lid")
