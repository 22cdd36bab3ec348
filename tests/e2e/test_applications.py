"""The officer of Almere files a brede SPUK application in the browser, from start to submission."""

import re

from playwright.sync_api import expect

from tests.applications import factories as f

from .conftest import a11y, log_in, shoot


def test_officer_creates_fills_uploads_submits_and_sees_it_read_only(page):
    period = f.scenario()
    period.name = "Browsertestperiode"
    period.save()

    log_in(page, "gemeente")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Aanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen brede SPUK en SPUK IZA")
    a11y(page)
    page.get_by_role("link", name="Aanvraag starten: Browsertestperiode (Almere)").click()
    a11y(page)
    page.get_by_role("button", name="Aanvraag aanmaken").click()

    # Step 1: components and amounts. Valpreventie is marked mandatory before anything is submitted.
    expect(page.get_by_role("heading", level=1)).to_have_text("Onderdelen en bedragen")
    shoot(page, "aanvraag-onderdelen")
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
    shoot(page, "aanvraag-onderdelen-fout")
    valpreventie.get_by_label("Bedrag 2024").fill("€ 80.000")
    valpreventie.get_by_label("Bedrag 2025").fill("80.000")
    valpreventie.get_by_label("Bedrag 2026").fill("80000")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Step 2: the plan van aanpak, saved automatically while typing.
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan van aanpak")
    shoot(page, "aanvraag-plan")
    boxes = page.locator("main textarea")
    count = boxes.count()
    assert count >= 12  # start, 2 for valpreventie, 7 GALA elements, monitoring, coherence
    for i in range(count):
        # The first section is saved when the officer stops typing (two seconds), the others when they leave it.
        box = boxes.nth(i)
        box.fill(f"Onze aanpak, deel {i + 1}.")
        box.press("End" if i == 0 else "Tab")
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
    shoot(page, "aanvraag-indienen")
    page.get_by_role("button", name="Aanvraag definitief indienen").click()
    expect(page.locator("#id_confirm")).to_have_class(re.compile("utrecht-checkbox--invalid"))
    a11y(page)
    page.get_by_label(re.compile("Ik bevestig")).check()
    page.get_by_role("button", name="Aanvraag definitief indienen").click()

    # Read-only, with status in words and the timeline.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aanvraag Browsertestperiode – gemeente Almere")
    shoot(page, "aanvraag-detail")
    main = page.locator("main")
    expect(main.locator(".utrecht-alert--info")).to_contain_text("kan niet meer worden gewijzigd")
    expect(main).to_contain_text("Status: Ingediend")
    timeline = main.locator("section", has=page.get_by_role("heading", name="Tijdlijn"))
    expect(timeline).to_contain_text("Aanvraag aangemaakt")
    expect(timeline).to_contain_text("Aanvraag ingediend (versie 1)")
    expect(page.get_by_role("link", name="1. Onderdelen en bedragen")).to_have_count(0)
    expect(main.get_by_role("link", name="Aanvraag ondertekend.pdf")).to_be_visible()


def test_two_officers_typing_in_the_same_section_the_second_sees_the_conflict_and_keeps_his_text(page):
    period = f.scenario()
    app = f.draft(period)
    url = f"{page.base}/aanvragen/{app.pk}/plan/"
    log_in(page, "gemeente")
    page.goto(url)
    a11y(page)

    other_context = page.context.browser.new_context(locale="nl-NL")
    other = other_context.new_page()
    other.checked = set()  # a11y() bookkeeping; the fixture tracks only the first tab
    other.goto(page.base + "/inloggen/")
    other.get_by_label("Gebruikersnaam").fill("gemeente")
    other.get_by_label("Wachtwoord").fill("spuk-demo")
    other.get_by_role("button", name="Inloggen").click()
    other.goto(url)

    mine = page.get_by_role("textbox", name="Waar staat de gemeente nu")
    mine.fill("Tekst van Anna")
    mine.press("End")
    expect(page.locator("#status-uitgangssituatie")).to_contain_text("Opgeslagen om")

    theirs = other.get_by_role("textbox", name="Waar staat de gemeente nu")
    theirs.fill("Tekst van Bram")
    theirs.press("End")
    status = other.locator("#status-uitgangssituatie")
    expect(status).to_contain_text("een collega was u voor")
    expect(other.get_by_label("Tekst van uw collega (versie 1)")).to_have_value("Tekst van Anna")
    expect(theirs).to_have_value("Tekst van Bram")
    a11y(other)

    theirs.fill("Tekst van Anna, aangevuld door Bram")
    status.get_by_role("button", name=re.compile("Mijn tekst opslaan als nieuwe versie")).click()
    expect(status).to_contain_text("Opgeslagen om")
    expect(status).to_contain_text("versie 2")
    other_context.close()
    assert app.sections.get(key="uitgangssituatie").text == "Tekst van Anna, aangevuld door Bram"


def test_kerngroep_sees_submitted_applications_their_versions_and_differences(page):
    from applications.intake import services

    period = f.scenario()
    period.name = "Kerngroepperiode"
    period.save()
    f.draft(period)  # Almere's draft: never shown to the kerngroep
    lelystad = f.with_additions_requested(f.submitted(period, "GM0995", "gemeente2"))
    section = lelystad.sections.get(key="monitoring")
    services.application_save_section(actor=f.user("gemeente2"), application=lelystad, key="monitoring",
                                      text="Elk kwartaal een voortgangsgesprek.", base_version=section.version)
    f.answer_points(lelystad, "gemeente2")
    services.application_transition(actor=f.user("gemeente2"), application=lelystad, transition="opnieuw_indienen")

    log_in(page, "kerngroep")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Aanvragen").click()
    a11y(page)
    rows = page.get_by_role("row").filter(has_text="Kerngroepperiode")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Lelystad")
    rows.get_by_role("link", name="Lelystad").click()
    a11y(page)
    expect(page.locator("main")).to_contain_text("U ziet de laatst ingediende versie (2")
    page.get_by_role("link", name="Verschillen tussen versies bekijken").click()
    a11y(page)
    expect(page.locator("main ins")).to_contain_text(["Elk kwartaal een voortgangsgesprek."])
    page.go_back()
    page.get_by_role("link", name="Versie 1", exact=True).click()
    a11y(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Versie 1")


def test_ministry_creates_a_period_and_grants_kerkrade_an_extension(page):
    log_in(page, "ministerie")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.locator("summary", has_text="Meer").click()
    nav.get_by_role("link", name="Aanvraagperiodes").click()
    a11y(page)
    page.get_by_role("link", name="Nieuwe aanvraagperiode").click()
    a11y(page)
    page.get_by_label("Naam").fill("2027–2028")
    page.get_by_label("Eerste jaar").fill("2027")
    page.get_by_label("Laatste jaar").fill("2028")
    page.get_by_label("Opent op").fill("2027-01-04")  # later than today: a period opening now needs a linked run
    page.get_by_label("Sluit op").fill("2027-06-30")
    page.get_by_role("button", name="Opslaan").click()
    a11y(page)
    expect(page.get_by_role("row", name=re.compile("2027–2028"))).to_contain_text("30 juni 2027")
    page.get_by_role("link", name="Uitstel verlenen in 2027–2028").click()
    a11y(page)
    page.get_by_label("Gemeente").select_option(label="Kerkrade")
    page.get_by_label(re.compile("Nieuwe sluitingsdatum")).fill("2027-07-31")
    page.get_by_label("Reden").fill("Het raadsbesluit volgt in juli.")
    page.get_by_role("button", name="Uitstel verlenen").click()
    a11y(page)
    expect(page.get_by_role("row", name=re.compile("2027–2028"))).to_contain_text("Kerkrade t/m 31 juli 2027")
