"""Tables and charts at 1280 and 390 px: the review queue shows every column at 1280 and each application as a card
at 390, and so do the lists of applications, gemeenten and mandate declarations; the application's amounts and the
run page's gemeenten fit a phone; chart text stays readable on a phone; the ministry's menu is one line at 1280. Screenshots go to var/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import a11y, log_in, shoot

NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}

# Elements of `selector` whose right edge is beyond the viewport or hidden by a scroll box around them.
CUT_OFF = """(selector) => [...document.querySelectorAll(selector)].filter(e => {
  const r = e.getBoundingClientRect();
  if (r.width === 0) return false;
  const box = e.closest('.portal-table-scroll');
  const limit = box ? Math.min(box.getBoundingClientRect().right, window.innerWidth) : window.innerWidth;
  return r.right > limit + 1;
}).map(e => e.textContent.trim().slice(0, 30))"""


def test_review_queue_shows_every_column_at_1280_and_cards_at_390(page):
    page.set_viewport_size(WIDE)
    log_in(page, "kerngroep")
    page.goto(page.base + "/aanvragen/beoordeling/")
    a11y(page)
    assert page.evaluate(CUT_OFF, "#beoordelingslijst th[scope=col]") == []
    assert page.evaluate(CUT_OFF, "#beoordelingslijst tbody td") == []
    shoot(page, "ux-beoordelingslijst")
    page.set_viewport_size(NARROW)
    first = page.locator("#beoordelingslijst tbody tr").first
    for label in ("Tweede beoordelaar", "Ingediend op", "Advies uiterlijk", "Status"):
        cell = first.locator(f'[data-label="{label}"]')
        expect(cell).to_be_visible()
        assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= NARROW["width"], label
    assert page.evaluate(CUT_OFF, "#beoordelingslijst tbody td") == []


def _declarations_address():
    from applications.models import Application

    return f"/aanvragen/{Application.objects.filter(declarations__isnull=False).first().pk}/verklaringen/"


# Lists whose rows are cards at 390 px: (name, the address, the first card's link, the labels of its lines).
CARD_LISTS = {
    "aanvragenlijst": (lambda: "/aanvragen/", "Almere",
                       ("Regeling", "Periode", "Status", "Aangevraagd (totaal)", "Ingediend op")),
    "gemeentelijst": (lambda: "/gemeenten/", "'s-Gravenhage", ("CBS-code", "Provincie", "IZA-regio")),
    "mandaatverklaringen": (_declarations_address, None, ("Ondertekend door", "Verklaring")),
    # Also on the gemeente's start page: its narrow source column made a row some 400 px tall.
    "inwoners per peiljaar": (lambda: "/gemeenten/GM0034/", None, ("Inwoners", "Met gezondheidsachterstand", "Bron")),
}


@pytest.mark.parametrize("name", CARD_LISTS)
def test_the_officers_lists_are_a_card_per_row_at_390_with_whole_words(page, name):
    """The list of applications, of gemeenten, of mandate declarations and a gemeente's inhabitants: at 390 px each row is a card of "label:
    value" lines; their columns used to be squeezed into a phone's width, one or two letters per line
    ("Al / me / re")."""
    address, link, labels = CARD_LISTS[name]
    page.set_viewport_size(NARROW)
    log_in(page, "gemeente")
    page.goto(page.base + address())
    a11y(page)
    first = page.locator("main tbody tr").first
    if link:
        expect(first.get_by_role("link", name=link)).to_be_visible()
    for label in labels:
        cell = first.locator(f'[data-label="{label}"]')
        expect(cell).to_be_visible()
        assert cell.bounding_box()["width"] >= 0.7 * NARROW["width"], label  # a card's line, not a squeezed column
    assert page.evaluate(CUT_OFF, "main tbody :is(td, th)") == []
    shoot(page, f"ux-{name}")


def test_amounts_on_the_application_page_and_the_run_page_fit_a_phone(page):
    page.set_viewport_size(NARROW)
    log_in(page, "gemeente3")
    page.goto(page.base + "/aanvragen/")
    a11y(page)
    page.get_by_role("link", name="Kerkrade").first.click()
    a11y(page)
    expect(page.locator("main")).to_contain_text("Onderdelen en bedragen")
    assert page.evaluate(CUT_OFF, "main table :is(tbody, tfoot) :is(td, th)") == []
    shoot(page, "ux-aanvraag-kerkrade")

    page.context.clear_cookies()
    log_in(page, "ministerie")
    page.goto(page.base + "/budgetten/berekeningen/")
    a11y(page)
    page.get_by_role("link", name=re.compile("Demo: GALA-basisbegroting")).first.click()
    a11y(page)
    page.set_viewport_size(NARROW)
    assert page.evaluate(CUT_OFF, "main table :is(tbody, tfoot) :is(td, th)") == []
    sizes = page.evaluate("""() => [...document.querySelectorAll('main caption')].filter(c => c.offsetParent)
        .map(c => [parseFloat(getComputedStyle(c).fontSize),
                   parseFloat(getComputedStyle(document.querySelector('main h2')).fontSize)])""")
    assert sizes and all(caption <= heading for caption, heading in sizes), sizes
    shoot(page, "ux-berekening")


def test_chart_text_is_readable_on_a_phone_and_the_menu_is_one_line_at_1280(page):
    page.set_viewport_size(WIDE)
    log_in(page, "ministerie")
    tops = page.evaluate("() => [...document.querySelectorAll('#hoofdmenu > li')].map(li => li.getBoundingClientRect().top)")
    assert len(set(tops)) == 1, f"het menu loopt over meer regels: {tops}"
    page.goto(page.base + "/monitoring/landelijk/?jaar=2026")
    a11y(page)
    page.set_viewport_size(NARROW)
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('svg.dashboard-chart text')]
        .map(t => t.getBoundingClientRect().height).filter(h => h > 0))""")
    chart = page.evaluate("() => document.querySelector('svg.dashboard-chart').getBoundingClientRect().width")
    assert smallest >= 11, f"de kleinste tekst in een grafiek is {smallest:.1f} px hoog op 390 px (grafiek {chart} px)"
    shoot(page, "ux-landelijk-dashboard")
