import re

from playwright.sync_api import expect

from .conftest import a11y, log_in


def test_officer_of_almere_sees_the_gemeente_its_region_and_members(page):
    log_in(page, "gemeente")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Gemeente Almere")).to_be_visible()
    expect(main).to_contain_text("GM0034")
    expect(main).to_contain_text("Flevoland")
    expect(main.get_by_role("link", name="Lelystad")).to_be_visible()
    expect(main).to_contain_text("dat is deze gemeente")  # Almere is the mandate holder

    main.get_by_role("link", name="Flevoland", exact=True).first.click()  # the region (not the IZA application)
    expect(page.get_by_role("heading", level=1)).to_have_text("IZA-regio Flevoland")
    a11y(page)
    rows = page.get_by_role("table", name="Gemeenten in Flevoland").locator("tbody tr")
    expect(rows).to_have_count(5)

    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.locator("summary", has_text="Meer").click()  # the less-used pages sit under "Meer"
    nav.get_by_role("link", name="Gemeenten", exact=True).click()
    a11y(page)
    page.get_by_label("Provincie").select_option("Flevoland")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("main")).to_contain_text("6 gemeenten gevonden")
    a11y(page)
    # Typing filters the list as you go (htmx), and the address keeps the filter.
    page.get_by_label("Zoek op naam of CBS-code").fill("lely")
    expect(page.locator("main")).to_contain_text("1 gemeente gevonden")
    expect(page.locator("main table tbody")).to_contain_text("Lelystad")
    assert "q=lely" in page.url
    a11y(page)

    # The ministry's overview is not for an officer: the navigation does not offer it, the URL refuses.
    expect(page.get_by_role("link", name="Mandaathouders")).to_have_count(0)
    response = page.goto(page.base + "/ministerie/mandaathouders/")
    assert response.status == 403
    a11y(page)


def test_ministry_sees_every_region_with_its_mandate_holder(page):
    log_in(page, "ministerie")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.locator("summary", has_text="Meer").click()
    nav.get_by_role("link", name="Mandaathouders").click()
    a11y(page)
    expect(page.locator("main")).to_contain_text("Regio's met mandaathouder (42)")
    expect(page.get_by_role("row", name=re.compile("Twente"))).to_contain_text("Openbaar lichaam")
