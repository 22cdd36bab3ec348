"""The eHerkenning button with the demo broker of `make run` (EHERKENNING_MOCK): a newcomer clicks "Inloggen met
eHerkenning", keeps the suggested organisation and pseudonym, and is the demo officer on Almere's pages."""

import importlib

import pytest
from django.urls import clear_url_caches
from playwright.sync_api import expect

from .conftest import a11y, shoot


def _reload_urls():
    import spukportal.urls

    clear_url_caches()
    importlib.reload(spukportal.urls)
    clear_url_caches()


@pytest.fixture
def eherkenning_mock(settings):
    settings.EHERKENNING_MOCK = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "spukportal.eherkenning.PortalEHerkenningBackend"]
    _reload_urls()
    yield
    settings.EHERKENNING_MOCK = False
    _reload_urls()


def test_demo_broker_leads_the_demo_officer_into_almeres_pages(eherkenning_mock, page):
    page.goto(page.base + "/inloggen/")
    shoot(page, "eherkenning-inlogpagina")
    page.get_by_role("link", name="Inloggen met eHerkenning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("eHerkenning (demonstratie)")
    expect(page.locator("main")).to_contain_text("Dit is geen echte eHerkenning")
    expect(page.get_by_label("Organisatie waarvoor u inlogt")).to_have_value(
        page.get_by_label("Organisatie waarvoor u inlogt").locator("option", has_text="Almere").get_attribute("value"))
    shoot(page, "eherkenning-demo-makelaar")
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_url(page.base + "/")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Gemeente Almere")).to_be_visible()
    expect(main).to_contain_text("GM0034")
    a11y(page)
    page.get_by_role("link", name="Aanvragen", exact=True).first.click()
    expect(page.locator("main")).to_contain_text("Almere")
    a11y(page)
