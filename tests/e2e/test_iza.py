"""SPUK IZA in the browser: Almere (mandate holder of Flevoland) applies for the region, Lelystad declares,
the rest of the declarations come from a fixture, and the region page shows the split."""

import re

from playwright.sync_api import expect

from tests.applications import factories as f

from .conftest import a11y, log_in, shoot


def _fill_line(page, number, *, activity, scope, year, amount, municipality=None):
    line = page.locator(f"fieldset#regel-{number}")
    line.get_by_label("Onderdeel van het regioplan / activiteit").fill(activity)
    line.get_by_label("Regionaal of lokaal").select_option(scope)
    if municipality:
        line.get_by_label("Gemeente (bij lokaal)").select_option(label=municipality)
    line.get_by_label("Jaar").select_option(str(year))
    line.get_by_label("Bedrag").fill(amount)
    return line


def test_lelystad_declares_almere_applies_for_flevoland_and_the_region_page_shows_the_split(page):
    period = f.iza_scenario(cap=1_000_000)
    period.name = "IZA-browserperiode"
    period.save()

    # Lelystad and Kerkrade cannot start the region's application: no button.
    log_in(page, "gemeente")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Aanvragen").click()
    a11y(page)
    page.get_by_role("link", name="Aanvraag starten: IZA-browserperiode (IZA-regio Flevoland)").click()
    a11y(page)
    page.get_by_role("button", name="Aanvraag aanmaken").click()

    # Step 1: regional and local lines; over the region's allocation the totals are shown, nothing is lost.
    expect(page.get_by_role("heading", level=1)).to_have_text("Begroting regionaal en lokaal")
    shoot(page, "iza-begroting")
    _fill_line(page, 1, activity="Regionale coördinatie", scope="regionaal", year=2025, amount="€ 600.000")
    _fill_line(page, 2, activity="Valpreventie in Lelystad", scope="lokaal", year=2025, amount="400.001",
               municipality="Lelystad")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.locator("main form .utrecht-alert--error")).to_contain_text(
        "De regels voor 2025 zijn samen € 1.000.001; de toekenning aan de regio voor 2025 is € 1.000.000.")
    expect(page.locator("fieldset#regel-2").get_by_label("Bedrag")).to_have_value("400.001")
    a11y(page)
    page.locator("fieldset#regel-2").get_by_label("Bedrag").fill("400.000")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan van aanpak")
    a11y(page)
    application = f.Application.objects.get(period=period)

    # Lelystad (a member) reads along and records its declaration.
    other_context = page.context.browser.new_context(locale="nl-NL")
    lelystad = other_context.new_page()
    lelystad.checked = set()
    lelystad.base = page.base
    log_in(lelystad, "gemeente2")
    lelystad.goto(f"{page.base}/aanvragen/")
    a11y(lelystad)
    expect(lelystad.get_by_role("link", name=re.compile("Aanvraag starten: IZA-browserperiode"))).to_have_count(0)
    lelystad.goto(f"{page.base}/aanvragen/{application.pk}/")
    a11y(lelystad)
    expect(lelystad.get_by_role("link", name="1. Begroting regionaal en lokaal")).to_have_count(0)  # read-only
    lelystad.get_by_role("link", name="Naar de mandaatverklaringen").click()
    a11y(lelystad)
    lelystad.get_by_label("Naam van de ondertekenaar").fill("J. de Vries")
    lelystad.get_by_label("Functie van de ondertekenaar").select_option("wethouder")
    lelystad.get_by_label("Datum van ondertekening").fill("2026-11-20")
    lelystad.get_by_label(re.compile("Ondertekende verklaring")).set_input_files(
        {"name": "Mandaatverklaring Lelystad.pdf", "mimeType": "application/pdf", "buffer": f.PDF})
    lelystad.get_by_role("button", name="Verklaring vastleggen").click()
    expect(lelystad.get_by_role("link", name="Mandaatverklaring Lelystad.pdf")).to_be_visible()
    a11y(lelystad)
    lelystad.get_by_role("button", name=re.compile(r"Intrekken\s*: verklaring Lelystad")).click()
    expect(lelystad.get_by_role("heading", level=1)).to_have_text("Mandaatverklaring van Lelystad intrekken?")
    shoot(lelystad, "iza-verklaring-intrekken")
    lelystad.get_by_role("link", name="Niet intrekken").click()
    expect(lelystad.get_by_role("link", name="Mandaatverklaring Lelystad.pdf")).to_be_visible()
    other_context.close()

    # Almere sees which declarations are still missing.
    page.goto(f"{page.base}/aanvragen/{application.pk}/verklaringen/")
    shoot(page, "iza-verklaringen")
    expect(page.locator("#ontbrekende-verklaringen li")).to_have_text(["Dronten", "Noordoostpolder", "Urk"])
    page.get_by_role("button", name="Herinnering sturen aan deze gemeenten").click()
    expect(page.locator("main")).to_contain_text("Geen herinnering gestuurd aan Dronten, Noordoostpolder en Urk")
    shoot(page, "iza-herinnering")
    for i, code in enumerate(["GM0303", "GM0171", "GM0184"]):  # the other members' declarations (fixture)
        f.declare(application, f.officer(f"e2e{i}", code), code)

    # The plan, signature and attachment, then submission.
    page.goto(f"{page.base}/aanvragen/{application.pk}/plan/")
    boxes = page.locator("main textarea")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.fill(f"Regionale aanpak, deel {i + 1}.")
        box.press("Tab")  # saved on leaving the section (a pause in typing: tests/e2e/test_applications.py)
        key = box.get_attribute("id").removeprefix("id_").removesuffix("-text")
        expect(page.locator(f"#status-{key}")).to_contain_text("Opgeslagen om", timeout=10_000)
    a11y(page)
    page.get_by_role("link", name="Verder naar mandaatverklaringen").click()
    expect(page.locator("main")).to_contain_text("Alle verklaringen zijn binnen.")
    page.get_by_role("link", name="Verder naar ondertekening").click()
    a11y(page)
    page.get_by_label("Naam van de ondertekenaar").fill("M. Jansen")
    page.get_by_label("Functie van de ondertekenaar").select_option("wethouder")
    page.get_by_label("Datum van ondertekening").fill("2026-11-20")
    page.get_by_label(re.compile("stemt in met het gebruik")).check()
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bijlagen")
    a11y(page)
    page.get_by_label(re.compile("Bestand")).set_input_files(
        {"name": "IZA-aanvraag ondertekend.pdf", "mimeType": "application/pdf", "buffer": f.PDF})
    page.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_role("link", name="IZA-aanvraag ondertekend.pdf")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Verder naar controleren en indienen").click()
    a11y(page)
    page.get_by_label(re.compile("Ik bevestig")).check()
    page.get_by_role("button", name="Aanvraag definitief indienen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("IZA-regio Flevoland")
    expect(page.locator("main")).to_contain_text("Status: Ingediend")
    a11y(page)

    # The region page shows the status, the declarations and the split.
    page.goto(f"{page.base}/regios/flevoland/")
    a11y(page)
    main = page.locator("main")
    expect(main).to_contain_text("Aanvraag IZA-browserperiode: status ingediend")
    expect(main).to_contain_text("Mandaatverklaringen: 4 aanwezig.")
    split = page.get_by_role("region", name="Verdeling van het regiobudget per jaar").first
    expect(split.get_by_role("row", name=re.compile("Lokaal: Lelystad"))).to_contain_text("€ 400.000")
    expect(split.get_by_role("row", name=re.compile("Totaal aangevraagd"))).to_contain_text("€ 1.000.000")
