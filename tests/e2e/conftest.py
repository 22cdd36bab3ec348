"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium), never a downloaded browser.

Every page a test visits must be checked with `a11y(page)` (axe-core); the `page` fixture fails the test
at teardown when a visited page was not checked. Serious and critical violations fail the test.
"""

import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DEMO_PASSWORD = "spuk-demo"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"  # written by the run, not committed
# Screenshots are for people to look at, so they are taken when asked: `SCREENSHOTS=1 make test` (or
# `SCREENSHOTS=1 scripts/run-tests tests/e2e`). A full-page screenshot costs 0.1-0.3 s of processor time, a run
# takes some 250 of them, and no test reads them.
TAKE_SCREENSHOTS = os.environ.get("SCREENSHOTS", "").lower() not in ("", "0", "false", "no")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("Chromium ontbreekt (Debian-pakket 'chromium'); browsertests kunnen niet draaien in CI.")
    skip = pytest.mark.skip(reason="Browsertest overgeslagen: installeer het Debian-pakket 'chromium'.")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


_AXE = Axe()


@pytest.fixture
def page(page, live_server, reference_data):
    """A browser tab against the live server with the reference data; tracks visited pages."""
    page.visited, page.checked = set(), set()
    page.set_default_timeout(15_000)

    def on_navigate(frame):
        if frame == page.main_frame:
            page.visited.add(frame.url.split("#")[0])

    page.on("framenavigated", on_navigate)
    page.base = live_server.url
    yield page
    unchecked = page.visited - page.checked
    assert not unchecked, f"Pagina's bezocht zonder toegankelijkheidscontrole: {sorted(unchecked)}"


# The document as axe sees it, as a digest: its HTML without what differs on every load of the same page (the CSRF
# token, masked anew per response, in forms and in htmx's request headers).
DOCUMENT_DIGEST = """async () => {
  const html = document.documentElement.outerHTML
    .replace(/(name="csrfmiddlewaretoken" value=")[^"]*/g, '$1')
    .replace(/(&quot;X-CSRFToken&quot;: &quot;)[^&]*/g, '$1');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(html));
  return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
}"""
_CLEAN_DOCUMENTS = set()  # (digest, viewport, contrast checked) that axe passed in this test process


def a11y(page, contrast=True):
    """Run axe-core on the current page; fail on serious or critical violations.

    `contrast=False` leaves out axe's colour-contrast rule, four fifths of its time on a long table. Only for a
    page whose contrast was checked at another width: no stylesheet changes a colour with the width
    (tests/spukportal/test_layout.py::test_no_stylesheet_changes_a_colour_with_the_width).

    A document that axe already passed at this window size in this test process (the same HTML: the login page on
    every login, a start page revisited unchanged) is not checked again: axe's verdict depends only on the
    document, the stylesheets and the window. Any difference in the HTML (a message, a changed state, a typed-in
    error) makes a new document, which is checked."""
    page.wait_for_load_state("load")
    viewport = (page.viewport_size["width"], page.viewport_size["height"])
    digest = page.evaluate(DOCUMENT_DIGEST)
    if (digest, viewport, True) in _CLEAN_DOCUMENTS or (digest, viewport, contrast) in _CLEAN_DOCUMENTS:
        page.checked.add(page.url.split("#")[0])
        return
    if not page.evaluate("typeof window.axe === 'object'"):  # injected once per page load, not once per check
        page.evaluate(_AXE.axe_script)
    rules = "" if contrast else ", rules: {'color-contrast': {enabled: false}}"
    violations = page.evaluate(f"axe.run(document, {{resultTypes: ['violations']{rules}}}).then(r => r.violations)")
    bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:5]}" for v in bad
    )
    assert not bad, f"axe-core vond ernstige toegankelijkheidsproblemen op {page.url}:\n{report}"
    _CLEAN_DOCUMENTS.add((digest, viewport, contrast))
    page.checked.add(page.url.split("#")[0])


def log_in(page, username, password=DEMO_PASSWORD):
    page.goto(page.base + "/inloggen/")
    a11y(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(page.base + "/")
    a11y(page)


# Groups of radio buttons or checkboxes narrower than 8 rem (their legend breaks letter by letter).
SQUEEZED_FIELDSETS = """() => [...document.querySelectorAll('main fieldset')]
  .filter(f => f.offsetParent !== null && f.querySelector('input[type=radio], input[type=checkbox]')
          && f.getBoundingClientRect().width < 128)
  .map(f => (f.querySelector('legend') || f).textContent.trim().slice(0, 40))"""


def screenshot(page, name):
    """A full-page screenshot, var/screenshots/<name>.png, when the run was asked for them (TAKE_SCREENSHOTS)."""
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def shoot(page, name):
    """The current page at 1280 and 390 px wide: axe (colour contrast at 1280 px, as no stylesheet changes a colour
    with the width), a check that the page does not scroll sideways and that no group of choices is squeezed, and
    screenshots when asked (var/screenshots/<name>-<width>.png); the tab is left at 1280 px."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the journeys also keep the PDFs they download there
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        a11y(page, contrast=width == 1280)
        screenshot(page, f"{name}-{width}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{name}: de pagina is {wide} px breed op een scherm van {width} px"
        squeezed = page.evaluate(SQUEEZED_FIELDSETS)
        assert not squeezed, f"{name}: keuzegroepen samengeperst tot een smalle kolom op {width} px: {squeezed}"
    page.set_viewport_size({"width": 1280, "height": 900})
