"""The officer of Almere files a brede SPUK application in the browser, from start to submission."""

import re

from playwright.sync_api import expect

from tests.applications import factories as f

from .conftest import a11y, log_in


def test_officer_creates_fills_uploads_submits_and_sees_it_read_only(page):
    period = f.scenario()
    period.name = "Browsertestperiode"
    period.save()

    log_in(page, "gemeente")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Aanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen brede SPUK")
    a11y(page)
    page.get_by_role("link", name="Aanvraag starten: Browsertestperiode (Almere)").click()
    a11y(page)
    page.get_by_role("button", name="Aanvraag aanmaken").click()

    # Step 1: components and amounts. Valpreventie is marked mandatory before anything is submitted.
    expect(page.get_by_role("heading", level=1)).to_have_text("Onderdelen en bedragen")
    a11y(page)
    valpreventie = page.locator("fieldset", has=page.get_by_text("Valpreventie", exact=False)).filter(
        has=page.get_by_text("Verplicht", exact=True)).first
    expect(valpreventie.get_by_label(re.compile("Valpreventie aanvragen"))).to_be_checked()
    expect(valpreventie).to_contain_text("Toekenning 2024: € 100.000")
    valpreventie.get_by_label("Bedrag 2024").fill("€ 100.001")
    reasons = page.locator("textarea[name$='_reason']")
    for i in range(reasons.count()):
        reasons.nth(i).fill("Dit onderdeel loopt via de regio.")
    page.get_by_role("button", name="Opslaan en verder").click()
    # Above the allocation: a Dutch error on the field, and what was typed is still there.
    expect(valpreventie.get_by_label("Bedrag 2024")).to_have_value("€ 100.001")
    expect(valpreventie).to_contain_text("ten hoogste € 100.000")
    expect(reasons.first).to_have_value("Dit onderdeel loopt via de regio.")
    a11y(page)
    valpreventie.get_by_label("Bedrag 2024").fill("€ 80.000")
    valpreventie.get_by_label("Bedrag 2025").fill("80.000")
    valpreventie.get_by_label("Bedrag 2026").fill("80000")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Step 2: the plan van aanpak, saved automatically while typing.
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan van aanpak")
    a11y(page)
    boxes = page.locator("main textarea")
    count = boxes.count()
    assert count >= 12  # start, 2 for valpreventie, 7 GALA elements, monitoring, coherence
    for i in range(count):
        box = boxes.nth(i)
        box.fill(f"Onze aanpak, deel {i + 1}.")
        box.press("End")
        key = box.get_attribute("id").removeprefix("id_").removesuffix("-text")
        expect(page.locator(f"#status-{key}")).to_contain_text("Opgeslagen om", timeout=10_000)
    page.get_by_role("link", name="Verder naar ondertekening").click()

    # Step 3: signature and consent.
    a11y(page)
    page.get_by_label("Naam van de ondertekenaar").fill("M. Jansen")
    page.get_by_label("Functie van de ondertekenaar").select_option("wethouder")
    page.get_by_label("Datum van ondertekening").fill("2026-11-20")
    page.get_by_label(re.compile("stemt in met het gebruik")).check()
    page.get_by_role("button", name="Opslaan en verder").click()

    # Step 4: attachments. A file that only pretends to be a PDF is refused.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bijlagen")
    a11y(page)
    page.get_by_label(re.compile("Bestand")).set_input_files(
        {"name": "ondertekend.pdf", "mimeType": "application/pdf", "buffer": b"Dit is geen pdf"})
    page.get_by_role("button", name="Uploaden").click()
    expect(page.locator("main")).to_contain_text("is geen pdf-bestand")
    a11y(page)
    page.get_by_label(re.compile("Bestand")).set_input_files(
        {"name": "Aanvraag ondertekend.pdf", "mimeType": "application/pdf", "buffer": f.PDF})
    page.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_role("link", name="Aanvraag ondertekend.pdf")).to_be_visible()
    a11y(page)

    # Step 5: check and submit, with a confirmation.
    page.get_by_role("link", name="Verder naar controleren en indienen").click()
    a11y(page)
    expect(page.locator("main")).to_contain_text("De aanvraag is compleet")
    page.get_by_role("button", name="Aanvraag definitief indienen").click()
    expect(page.locator("#id_confirm")).to_have_class(re.compile("is-invalid"))
    a11y(page)
    page.get_by_label(re.compile("Ik bevestig")).check()
    page.get_by_role("button", name="Aanvraag definitief indienen").click()

    # Read-only, with status in words and the timeline.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aanvraag Browsertestperiode – gemeente Almere")
    a11y(page)
    main = page.locator("main")
    expect(main.locator(".alert-info")).to_contain_text("kan niet meer worden gewijzigd")
    expect(main).to_contain_text("Status: Ingediend")
    timeline = main.locator("section", has=page.get_by_role("heading", name="Tijdlijn"))
    expect(timeline).to_contain_text("Aanvraag aangemaakt")
    expect(timeline).to_contain_text("Aanvraag ingediend (versie 1)")
    expect(page.get_by_role("link", name="1. Onderdelen en bedragen")).to_have_count(0)
    expect(main.get_by_role("link", name="Aanvraag ondertekend.pdf")).to_be_visible()
