"""Every page of every demo role at 390 px wide has no horizontal scrolling of the page (a wide table scrolls
inside its own box), no word in a table broken across lines and no table caption running past the screen; the main
navigation collapses behind a "Menu" button; axe stays clean on every page at 390 px and on the main pages at 1280 px
as well (with the navigation bar a wide screen shows); with SCREENSHOTS=1, screenshots of the main pages at 1280
and 390 px are written to var/screenshots/ (git-ignored) for people to look at. And a form with errors moves focus
to its summary."""

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.access import ANONYMOUS, ROLES
from tests.access import all_cases as access_cases

from .conftest import a11y, log_in, screenshot

NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
NOT_PAGES = {  # files and htmx fragments, not pages a user reads
    "applications:attachment_download", "applications:declaration_download", "budgets:report_download",
    "budgets:run_progress", "budgets:report_status", "applications:receipt",
    "applications:decision_download", "applications:decision_batch_progress",
    "monitoring:national_download", "monitoring:region_download", "monitoring:export_download",
    "monitoring:download_status", "monitoring:municipality_download",
    "monitoring:sisa_pdf", "monitoring:sisa_csv", "monitoring:sisa_export", "monitoring:sisa_batch_download",
    "monitoring:sisa_batch_progress", "budgets:simulation_download",
    "monitoring:determination_letter", "monitoring:determination_batch_progress",
    "amendments:amended_download", "amendments:batch_progress",
}
MAIN_PAGES = {"home", "applications:list", "applications:components", "applications:detail", "applications:lines",
              "applications:declarations",
              "budgets:own_amounts", "budgets:run_list", "budgets:run_detail", "budgets:compare",
              "regions:municipality_list", "regions:region_detail", "admin:index",
              "monitoring:national_dashboard", "monitoring:region_dashboard", "monitoring:municipality_monitoring"}

DEVELOPER_WORDS = ("README", "zie de code", "TODO", "snake_case", "Traceback", "manage.py")  # item 8

WIDEST_ELEMENTS = """() => {
  const limit = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > limit + 1 && !e.closest('.portal-table-scroll'))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
      ' → ' + Math.round(e.getBoundingClientRect().right) + 'px');
}"""

# Words in a table cell or caption that the browser broke across lines (a column squeezed to "Al / me / re" or
# "verkla / ring.p / df"): a word whose text lies on more than one line. Breaks at a hyphen, a dash or a slash are
# fine; visually hidden texts (in a box of one pixel on purpose, as a card table's column heads) are left out. A card's
# label is no text node: its words are measured against the label column.
BROKEN_WORDS = """() => {
  const tiny = new Map();  // element → inside a box of at most one pixel (visually hidden), per element once
  const hidden = e => {
    if (!e || e === document.body) return false;
    if (!tiny.has(e)) {
      const r = e.getBoundingClientRect();
      tiny.set(e, r.width <= 1 || r.height <= 1 || hidden(e.parentElement));
    }
    return tiny.get(e);
  };
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th, main caption')) {
    if (cell.offsetParent === null || hidden(cell)) continue;
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node; (node = texts.nextNode());) {
      if (hidden(node.parentElement)) continue;
      for (const word of node.data.matchAll(/[^\\s\\-\u2013\\/]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  // A card's label (the cell's data-label, drawn before the value): its longest word wider than the label column.
  const probe = document.createElement('span');
  probe.style.cssText = 'position: absolute; visibility: hidden; white-space: nowrap';
  document.body.append(probe);
  for (const cell of document.querySelectorAll('main [data-label]')) {
    const style = getComputedStyle(cell);
    if (style.display !== 'grid' || cell.offsetParent === null || hidden(cell)) continue;
    const column = parseFloat(style.gridTemplateColumns);
    probe.style.font = getComputedStyle(cell, '::before').font;
    for (const word of cell.dataset.label.split(/[\\s\\-\u2013\\/]+/)) {
      probe.textContent = word;
      if (probe.getBoundingClientRect().width > column + 0.5) broken.push(word);
    }
  }
  probe.remove();
  return [...new Set(broken)].slice(0, 8);
}"""

# Table captions that run on past the screen's edge (a caption is as wide as its table, also in a scroll box).
CUT_CAPTIONS = """() => [...document.querySelectorAll('main caption')]
  .filter(c => c.offsetParent !== null && c.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(c => c.textContent.trim().slice(0, 50))"""


def all_cases():
    return [c for c in access_cases() if c.method == "get" and c.ok_status == 200 and c.url_name not in NOT_PAGES]


def address(case):
    data = case.data() if callable(case.data) else case.data
    return case.url() + (f"?{urlencode(data, doseq=True)}" if data else "")


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("role", [r for r in ROLES if r != ANONYMOUS])
def test_no_page_scrolls_sideways_at_390_px(page, role):
    page.set_viewport_size(NARROW)
    log_in(page, role)
    overflowing, squeezed = [], []
    for case in all_cases():
        if role not in case.allowed:
            continue
        name = case.label or case.url_name.replace(":", "-")
        response = page.goto(page.base + address(case))
        assert response.status == 200, f"{role} {case.url_name}: {response.status}"
        a11y(page)
        text = page.locator("main").inner_text()
        developer_words = [w for w in DEVELOPER_WORDS if w in text]
        assert not developer_words, f"{role} {case.url_name}: tekst voor ontwikkelaars op de pagina: {developer_words}"
        width = page_width(page)
        if width > NARROW["width"]:
            overflowing.append(f"{case.url_name} ({page.url}): {width}px; {page.evaluate(WIDEST_ELEMENTS)}")
        if broken := page.evaluate(BROKEN_WORDS):
            squeezed.append(f"{case.url_name} ({page.url}): {broken}")
        if cut := page.evaluate(CUT_CAPTIONS):
            squeezed.append(f"{case.url_name} ({page.url}): bijschrift loopt buiten het scherm: {cut}")
        if case.url_name in MAIN_PAGES:
            # The main pages again at 1280 px: axe with the navigation bar that a wide screen shows instead of the
            # menu button, and the screenshots. The other pages are checked at 390 px only: the page is the same
            # document at either width (axe judges its elements, names and roles), colour contrast does not change
            # with the width (tests/spukportal/test_layout.py), and what a wide screen adds (the bar) is the same
            # on every page of a role. Colour contrast was checked at 390 px just now (and the bar's at 1280 px on
            # every login of the journeys).
            screenshot(page, f"{role}-{name}-390")
            page.set_viewport_size(WIDE)
            a11y(page, contrast=False)
            screenshot(page, f"{role}-{name}-1280")
            page.set_viewport_size(NARROW)
    assert not overflowing, "Horizontaal scrollen op 390 px:\n" + "\n".join(overflowing)
    assert not squeezed, "Tabellen te smal op 390 px (woorden over regels gebroken, bijschrift afgesneden):\n" + "\n".join(squeezed)


def test_navigation_collapses_behind_a_menu_button_at_390_px(page):
    page.set_viewport_size(NARROW)
    log_in(page, "ministerie")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    menu = nav.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Mandaathouders")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav.locator("summary", has_text="Meer").click()
    nav.get_by_role("link", name="Mandaathouders").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mandaathouders")
    a11y(page)
    page.set_viewport_size(WIDE)  # a bar again on a wide screen: no button, every link visible
    expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
    expect(nav.get_by_role("link", name="Verdeling")).to_be_visible()


def test_a_form_with_errors_moves_focus_to_the_error_summary_and_its_links_to_the_field(page):
    page.goto(page.base + "/inloggen/")
    a11y(page)
    page.get_by_label("Gebruikersnaam").fill("gemeente")
    page.get_by_role("button", name="Inloggen").click()  # no password
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Fout: "))
    a11y(page)
    summary.get_by_role("link", name=re.compile("Wachtwoord")).click()
    expect(page.get_by_label("Wachtwoord")).to_be_focused()

